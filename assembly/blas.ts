// Level-2 kernels for the blocked SVD phases: a multi-row axpy and a multi-row dot (the
// matrix–vector products of a dlabrd panel, assembly/bidiagonal.ts). The matrix product, the
// one level-3 routine, is gemm.ts. Row-major, pointer-and-length, no allocation. Every SIMD
// block is guarded by ASC_FEATURE_SIMD and followed by the scalar loop that finishes the tail
// (or does everything in the scalar build). In the threaded build a large call is split across
// the team (team.ts) by output elements or rows, each chunk running this same routine on its
// part, so every output entry is computed by the same operations in the same order as on one
// thread: bit-identical for any team size.
import { axpy, dot } from "./vector";
import { JOB_GEMV_ROWS, JOB_GEMV_TRANSPOSED, jobArg, jobInt, jobPtr, setJobArgs, shareStart, teamChunks, teamSplits } from "./team";
import { teamRun } from "./jobs";

/** Multiply–adds from which the threaded build splits a matrix–vector product (≈ 1 ns each,
 *  memory-bound: 2¹⁵ is ≈ 30 µs, against a fork–join of a few µs). */
const GEMV_SPLIT_MIN: u64 = 1 << 15;
/** Chunks of a matrix–vector product's output start at multiples of 8 doubles (one 64-byte
 *  cache line), so two threads never write the same line. */
const GEMV_SHARE_ALIGN: i32 = 8;

/**
 * BLAS dgemv ('N', on rows), four rows per pass (Golub & Van Loan 4th ed. §1.1.7, saxpy form):
 * y += alpha·Σ_{j<count} coef[j]·x_j over n contiguous doubles, where x_j starts at
 * x + j·ldx doubles. Reading four rows per pass loads and stores y a quarter as often as
 * `count` separate axpys.
 */
export function gemvRows(y: usize, x: usize, ldx: i32, count: i32, coef: usize, alpha: f64, n: i32): void {
  if (ASC_FEATURE_THREADS && teamSplits(<u64>count * <u64>n, GEMV_SPLIT_MIN)) {
    setJobArgs(<f64>y, <f64>x, ldx, count, <f64>coef, alpha, n);
    teamRun(JOB_GEMV_ROWS, teamChunks((n + GEMV_SHARE_ALIGN - 1) / GEMV_SHARE_ALIGN));
    return;
  }
  const stride = <usize>ldx << 3;
  let j = 0;
  for (; j + 4 <= count; j += 4) {
    const x0 = x + <usize>j * stride;
    const x1 = x0 + stride;
    const x2 = x1 + stride;
    const x3 = x2 + stride;
    const a0 = alpha * load<f64>(coef + (<usize>j << 3));
    const a1 = alpha * load<f64>(coef + (<usize>j << 3), 8);
    const a2 = alpha * load<f64>(coef + (<usize>j << 3), 16);
    const a3 = alpha * load<f64>(coef + (<usize>j << 3), 24);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const v0 = f64x2.splat(a0);
      const v1 = f64x2.splat(a1);
      const v2 = f64x2.splat(a2);
      const v3 = f64x2.splat(a3);
      for (; i + 2 <= n; i += 2) {
        const o = <usize>i << 3;
        const s01 = f64x2.add(f64x2.mul(v0, v128.load(x0 + o)), f64x2.mul(v1, v128.load(x1 + o)));
        const s23 = f64x2.add(f64x2.mul(v2, v128.load(x2 + o)), f64x2.mul(v3, v128.load(x3 + o)));
        v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.add(s01, s23)));
      }
    }
    for (; i < n; i++) {
      const o = <usize>i << 3;
      const s01 = a0 * load<f64>(x0 + o) + a1 * load<f64>(x1 + o);
      const s23 = a2 * load<f64>(x2 + o) + a3 * load<f64>(x3 + o);
      store<f64>(y + o, load<f64>(y + o) + (s01 + s23));
    }
  }
  for (; j < count; j++) axpy(y, x + <usize>j * stride, alpha * load<f64>(coef + (<usize>j << 3)), n);
}

/** Chunk c of a split gemvRows: the elements [lo, hi) of y. */
export function gemvRowsShare(c: i32, chunks: i32): void {
  const n = jobInt(6);
  const lo = shareStart(n, chunks, c, GEMV_SHARE_ALIGN);
  const hi = shareStart(n, chunks, c + 1, GEMV_SHARE_ALIGN);
  const o = <usize>lo << 3;
  if (hi > lo) gemvRows(jobPtr(0) + o, jobPtr(1) + o, jobInt(2), jobInt(3), jobPtr(4), jobArg(5), hi - lo);
}

/**
 * BLAS dgemv ('T', on rows), four rows per pass: out[j·outStride] = x_j·v for j < count, where
 * x_j (n contiguous doubles) starts at x + j·ldx doubles. Each row has two f64x2 accumulators,
 * so eight independent add chains hide the add latency that bounds a single dot product, and
 * every load of v serves four rows.
 */
export function gemvTransposedRows(out: usize, outStride: i32, x: usize, ldx: i32, count: i32, v: usize, n: i32): void {
  if (ASC_FEATURE_THREADS && teamSplits(<u64>count * <u64>n, GEMV_SPLIT_MIN)) {
    setJobArgs(<f64>out, outStride, <f64>x, ldx, count, <f64>v, n);
    teamRun(JOB_GEMV_TRANSPOSED, teamChunks((count + 3) / 4));
    return;
  }
  const stride = <usize>ldx << 3;
  const outStep = <usize>outStride << 3;
  let j = 0;
  for (; j + 4 <= count; j += 4) {
    const x0 = x + <usize>j * stride;
    const x1 = x0 + stride;
    const x2 = x1 + stride;
    const x3 = x2 + stride;
    let s0 = 0.0;
    let s1 = 0.0;
    let s2 = 0.0;
    let s3 = 0.0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      let a0 = f64x2.splat(0);
      let b0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let b1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let b2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let b3 = f64x2.splat(0);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 3;
        const va = v128.load(v + o);
        const vb = v128.load(v + o, 16);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(x0 + o), va));
        b0 = f64x2.add(b0, f64x2.mul(v128.load(x0 + o, 16), vb));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(x1 + o), va));
        b1 = f64x2.add(b1, f64x2.mul(v128.load(x1 + o, 16), vb));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(x2 + o), va));
        b2 = f64x2.add(b2, f64x2.mul(v128.load(x2 + o, 16), vb));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(x3 + o), va));
        b3 = f64x2.add(b3, f64x2.mul(v128.load(x3 + o, 16), vb));
      }
      a0 = f64x2.add(a0, b0);
      a1 = f64x2.add(a1, b1);
      a2 = f64x2.add(a2, b2);
      a3 = f64x2.add(a3, b3);
      s0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
      s1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
      s2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
      s3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
    }
    for (; i < n; i++) {
      const o = <usize>i << 3;
      const vi = load<f64>(v + o);
      s0 += load<f64>(x0 + o) * vi;
      s1 += load<f64>(x1 + o) * vi;
      s2 += load<f64>(x2 + o) * vi;
      s3 += load<f64>(x3 + o) * vi;
    }
    const to = out + <usize>j * outStep;
    store<f64>(to, s0);
    store<f64>(to + outStep, s1);
    store<f64>(to + 2 * outStep, s2);
    store<f64>(to + 3 * outStep, s3);
  }
  for (; j < count; j++) store<f64>(out + <usize>j * outStep, dot(x + <usize>j * stride, v, n));
}

/** Chunk c of a split gemvTransposedRows: the rows [lo, hi), cut at multiples of four so that
 *  every row is summed by the same four-row pass (or the same lone dot) as on one thread. */
export function gemvTransposedShare(c: i32, chunks: i32): void {
  const count = jobInt(4);
  const lo = shareStart(count, chunks, c, 4);
  const hi = shareStart(count, chunks, c + 1, 4);
  const outStride = jobInt(1);
  const ldx = jobInt(3);
  if (hi > lo) {
    gemvTransposedRows(jobPtr(0) + ((<usize>lo * <usize>outStride) << 3), outStride, jobPtr(2) + ((<usize>lo * <usize>ldx) << 3), ldx, hi - lo, jobPtr(5), jobInt(6));
  }
}
