// Singular values of an upper bidiagonal matrix to high relative accuracy by the differential
// quotient-difference algorithm with shifts (dqds): Fernando & Parlett 1994, "Accurate singular
// values and differential qd algorithms", Numer. Math. 67; Parlett & Marques 2000, "An
// implementation of the dqds algorithm (positive case)", Lin. Alg. Appl. 309. LAPACK's
// dlasq1–dlasq6 compute the same; this file follows the papers with its own structure.
//
// The bidiagonal B (diagonal a, superdiagonal b) becomes the qd array q = a², e = b². One dqds
// transform with shift τ computes the array of B̂ with B̂ᵀB̂ = BBᵀ − τI:
//     d = q₁ − τ;  for k: q̂ₖ = d + eₖ,  t = qₖ₊₁ / q̂ₖ,  êₖ = eₖ·t,  d = d·t − τ;  q̂ₙ = d
// (the "positive case": every pivot d ≥ 0 exactly when τ is below the smallest eigenvalue, and
// then every entry keeps high relative accuracy). The shifts add up in σ; an eigenvalue of the
// current array plus σ is σᵢ(B)². Transforms alternate between two arrays (ping-pong), so a
// transform whose pivots went negative is simply discarded and retried with a smaller shift.
//
// Shifts (Parlett & Marques' ideas, our own rules, not dlasq4's case analysis): after each
// transform the smallest pivot dmin bounds the new array's smallest eigenvalue from above, and
// once the bottom has nearly converged its eigenvalue sits just below the last pivot dn. The next
// shift is the larger of PIVOT_FRACTION·dmin and dn less twice its estimated coupling to the
// rest. A transform whose pivots went negative is discarded and retried with τ + d_last when
// only the last pivot failed (an estimate from below), else with τ/4, and with τ = 0 after
// MAX_SHIFT_FAILURES failures in a row (dqd, which cannot fail). Each segment starts with τ = 0.
import { EPS, SAFE_MIN } from "./constants";
import { iterationCapFactor, sortDescending } from "./bidiagonal-qr";
import { powerOfTwoBelow } from "./scaling";
import { at, put } from "./vector";

/** Relative tolerance of deflation and splitting (100·ε, as dlasq3's TOL): an off-diagonal
 *  b ≤ DEFLATION_TOL·σ, σ a lower bound on the singular values it couples, moves each of them by
 *  at most that much relatively (Weyl), in practice by its square. Compared as b² = e. */
const DEFLATION_TOL: f64 = 100 * EPS;
const DEFLATION_TOL2: f64 = DEFLATION_TOL * DEFLATION_TOL;
/** B is scaled by a power of two so that its largest entry lies in [2⁵⁰⁵, 2⁵⁰⁶) (dlasq1 scales
 *  too, to √(ε/SAFE_MIN)): every qd entry then stays below λ_max ≤ (2·max)² < 2¹⁰¹⁴, with room
 *  for the few sums the shifts and tests form, and squares keep full precision down to singular
 *  values 2⁻¹⁰¹⁷ ≈ 1e-306 times the largest entry. */
const SCALE_TARGET: f64 = 1.0474849945267654e152; // 2^505
/** A bidiagonal whose largest entry is below LIFT_BELOW = 2⁻⁴⁰⁰ is first multiplied by
 *  LIFT = 2⁶⁰⁰, so that the scale (2⁵⁰⁵ over the largest entry) stays below 2⁹⁷⁹, subnormal
 *  entries included. */
const LIFT_BELOW: f64 = 3.8725919148493183e-121; // 2^-400
const LIFT: f64 = 4.149515568880993e180; // 2^600
/** Flip a new segment end for end when its last q exceeds FLIP_RATIO times its first (1.5, as
 *  dlasq2/dlasq3's CBIAS): dqds deflates at the bottom, which should hold the small values. */
const FLIP_RATIO: f64 = 1.5;
/** How many times the estimated coupling correction the bottom shift subtracts (nextShift): on
 *  the 512² and 1024² benchmark bidiagonals 2 lets 1.2 % and 0.7 % of the transforms fail; 1
 *  lets 21 % fail and takes 17 % more steps, 4 takes 2 % more steps. */
const BOTTOM_SAFETY: f64 = 2;
/** The smallest pivot bounds the smallest eigenvalue from above: the shift is at least this
 *  fraction of it (Parlett & Marques shift by fractions of dmin too). It is what moves the
 *  shift forward before the bottom has converged, and in clusters; 1/4 and 3/4 take 1 % more
 *  steps on the benchmark bidiagonals. */
const PIVOT_FRACTION: f64 = 0.5;
/** The cap on the transforms' summed lengths is DQDS_CAP_SCALE times the QR iteration's
 *  (MAXITR·n², iterationCapFactor()): a dqds step is one division chain, a fraction of a QR
 *  step's two rotations, and a cluster converges from below only. */
const DQDS_CAP_SCALE: i64 = 5;
/** Shift failures in a row after which the shift is zero (a dqd transform never fails). */
const MAX_SHIFT_FAILURES: i32 = 3;
/** After a late failure (only the last pivot negative), τ + d_last estimates the smallest
 *  eigenvalue from below; this factor keeps the retry strictly under it despite rounding. */
const LATE_FAILURE_FACTOR: f64 = 1 - 16 * EPS;

// Slots of the transform's out-buffer (OUT_DOUBLES doubles after the arrays in the scratch).
const OUT_DMIN = 0; // smallest pivot (NaN propagates)
const OUT_DMIN_UPPER = 1; // smallest pivot except the last
const OUT_DLAST = 2; // the last pivot
const OUT_DMIN_UPPER_2 = 3; // smallest pivot except the last two
const OUT_SPLIT = 4; // largest k with êₖ negligible, or −1
const OUT_DOUBLES: i32 = 6;

/** Doubles of scratch bidiagonalValues needs for an n×n bidiagonal: two qd arrays (ping-pong),
 *  the accumulated shift of each split-off segment, and the transform's out-buffer. */
// @ts-ignore: decorator
@inline export function dqdsScratch(n: i32): u64 {
  return 5 * <u64>n + <u64>OUT_DOUBLES;
}

/**
 * Singular values of the n×n upper bidiagonal (d, e) by dqds, to high relative accuracy, into
 * d: descending, ≥ 0 (signs of d and e do not matter). e (n − 1 doubles) is left unchanged.
 * work: dqdsScratch(n) doubles. Returns 0, or (like bidiagonalQr) the number of off-diagonals
 * still not negligible when the transforms' lengths summed past the iteration cap
 * (DQDS_CAP_SCALE·iterationCapFactor()·n²); d then holds finite approximations.
 */
export function bidiagonalValues(n: i32, d: usize, e: usize, work: usize): i32 {
  if (n <= 0) return 0;
  const bytes = <usize>n << 3;
  const qa = work;
  const ea = qa + bytes;
  const base = ea + 3 * bytes; // after qb, eb
  let big = 0.0;
  for (let i = 0; i < n; i++) big = max(big, abs(at(d, i)));
  for (let i = 0; i < n - 1; i++) big = max(big, abs(at(e, i)));
  if (big == 0) {
    memory.fill(d, 0, bytes);
    return 0;
  }
  // Two powers of two (their product may not be representable): exact both ways.
  const lift = big < LIFT_BELOW ? LIFT : 1.0;
  const scale = SCALE_TARGET / powerOfTwoBelow(big * lift);
  for (let i = 0; i < n; i++) {
    const x = at(d, i) * lift * scale;
    put(qa, i, x * x);
  }
  for (let i = 0; i < n - 1; i++) {
    const x = at(e, i) * lift * scale;
    put(ea, i, x * x);
  }
  put(ea, n - 1, 0);
  memory.fill(base, 0, bytes);
  markNegligible(qa, ea, n);
  const unconverged = iterate(n, d, work);
  for (let i = 0; i < n; i++) put(d, i, Math.sqrt(at(d, i)) / scale / lift);
  sortDescending(n, d, 0, 0, 0, 0, 0, 0);
  return unconverged;
}

// The qd form of Demmel & Kahan's relative splitting criterion (dbdsqr's μ recurrence; dlasq2
// runs it on the initial array as "Li's test"): the dqd pivots p₁ = q₁, pₖ₊₁ = qₖ₊₁·pₖ/(pₖ + eₖ) run
// from the top, and eₖ ≤ DEFLATION_TOL²·pₖ is set to zero (a split) without losing relative
// accuracy in any singular value.
function markNegligible(q: usize, e: usize, n: i32): void {
  let p = at(q, 0);
  for (let k = 0; k < n - 1; k++) {
    const ek = at(e, k);
    if (ek <= DEFLATION_TOL2 * p) {
      put(e, k, 0);
      p = at(q, k + 1);
    } else {
      p = at(q, k + 1) * (p / (p + ek));
    }
  }
}

// Runs dqds on every segment of the array in work (qa, ea; splits are zeros of ea), from the
// bottom segment up, writing each eigenvalue (σ + the converged q) into lam at the position it
// converged at. Returns 0 or the unconverged count at the iteration cap.
function iterate(n: i32, lam: usize, work: usize): i32 {
  const bytes = <usize>n << 3;
  const qa = work;
  const ea = qa + bytes;
  const qb = ea + bytes;
  const eb = qb + bytes;
  const base = eb + bytes; // base[k]: σ of the segment that ends at k, when it split off
  const out = base + bytes;
  const cap: i64 = DQDS_CAP_SCALE * <i64>iterationCapFactor() * <i64>n * <i64>n;
  let steps: i64 = 0;
  let hi = n - 1;
  while (hi >= 0) {
    // A new segment lo..hi, always in (qa, ea); ping-pong starts over.
    let lo = hi;
    while (lo > 0 && at(ea, lo - 1) != 0) lo--;
    // σ as an unevaluated sum sigma + sigmaLow (Knuth's two-sum per shift): hundreds of shifts
    // add up in it, and its rounding would otherwise be the largest error of the small values.
    let sigma = at(base, hi);
    let sigmaLow = 0.0;
    let q = qa;
    let e = ea;
    let qn = qb;
    let en = eb;
    if (hi > lo && at(q, hi) > FLIP_RATIO * at(q, lo)) flip(q, e, lo, hi);
    // A segment starts with a zero shift (dqd). gap, gap2: the smallest pivot of the last
    // transform except the last one (two): upper bounds on the smallest eigenvalue of the block
    // above the bottom (the bottom two), zero when unknown.
    let tau = 0.0;
    let gap = 0.0;
    let gap2 = 0.0;
    let failures = 0;
    while (hi >= lo) {
      if (hi == lo) {
        put(lam, hi, sigma + (sigmaLow + at(q, hi)));
        hi--;
        break;
      }
      if (hi == lo + 1) {
        putTwoByTwo(lam, lo, at(q, lo), at(e, lo), at(q, hi), sigma, sigmaLow);
        hi -= 2;
        break;
      }
      // Deflation at the bottom: one value when b_{hi−1} is negligible against σ_hi itself,
      // two (the trailing 2×2 solved directly) when b_{hi−2} is against σ, a lower bound.
      if (at(e, hi - 1) <= DEFLATION_TOL2 * (sigma + at(q, hi))) {
        put(lam, hi, sigma + (sigmaLow + at(q, hi)));
        hi--;
        tau = hi - lo >= 2 ? nextShift(q, e, hi, gap, gap2) : 0;
        gap = gap2;
        gap2 = 0;
        failures = 0;
        continue;
      }
      if (at(e, hi - 2) <= DEFLATION_TOL2 * sigma) {
        putTwoByTwo(lam, hi - 1, at(q, hi - 1), at(e, hi - 1), at(q, hi), sigma, sigmaLow);
        hi -= 2;
        tau = PIVOT_FRACTION * gap2;
        gap = 0;
        gap2 = 0;
        failures = 0;
        continue;
      }
      if (steps > cap) return abandon(lam, qa, ea, base, q, e, lo, hi, sigma + sigmaLow);
      transform(q, e, qn, en, lo, hi, tau, DEFLATION_TOL2 * (sigma + tau), out);
      steps += hi - lo + 1;
      if (!(at(out, OUT_DMIN) >= 0)) {
        // Failed (a negative or NaN pivot): discard the new array, retry with a smaller shift.
        failures++;
        const late = at(out, OUT_DMIN_UPPER) >= 0 ? tau + at(out, OUT_DLAST) : 0.0;
        if (failures >= MAX_SHIFT_FAILURES) tau = 0;
        else if (late > 0 && late < tau) tau = late * LATE_FAILURE_FACTOR;
        else tau *= 0.25;
        continue;
      }
      failures = 0;
      const sum = sigma + tau;
      const tauPart = sum - sigma;
      sigmaLow += (sigma - (sum - tauPart)) + (tau - tauPart);
      sigma = sum;
      const qt = q;
      q = qn;
      qn = qt;
      const et = e;
      e = en;
      en = et;
      gap = at(out, OUT_DMIN_UPPER);
      gap2 = at(out, OUT_DMIN_UPPER_2);
      tau = nextShift(q, e, hi, at(out, OUT_DMIN), gap);
      // A negligible êₖ (against σ, below every eigenvalue) higher up splits the segment: the
      // top part waits in (qa, ea) with its σ in base; the bottom part goes on (its pivots are
      // among the segment's, so the shift stays as it was). Splits in the last two positions
      // are the deflations above.
      const split = <i32>at(out, OUT_SPLIT);
      if (split >= lo && split < hi - 2) {
        if (q != qa) {
          memory.copy(qa + (<usize>lo << 3), q + (<usize>lo << 3), <usize>(split - lo + 1) << 3);
          memory.copy(ea + (<usize>lo << 3), e + (<usize>lo << 3), <usize>(split - lo + 1) << 3);
        }
        const splitTol = DEFLATION_TOL2 * sigma;
        for (let k = lo; k <= split; k++) {
          if (at(ea, k) <= splitTol) {
            put(ea, k, 0);
            put(base, k, sigma + sigmaLow);
          }
        }
        lo = split + 1;
      }
    }
  }
  return 0;
}

// The iteration cap was reached inside segment lo..hi (current arrays q, e, shift σ): writes
// every value not yet converged as it stands (σ + q) and counts the off-diagonals left.
function abandon(lam: usize, qa: usize, ea: usize, base: usize, q: usize, e: usize, lo: i32, hi: i32, sigma: f64): i32 {
  let count = 0;
  for (let k = lo; k <= hi; k++) put(lam, k, sigma + at(q, k));
  for (let k = lo; k < hi; k++) if (at(e, k) != 0) count++;
  let top = lo - 1;
  while (top >= 0) {
    let first = top;
    while (first > 0 && at(ea, first - 1) != 0) first--;
    const s = at(base, top);
    for (let k = first; k <= top; k++) put(lam, k, s + at(qa, k));
    count += top - first;
    top = first - 1;
  }
  return max(count, 1);
}

// The next shift for the array (q, e) ending at hi, from two pivots of the last transform:
// dmin, the smallest (an upper bound on the smallest eigenvalue, the shift is at least
// PIVOT_FRACTION of it), and gap, the smallest above the bottom. Once the bottom has nearly
// converged, its eigenvalue lies just below dn = q_hi: coupled to the rest by b² = e_{hi−1}·q_hi
// (BBᵀ's last row), it sits about dn·e_{hi−1}/(g − dn) lower, g the smallest eigenvalue above.
// gap stands in for g (an upper bound, not a lower one: hence the correction is taken
// BOTTOM_SAFETY times); a shift that proves too big is caught by the failure path.
function nextShift(q: usize, e: usize, hi: i32, dmin: f64, gap: f64): f64 {
  const dn = at(q, hi);
  const coupling = BOTTOM_SAFETY * at(e, hi - 1);
  const tau = PIVOT_FRACTION * dmin;
  if (gap > dn + coupling) return max(tau, dn * (1 - coupling / (gap - dn)));
  return tau;
}

// Reverses the segment lo..hi: the qd array of the bidiagonal read from the bottom right
// (reversed and transposed), which has the same singular values.
function flip(q: usize, e: usize, lo: i32, hi: i32): void {
  for (let i = lo, j = hi; i < j; i++, j--) {
    const t = at(q, i);
    put(q, i, at(q, j));
    put(q, j, t);
  }
  for (let i = lo, j = hi - 1; i < j; i++, j--) {
    const t = at(e, i);
    put(e, i, at(e, j));
    put(e, j, t);
  }
}

/**
 * One dqds transform with shift tau of the segment lo..hi (hi − lo ≥ 2) of (q, e) into (qn, en)
 * (Fernando & Parlett 1994, Algorithm dqds), with its smallest pivots and the largest k with
 * êₖ ≤ splitTol in the out-buffer. The new array is valid only when the smallest pivot is ≥ 0.
 */
function transform(q: usize, e: usize, qn: usize, en: usize, lo: i32, hi: i32, tau: f64, splitTol: f64, out: usize): void {
  let d = at(q, lo) - tau;
  let dmin = d;
  let dminUpper = d;
  let dminUpper2 = d;
  let split = -1;
  for (let k = lo; k < hi; k++) {
    const ek = at(e, k);
    const qHat = d + ek;
    const qNext = at(q, k + 1);
    const t = qNext / qHat;
    let eHat = ek * t;
    let dNext = d * t - tau;
    if (!(t >= SAFE_MIN)) {
      // The ratio underflowed (graded arrays: qₖ₊₁ ≪ q̂ₖ) though d·t and eₖ·t need not: form
      // them as qₖ₊₁·(eₖ/q̂ₖ) and qₖ₊₁·(d/q̂ₖ), both quotients ≤ 1. Rare, so predictable.
      eHat = qNext * (ek / qHat);
      dNext = qNext * (d / qHat) - tau;
    }
    put(qn, k, qHat);
    put(en, k, eHat);
    split = eHat <= splitTol ? k : split;
    d = dNext;
    dminUpper2 = dminUpper;
    dminUpper = dmin;
    dmin = min(dmin, d);
  }
  put(qn, hi, d);
  put(out, OUT_DMIN, dmin);
  put(out, OUT_DMIN_UPPER, dminUpper);
  put(out, OUT_DMIN_UPPER_2, dminUpper2);
  put(out, OUT_DLAST, d);
  put(out, OUT_SPLIT, <f64>split);
}

// The two eigenvalues (plus σ = sigma + sigmaLow) of the 2×2 qd array (q1, e1, q2), i.e. the
// squared singular values of [[a₁, b₁], [0, a₂]], into lam[i] (larger) and lam[i + 1], to high
// relative accuracy and without products of two squares (which could overflow at our scale).
function putTwoByTwo(lam: usize, i: i32, q1: f64, e1: f64, q2: f64, sigma: f64, sigmaLow: f64): void {
  // [[a₂, b₁], [0, a₁]] has the same singular values: take q1 ≥ q2.
  if (q1 < q2) {
    const t = q1;
    q1 = q2;
    q2 = t;
  }
  // λ = (q1 + e1 + q2)/2 ± √(t² + e1·q2), t = (q1 − q2 + e1)/2 ≥ e1/2; λ₁λ₂ = q1·q2.
  const t = 0.5 * (q1 - q2 + e1);
  let big = q1;
  let small = q2;
  if (t > 0) {
    big = q2 + t + Math.sqrt(t) * Math.sqrt(t + e1 * (q2 / t));
    small = q2 * (q1 / big);
  }
  put(lam, i, sigma + (sigmaLow + big));
  put(lam, i + 1, sigma + (sigmaLow + small));
}
