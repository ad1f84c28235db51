// The explicit orthogonal factors of the bidiagonalisation (LAPACK dorgbr, Golub & Van Loan
// 4th ed. §5.4.8): Uᵀ from the left reflectors and Vᵀ from the right ones that bidiagonalise
// left in B, each formed in place by dorg2r (qr.ts) on the transposed layout.
import { formOrthogonalFactor } from "./qr";
import { put, rowOf } from "./vector";

/**
 * LAPACK dorgbr 'Q': the first `rowsU` rows of Uᵀ (stride ldu, `len` doubles each) from the
 * `cols` left reflectors that bidiagonalise left in b (stored rows `len` long).
 */
export function formU(b: usize, ld: i32, len: i32, cols: i32, ut: usize, ldu: i32, rowsU: i32, tauq: usize): void {
  for (let k = 0; k < cols; k++) {
    const o = (<usize>k + 1) << 3;
    memory.copy(rowOf(ut, k, ldu) + o, rowOf(b, k, ld) + o, <usize>(len - k - 1) << 3);
  }
  formOrthogonalFactor(ut, ldu, len, rowsU, cols, tauq);
}

/**
 * LAPACK dorgbr 'P': Vᵀ (N×N) from the right reflectors that bidiagonalise left in B's rows.
 * V = diag(1, P') where P' is the product of the N − 1 reflectors acting on coordinates 1..;
 * gathering reflector k into row k + 1 of vt makes that an (N−1)-sized dorg2r in place.
 */
export function formV(b: usize, ld: i32, cols: i32, vt: usize, taup: usize): void {
  for (let k = 0; k + 2 < cols; k++) {
    const to = rowOf(vt, k + 1, cols);
    const kOff = <usize>k << 3;
    for (let j = k + 2; j < cols; j++) put(to, j, load<f64>(rowOf(b, j, ld) + kOff));
  }
  memory.fill(vt, 0, <usize>cols << 3);
  put(vt, 0, 1);
  for (let r = 1; r < cols; r++) put(rowOf(vt, r, cols), 0, 0);
  if (cols > 1) formOrthogonalFactor(vt + ((<usize>cols + 1) << 3), cols, cols - 1, cols - 1, cols - 1, taup);
}
