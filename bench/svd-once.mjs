// One svdDecompose call through a release module's raw exports, for instruction counts:
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null node bench/svd-once.mjs 1024 1024 thin [wasm]
// (compare the `Collected` totals of two builds on the same case; subtract a `1 1 values` run for
// node's start-up). The matrix is bench/kernel.mjs's (uniform in [−1, 1), xorshift seed 1);
// nothing is checked here — `npm run bench -- --kernel` checks every case.
import { readFileSync } from "node:fs";
import { randomMatrix } from "./kernel.mjs";

const [m, n] = [Number(process.argv[2] ?? 512), Number(process.argv[3] ?? 512)];
const job = { values: 0, thin: 1, full: 2 }[process.argv[4] ?? "thin"];
const wasm = process.argv[5] ?? new URL("../build/release.wasm", import.meta.url);
const x = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasm)), {}).exports;
const p = Math.min(m, n);
const sizes = [m * n * 8, p * 8, job === 2 ? m * m * 8 : job ? m * p * 8 : 0, job === 2 ? n * n * 8 : job ? n * p * 8 : 0,
  x.svdWorkspaceBytes(m, n, job) >>> 0, 16];
let next = x.heapBase() >>> 0;
const [pa, ps, pu, pv, pw, pinfo] = sizes.map((b) => { const q = next; next += Math.ceil(b / 16) * 16; return q; });
if (next > x.memory.buffer.byteLength) x.memory.grow(Math.ceil((next - x.memory.buffer.byteLength) / 65536));
new Float64Array(x.memory.buffer, pa, m * n).set(randomMatrix(m, n).data);
const start = performance.now();
const status = x.svdDecompose(pa, m, n, job, ps, pu, pv, pw, pinfo);
console.log(`${m}×${n} job ${job}: status ${status}, ${(performance.now() - start).toFixed(1)} ms`);
