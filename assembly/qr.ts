// Householder QR on the kernel's transposed layout (LAPACK dgeqr2 / dorg2r / dorm2r; Golub & Van
// Loan 4th ed. §5.2.2, §5.1.6): the M×N matrix B is held as N contiguous rows of M doubles (row
// j = column j of B), so every reflector is a dot/axpy pass over contiguous rows. Used by the
// SVD's tall path (QR first, then Q applied to U) and by the randomised SVD's range finder.
import { STATUS_OK } from "./status";
import { makeReflector, reflectRows } from "./reflectors";
import { at, put, rowOf, scale } from "./vector";

/**
 * LAPACK dgeqr2 (Golub & Van Loan 4th ed. §5.2.2): Householder QR of the M×N matrix B held
 * transposed in bt (row j = column j of B, ld doubles apart). Afterwards row j holds R's
 * column j in positions 0..j and the reflector v_j (leading 1 implicit) after position j;
 * tau[j] = τ_j. Each reflector is one dot/axpy pass per remaining column.
 */
export function householderQr(bt: usize, ld: i32, rows: i32, cols: i32, tau: usize): void {
  for (let k = 0; k < cols; k++) {
    const diag = rowOf(bt, k, ld) + (<usize>k << 3);
    const len = rows - k;
    const t = makeReflector(diag, len);
    put(tau, k, t);
    if (t != 0 && k + 1 < cols) {
      const rkk = load<f64>(diag);
      store<f64>(diag, 1);
      reflectRows(rowOf(bt, k + 1, ld) + (<usize>k << 3), ld, cols - k - 1, diag, t, len);
      store<f64>(diag, rkk);
    }
  }
}

/** Copies R (the upper triangle of householderQr's output, N×N) into rt, zeros below it. */
export function extractR(bt: usize, ld: i32, cols: i32, rt: usize): void {
  for (let j = 0; j < cols; j++) {
    const to = rowOf(rt, j, cols);
    memory.copy(to, rowOf(bt, j, ld), (<usize>j + 1) << 3);
    memory.fill(to + ((<usize>j + 1) << 3), 0, <usize>(cols - j - 1) << 3);
  }
}

/**
 * LAPACK dorm2r (side 'R', applied to Uᵀ): U = Q·diag(U_R, I) for the QR path. On entry the
 * first N rows of ut (stride M) hold U_Rᵀ in their first N positions; the rows are widened
 * with zeros, rows N..rowsU−1 become identity rows, and then ut ← ut·H_{N−1}⋯H_0 with the
 * reflectors that householderQr left in bt (whose diagonal, R's, becomes the leading 1s).
 * About 4·rowsU·M·N flops, against 6 for forming Q and multiplying as dgesvd does.
 */
export function multiplyByQ(ut: usize, bigM: i32, rowsU: i32, bigN: i32, bt: usize, tau: usize): void {
  const tail = <usize>bigN << 3;
  for (let r = 0; r < bigN; r++) memory.fill(rowOf(ut, r, bigM) + tail, 0, <usize>(bigM - bigN) << 3);
  for (let r = bigN; r < rowsU; r++) {
    memory.fill(rowOf(ut, r, bigM), 0, <usize>bigM << 3);
    put(rowOf(ut, r, bigM), r, 1);
  }
  for (let k = bigN - 1; k >= 0; k--) {
    const v = rowOf(bt, k, bigM) + (<usize>k << 3);
    store<f64>(v, 1);
    reflectRows(ut + (<usize>k << 3), bigM, rowsU, v, at(tau, k), bigM - k);
  }
}

/**
 * LAPACK dorg2r (Golub & Van Loan 4th ed. §5.1.6, backward accumulation), on the
 * transposed layout: q holds `count` reflectors, reflector k in row k after position k (stride
 * ld, rows `len` long). Overwrites the first `rows` rows of q (rows ≥ count start as identity
 * rows) with the rows of Qᵀ = (H_0⋯H_{count−1})ᵀ, i.e. row k becomes column k of Q.
 * In place, because reflector k is read before its own row is overwritten.
 */
export function formOrthogonalFactor(q: usize, ld: i32, len: i32, rows: i32, count: i32, tau: usize): void {
  const rowBytes = <usize>len << 3;
  for (let r = count; r < rows; r++) {
    memory.fill(rowOf(q, r, ld), 0, rowBytes);
    put(rowOf(q, r, ld), r, 1);
  }
  for (let k = count - 1; k >= 0; k--) {
    const rk = rowOf(q, k, ld);
    const diag = rk + (<usize>k << 3);
    const t = at(tau, k);
    store<f64>(diag, 1);
    if (k + 1 < rows) reflectRows(rowOf(q, k + 1, ld) + (<usize>k << 3), ld, rows - k - 1, diag, t, len - k);
    scale(diag + 8, -t, len - k - 1);
    store<f64>(diag, 1 - t);
    memory.fill(rk, 0, <usize>k << 3);
  }
}

/**
 * Orthonormal basis of the columns of a tall M×N matrix Y (M ≥ N), in place: qt holds Yᵀ (N
 * rows of M doubles) on entry and Qᵀ on exit, where Y = QR is its Householder QR
 * (householderQr then formOrthogonalFactor); columns of a rank-deficient Y still give
 * orthonormal columns of Q. tau: N doubles of scratch. Cost 4N²(M − N/3).
 * Preconditions: 0 ≤ cols ≤ rows; qt and tau 8-byte aligned. Returns STATUS_OK, or −i when
 * argument i is out of range.
 */
export function orthonormalise(qt: usize, rows: i32, cols: i32, tau: usize): i32 {
  if ((qt & 7) != 0) return -1;
  if (rows < 0) return -2;
  if (cols < 0 || cols > rows) return -3;
  if ((tau & 7) != 0) return -4;
  householderQr(qt, rows, rows, cols, tau);
  formOrthogonalFactor(qt, rows, rows, cols, cols, tau);
  return STATUS_OK;
}
