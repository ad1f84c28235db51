// Householder QR on the kernel's transposed layout (LAPACK dgeqrf / dorgqr / dormqr, blocked
// over the unblocked dgeqr2 / dorg2r / dorm2r; Golub & Van Loan 4th ed. §5.2.2, §5.1.6, §5.2.3):
// the M×N matrix B is held as N contiguous rows of M doubles (row j = column j of B), so every
// reflector is a dot/axpy pass over contiguous rows, and every block of REFLECTOR_BLOCK
// reflectors is applied in compact WY form with two matrix products (block-reflectors.ts).
// Used by the SVD's tall path (QR first, then Q applied to U), by dorgbr (orthogonal.ts) and
// by the randomised SVD's range finder.
import { SMALL_BLOCKS } from "./constants";
import { STATUS_OK, inMemory } from "./status";
import { makeReflector, reflectRows } from "./reflectors";
import { REFLECTOR_BLOCK, applyStoredBlock, blockReflectorDoubles } from "./block-reflectors";
import { at, put, rowOf, scale } from "./vector";

/** dgeqrf's and dorgqr's crossover (ilaenv nx = 128): with fewer reflectors (or, in dgeqrf,
 *  for the last 128 columns) the unblocked routines run, since the trailing matrix is then
 *  small enough that forming T and W costs more than the matrix products save. dormqr has no
 *  crossover: any count above one block is blocked (LAPACK's rule). Debug-blocked: 5. */
const QR_BLOCKED_MIN: i32 = SMALL_BLOCKS ? 5 : 128;

/** Doubles of scratch for householderQr, formOrthogonalFactor and multiplyByQ when the
 *  reflectors are `len` long and act on at most `rows` rows (0 when nothing is blocked). */
export function qrWorkDoubles(rows: i32, len: i32): u64 {
  return blockReflectorDoubles(rows, len);
}

/**
 * LAPACK dgeqrf (Golub & Van Loan 4th ed. §5.2.3, block Householder QR): Householder QR of the
 * M×N matrix B (M ≥ N) held transposed in bt (row j = column j of B, ld doubles apart).
 * Afterwards row j holds R's column j in positions 0..j and the reflector v_j (leading 1
 * implicit) after position j; tau[j] = τ_j. Panels of REFLECTOR_BLOCK columns are reduced by
 * dgeqr2 and applied to the columns right of them as one block (Hᵀ·C: C's rows times H);
 * the last QR_BLOCKED_MIN columns, and matrices with fewer, by dgeqr2 alone.
 * work: qrWorkDoubles(cols, rows) doubles, 16-byte aligned.
 */
export function householderQr(bt: usize, ld: i32, rows: i32, cols: i32, tau: usize, work: usize): void {
  const nb = REFLECTOR_BLOCK;
  let k = 0;
  if (nb < cols && QR_BLOCKED_MIN < cols) {
    for (; k < cols - QR_BLOCKED_MIN; k += nb) {
      const panel = rowOf(bt, k, ld) + (<usize>k << 3);
      householderQrUnblocked(panel, ld, rows - k, nb, tau + (<usize>k << 3));
      applyStoredBlock(panel, ld, nb, rows - k, tau + (<usize>k << 3), rowOf(bt, k + nb, ld) + (<usize>k << 3), ld, cols - k - nb, false, work);
    }
  }
  householderQrUnblocked(rowOf(bt, k, ld) + (<usize>k << 3), ld, rows - k, cols - k, tau + (<usize>k << 3));
}

// LAPACK dgeqr2: householderQr's result one reflector at a time, each one dot/axpy pass per
// remaining column.
function householderQrUnblocked(bt: usize, ld: i32, rows: i32, cols: i32, tau: usize): void {
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
 * U = Q·diag(U_R, I) for the QR path. On entry the first N rows of ut (stride M) hold U_Rᵀ in
 * their first N positions; the rows are widened with zeros, rows N..rowsU−1 become identity
 * rows, and then applyQ multiplies them by Qᵀ with the reflectors householderQr left in bt.
 * About 4·rowsU·M·N flops, against 6 for forming Q and multiplying as dgesvd does.
 * work: qrWorkDoubles(rowsU, M) doubles, 16-byte aligned.
 */
export function multiplyByQ(ut: usize, bigM: i32, rowsU: i32, bigN: i32, bt: usize, tau: usize, work: usize): void {
  const tail = <usize>bigN << 3;
  for (let r = 0; r < bigN; r++) memory.fill(rowOf(ut, r, bigM) + tail, 0, <usize>(bigM - bigN) << 3);
  for (let r = bigN; r < rowsU; r++) {
    memory.fill(rowOf(ut, r, bigM), 0, <usize>bigM << 3);
    put(rowOf(ut, r, bigM), r, 1);
  }
  applyQ(ut, bigM, rowsU, bt, bigM, bigM, bigN, tau, work);
}

/**
 * LAPACK dormqr (side 'L', trans 'N', Golub & Van Loan 4th ed. §5.1.7) on the transposed
 * layout: X ← Q·X for Q = H_0⋯H_{count−1}, with X held as Xᵀ: the `rows` rows of xt (ldx
 * apart, `len` doubles each) become xt·Qᵀ = xt·H_{count−1}⋯H_0. Reflector k is stored in row k
 * of q (ldq apart) after position k, `len` long from position 0 (as householderQr and
 * bidiagonalise leave them), τ_k in tau; the diagonal of q is not read. Blocks of
 * REFLECTOR_BLOCK reflectors, last first, each one compact-WY application; a single block by
 * dorm2r. work: qrWorkDoubles(rows, len) doubles, 16-byte aligned (unused when count ≤
 * REFLECTOR_BLOCK).
 */
export function applyQ(xt: usize, ldx: i32, rows: i32, q: usize, ldq: i32, len: i32, count: i32, tau: usize, work: usize): void {
  const nb = REFLECTOR_BLOCK;
  if (count <= nb) {
    for (let k = count - 1; k >= 0; k--) reflectStoredRow(xt, ldx, rows, q, ldq, len, k, at(tau, k));
    return;
  }
  for (let k0 = ((count - 1) / nb) * nb; k0 >= 0; k0 -= nb) {
    const ib = min(nb, count - k0);
    const off = <usize>k0 << 3;
    applyStoredBlock(rowOf(q, k0, ldq) + off, ldq, ib, len - k0, tau + off, xt + off, ldx, rows, true, work);
  }
}

// Rows of xt ← rows·H_k for the reflector stored in row k of q after position k (dorm2r's step).
function reflectStoredRow(xt: usize, ldx: i32, rows: i32, q: usize, ldq: i32, len: i32, k: i32, tau: f64): void {
  const v = rowOf(q, k, ldq) + (<usize>k << 3);
  const kept = load<f64>(v);
  store<f64>(v, 1);
  reflectRows(xt + (<usize>k << 3), ldx, rows, v, tau, len - k);
  store<f64>(v, kept);
}

/**
 * LAPACK dorgqr (Golub & Van Loan 4th ed. §5.1.6–5.1.7, backward accumulation by blocks), on
 * the transposed layout: q holds `count` reflectors, reflector k in row k after position k
 * (stride ld, rows `len` long). Overwrites the first `rows` rows of q (rows ≥ count start as
 * identity rows) with the rows of Qᵀ = (H_0⋯H_{count−1})ᵀ, i.e. row k becomes column k of Q.
 * In place: the last block's rows (from the last multiple of REFLECTOR_BLOCK at least
 * QR_BLOCKED_MIN below count, and all rows ≥ count) by dorg2r; then each earlier block is
 * applied to the rows already formed (H·C: C's rows times Hᵀ) and its own rows formed by
 * dorg2r. work: qrWorkDoubles(rows, len) doubles, 16-byte aligned (unused when count ≤
 * QR_BLOCKED_MIN).
 */
export function formOrthogonalFactor(q: usize, ld: i32, len: i32, rows: i32, count: i32, tau: usize, work: usize): void {
  const nb = REFLECTOR_BLOCK;
  if (nb >= count || QR_BLOCKED_MIN >= count) {
    formOrthogonalFactorUnblocked(q, ld, len, rows, count, tau);
    return;
  }
  // dorgqr's kk: rows from kk on are formed unblocked, kk a multiple of nb.
  const kk = min(count, ((count - QR_BLOCKED_MIN - 1) / nb) * nb + nb);
  const kOff = <usize>kk << 3;
  formOrthogonalFactorUnblocked(rowOf(q, kk, ld) + kOff, ld, len - kk, rows - kk, count - kk, tau + kOff);
  for (let r = kk; r < rows; r++) memory.fill(rowOf(q, r, ld), 0, kOff);
  for (let k0 = kk - nb; k0 >= 0; k0 -= nb) {
    const off = <usize>k0 << 3;
    const block = rowOf(q, k0, ld) + off;
    applyStoredBlock(block, ld, nb, len - k0, tau + off, rowOf(q, k0 + nb, ld) + off, ld, rows - k0 - nb, true, work);
    formOrthogonalFactorUnblocked(block, ld, len - k0, nb, nb, tau + off);
    for (let r = k0; r < k0 + nb; r++) memory.fill(rowOf(q, r, ld), 0, off);
  }
}

// LAPACK dorg2r (backward accumulation, one reflector at a time): formOrthogonalFactor's result.
function formOrthogonalFactorUnblocked(q: usize, ld: i32, len: i32, rows: i32, count: i32, tau: usize): void {
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

/** Bytes of scratch that orthonormalise needs for a rows×cols Y (16-byte multiple); 0 for a
 *  negative argument. */
export function orthonormaliseWorkspaceBytes(rows: i32, cols: i32): usize {
  if (rows < 0 || cols < 0) return 0;
  return <usize>(qrWorkDoubles(max(rows, cols), rows) << 3);
}

/**
 * Orthonormal basis of the columns of a tall M×N matrix Y (M ≥ N), in place: qt holds Yᵀ (N
 * rows of M doubles) on entry and Qᵀ on exit, where Y = QR is its Householder QR
 * (householderQr then formOrthogonalFactor, blocked from 128 columns); columns of a
 * rank-deficient Y still give orthonormal columns of Q. tau: N doubles of scratch; work:
 * orthonormaliseWorkspaceBytes(rows, cols) bytes, 16-aligned. Cost 4N²(M − N/3).
 * Preconditions: 0 ≤ cols ≤ rows; qt and tau 8-byte aligned. Returns STATUS_OK, or −i when
 * argument i is out of range.
 */
export function orthonormalise(qt: usize, rows: i32, cols: i32, tau: usize, work: usize): i32 {
  if (rows < 0) return -2;
  if (cols < 0 || cols > rows) return -3;
  if (!inMemory(qt, (<u64>rows * <u64>cols) << 3)) return -1;
  if (!inMemory(tau, <u64>cols << 3)) return -4;
  if ((work & 15) != 0 || !inMemory(work, <u64>orthonormaliseWorkspaceBytes(rows, cols))) return -5;
  householderQr(qt, rows, rows, cols, tau, work);
  formOrthogonalFactor(qt, rows, rows, cols, cols, tau, work);
  return STATUS_OK;
}
