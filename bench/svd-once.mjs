// `node --no-liftoff bench/svd-once.mjs WASM N [JOB]`: one svdDecompose of bench/run.mjs's N×N
// matrix (uniform in [−1, 1), xorshift seed 1) through WASM's raw exports, for instruction counts:
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null node --no-liftoff bench/svd-once.mjs build/release.wasm 1024 0
// minus the same with N = 8 (node's start-up). --no-liftoff: V8 compiles the module with
// TurboFan at once, so when it tiers up (slower under valgrind) cannot move the count.
import { readFileSync } from "node:fs";

const [file, nArg, jobArg] = process.argv.slice(2);
const n = Number(nArg);
const job = Number(jobArg ?? 0);
if (!file || !Number.isInteger(n) || n < 1 || ![0, 1, 2].includes(job)) throw new Error("usage: svd-once.mjs WASM N [JOB 0|1|2]");
const x = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports;
let s = 1;
const data = new Float64Array(n * n);
for (let i = 0; i < data.length; i++) {
  s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
  data[i] = (s / 2 ** 32) * 2 - 1;
}
const round = (bytes) => Math.ceil(bytes / 16) * 16;
const sizes = [n * n * 8, n * 8, job ? n * n * 8 : 0, job ? n * n * 8 : 0, x.svdWorkspaceBytes(n, n, job) >>> 0, x.SVD_INFO_BYTES.value];
let next = x.heapBase() >>> 0;
const [a, sv, u, v, work, info] = sizes.map((bytes) => { const p = next; next += round(bytes); return p; });
if (next > x.memory.buffer.byteLength) x.memory.grow(Math.ceil((next - x.memory.buffer.byteLength) / 65536));
new Float64Array(x.memory.buffer, a, n * n).set(data);
const status = x.svdDecompose(a, n, n, job, sv, u, v, work, info);
const S = new Float64Array(x.memory.buffer, sv, n);
console.log(`status ${status}, σ₁ ${S[0]}, σ_n ${S[n - 1]}`);
