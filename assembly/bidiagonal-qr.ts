// The SVD of an upper bidiagonal matrix (d, e) by implicit QR: LAPACK dbdsqr (Demmel & Kahan
// 1990, "Accurate singular values of bidiagonal matrices", SIAM J. Sci. Stat. Comput. 11(5);
// Golub & Van Loan 4th ed. §8.6.2), then the signs and order of the values (dbdsqr's tail).
// Rotations are applied to rows of Vᵀ and Uᵀ, so each is one SIMD pass (rotations.ts).
import { EPS, SAFE_MIN } from "./constants";
import { applyGivens, givens, rotateRowPairs, twoByTwoSvd, twoByTwoValues } from "./rotations";
import { at, put, rowOf, scale, swapRows } from "./vector";

/** dbdsqr's TOLMUL = max(10, min(100, EPS^(−1/8))) = 2^(53/8): how far beyond EPS the relative
 *  convergence criterion may be set; the singular values keep relative error ≈ TOLMUL·EPS·n. */
const TOLMUL: f64 = 98.70149282610822;
/** dbdsqr's relative tolerance: an off-diagonal below TOL times its neighbours' size is zero. */
const TOL: f64 = TOLMUL * EPS;
/** dbdsqr's HNDRTH: a shift is replaced by zero when n·TOL·(smin/smax) ≤ max(EPS, HNDRTH·TOL),
 *  because a shifted sweep would then destroy the relative accuracy of the smallest value. */
const ZERO_SHIFT_RATIO: f64 = 0.01;
/** dbdsqr's MAXITR: at most MAXITR·n² inner steps (sweep lengths summed) before giving up;
 *  convergence typically takes about 2n sweeps, so reaching it means something is wrong. */
const MAXITR: i32 = 6;
/** A factor that replaces MAXITR when ≥ 0: set only by debug builds' tests
 *  (debugSetIterationLimitFactor) to reach the NO_CONVERGENCE path. Release never writes it. */
let iterationLimitOverride: i32 = -1;

/** Debug builds only (re-exported by assembly/debug.ts): the factor of n² in the iteration
 *  cap of both bidiagonal iterations (this QR and dqds.ts), or −1 to restore MAXITR. */
export function setIterationLimitFactor(factor: i32): void {
  iterationLimitOverride = factor;
}

/** The factor of n² in the iteration caps: MAXITR, or the debug builds' override. */
export function iterationCapFactor(): i32 {
  return iterationLimitOverride >= 0 ? iterationLimitOverride : MAXITR;
}

/**
 * LAPACK dbdsqr (Demmel & Kahan 1990, "Accurate singular values of bidiagonal matrices"):
 * implicit QR on the n×n upper bidiagonal (d, e) until e = 0, to high relative accuracy.
 * Zero-shift sweeps when a shift would spoil the smallest values, a shift from the trailing (or
 * leading) 2×2 otherwise; each block is chased from its larger end towards its smaller end.
 * The right rotations turn rows of vt (ncvt doubles each), the left ones rows of ut (nru
 * each), both contiguous; ncvt = nru = 0 skips all vector work. rot: bidiagonalQrScratch(n)
 * doubles. Returns 0, or (like dbdsqr's INFO) the number of superdiagonals that had not
 * converged after MAXITR·n² inner steps (d, e then hold the partial result).
 */
export function bidiagonalQr(n: i32, d: usize, e: usize, vt: usize, ldvt: i32, ncvt: i32, ut: usize, ldu: i32, nru: i32, rot: usize): i32 {
  if (n <= 1) return 0;
  const rightC = rot;
  const rightS = rot + (<usize>n << 3);
  const leftC = rot + (<usize>(2 * n) << 3);
  const leftS = rot + (<usize>(3 * n) << 3);
  const small = rot + (<usize>(4 * n) << 3); // out-buffer of the 2×2 solvers and rotations
  // Threshold for "negligible" from a lower bound on the smallest singular value (the
  // recurrence of Demmel & Kahan §2, divided by sqrt(n)): relative accuracy down to underflow.
  let sminoa = abs(at(d, 0));
  let mu = sminoa;
  for (let i = 1; i < n && sminoa != 0; i++) {
    mu = abs(at(d, i)) * (mu / (mu + abs(at(e, i - 1))));
    sminoa = min(sminoa, mu);
  }
  sminoa /= Math.sqrt(<f64>n);
  const thresh = max(TOL * sminoa, <f64>MAXITR * (<f64>n * (<f64>n * SAFE_MIN)));
  const maxIter: i64 = <i64>iterationCapFactor() * <i64>n * <i64>n;
  let iter: i64 = 0;
  let oldll = -1;
  let oldm = -1;
  let idir = 0;
  let m = n - 1; // last index of the unconverged part
  while (m > 0) {
    if (iter > maxIter) return unconverged(e, m);
    // Find the bottom unreduced block ll..m: e[ll..m−1] all above thresh.
    let smax = abs(at(d, m));
    let ll = 0;
    for (let i = m - 1; i >= 0; i--) {
      const abss = abs(at(d, i));
      const abse = abs(at(e, i));
      if (abse <= thresh) {
        put(e, i, 0);
        ll = i + 1;
        break;
      }
      smax = max(smax, max(abss, abse));
    }
    if (ll == m) {
      m--; // d[m] has converged
      continue;
    }
    if (ll == m - 1) {
      // 2×2 block: solved directly.
      twoByTwoSvd(at(d, m - 1), at(e, m - 1), at(d, m), small);
      put(d, m - 1, at(small, 1));
      put(e, m - 1, 0);
      put(d, m, at(small, 0));
      if (ncvt > 0) applyGivens(rowOf(vt, m - 1, ldvt), rowOf(vt, m, ldvt), at(small, 3), at(small, 2), ncvt);
      if (nru > 0) applyGivens(rowOf(ut, m - 1, ldu), rowOf(ut, m, ldu), at(small, 5), at(small, 4), nru);
      m -= 2;
      continue;
    }
    // A new block: chase from the larger end towards the smaller one (idir 1 = down, 2 = up).
    if (ll > oldm || m < oldll) idir = abs(at(d, ll)) >= abs(at(d, m)) ? 1 : 2;
    // Convergence tests: the standard one at the far end, then Demmel & Kahan's relative
    // criterion along the block (which also yields smin, a lower bound on its smallest value).
    let smin = 0.0;
    let split = false;
    if (idir == 1) {
      if (abs(at(e, m - 1)) <= TOL * abs(at(d, m))) {
        put(e, m - 1, 0);
        continue;
      }
      mu = abs(at(d, ll));
      smin = mu;
      for (let i = ll; i < m; i++) {
        if (abs(at(e, i)) <= TOL * mu) {
          put(e, i, 0);
          split = true;
          break;
        }
        mu = abs(at(d, i + 1)) * (mu / (mu + abs(at(e, i))));
        smin = min(smin, mu);
      }
    } else {
      if (abs(at(e, ll)) <= TOL * abs(at(d, ll))) {
        put(e, ll, 0);
        continue;
      }
      mu = abs(at(d, m));
      smin = mu;
      for (let i = m - 1; i >= ll; i--) {
        if (abs(at(e, i)) <= TOL * mu) {
          put(e, i, 0);
          split = true;
          break;
        }
        mu = abs(at(d, i)) * (mu / (mu + abs(at(e, i))));
        smin = min(smin, mu);
      }
    }
    if (split) continue;
    oldll = ll;
    oldm = m;
    // Shift: zero when it would ruin relative accuracy or is negligible against the end value.
    let shift = 0.0;
    if (<f64>n * TOL * (smin / smax) > max(EPS, ZERO_SHIFT_RATIO * TOL)) {
      let sll: f64;
      if (idir == 1) {
        sll = abs(at(d, ll));
        shift = twoByTwoValues(at(d, m - 1), at(e, m - 1), at(d, m), small);
      } else {
        sll = abs(at(d, m));
        shift = twoByTwoValues(at(d, ll), at(e, ll), at(d, ll + 1), small);
      }
      if (sll > 0 && (shift / sll) * (shift / sll) < EPS) shift = 0;
    }
    iter += m - ll;
    const count = m - ll;
    if (shift == 0) {
      if (idir == 1) zeroShiftSweepDown(d, e, ll, m, rightC, rightS, leftC, leftS, small);
      else zeroShiftSweepUp(d, e, ll, m, rightC, rightS, leftC, leftS, small);
    } else {
      if (idir == 1) shiftedSweepDown(d, e, ll, m, shift, rightC, rightS, leftC, leftS, small);
      else shiftedSweepUp(d, e, ll, m, shift, rightC, rightS, leftC, leftS, small);
    }
    // Chasing upwards works on the transpose, so there the left rotations turn Vᵀ.
    const down = idir == 1;
    rotateRowPairs(vt, ldvt, ncvt, ut, ldu, nru, ll, count, down ? rightC : leftC, down ? rightS : leftS, down ? leftC : rightC, down ? leftS : rightS, down);
    const last = down ? m - 1 : ll;
    if (abs(at(e, last)) <= thresh) put(e, last, 0);
  }
  return 0;
}

// dbdsqr's INFO on failure: how many of e[0..m) are still non-zero.
function unconverged(e: usize, m: i32): i32 {
  let count = 0;
  for (let i = 0; i < m; i++) if (at(e, i) != 0) count++;
  return count;
}

/** Doubles of scratch bidiagonalQr needs for an n×n bidiagonal: four rotation sequences and
 *  the 2×2 solvers' out-buffer. */
// @ts-ignore: decorator
@inline export function bidiagonalQrScratch(n: i32): u64 {
  return 4 * <u64>n + 6;
}

// Demmel & Kahan 1990 §3 (dbdsqr loop 120): one zero-shift QR sweep on d[ll..m], top to
// bottom. Rotation i − ll turns rows i, i+1: right ones in (rc, rs), left ones in (lc, ls).
export function zeroShiftSweepDown(d: usize, e: usize, ll: i32, m: i32, rc: usize, rs: usize, lc: usize, ls: usize, g: usize): void {
  let cs = 1.0;
  let oldcs = 1.0;
  let oldsn = 0.0;
  for (let i = ll; i < m; i++) {
    givens(at(d, i) * cs, at(e, i), g);
    cs = at(g, 0);
    const sn = at(g, 1);
    const r = at(g, 2);
    if (i > ll) put(e, i - 1, oldsn * r);
    givens(oldcs * r, at(d, i + 1) * sn, g);
    oldcs = at(g, 0);
    oldsn = at(g, 1);
    put(d, i, at(g, 2));
    put(rc, i - ll, cs);
    put(rs, i - ll, sn);
    put(lc, i - ll, oldcs);
    put(ls, i - ll, oldsn);
  }
  const h = at(d, m) * cs;
  put(d, m, h * oldcs);
  put(e, m - 1, h * oldsn);
}

// dbdsqr loop 130: the zero-shift sweep bottom to top; rotation i − 1 − ll turns rows i − 1, i
// (sines negated so that rotateRows' convention applies).
export function zeroShiftSweepUp(d: usize, e: usize, ll: i32, m: i32, rc: usize, rs: usize, lc: usize, ls: usize, g: usize): void {
  let cs = 1.0;
  let oldcs = 1.0;
  let oldsn = 0.0;
  for (let i = m; i > ll; i--) {
    givens(at(d, i) * cs, at(e, i - 1), g);
    cs = at(g, 0);
    const sn = at(g, 1);
    const r = at(g, 2);
    if (i < m) put(e, i, oldsn * r);
    givens(oldcs * r, at(d, i - 1) * sn, g);
    oldcs = at(g, 0);
    oldsn = at(g, 1);
    put(d, i, at(g, 2));
    put(rc, i - 1 - ll, cs);
    put(rs, i - 1 - ll, -sn);
    put(lc, i - 1 - ll, oldcs);
    put(ls, i - 1 - ll, -oldsn);
  }
  const h = at(d, ll) * cs;
  put(d, ll, h * oldcs);
  put(e, ll, h * oldsn);
}

// Golub & Van Loan 4th ed. §8.6 (Golub–Kahan SVD step; dbdsqr loop 140): one shifted QR sweep
// on d[ll..m], top to bottom, chasing the bulge with alternating right and left rotations.
export function shiftedSweepDown(d: usize, e: usize, ll: i32, m: i32, shift: f64, rc: usize, rs: usize, lc: usize, ls: usize, g: usize): void {
  const dll = at(d, ll);
  let f = (abs(dll) - shift) * (copysign<f64>(1, dll) + shift / dll);
  let gg = at(e, ll);
  for (let i = ll; i < m; i++) {
    givens(f, gg, g);
    const cosr = at(g, 0);
    const sinr = at(g, 1);
    if (i > ll) put(e, i - 1, at(g, 2));
    const di = at(d, i);
    const ei = at(e, i);
    f = cosr * di + sinr * ei;
    put(e, i, cosr * ei - sinr * di);
    const dn = at(d, i + 1);
    gg = sinr * dn;
    put(d, i + 1, cosr * dn);
    givens(f, gg, g);
    const cosl = at(g, 0);
    const sinl = at(g, 1);
    put(d, i, at(g, 2));
    const e2 = at(e, i);
    const d2 = at(d, i + 1);
    f = cosl * e2 + sinl * d2;
    put(d, i + 1, cosl * d2 - sinl * e2);
    if (i < m - 1) {
      const en = at(e, i + 1);
      gg = sinl * en;
      put(e, i + 1, cosl * en);
    }
    put(rc, i - ll, cosr);
    put(rs, i - ll, sinr);
    put(lc, i - ll, cosl);
    put(ls, i - ll, sinl);
  }
  put(e, m - 1, f);
}

// dbdsqr loop 150: the shifted sweep bottom to top (the same step on the transpose).
export function shiftedSweepUp(d: usize, e: usize, ll: i32, m: i32, shift: f64, rc: usize, rs: usize, lc: usize, ls: usize, g: usize): void {
  const dm = at(d, m);
  let f = (abs(dm) - shift) * (copysign<f64>(1, dm) + shift / dm);
  let gg = at(e, m - 1);
  for (let i = m; i > ll; i--) {
    givens(f, gg, g);
    const cosr = at(g, 0);
    const sinr = at(g, 1);
    if (i < m) put(e, i, at(g, 2));
    const di = at(d, i);
    const ei = at(e, i - 1);
    f = cosr * di + sinr * ei;
    put(e, i - 1, cosr * ei - sinr * di);
    const dp = at(d, i - 1);
    gg = sinr * dp;
    put(d, i - 1, cosr * dp);
    givens(f, gg, g);
    const cosl = at(g, 0);
    const sinl = at(g, 1);
    put(d, i, at(g, 2));
    const e2 = at(e, i - 1);
    const d2 = at(d, i - 1);
    f = cosl * e2 + sinl * d2;
    put(d, i - 1, cosl * d2 - sinl * e2);
    if (i > ll + 1) {
      const ep = at(e, i - 2);
      gg = sinl * ep;
      put(e, i - 2, cosl * ep);
    }
    put(rc, i - 1 - ll, cosr);
    put(rs, i - 1 - ll, -sinr);
    put(lc, i - 1 - ll, cosl);
    put(ls, i - 1 - ll, -sinl);
  }
  put(e, ll, f);
}

/** dbdsqr label 160: d ≥ 0 (no −0), moving each sign into the matching row of Vᵀ. */
export function makeNonNegative(n: i32, d: usize, vt: usize, ldvt: i32, ncvt: i32): void {
  for (let i = 0; i < n; i++) {
    const di = at(d, i);
    if (di < 0) {
      put(d, i, -di);
      if (ncvt > 0) scale(rowOf(vt, i, ldvt), -1, ncvt);
    } else {
      put(d, i, abs(di)); // turns −0 into +0
    }
  }
}

/** dbdsqr loop 190: sorts d descending by selection (one swap per value, so each singular
 *  vector row moves at most once), swapping rows of Vᵀ and Uᵀ with it. */
export function sortDescending(n: i32, d: usize, vt: usize, ldvt: i32, ncvt: i32, ut: usize, ldu: i32, nru: i32): void {
  for (let last = n - 1; last > 0; last--) {
    let isub = 0;
    let smin = at(d, 0);
    for (let j = 1; j <= last; j++) {
      if (at(d, j) <= smin) {
        isub = j;
        smin = at(d, j);
      }
    }
    if (isub == last) continue;
    put(d, isub, at(d, last));
    put(d, last, smin);
    if (ncvt > 0) swapRows(rowOf(vt, isub, ldvt), rowOf(vt, last, ldvt), ncvt);
    if (nru > 0) swapRows(rowOf(ut, isub, ldu), rowOf(ut, last, ldu), nru);
  }
}
