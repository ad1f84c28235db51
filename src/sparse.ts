// Sparse input in wasm memory: a checked coordinate list compressed into CSR (assembly/sparse.ts),
// for PCA with duplicates summed and the columns standardised without forming the centred matrix
// (assembly/columns.ts), and the range finder's two products on it.
import { check, copyIn, f64, i32, type KernelExports, reserve, withKernel } from "./kernel.js";
import type { Coordinates } from "./entries.js";
import type { RangeOperator } from "./svd-randomized.js";

/** A checked coordinate list of an m×n matrix. */
export type CheckedEntries = Coordinates & { nnz: number; m: number; n: number };

/** PCA's column statistics of a sparse matrix: flags (1 centre, 2 scale) and where the results go. */
export interface SparseStatistics {
  flags: number;
  /** n doubles each, and one double for the total variance. */
  mean: number;
  std: number;
  total: number;
}

/**
 * Copies the coordinate list in and builds the CSR form the range finder multiplies by (inside
 * withKernel), scaled into the safe range. Duplicate coordinates add up (scipy's coo → csr
 * policy): the products sum every entry listed. For PCA (`stats`) they are summed into one
 * entry first — column statistics need each A[i][j] once — through the CSC (CSR → CSC with
 * rows sorted, duplicates summed, statistics and scaling per column, back to CSR), and the
 * centring shift (the scaled column means, n doubles) is kept right after the values so that
 * one safe-range scaling covers both (|mean| ≤ max |entry|). `l`: the samples of the sketch,
 * for the products' scratch. Memory: 16 bytes an entry for the coordinate list and, for PCA,
 * 12 more for the CSC, only while the CSR is built; then 12 bytes an entry plus 4·m + 8·n +
 * sparseWorkspaceBytes (≈ 8·(m + n)·l). Returns the operator and the safe-range factor.
 */
export function sparseOperator(kx: KernelExports, e: CheckedEntries, l: number, what: string, stats?: SparseStatistics): { op: RangeOperator; factor: number } {
  const { m, n, nnz } = e;
  const workBytes = kx.sparseWorkspaceBytes(l, m, n) >>> 0;
  const [ptr, idx, val, factor, work] = reserve(
    [(m + 1) * 4, nnz * 4, (nnz + (stats ? n : 0)) * 8, 8, workBytes || 2 ** 32],
    `${what} (${m}×${n}, ${nnz} entries)`,
  );
  // The coordinate list (and the CSC) live only while the CSR is built: the inner call gives
  // their space back.
  const count = withKernel(() => {
    const [cooRow, cooCol, cooVal] = reserve([nnz * 4, nnz * 4, nnz * 8], `${what}: ${nnz} entries`);
    i32(cooRow, nnz).set(e.row);
    i32(cooCol, nnz).set(e.col);
    copyIn(cooVal, e.value, "entries.value", 0);
    check("compressCoordinates", kx.compressCoordinates(cooRow, cooCol, cooVal, nnz, m, n, ptr, idx, val), { what });
    if (!stats) return nnz;
    const [colPtr, colIdx, colVal] = reserve([(n + 1) * 4, nnz * 4, nnz * 8], `${what}: ${nnz} entries`);
    check("transposeCompressed", kx.transposeCompressed(ptr, idx, val, m, n, colPtr, colIdx, colVal), { what });
    const summed = kx.sumDuplicates(colPtr, colIdx, colVal, n);
    if (summed < 0) check("sumDuplicates", summed, { what });
    check("standardiseCompressed", kx.standardiseCompressed(colPtr, colVal, n, m, stats.flags, stats.mean, stats.std, val + summed * 8, stats.total), { what });
    check("transposeCompressed", kx.transposeCompressed(colPtr, colIdx, colVal, n, m, ptr, idx, val), { what });
    return summed;
  });
  const shift = stats && (stats.flags & 1) !== 0 ? val + count * 8 : 0;
  check("scaleToSafeRange", kx.scaleToSafeRange(val, count + (shift ? n : 0), factor), { what });
  const op: RangeOperator = {
    times: (input, l, output) =>
      check("sparseMultiplyTransposed", kx.sparseMultiplyTransposed(input, l, ptr, idx, val, m, n, output, work, shift), { what }),
    transposeTimes: (input, l, output) =>
      check("sparseMultiply", kx.sparseMultiply(input, l, ptr, idx, val, m, n, output, work, shift), { what }),
  };
  return { op, factor: f64(factor, 1)[0] };
}
