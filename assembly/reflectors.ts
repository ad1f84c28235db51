// Householder reflectors H = I − τ v vᵀ (Golub & Van Loan 4th ed. §5.1.2–5.1.4): LAPACK dlarfg
// with its rescaling of tiny β (the one reflector every QR and the bidiagonalisation use), and
// dlarf applied to contiguous rows. Reflectors act on rows because the kernel stores the
// matrices it reduces transposed (column j of B is row j in memory).
import { REFLECTOR_SAFE_MIN } from "./constants";
import { axpy, dot, norm2, scale } from "./vector";
import { JOB_REFLECT, jobArg, jobInt, jobPtr, setJobArgs, shareStart, teamChunks, teamSplits } from "./team";
import { teamRun } from "./jobs";

/** Row elements from which the threaded build splits reflectRows by rows (a dot and an axpy,
 *  ≈ 0.5 ns an element: 2¹⁶ is ≈ 30 µs); each row is reflected as on one thread. */
const REFLECT_SPLIT_MIN: u64 = 1 << 16;

/** dlarfg's cap on rescaling passes: 20 passes of 1/REFLECTOR_SAFE_MIN cover any double. */
const REFLECTOR_MAX_RESCALES: i32 = 20;

/**
 * LAPACK dlarfg: for the n contiguous doubles p = (α, x), finds H = I − τ v vᵀ with v = (1, w)
 * and H·(α, x) = (β, 0). Overwrites p with (β, w) and returns τ (0 when x is already zero,
 * so H = I). β = −sign(α)·‖(α, x)‖ so that α − β never cancels.
 */
export function makeReflector(p: usize, n: i32): f64 {
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

/** x ← (I − τ v vᵀ) x over n contiguous doubles (LAPACK dlarf on one row); v[0] must hold the
 *  reflector's leading 1. */
// The dot and the update are two passes over the same row while it is still in L1.
// @ts-ignore: decorator
@inline export function reflect(x: usize, v: usize, tau: f64, n: i32): void {
  axpy(x, v, -tau * dot(x, v, n), n);
}

/** Applies one reflector to `count` rows (stride ld doubles) starting at x, each over n doubles. */
export function reflectRows(x: usize, ld: i32, count: i32, v: usize, tau: f64, n: i32): void {
  if (tau == 0) return;
  if (ASC_FEATURE_THREADS && teamSplits(<u64>count * <u64>n, REFLECT_SPLIT_MIN)) {
    setJobArgs(<f64>x, ld, count, <f64>v, tau, n);
    teamRun(JOB_REFLECT, teamChunks(count));
    return;
  }
  const stride = <usize>ld << 3;
  for (let r = 0; r < count; r++) {
    reflect(x, v, tau, n);
    x += stride;
  }
}

/** Chunk c of a split reflectRows: the rows [lo, hi). */
export function reflectShare(c: i32, chunks: i32): void {
  const count = jobInt(2);
  const lo = shareStart(count, chunks, c, 1);
  const hi = shareStart(count, chunks, c + 1, 1);
  const ld = jobInt(1);
  if (hi > lo) reflectRows(jobPtr(0) + ((<usize>lo * <usize>ld) << 3), ld, hi - lo, jobPtr(3), jobArg(4), jobInt(5));
}
