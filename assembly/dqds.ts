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
// Shifts (our strategy, not dlasq4's case analysis of dmin, dn and Gerschgorin-type bounds):
// Newton's step from the left on the characteristic polynomial, τ = 1 / trace((B̂ᵀB̂)⁻¹) =
// 1 / ‖B̂⁻¹‖²_F, a lower bound on the smallest eigenvalue in exact arithmetic (so transforms
// seldom fail) that converges quadratically to an isolated one. The column norms of B̂⁻¹ obey
// cₖ = (1 + êₖ₋₁·cₖ₋₁) / q̂ₖ, so the trace comes out of each transform as a second, independent
// chain of divisions. A failed transform is retried with τ + d_last when only the last pivot went
// negative (it estimates the eigenvalue from below), else with τ/4, and with τ = 0 after
// MAX_SHIFT_FAILURES failures in a row (dqd, which cannot fail).
import { EPS, SAFE_MIN } from "./constants";
import { iterationCapFactor, sortDescending } from "./bidiagonal-qr";
import { powerOfTwoBelow } from "./scaling";
import { at, put } from "./vector";

/** Relative tolerance of deflation and splitting (Parlett & Marques' 100·ε): an off-diagonal
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
/** Flip a new segment end for end when its last q exceeds FLIP_RATIO times its first (Parlett &
 *  Marques' 1.5): dqds deflates at the bottom, which should hold the small values. */
const FLIP_RATIO: f64 = 1.5;
/** How many times the estimated coupling correction the bottom shift subtracts (bottomShift):
 *  on the 512² and 1024² benchmark bidiagonals 2 keeps failed transforms below 1 in 15 while
 *  halving the transforms against the lower bound alone. */
const BOTTOM_SAFETY: f64 = 2;
/** The smallest pivot bounds the smallest eigenvalue from above; a shift of this fraction of it
 *  at least (as Parlett & Marques' shifts of a fraction of dmin) lets a cluster, where the lower
 *  bound closes in only as 1 − 1/√(cluster size) per transform, converge: 1/2 cut a 20-value
 *  cluster's steps from 6.2·n² to 4.0·n² and changed nothing on the benchmark bidiagonals. */
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
const OUT_BOUND = 3; // lower bound on the new array's smallest eigenvalue over lo..hi
const OUT_BOUND_1 = 4; // … over lo..hi−1 (the leading block's inverse is the inverse's block)
const OUT_BOUND_2 = 5; // … over lo..hi−2
const OUT_SPLIT = 6; // largest k with êₖ negligible, or −1
const OUT_DMIN_UPPER_2 = 7; // smallest pivot except the last two
const OUT_DOUBLES: i32 = 8;

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

// The qd form of Demmel & Kahan's relative splitting criterion (dbdsqr's μ recurrence; Parlett &
// Marques use it on the initial array): the dqd pivots p₁ = q₁, pₖ₊₁ = qₖ₊₁·pₖ/(pₖ + eₖ) run
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
    // Lower bounds on the smallest eigenvalue over lo..hi−1 and lo..hi−2 (interlacing: each
    // also bounds every shorter leading block, so they stay valid after deflations). A segment
    // starts with a zero shift (dqd), whose transform yields the first bounds.
    let bound1 = 0.0;
    let bound2 = 0.0;
    let tau = 0.0;
    // The smallest pivot above the bottom (above the bottom two) of the last transform: the
    // gap estimate of bottomShift; zero when unknown.
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
        tau = hi - lo >= 2 ? bottomShift(q, e, hi, gap2, bound1) : 0;
        bound1 = bound2;
        gap = gap2;
        gap2 = 0;
        failures = 0;
        continue;
      }
      if (at(e, hi - 2) <= DEFLATION_TOL2 * sigma) {
        putTwoByTwo(lam, hi - 1, at(q, hi - 1), at(e, hi - 1), at(q, hi), sigma, sigmaLow);
        hi -= 2;
        tau = bound2;
        bound1 = bound2;
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
      tau = max(bottomShift(q, e, hi, gap, at(out, OUT_BOUND)), PIVOT_FRACTION * at(out, OUT_DMIN));
      bound1 = at(out, OUT_BOUND_1);
      bound2 = at(out, OUT_BOUND_2);
      // A negligible êₖ (against σ, below every eigenvalue) higher up splits the segment: the
      // top part waits in (qa, ea) with its σ in base; the bottom part goes on, with bounds
      // that still hold (its eigenvalues are among the segment's). Splits in the last two
      // positions are the deflations above.
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
        tau = at(out, OUT_BOUND);
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

// The next shift: the larger of a lower bound and Parlett & Marques' asymptotic estimate from
// the bottom. Once the bottom has nearly converged, its eigenvalue lies just below the last
// pivot dn = q_hi: coupled to the rest by b² = e_{hi−1}·q_hi (BBᵀ's last row), it sits about
// dn·e_{hi−1}/(g − dn) lower, g the leading block's smallest eigenvalue. The smallest pivot
// above the bottom stands in for g (an estimate, not a bound: hence the correction is taken
// BOTTOM_SAFETY times); a shift that proves too big is caught by the failure path.
function bottomShift(q: usize, e: usize, hi: i32, gap: f64, bound: f64): f64 {
  const dn = at(q, hi);
  const coupling = BOTTOM_SAFETY * at(e, hi - 1);
  if (gap > dn + coupling) return max(bound, dn * (1 - coupling / (gap - dn)));
  return bound;
}

// The shift from the norms of M⁻¹, M = B̂ᵀB̂: λ_min ≥ 1/‖M⁻¹‖_F = 1/√frob ≥ 1/trace. The
// Frobenius bound is the sharp one (for a dense spectrum the trace is ~ log n times too big);
// the trace one serves when frob overflowed. Zero when both are unusable (a zero eigenvalue).
// @ts-ignore: decorator
@inline function lowerBound(trace: f64, frob: f64): f64 {
  const fromTrace = trace > 0 && trace < Infinity ? 1 / trace : 0;
  const fromFrob = frob > 0 && frob < Infinity ? 1 / Math.sqrt(frob) : 0;
  return max(fromTrace, fromFrob);
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
 * (Fernando & Parlett 1994, Algorithm dqds). Alongside, the norms of the new array's inverse
 * (the next shift): with B̂⁻¹'s columns gⱼ = αⱼgⱼ₋₁ + eⱼ/âⱼ (αⱼ² = êⱼ₋₁/q̂ⱼ), cⱼ = ‖gⱼ‖² =
 * (1 + êⱼ₋₁cⱼ₋₁)/q̂ⱼ gives trace(M⁻¹) = Σ cⱼ, and gᵢ·gⱼ = αᵢ₊₁⋯αⱼ·cᵢ gives ‖M⁻¹‖²_F = ‖B̂⁻ᵀB̂⁻¹‖²_F =
 * Σ (cⱼ² + 2hⱼ), hⱼ = αⱼ²(hⱼ₋₁ + cⱼ₋₁²): all terms positive. Also the largest k with
 * êₖ ≤ splitTol. Writes the out-buffer's slots; the new array is valid only when the smallest
 * pivot is ≥ 0.
 */
export function transform(q: usize, e: usize, qn: usize, en: usize, lo: i32, hi: i32, tau: f64, splitTol: f64, out: usize): void {
  let d = at(q, lo) - tau;
  let dmin = d;
  let dminUpper = d;
  let dminUpper2 = d;
  let c = 0.0;
  let h = 0.0;
  let ePrev = 0.0;
  let trace = 0.0;
  let frob = 0.0;
  let trace1 = 0.0;
  let frob1 = 0.0;
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
    const inv = 1 / qHat;
    h = ePrev * inv * (h + c * c);
    c = (1 + ePrev * c) * inv;
    trace1 = trace;
    frob1 = frob;
    trace += c;
    frob += c * c + 2 * h;
    ePrev = eHat;
    split = eHat <= splitTol ? k : split;
    d = dNext;
    dminUpper2 = dminUpper;
    dminUpper = dmin;
    dmin = min(dmin, d);
  }
  put(qn, hi, d);
  const inv = 1 / d;
  h = ePrev * inv * (h + c * c);
  c = (1 + ePrev * c) * inv;
  put(out, OUT_DMIN, dmin);
  put(out, OUT_DMIN_UPPER, dminUpper);
  put(out, OUT_DLAST, d);
  put(out, OUT_BOUND, lowerBound(trace + c, frob + c * c + 2 * h));
  put(out, OUT_BOUND_1, lowerBound(trace, frob));
  put(out, OUT_BOUND_2, lowerBound(trace1, frob1));
  put(out, OUT_SPLIT, <f64>split);
  put(out, OUT_DMIN_UPPER_2, dminUpper2);
}

// The two eigenvalues (plus σ = sigma + sigmaLow) of the 2×2 qd array (q1, e1, q2), i.e. the squared singular
// values of [[a₁, b₁], [0, a₂]], into lam[i] (larger) and lam[i + 1], to high relative
// accuracy and without forming products of two squares (which could overflow at our scale).
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
