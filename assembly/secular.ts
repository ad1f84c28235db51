// The merge step of the divide-and-conquer bidiagonal SVD (divide-conquer.ts): the singular
// values of the K×K arrow matrix M = [z₀ z₁ … z_{K−1}; 0 diag(d₁ … d_{K−1})] (d₀ = 0 < d₁ < …)
// as the roots of its secular equation, and its singular vectors recomputed from those roots.
// Gu & Eisenstat 1995, "A divide-and-conquer algorithm for the bidiagonal SVD", SIAM J. Matrix
// Anal. Appl. 16(1), §3–4; the root finder after Li 1994 ("Solving secular equations stably and
// efficiently", LAPACK Working Note 89: the two-pole "middle way"); LAPACK dlasd4 (each root
// relative to its nearest pole) and dlasd3 (the recomputed z) show the structure.
//
// Every difference d_j² − σ_i² is formed as (d_j − d_o − τ)(d_j + d_o + τ), where σ_i = d_o + τ
// and d_o is the pole nearest the root: no cancellation, so each is accurate to a few ulps
// relative to itself however close σ_i is to a pole. From them the vectors are orthogonal to
// working precision (the Löwner-theorem trick: ẑ is recomputed so that the computed σ are the
// exact singular values of M̂ = [ẑ; diag(d)]).
import { EPS } from "./constants";
import { at, norm2, put, rowOf } from "./vector";

/** Cap on the iterations for one root. The rational steps converge in about 3–6; a step that
 *  leaves the bracket is replaced by bisection, which alone would reach full precision within
 *  ~110 halvings of the interval between two poles. Reaching the cap means the input is not a
 *  valid merge (it never happened in testing): the caller then falls back to the QR iteration. */
const MAX_SECULAR_ITERATIONS: i32 = 120;
/** The cap in force: MAX_SECULAR_ITERATIONS, or what a debug build's test set
 *  (debugSetSecularIterationLimit) to reach the fallback path. Release never writes it. */
let iterationCap: i32 = MAX_SECULAR_ITERATIONS;

/** Debug builds only (re-exported by assembly/debug.ts): the cap on iterations per root, or −1
 *  to restore MAX_SECULAR_ITERATIONS. */
export function setSecularIterationLimit(limit: i32): void {
  iterationCap = limit >= 0 ? limit : MAX_SECULAR_ITERATIONS;
}
/** dlasd4's factor on the rounding error of the computed secular function: each term carries a
 *  few roundings (difference, product, quotient, sum), 8 bounds them with a margin. */
const SECULAR_ERROR_FACTOR: f64 = 8;

// Out-buffer of evaluateSecular (doubles): f, ψ′ (poles j ≤ i), φ′ (poles j > i), Σ|terms|,
// d_i² − σ², d_{i+1}² − σ².
const F: i32 = 0;
const DPSI: i32 = 1;
const DPHI: i32 = 2;
const ABS_SUM: i32 = 3;
const GAP_LEFT: i32 = 4;
const GAP_RIGHT: i32 = 5;
/** Doubles of the out-buffer that secularRoots needs (`g`). */
export const SECULAR_SCRATCH: i32 = 6;

// Σ z_j²/(d_j² − σ²) over j in [from, to), returned, and Σ z_j²/(d_j² − σ²)² written to g[slot],
// at σ = d_o + τ with each difference formed as (d_j − d_o − τ)(d_j + d_o + τ). The SIMD lanes
// round every term exactly as the scalar loop does; only the order of the sums differs.
function termSums(d: usize, zsq: usize, from: i32, to: i32, dOrigin: f64, tau: f64, g: usize, slot: i32): f64 {
  let sum = 0.0;
  let deriv = 0.0;
  let j = from;
  if (ASC_FEATURE_SIMD) {
    const vo = f64x2.splat(dOrigin);
    const vt = f64x2.splat(tau);
    const one = f64x2.splat(1);
    let s = f64x2.splat(0);
    let ds = f64x2.splat(0);
    for (; j + 2 <= to; j += 2) {
      const o = <usize>j << 3;
      const dj = v128.load(d + o);
      const r = f64x2.div(one, f64x2.mul(f64x2.sub(f64x2.sub(dj, vo), vt), f64x2.add(f64x2.add(dj, vo), vt)));
      const t = f64x2.mul(v128.load(zsq + o), r);
      s = f64x2.add(s, t);
      ds = f64x2.add(ds, f64x2.mul(t, r));
    }
    sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    deriv = f64x2.extract_lane(ds, 0) + f64x2.extract_lane(ds, 1);
  }
  for (; j < to; j++) {
    const dj = at(d, j);
    const r = 1 / ((dj - dOrigin - tau) * (dj + dOrigin + tau));
    const t = at(zsq, j) * r;
    sum += t;
    deriv += t * r;
  }
  put(g, slot, deriv);
  return sum;
}

// The two bracketing differences d_i² − σ², d_{i+1}² − σ² (the latter only when i < k − 1).
function setGaps(k: i32, i: i32, o: i32, tau: f64, d: usize, g: usize): void {
  const dOrigin = at(d, o);
  const di = at(d, i);
  put(g, GAP_LEFT, (di - dOrigin - tau) * (di + dOrigin + tau));
  if (i + 1 < k) {
    const dn = at(d, i + 1);
    put(g, GAP_RIGHT, (dn - dOrigin - tau) * (dn + dOrigin + tau));
  }
}

/**
 * f(σ) = 1 + Σ_j z_j² / (d_j² − σ²) at σ = d_o + τ for root i, with each d_j² − σ² formed
 * relative to the origin pole d_o. Writes f, the derivatives with respect to σ² of the
 * poles left of the root (j ≤ i) and right of it (j > i), the sum of the terms' magnitudes,
 * and the two bracketing differences (setGaps).
 */
function evaluateSecular(k: i32, i: i32, o: i32, tau: f64, d: usize, zsq: usize, g: usize): void {
  const dOrigin = at(d, o);
  const psi = termSums(d, zsq, 0, i + 1, dOrigin, tau, g, DPSI);
  const phi = termSums(d, zsq, i + 1, k, dOrigin, tau, g, DPHI);
  put(g, F, 1 + psi + phi);
  put(g, ABS_SUM, phi - psi); // ψ's terms are all negative, φ's all positive
  setGaps(k, i, o, tau, d, g);
}

/**
 * The correction η of σ² from the current point by the two-pole model (Li's "middle way"):
 * ψ is modelled by one pole at d_i² and φ by one at d_{i+1}², each matching the value and slope
 * of its part, which gives Cη² − Aη + B = 0 with exactly one root between the two poles. For
 * the last root there is no pole on the right and the model has one pole: η = Δ + Δ²ψ′/C.
 * Returns NaN when the model gives nothing usable (the caller bisects).
 */
function modelStep(last: bool, g: usize): f64 {
  const f = at(g, F);
  const dpsi = at(g, DPSI);
  const left = at(g, GAP_LEFT);
  if (last) {
    const c = f - left * dpsi;
    return c > 0 ? left + (left * left * dpsi) / c : NaN;
  }
  const dphi = at(g, DPHI);
  const right = at(g, GAP_RIGHT);
  const c = f - left * dpsi - right * dphi;
  const a = (left + right) * f - left * right * (dpsi + dphi);
  const b = left * right * f;
  if (c == 0) return a != 0 ? b / a : NaN;
  const disc = Math.sqrt(abs(a * a - 4 * b * c));
  // The two roots in the forms that avoid cancellation; keep the one between the poles.
  const q = a >= 0 ? a + disc : a - disc;
  const r1 = q / (2 * c);
  const r2 = q != 0 ? (2 * b) / q : NaN;
  if (r1 > left && r1 < right) return r1;
  if (r2 > left && r2 < right) return r2;
  return NaN;
}

/**
 * Root i of f(σ) = 1 + Σ_j z_j²/(d_j² − σ²) (d ascending, d₀ = 0, zsq = z² all > 0, znorm2 =
 * Σ z²), in (d_i, d_{i+1}), or in (d_{k−1}, √(d_{k−1}² + ‖z‖²)) for the last. The origin is the
 * nearer pole (by the sign of f at the midpoint in σ²), σ = d_o + τ, and τ is kept inside a
 * bracket that every evaluation shrinks. Writes o and τ to g[SECULAR_SCRATCH…+2) and returns
 * the iteration count, or −1 past MAX_SECULAR_ITERATIONS.
 */
function solveRoot(k: i32, i: i32, d: usize, zsq: usize, znorm2: f64, g: usize): i32 {
  const last = i == k - 1;
  let o = i;
  let tau: f64;
  let lo = 0.0;
  let hi: f64;
  const dl = at(d, i);
  if (!last) {
    const dr = at(d, i + 1);
    const half = 0.5 * ((dr - dl) * (dr + dl)); // midpoint in σ², measured from d_i²
    tau = half / (dl + Math.sqrt(dl * dl + half));
    evaluateSecular(k, i, i, tau, d, zsq, g);
    if (at(g, F) >= 0) {
      hi = tau; // f increases with σ: the root is at or left of the midpoint
    } else {
      // The same point measured from d_{i+1}: f and its slopes stand, the gaps are re-formed.
      o = i + 1;
      tau = -half / (dr + Math.sqrt(dr * dr - half));
      lo = tau;
      hi = 0;
      setGaps(k, i, o, tau, d, g);
    }
  } else {
    hi = znorm2 / (dl + Math.sqrt(dl * dl + znorm2));
    const half = 0.5 * znorm2;
    tau = half / (dl + Math.sqrt(dl * dl + half));
    evaluateSecular(k, i, o, tau, d, zsq, g);
  }
  const dOrigin = at(d, o);
  let iterations = 0;
  while (true) {
    const f = at(g, F);
    // Rounding error of f: the terms' own, and that of σ² as stored (τ to one ulp).
    const offset = abs(tau * (2 * dOrigin + tau));
    const bound = SECULAR_ERROR_FACTOR * (1 + at(g, ABS_SUM)) + offset * (at(g, DPSI) + at(g, DPHI));
    if (abs(f) <= EPS * bound) break;
    if (f < 0) lo = tau;
    else hi = tau;
    if (hi - lo <= 2 * EPS * max(abs(lo), abs(hi))) break;
    if (iterations >= iterationCap) return -1;
    const eta = modelStep(last, g);
    const sigma = dOrigin + tau;
    const x = sigma * sigma + eta;
    let next = x >= 0 ? tau + eta / (sigma + Math.sqrt(x)) : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    tau = next;
    evaluateSecular(k, i, o, tau, d, zsq, g);
    iterations++;
  }
  put(g, SECULAR_SCRATCH, <f64>o);
  put(g, SECULAR_SCRATCH + 1, tau);
  return iterations;
}

/**
 * The k singular values of the arrow matrix [z; diag(d)] (d ascending with d₀ = 0, the poles
 * distinct, every z_j ≠ 0): sigma[i] ∈ (d_i, d_{i+1}) ascending, and row i of diff (k×k) holds
 * d_j² − σ_i² for every j, each accurate to a few ulps. zsq: k doubles of scratch; g:
 * SECULAR_SCRATCH + 2 doubles. Returns 0, or the number of roots that hit the iteration cap.
 */
export function secularRoots(k: i32, d: usize, z: usize, sigma: usize, diff: usize, zsq: usize, g: usize): i32 {
  let znorm2 = 0.0;
  for (let j = 0; j < k; j++) {
    const zj = at(z, j);
    put(zsq, j, zj * zj);
    znorm2 += zj * zj;
  }
  let failed = 0;
  for (let i = 0; i < k; i++) {
    const row = rowOf(diff, i, k);
    if (k == 1) {
      // 1×1: σ = |z₀|, exactly.
      put(sigma, 0, abs(at(z, 0)));
      put(row, 0, -znorm2);
      continue;
    }
    if (solveRoot(k, i, d, zsq, znorm2, g) < 0) failed++;
    const o = <i32>at(g, SECULAR_SCRATCH);
    const tau = at(g, SECULAR_SCRATCH + 1);
    const dOrigin = at(d, o);
    put(sigma, i, dOrigin + tau);
    for (let j = 0; j < k; j++) {
      const dj = at(d, j);
      put(row, j, (dj - dOrigin - tau) * (dj + dOrigin + tau));
    }
  }
  return failed;
}

/**
 * Gu & Eisenstat's ẑ (their eq. 3.6, from Löwner's theorem): the z for which the computed
 * sigma are the exact singular values of [ẑ; diag(d)],
 *   ẑ_j² = (σ_{k−1}² − d_j²) · Π_{i<j} (σ_i² − d_j²)/(d_i² − d_j²) · Π_{j≤i<k−1} (σ_i² − d_j²)/(d_{i+1}² − d_j²),
 * with the sign of z_j. Each ratio lies in (0, 1) by interlacing, so the product neither
 * overflows nor loses accuracy; the rows of diff are read in order.
 */
export function loewnerWeights(k: i32, d: usize, z: usize, diff: usize, zhat: usize): void {
  const lastRow = rowOf(diff, k - 1, k);
  for (let j = 0; j < k; j++) put(zhat, j, abs(at(lastRow, j)));
  for (let i = 0; i < k - 1; i++) {
    const row = rowOf(diff, i, k);
    // j ≤ i pairs σ_i with d_{i+1}, j > i with d_i.
    scaleByRatios(zhat, row, d, 0, i + 1, at(d, i + 1));
    scaleByRatios(zhat, row, d, i + 1, k, at(d, i));
  }
  for (let j = 0; j < k; j++) put(zhat, j, copysign<f64>(Math.sqrt(at(zhat, j)), at(z, j)));
}

// zhat_j ·= |row_j / ((d_j − p)(d_j + p))| for j in [from, to) (|d_j² − p²|: the order of the
// pole pair does not change the rounded magnitude).
function scaleByRatios(zhat: usize, row: usize, d: usize, from: i32, to: i32, p: f64): void {
  let j = from;
  if (ASC_FEATURE_SIMD) {
    const vp = f64x2.splat(p);
    for (; j + 2 <= to; j += 2) {
      const o = <usize>j << 3;
      const dj = v128.load(d + o);
      const poles = f64x2.mul(f64x2.sub(dj, vp), f64x2.add(dj, vp));
      v128.store(zhat + o, f64x2.mul(v128.load(zhat + o), f64x2.abs(f64x2.div(v128.load(row + o), poles))));
    }
  }
  for (; j < to; j++) {
    const dj = at(d, j);
    put(zhat, j, at(zhat, j) * abs(at(row, j) / ((dj - p) * (dj + p))));
  }
}

/**
 * The right singular vectors of [ẑ; diag(d)] (Gu & Eisenstat §4): for root i,
 * v_i ∝ (ẑ_j / (d_j² − σ_i²))_j, normalised and multiplied by `sign` (±1: the caller's product
 * kernel may want them negated; a pair negated together is still a singular pair), written over
 * row i of diff (consumed first) with component j in column pos[j] (i32). The left vectors
 * u_i ∝ (−1, d_j ẑ_j / (d_j² − σ_i²))_{j ≥ 1} are the same quotients times d_j: what
 * leftFromRight needs to turn these rows into them later is kept per row, ‖v‖/‖u‖ in ratio and
 * the normalised −1 (times sign) in first. tmp: k doubles.
 */
export function arrowVectors(k: i32, d: usize, zhat: usize, diff: usize, pos: usize, ratio: usize, first: usize, tmp: usize, sign: f64): void {
  for (let i = 0; i < k; i++) {
    const row = rowOf(diff, i, k);
    quotients(tmp, zhat, row, k);
    const normV = norm2(tmp, k);
    const scale = sign / normV;
    for (let j = 0; j < k; j++) put(row, load<i32>(pos + (<usize>j << 2)), scale * at(tmp, j));
    products(tmp, d, k);
    put(tmp, 0, -1);
    const normU = norm2(tmp, k);
    put(ratio, i, normV / normU);
    put(first, i, -sign / normU);
  }
}

/**
 * Turns the rows that arrowVectors wrote (right vectors, columns in pos order) into the left
 * vectors in place: component j ≥ 1 times d_j·ratio[i], component 0 replaced by first[i].
 */
export function leftFromRight(k: i32, d: usize, pos: usize, rows: usize, ratio: usize, first: usize): void {
  for (let i = 0; i < k; i++) {
    const row = rowOf(rows, i, k);
    const r = at(ratio, i);
    put(row, load<i32>(pos), at(first, i));
    for (let j = 1; j < k; j++) {
      const c = load<i32>(pos + (<usize>j << 2));
      put(row, c, at(row, c) * (at(d, j) * r));
    }
  }
}

// out_j = x_j / y_j over k doubles.
function quotients(out: usize, x: usize, y: usize, k: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 2 <= k; j += 2) {
      const o = <usize>j << 3;
      v128.store(out + o, f64x2.div(v128.load(x + o), v128.load(y + o)));
    }
  }
  for (; j < k; j++) put(out, j, at(x, j) / at(y, j));
}

// x_j ·= y_j over k doubles.
function products(x: usize, y: usize, k: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 2 <= k; j += 2) {
      const o = <usize>j << 3;
      v128.store(x + o, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    }
  }
  for (; j < k; j++) put(x, j, at(x, j) * at(y, j));
}
