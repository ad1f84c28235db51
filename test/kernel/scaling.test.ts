// Matrices near the ends of the double range: the randomised SVD scales A into the safe range
// as the exact one does (dgesvd's dlascl step), and a singular value beyond the largest double
// is a typed error naming the scale — never an Infinity in S.
import { describe, expect, test } from "vitest";
import { FactorisationError, type Matrix, svd } from "../../src/index.js";
import { mat, thrown } from "../helpers.js";

/** m×n standard Gaussian entries (Box–Muller on a Park–Miller stream) times `scale`. */
function gaussian(m: number, n: number, scale: number, seed = 7): Matrix {
  let s = seed;
  const uniform = () => (s = (s * 48271) % 2147483647) / 2147483647;
  return mat(m, n, Array.from({ length: m * n }, () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()) * scale));
}

describe("randomised SVD at the ends of the double range", () => {
  test.each([[60, 40, 1e-310], [60, 40, 1e307], [120, 90, 1e-300]])("%i×%i Gaussian × %s: top values equal the exact ones to 1e-6·σ₁", (m, n, scale) => {
    const A = gaussian(m, n, scale);
    const exact = svd(A, { vectors: "none" }).S;
    expect(exact.every(Number.isFinite)).toBe(true);
    expect(exact[0]).toBeGreaterThan(0);
    // k = 3 with every remaining direction sampled (oversample to min(m, n)): the range is exact.
    for (const vectors of ["none", "thin"] as const) {
      const fast = svd(A, { k: 3, method: "randomized", seed: 1, vectors, oversample: n });
      for (let i = 0; i < 3; i++) expect(Math.abs(fast.S[i] - exact[i]), `${vectors} S[${i}]`).toBeLessThanOrEqual(1e-6 * exact[0]);
      if (vectors === "thin") {
        expect(fast.U!.data.every(Number.isFinite)).toBe(true);
        expect(fast.V!.data.every(Number.isFinite)).toBe(true);
      }
    }
    // With the default sampling (k + 10 of n directions, 2 power iterations) a flat Gaussian
    // spectrum is only approximated, but exactly as well as at scale 1.
    const sampled = svd(A, { k: 3, method: "randomized", seed: 1 }).S;
    const unit = svd(gaussian(m, n, 1), { k: 3, method: "randomized", seed: 1 }).S;
    for (let i = 0; i < 3; i++) expect(Math.abs(sampled[i] / scale - unit[i]), `sampled S[${i}]`).toBeLessThanOrEqual(1e-9 * unit[0]);
  });
});

describe("a singular value beyond the largest double", () => {
  const twoByTwo = mat(2, 2, [1e308, 1e308, 1e308, 1e308]); // σ₁ = 2e308
  const big = gaussian(100, 80, 1e307); // σ₁ ≈ (√100 + √80)·1e307 ≈ 1.9e308

  test.each([
    ["2×2 of 1e308, exact", () => svd(twoByTwo), /^svd: the largest singular value is about 2\^1024\.2 ≈ 2\.00e308, beyond the largest double \(1\.80e308\); scale A down by 2\^1 or more and multiply the singular values back$/],
    ["2×2 of 1e308, values only", () => svd(twoByTwo, { vectors: "none" }), /^svd: the largest singular value is about 2\^1024\.2 ≈ 2\.00e308/],
    ["2×2 of 1e308, randomised", () => svd(twoByTwo, { k: 1, method: "randomized", seed: 1 }), /^randomized svd: the largest singular value is about 2\^1024\.2 ≈ 2\.00e308/],
    ["100×80 Gaussian × 1e307, exact", () => svd(big, { vectors: "none" }), /^svd: the largest singular value is about 2\^1024\.\d ≈ 1\.\d\de308/],
    ["100×80 Gaussian × 1e307, randomised", () => svd(big, { k: 2, method: "randomized", seed: 3 }), /^randomized svd: the largest singular value is about 2\^1024\.\d ≈ 1\.\d\de308/],
  ])("%s: NON_FINITE naming the scale", (_name, call, message) => {
    const error = thrown(call);
    expect(error).toBeInstanceOf(FactorisationError);
    expect((error as FactorisationError).code).toBe("NON_FINITE");
    expect((error as Error).message).toMatch(message);
  });

  test("scaled down as the message says, the same matrix decomposes, and σ₁ = 2e308 / 2", () => {
    expect(svd(mat(2, 2, [5e307, 5e307, 5e307, 5e307]), { vectors: "none" }).S[0]).toBeCloseTo(1e308, -293);
    expect(svd(mat(2, 2, [5e307, 5e307, 5e307, 5e307]), { vectors: "none" }).S[0] / 1e308).toBeCloseTo(1, 14);
  });
});
