// Embedding: the project's kernel build driven through its raw exports alone (SGD and SVD), as a
// non-JS host would (docs/abi.md), with nothing from src/ — instantiate with {}, lay buffers out
// from heapBase().
import { describe, expect, test } from "vitest";
import { ABI_VERSION, KERNEL_FUNCTION_NAMES } from "../../src/kernel.js";
import { fixture, rawKernel } from "../helpers.js";
import { testBuildBytes } from "../setup/kernel-builds.js";

const lab = fixture("seed-cases.json");

async function host() {
  return rawKernel(testBuildBytes());
}

describe("the raw ABI", () => {
  test("instantiates with no imports and reports its ABI version, status codes and info sizes", async () => {
    const { x } = await host();
    expect(x.ABI_VERSION.value).toBe(3);
    expect(ABI_VERSION).toBe(x.ABI_VERSION.value);
    // The codes docs/abi.md documents.
    expect([x.STATUS_OK, x.STATUS_DIVERGED, x.STATUS_NO_CONVERGENCE, x.STATUS_NON_FINITE, x.STATUS_OVERFLOW].map((g) => g.value))
      .toEqual([0, 1, 2, 3, 4]);
    expect(x.SGD_INFO_BYTES.value).toBe(24);
    expect(x.SVD_INFO_BYTES.value).toBe(16);
    expect(x.heapBase() % 16).toBe(0);
  });

  test("exports every function the wrapper declares (KernelFunctions)", async () => {
    const { x } = await host();
    const functions = Object.keys(x).filter((name) => typeof x[name] === "function");
    for (const name of KERNEL_FUNCTION_NAMES) expect(functions).toContain(name);
  });

  test("refuses bad arguments with −i, LAPACK's convention, in every build, and touches nothing", async () => {
    const { x, alloc, f64 } = await host();
    const a = alloc(9 * 8);
    const s = alloc(3 * 8);
    const w = alloc(x.svdWorkspaceBytes(3, 3, 0) >>> 0);
    const info = alloc(16);
    f64(a, 9).set(lab.A);
    const end = x.memory.buffer.byteLength;
    expect(x.svdDecompose(a, -1, 3, 0, s, 0, 0, w, info)).toBe(-2);
    expect(x.svdDecompose(a, 3, 3, 3, s, 0, 0, w, info)).toBe(-4);
    expect(x.svdDecompose(end - 8, 3, 3, 0, s, 0, 0, w, info)).toBe(-1); // A past the end of memory
    expect(x.svdDecompose(a + 4, 3, 3, 0, s, 0, 0, w, info)).toBe(-1); // misaligned
    expect(x.svdDecompose(a, 3, 3, 0, s, 0, 0, w + 8, info)).toBe(-8); // workspace not 16-aligned
    expect(x.sgdDense(a, 3, 3, 0, s, s, 1, 0.01, 0, 0, 0, info)).toBe(-4); // k = 0
    expect(x.sgdDense(a, 3, 3, 1, s, s, 1, -0.01, 0, 0, 0, info)).toBe(-8); // lr < 0
    expect(x.fillUniform(s, 3, 0.5)).toBe(-3); // seed not an integer
    expect(x.orthonormalise(a, 2, 3, s)).toBe(-3); // more columns than rows
    expect(x.firstNonFinite(a, -1)).toBe(-2);
    expect(Array.from(f64(a, 9))).toEqual(lab.A);
  });

  test("reproduces a fixture SGD run: fill buffers, sgdDense, read U, V and the info block", async () => {
    const { x, alloc, f64 } = await host();
    const run = lab.runs[0];
    const a = alloc(9 * 8);
    const u = alloc(6 * 8);
    const v = alloc(6 * 8);
    const history = alloc(1001 * 8);
    const info = alloc(24);
    f64(a, 9).set(lab.A);
    f64(u, 6).set(run.U0);
    f64(v, 6).set(run.V0);
    const status = x.sgdDense(a, 3, 3, 2, u, v, 1000, 0.01, 0, 0, history, info);
    expect(status).toBe(0);
    expect(Array.from(f64(info, 3))).toEqual([1000, 0, f64(history, 1001)[1000]]);
    f64(u, 6).forEach((value, i) => expect(value).toBeCloseTo(run.U[i], 9));
    f64(v, 6).forEach((value, i) => expect(value).toBeCloseTo(run.V[i], 9));
    expect(f64(history, 1001)[1000]).toBeCloseTo(run.loss_full, 9);
  });

  test("runs the lab's SVD: svdWorkspaceBytes, svdDecompose, then S, U, V from memory", async () => {
    const { x, alloc, f64 } = await host();
    const work = x.svdWorkspaceBytes(3, 3, 1) >>> 0;
    expect(work % 16).toBe(0);
    const a = alloc(9 * 8);
    const s = alloc(3 * 8);
    const u = alloc(9 * 8);
    const v = alloc(9 * 8);
    const w = alloc(work);
    f64(a, 9).set(lab.A);
    const info = alloc(x.SVD_INFO_BYTES.value);
    expect(x.svdDecompose(a, 3, 3, 1, s, u, v, w, info)).toBe(0);
    const S = Array.from(f64(s, 3));
    S.forEach((value, i) => expect(value).toBeCloseTo(lab.S[i], 14));
    // A = U diag(S) Vᵀ, row-major U and V with 3 columns each.
    const U = f64(u, 9);
    const V = f64(v, 9);
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = 0; j < 3; j++) sum += U[r * 3 + j] * S[j] * V[c * 3 + j];
        expect(sum).toBeCloseTo(lab.A[r * 3 + c], 13);
      }
    }
    // Values only (job 0) needs less workspace and gives the same values up to a few ulps of
    // σ₁ (dqds instead of the QR iteration; test/kernel/svd.test.ts states the bound).
    expect(x.svdWorkspaceBytes(3, 3, 0) >>> 0).toBeLessThan(work);
    f64(a, 9).set(lab.A);
    expect(x.svdDecompose(a, 3, 3, 0, s, 0, 0, w, info)).toBe(0);
    f64(s, 3).forEach((value, i) => expect(Math.abs(value - S[i])).toBeLessThanOrEqual(8 * 2 ** -52 * S[0]));
  });

  test("reports divergence through the status and the info block", async () => {
    const { x, alloc, f64 } = await host();
    const a = alloc(9 * 8);
    const uv = alloc(12 * 8);
    const info = alloc(24);
    f64(a, 9).set(lab.A);
    x.fillUniform(uv, 12, 1);
    const status = x.sgdDense(a, 3, 3, 2, uv, uv + 48, 1000, 1, 0, 0, 0, info);
    expect(status).toBe(1);
    expect(f64(info, 3)[1]).toBeGreaterThanOrEqual(1);
  });
});
