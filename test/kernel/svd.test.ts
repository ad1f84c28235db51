// The SVD against LAPACK (test/fixtures/svd-cases.json: 26 matrices of every awkward kind),
// property tests over random shapes, and the lab's exercise 2.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type Matrix, reconstruct, reconstructionLoss, svd, svdFactorise } from "../../src/index.js";
import { fixture, mat } from "../helpers.js";
import { expectSorted, fro, orthogonalityError, residual, valuesAgree } from "../svd-checks.js";

const EPS = 2 ** -52;
const cases: any[] = fixture("svd-cases.json").cases;
const lab = fixture("seed-cases.json");

const noNaN = (M?: Matrix | Float64Array) => {
  const data = M instanceof Float64Array ? M : M!.data;
  expect(data.every(Number.isFinite)).toBe(true);
};

/**
 * Accuracy of svd on one oracle case as ratios error / allowed (allowed = 30·max(m, n)·ε times
 * σ₁ for values, ‖A‖_F for the residual, 1 for orthogonality), worst over values-only, thin and
 * full; also checks the shapes, order and finiteness of every result.
 */
function oracleRatios(c: any): { values: number; residual: number; orthogonality: number } {
  const A = mat(c.m, c.n, c.A);
  const scale = 30 * Math.max(c.m, c.n) * EPS;
  const s1 = c.S[0];
  const p = Math.min(c.m, c.n);
  const ratios = { values: 0, residual: 0, orthogonality: 0 };
  const values = svd(A, { vectors: "none" });
  expect(values.U).toBeUndefined();
  expect(values.S).toHaveLength(p);
  expectSorted(values.S);
  for (let i = 0; i < p; i++) {
    const error = Math.abs(values.S[i] - c.S[i]);
    ratios.values = Math.max(ratios.values, s1 === 0 ? (error === 0 ? 0 : Infinity) : error / (scale * s1));
  }
  for (const vectors of ["thin", "full"] as const) {
    const r = svd(A, { vectors });
    expect(r.U!.rows).toBe(c.m);
    expect(r.U!.cols).toBe(vectors === "thin" ? p : c.m);
    expect(r.V!.rows).toBe(c.n);
    expect(r.V!.cols).toBe(vectors === "thin" ? p : c.n);
    noNaN(r.U);
    noNaN(r.V);
    noNaN(r.S);
    for (let i = 0; i < p; i++) expect(Math.abs(r.S[i] - values.S[i])).toBeLessThanOrEqual(valuesAgree(c.m, c.n) * s1);
    const res = residual(A, r.U!, r.S, r.V!);
    ratios.residual = Math.max(ratios.residual, c.fro === 0 ? (res === 0 ? 0 : Infinity) : res / (scale * c.fro));
    ratios.orthogonality = Math.max(ratios.orthogonality, orthogonalityError(r.U!) / scale, orthogonalityError(r.V!) / scale);
  }
  return ratios;
}

describe("every LAPACK oracle case", () => {
  for (const c of cases) {
    test(`${c.name} (${c.m}×${c.n})`, () => {
      const ratios = oracleRatios(c);
      expect(ratios.values).toBeLessThanOrEqual(1);
      expect(ratios.residual).toBeLessThanOrEqual(1);
      expect(ratios.orthogonality).toBeLessThanOrEqual(1);
    });
  }

  test("over all cases the worst ratio keeps a 10× margin (errors ≤ 3·max(m, n)·ε, LAPACK's own level)", () => {
    const worst = { values: 0, residual: 0, orthogonality: 0 };
    for (const c of cases) {
      const ratios = oracleRatios(c);
      for (const key of ["values", "residual", "orthogonality"] as const) worst[key] = Math.max(worst[key], ratios[key]);
    }
    console.log(`worst ratio over the oracle cases: values ${worst.values.toFixed(3)}, residual ${worst.residual.toFixed(3)}, orthogonality ${worst.orthogonality.toFixed(3)}`);
    expect(Math.max(worst.values, worst.residual, worst.orthogonality)).toBeLessThan(0.1);
  });
});

describe("regression fixtures (test/fixtures/svd-regressions.json)", () => {
  // Subnormal singular values live on a grid of spacing 2^-1074: allow that much on top.
  const TINY = 2 ** -1074;
  for (const c of fixture("svd-regressions.json").cases) {
    test(c.name, () => {
      const A = mat(c.m, c.n, c.A);
      const p = Math.min(c.m, c.n);
      const tol = 30 * Math.max(c.m, c.n) * EPS;
      const r = svd(A, { vectors: "full" });
      expectSorted(r.S);
      noNaN(r.U);
      noNaN(r.V);
      for (let i = 0; i < p; i++) expect(Math.abs(r.S[i] - c.S[i])).toBeLessThanOrEqual(tol * c.S[0] + 8 * TINY);
      expect(residual(A, r.U!, r.S, r.V!)).toBeLessThanOrEqual(tol * fro(A.data) + p * TINY);
      expect(orthogonalityError(r.U!)).toBeLessThanOrEqual(tol);
      expect(orthogonalityError(r.V!)).toBeLessThanOrEqual(tol);
    });
  }
});

describe("values only (dqds): relative accuracy of every value", () => {
  // test/fixtures/dqds-bidiagonals.json (scripts/reference/graded_bidiagonals.py, mpmath):
  // bidiagonals graded from 1 down to 1e-300 in every order, near underflow and overflow, a zero
  // value, a split, a cluster. Given as the dense matrix, whose Householder bidiagonalisation is
  // exact (every reflector is the identity), so the values-only path sees the bidiagonal itself.
  const TINY = 4 * 2 ** -1074; // subnormal values: their grid spacing, a few times
  /** Worst relative error over the case, in ulps of each value (exact zeros must stay zero). */
  const worstUlps = (values: ArrayLike<number>, S: number[]) => {
    let worst = 0;
    for (let i = 0; i < S.length; i++) {
      if (S[i] === 0) worst = Math.max(worst, values[i] === 0 ? 0 : Infinity);
      else worst = Math.max(worst, Math.max(0, Math.abs(values[i] - S[i]) - TINY) / S[i] / EPS);
    }
    return worst;
  };
  for (const c of fixture("dqds-bidiagonals.json").cases) {
    test(`${c.name} (n = ${c.n}): every value to 8 ulps of itself (measured worst 3.4)`, () => {
      const A = mat(c.n, c.n, Array.from({ length: c.n * c.n }, (_, k) => {
        const i = Math.floor(k / c.n);
        const j = k % c.n;
        return j === i ? c.d[i] : j === i + 1 ? c.e[i] : 0;
      }));
      const values = svd(A, { vectors: "none" }).S;
      expectSorted(values);
      expect(worstUlps(values, c.S)).toBeLessThanOrEqual(8);
    });
  }

  test("the regression fixtures, values only: within the normwise bound of the vector paths", () => {
    const TINY1 = 2 ** -1074;
    for (const c of fixture("svd-regressions.json").cases) {
      const values = svd(mat(c.m, c.n, c.A), { vectors: "none" }).S;
      expectSorted(values);
      const tol = 30 * Math.max(c.m, c.n) * EPS;
      for (let i = 0; i < values.length; i++) expect(Math.abs(values[i] - c.S[i])).toBeLessThanOrEqual(tol * c.S[0] + 8 * TINY1);
    }
  });
});

describe("property: random shapes up to 120×120", () => {
  // Tall, wide and square; a third of them rank-deficient by construction (B·C with inner r).
  const shape = fc.record({
    m: fc.integer({ min: 1, max: 120 }),
    n: fc.integer({ min: 1, max: 120 }),
    deficient: fc.boolean(),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  });

  test("reconstruction, orthogonality, sorted non-negative values, no NaN", () => {
    fc.assert(
      fc.property(shape, ({ m, n, deficient, seed }) => {
        let s = seed;
        const rand = () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
        let A: Matrix;
        if (deficient) {
          const r = 1 + (seed % Math.max(1, Math.min(m, n) - 1));
          A = reconstruct(mat(m, r, Array.from({ length: m * r }, rand)), mat(n, r, Array.from({ length: n * r }, rand)));
        } else {
          A = mat(m, n, Array.from({ length: m * n }, rand));
        }
        const scale = 30 * Math.max(m, n) * EPS;
        const r = svd(A);
        expectSorted(r.S);
        noNaN(r.U);
        noNaN(r.V);
        expect(residual(A, r.U!, r.S, r.V!)).toBeLessThanOrEqual(scale * fro(A.data));
        expect(orthogonalityError(r.U!)).toBeLessThanOrEqual(scale);
        expect(orthogonalityError(r.V!)).toBeLessThanOrEqual(scale);
        const values = svd(A, { vectors: "none" }).S;
        for (let i = 0; i < values.length; i++) expect(Math.abs(values[i] - r.S[i])).toBeLessThanOrEqual(valuesAgree(m, n) * r.S[0]);
      }),
      { numRuns: 60, seed: 424242 },
    );
  });
});

describe("the blocked bidiagonalisation (dgebrd panels, taken from 128 columns up)", () => {
  // Shapes past the crossover, so the panel code and the unblocked tail both run; rank
  // deficiency exercises zero reflectors inside a panel.
  test.each([[300, 260, false], [260, 300, false], [500, 200, false], [280, 280, true]])(
    "%i×%i (rank-deficient: %s): residual, orthogonality, values-only agreement",
    (m, n, deficient) => {
      let s = m * 7919 + n;
      const rand = () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
      const A = deficient
        ? reconstruct(mat(m, 40, Array.from({ length: m * 40 }, rand)), mat(n, 40, Array.from({ length: n * 40 }, rand)))
        : mat(m, n, Array.from({ length: m * n }, rand));
      const scale = 30 * Math.max(m, n) * EPS;
      const r = svd(A);
      expectSorted(r.S);
      expect(residual(A, r.U!, r.S, r.V!)).toBeLessThanOrEqual(scale * fro(A.data));
      expect(orthogonalityError(r.U!)).toBeLessThanOrEqual(scale);
      expect(orthogonalityError(r.V!)).toBeLessThanOrEqual(scale);
      const values = svd(A, { vectors: "none" }).S;
      for (let i = 0; i < values.length; i++) expect(Math.abs(values[i] - r.S[i])).toBeLessThanOrEqual(valuesAgree(m, n) * r.S[0]);
      if (deficient) expect(r.S[40]).toBeLessThanOrEqual(scale * r.S[0]);
    },
  );
});

describe("full vectors complete the bases", () => {
  test.each([[7, 3], [3, 7], [5, 5]])("%i×%i: U m×m and V n×n orthogonal", (m, n) => {
    const A = mat(m, n, Array.from({ length: m * n }, (_, i) => Math.sin(i * 0.7 + 1)));
    const r = svd(A, { vectors: "full" });
    expect(orthogonalityError(r.U!)).toBeLessThan(1e-14);
    expect(orthogonalityError(r.V!)).toBeLessThan(1e-14);
    expect(residual(A, r.U!, r.S, r.V!)).toBeLessThan(1e-13);
  });
});

describe("k keeps the top k", () => {
  test("values and vectors are the leading ones of the full decomposition", () => {
    const A = mat(9, 6, Array.from({ length: 54 }, (_, i) => Math.cos(i * 1.3)));
    const all = svd(A);
    const top = svd(A, { k: 2 });
    expect(Array.from(top.S)).toEqual(Array.from(all.S.subarray(0, 2)));
    expect(top.U!.cols).toBe(2);
    expect(top.V!.cols).toBe(2);
    for (let i = 0; i < 9; i++) expect(top.U!.data[i * 2 + 1]).toBe(all.U!.data[i * 6 + 1]);
    // Eckart–Young: the rank-2 error is the sum of the discarded σ².
    const tail = Array.from(all.S.subarray(2)).reduce((s, x) => s + x * x, 0);
    expect(reconstructionLoss(A, reconstruct(top.U!, top.S, { rows: 2, cols: 2, data: new Float64Array([1, 0, 0, 1]) }), top.V!)).toBeCloseTo(tail, 12);
  });
});

describe("lab exercise 2: svdFactorise", () => {
  const A = mat(3, 3, lab.A);

  test("rank-2 loss is σ₃² = 0.12191079 (Eckart–Young), to 1e-9", () => {
    const { U, S, V } = svdFactorise(A, 2);
    expect(S.rows).toBe(3);
    expect(S.data[8]).toBe(0);
    const loss = reconstructionLoss(A, reconstruct(U, S, V), { rows: 3, cols: 3, data: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]) });
    expect(Math.abs(loss - lab.eckart_young.rank2.loss)).toBeLessThan(1e-9);
    expect(Math.abs(loss - 0.12191079)).toBeLessThan(1e-8);
  });

  test("singular values 5.33390, 0.69588, 0.34916 and vectors equal LAPACK's up to sign", () => {
    const { U, S, V } = svdFactorise(A, 3);
    expect([S.data[0], S.data[4], S.data[8]].map((x) => x.toFixed(5))).toEqual(["5.33390", "0.69588", "0.34916"]);
    for (let j = 0; j < 3; j++) {
      const sign = Math.sign(U.data[j]) * Math.sign(lab.svd.U[j]);
      for (let i = 0; i < 3; i++) {
        expect(U.data[i * 3 + j] * sign).toBeCloseTo(lab.svd.U[i * 3 + j], 12);
        expect(V.data[i * 3 + j] * sign).toBeCloseTo(lab.svd.V[i * 3 + j], 12);
      }
    }
  });

  test("vectors 'none' gives the thin values to a few ulps of σ₁ (dqds against the QR iteration)", () => {
    const values = svd(A, { vectors: "none" }).S;
    const thin = svd(A).S;
    for (let i = 0; i < 3; i++) expect(Math.abs(values[i] - thin[i])).toBeLessThanOrEqual(valuesAgree(3, 3) * thin[0]);
  });

  test("no SGD start beats it (SVD ≤ SGD loss)", () => {
    const { U, S, V } = svdFactorise(A, 2);
    const svdLoss = reconstructionLoss(A, reconstruct(U, S, V), mat(3, 3, [1, 0, 0, 0, 1, 0, 0, 0, 1]));
    expect(svdLoss).toBeLessThanOrEqual(lab.simulation.plain_loss.min);
  });
});
