// Householder bidiagonalisation Qᵀ B P = upper bidiagonal (d, e) of an M×N matrix B (M ≥ N)
// held transposed (row j = column j of B): LAPACK dgebd2 (unblocked), dlabrd (one panel) and
// dgebrd (panels whose trailing update is one matrix product); Golub & Van Loan 4th ed.
// §5.4.8. The reflectors stay in B as LAPACK leaves them, for orthogonal.ts to form U and V.
import { SMALL_BLOCKS } from "./constants";
import { gemvRows, gemvTransposedRows } from "./blas";
import { gemm, gemmPackDoubles } from "./gemm";
import { makeReflector, reflectRows } from "./reflectors";
import { at, axpy, dot, put, rowOf, scale } from "./vector";

/** dgebrd's block size (ilaenv nb = 32): columns per bidiagonalisation panel. The panel's
 *  L = [Y | V] and R = [Uᵀ; Xᵀ] make the trailing update a product of depth 64, enough to run
 *  the product kernel near its peak, while the panel's own matrix–vector work (∝ nb²) stays small. */
const BIDIAG_PANEL: i32 = SMALL_BLOCKS ? 3 : 32;
/** dgebrd's crossover (ilaenv nx = 128): with fewer columns left, the unblocked bidiagonalise
 *  finishes (the trailing matrix is then cache-resident and a panel's overhead would not pay). */
const BIDIAG_BLOCKED_MIN: i32 = SMALL_BLOCKS ? 5 : 128;

/**
 * LAPACK dgebd2 (Golub & Van Loan 4th ed. §5.4.8): Qᵀ B P = upper bidiagonal (d, e) for the
 * M×N (M ≥ N) matrix B held transposed in b (row j = column j of B, ld doubles apart).
 * As in LAPACK, left reflector k (τ in tauq) stays in column k of B below the diagonal (stored
 * row k after position k) and right reflector k (τ in taup) in row k of B right of the
 * superdiagonal (position k of stored rows k+2..), so a blocked dlabrd panel can replace this
 * routine. z: M + N doubles of scratch.
 * Left reflectors are fused dot/axpy passes per column; right reflectors are z = B·u (axpy
 * passes) then a rank-1 update (axpy passes), all contiguous.
 */
function bidiagonalise(b: usize, ld: i32, rows: i32, cols: i32, d: usize, e: usize, tauq: usize, taup: usize, z: usize): void {
  const u = z + (<usize>rows << 3);
  for (let k = 0; k < cols; k++) {
    const diag = rowOf(b, k, ld) + (<usize>k << 3);
    const len = rows - k;
    const tq = makeReflector(diag, len);
    put(tauq, k, tq);
    put(d, k, load<f64>(diag));
    if (tq != 0 && k + 1 < cols) {
      store<f64>(diag, 1);
      reflectRows(rowOf(b, k + 1, ld) + (<usize>k << 3), ld, cols - k - 1, diag, tq, len);
      store<f64>(diag, at(d, k));
    }
    if (k + 1 >= cols) {
      put(taup, k, 0);
      continue;
    }
    // Right reflector from row k of B, columns k+1..: strided here, so gather it into u.
    const width = cols - k - 1;
    const kOff = <usize>k << 3;
    for (let j = 0; j < width; j++) put(u, j, load<f64>(rowOf(b, k + 1 + j, ld) + kOff));
    const tp = makeReflector(u, width);
    put(taup, k, tp);
    put(e, k, at(u, 0));
    for (let j = 0; j < width; j++) store<f64>(rowOf(b, k + 1 + j, ld) + kOff, at(u, j));
    if (tp == 0) continue;
    // B[k+1:, k+1:] ← B[k+1:, k+1:]·(I − τ u uᵀ): z = B[k+1:, k+1:]·u, then B −= τ z uᵀ.
    const h = rows - k - 1;
    const from = kOff + 8;
    put(u, 0, 1);
    memory.copy(z, rowOf(b, k + 1, ld) + from, <usize>h << 3);
    for (let j = 1; j < width; j++) axpy(z, rowOf(b, k + 1 + j, ld) + from, at(u, j), h);
    for (let j = 0; j < width; j++) axpy(rowOf(b, k + 1 + j, ld) + from, z, -tp * at(u, j), h);
  }
}

/**
 * LAPACK dlabrd (m ≥ n; Golub & Van Loan 4th ed. §5.4.8, blocked bidiagonalisation): reduces
 * the first nb columns and rows of the rows×cols matrix B (held transposed in b, ld doubles
 * apart; nb < cols ≤ rows) exactly as bidiagonalise would, but leaves the trailing matrix
 * B[nb:, nb:] untouched: its update is B −= U·Yᵀ + X·Vᵀ, with U, V the panel's left and right
 * reflectors (in b, unit entries stored as 1 on the diagonal and superdiagonal) and
 * Y and X returned for it: row c of y (ldy ≥ 2nb doubles apart) holds [Y[c][0..nb), V[0..nb)[c]]
 * (the right reflectors' entries copied there, so every per-column term reads one short
 * contiguous row), row p of x (ldx apart) holds column p of X. Each column costs two passes over the trailing matrix (Bᵀu as dots, B·v as
 * four-row axpys) instead of three; the other terms only touch the panel.
 * small: 6·nb doubles of scratch; u: cols doubles (the right reflector, gathered).
 */
function bidiagonalPanel(b: usize, ld: i32, rows: i32, cols: i32, nb: i32, d: usize, e: usize, tauq: usize, taup: usize, y: usize, ldy: i32, x: usize, ldx: i32, small: usize, u: usize): void {
  const t1 = small; // Uᵀ·u_k, then Yᵀ·v_k (nb each)
  const t2 = t1 + (<usize>nb << 3); // Xᵀ·u_k, then Vᵀ·v_k
  const ak = t2 + (<usize>nb << 3); // row k of the panel's left reflectors: B[k][p]
  const xk = ak + (<usize>nb << 3); // row k of X
  for (let k = 0; k < nb; k++) {
    const kOff = <usize>k << 3;
    const rowK = rowOf(b, k, ld);
    const col = rowK + kOff;
    const len = rows - k;
    // B[k:, k] −= U[k:, :k]·Y[k, :k]ᵀ + X[k:, :k]·V[:k, k]  (V[p][k] = stored b row k, position p)
    if (k > 0) {
      gemvRows(col, b + kOff, ld, k, rowOf(y, k, ldy), -1, len);
      gemvRows(col, x + kOff, ldx, k, rowK, -1, len);
    }
    const tq = makeReflector(col, len);
    put(tauq, k, tq);
    put(d, k, load<f64>(col));
    store<f64>(col, 1);
    // Y[k+1:, k] = τq·(B[k:, k+1:]ᵀu − Y[k+1:, :k]·(U[k:, :k]ᵀu) − V[:k, k+1:]ᵀ·(X[k:, :k]ᵀu)),
    // fused with row k's update B[k, k+1:] −= Y[k+1:, :k+1]·U[k, :k+1]ᵀ + V[:k, k+1:]ᵀ·X[k, :k]ᵀ.
    for (let p = 0; p < k; p++) {
      put(t1, p, dot(rowOf(b, p, ld) + kOff, col, len));
      put(t2, p, dot(rowOf(x, p, ldx) + kOff, col, len));
      put(ak, p, load<f64>(rowOf(b, p, ld) + kOff));
      put(xk, p, load<f64>(rowOf(x, p, ldx) + kOff));
    }
    const width = cols - k - 1;
    gemvTransposedRows(rowOf(y, k + 1, ldy) + kOff, ldy, rowOf(b, k + 1, ld) + kOff, ld, width, col, len);
    for (let j = 0; j < width; j++) {
      const c = k + 1 + j;
      const rowC = rowOf(b, c, ld);
      const yc = rowOf(y, c, ldy);
      let yv = at(yc, k);
      for (let p = 0; p < k; p++) yv -= at(yc, p) * at(t1, p) + at(yc, nb + p) * at(t2, p);
      yv *= tq;
      put(yc, k, yv);
      let bkc = at(rowC, k) - yv;
      for (let p = 0; p < k; p++) bkc -= at(yc, p) * at(ak, p) + at(yc, nb + p) * at(xk, p);
      put(u, j, bkc);
    }
    // Right reflector from the updated row k (gathered in u), scattered back with its unit 1.
    const tp = makeReflector(u, width);
    put(taup, k, tp);
    put(e, k, at(u, 0));
    put(u, 0, 1);
    for (let j = 0; j < width; j++) {
      store<f64>(rowOf(b, k + 1 + j, ld) + kOff, at(u, j));
      put(rowOf(y, k + 1 + j, ldy), nb + k, at(u, j));
    }
    // X[k+1:, k] = τp·(B[k+1:, k+1:]v − U[k+1:, :k+1]·(Y[k+1:, :k+1]ᵀv) − X[k+1:, :k]·(V[:k, k+1:]v)).
    const h = rows - k - 1;
    const xi = rowOf(x, k, ldx) + kOff + 8;
    memory.fill(xi, 0, <usize>h << 3);
    if (tp == 0) continue;
    gemvRows(xi, rowOf(b, k + 1, ld) + kOff + 8, ld, width, u, 1, h);
    memory.fill(t1, 0, (<usize>k + 1) << 3);
    memory.fill(t2, 0, <usize>k << 3);
    for (let j = 0; j < width; j++) {
      const c = k + 1 + j;
      const uj = at(u, j);
      const yc = rowOf(y, c, ldy);
      for (let p = 0; p <= k; p++) put(t1, p, at(t1, p) + at(yc, p) * uj);
      for (let p = 0; p < k; p++) put(t2, p, at(t2, p) + at(yc, nb + p) * uj);
    }
    gemvRows(xi, b + kOff + 8, ld, k + 1, t1, -1, h);
    gemvRows(xi, x + kOff + 8, ldx, k, t2, -1, h);
    scale(xi, tp, h);
  }
}

/**
 * LAPACK dgebrd (Golub & Van Loan 4th ed. §5.4.8): bidiagonalise's result, computed in panels
 * of BIDIAG_PANEL columns (bidiagonalPanel) whose trailing update B −= U·Yᵀ + X·Vᵀ is one
 * matrix product (gemm); the last columns (fewer than BIDIAG_BLOCKED_MIN) and small
 * matrices go through the unblocked bidiagonalise. panel: bidiagPanelDoubles(rows, cols).
 */
export function bidiagonaliseBlocked(b: usize, ld: i32, rows: i32, cols: i32, d: usize, e: usize, tauq: usize, taup: usize, z: usize, panel: usize): void {
  const ldy = 2 * BIDIAG_PANEL;
  const ldx = rows;
  const y = panel; // L = [Y | V]: cols rows of 2·nb
  const r = y + ((<usize>cols * <usize>ldy) << 3); // R = [Uᵀ; Xᵀ]: 2·nb rows of `rows`
  const small = r + ((<usize>ldy * <usize>ldx) << 3);
  const pack = small + (<usize>(6 * BIDIAG_PANEL) << 3);
  let k0 = 0;
  while (cols - k0 >= BIDIAG_BLOCKED_MIN) {
    const nb = BIDIAG_PANEL;
    const sub = rowOf(b, k0, ld) + (<usize>k0 << 3);
    const subRows = rows - k0;
    const subCols = cols - k0;
    const kOff = <usize>k0 << 3;
    const x = r + ((<usize>nb * <usize>ldx) << 3);
    bidiagonalPanel(sub, ld, subRows, subCols, nb, d + kOff, e + kOff, tauq + kOff, taup + kOff, y, ldy, x, ldx, small, z);
    // L[c] = [Y[c], V[:, c]ᵀ] (the panel filled both) and R = [U[nb:, :]ᵀ; X[nb:, :]ᵀ].
    const tail = <usize>nb << 3;
    for (let p = 0; p < nb; p++) memory.copy(rowOf(r, p, ldx) + tail, rowOf(sub, p, ld) + tail, <usize>(subRows - nb) << 3);
    gemm(subCols - nb, subRows - nb, 2 * nb, -1, rowOf(y, nb, ldy), ldy, false, r + tail, ldx, false, rowOf(sub, nb, ld) + tail, ld, pack);
    // Put d and e back where the unit entries of the reflectors were kept during the panel.
    for (let p = 0; p < nb; p++) {
      put(rowOf(sub, p, ld), p, at(d, k0 + p));
      put(rowOf(sub, p + 1, ld), p, at(e, k0 + p));
    }
    k0 += nb;
  }
  const kOff = <usize>k0 << 3;
  bidiagonalise(rowOf(b, k0, ld) + kOff, ld, rows - k0, cols - k0, d + kOff, e + kOff, tauq + kOff, taup + kOff, z);
}

/** Doubles of panel scratch for bidiagonaliseBlocked on a rows×cols matrix (0 when too small
 *  to be blocked): L (cols × 2nb), R (2nb × rows), 6nb small vectors, the product's packing. */
export function bidiagPanelDoubles(rows: i32, cols: i32): u64 {
  if (cols < BIDIAG_BLOCKED_MIN) return 0;
  const twoNb = <u64>(2 * BIDIAG_PANEL);
  return twoNb * (<u64>cols + <u64>rows) + 3 * twoNb + gemmPackDoubles(cols, rows, 2 * BIDIAG_PANEL);
}
