// Level-1 BLAS and element access shared by every kernel (dot, axpy, scal, nrm2, swap, and the
// cache-tiled transpose between the row-major and the transposed layouts).
// Every SIMD block is guarded by ASC_FEATURE_SIMD so the same source builds the scalar
// (non-SIMD) module too; the scalar loop after it finishes the tail (odd lengths) or does
// all the work.
import { REFLECTOR_SAFE_MIN } from "./constants";

/** Element i of the f64 array at p. */
// @ts-ignore: decorator
@inline export function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

/** Stores x as element i of the f64 array at p. */
// @ts-ignore: decorator
@inline export function put(p: usize, i: i32, x: f64): void {
  store<f64>(p + (<usize>i << 3), x);
}

/** Address of row r of a row-major matrix with ld doubles per row. */
// @ts-ignore: decorator
@inline export function rowOf(base: usize, r: i32, ld: i32): usize {
  return base + ((<usize>r * <usize>ld) << 3);
}

/** x·y over `k` contiguous doubles. Two accumulators once k ≥ 8 so the adds overlap. */
// @ts-ignore: decorator
@inline export function dot(x: usize, y: usize, k: i32): f64 {
  let s = 0.0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let acc0 = f64x2.splat(0);
    if (k >= 8) {
      let acc1 = f64x2.splat(0);
      for (; i + 4 <= k; i += 4) {
        const o = <usize>i << 3;
        acc0 = f64x2.add(acc0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
        acc1 = f64x2.add(acc1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
      }
      acc0 = f64x2.add(acc0, acc1);
    }
    for (; i + 2 <= k; i += 2) {
      const o = <usize>i << 3;
      acc0 = f64x2.add(acc0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    }
    s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
  }
  for (; i < k; i++) {
    const o = <usize>i << 3;
    s += load<f64>(x + o) * load<f64>(y + o);
  }
  return s;
}

/**
 * y += alpha·x over n contiguous doubles (BLAS daxpy); unrolled to two f64x2 per step. Inlined:
 * the matrix products call it with rows as short as k + oversample (≈ 20) a million times.
 */
// @ts-ignore: decorator
@inline export function axpy(y: usize, x: usize, alpha: f64, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f64x2.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
      v128.store(y + o, f64x2.add(v128.load(y + o, 16), f64x2.mul(av, v128.load(x + o, 16))), 16);
    }
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/**
 * LAPACK dnrm2 (scaled sum of squares, one pass): ‖x‖₂ of n doubles `stride` bytes apart,
 * without overflow or loss to underflow.
 */
export function scaledNorm(x: usize, n: i32, stride: usize): f64 {
  let scl = 0.0;
  let ssq = 1.0;
  for (let i = 0; i < n; i++) {
    const xi = Math.abs(load<f64>(x + <usize>i * stride));
    if (xi != 0) {
      if (scl < xi) {
        ssq = 1 + ssq * (scl / xi) * (scl / xi);
        scl = xi;
      } else {
        ssq += (xi / scl) * (xi / scl);
      }
    }
  }
  return scl * Math.sqrt(ssq);
}

/** ‖x‖₂ of n contiguous doubles: a SIMD sum of squares, recomputed with scaling (scaledNorm)
 *  when the sum is so small that underflowed squares may matter, or overflows. */
export function norm2(x: usize, n: i32): f64 {
  const ssq = dot(x, x, n);
  if (ssq >= REFLECTOR_SAFE_MIN && ssq <= f64.MAX_VALUE) return Math.sqrt(ssq);
  return scaledNorm(x, n, 8);
}

/** x *= alpha over n contiguous doubles (BLAS dscal). */
export function scale(x: usize, alpha: f64, n: i32): void {
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

/** Exchanges two contiguous rows of n doubles (BLAS dswap). */
export function swapRows(x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const t = load<f64>(x + o);
    store<f64>(x + o, load<f64>(y + o));
    store<f64>(y + o, t);
  }
}

/** Side of the square tiles of transpose: two 32×32 tiles of doubles (16 KiB) sit in L1. */
const TRANSPOSE_TILE: i32 = 32;

/**
 * dst (cols×rows) = srcᵀ for the row-major rows×cols src, in cache tiles so that neither the
 * strided reads nor the strided writes miss on every element. dst must not overlap src.
 */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
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

/** Index of the first NaN or ±∞ among `count` doubles at p, or `count` when all are finite. */
export function findNonFinite(p: usize, count: i32): i32 {
  for (let i = 0; i < count; i++) {
    if (!isFinite(load<f64>(p + (<usize>i << 3)))) return i;
  }
  return count;
}
