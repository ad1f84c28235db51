// Small vector primitives shared by the kernels. Every SIMD block is guarded by
// ASC_FEATURE_SIMD so the same source builds the scalar (non-SIMD) module too; the
// scalar loop after it finishes the tail (odd lengths) or does all the work.

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

