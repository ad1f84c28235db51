// The orthogonal factors of the bidiagonalisation B = Q·bidiag(d, e)·Pᵀ (LAPACK dorgbr and
// dormbr, Golub & Van Loan 4th ed. §5.4.8): Uᵀ and Vᵀ formed from the left and right
// reflectors that bidiagonalise (bidiagonal.ts) leaves in B, by dorgqr (qr.ts, blocked
// compact WY) on the transposed layout; and Q or P applied to given vectors (dormbr), which a
// bidiagonal SVD that computes its own vectors uses: U = Q·[U_B; 0], V = P·V_B.
import { REFLECTOR_BLOCK, applyGatheredBlock } from "./block-reflectors";
import { applyQ, formOrthogonalFactor, qrWorkDoubles } from "./qr";
import { put, rowOf } from "./vector";

/** Doubles of scratch for formU, formV, applyBidiagonalQ and applyBidiagonalP on a bidiagonal
 *  of an M×N matrix (M = rowsW rows in the layout below) whose factors have at most `rows`
 *  rows (Uᵀ's rowsU, or N for Vᵀ). */
export function orthogonalWorkDoubles(rows: i32, rowsW: i32): u64 {
  return qrWorkDoubles(rows, rowsW);
}

/**
 * LAPACK dorgbr 'Q': the first `rowsU` rows of Uᵀ (stride ldu, `len` doubles each) from the
 * `cols` left reflectors that bidiagonalise left in b (stored rows `len` long).
 * work: orthogonalWorkDoubles(rowsU, len) doubles, 16-byte aligned.
 */
export function formU(b: usize, ld: i32, len: i32, cols: i32, ut: usize, ldu: i32, rowsU: i32, tauq: usize, work: usize): void {
  for (let k = 0; k < cols; k++) {
    const o = (<usize>k + 1) << 3;
    memory.copy(rowOf(ut, k, ldu) + o, rowOf(b, k, ld) + o, <usize>(len - k - 1) << 3);
  }
  formOrthogonalFactor(ut, ldu, len, rowsU, cols, tauq, work);
}

/**
 * LAPACK dorgbr 'P': Vᵀ (N×N) from the right reflectors that bidiagonalise left in B's rows.
 * V = diag(1, P') where P' is the product of the N − 1 reflectors acting on coordinates 1..;
 * gathering reflector k into row k + 1 of vt makes that an (N−1)-sized dorgqr in place.
 * work: orthogonalWorkDoubles(cols, cols) doubles, 16-byte aligned.
 */
export function formV(b: usize, ld: i32, cols: i32, vt: usize, taup: usize, work: usize): void {
  for (let k = 0; k + 2 < cols; k++) {
    const to = rowOf(vt, k + 1, cols);
    const kOff = <usize>k << 3;
    for (let j = k + 2; j < cols; j++) put(to, j, load<f64>(rowOf(b, j, ld) + kOff));
  }
  memory.fill(vt, 0, <usize>cols << 3);
  put(vt, 0, 1);
  for (let r = 1; r < cols; r++) put(rowOf(vt, r, cols), 0, 0);
  if (cols > 1) formOrthogonalFactor(vt + ((<usize>cols + 1) << 3), cols, cols - 1, cols - 1, cols - 1, taup, work);
}

/**
 * LAPACK dormbr ('Q', side 'L', trans 'N'): X ← Q·X, for the dgesdd step U = Q·[U_B; 0].
 * Layout (the kernel's, as svd.ts holds Uᵀ): X (rowsW × rows) is given as Xᵀ, its `rows`
 * columns as rows of xt, ldx doubles apart, each rowsW doubles long (positions ≥ N zero for
 * [U_B; 0]: the caller writes them). b, ldb, rowsW, cols, tauq: exactly as bidiagonaliseBlocked
 * left them for the rowsW × cols matrix it reduced (held transposed: cols rows of ldb doubles;
 * left reflector k in row k after position k; rowsW ≥ cols). Overwrites xt with (Q·X)ᵀ.
 * work: orthogonalWorkDoubles(rows, rowsW) doubles, 16-byte aligned. Cost ≈ 4·rows·rowsW·cols
 * flops in compact WY blocks (applyQ), b unchanged.
 */
export function applyBidiagonalQ(xt: usize, ldx: i32, rows: i32, b: usize, ldb: i32, rowsW: i32, cols: i32, tauq: usize, work: usize): void {
  applyQ(xt, ldx, rows, b, ldb, rowsW, cols, tauq, work);
}

/**
 * LAPACK dormbr ('P', side 'L', trans 'N'): X ← P·X, for the dgesdd step V = P·V_B, where
 * P = G_0⋯G_{N−2} (N = cols) holds the right reflectors that bidiagonaliseBlocked left in b
 * (reflector k acts on coordinates k+1.. and is stored at position k of rows k+2.. of b, its
 * unit entry implicit in row k+1 — which holds e_k — as LAPACK stores them in B's row k).
 * Layout: X (cols × rows) is given as Xᵀ, its `rows` columns as rows of xt, ldx doubles apart,
 * each cols doubles long (Vᵀ as the QR iteration holds it). Overwrites xt with (P·X)ᵀ; position
 * 0 of every row is unchanged (P = diag(1, P′)). tau: taup. work: orthogonalWorkDoubles(rows,
 * cols) doubles, 16-byte aligned; b unchanged. Blocks of REFLECTOR_BLOCK reflectors, last first,
 * each gathered from its strided storage and applied in compact WY form.
 */
export function applyBidiagonalP(xt: usize, ldx: i32, rows: i32, b: usize, ldb: i32, cols: i32, taup: usize, work: usize): void {
  const count = cols - 1; // reflectors, acting on the cols − 1 coordinates 1..
  const nb = REFLECTOR_BLOCK;
  if (count <= 0) return;
  for (let k0 = ((count - 1) / nb) * nb; k0 >= 0; k0 -= nb) {
    const ib = min(nb, count - k0);
    const len = count - k0;
    // Row kk of the block: reflector k = k0 + kk in the block's coordinates j (coordinate
    // 1 + k0 + j of X): zeros before kk, 1 at kk, then b[row 1 + k0 + j][k] for j > kk.
    for (let kk = 0; kk < ib; kk++) {
      const to = rowOf(work, kk, len);
      const kOff = <usize>(k0 + kk) << 3;
      memory.fill(to, 0, <usize>kk << 3);
      put(to, kk, 1);
      for (let j = kk + 1; j < len; j++) put(to, j, load<f64>(rowOf(b, 1 + k0 + j, ldb) + kOff));
    }
    applyGatheredBlock(ib, len, taup + (<usize>k0 << 3), xt + ((<usize>k0 + 1) << 3), ldx, rows, true, work);
  }
}
