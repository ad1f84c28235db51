// The product kernel on two of the SVD's product shapes, for A/B runs of kernel variants:
//   node bench/gemm-once.mjs [wasm] [calls]   (calls 0: start-up only, for callgrind's baseline)
// C = A·B at 2000×64 · 64×2000 (the bidiagonalisation's trailing update) and C = U·Vᵀ at
// 2000×2000 · (2000×32)ᵀ (a compact-WY block's C·V), 768 MFlop per call of both; prints the
// best GFlop/s of `calls` calls of each and a checksum (variants must agree bit for bit).
import { readFileSync } from "node:fs";

const wasm = process.argv[2] ?? new URL("../build/release.wasm", import.meta.url);
const calls = Number(process.argv[3] ?? 1);
const k = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasm)), {}).exports;
const SHAPES = [[2000, 64, 2000, "multiply"], [2000, 2000, 32, "multiplyTransposed"]]; // [m, depth, n]
let checksum = 0;
const rates = [];
for (const [m, p, n, f] of SHAPES) {
  let next = k.heapBase() >>> 0;
  const at = (bytes) => { const q = next; next += Math.ceil(bytes / 16) * 16; return q; };
  const pa = at(m * p * 8), pb = at(p * n * 8), pc = at(m * n * 8), pw = at(k.productWorkspaceBytes(m, n, p) >>> 0);
  if (next > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((next - k.memory.buffer.byteLength) / 65536));
  const mem = new Float64Array(k.memory.buffer);
  for (let i = 0; i < m * p; i++) mem[pa / 8 + i] = Math.sin(i);
  for (let i = 0; i < p * n; i++) mem[pb / 8 + i] = Math.cos(i);
  let best = Infinity;
  for (let r = 0; r < calls; r++) {
    const t = performance.now();
    const status = f === "multiply" ? k.multiply(pa, pb, m, p, n, pc, pw) : k.multiplyTransposed(pa, pb, m, n, p, pc, pw);
    best = Math.min(best, performance.now() - t);
    if (status !== 0) throw new Error(`${f} returned ${status}`);
  }
  for (let i = 0; i < m * n; i += 997) checksum += mem[pc / 8 + i];
  rates.push(`${f} ${m}×${p}·${p}×${n}: ${((2 * m * n * p) / best / 1e6).toFixed(2)} GFlop/s`);
}
console.log(`checksum ${checksum}; ${rates.join("; ")}`);
