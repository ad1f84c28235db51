// Sparse truncated SVD: the compressed forms (assembly/sparse.ts) against a plain-JS sort, the
// randomised SVD of a coordinate list against scipy's svds (test/fixtures/sparse-pca.json, made by
// scripts/reference/sparse_pca.py) and against the dense path, the duplicate policy, and the
// dense path's results against the driver as it was before the range finder was shared.
import { describe, expect, test } from "vitest";
import { FactorisationError, type Matrix, matrix, type SparseEntries, svd } from "../../src/index.js";
import { check, copyIn, copyOut, copyOutValues, f64, i32, InfoBytes, reserve, withKernel } from "../../src/kernel.js";
import { decompose, reserveSvd } from "../../src/svd-exact.js";
import { fixture, maxAbsDiff, thrown } from "../helpers.js";
import { valuesAgree } from "../svd-checks.js";

const ref = fixture("sparse-pca.json").sparse_svd;
const entries: SparseEntries = ref.entries;
const { rows: m, cols: n } = entries;

/** The matrix a coordinate list stands for, duplicates summed: the oracle's reading (scipy's coo → csr). */
function densify(e: SparseEntries): Matrix {
  const A = matrix(e.rows, e.cols);
  for (let t = 0; t < e.row.length; t++) A.data[e.row[t] * e.cols + e.col[t]] += e.value[t];
  return A;
}

/** max over columns j of 1 − |a_j · b_j| for unit columns: 0 when the columns agree up to sign. */
function columnMismatch(a: Matrix, b: Matrix | number[], rows: number, k: number): number {
  const bd = Array.isArray(b) ? b : Array.from(b.data);
  let worst = 0;
  for (let j = 0; j < k; j++) {
    let d = 0;
    for (let i = 0; i < rows; i++) d += a.data[i * a.cols + j] * bd[i * k + j];
    worst = Math.max(worst, 1 - Math.abs(d));
  }
  return worst;
}

describe("compressed forms (the kernel's conversions against a plain sort)", () => {
  // A 4×5 list in scrambled order; (0, 1) and (1, 3) are listed twice each.
  const list = { row: [2, 0, 1, 3, 1, 0, 1, 2], col: [4, 1, 3, 0, 0, 1, 3, 2], value: [1, 2, 3, 4, 5, 6, 7, 8] };
  const rows = 4, cols = 5, nnz = list.row.length;

  test("coordinates → CSR keeps each row's given order; CSR → CSC sorts; duplicates summed in place", () => {
    withKernel((kx) => {
      const [r, c, v, ptr, idx, val, ptrT, idxT, valT] = reserve(
        [nnz * 4, nnz * 4, nnz * 8, (rows + 1) * 4, nnz * 4, nnz * 8, (cols + 1) * 4, nnz * 4, nnz * 8], "test");
      i32(r, nnz).set(list.row);
      i32(c, nnz).set(list.col);
      f64(v, nnz).set(list.value);
      expect(kx.compressCoordinates(r, c, v, nnz, rows, cols, ptr, idx, val)).toBe(0);
      // Plain oracle: the entries of each row in the given order.
      const byRow = Array.from({ length: rows }, (_, i) => list.row.flatMap((x, t) => (x === i ? [t] : [])));
      expect(Array.from(i32(ptr, rows + 1))).toEqual([0, ...byRow.map((_, i) => byRow.slice(0, i + 1).flat().length)]);
      expect(Array.from(i32(idx, nnz))).toEqual(byRow.flat().map((t) => list.col[t]));
      expect(Array.from(f64(val, nnz))).toEqual(byRow.flat().map((t) => list.value[t]));
      expect(kx.transposeCompressed(ptr, idx, val, rows, cols, ptrT, idxT, valT)).toBe(0);
      // Oracle: entries sorted by (column, row), stable.
      const order = [...Array(nnz).keys()].sort((a, b) => list.col[a] - list.col[b] || list.row[a] - list.row[b] || a - b);
      expect(Array.from(i32(idxT, nnz))).toEqual(order.map((t) => list.row[t]));
      expect(Array.from(f64(valT, nnz))).toEqual(order.map((t) => list.value[t]));
      expect(Array.from(i32(ptrT, cols + 1))).toEqual([0, 2, 4, 5, 7, 8]);
      // (0, 1) = 2 + 6 and (1, 3) = 3 + 7 become one entry each.
      expect(kx.sumDuplicates(ptrT, idxT, valT, cols)).toBe(nnz - 2);
      expect(Array.from(i32(ptrT, cols + 1))).toEqual([0, 2, 3, 4, 5, 6]);
      expect(Array.from(i32(idxT, 6))).toEqual([1, 3, 0, 2, 1, 2]);
      expect(Array.from(f64(valT, 6))).toEqual([5, 4, 8, 8, 10, 1]);
    });
  });

  test("an index out of range is refused (−1 rows, −2 columns) before it is used as an address", () => {
    withKernel((kx) => {
      const [r, c, v, ptr, idx, val] = reserve([8, 8, 16, 16, 8, 16], "test");
      i32(r, 2).set([0, 3]);
      i32(c, 2).set([0, 1]);
      expect(kx.compressCoordinates(r, c, v, 2, 3, 2, ptr, idx, val)).toBe(-1);
      i32(r, 2).set([0, 2]);
      i32(c, 2).set([-1, 1]);
      expect(kx.compressCoordinates(r, c, v, 2, 3, 2, ptr, idx, val)).toBe(-2);
      i32(c, 2).set([0, 1]);
      expect(kx.compressCoordinates(r, c, v, 2, 3, 2, ptr, idx, val)).toBe(0);
      expect(kx.transposeCompressed(ptr, idx, val, 3, 1, r, c, v)).toBe(-2); // column 1 ≥ cols = 1
    });
  });
});

describe("svd of a 300×200 coordinate list (5 % non-zero, 42 duplicates) against scipy's svds", () => {
  const k: number = ref.k;

  test("top-4 values within 1e-12 and vectors within 1e-10 of ARPACK's (enough power iterations)", () => {
    const r = svd(entries, { k, seed: 1, powerIterations: 8 });
    for (let i = 0; i < k; i++) expect(Math.abs(r.S[i] - ref.S[i]) / ref.S[0], `S[${i}]`).toBeLessThan(1e-12);
    expect(columnMismatch(r.U!, ref.U, m, k)).toBeLessThan(1e-10);
    expect(columnMismatch(r.V!, ref.V, n, k)).toBeLessThan(1e-10);
    expect([r.U!.rows, r.U!.cols, r.V!.rows, r.V!.cols]).toEqual([m, k, n, k]);
  });

  test("default settings (q = 2): every value a lower bound of the true one (Rayleigh–Ritz), within 1e-4", () => {
    // σ₁₅/σ₄ ≈ 0.4 here, so two power iterations leave relative errors of 1e-7 … 1e-4 (measured over seeds 1–3).
    for (const seed of [1, 2, 3]) {
      const r = svd(entries, { k, seed });
      for (let i = 0; i < k; i++) {
        expect(r.S[i], `seed ${seed}, S[${i}]`).toBeLessThanOrEqual(ref.S[i] * (1 + 1e-14));
        expect((ref.S[i] - r.S[i]) / ref.S[i], `seed ${seed}, S[${i}]`).toBeLessThan(1e-4);
      }
    }
  });

  test("equals the dense randomised SVD of the same matrix and seed to rounding (other summation order)", () => {
    const A = densify(entries);
    for (const opts of [{ k, seed: 3 }, { k: 10, seed: 4, powerIterations: 0, oversample: 5 }]) {
      const dense = svd(A, { ...opts, method: "randomized" });
      const sparse = svd(entries, opts);
      expect(maxAbsDiff(sparse.S, dense.S) / dense.S[0]).toBeLessThan(1e-13);
      expect(maxAbsDiff(sparse.U!.data, dense.U!.data)).toBeLessThan(1e-10);
      expect(maxAbsDiff(sparse.V!.data, dense.V!.data)).toBeLessThan(1e-10);
    }
  });

  test("duplicates add up: the list with duplicates and its summed form give the same SVD", () => {
    const sums = new Map<number, number>();
    for (let t = 0; t < entries.row.length; t++) {
      const key = entries.row[t] * n + entries.col[t];
      sums.set(key, (sums.get(key) ?? 0) + entries.value[t]);
    }
    expect(sums.size).toBe(ref.nnz_summed); // scipy keeps the +x / −x pair as an explicit zero, as this does
    const keys = [...sums.keys()];
    const summed = { rows: m, cols: n, row: keys.map((x) => Math.floor(x / n)), col: keys.map((x) => x % n), value: keys.map((x) => sums.get(x)!) };
    const a = svd(entries, { k, seed: 5 });
    const b = svd(summed, { k, seed: 5 });
    expect(maxAbsDiff(a.S, b.S) / b.S[0]).toBeLessThan(1e-13);
    expect(maxAbsDiff(a.U!.data, b.U!.data)).toBeLessThan(1e-10);
    // Dropping the largest entry (the +1.5 of the pair that sums to 0) changes the matrix, and the result shows it.
    const big = entries.value.indexOf(1.5);
    const keep = (x: ArrayLike<number>) => Array.from(x).filter((_, t) => t !== big);
    const dropped = { rows: m, cols: n, row: keep(entries.row), col: keep(entries.col), value: keep(entries.value) };
    expect(maxAbsDiff(svd(dropped, { k, seed: 5 }).S, b.S)).toBeGreaterThan(1e-3);
  });

  test("values only; same seed ⇒ same bits; entries near underflow scaled like the dense path", () => {
    const values = svd(entries, { k, seed: 2, vectors: "none" });
    expect(values.U).toBeUndefined();
    // The same sketch; its small SVD's values by dqds (values only) or the QR iteration (thin).
    const thin = svd(entries, { k, seed: 2 }).S;
    for (let i = 0; i < k; i++) expect(Math.abs(values.S[i] - thin[i])).toBeLessThanOrEqual(valuesAgree(300, 200) * thin[0]);
    // Entries below dgesvd's small-number threshold (6.7e-139) are scaled up by a power of two before
    // the products and the values scaled back, both exactly: the same values times 2^-900, bit for bit.
    const tiny = { ...entries, value: entries.value.map((x: number) => x * 2 ** -900) };
    expect(svd(tiny, { k, seed: 2, vectors: "none" }).S).toEqual(values.S.map((x) => x * 2 ** -900));
  });
});

describe("bad input", () => {
  test.each([
    [{ k: 2, method: "exact" }, "OPTION", "method 'exact' needs a dense matrix; sparse input has method 'randomized' only (densify the 300×200 matrix yourself for the exact SVD)"],
    [{}, "OPTION", "sparse input needs k (the number of singular triplets to keep)"],
    [{ k: 2, vectors: "full" }, "OPTION", "sparse input gives thin vectors only; use vectors 'thin' or 'none'"],
    [{ k: 201 }, "RANK", "k must be an integer in [1, 200] for a 300×200 matrix; got 201"],
    [{ k: 2, oversample: 0 }, "OPTION", "oversample must be an integer in [1, 10000]; got 0"],
    [{ k: 2, tol: 1 }, "OPTION", "svd: unknown option 'tol'; known options are k, vectors, method, seed, oversample, powerIterations"],
  ])("%o → %s", (opts, code, message) => {
    expect(() => svd(entries, opts as never)).toThrow(new FactorisationError(code as never, message));
  });

  test("coordinates are checked as sgdFactoriseSparse checks them", () => {
    const base = { rows: 3, cols: 2, row: [0, 2], col: [1, 0], value: [1, 2] };
    const cases: [unknown, string, string][] = [
      [{ ...base, row: [0, 3] }, "SHAPE", "entries.row[1] must be an integer in [0, 2]; got 3"],
      [{ ...base, col: [0] }, "SHAPE", "entries.row, entries.col and entries.value must have the same length; got 2, 1 and 2"],
      [{ ...base, value: [1, NaN] }, "NON_FINITE", "entries.value[1] is NaN; every entry must be finite"],
      [{ ...base, rows: 0 }, "SHAPE", "entries.rows must be a positive integer; got 0"],
    ];
    for (const [input, code, message] of cases) {
      const error = thrown(() => svd(input as SparseEntries, { k: 1 })) as FactorisationError;
      expect(error).toBeInstanceOf(FactorisationError);
      expect([error.code, error.message]).toEqual([code, message]);
    }
  });
});

describe("the dense randomised path is unchanged by the shared range finder", () => {
  /** The dense driver as it was before (commit 24068aa), transcribed over the same kernel exports. */
  function previousDriver(A: Matrix, k: number, seed: number, oversample: number, q: number) {
    const { rows: M, cols: N } = A;
    const l = Math.min(k + oversample, M, N);
    const what = "previous";
    return withKernel((kx) => {
      const workBytes = Math.max(kx.productWorkspaceBytes(l, M, N) >>> 0, kx.productWorkspaceBytes(l, N, M) >>> 0,
        kx.productWorkspaceBytes(M, l, l) >>> 0, kx.orthonormaliseWorkspaceBytes(Math.max(M, N), l) >>> 0);
      const [pa, zt, yt, tau, factor, scaleInfo, pu, work] = reserve([M * N * 8, l * N * 8, l * M * 8, l * 8, 8, InfoBytes.SVD, M * l * 8, workBytes], what);
      copyIn(pa, A.data, "A", N);
      check("scaleToSafeRange", kx.scaleToSafeRange(pa, M * N, factor), { what });
      const orth = (basis: number, rows: number) => check("orthonormalise", kx.orthonormalise(basis, rows, l, tau, work), { what });
      check("fillNormal", kx.fillNormal(zt, l * N, seed), { what });
      check("multiplyTransposed", kx.multiplyTransposed(zt, pa, l, M, N, yt, work), { what });
      orth(yt, M);
      for (let i = 0; i < q; i++) {
        check("multiply", kx.multiply(yt, pa, l, M, N, zt, work), { what });
        orth(zt, N);
        check("multiplyTransposed", kx.multiplyTransposed(zt, pa, l, M, N, yt, work), { what });
        orth(yt, M);
      }
      const small = reserveSvd(kx, l, N, 1, what);
      check("multiply", kx.multiply(yt, pa, l, M, N, small.a, work), { what });
      decompose(kx, small, l, N, 1, what);
      check("unscaleSingularValues", kx.unscaleSingularValues(small.s, l, f64(factor, 1)[0], scaleInfo), { what, svdInfo: scaleInfo });
      check("multiplyTransposedLeft", kx.multiplyTransposedLeft(yt, small.u, l, M, l, pu, work), { what });
      return { U: copyOut(pu, M, l, k), S: copyOutValues(small.s, k), V: copyOut(small.v, N, l, k) };
    });
  }

  test.each([
    [300, 120, 7, 1, {}],
    [50, 400, 12, 1, { powerIterations: 0 }],
    [60, 40, 5, 1e-310, { oversample: 3 }],
    [60, 40, 5, 1e300, {}],
  ])("%i×%i, k %i, entries × %d, %o: bit for bit", (rows, cols, k, scale, opts: { oversample?: number; powerIterations?: number }) => {
    let s = 11;
    const A = matrix(rows, cols, Array.from({ length: rows * cols }, () => ((s = (s * 48271) % 2147483647) / 2147483647 - 0.5) * scale));
    const now = svd(A, { k, method: "randomized", seed: 5, ...opts });
    const before = previousDriver(A, k, 5, opts.oversample ?? 10, opts.powerIterations ?? 2);
    expect(now.S).toEqual(before.S);
    expect(now.U!.data).toEqual(before.U.data);
    expect(now.V!.data).toEqual(before.V.data);
  });
});
