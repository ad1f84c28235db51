// `npm run bench -- --kernel`: the SVD kernel alone, the harness behind docs/performance.md's
// SVD tables. build/release.wasm is instantiated with {} (no lowrank JS), its buffers laid out
// from heapBase(), and svdDecompose timed with performance.now() around the bare export call:
// A is copied in before each call (the kernel overwrites it) outside the timed span, nothing is
// copied out. Each round times `calls` calls (--calls, default 7) of every case in turn and
// keeps their median; a case reports the median and min–max of its round medians (--rounds,
// default 5), and 1024² thin / values the same over per-round ratios. Matrices as in
// bench/run.mjs: uniform in [−1, 1), xorshift seed 1. Each case is checked once first
// (status 0; S against ‖A‖_F; residual and orthogonality of U, V for thin and full jobs).
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { fmtRatio, fmtSpread, median, spread } from "./stats.mjs";
import { CheckFailure, Checks, checkSvd } from "./verify.mjs";
import { randomMatrix } from "./random.mjs";

export { randomMatrix };

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PAGE = 65536;
const ALIGN = 16;
/** svdDecompose's `job` (docs/abi.md). */
const JOB = { values: 0, thin: 1, full: 2 };

/** The cases of docs/performance.md's SVD table, in its column order. */
export const CASES = [
  { id: "512x512-thin", m: 512, n: 512, job: "thin" },
  { id: "1024x1024-thin", m: 1024, n: 1024, job: "thin" },
  { id: "512x512-values", m: 512, n: 512, job: "values" },
  { id: "1024x1024-values", m: 1024, n: 1024, job: "values" },
  { id: "2000x200-thin", m: 2000, n: 200, job: "thin" },
  { id: "200x2000-thin", m: 200, n: 2000, job: "thin" },
  { id: "2000x200-full", m: 2000, n: 200, job: "full" },
];

/** Lays the buffers of one case out from heapBase(), growing memory as needed. */
export function layout(x, sizes) {
  let next = x.heapBase() >>> 0;
  const pointers = sizes.map((bytes) => { const p = next; next += Math.ceil(bytes / ALIGN) * ALIGN; return p; });
  const need = next - x.memory.buffer.byteLength;
  if (need > 0) x.memory.grow(Math.ceil(need / PAGE));
  return pointers;
}

export function runKernelBench({ rounds, calls, only, outDir, wasm }) {
  if (!Number.isInteger(calls) || calls < 1) throw new Error(`--calls must be a positive integer; got ${calls}`);
  const wasmPath = wasm ?? join(root, "build", "release.wasm");
  const x = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {}).exports;
  const cases = CASES.filter((c) => c.id.includes(only)).map((c) => ({ ...c, A: randomMatrix(c.m, c.n) }));
  if (cases.length === 0) throw new Error(`--only ${only} matches no kernel case; ids: ${CASES.map((c) => c.id).join(", ")}`);
  console.log(`svdDecompose through ${relative(root, wasmPath)}'s raw exports (instantiated with {}, buffers from heapBase(), ` +
    `no JS wrapper, no copy-out); per round the median of ${calls} calls per case, ${rounds} rounds, cases interleaved. ` +
    `Times: median (min–max) of the round medians. Node ${process.version}.`);

  /** One call: copy A in (not timed), time svdDecompose. Returns [seconds, pointers]. */
  const call = (c) => {
    const { m, n } = c;
    const p = Math.min(m, n);
    const job = JOB[c.job];
    const [ucols, vcols] = c.job === "full" ? [m, n] : [p, p];
    const [pa, ps, pu, pv, pw, pinfo] = layout(x, [m * n * 8, p * 8, job ? m * ucols * 8 : 0, job ? n * vcols * 8 : 0,
      x.svdWorkspaceBytes(m, n, job) >>> 0, x.SVD_INFO_BYTES.value]);
    new Float64Array(x.memory.buffer, pa, m * n).set(c.A.data);
    const start = performance.now();
    const status = x.svdDecompose(pa, m, n, job, ps, pu, pv, pw, pinfo);
    const seconds = (performance.now() - start) / 1000;
    if (status !== x.STATUS_OK.value) throw new CheckFailure(`svdDecompose ${c.id}`, "status", `returned ${status}`);
    return { seconds, ps, pu, pv };
  };

  // Checked once (also the warm-up): a wrong answer stops the harness before any timing.
  for (const c of cases) {
    const { m, n } = c;
    const p = Math.min(m, n);
    const { ps, pu, pv } = call(c);
    const view = (ptr, count) => new Float64Array(x.memory.buffer, ptr, count).slice();
    const r = { S: view(ps, p) };
    if (c.job !== "values") {
      const [ucols, vcols] = c.job === "full" ? [m, n] : [p, p];
      r.U = { rows: m, cols: ucols, data: view(pu, m * ucols) };
      r.V = { rows: n, cols: vcols, data: view(pv, n * vcols) };
    }
    const checks = new Checks();
    checkSvd(checks, `svdDecompose ${c.id}`, c.A, r, c.job === "values" ? "none" : c.job);
    console.log(`  ✓ ${c.id}: ${checks.summary().map((s) => s.replace(/ \[[^\]]*\]/, "")).join("; ")}`);
  }

  const perRound = Object.fromEntries(cases.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const times = [];
      for (let i = 0; i < calls; i++) times.push(call(c).seconds);
      perRound[c.id].push(median(times));
    }
  }
  const results = Object.fromEntries(cases.map((c) => [c.id, spread(perRound[c.id])]));
  const ms = (s) => { const x = s * 1e3; return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)} ms`; };
  console.log("");
  for (const c of cases) console.log(`  ${c.id.padEnd(18)} ${fmtSpread(results[c.id], ms)}`);
  const thin = perRound["1024x1024-thin"];
  const values = perRound["1024x1024-values"];
  let ratio;
  if (thin && values) {
    ratio = spread(thin.map((t, i) => t / values[i]));
    console.log(`  ${"1024² thin / values".padEnd(18)} ${fmtRatio(ratio.median)} (${fmtRatio(ratio.min)}–${fmtRatio(ratio.max)}), per-round ratios`);
  }
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "kernel.json");
  const meta = { date: new Date().toISOString(), node: process.version, rounds, calls, wasm: relative(root, wasmPath), times: "seconds; median/min/max of per-round medians" };
  writeFileSync(file, JSON.stringify({ meta, results, thinOverValues1024: ratio }, null, 2) + "\n");
  console.log(`\nwrote ${relative(root, file)}`);
}
