// `node bench/ab.mjs BEFORE.wasm [AFTER.wasm] [--calls N] [--only ID]`: svdDecompose of two
// builds on bench/kernel.mjs's cases with their calls interleaved one by one (before, after,
// after, before, …), so both see the same load on a shared machine. Prints per case the min and
// median of each build's calls and the ratio of the minima (the least disturbed calls). Nothing
// is checked here (`npm run bench -- --kernel --wasm FILE` checks a build's results); AFTER
// defaults to build/release.wasm.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CASES, randomMatrix } from "./kernel.mjs";
import { median } from "./stats.mjs";

const { values: opts, positionals } = parseArgs({ allowPositionals: true, options: { calls: { type: "string", default: "9" }, only: { type: "string", default: "" } } });
const [before, after = fileURLToPath(new URL("../build/release.wasm", import.meta.url))] = positionals;
if (!before) throw new Error("usage: node bench/ab.mjs BEFORE.wasm [AFTER.wasm] [--calls N] [--only ID]");
const calls = Number(opts.calls);
const JOB = { values: 0, thin: 1, full: 2 };

function harness(path) {
  const x = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), {}).exports;
  return (c) => {
    const { m, n } = c;
    const p = Math.min(m, n);
    const job = JOB[c.job];
    const [ucols, vcols] = c.job === "full" ? [m, n] : [p, p];
    const sizes = [m * n * 8, p * 8, job ? m * ucols * 8 : 0, job ? n * vcols * 8 : 0, x.svdWorkspaceBytes(m, n, job) >>> 0, 16];
    let next = x.heapBase() >>> 0;
    const [pa, ps, pu, pv, pw, pinfo] = sizes.map((b) => { const q = next; next += Math.ceil(b / 16) * 16; return q; });
    if (next > x.memory.buffer.byteLength) x.memory.grow(Math.ceil((next - x.memory.buffer.byteLength) / 65536));
    new Float64Array(x.memory.buffer, pa, m * n).set(c.A.data);
    const start = performance.now();
    const status = x.svdDecompose(pa, m, n, job, ps, pu, pv, pw, pinfo);
    const ms = performance.now() - start;
    if (status !== 0) throw new Error(`${path}: svdDecompose ${c.id} returned ${status}`);
    return ms;
  };
}

const runs = [harness(before), harness(after)];
console.log(`svdDecompose, before = ${before}, after = ${after}; ${calls} interleaved calls per build and case, Node ${process.version}`);
for (const c of CASES.filter((k) => k.id.includes(opts.only))) {
  c.A = randomMatrix(c.m, c.n);
  runs.forEach((run) => run(c)); // warm-up
  const times = [[], []];
  for (let i = 0; i < calls; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const b of order) times[b].push(runs[b](c));
  }
  const [bMin, aMin] = times.map((t) => Math.min(...t));
  const fmt = (t) => `min ${Math.min(...t).toFixed(1)} ms, median ${median(t).toFixed(1)} ms`;
  console.log(`  ${c.id.padEnd(18)} before ${fmt(times[0])} · after ${fmt(times[1])} · after/before (minima) ${(aMin / bMin).toFixed(2)}`);
}
