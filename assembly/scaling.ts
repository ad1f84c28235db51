// Scaling into the safe range and back (LAPACK dgesvd's anrm test with dlascl): a matrix whose
// largest entry is near underflow or overflow is multiplied by a power of two first, so that
// squares and norms inside the reflectors neither underflow nor overflow; the singular values
// are divided by the same power of two at the end, exactly. Used by the exact SVD driver and,
// through the exports, by the host's randomised SVD.
import { BIG_NORM, SMALL_NORM } from "./constants";
import { STATUS_OK, STATUS_OVERFLOW, inMemory } from "./status";

/**
 * When the largest |entry| of the `count` doubles at x is below SMALL_NORM or above BIG_NORM,
 * multiplies them by a power of two that brings it inside and returns that factor; returns 1
 * (and changes nothing) otherwise. A power of two makes scaling and unscaling exact.
 */
export function scaleIntoSafeRange(x: usize, count: usize): f64 {
  const anrm = maxMagnitude(x, count);
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

// max |x_i| over `count` doubles (dlange 'M'); 0 for none. A maximum does not depend on the
// order it is taken in, so the two SIMD lanes give the scalar loop's result.
function maxMagnitude(x: usize, count: usize): f64 {
  let anrm = 0.0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    let lanes = f64x2.splat(0);
    for (; i + 2 <= count; i += 2) lanes = f64x2.max(lanes, f64x2.abs(v128.load(x + (i << 3))));
    anrm = max(f64x2.extract_lane(lanes, 0), f64x2.extract_lane(lanes, 1));
  }
  for (; i < count; i++) anrm = max(anrm, abs(load<f64>(x + (i << 3))));
  return anrm;
}

/** The largest power of two ≤ x for a positive normal x: its exponent with a zero mantissa. */
// @ts-ignore: decorator
@inline export function powerOfTwoBelow(x: f64): f64 {
  return reinterpret<f64>(reinterpret<u64>(x) & 0xFFF0000000000000);
}

/** Offset (bytes) in an SVD info block of log₂ of the singular value that overflowed. */
export const INFO_OVERFLOW_LOG2: usize = 8;

/**
 * Divides the `count` values at s (descending, ≥ 0) by `factor`, the power of two that
 * scaleIntoSafeRange applied. When the largest would exceed the double range, leaves s
 * unchanged, writes log₂ of that value to info + INFO_OVERFLOW_LOG2 and returns
 * STATUS_OVERFLOW; else STATUS_OK. (Values that underflow to subnormals or 0 are kept: they
 * are the nearest doubles.)
 */
export function unscaleValues(s: usize, count: i32, factor: f64, info: usize): i32 {
  if (count > 0 && factor < 1) {
    const largest = load<f64>(s);
    if (!isFinite(largest / factor)) {
      store<f64>(info + INFO_OVERFLOW_LOG2, Math.log2(largest) - Math.log2(factor));
      return STATUS_OVERFLOW;
    }
  }
  for (let i = 0; i < count; i++) {
    const p = s + (<usize>i << 3);
    store<f64>(p, load<f64>(p) / factor);
  }
  return STATUS_OK;
}

/**
 * Export of scaleIntoSafeRange for hosts (the randomised SVD scales A before its products):
 * scales the `count` doubles at x when needed and writes the factor applied to `factor`.
 * Preconditions: count ≥ 0; x and factor 8-byte aligned, inside memory. Returns STATUS_OK or
 * −i for a bad argument i.
 */
export function scaleToSafeRange(x: usize, count: i32, factor: usize): i32 {
  if (count < 0) return -2;
  if (!inMemory(x, <u64>count << 3)) return -1;
  if (!inMemory(factor, 8)) return -3;
  store<f64>(factor, scaleIntoSafeRange(x, <usize>count));
  return STATUS_OK;
}

/**
 * Export of unscaleValues for hosts: s (count doubles, descending ≥ 0) divided by factor (a
 * power of two from scaleToSafeRange). Preconditions: count ≥ 0; factor a positive power of
 * two; s and info (SVD_INFO_BYTES) 8-byte aligned, inside memory. Returns STATUS_OK,
 * STATUS_OVERFLOW (s unchanged, log₂ of the value in info) or −i for a bad argument i.
 */
export function unscaleSingularValues(s: usize, count: i32, factor: f64, info: usize): i32 {
  if (count < 0) return -2;
  if (!inMemory(s, <u64>count << 3)) return -1;
  if (!(factor > 0) || !isFinite(factor) || (reinterpret<u64>(factor) & 0x000FFFFFFFFFFFFF) != 0) return -3;
  if (!inMemory(info, 16)) return -4;
  return unscaleValues(s, count, factor, info);
}

/**
 * Running maximum for data that arrives in pieces (svdStream's row blocks): out ← max(out,
 * max |x_i|) over `count` doubles at x. With the maximum of the whole matrix in a one-double
 * buffer, scaleToSafeRange of that buffer gives the factor scaleToSafeRange would give for the
 * whole matrix. Cost O(count). Preconditions: count ≥ 0; x and out 8-byte aligned in memory.
 * Returns STATUS_OK or −i for a bad argument i.
 */
export function largestMagnitude(x: usize, count: i32, out: usize): i32 {
  if (count < 0) return -2;
  if (!inMemory(x, <u64>count << 3)) return -1;
  if (!inMemory(out, 8)) return -3;
  store<f64>(out, max(load<f64>(out), maxMagnitude(x, <usize>count)));
  return STATUS_OK;
}
