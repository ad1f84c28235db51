// Plane rotations and 2×2 problems: LAPACK dlartg (a Givens rotation, safely scaled), dlas2 (the
// singular values of a 2×2 triangle), dlasv2 (its SVD), and the rotation of contiguous rows
// (BLAS drot, LAPACK dlasr). The small solvers return through an out-buffer of the caller's,
// so no state is shared between routines (or between threads of a threaded build). In the
// threaded build a long sequence of rotations is split across the team by columns: each
// thread applies every rotation to its own columns, element by element as on one thread.
import { ROOT_MAX, ROOT_MIN, SAFE_MAX, SAFE_MIN, EPS } from "./constants";
import { at, rowOf } from "./vector";
import { JOB_ROTATE, JOB_ROTATE_PAIR, jobInt, jobPtr, setJobArgs, shareStart, teamChunks, teamSplits } from "./team";
import { teamRun } from "./jobs";

/** Element pairs (rotations × columns) from which the threaded build splits a sequence: about
 *  0.5 ns a pair, so from 2¹⁶ pairs (≈ 30 µs) the fork–join pays. */
const ROTATE_SPLIT_MIN: u64 = 1 << 16;
/** Column shares start at multiples of 8 doubles: no 64-byte line is written by two threads. */
const ROTATE_SHARE_ALIGN: i32 = 8;

/**
 * LAPACK dlartg (3.10+, Anderson 2017 safe scaling): c, s, r with [c s; −s c]·(f, g) = (r, 0),
 * c ≥ 0, r with the sign of f; scales only when f² + g² could overflow or underflow.
 * Writes [c, s, r] to out (3 doubles).
 */
export function givens(f: f64, g: f64, out: usize): void {
  let c = 1.0;
  let s = 0.0;
  let r = f;
  if (g == 0) {
    // r = f, no rotation.
  } else if (f == 0) {
    c = 0;
    s = copysign<f64>(1, g);
    r = abs(g);
  } else if (abs(f) > ROOT_MIN && abs(f) < ROOT_MAX && abs(g) > ROOT_MIN && abs(g) < ROOT_MAX) {
    const h = Math.sqrt(f * f + g * g);
    c = abs(f) / h;
    r = copysign<f64>(h, f);
    s = g / r;
  } else {
    const w = min(SAFE_MAX, max(SAFE_MIN, max(abs(f), abs(g))));
    const fs = f / w;
    const gs = g / w;
    const h = Math.sqrt(fs * fs + gs * gs);
    c = abs(fs) / h;
    const rs = copysign<f64>(h, f);
    s = gs / rs;
    r = rs * w;
  }
  store<f64>(out, c);
  store<f64>(out, s, 8);
  store<f64>(out, r, 16);
}

/**
 * LAPACK dlas2: the singular values of [f g; 0 h], accurate to a few ulps without overflow;
 * used for the Wilkinson-like shift. Writes [ssmin, ssmax] to out and returns ssmin.
 */
export function twoByTwoValues(f: f64, g: f64, h: f64, out: usize): f64 {
  let ssmax = 0.0;
  const fa = abs(f);
  const ga = abs(g);
  const ha = abs(h);
  const fhmn = min(fa, ha);
  const fhmx = max(fa, ha);
  let ssmin = 0.0;
  if (fhmn == 0) {
    if (fhmx == 0) ssmax = ga;
    else {
      const ratio = min(fhmx, ga) / max(fhmx, ga);
      ssmax = max(fhmx, ga) * Math.sqrt(1 + ratio * ratio);
    }
  } else if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const au = (ga / fhmx) * (ga / fhmx);
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    ssmin = fhmn * c;
    ssmax = fhmx / c;
  } else {
    const au = fhmx / ga;
    if (au == 0) {
      // Both f and h are negligible beside g: the product formula avoids underflow.
      ssmin = (fhmn * fhmx) / ga;
      ssmax = ga;
    } else {
      const as = 1 + fhmn / fhmx;
      const at = (fhmx - fhmn) / fhmx;
      const c = 1 / (Math.sqrt(1 + as * au * (as * au)) + Math.sqrt(1 + at * au * (at * au)));
      ssmin = fhmn * c * au;
      ssmin += ssmin;
      ssmax = ga / (c + c);
    }
  }
  store<f64>(out, ssmin);
  store<f64>(out, ssmax, 8);
  return ssmin;
}

/**
 * LAPACK dlasv2: the SVD of [f g; 0 h] = [csl −snl; snl csl]·diag(ssmax, ssmin)·[csr snr; −snr csr]ᵀ
 * with signed singular values (|ssmax| ≥ |ssmin|), accurate to a few ulps in all cases.
 * Writes [ssmin, ssmax, snr, csr, snl, csl] to out (dlasv2's argument order).
 */
export function twoByTwoSvd(f: f64, g: f64, h: f64, out: usize): void {
  let svSinR: f64;
  let svCosR: f64;
  let svSinL: f64;
  let svCosL: f64;
  let ft = f;
  let fa = abs(ft);
  let ht = h;
  let ha = abs(h);
  // pmax: which of f (1), g (2), h (3) has the largest magnitude.
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    let t = ft;
    ft = ht;
    ht = t;
    t = fa;
    fa = ha;
    ha = t;
  }
  const gt = g;
  const ga = abs(gt);
  let clt = 1.0;
  let crt = 1.0;
  let slt = 0.0;
  let srt = 0.0;
  let ssmin = ha;
  let ssmax = fa;
  if (ga != 0) {
    let gasmal = true;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < EPS) {
        // g dominates to working precision.
        gasmal = false;
        ssmax = ga;
        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1;
        slt = ht / gt;
        srt = 1;
        crt = ft / gt;
      }
    }
    if (gasmal) {
      const dd = fa - ha;
      let l = dd == fa ? 1.0 : dd / fa; // dd == fa copes with an infinite f or h
      const mq = gt / ft;
      let t = 2 - l;
      const mm = mq * mq;
      const tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l == 0 ? abs(mq) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a;
      ssmax = fa * a;
      if (mm == 0) {
        // mq is so tiny that mq² underflows.
        if (l == 0) t = copysign<f64>(2, ft) * copysign<f64>(1, gt);
        else t = gt / copysign<f64>(dd, ft) + mq / t;
      } else {
        t = (mq / (s + t) + mq / (r + l)) * (1 + a);
      }
      l = Math.sqrt(t * t + 4);
      crt = 2 / l;
      srt = t / l;
      clt = (crt + srt * mq) / a;
      slt = ((ht / ft) * srt) / a;
    }
  }
  if (swap) {
    svCosL = srt;
    svSinL = crt;
    svCosR = slt;
    svSinR = clt;
  } else {
    svCosL = clt;
    svSinL = slt;
    svCosR = crt;
    svSinR = srt;
  }
  let tsign = 1.0;
  if (pmax == 1) tsign = copysign<f64>(1, svCosR) * copysign<f64>(1, svCosL) * copysign<f64>(1, f);
  else if (pmax == 2) tsign = copysign<f64>(1, svSinR) * copysign<f64>(1, svCosL) * copysign<f64>(1, g);
  else tsign = copysign<f64>(1, svSinR) * copysign<f64>(1, svSinL) * copysign<f64>(1, h);
  store<f64>(out, copysign<f64>(ssmin, tsign * copysign<f64>(1, f) * copysign<f64>(1, h)));
  store<f64>(out, copysign<f64>(ssmax, tsign), 8);
  store<f64>(out, svSinR, 16);
  store<f64>(out, svCosR, 24);
  store<f64>(out, svSinL, 32);
  store<f64>(out, svCosL, 40);
}

/** Golub & Van Loan 4th ed. §5.1.8–5.1.9 (BLAS drot): the plane rotation of two contiguous rows,
 *  x ← c·x + s·y, y ← c·y − s·x, as dbdsqr applies it to rows of Vᵀ and columns of U (rows of Uᵀ). */
export function applyGivens(x: usize, y: usize, c: f64, s: f64, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c);
    const sv = f64x2.splat(s);
    // Two lane pairs per step: the rotation is latency-bound, the second pair overlaps.
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      const x0 = v128.load(x + o);
      const y0 = v128.load(y + o);
      const x1 = v128.load(x + o, 16);
      const y1 = v128.load(y + o, 16);
      v128.store(x + o, f64x2.add(f64x2.mul(cv, x0), f64x2.mul(sv, y0)));
      v128.store(y + o, f64x2.sub(f64x2.mul(cv, y0), f64x2.mul(sv, x0)));
      v128.store(x + o, f64x2.add(f64x2.mul(cv, x1), f64x2.mul(sv, y1)), 16);
      v128.store(y + o, f64x2.sub(f64x2.mul(cv, y1), f64x2.mul(sv, x1)), 16);
    }
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      v128.store(x + o, f64x2.add(f64x2.mul(cv, xv), f64x2.mul(sv, yv)));
      v128.store(y + o, f64x2.sub(f64x2.mul(cv, yv), f64x2.mul(sv, xv)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    const yi = load<f64>(y + o);
    store<f64>(x + o, c * xi + s * yi);
    store<f64>(y + o, c * yi - s * xi);
  }
}

/** LAPACK dlasr ('V' pivot): rotation j of `count` (cosines c, sines s) turns rows first+j and
 *  first+j+1 of the row-major matrix x; forward applies j = 0, 1, …, backward the reverse order. */
export function rotateRows(x: usize, ld: i32, n: i32, first: i32, count: i32, c: usize, s: usize, forward: bool): void {
  if (ASC_FEATURE_THREADS && teamSplits(<u64>count * <u64>n, ROTATE_SPLIT_MIN)) {
    setJobArgs(<f64>x, ld, n, first, count, <f64>c, <f64>s, forward ? 1 : 0);
    teamRun(JOB_ROTATE, teamChunks((n + ROTATE_SHARE_ALIGN - 1) / ROTATE_SHARE_ALIGN));
    return;
  }
  for (let k = 0; k < count; k++) {
    const j = forward ? k : count - 1 - k;
    const cj = at(c, j);
    const sj = at(s, j);
    if (cj != 1 || sj != 0) {
      applyGivens(rowOf(x, first + j, ld), rowOf(x, first + j + 1, ld), cj, sj, n);
    }
  }
}

/** Chunk c of a split rotateRows: every rotation, on the columns [lo, hi). */
export function rotateShare(c: i32, chunks: i32): void {
  const n = jobInt(2);
  const lo = shareStart(n, chunks, c, ROTATE_SHARE_ALIGN);
  const hi = shareStart(n, chunks, c + 1, ROTATE_SHARE_ALIGN);
  if (hi > lo) rotateRows(jobPtr(0) + (<usize>lo << 3), jobInt(1), hi - lo, jobInt(3), jobInt(4), jobPtr(5), jobPtr(6), jobInt(7) != 0);
}

/**
 * The rotations of one QR sweep on both factors (dbdsqr's two dlasr calls): rotateRows on the
 * ncvt columns of Vᵀ with (cv, sv) and on the nru columns of Uᵀ with (cu, su), the same rows and
 * direction. The threaded build splits the columns of both as one job, so that two threads rotate
 * a matrix each rather than the two halves of every row: measured here, two threads on the
 * halves of the same rows ran each ≈ 1.6× slower per element than on two matrices.
 */
export function rotateRowPairs(vt: usize, ldv: i32, ncvt: i32, ut: usize, ldu: i32, nru: i32, first: i32, count: i32,
  cv: usize, sv: usize, cu: usize, su: usize, forward: bool): void {
  const units = (ncvt + ROTATE_SHARE_ALIGN - 1) / ROTATE_SHARE_ALIGN + (nru + ROTATE_SHARE_ALIGN - 1) / ROTATE_SHARE_ALIGN;
  if (ASC_FEATURE_THREADS && teamSplits(<u64>count * <u64>(ncvt + nru), ROTATE_SPLIT_MIN)) {
    setJobArgs(<f64>vt, ldv, ncvt, <f64>ut, ldu, nru, first, count, <f64>cv, <f64>sv, <f64>cu, <f64>su, forward ? 1 : 0);
    teamRun(JOB_ROTATE_PAIR, teamChunks(units));
    return;
  }
  if (ncvt > 0) rotateRows(vt, ldv, ncvt, first, count, cv, sv, forward);
  if (nru > 0) rotateRows(ut, ldu, nru, first, count, cu, su, forward);
}

/** Chunk c of a split rotateRowPairs: its 8-column units, Vᵀ's first, then Uᵀ's. */
export function rotatePairShare(c: i32, chunks: i32): void {
  const ncvt = jobInt(2);
  const nru = jobInt(5);
  const unitsV = (ncvt + ROTATE_SHARE_ALIGN - 1) / ROTATE_SHARE_ALIGN;
  const units = unitsV + (nru + ROTATE_SHARE_ALIGN - 1) / ROTATE_SHARE_ALIGN;
  const lo = shareStart(units, chunks, c, 1);
  const hi = shareStart(units, chunks, c + 1, 1);
  const first = jobInt(6);
  const count = jobInt(7);
  const forward = jobInt(12) != 0;
  // The part in Vᵀ's columns, then the part in Uᵀ's.
  const v0 = min(lo, unitsV) * ROTATE_SHARE_ALIGN;
  const v1 = min(min(hi, unitsV) * ROTATE_SHARE_ALIGN, ncvt);
  if (v1 > v0) rotateRows(jobPtr(0) + (<usize>v0 << 3), jobInt(1), v1 - v0, first, count, jobPtr(8), jobPtr(9), forward);
  const u0 = max(lo - unitsV, 0) * ROTATE_SHARE_ALIGN;
  const u1 = min(max(hi - unitsV, 0) * ROTATE_SHARE_ALIGN, nru);
  if (u1 > u0) rotateRows(jobPtr(3) + (<usize>u0 << 3), jobInt(4), u1 - u0, first, count, jobPtr(10), jobPtr(11), forward);
}
