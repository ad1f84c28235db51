// Randomised truncated SVD (Halko–Martinsson–Tropp 2011, Alg. 4.4) against the exact SVD.
import { describe, expect, test } from "vitest";
import { FactorisationError, type Matrix, reconstruct, reconstructionLoss, svd } from "../../src/index.js";
import { mat } from "../helpers.js";

function lcg(seed: number) {
  let s = seed;
  return () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
}

/** m×n: a rank-10 matrix B·C (entries O(1)) plus uniform noise of size `noise`. */
function rankTenPlusNoise(m: number, n: number, noise: number): Matrix {
  const rand = lcg(17);
  const B = mat(m, 10, Array.from({ length: m * 10 }, rand));
  const C = mat(n, 10, Array.from({ length: n * 10 }, rand));
  const A = reconstruct(B, C);
  for (let i = 0; i < A.data.length; i++) A.data[i] += noise * rand();
  return A;
}

const sq = (x: number) => x * x;
/** ‖A − U diag(S) Vᵀ‖_F. */
const error = (A: Matrix, r: { U?: Matrix; S: Float64Array; V?: Matrix }) => Math.sqrt(reconstructionLoss(A, reconstruct(r.U!, r.S, mat(r.S.length, r.S.length, identity(r.S.length))), r.V!));
const identity = (k: number) => Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0));

describe("2000×500 of rank 10 plus small noise", () => {
  const A = rankTenPlusNoise(2000, 500, 1e-3);
  const exact = svd(A, { k: 10 });
  const fast = svd(A, { k: 10, method: "randomized", seed: 1 });

  test("top-10 values within 1e-6 relative of the exact ones", () => {
    for (let i = 0; i < 10; i++) expect(Math.abs(fast.S[i] - exact.S[i]) / exact.S[i]).toBeLessThan(1e-6);
  });

  test("‖A − UₖΣₖVₖᵀ‖_F within 1.01× of the exact rank-10 error", () => {
    const best = error(A, exact);
    const ours = error(A, fast);
    // The exact rank-10 error is the norm of the discarded tail (Eckart–Young).
    const tail = Math.sqrt(svd(A, { vectors: "none" }).S.subarray(10).reduce((s, x) => s + sq(x), 0));
    expect(best).toBeCloseTo(tail, 8);
    expect(ours).toBeLessThanOrEqual(1.01 * best);
    expect(fast.U!.rows).toBe(2000);
    expect(fast.U!.cols).toBe(10);
    expect(fast.V!.rows).toBe(500);
  });

  test("same seed ⇒ same result; another seed agrees to the tolerance", () => {
    const again = svd(A, { k: 10, method: "randomized", seed: 1 });
    expect(again.S).toEqual(fast.S);
    expect(again.U!.data).toEqual(fast.U!.data);
    const other = svd(A, { k: 10, method: "randomized", seed: 2 });
    for (let i = 0; i < 10; i++) expect(Math.abs(other.S[i] - fast.S[i]) / fast.S[i]).toBeLessThan(1e-6);
  });
});

describe("options", () => {
  const A = rankTenPlusNoise(120, 80, 1e-2);

  test("values only, no power iterations, large oversampling capped at min(m, n)", () => {
    const values = svd(A, { k: 5, method: "randomized", seed: 3, vectors: "none" });
    expect(values.U).toBeUndefined();
    expect(values.S).toHaveLength(5);
    const exact = svd(A, { vectors: "none" }).S;
    for (let i = 0; i < 5; i++) expect(Math.abs(values.S[i] - exact[i]) / exact[i], `S[${i}]`).toBeLessThan(1e-6);
    const whole = svd(A, { k: 80, method: "randomized", seed: 3, oversample: 500, powerIterations: 0 });
    for (let i = 0; i < 80; i++) expect(Math.abs(whole.S[i] - exact[i])).toBeLessThan(1e-10 * exact[0]);
  });

  test.each([
    [{ method: "randomized" }, "method 'randomized' needs k (the number of singular triplets to keep)"],
    [{ k: 3, method: "randomized", vectors: "full" }, "method 'randomized' gives thin vectors only; use vectors 'thin' or 'none'"],
    [{ k: 3, seed: 1 }, "seed applies only to method 'randomized'"],
    [{ k: 3, method: "randomized", oversample: 0 }, "oversample must be an integer in [1, 10000]; got 0"],
    [{ k: 3, method: "randomized", powerIterations: -1 }, "powerIterations must be an integer in [0, 100]; got -1"],
    [{ k: 3, method: "fast" }, "method must be one of 'exact', 'randomized'; got \"fast\" (string)"],
  ])("%o → OPTION", (opts, message) => {
    expect(() => svd(A, opts as never)).toThrow(new FactorisationError("OPTION", message));
  });
});
