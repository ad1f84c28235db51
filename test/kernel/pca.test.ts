// PCA against numpy's SVD of the centred (and scaled) matrix with scikit-learn's conventions
// (test/fixtures/sparse-pca.json, made by scripts/reference/sparse_pca.py): dense exact to
// 1e-10, randomised on low-rank data to 1e-8, sparse input centred implicitly.
import { describe, expect, test } from "vitest";
import { FactorisationError, matrix, pca, type PcaResult, svd } from "../../src/index.js";
import { type PcaReference, fixture, maxAbsDiff, thrown } from "../helpers.js";

const cases = fixture("sparse-pca.json");

/** Largest difference relative to the largest reference magnitude, per field. */
function errors(p: PcaResult, ref: PcaReference) {
  const rel = (a: ArrayLike<number>, b: number[]) => maxAbsDiff(a, b) / Math.max(...b.map(Math.abs), Number.MIN_VALUE);
  return {
    components: rel(p.components.data, ref.components),
    scores: rel(p.scores.data, ref.scores),
    mean: rel(p.mean, ref.mean),
    scale: rel(p.scale, ref.std),
    singularValues: rel(p.singularValues, ref.singular_values),
    explainedVariance: rel(p.explainedVariance, ref.explained_variance),
    explainedVarianceRatio: rel(p.explainedVarianceRatio, ref.explained_variance_ratio),
  };
}

function expectClose(p: PcaResult, ref: PcaReference, tol: number) {
  for (const [field, error] of Object.entries(errors(p, ref))) expect(error, field).toBeLessThan(tol);
}

describe("dense 80×12 (means and scales over four decades, one constant column)", () => {
  const c = cases.pca_dense;
  const X = matrix(c.m, c.n, c.X);

  test("exact PCA equals numpy's centred SVD to 1e-10", () => {
    const p = pca(X);
    expect([p.components.rows, p.components.cols, p.scores.rows, p.scores.cols]).toEqual([12, 12, 80, 12]);
    expectClose(p, c.plain, 1e-10);
  });

  test("scale: unit sample variance per column (the constant column left at scale 1) equals numpy's", () => {
    const p = pca(X, { scale: true });
    expectClose(p, c.scaled, 1e-10);
    expect(p.scale[7]).toBe(1);
    // Correlation PCA: the ratios of all 12 components add up to 1, the variances to 11 (one column is constant).
    expect(p.explainedVarianceRatio.reduce((a, b) => a + b)).toBeCloseTo(1, 13);
    expect(p.explainedVariance.reduce((a, b) => a + b)).toBeCloseTo(11, 11);
  });

  test("nested rows give the same result; the input is not modified", () => {
    const copy = X.data.slice();
    const rows = Array.from({ length: c.m }, (_, i) => Array.from(X.data.subarray(i * c.n, (i + 1) * c.n)));
    expect(pca(rows, { k: 3 }).scores.data).toEqual(pca(X, { k: 3 }).scores.data);
    expect(X.data).toEqual(copy);
  });

  test("signs: every component's largest |entry| is positive, whatever the method", () => {
    for (const p of [pca(X, { k: 4 }), pca(X, { k: 4, method: "randomized", seed: 9, powerIterations: 8 })]) {
      for (let j = 0; j < 4; j++) {
        let best = 0;
        for (let i = 0; i < c.n; i++) if (Math.abs(p.components.data[i * 4 + j]) > Math.abs(best)) best = p.components.data[i * 4 + j];
        expect(best, `component ${j}`).toBeGreaterThan(0);
      }
    }
  });

  test("center false: the SVD of the raw matrix (like TruncatedSVD), variances about zero, mean all zeros", () => {
    const p = pca(X, { k: 3, center: false });
    const s = svd(X, { k: 3, vectors: "none" }).S;
    expect(maxAbsDiff(p.singularValues, s) / s[0]).toBeLessThan(1e-14);
    expect(Array.from(p.mean)).toEqual(new Array(c.n).fill(0));
    let squares = 0;
    for (const x of X.data) squares += x * x;
    for (let i = 0; i < 3; i++) {
      expect(p.explainedVariance[i]).toBeCloseTo((s[i] * s[i]) / (c.m - 1), 6);
      expect(p.explainedVarianceRatio[i] / ((s[i] * s[i]) / squares) - 1).toBeLessThan(1e-13);
    }
  });
});

describe("randomised PCA of a 200×30 matrix of rank 5 plus column means", () => {
  const c = cases.pca_lowrank;
  const X = matrix(c.m, c.n, c.X);

  test("equals numpy's centred SVD to 1e-8 (default settings), and the exact method to 1e-10", () => {
    for (const seed of [1, 2]) expectClose(pca(X, { k: 5, method: "randomized", seed }), c.plain, 1e-8);
    expectClose(pca(X, { k: 5 }), c.plain, 1e-10);
  });
});

describe("sparse 240×40 of rank 4 (coordinate list with duplicates), centred implicitly", () => {
  const c = cases.pca_sparse;

  test("equals numpy's PCA of the dense, centred matrix to 1e-8, plain and scaled", () => {
    expectClose(pca(c.entries, { k: 4, seed: 1 }), c.plain, 1e-8);
    expectClose(pca(c.entries, { k: 4, seed: 1, scale: true }), c.scaled, 1e-8);
  });

  test("equals the dense randomised PCA of the same matrix and seed to rounding", () => {
    const dense = matrix(c.m, c.n);
    for (let t = 0; t < c.entries.row.length; t++) dense.data[c.entries.row[t] * c.n + c.entries.col[t]] += c.entries.value[t];
    for (const scale of [false, true]) {
      const a = pca(c.entries, { k: 3, seed: 4, scale, powerIterations: 1 });
      const b = pca(dense, { k: 3, seed: 4, scale, powerIterations: 1, method: "randomized" });
      expect(maxAbsDiff(a.scores.data, b.scores.data) / b.singularValues[0]).toBeLessThan(1e-12);
      expect(maxAbsDiff(a.components.data, b.components.data)).toBeLessThan(1e-12);
      expect(maxAbsDiff(a.mean, b.mean)).toBeLessThan(1e-15);
    }
  });
});

describe("bad input", () => {
  const X = [[1, 2], [3, 5], [4, 4]];
  test.each([
    [X, { k: 1, scale: true, center: false }, "OPTION", "scale needs center: the standard deviations are taken about the column means"],
    [X, { method: "randomized" }, "OPTION", "method 'randomized' needs k (the number of components to keep)"],
    [X, { k: 1, seed: 1 }, "OPTION", "seed applies only to method 'randomized'"],
    [X, { k: 1, center: 1 }, "OPTION", "center must be a boolean; got 1"],
    [X, { k: 3 }, "RANK", "k must be an integer in [1, 2] for a 3×2 matrix; got 3"],
    [X, { k: 1, whiten: true }, "OPTION", "pca: unknown option 'whiten'; known options are k, center, scale, method, seed, oversample, powerIterations"],
    [[[1, 2, 3]], { k: 1 }, "SHAPE", "pca needs at least 2 samples (rows) to estimate variances; got 1×3"],
    [{ rows: 3, cols: 2, row: [0], col: [1], value: [2] }, { k: 1, method: "exact" }, "OPTION",
      "method 'exact' needs a dense matrix; sparse input has method 'randomized' only (densify the 3×2 matrix yourself for the exact PCA)"],
    [[[1, 2], [NaN, 1]], { k: 1 }, "NON_FINITE", "X[1][0] is NaN; every entry must be finite"],
  ])("%j %o → %s", (input, opts, code, message) => {
    const error = thrown(() => pca(input as never, opts as never)) as FactorisationError;
    expect(error).toBeInstanceOf(FactorisationError);
    expect([error.code, error.message]).toEqual([code, message]);
  });
});

