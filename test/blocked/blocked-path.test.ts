// The debug-blocked build really takes the blocked paths: on a 40×30 matrix (below the real
// crossover of 128 columns) its SVD must differ from the debug build's in the last bits — a
// blocked bidiagonalisation sums in another order — while agreeing to rounding.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { testBuildBytes, testBuildName } from "../setup/kernel-builds.js";

function rawSvd(bytes: Uint8Array, m: number, n: number, a: Float64Array): Float64Array {
  const x = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as Record<string, any>;
  const work = x.svdWorkspaceBytes(m, n, 0) >>> 0;
  const base = x.heapBase();
  const pa = base;
  const ps = pa + m * n * 8;
  const pw = ps + Math.ceil((Math.min(m, n) * 8) / 16) * 16;
  const need = pw + work - x.memory.buffer.byteLength;
  if (need > 0) x.memory.grow(Math.ceil(need / 65536));
  new Float64Array(x.memory.buffer, pa, m * n).set(a);
  expect(x.svdDecompose(pa, m, n, 0, ps, 0, 0, pw)).toBe(0);
  return new Float64Array(x.memory.buffer, ps, Math.min(m, n)).slice();
}

test("singular values differ from the unblocked build's in the last bits only", () => {
  expect(testBuildName()).toBe("debug-blocked");
  const m = 40;
  const n = 30;
  const a = Float64Array.from({ length: m * n }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 1.9));
  const blocked = rawSvd(testBuildBytes(), m, n, a);
  const unblocked = rawSvd(readFileSync(new URL("../../build/debug.wasm", import.meta.url)), m, n, a);
  expect(Array.from(blocked)).not.toEqual(Array.from(unblocked));
  for (let i = 0; i < n; i++) expect(Math.abs(blocked[i] - unblocked[i])).toBeLessThan(1e-13 * unblocked[0]);
});
