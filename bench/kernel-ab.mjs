// Two builds of the SVD kernel side by side, for A/B decisions on a shared machine:
//   node bench/kernel-ab.mjs BEFORE.wasm AFTER.wasm [--only ID] [--rounds 5] [--calls 3]
// times svdDecompose of bench/kernel.mjs's cases (same matrices, raw exports, no copy-out) with
// the builds interleaved call group by call group, and prints each build's median (min–max) of
// per-round medians and the median after/before ratio of the rounds, so that a change in load
// moves both sides alike. With one build and --rounds 1 --calls 1 it is the harness for
// instruction counts:
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null node --no-liftoff \
//     bench/kernel-ab.mjs build/release.wasm --only 512x512-thin --rounds 1 --calls 1
// (--no-liftoff: V8 compiles with TurboFan only, so the counts do not depend on when tier-up
// finishes; subtract a run of a tiny case, e.g. --only 8x8, for node's start-up).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CASES, layout, randomMatrix } from "./kernel.mjs";
import { fmtRatio, fmtSpread, median, spread } from "./stats.mjs";

const { values: opts, positionals: files } = parseArgs({
  allowPositionals: true,
  options: { only: { type: "string", default: "" }, rounds: { type: "string", default: "5" }, calls: { type: "string", default: "3" } },
});
if (files.length < 1 || files.length > 2) throw new Error("usage: node bench/kernel-ab.mjs BEFORE.wasm [AFTER.wasm] [--only ID] [--rounds R] [--calls C]");
const rounds = Number(opts.rounds);
const calls = Number(opts.calls);
const JOB = { values: 0, thin: 1, full: 2 };
// The 8×8 case is node's start-up for instruction counts: only when --only asks for it.
const cases = opts.only ? [...CASES, { id: "8x8-thin", m: 8, n: 8, job: "thin" }].filter((c) => c.id.includes(opts.only)) : CASES;
const builds = files.map((file) => ({ file, x: new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports }));

/** Median of `calls` timed svdDecompose calls of case c on build x (A copied in untimed). */
function time(x, c, A) {
  const { m, n } = c;
  const p = Math.min(m, n);
  const job = JOB[c.job];
  const [ucols, vcols] = job === 2 ? [m, n] : job ? [p, p] : [0, 0];
  const [pa, ps, pu, pv, pw, pinfo] = layout(x, [m * n * 8, p * 8, m * ucols * 8, n * vcols * 8, x.svdWorkspaceBytes(m, n, job) >>> 0, 16]);
  const times = [];
  for (let i = 0; i < calls; i++) {
    new Float64Array(x.memory.buffer, pa, m * n).set(A.data);
    const start = performance.now();
    const status = x.svdDecompose(pa, m, n, job, ps, pu, pv, pw, pinfo);
    times.push(performance.now() - start);
    if (status !== 0) throw new Error(`${c.id}: svdDecompose returned ${status}`);
  }
  return median(times);
}

for (const c of cases) {
  const A = randomMatrix(c.m, c.n);
  const perRound = builds.map(() => []);
  for (let r = 0; r < rounds; r++) builds.forEach((b, i) => perRound[i].push(time(b.x, c, A)));
  const ms = (t) => `${t.toFixed(t >= 100 ? 0 : 1)} ms`;
  const line = builds.map((b, i) => `${b.file}: ${fmtSpread(spread(perRound[i]), ms)}`);
  if (builds.length === 2) {
    const ratio = spread(perRound[1].map((t, i) => t / perRound[0][i]));
    line.push(`after/before ${fmtRatio(ratio.median)} (${fmtRatio(ratio.min)}–${fmtRatio(ratio.max)})`);
  }
  console.log(`${c.id.padEnd(18)} ${line.join("  ")}`);
}
