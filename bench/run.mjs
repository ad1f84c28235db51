// lowrank's benchmark suite: every case runs lowrank and its peers (or the plain-JS baseline)
// in one process with Benchmark.js, prints medians and ratios (peer / lowrank), writes
// bench/results/latest.json and a chart bench/results/latest.svg.
//   npm run bench              full run (peers up to 1024², ~10 min)
//   npm run bench -- --quick   peers only up to 512², shorter sampling (< 2 min)
//   npm run bench -- --only sgd   cases whose id contains "sgd" (to bench/results/partial.json)
import Benchmark from "benchmark";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as lowrank from "../dist/index.js";
import { memoryBytes } from "../dist/kernel.js";
import { sgdDenseJs, sgdSparseJs } from "./baseline.mjs";
import { lineChartSvg } from "./chart.mjs";
import { nested, peerSvd } from "./peers.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : "";
const here = dirname(fileURLToPath(import.meta.url));

/** Deterministic test matrix: entries uniform in [−1, 1) from a xorshift stream. */
function randomMatrix(m, n, seed = 1) {
  let s = seed;
  const data = new Float64Array(m * n);
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    data[i] = (s / 2 ** 32) * 2 - 1;
  }
  return { rows: m, cols: n, data };
}

const LAB = [[0.3374, 0.6005, 0.1735], [3.3359, 0.0492, 1.8374], [2.9407, 0.5301, 2.262]];

function svdCase(m, n, vectors, target) {
  const A = randomMatrix(m, n);
  const rows = nested(A);
  const peersUpTo = quick ? 512 : 1024;
  const fns = { lowrank: () => lowrank.svd(A, { vectors: vectors ? "thin" : "none" }) };
  if (Math.max(m, n) <= peersUpTo || m !== n) {
    for (const [name, f] of Object.entries(peerSvd)) fns[name] = () => f(rows, { vectors });
  }
  return { id: `svd-${vectors ? "thin" : "values"}-${m}x${n}`, title: `${vectors ? "thin" : "values-only"} SVD ${m}×${n}`, n: m === n ? n : undefined, fns, target };
}

function sgdEpochCase(m, n, k, target) {
  const A = randomMatrix(m, n, 7);
  const U = new Float64Array(m * k).fill(0.01);
  const V = new Float64Array(n * k).fill(0.01);
  return {
    id: `sgd-epoch-${m}x${n}-k${k}`,
    title: `SGD one epoch ${m}×${n} k=${k}`,
    fns: {
      lowrank: () => lowrank.sgdFactorise(A, k, { epochs: 1, lr: 1e-4, seed: 1 }),
      "plain JS": () => sgdDenseJs(A.data, m, n, k, U, V, 1, 1e-4),
    },
    target,
  };
}

function maskedCase(m, n, k, fraction) {
  const A = randomMatrix(m, n, 3);
  const M = randomMatrix(m, n, 5);
  for (let i = 0; i < M.data.length; i++) M.data[i] = M.data[i] < fraction * 2 - 1 ? 1 : 0;
  const row = [];
  const col = [];
  const value = [];
  M.data.forEach((x, i) => { if (x) { row.push(Math.floor(i / n)); col.push(i % n); value.push(A.data[i]); } });
  const [r32, c32, v64] = [Int32Array.from(row), Int32Array.from(col), Float64Array.from(value)];
  const U = new Float64Array(m * k).fill(0.01);
  const V = new Float64Array(n * k).fill(0.01);
  return {
    id: `sgd-masked-${m}x${n}-k${k}-${fraction * 100}pct`,
    title: `masked SGD epoch ${fraction * 100} % of ${m}×${n} k=${k}`,
    fns: {
      lowrank: () => lowrank.sgdFactoriseMasked(A, M, k, { epochs: 1, lr: 1e-4, seed: 1 }),
      "plain JS": () => sgdSparseJs(r32, c32, v64, k, U, V, 1, 1e-4),
    },
  };
}

function labCase() {
  const A = Float64Array.from(LAB.flat());
  return {
    id: "lab-run",
    title: "the lab's whole run (3×3, k=2, 1000 epochs)",
    fns: {
      lowrank: () => lowrank.sgdFactorise(LAB, 2, { seed: 1 }),
      "plain JS": () => sgdDenseJs(A, 3, 3, 2, Float64Array.of(0.5, 0.2, 0.3, 0.7, 0.1, 0.9), Float64Array.of(0.4, 0.6, 0.8, 0.2, 0.5, 0.5), 1000, 0.01),
    },
    target: { absolute: 50e-6, note: "≤ 50 µs per call" },
  };
}

function callbackCase() {
  // The cost of onEpoch itself: the same run with the per-epoch loss tracked (tol = 1e-300
  // never stops it) with and without 1000 callbacks.
  return {
    id: "lab-run-onEpoch",
    title: "lab run: onEpoch vs loss tracking alone",
    fns: {
      lowrank: () => lowrank.sgdFactorise(LAB, 2, { seed: 1, onEpoch: () => undefined }),
      "tracking, no callback": () => lowrank.sgdFactorise(LAB, 2, { seed: 1, tol: 1e-300 }),
      "no tracking": () => lowrank.sgdFactorise(LAB, 2, { seed: 1 }),
    },
  };
}

function randomizedCase() {
  // Rank 10 plus small noise, 2000×500.
  const B = randomMatrix(2000, 10, 11);
  const C = randomMatrix(10, 500, 13);
  const A = lowrank.reconstruct(B, lowrank.matrix(500, 10, (() => {
    const t = new Float64Array(5000);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 500; j++) t[j * 10 + i] = C.data[i * 500 + j];
    return t;
  })()));
  const noise = randomMatrix(2000, 500, 17);
  for (let i = 0; i < A.data.length; i++) A.data[i] += 1e-6 * noise.data[i];
  return {
    id: "svd-randomized-2000x500-k10",
    title: "top-10 SVD 2000×500: randomized vs exact thin",
    fns: {
      lowrank: () => lowrank.svd(A, { k: 10, method: "randomized", seed: 1 }),
      "exact thin": () => lowrank.svd(A, { k: 10 }),
    },
    target: { ratio: 10, over: "exact thin" },
  };
}

const cases = [
  labCase(),
  callbackCase(),
  sgdEpochCase(300, 300, 10),
  sgdEpochCase(1000, 1000, 16, { ratio: 3, over: "plain JS" }),
  sgdEpochCase(1000, 1000, 64, { ratio: 4, over: "plain JS" }),
  maskedCase(1000, 1000, 16, 0.1),
  ...[64, 256, 512, 1024].map((n) => svdCase(n, n, true, n === 512 ? { ratio: 8, over: "fastest peer" } : undefined)),
  svdCase(2000, 200, true, { ratio: 15, over: "ml-matrix" }),
  svdCase(200, 2000, true, { ratio: 15, over: "ml-matrix" }),
  svdCase(512, 512, false),
  svdCase(1024, 1024, false, { ratio: 4, over: "lowrank thin 1024²" }),
  randomizedCase(),
].filter((c) => c.id.includes(only));

/** A call slower than this gets the minimum of 3 samples: a 10 s peer SVD would otherwise cost a minute. */
const SLOW_CALL_S = 2;

function measure(name, fn) {
  const start = performance.now();
  fn(); // warm-up (and JIT) outside the samples
  const slow = (performance.now() - start) / 1000 > SLOW_CALL_S;
  const bench = new Benchmark(name, fn, { maxTime: quick ? 0.5 : 2, minSamples: quick || slow ? 3 : 5, initCount: 1 });
  bench.run();
  if (bench.error) throw bench.error;
  const sample = [...bench.stats.sample].sort((a, b) => a - b);
  const mid = sample.length >> 1;
  const median = sample.length % 2 ? sample[mid] : (sample[mid - 1] + sample[mid]) / 2;
  return { median, mean: bench.stats.mean, rme: bench.stats.rme, samples: sample.length };
}

const fmt = (s) => (s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`);

const results = [];
for (const c of cases) {
  const row = { id: c.id, title: c.title, n: c.n, times: {} };
  for (const [name, fn] of Object.entries(c.fns)) {
    const before = name === "lowrank" ? (fn(), memoryBytes()) : 0;
    row.times[name] = measure(`${c.id} ${name}`, fn);
    if (name === "lowrank") {
      // Up to 1000 further calls (bounded to ~5 s) must not grow wasm memory.
      const calls = Math.max(1, Math.min(1000, Math.floor(5 / row.times[name].median)));
      for (let i = 0; i < calls; i++) fn();
      row.memory = { before, after: memoryBytes(), calls: calls + row.times[name].samples };
    }
  }
  const ours = row.times.lowrank.median;
  row.ratios = Object.fromEntries(Object.entries(row.times).filter(([k]) => k !== "lowrank").map(([k, t]) => [k, t.median / ours]));
  if (c.target) {
    const t = c.target;
    if (t.absolute) {
      row.target = { ...t, achieved: ours, met: ours <= t.absolute };
    } else {
      const achieved = t.over === "fastest peer"
        ? Math.min(...Object.values(row.ratios))
        : t.over === "lowrank thin 1024²"
          ? results.find((r) => r.id === "svd-thin-1024x1024")?.times.lowrank.median / ours
          : row.ratios[t.over];
      row.target = { ...t, achieved, met: achieved >= t.ratio };
    }
  }
  results.push(row);
  const cells = Object.entries(row.times).map(([k, t]) => `${k} ${fmt(t.median)}${k === "lowrank" ? "" : ` (×${row.ratios[k].toFixed(1)})`}`);
  const target = !row.target ? "" : row.target.absolute
    ? `  [target ${row.target.note}: ${row.target.met ? "met" : "NOT met"}]`
    : `  [target ≥ ${row.target.ratio}× ${row.target.over}: ×${row.target.achieved?.toFixed(1)} ${row.target.met ? "met" : "NOT met"}]`;
  const mem = row.memory && row.memory.after !== row.memory.before ? `  MEMORY GREW ${row.memory.before} → ${row.memory.after}` : "";
  console.log(`${c.title.padEnd(46)} ${cells.join(" | ")}${target}${mem}`);
}

mkdirSync(join(here, "results"), { recursive: true });
const meta = { date: new Date().toISOString(), node: process.version, quick, only, simd: lowrank.simd, ratio: "peer median / lowrank median" };
// A run of some cases (--only) must not replace the record of a whole run.
const jsonName = only ? "partial.json" : "latest.json";
writeFileSync(join(here, "results", jsonName), JSON.stringify({ meta, results }, null, 2) + "\n");
const square = results.filter((r) => r.n && r.id.startsWith("svd-thin-"));
if (square.length > 1 && !only) {
  const names = [...new Set(square.flatMap((r) => Object.keys(r.times)))];
  const series = names.map((name) => ({ name, points: square.filter((r) => r.times[name]).map((r) => [r.n, r.times[name].median]) }));
  writeFileSync(join(here, "results", "latest.svg"), lineChartSvg("thin SVD of an n×n matrix: median time (log–log)", series));
}
console.log(`\nwrote bench/results/${jsonName}${square.length > 1 && !only ? " and latest.svg" : ""}`);
