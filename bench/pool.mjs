// `npm run bench -- --pool`: createPool against the synchronous API, on this machine's cores
// (docs/parallel.md holds the figures). Every case is checked before it is timed: the pool's SVD
// must equal svd() bit for bit, its SGD loss must be finite and within a few per cent of the
// sequential run's. Then R rounds (--rounds, default 5) time the two in turn, alternating which
// goes first; a time is the median of the rounds (min–max), the speed-up the median of the
// per-round ratios. Also measured while pool calls run: the longest gap between two turns of
// the caller's event loop (a 1 ms timer that records how late it fires), and how long an abort
// takes — until the call rejects, and until the team is free again (a tiny call queued behind
// the aborted one completes). The machine's load average is printed before and after: on a
// shared machine, compare runs with similar loads only.
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, relative } from "node:path";
import * as lowrank from "../dist/index.js";
import { randomMatrix } from "./random.mjs";
import { fmtRatio, fmtSpread, median, spread } from "./stats.mjs";

/** The issue's targets (issue 13). */
const TARGETS = { svd: 1.6, sgd: 1.7, gapMs: 50, abortMs: 300 };

/** A coordinate list of `nnz` entries of a rank-8 rows×cols matrix at xorshift positions. */
function ratings(rows, cols, nnz, seed) {
  const rank = 8;
  const B = randomMatrix(rows, rank, seed);
  const C = randomMatrix(cols, rank, seed + 1);
  const row = new Int32Array(nnz);
  const col = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  let s = seed + 2;
  const next = () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s;
  };
  for (let t = 0; t < nnz; t++) {
    row[t] = next() % rows;
    col[t] = next() % cols;
    let v = 0;
    for (let q = 0; q < rank; q++) v += B.data[row[t] * rank + q] * C.data[col[t] * rank + q];
    value[t] = v;
  }
  return { rows, cols, row, col, value };
}

const same = (a, b) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/** Runs `call` while a 1 ms timer watches the event loop; returns its value and the longest gap (ms). */
async function watched(call) {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  try {
    const value = await call();
    return { value, gap: Math.max(gap, performance.now() - last) };
  } finally {
    clearInterval(timer);
  }
}

async function timeRounds(rounds, runs) {
  const times = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  const gaps = [];
  const names = Object.keys(runs);
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const start = performance.now();
      const { gap } = await watched(runs[name]);
      times[name].push(performance.now() - start);
      if (name === "pool") gaps.push(gap);
    }
  }
  return { times, gaps };
}

/** Aborts `start()` after each delay; returns [ms until it rejected, ms until a tiny call queued behind it was done]. */
async function abortLatency(pool, start, delays) {
  const out = [];
  for (const delay of delays) {
    const controller = new AbortController();
    const call = start(controller.signal);
    await new Promise((r) => setTimeout(r, delay));
    const t0 = performance.now();
    controller.abort();
    let rejected = NaN;
    await call.then(() => {
      throw new Error("an aborted call resolved");
    }, (error) => {
      if (error.code !== "ABORTED") throw error;
      rejected = performance.now() - t0;
    });
    await pool.svd([[1, 2], [3, 4]], { vectors: "none" });
    out.push([rejected, performance.now() - t0]);
  }
  return out;
}

export async function runPoolBench({ rounds, only, outDir }) {
  const threads = availableParallelism();
  const loadBefore = loadavg()[0];
  console.log(`createPool({ threads: ${threads} }) against the synchronous API; ${rounds} rounds, the two alternating. ` +
    `Node ${process.version}, ${threads} cores, load average ${loadBefore.toFixed(2)} before.`);
  const started = performance.now();
  const pool = lowrank.createPool({ threads });
  await pool.svd([[1]], { vectors: "none" });
  const startup = performance.now() - started;
  console.log(`  team of ${pool.threads} started and ran a first call in ${startup.toFixed(0)} ms`);
  const results = { threads: pool.threads, startupMs: startup, cases: {} };
  let failed = false;

  if ("svd-thin-1024x1024".includes(only)) {
    const A = randomMatrix(1024, 1024);
    const check = await pool.svd(A);
    const want = lowrank.svd(A);
    const identical = same(check.S, want.S) && same(check.U.data, want.U.data) && same(check.V.data, want.V.data);
    console.log(`\nthin SVD 1024×1024: pool.svd(A) vs svd(A), whole calls; pool result bit-identical to svd: ${identical}`);
    if (!identical) failed = true;
    else {
      const { times, gaps } = await timeRounds(rounds, { pool: () => pool.svd(A), svd: async () => lowrank.svd(A) });
      const ratios = times.svd.map((t, i) => t / times.pool[i]);
      report("svd", times, ratios, gaps, TARGETS.svd);
      results.cases["svd-thin-1024x1024"] = { times, ratios, gaps };
    }
  }

  if ("sgd-sparse-1.2M-k32".includes(only)) {
    const E = ratings(20_000, 10_000, 1_200_000, 7);
    const opts = { seed: 1, epochs: 20, lr: 0.002 };
    const check = await pool.sgdFactoriseSparse(E, 32, opts);
    const want = lowrank.sgdFactoriseSparse(E, 32, opts);
    const relative = Math.abs(check.loss - want.loss) / want.loss;
    const ok = Number.isFinite(check.loss) && relative < 0.05 && check.loss < want.loss * 10;
    console.log(`\nsgdFactoriseSparse, 1.2 M entries of a 20000×10000 rank-8 matrix, k = 32, 20 epochs, lr 0.002: ` +
      `loss ${check.loss.toPrecision(6)} on the pool (block strata) vs ${want.loss.toPrecision(6)} in order (${(100 * relative).toFixed(2)} % apart)`);
    if (!ok) failed = true;
    else {
      const { times, gaps } = await timeRounds(rounds, { pool: () => pool.sgdFactoriseSparse(E, 32, opts), sync: async () => lowrank.sgdFactoriseSparse(E, 32, opts) });
      const ratios = times.sync.map((t, i) => t / times.pool[i]);
      report("sync", times, ratios, gaps, TARGETS.sgd);
      results.cases["sgd-sparse-1.2M-k32"] = { times, ratios, gaps, loss: { pool: check.loss, sequential: want.loss } };
    }
  }

  if ("abort".includes(only)) {
    const A = randomMatrix(1024, 1024);
    const E = ratings(20_000, 10_000, 1_200_000, 7);
    const delays = [30, 120, 250, 400, 600];
    const svdAborts = await abortLatency(pool, (signal) => pool.svd(A, { signal }), delays);
    // 200 epochs: a run that certainly outlasts the latest abort.
    const sgdAborts = await abortLatency(pool, (signal) => pool.sgdFactoriseSparse(E, 32, { seed: 1, epochs: 200, lr: 0.002, signal }), delays);
    console.log(`\nabort latency (abort after ${delays.join(", ")} ms): until the call rejects / until a tiny call queued behind it is done`);
    for (const [name, list] of [["thin SVD 1024²", svdAborts], ["sparse SGD 1.2 M", sgdAborts]]) {
      const worst = Math.max(...list.map((x) => x[1]));
      console.log(`  ${name.padEnd(18)} ${list.map(([a, b]) => `${a.toFixed(1)}/${b.toFixed(0)}`).join("  ")} ms; worst ${worst.toFixed(0)} ms ` +
        `(target ≤ ${TARGETS.abortMs}: ${worst <= TARGETS.abortMs ? "met" : "NOT MET"})`);
    }
    results.aborts = { delays, svd: svdAborts, sgd: sgdAborts };
  }

  await pool.close();
  const loadAfter = loadavg()[0];
  console.log(`\nload average ${loadAfter.toFixed(2)} after (${loadBefore.toFixed(2)} before)`);
  results.load = { before: loadBefore, after: loadAfter };
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "pool.json");
  writeFileSync(file, JSON.stringify({ node: process.version, cores: threads, ...results }, null, 2) + "\n");
  console.log(`results → ${relative(process.cwd(), file)}`);
  if (failed) {
    console.log("a check failed: that case was not timed");
    process.exitCode = 1;
  }
}

function report(other, times, ratios, gaps, target) {
  const speedup = median(ratios);
  const seconds = (ms) => spread(ms.map((t) => t / 1000));
  console.log(`  pool   ${fmtSpread(seconds(times.pool))}`);
  console.log(`  ${other.padEnd(6)} ${fmtSpread(seconds(times[other]))}`);
  console.log(`  speed-up ${fmtRatio(speedup)}× (per round ${ratios.map((r) => r.toFixed(2)).join(", ")}); target ≥ ${target}×: ${speedup >= target ? "met" : "NOT MET"}`);
  const gap = Math.max(...gaps);
  console.log(`  longest event-loop gap while the pool call ran: ${gap.toFixed(1)} ms (target ≤ ${TARGETS.gapMs}: ${gap <= TARGETS.gapMs ? "met" : "NOT MET"})`);
}
