// The dense products (assembly/dense.ts over the packed product kernel, assembly/gemm.ts)
// against the textbook triple loop in JS. The kernel adds each entry's products one at a time
// in depth order, as the loop here does, and wasm has no fused multiply–add: the results must
// be equal bit for bit. The shapes cover edge tiles (sizes not multiples of 4), several depth
// slices (depth > 256) and several packed column blocks (> 256 columns at depth 256); the
// debug-blocked build cuts slices of 8 and blocks of 8 columns, so its run covers both on
// every shape.
import { describe, expect, test } from "vitest";
import { rawKernel, uniformDoubles as random } from "../helpers.js";
import { testBuildBytes } from "../setup/kernel-builds.js";

/** out = op(A)·op(B) by the triple loop; a(i, q) and b(q, j) read the stored operands. */
function reference(rows: number, cols: number, depth: number, a: (i: number, q: number) => number, b: (q: number, j: number) => number) {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let q = 0; q < depth; q++) s += a(i, q) * b(q, j);
      out[i * cols + j] = s;
    }
  }
  return out;
}

function kernel() {
  const { x, alloc, f64 } = rawKernel(testBuildBytes());
  const put = (data: Float64Array) => {
    const p = alloc(data.length * 8);
    f64(p, data.length).set(data);
    return p;
  };
  return { x, alloc, put, get: (p: number, n: number) => f64(p, n).slice() };
}

const SHAPES: [number, number, number][] = [[1, 1, 1], [7, 5, 9], [4, 4, 4], [13, 300, 6], [6, 260, 263], [3, 2, 517], [0, 3, 4], [3, 0, 4], [3, 4, 0]];

describe.each(SHAPES)("m %i, depth %i, n %i", (m, p, n) => {
  test("multiply: A·B", () => {
    const { x, alloc, put, get } = kernel();
    const [A, B] = [random(m * p, 1 + m), random(p * n, 2 + n)];
    const [pa, pb, out] = [put(A), put(B), alloc(m * n * 8)];
    const work = alloc(x.productWorkspaceBytes(m, n, p) >>> 0);
    new Float64Array(x.memory.buffer, out, m * n).fill(NaN); // must be overwritten, not added to
    expect(x.multiply(pa, pb, m, p, n, out, work)).toBe(0);
    expect(Array.from(get(out, m * n))).toEqual(Array.from(reference(m, n, p, (i, q) => A[i * p + q], (q, j) => B[q * n + j])));
  });

  test("multiplyTransposed: U·Vᵀ", () => {
    const { x, alloc, put, get } = kernel();
    const [U, V] = [random(m * p, 3 + m), random(n * p, 4 + n)];
    const [pu, pv, out] = [put(U), put(V), alloc(m * n * 8)];
    const work = alloc(x.productWorkspaceBytes(m, n, p) >>> 0);
    expect(x.multiplyTransposed(pu, pv, m, n, p, out, work)).toBe(0);
    expect(Array.from(get(out, m * n))).toEqual(Array.from(reference(m, n, p, (i, q) => U[i * p + q], (q, j) => V[j * p + q])));
  });

  test("multiplyTransposedLeft: Aᵀ·B", () => {
    // A is depth×m (stored), B depth×n: out (m×n) = Aᵀ B.
    const { x, alloc, put, get } = kernel();
    const [A, B] = [random(p * m, 5 + m), random(p * n, 6 + n)];
    const [pa, pb, out] = [put(A), put(B), alloc(m * n * 8)];
    const work = alloc(x.productWorkspaceBytes(m, n, p) >>> 0);
    expect(x.multiplyTransposedLeft(pa, pb, p, m, n, out, work)).toBe(0);
    expect(Array.from(get(out, m * n))).toEqual(Array.from(reference(m, n, p, (i, q) => A[q * m + i], (q, j) => B[q * n + j])));
  });
});

test("a product refuses scratch that is too small or misaligned", () => {
  const { x, alloc } = kernel();
  const [pa, pb, out] = [alloc(64 * 8), alloc(64 * 8), alloc(64 * 8)];
  const work = alloc(x.productWorkspaceBytes(8, 8, 8) >>> 0);
  expect(x.multiply(pa, pb, 8, 8, 8, out, work + 8)).toBe(-7);
  expect(x.multiply(pa, pb, 8, 8, 8, out, x.memory.buffer.byteLength - 16)).toBe(-7);
  expect(x.multiply(pa, pb, 8, 8, 8, out, work)).toBe(0);
});
