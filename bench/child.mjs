// Measurements that need a process of their own, so that its peak memory (VmHWM) belongs to one
// call and nothing else: svdStream of a matrix made block by block on every pass (never held
// whole), and the sparse SVD's extra memory above the resident set with its input built.
//
//   node bench/child.mjs stream M N K BLOCK SEED verify
//   node bench/child.mjs stream M N K BLOCK SEED time MAX_TIME MIN_SAMPLES
//   node bench/child.mjs sparse M N NNZ K SEED verify
//
// stream verify: one call; prints JSON { S, U0 (first 5 rows of U), seconds, passes, peakMiB
// (the process's peak resident set after the call), startMiB (resident set before it),
// matrixMiB (M·N·8 bytes) }. stream time: one untimed warm-up call, then calls until MAX_TIME
// seconds have passed and at least MIN_SAMPLES were made; prints JSON { median, samples }.
// sparse verify: builds the ratings matrix, then one svd(entries, { k, seed }); prints JSON
// { S, seconds, startMiB, peakMiB, extraMiB = peak − start }.
import { readFileSync } from "node:fs";
import { svd, svdStream } from "../dist/index.js";
import { ratingsMatrix, streamReader } from "./matrices.mjs";

function residentMiB(field) {
  const line = readFileSync("/proc/self/status", "utf8").split("\n").find((l) => l.startsWith(field));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
}

const [what, ...args] = process.argv.slice(2);
let out;
if (what === "stream") {
  const [m, n, k, block, seed] = args.slice(0, 5).map(Number);
  const run = async () => {
    const read = streamReader(m, n, block);
    const start = performance.now();
    const r = await svdStream(read, { k, seed });
    return { r, seconds: (performance.now() - start) / 1000, passes: read.passes };
  };
  if (args[5] === "verify") {
    const startMiB = residentMiB("VmRSS:");
    const { r, seconds, passes } = await run();
    out = { S: Array.from(r.S), U0: Array.from(r.U.data.subarray(0, 5 * k)), seconds, passes, peakMiB: residentMiB("VmHWM:"), startMiB, matrixMiB: (m * n * 8) / 2 ** 20 };
  } else {
    const [maxTime, minSamples] = args.slice(6, 8).map(Number);
    await run();
    const samples = [];
    const begin = performance.now();
    while (samples.length < minSamples || performance.now() - begin < maxTime * 1000) samples.push((await run()).seconds);
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    out = { median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, samples };
  }
} else if (what === "sparse") {
  const [m, n, nnz, k, seed] = args.slice(0, 5).map(Number);
  const e = ratingsMatrix(m, n, nnz);
  const startMiB = residentMiB("VmRSS:");
  const start = performance.now();
  const r = svd(e, { k, seed });
  const seconds = (performance.now() - start) / 1000;
  const peakMiB = residentMiB("VmHWM:");
  out = { S: Array.from(r.S), seconds, startMiB, peakMiB, extraMiB: peakMiB - startMiB };
} else {
  throw new Error(`bench/child.mjs: unknown measurement '${what}' (stream or sparse)`);
}
process.stdout.write(JSON.stringify(out) + "\n");
