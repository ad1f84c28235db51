// Machine constants of IEEE double precision, named after LAPACK's dlamch (in brackets) and
// the routines that derive their thresholds from them; and the tests' compile-time knob.
// Every tolerance in the kernel is stated in these.

/** Unit roundoff 2⁻⁵³ [dlamch 'E']: the precision the convergence tests are stated in. */
export const EPS: f64 = 1.1102230246251565e-16;
/** 2⁻⁵² [dlamch 'P' = eps·base]: what dgesvd uses to place its scaling thresholds. */
export const PRECISION: f64 = 2.220446049250313e-16;
/** Smallest normal double 2⁻¹⁰²² [dlamch 'S']: below it, quotients lose relative accuracy. */
export const SAFE_MIN: f64 = 2.2250738585072014e-308;
/** 1 / SAFE_MIN = 2¹⁰²² [dlartg's safmax]: the largest scale a rotation may divide by. */
export const SAFE_MAX: f64 = 1 / SAFE_MIN;
/** sqrt(SAFE_MIN) [dlartg's rtmin]: f² + g² cannot underflow harmfully when |f|, |g| exceed it. */
export const ROOT_MIN: f64 = 1.4916681462400413e-154;
/** sqrt(SAFE_MAX / 2) [dlartg's rtmax]: f² + g² cannot overflow when |f|, |g| are below it. */
export const ROOT_MAX: f64 = 4.7403759540545887e153;
/** sqrt(SAFE_MIN) / PRECISION [dgesvd's smlnum]: a matrix whose largest entry is below this
 *  is scaled up so that squares and products in the reflectors keep full relative precision. */
export const SMALL_NORM: f64 = ROOT_MIN / PRECISION;
/** 1 / SMALL_NORM [dgesvd's bignum]: a matrix whose largest entry exceeds this is scaled down so
 *  that norms of columns (≤ sqrt(m)·max entry) and their squares cannot overflow. */
export const BIG_NORM: f64 = 1 / SMALL_NORM;
/** SAFE_MIN / EPS [dlarfg's safmin]: a reflector whose β is smaller is rescaled first, else
 *  1/(α − β) overflows; also the sum of squares below which gradual underflow of the squared
 *  entries could cost relative accuracy, so the norm is recomputed with scaling. */
export const REFLECTOR_SAFE_MIN: f64 = SAFE_MIN / EPS;

/** Debug-blocked build only (asconfig `use: LOWRANK_SMALL_BLOCKS=1`): tiny panels and
 *  crossovers, so that the tests reach every blocked path on small shapes. */
// @ts-ignore: compile-time constant introduced by `--use`
export const SMALL_BLOCKS: bool = isDefined(LOWRANK_SMALL_BLOCKS);
