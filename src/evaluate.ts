// Evaluation of a factorisation on held-out entries.
import { FactorisationError, describe } from "./errors.js";
import { type MatrixInput, shapeOf, toMatrix } from "./matrix.js";
import { checkCoordinates, copyInCoordinates, type Coordinates } from "./entries.js";
import { check, copyIn, f64, reserve, withKernel } from "./kernel.js";

/** Held-out entries for {@link rmse}: parallel arrays, 0-based. */
export type HeldOutEntries = Coordinates;

/**
 * Root-mean-square error of U Vᵀ on the given entries: √(Σ (value_t − U[row_t]·V[col_t])² / nnz),
 * the usual held-out metric of matrix completion. U is m×k, V n×k. Cost O(nnz·k).
 * @throws FactorisationError SHAPE for mismatched lengths, no entries or out-of-range indices,
 *   NON_FINITE for NaN/±Infinity.
 */
export function rmse(U: MatrixInput, V: MatrixInput, entries: HeldOutEntries): number {
  const u = toMatrix(U, "U");
  const v = toMatrix(V, "V");
  if (u.cols !== v.cols) {
    throw new FactorisationError("SHAPE", `U and V must have the same number of columns (the rank); got ${shapeOf(u)} and ${shapeOf(v)}`);
  }
  if (entries === null || typeof entries !== "object") {
    throw new FactorisationError("SHAPE", `entries must be an object { row, col, value }; got ${describe(entries)}`);
  }
  const coordinates = checkCoordinates(entries, u.rows, v.rows, " (rows of U)", " (rows of V)");
  const { nnz } = coordinates;
  const k = u.cols;
  return withKernel((kx) => {
    const [pr, pc, pv, pu, pvv, out] = reserve([nnz * 4, nnz * 4, nnz * 8, u.data.length * 8, v.data.length * 8, 8], `rmse (${nnz} entries)`);
    copyInCoordinates(coordinates, pr, pc, pv);
    copyIn(pu, u.data, "U", k);
    copyIn(pvv, v.data, "V", k);
    check("lossSparse", kx.lossSparse(pr, pc, pv, nnz, k, pu, pvv, out), { what: "rmse" });
    return Math.sqrt(f64(out, 1)[0] / nnz);
  });
}
