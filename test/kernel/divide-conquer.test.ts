// Divide and conquer for the bidiagonal's singular vectors (assembly/divide-conquer.ts,
// bidiagonal-merge.ts, secular.ts): svd with vectors takes it when min(m, n) ≥ 80 (DC_MIN_ORDER
// in assembly/svd.ts; ≥ 3 in the debug-blocked build, where the trees go down to 1×1 and 1×2
// leaves), so every case here is at least 128 on its short side unless it says otherwise. Oracles:
// the invariants (residual, orthogonality, order), spectra fixed by construction, the
// values-only path (the QR iteration), and mpmath for graded bidiagonals
// (test/fixtures/svd-graded.json, scripts/reference/graded_svd.py).
import { afterEach, describe, expect, test } from "vitest";
import { type Matrix, svd } from "../../src/index.js";
import { i32, reserve, withKernel } from "../../src/kernel.js";
import { fixture, mat } from "../helpers.js";
import { expectSorted, fro, orthogonalityError, residual, valuesAgree } from "../svd-checks.js";
import { testBuildName } from "../setup/kernel-builds.js";

const EPS = 2 ** -52;
/** The release build runs the 1000×1000 case; the others (scalar, −O0 debug) a 200×200: the
 *  merges are the same code, and the JS checks of a 1000×1000 take seconds. */
const LARGE = testBuildName() === "release" ? 1000 : 200;

// The debug builds count fallbacks to the QR iteration (a failed merge would otherwise pass
// unseen, since the fallback's result is valid too): none may happen in these tests.
afterEach(() => {
  if (!testBuildName().startsWith("debug")) return;
  const fallbacks = withKernel((kx) => {
    const [out] = reserve([8], "counts");
    (kx as unknown as { debugDivideConquerCounts(out: number): void }).debugDivideConquerCounts(out);
    return i32(out, 2)[1];
  });
  expect(fallbacks).toBe(0);
});

function uniform(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
}

/** The dense n×n upper bidiagonal with diagonal d and superdiagonal e. */
function bidiagonal(d: number[], e: number[]): Matrix {
  const n = d.length;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    A[i * n + i] = d[i];
    if (i + 1 < n) A[i * n + i + 1] = e[i];
  }
  return { rows: n, cols: n, data: A };
}

/** (I − 2uuᵀ) diag(s) (I − 2vvᵀ) for unit u, v from the seed: an n×n with singular values |s|,
 *  formed in O(n²). */
function withSpectrum(s: number[], seed: number): Matrix {
  const n = s.length;
  const rand = uniform(seed);
  const unit = () => {
    const x = Array.from({ length: n }, rand);
    const norm = Math.hypot(...x);
    return x.map((t) => t / norm);
  };
  const u = unit();
  const v = unit();
  // D − 2u(uᵀD) − 2(Dv)vᵀ + 4(uᵀDv) uvᵀ
  const uD = u.map((t, i) => t * s[i]);
  const Dv = v.map((t, i) => t * s[i]);
  const uDv = uD.reduce((acc, t, i) => acc + t * v[i], 0);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      A[i * n + j] = (i === j ? s[i] : 0) - 2 * u[i] * uD[j] - 2 * Dv[i] * v[j] + 4 * uDv * u[i] * v[j];
    }
  }
  return { rows: n, cols: n, data: A };
}

/**
 * ‖A − U diag(S) Vᵀ‖_F estimated in O(mn) from four Gaussian probes x (Box–Muller on a fixed
 * stream): ‖E x‖² has mean ‖E‖²_F, so √(Σ‖E xᵢ‖²/4) is within a few per cent of it for a
 * 1000×1000 (a χ² of 4000 degrees of freedom when E's energy is spread, as it is here).
 */
function probedResidual(A: Matrix, U: Matrix, S: Float64Array, V: Matrix): number {
  const { rows: m, cols: n } = A;
  const p = S.length;
  const rand = uniform(99);
  let sum = 0;
  for (let probe = 0; probe < 4; probe++) {
    const x = Array.from({ length: n }, () => Math.sqrt(-2 * Math.log((rand() + 1) / 2 || 1e-300)) * Math.cos(Math.PI * rand()));
    const vx = new Float64Array(p); // diag(S) Vᵀ x
    for (let j = 0; j < n; j++) for (let q = 0; q < p; q++) vx[q] += V.data[j * V.cols + q] * x[j];
    for (let q = 0; q < p; q++) vx[q] *= S[q];
    for (let i = 0; i < m; i++) {
      let ax = 0;
      let ux = 0;
      for (let j = 0; j < n; j++) ax += A.data[i * n + j] * x[j];
      for (let q = 0; q < p; q++) ux += U.data[i * U.cols + q] * vx[q];
      sum += (ax - ux) ** 2;
    }
  }
  return Math.sqrt(sum / 4);
}

/**
 * Thin and full vectors of A: shapes, order, residual ≤ 30·max(m, n)·ε·‖A‖_F (estimated by
 * probes when `probe`), ‖UᵀU − I‖ and ‖VᵀV − I‖ ≤ 30·max(m, n)·ε, and values within 4 ulps
 * of σ₁ of the values-only path's. Returns the thin result.
 */
function expectValidSvd(A: Matrix, kinds: readonly ("thin" | "full")[] = ["thin", "full"], probe = false): { U: Matrix; S: Float64Array; V: Matrix } {
  const { rows: m, cols: n } = A;
  const p = Math.min(m, n);
  const tol = 30 * Math.max(m, n) * EPS;
  const values = svd(A, { vectors: "none" }).S;
  let thin: { U: Matrix; S: Float64Array; V: Matrix } | undefined;
  for (const vectors of kinds) {
    const r = svd(A, { vectors });
    const U = r.U!;
    const V = r.V!;
    expect([U.rows, U.cols, V.rows, V.cols]).toEqual(vectors === "thin" ? [m, p, n, p] : [m, m, n, n]);
    expectSorted(r.S);
    expect([...U.data, ...V.data].every(Number.isFinite)).toBe(true);
    expect((probe ? probedResidual : residual)(A, U, r.S, V)).toBeLessThanOrEqual(tol * fro(A.data));
    expect(orthogonalityError(U)).toBeLessThanOrEqual(tol);
    expect(orthogonalityError(V)).toBeLessThanOrEqual(tol);
    for (let i = 0; i < p; i++) expect(Math.abs(r.S[i] - values[i])).toBeLessThanOrEqual(valuesAgree(m, n) * values[0]);
    if (vectors === "thin") thin = { U, S: r.S, V };
  }
  return thin ?? (svd(A) as { U: Matrix; S: Float64Array; V: Matrix });
}

describe("sizes around the crossover (QR iteration up to 79, divide and conquer from 80) and at the former one (128)", () => {
  const sizes = [79, 80, 81, 128];
  for (const n of sizes) {
    test.each([[n, n], [n + 5, n], [n, n + 5], [2 * n, n], [n, 2 * n]])(`%i×%i`, (m, c) => {
      expectValidSvd(mat(m, c, Array.from({ length: m * c }, uniform(m * 1009 + c))));
    });
  }
});

describe("many repeated singular values (deflation by rotation)", () => {
  test("the 150×150 identity: S = 1, U and V orthogonal", () => {
    const n = 150;
    const r = expectValidSvd(bidiagonal(Array(n).fill(1), Array(n - 1).fill(0)));
    for (const s of r.S) expect(s).toBe(1);
  });

  test(`${LARGE}×${LARGE} with three distinct values (3, 1, 10⁻³, each a third of the spectrum)`, () => {
    const design = Array.from({ length: LARGE }, (_, i) => [3, 1, 1e-3][i % 3]);
    const A = withSpectrum(design, 7);
    const r = expectValidSvd(A, ["thin"], true);
    const sorted = [...design].sort((a, b) => b - a);
    for (let i = 0; i < LARGE; i++) expect(Math.abs(r.S[i] - sorted[i])).toBeLessThanOrEqual(30 * LARGE * EPS * 3);
  });

  test("a 150×150 with 50 values repeated three times each, one of them zero", () => {
    const design = Array.from({ length: 150 }, (_, i) => Math.floor(i / 3) / 7);
    const r = expectValidSvd(withSpectrum(design, 11));
    const sorted = [...design].sort((a, b) => b - a);
    for (let i = 0; i < 150; i++) expect(Math.abs(r.S[i] - sorted[i])).toBeLessThanOrEqual(30 * 150 * EPS * sorted[0]);
  });
});

describe("clustered singular values (poles closer than the deflation tolerance, and just above it)", () => {
  test.each([
    ["one cluster 1 + i·10⁻¹³", (i: number) => 1 + i * 1e-13],
    ["clusters of width 10⁻¹⁰ at 1 and 10⁻⁵", (i: number) => (i % 2 ? 1 : 1e-5) * (1 + i * 1e-10)],
    ["gaps of 10⁻¹⁴ (≈ 64·ε·σ₁: both sides of the deflation tolerance)", (i: number) => 1 - i * 1e-14],
  ])("140×140, %s", (_, value) => {
    const design = Array.from({ length: 140 }, (_, i) => value(i));
    const r = expectValidSvd(withSpectrum(design, 5));
    const sorted = [...design].sort((a, b) => b - a);
    for (let i = 0; i < 140; i++) expect(Math.abs(r.S[i] - sorted[i])).toBeLessThanOrEqual(30 * 140 * EPS * sorted[0]);
  });
});

describe("zeros on the bidiagonal (an upper bidiagonal input is its own bidiagonalisation)", () => {
  test("150×150 with zero diagonal entries (every 7th) and zero superdiagonal entries (every 5th)", () => {
    const rand = uniform(3);
    const d = Array.from({ length: 150 }, (_, i) => (i % 7 === 3 ? 0 : rand()));
    const e = Array.from({ length: 149 }, (_, i) => (i % 5 === 2 ? 0 : rand()));
    const r = expectValidSvd(bidiagonal(d, e));
    expect(r.S[149]).toBeLessThanOrEqual(30 * 150 * EPS * r.S[0]); // a zero on the diagonal: singular
  });

  test("130×130 with a zero diagonal: the values are |e| and 0", () => {
    const rand = uniform(4);
    const e = Array.from({ length: 129 }, rand);
    const r = expectValidSvd(bidiagonal(Array(130).fill(0), e));
    const expected = [...e.map(Math.abs), 0].sort((a, b) => b - a);
    for (let i = 0; i < 130; i++) expect(Math.abs(r.S[i] - expected[i])).toBeLessThanOrEqual(4 * EPS * expected[0]);
  });

  test("the 130×130 zero matrix and a 200×150 with zero rows and columns", () => {
    const zero = expectValidSvd(mat(130, 130, new Float64Array(130 * 130)));
    expect(Array.from(zero.S)).toEqual(Array(130).fill(0));
    const rand = uniform(9);
    const A = Array.from({ length: 200 * 150 }, (_, i) => (Math.floor(i / 150) % 4 === 1 || i % 150 % 3 === 0 ? 0 : rand()));
    const r = expectValidSvd(mat(200, 150, A));
    expect(r.S[100]).toBeLessThanOrEqual(30 * 200 * EPS * r.S[0]); // 50 zero columns: rank ≤ 100
    expect(r.S[149]).toBeLessThanOrEqual(30 * 200 * EPS * r.S[0]);
  });
});

describe("rank deficiency, tiny and huge scales", () => {
  test.each([[200, 200, 5], [260, 130, 1], [130, 280, 30]])("%i×%i of rank %i", (m, n, rank) => {
    const rand = uniform(m + n + rank);
    const B = Array.from({ length: m * rank }, rand);
    const C = Array.from({ length: rank * n }, rand);
    const A = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let q = 0; q < rank; q++) for (let j = 0; j < n; j++) A[i * n + j] += B[i * rank + q] * C[q * n + j];
    const r = expectValidSvd(mat(m, n, A));
    for (let i = rank; i < Math.min(m, n); i++) expect(r.S[i]).toBeLessThanOrEqual(30 * Math.max(m, n) * EPS * r.S[0]);
  });

  test.each([1e-300, 1e-150, 1e150, 1e300])("170×130 random times %s: vectors valid, values scale exactly", (c) => {
    const A = Array.from({ length: 170 * 130 }, uniform(21));
    const unit = svd(mat(170, 130, A), { vectors: "none" }).S;
    const r = expectValidSvd(mat(170, 130, A.map((x) => x * c)));
    for (let i = 0; i < 130; i++) expect(Math.abs(r.S[i] / c - unit[i])).toBeLessThanOrEqual(30 * 170 * EPS * unit[0]);
  });
});

describe("graded bidiagonals keep the relative accuracy of their small values (mpmath; orders 30–160)", () => {
  const cases = fixture("svd-graded.json").cases as { name: string; n: number; d: number[]; e: number[]; S: number[] }[];
  // dbdsqr's relative accuracy holds down to its underflow floor: entries below
  // MAXITR·n²·SAFE_MIN (6n²·2⁻¹⁰²²) are set to zero, which column_graded_160 reaches (σ₁₅₈ = 7e-299).
  const floor = (n: number) => 6 * n * n * 2 ** -1022;
  for (const c of cases) {
    test(`${c.name}: every value to 2n ulps relative (above dbdsqr's underflow floor), for every job; vectors valid`, () => {
      const A = bidiagonal(c.d, c.e);
      const ulp = 2 ** -53;
      for (const vectors of ["none", "thin", "full"] as const) {
        const S = svd(A, { vectors }).S;
        for (let i = 0; i < c.n; i++) expect(Math.abs(S[i] - c.S[i])).toBeLessThanOrEqual(2 * c.n * ulp * c.S[i] + floor(c.n));
      }
      expectValidSvd(A, ["thin"]);
    });
  }
});
