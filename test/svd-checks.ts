// Invariants of an SVD, computed plainly in JS for the SVD tests: the residual ‖A − U diag(S) Vᵀ‖,
// the orthogonality of the factors, and the order of the values.
import { expect } from "vitest";
import type { Matrix } from "../src/index.js";

/** Frobenius norm, scaled so 1e±150 entries neither overflow nor underflow. */
export function fro(x: ArrayLike<number>): number {
  let big = 0;
  for (let i = 0; i < x.length; i++) big = Math.max(big, Math.abs(x[i]));
  if (big === 0) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] / big) ** 2;
  return big * Math.sqrt(s);
}

/** ‖A − U diag(S) Vᵀ‖_F with U m×r, V n×r (first r columns used). */
export function residual(A: Matrix, U: Matrix, S: ArrayLike<number>, V: Matrix): number {
  const r = S.length;
  const diff = new Float64Array(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      let s = 0;
      for (let p = 0; p < r; p++) s += U.data[i * U.cols + p] * S[p] * V.data[j * V.cols + p];
      diff[i * A.cols + j] = A.data[i * A.cols + j] - s;
    }
  }
  return fro(diff);
}

/** max |QᵀQ − I| over the columns of Q (the Gram matrix accumulated row by row of Q). */
export function orthogonalityError(Q: Matrix): number {
  const k = Q.cols;
  const gram = new Float64Array(k * k);
  for (let i = 0; i < Q.rows; i++) {
    const row = Q.data.subarray(i * k, i * k + k);
    for (let a = 0; a < k; a++) {
      const qa = row[a];
      if (qa === 0) continue;
      for (let b = a; b < k; b++) gram[a * k + b] += qa * row[b];
    }
  }
  let worst = 0;
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) worst = Math.max(worst, Math.abs(gram[a * k + b] - (a === b ? 1 : 0)));
  return worst;
}

export function expectSorted(S: Float64Array): void {
  for (let i = 0; i < S.length; i++) {
    expect(S[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(S[i]).toBeLessThanOrEqual(S[i - 1]);
  }
}

/**
 * Values only (dqds) against the vector paths' QR iteration (below N = 128; from 128 divide and
 * conquer takes dqds' values too) on the same bidiagonal: they agree
 * to (8 + max(m, n)/4)·ε·σ₁, no longer bit for bit. Measured worst over the release, scalar and
 * debug-blocked builds: 7.6 ε·σ₁ over the oracle cases (square_50x50_prescribed, scalar), 16.0
 * over the property shapes below (≤ 120²), 35 at 260×300 — a few ulps of σ₁ on small matrices,
 * growing with the size as both iterations' rounding does (on a random 120² bidiagonal against
 * mpmath: dqds 9 ulps of each value at worst, the QR iteration 22).
 */
export const valuesAgree = (m: number, n: number) => (8 + Math.max(m, n) / 4) * 2 ** -52;
