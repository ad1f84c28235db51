// Singular value decomposition A = U diag(S) Vᵀ of a dense row-major m×n matrix, after
// LAPACK dgesvd: scale into the safe range, QR first when tall (dgeqrf), Householder
// bidiagonalisation (dgebrd with dlabrd panels, dgebd2 for small matrices and the tail),
// explicit factors (dorgbr), implicit QR on the bidiagonal (dbdsqr, Demmel & Kahan 1990),
// then signs and order. See docs/algorithms.md, "SVD".
//
// Layout. The kernel always works on a tall M×N matrix B (M ≥ N): B = A when m ≥ n, B = Aᵀ
// when m < n (then A = V_B S U_Bᵀ, so the two factors swap on output). B is held transposed,
// one contiguous row per column of B, so that the left reflectors of QR and bidiagonalisation
// and the reflectors that build U are all contiguous dot/axpy passes. U and V are held as Uᵀ
// and Vᵀ (one contiguous row per singular vector), so every Givens rotation of the QR
// iteration is an f64x2 pass over two contiguous rows; they are transposed once at the end.
import { STATUS_OK, STATUS_NO_CONVERGENCE } from "./status";
import { axpy, dot, scaledNorm } from "./vector";
import { gemmSubtract, gemmPackDoubles, gemvRows, gemvTransposedRows } from "./blas";

// ---------------------------------------------------------------------------------------------
// Constants (IEEE double; LAPACK dlamch names in brackets)

/** Debug-blocked build only (asconfig `use: LOWRANK_SMALL_BLOCKS=1`): tiny panels and crossovers
 *  so that the tests reach every blocked path on small shapes. */
// @ts-ignore: compile-time constant introduced by `--use`
const SMALL_BLOCKS: bool = isDefined(LOWRANK_SMALL_BLOCKS);

/** Unit roundoff 2⁻⁵³ [dlamch 'E']: the precision the convergence tests are stated in. */
const EPS: f64 = 1.1102230246251565e-16;
/** 2⁻⁵² [dlamch 'P' = eps·base]: what dgesvd uses to place its scaling thresholds. */
const PRECISION: f64 = 2.220446049250313e-16;
/** Smallest normal double 2⁻¹⁰²² [dlamch 'S']: below it, quotients lose relative accuracy. */
const SAFE_MIN: f64 = 2.2250738585072014e-308;
/** 1 / SAFE_MIN = 2¹⁰²² [dlartg's safmax]: the largest scale a rotation may divide by. */
const SAFE_MAX: f64 = 1 / SAFE_MIN;
/** sqrt(SAFE_MIN) [dlartg's rtmin]: f² + g² cannot underflow harmfully when |f|, |g| exceed it. */
const ROOT_MIN: f64 = 1.4916681462400413e-154;
/** sqrt(SAFE_MAX / 2) [dlartg's rtmax]: f² + g² cannot overflow when |f|, |g| are below it. */
const ROOT_MAX: f64 = 4.7403759540545887e153;
/** sqrt(SAFE_MIN) / PRECISION [dgesvd's smlnum]: a matrix whose largest entry is below this
 *  is scaled up so that squares and products in the reflectors keep full relative precision. */
const SMALL_NORM: f64 = ROOT_MIN / PRECISION;
/** 1 / SMALL_NORM [dgesvd's bignum]: a matrix whose largest entry exceeds this is scaled down so
 *  that norms of columns (≤ sqrt(m)·max entry) and their squares cannot overflow. */
const BIG_NORM: f64 = 1 / SMALL_NORM;
/** SAFE_MIN / EPS [dlarfg's safmin]: a reflector whose β is smaller is rescaled first, else
 *  1/(α − β) overflows; also the sum of squares below which gradual underflow of the squared
 *  entries could cost relative accuracy, so the norm is recomputed with scaling. */
const REFLECTOR_SAFE_MIN: f64 = SAFE_MIN / EPS;
/** dlarfg's cap on rescaling passes: 20 passes of 1/REFLECTOR_SAFE_MIN cover any double. */
const REFLECTOR_MAX_RESCALES: i32 = 20;
/** dgesvd's crossover (ilaenv ispec 6): when m ≥ 1.6·n, QR first and bidiagonalise the n×n R,
 *  because bidiagonalising R and applying Q afterwards is cheaper than bidiagonalising A. */
const QR_CROSSOVER: f64 = 1.6;
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
 *  cap, or −1 to restore MAXITR. */
export function setIterationLimitFactor(factor: i32): void {
  iterationLimitOverride = factor;
}
/** dgebrd's block size (ilaenv nb = 32): columns per bidiagonalisation panel. The panel's
 *  L = [Y | V] and R = [Uᵀ; Xᵀ] make the trailing update a product of depth 64, enough to run
 *  the product kernel near its peak, while the panel's own matrix–vector work (∝ nb²) stays small. */
const BIDIAG_PANEL: i32 = SMALL_BLOCKS ? 3 : 32;
/** dgebrd's crossover (ilaenv nx = 128): with fewer columns left, the unblocked bidiagonalise
 *  finishes (the trailing matrix is then cache-resident and a panel's overhead would not pay). */
const BIDIAG_BLOCKED_MIN: i32 = SMALL_BLOCKS ? 5 : 128;
/** Side of the square tiles of the transposes: two 32×32 tiles of doubles (16 KiB) sit in L1. */
const TRANSPOSE_TILE: i32 = 32;

// ---------------------------------------------------------------------------------------------
// Workspace plan (byte offsets from `work`), shared by svdWorkspaceBytes and svdDecompose

let planB: usize = 0; // Bᵀ: N rows of M (only when m ≥ n; else B is `a` itself)
let planR: usize = 0; // Rᵀ: N×N (QR path only)
let planU: usize = 0; // Uᵀ: kU rows of M (vectors only)
let planV: usize = 0; // Vᵀ: N×N (vectors only)
let planD: usize = 0; // d, e, tauq, taup, tau of QR, four rotation sequences: N each
let planZ: usize = 0; // bidiagonalisation scratch: M + N
let planP: usize = 0; // blocked bidiagonalisation panels (bidiagPanelDoubles)
let planEnd: usize = 0;

// Doubles → bytes, rounded up to 16 bytes so every region starts v128-aligned.
// @ts-ignore: decorator
@inline function region(doubles: u64): u64 {
  return ((doubles + 1) & ~(<u64>1)) << 3;
}

// Lays the regions out one after another, each only when this shape and job use it.
function planWorkspace(m: i32, n: i32, job: i32): void {
  const bigM = <u64>max(m, n);
  const bigN = <u64>min(m, n);
  const useQr = bigN > 0 && useQrFirst(<i32>bigM, <i32>bigN);
  const rowsU: u64 = job == 2 ? bigM : bigN;
  let offset: u64 = 0;
  planB = <usize>offset;
  offset += m >= n ? region(bigM * bigN) : 0;
  planR = <usize>offset;
  offset += useQr ? region(bigN * bigN) : 0;
  planU = <usize>offset;
  offset += job != 0 ? region(rowsU * bigM) : 0;
  planV = <usize>offset;
  offset += job != 0 ? region(bigN * bigN) : 0;
  planD = <usize>offset;
  offset += region(9 * bigN);
  planZ = <usize>offset;
  offset += region(bigM + bigN);
  planP = <usize>offset;
  offset += bigN > 0 ? region(bidiagPanelDoubles(useQr ? <i32>bigN : <i32>bigM, <i32>bigN)) : 0;
  // Saturate instead of wrapping: the host then fails to reserve it and reports TOO_LARGE.
  planEnd = offset > <u64>0xFFFFFFF0 ? <usize>0xFFFFFFF0 : <usize>offset;
}

// @ts-ignore: decorator
@inline function useQrFirst(bigM: i32, bigN: i32): bool {
  return bigM >= <i32>(QR_CROSSOVER * <f64>bigN);
}

// ---------------------------------------------------------------------------------------------
// Small helpers: element access, row pointers

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function put(p: usize, i: i32, x: f64): void {
  store<f64>(p + (<usize>i << 3), x);
}

// Address of row r of a row-major matrix with ld doubles per row.
// @ts-ignore: decorator
@inline function rowOf(base: usize, r: i32, ld: i32): usize {
  return base + ((<usize>r * <usize>ld) << 3);
}

// ---------------------------------------------------------------------------------------------
// Vector kernels (f64x2 with a scalar tail)

// x *= alpha over n contiguous doubles (BLAS dscal).
function scale(x: usize, alpha: f64, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f64x2.splat(alpha);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(x + o, f64x2.mul(av, v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(x + o, alpha * load<f64>(x + o));
  }
}

// x ← (I − τ v vᵀ) x over n contiguous doubles; v[0] must hold the reflector's leading 1.
// The dot and the update are two passes over the same row while it is still in L1.
// @ts-ignore: decorator
@inline function reflect(x: usize, v: usize, tau: f64, n: i32): void {
  axpy(x, v, -tau * dot(x, v, n), n);
}

// Applies one reflector to `count` rows (stride ld doubles) starting at x, each over n doubles.
function reflectRows(x: usize, ld: i32, count: i32, v: usize, tau: f64, n: i32): void {
  if (tau == 0) return;
  const stride = <usize>ld << 3;
  for (let r = 0; r < count; r++) {
    reflect(x, v, tau, n);
    x += stride;
  }
}

// Golub & Van Loan 4th ed. §5.1.8–5.1.9 (BLAS drot): the plane rotation of two contiguous rows,
// x ← c·x + s·y, y ← c·y − s·x, as dbdsqr applies it to rows of Vᵀ and columns of U (rows of Uᵀ).
function applyGivens(x: usize, y: usize, c: f64, s: f64, n: i32): void {
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

// LAPACK dlasr ('V' pivot): rotation j of `count` (cosines c, sines s) turns rows first+j and
// first+j+1 of the row-major matrix x; forward applies j = 0, 1, …, backward the reverse order.
function rotateRows(x: usize, ld: i32, n: i32, first: i32, count: i32, c: usize, s: usize, forward: bool): void {
  for (let k = 0; k < count; k++) {
    const j = forward ? k : count - 1 - k;
    const cj = at(c, j);
    const sj = at(s, j);
    if (cj != 1 || sj != 0) {
      applyGivens(rowOf(x, first + j, ld), rowOf(x, first + j + 1, ld), cj, sj, n);
    }
  }
}

// Exchanges two contiguous rows of n doubles.
function swapRows(x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const t = load<f64>(x + o);
    store<f64>(x + o, load<f64>(y + o));
    store<f64>(y + o, t);
  }
}

// dst (cols×rows) = srcᵀ for the row-major rows×cols src, in cache tiles so that neither the
// strided reads nor the strided writes miss on every element.
function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let i0 = 0; i0 < rows; i0 += TRANSPOSE_TILE) {
    const i1 = min(i0 + TRANSPOSE_TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TRANSPOSE_TILE) {
      const j1 = min(j0 + TRANSPOSE_TILE, cols);
      for (let i = i0; i < i1; i++) {
        const from = rowOf(src, i, cols);
        for (let j = j0; j < j1; j++) {
          store<f64>(rowOf(dst, j, rows) + (<usize>i << 3), load<f64>(from + (<usize>j << 3)));
        }
      }
    }
  }
}

// Writes the n×n identity.
function setIdentity(x: usize, n: i32): void {
  memory.fill(x, 0, (<usize>n * <usize>n) << 3);
  for (let i = 0; i < n; i++) put(rowOf(x, i, n), i, 1.0);
}

// ---------------------------------------------------------------------------------------------
// Phase 1: scaling

/**
 * LAPACK dgesvd's anrm check and dlascl: when the largest |entry| of the `count` doubles at x is
 * below SMALL_NORM or above BIG_NORM, multiplies them by a power of two that brings it inside,
 * and returns that factor (1 otherwise). A power of two makes scaling and unscaling exact.
 */
function scaleIntoSafeRange(x: usize, count: usize): f64 {
  let anrm = 0.0;
  for (let i: usize = 0; i < count; i++) anrm = max(anrm, abs(load<f64>(x + (i << 3))));
  let factor = 1.0;
  if (anrm > 0 && anrm < SMALL_NORM) {
    const lower = powerOfTwoBelow(SMALL_NORM / anrm);
    factor = lower * anrm >= SMALL_NORM ? lower : 2 * lower;
  } else if (anrm > BIG_NORM) {
    factor = powerOfTwoBelow(BIG_NORM / anrm);
  } else {
    return 1.0;
  }
  for (let i: usize = 0; i < count; i++) {
    const p = x + (i << 3);
    store<f64>(p, load<f64>(p) * factor);
  }
  return factor;
}

// The largest power of two ≤ x for a positive normal x: its exponent with a zero mantissa.
// @ts-ignore: decorator
@inline function powerOfTwoBelow(x: f64): f64 {
  return reinterpret<f64>(reinterpret<u64>(x) & 0xFFF0000000000000);
}

// ---------------------------------------------------------------------------------------------
// Householder reflectors

/** ‖x‖₂ of n contiguous doubles: a SIMD sum of squares, recomputed with scaling when the sum
 *  is so small that underflowed squares may matter, or overflows. */
function norm2(x: usize, n: i32): f64 {
  const ssq = dot(x, x, n);
  if (ssq >= REFLECTOR_SAFE_MIN && ssq <= f64.MAX_VALUE) return Math.sqrt(ssq);
  return scaledNorm(x, n, 8);
}

/**
 * LAPACK dlarfg: for the n contiguous doubles p = (α, x), finds H = I − τ v vᵀ with v = (1, w)
 * and H·(α, x) = (β, 0). Overwrites p with (β, w) and returns τ (0 when x is already zero,
 * so H = I). β = −sign(α)·‖(α, x)‖ so that α − β never cancels.
 */
function makeReflector(p: usize, n: i32): f64 {
  if (n <= 1) return 0;
  const x = p + 8;
  let xnorm = norm2(x, n - 1);
  if (xnorm == 0) return 0;
  let alpha = load<f64>(p);
  let beta = -copysign<f64>(Math.hypot(alpha, xnorm), alpha);
  let rescales = 0;
  if (abs(beta) < REFLECTOR_SAFE_MIN) {
    // β tiny: 1/(α − β) would overflow; rescale x and α until β is representable safely.
    const up = 1 / REFLECTOR_SAFE_MIN;
    do {
      rescales++;
      scale(x, up, n - 1);
      beta *= up;
      alpha *= up;
    } while (abs(beta) < REFLECTOR_SAFE_MIN && rescales < REFLECTOR_MAX_RESCALES);
    xnorm = norm2(x, n - 1);
    beta = -copysign<f64>(Math.hypot(alpha, xnorm), alpha);
  }
  const tau = (beta - alpha) / beta;
  scale(x, 1 / (alpha - beta), n - 1);
  for (let j = 0; j < rescales; j++) beta *= REFLECTOR_SAFE_MIN;
  store<f64>(p, beta);
  return tau;
}

// ---------------------------------------------------------------------------------------------
// Phase 2: QR of a tall matrix

/**
 * LAPACK dgeqr2 (Golub & Van Loan 4th ed. §5.2.2): Householder QR of the M×N matrix B held
 * transposed in bt (row j = column j of B, ld doubles apart). Afterwards row j holds R's
 * column j in positions 0..j and the reflector v_j (leading 1 implicit) after position j;
 * tau[j] = τ_j. Each reflector is one dot/axpy pass per remaining column.
 */
function householderQr(bt: usize, ld: i32, rows: i32, cols: i32, tau: usize): void {
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

// Copies R (the upper triangle of householderQr's output, N×N) into rt, zeros below it.
function extractR(bt: usize, ld: i32, cols: i32, rt: usize): void {
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
function multiplyByQ(ut: usize, bigM: i32, rowsU: i32, bigN: i32, bt: usize, tau: usize): void {
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

// ---------------------------------------------------------------------------------------------
// Phase 3: bidiagonalisation

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
 * matrix product (gemmSubtract); the last columns (fewer than BIDIAG_BLOCKED_MIN) and small
 * matrices go through the unblocked bidiagonalise. panel: bidiagPanelDoubles(rows, cols).
 */
function bidiagonaliseBlocked(b: usize, ld: i32, rows: i32, cols: i32, d: usize, e: usize, tauq: usize, taup: usize, z: usize, panel: usize): void {
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
    gemmSubtract(rowOf(sub, nb, ld) + tail, ld, subCols - nb, subRows - nb, 2 * nb, rowOf(y, nb, ldy), ldy, r + tail, ldx, pack);
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

// Doubles of panel scratch for bidiagonaliseBlocked on a rows×cols matrix (0 when too small
// to be blocked): L (cols × 2nb), R (2nb × rows), 6nb small vectors, the product's packing.
function bidiagPanelDoubles(rows: i32, cols: i32): u64 {
  if (cols < BIDIAG_BLOCKED_MIN) return 0;
  const twoNb = <u64>(2 * BIDIAG_PANEL);
  return twoNb * (<u64>cols + <u64>rows) + 3 * twoNb + <u64>gemmPackDoubles(2 * BIDIAG_PANEL);
}

// ---------------------------------------------------------------------------------------------
// Phase 4: explicit factors

/**
 * LAPACK dorg2r / dorgbr (Golub & Van Loan 4th ed. §5.1.6, backward accumulation), on the
 * transposed layout: q holds `count` reflectors, reflector k in row k after position k (stride
 * ld, rows `len` long). Overwrites the first `rows` rows of q (rows ≥ count start as identity
 * rows) with the rows of Qᵀ = (H_0⋯H_{count−1})ᵀ, i.e. row k becomes column k of Q.
 * In place, because reflector k is read before its own row is overwritten.
 */
function formOrthogonalFactor(q: usize, ld: i32, len: i32, rows: i32, count: i32, tau: usize): void {
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
 * LAPACK dorgbr 'Q': the first `rowsU` rows of Uᵀ (stride ldu, `len` doubles each) from the
 * `cols` left reflectors that bidiagonalise left in b (stored rows `len` long).
 */
function formU(b: usize, ld: i32, len: i32, cols: i32, ut: usize, ldu: i32, rowsU: i32, tauq: usize): void {
  for (let k = 0; k < cols; k++) {
    const o = (<usize>k + 1) << 3;
    memory.copy(rowOf(ut, k, ldu) + o, rowOf(b, k, ld) + o, <usize>(len - k - 1) << 3);
  }
  formOrthogonalFactor(ut, ldu, len, rowsU, cols, tauq);
}

/**
 * LAPACK dorgbr 'P': Vᵀ (N×N) from the right reflectors that bidiagonalise left in B's rows.
 * V = diag(1, P') where P' is the product of the N − 1 reflectors acting on coordinates 1..;
 * gathering reflector k into row k + 1 of vt makes that an (N−1)-sized dorg2r in place.
 */
function formV(b: usize, ld: i32, cols: i32, vt: usize, taup: usize): void {
  for (let k = 0; k + 2 < cols; k++) {
    const to = rowOf(vt, k + 1, cols);
    const kOff = <usize>k << 3;
    for (let j = k + 2; j < cols; j++) put(to, j, load<f64>(rowOf(b, j, ld) + kOff));
  }
  memory.fill(vt, 0, <usize>cols << 3);
  put(vt, 0, 1);
  for (let r = 1; r < cols; r++) put(rowOf(vt, r, cols), 0, 0);
  if (cols > 1) formOrthogonalFactor(vt + ((<usize>cols + 1) << 3), cols, cols - 1, cols - 1, cols - 1, taup);
}

// ---------------------------------------------------------------------------------------------
// Phase 5: QR iteration on the bidiagonal

// Results of givens / twoByTwoSvd (AssemblyScript has no tuples; globals cost nothing).
let rotC: f64 = 0;
let rotS: f64 = 0;
let rotR: f64 = 0;
let svMin: f64 = 0;
let svMax: f64 = 0;
let svSinR: f64 = 0;
let svCosR: f64 = 0;
let svSinL: f64 = 0;
let svCosL: f64 = 0;

/**
 * LAPACK dlartg (3.10+, Anderson 2017 safe scaling): c, s, r with [c s; −s c]·(f, g) = (r, 0),
 * c ≥ 0, r with the sign of f; scales only when f² + g² could overflow or underflow.
 */
function givens(f: f64, g: f64): void {
  if (g == 0) {
    rotC = 1;
    rotS = 0;
    rotR = f;
    return;
  }
  if (f == 0) {
    rotC = 0;
    rotS = copysign<f64>(1, g);
    rotR = abs(g);
    return;
  }
  const f1 = abs(f);
  const g1 = abs(g);
  if (f1 > ROOT_MIN && f1 < ROOT_MAX && g1 > ROOT_MIN && g1 < ROOT_MAX) {
    const h = Math.sqrt(f * f + g * g);
    rotC = f1 / h;
    rotR = copysign<f64>(h, f);
    rotS = g / rotR;
  } else {
    const w = min(SAFE_MAX, max(SAFE_MIN, max(f1, g1)));
    const fs = f / w;
    const gs = g / w;
    const h = Math.sqrt(fs * fs + gs * gs);
    rotC = abs(fs) / h;
    const r = copysign<f64>(h, f);
    rotS = gs / r;
    rotR = r * w;
  }
}

/**
 * LAPACK dlas2: the singular values of [f g; 0 h] (smaller returned, larger in svMax),
 * accurate to a few ulps without overflow; used for the Wilkinson-like shift.
 */
function twoByTwoValues(f: f64, g: f64, h: f64): f64 {
  const fa = abs(f);
  const ga = abs(g);
  const ha = abs(h);
  const fhmn = min(fa, ha);
  const fhmx = max(fa, ha);
  let ssmin = 0.0;
  if (fhmn == 0) {
    if (fhmx == 0) svMax = ga;
    else {
      const ratio = min(fhmx, ga) / max(fhmx, ga);
      svMax = max(fhmx, ga) * Math.sqrt(1 + ratio * ratio);
    }
  } else if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const au = (ga / fhmx) * (ga / fhmx);
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    ssmin = fhmn * c;
    svMax = fhmx / c;
  } else {
    const au = fhmx / ga;
    if (au == 0) {
      // Both f and h are negligible beside g: the product formula avoids underflow.
      ssmin = (fhmn * fhmx) / ga;
      svMax = ga;
    } else {
      const as = 1 + fhmn / fhmx;
      const at = (fhmx - fhmn) / fhmx;
      const c = 1 / (Math.sqrt(1 + as * au * (as * au)) + Math.sqrt(1 + at * au * (at * au)));
      ssmin = fhmn * c * au;
      ssmin += ssmin;
      svMax = ga / (c + c);
    }
  }
  return ssmin;
}

/**
 * LAPACK dlasv2: the SVD of [f g; 0 h] = [csl −snl; snl csl]·diag(svMax, svMin)·[csr snr; −snr csr]ᵀ
 * with signed singular values (|svMax| ≥ |svMin|), accurate to a few ulps in all cases.
 */
function twoByTwoSvd(f: f64, g: f64, h: f64): void {
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
  svMax = copysign<f64>(ssmax, tsign);
  svMin = copysign<f64>(ssmin, tsign * copysign<f64>(1, f) * copysign<f64>(1, h));
}

/**
 * LAPACK dbdsqr (Demmel & Kahan 1990, "Accurate singular values of bidiagonal matrices"):
 * implicit QR on the n×n upper bidiagonal (d, e) until e = 0, to high relative accuracy.
 * Zero-shift sweeps when a shift would spoil the smallest values, a shift from the trailing (or
 * leading) 2×2 otherwise; each block is chased from its larger end towards its smaller end.
 * The right rotations turn rows of vt (ncvt doubles each), the left ones rows of ut (nru
 * each), both contiguous; ncvt = nru = 0 skips all vector work. rot: 4n doubles of scratch.
 * Returns STATUS_NO_CONVERGENCE after MAXITR·n² inner steps (d, e then hold the partial result).
 */
function bidiagonalQr(n: i32, d: usize, e: usize, vt: usize, ldvt: i32, ncvt: i32, ut: usize, ldu: i32, nru: i32, rot: usize): i32 {
  if (n <= 1) return STATUS_OK;
  const rightC = rot;
  const rightS = rot + (<usize>n << 3);
  const leftC = rot + (<usize>(2 * n) << 3);
  const leftS = rot + (<usize>(3 * n) << 3);
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
  const maxIter: i64 = <i64>(iterationLimitOverride >= 0 ? iterationLimitOverride : MAXITR) * <i64>n * <i64>n;
  let iter: i64 = 0;
  let oldll = -1;
  let oldm = -1;
  let idir = 0;
  let m = n - 1; // last index of the unconverged part
  while (m > 0) {
    if (iter > maxIter) return STATUS_NO_CONVERGENCE;
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
      twoByTwoSvd(at(d, m - 1), at(e, m - 1), at(d, m));
      put(d, m - 1, svMax);
      put(e, m - 1, 0);
      put(d, m, svMin);
      if (ncvt > 0) applyGivens(rowOf(vt, m - 1, ldvt), rowOf(vt, m, ldvt), svCosR, svSinR, ncvt);
      if (nru > 0) applyGivens(rowOf(ut, m - 1, ldu), rowOf(ut, m, ldu), svCosL, svSinL, nru);
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
        shift = twoByTwoValues(at(d, m - 1), at(e, m - 1), at(d, m));
      } else {
        sll = abs(at(d, m));
        shift = twoByTwoValues(at(d, ll), at(e, ll), at(d, ll + 1));
      }
      if (sll > 0 && (shift / sll) * (shift / sll) < EPS) shift = 0;
    }
    iter += m - ll;
    const count = m - ll;
    if (shift == 0) {
      if (idir == 1) zeroShiftSweepDown(d, e, ll, m, rightC, rightS, leftC, leftS);
      else zeroShiftSweepUp(d, e, ll, m, rightC, rightS, leftC, leftS);
    } else {
      if (idir == 1) shiftedSweepDown(d, e, ll, m, shift, rightC, rightS, leftC, leftS);
      else shiftedSweepUp(d, e, ll, m, shift, rightC, rightS, leftC, leftS);
    }
    // Chasing upwards works on the transpose, so there the left rotations turn Vᵀ.
    const down = idir == 1;
    if (ncvt > 0) rotateRows(vt, ldvt, ncvt, ll, count, down ? rightC : leftC, down ? rightS : leftS, down);
    if (nru > 0) rotateRows(ut, ldu, nru, ll, count, down ? leftC : rightC, down ? leftS : rightS, down);
    const last = down ? m - 1 : ll;
    if (abs(at(e, last)) <= thresh) put(e, last, 0);
  }
  return STATUS_OK;
}

// Demmel & Kahan 1990 §3 (dbdsqr loop 120): one zero-shift QR sweep on d[ll..m], top to
// bottom. Rotation i − ll turns rows i, i+1: right ones in (rc, rs), left ones in (lc, ls).
function zeroShiftSweepDown(d: usize, e: usize, ll: i32, m: i32, rc: usize, rs: usize, lc: usize, ls: usize): void {
  let cs = 1.0;
  let oldcs = 1.0;
  let oldsn = 0.0;
  for (let i = ll; i < m; i++) {
    givens(at(d, i) * cs, at(e, i));
    cs = rotC;
    const sn = rotS;
    const r = rotR;
    if (i > ll) put(e, i - 1, oldsn * r);
    givens(oldcs * r, at(d, i + 1) * sn);
    oldcs = rotC;
    oldsn = rotS;
    put(d, i, rotR);
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
function zeroShiftSweepUp(d: usize, e: usize, ll: i32, m: i32, rc: usize, rs: usize, lc: usize, ls: usize): void {
  let cs = 1.0;
  let oldcs = 1.0;
  let oldsn = 0.0;
  for (let i = m; i > ll; i--) {
    givens(at(d, i) * cs, at(e, i - 1));
    cs = rotC;
    const sn = rotS;
    const r = rotR;
    if (i < m) put(e, i, oldsn * r);
    givens(oldcs * r, at(d, i - 1) * sn);
    oldcs = rotC;
    oldsn = rotS;
    put(d, i, rotR);
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
function shiftedSweepDown(d: usize, e: usize, ll: i32, m: i32, shift: f64, rc: usize, rs: usize, lc: usize, ls: usize): void {
  const dll = at(d, ll);
  let f = (abs(dll) - shift) * (copysign<f64>(1, dll) + shift / dll);
  let g = at(e, ll);
  for (let i = ll; i < m; i++) {
    givens(f, g);
    const cosr = rotC;
    const sinr = rotS;
    if (i > ll) put(e, i - 1, rotR);
    const di = at(d, i);
    const ei = at(e, i);
    f = cosr * di + sinr * ei;
    put(e, i, cosr * ei - sinr * di);
    const dn = at(d, i + 1);
    g = sinr * dn;
    put(d, i + 1, cosr * dn);
    givens(f, g);
    const cosl = rotC;
    const sinl = rotS;
    put(d, i, rotR);
    const e2 = at(e, i);
    const d2 = at(d, i + 1);
    f = cosl * e2 + sinl * d2;
    put(d, i + 1, cosl * d2 - sinl * e2);
    if (i < m - 1) {
      const en = at(e, i + 1);
      g = sinl * en;
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
function shiftedSweepUp(d: usize, e: usize, ll: i32, m: i32, shift: f64, rc: usize, rs: usize, lc: usize, ls: usize): void {
  const dm = at(d, m);
  let f = (abs(dm) - shift) * (copysign<f64>(1, dm) + shift / dm);
  let g = at(e, m - 1);
  for (let i = m; i > ll; i--) {
    givens(f, g);
    const cosr = rotC;
    const sinr = rotS;
    if (i < m) put(e, i, rotR);
    const di = at(d, i);
    const ei = at(e, i - 1);
    f = cosr * di + sinr * ei;
    put(e, i - 1, cosr * ei - sinr * di);
    const dp = at(d, i - 1);
    g = sinr * dp;
    put(d, i - 1, cosr * dp);
    givens(f, g);
    const cosl = rotC;
    const sinl = rotS;
    put(d, i, rotR);
    const e2 = at(e, i - 1);
    const d2 = at(d, i - 1);
    f = cosl * e2 + sinl * d2;
    put(d, i - 1, cosl * d2 - sinl * e2);
    if (i > ll + 1) {
      const ep = at(e, i - 2);
      g = sinl * ep;
      put(e, i - 2, cosl * ep);
    }
    put(rc, i - 1 - ll, cosr);
    put(rs, i - 1 - ll, -sinr);
    put(lc, i - 1 - ll, cosl);
    put(ls, i - 1 - ll, -sinl);
  }
  put(e, ll, f);
}

// ---------------------------------------------------------------------------------------------
// Phase 6: signs and order

/** dbdsqr label 160: d ≥ 0 (no −0), moving each sign into the matching row of Vᵀ. */
function makeNonNegative(n: i32, d: usize, vt: usize, ldvt: i32, ncvt: i32): void {
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
function sortDescending(n: i32, d: usize, vt: usize, ldvt: i32, ncvt: i32, ut: usize, ldu: i32, nru: i32): void {
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

// ---------------------------------------------------------------------------------------------
// Driver

/** Bytes of scratch that svdDecompose needs for an m×n input and this job (16-byte multiple).
 *  With M = max(m, n), N = min(m, n), kU = (job == 2 ? M : N), in doubles each rounded up to
 *  even: M·N (only if m ≥ n) + N² (only if M ≥ 1.6·N) + [kU·M + N² if job ≠ 0] + 9N + M + N
 *  + [64·(W + N) + 192 + 64·128 if N ≥ 128: the bidiagonalisation panels, W = N after a QR
 *  else M]; saturated at 2³² − 16. */
export function svdWorkspaceBytes(m: i32, n: i32, job: i32): usize {
  if (min(m, n) <= 0) return 0;
  planWorkspace(m, n, job);
  return planEnd;
}

/**
 * SVD of the row-major m×n matrix at a: A = U diag(S) Vᵀ (LAPACK dgesvd's method).
 * job 0: singular values only (no vector work at all); 1: thin, U m×p, V n×p; 2: full, U m×m,
 * V n×n; p = min(m, n). a may be overwritten. s: p doubles out, descending, ≥ 0. u, v: row-major
 * outputs (ignored for job 0). work: svdWorkspaceBytes(m, n, job) bytes, 16-aligned; no buffer
 * may overlap another. Inputs must be finite. Returns STATUS_OK, or STATUS_NO_CONVERGENCE when
 * the bidiagonal QR exceeded its cap (outputs are then finite but not a valid SVD).
 */
export function svdDecompose(a: usize, m: i32, n: i32, job: i32, s: usize, u: usize, v: usize, work: usize): i32 {
  assert(m >= 0 && n >= 0 && job >= 0 && job <= 2 && (work & 15) == 0);
  const bigN = min(m, n);
  if (bigN == 0) {
    if (job == 2) {
      setIdentity(u, m);
      setIdentity(v, n);
    }
    return STATUS_OK;
  }
  const wide = m < n;
  const bigM = max(m, n);
  planWorkspace(m, n, job);
  const d = work + planD;
  const e = d + (<usize>bigN << 3);
  const tauq = e + (<usize>bigN << 3);
  const taup = tauq + (<usize>bigN << 3);
  const tauQr = taup + (<usize>bigN << 3);
  const rot = tauQr + (<usize>bigN << 3);
  const z = work + planZ;
  // Bᵀ row-major: A itself when A is wide (B = Aᵀ), else a transposed copy of A.
  let bt = a;
  if (!wide) {
    bt = work + planB;
    transpose(a, m, n, bt);
  }
  const factor = scaleIntoSafeRange(bt, <usize>bigM * <usize>bigN);
  const useQr = useQrFirst(bigM, bigN);
  // The matrix that gets bidiagonalised: R (N×N) after a QR, else B (M×N).
  let w = bt;
  let ldw = bigM;
  let rowsW = bigM;
  if (useQr) {
    householderQr(bt, bigM, bigM, bigN, tauQr);
    w = work + planR;
    ldw = bigN;
    rowsW = bigN;
    extractR(bt, bigM, bigN, w);
  }
  bidiagonaliseBlocked(w, ldw, rowsW, bigN, d, e, tauq, taup, z, work + planP);

  const vectors = job != 0;
  const rowsU = job == 2 ? bigM : bigN;
  const ut = work + planU;
  const vt = work + planV;
  if (vectors) {
    formV(w, ldw, bigN, vt, taup);
    formU(w, ldw, rowsW, bigN, ut, bigM, useQr ? bigN : rowsU, tauq);
  }
  const ncvt = vectors ? bigN : 0;
  const nru = vectors ? rowsW : 0;
  const status = bidiagonalQr(bigN, d, e, vt, bigN, ncvt, ut, bigM, nru, rot);
  makeNonNegative(bigN, d, vt, bigN, ncvt);
  sortDescending(bigN, d, vt, bigN, ncvt, ut, bigM, nru);
  if (vectors && useQr) multiplyByQ(ut, bigM, rowsU, bigN, bt, tauQr);
  for (let i = 0; i < bigN; i++) put(s, i, at(d, i) / factor);
  if (vectors) {
    // A = B when tall; A = Bᵀ = V_B S U_Bᵀ when wide, so the factors trade places.
    transpose(ut, rowsU, bigM, wide ? v : u);
    transpose(vt, bigN, bigN, wide ? u : v);
  }
  return status;
}
