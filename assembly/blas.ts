// Level-2 and level-3 kernels for the blocked SVD phases (assembly/svd.ts): a multi-row axpy
// (the matrix–vector products of a dlabrd panel) and a cache-blocked, register-tiled matrix
// product C −= L·R (the trailing updates). Row-major, pointer-and-length, no allocation: the
// caller passes the packing scratch. Every SIMD block is guarded by ASC_FEATURE_SIMD and
// followed by the scalar loop that finishes the tail (or does everything in the scalar build).
import { axpy, dot } from "./vector";

/** Columns of R packed per block of gemmSubtract: with depth ≤ 64 (two 32-column panels) a
 *  packed block is ≤ 64 KiB and stays in L2 while every 4-row stripe of C streams past it;
 *  one 4-column sliver (≤ 2 KiB) stays in L1 for the whole depth loop. */
export const GEMM_COL_BLOCK: i32 = 128;
/** Rows of C per register tile: 4 rows × 4 columns = 8 f64x2 accumulators, which with the two
 *  R vectors and one broadcast L value fits the 16 vector registers of x86-64. */
const GEMM_TILE_ROWS: i32 = 4;
/** Columns of C per register tile: two f64x2 per row, the width of one packed sliver. */
const GEMM_TILE_COLS: i32 = 4;

/** Doubles of packing scratch that gemmSubtract needs for a given depth. */
// @ts-ignore: decorator
@inline export function gemmPackDoubles(depth: i32): usize {
  return <usize>depth * <usize>GEMM_COL_BLOCK;
}

/**
 * BLAS dgemv ('N', on rows), four rows per pass (Golub & Van Loan 4th ed. §1.1.7, saxpy form):
 * y += alpha·Σ_{j<count} coef[j]·x_j over n contiguous doubles, where x_j starts at
 * x + j·ldx doubles. Reading four rows per pass loads and stores y a quarter as often as
 * `count` separate axpys.
 */
export function gemvRows(y: usize, x: usize, ldx: i32, count: i32, coef: usize, alpha: f64, n: i32): void {
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

/**
 * BLAS dgemm ('N', 'N', α = −1, β = 1), blocked after Goto & van de Geijn 2008 ("Anatomy of
 * high-performance matrix multiplication"; Golub & Van Loan 4th ed. §1.5): C −= L·R for
 * row-major C (rows×cols, ld ldc), L (rows×depth, ld ldl) and R (depth×cols, ld ldr).
 * R is packed GEMM_COL_BLOCK columns at a time into `pack` (gemmPackDoubles(depth) doubles,
 * 16-byte aligned) as 4-column slivers, each contiguous over the depth, and every 4×4 tile of
 * C is accumulated in registers over the whole depth, so C is read and written once.
 * Each entry of C receives its depth products in order q = 0, 1, …, as in the scalar loop.
 */
export function gemmSubtract(c: usize, ldc: i32, rows: i32, cols: i32, depth: i32, l: usize, ldl: i32, r: usize, ldr: i32, pack: usize): void {
  if (rows <= 0 || depth <= 0) return;
  for (let j0 = 0; j0 < cols; j0 += GEMM_COL_BLOCK) {
    const width = min(GEMM_COL_BLOCK, cols - j0);
    let done = 0; // columns of this block already updated by the SIMD tiles
    if (ASC_FEATURE_SIMD) {
      const slivers = width / GEMM_TILE_COLS;
      packSlivers(r, ldr, depth, j0, slivers, pack);
      let i = 0;
      for (; i + GEMM_TILE_ROWS <= rows; i += GEMM_TILE_ROWS) {
        for (let s = 0; s < slivers; s++) {
          tile4x4(c + ((<usize>i * <usize>ldc + <usize>(j0 + s * GEMM_TILE_COLS)) << 3), ldc, l + ((<usize>i * <usize>ldl) << 3), ldl, pack + ((<usize>s * <usize>depth) << 5), depth);
        }
      }
      for (; i < rows; i++) {
        for (let s = 0; s < slivers; s++) {
          tile1x4(c + ((<usize>i * <usize>ldc + <usize>(j0 + s * GEMM_TILE_COLS)) << 3), l + ((<usize>i * <usize>ldl) << 3), pack + ((<usize>s * <usize>depth) << 5), depth);
        }
      }
      done = slivers * GEMM_TILE_COLS;
    }
    if (done < width) {
      for (let i = 0; i < rows; i++) {
        const ci = c + ((<usize>i * <usize>ldc + <usize>j0) << 3);
        const li = l + ((<usize>i * <usize>ldl) << 3);
        for (let q = 0; q < depth; q++) {
          const a = load<f64>(li + (<usize>q << 3));
          const rq = r + ((<usize>q * <usize>ldr + <usize>j0) << 3);
          for (let j = done; j < width; j++) {
            const o = <usize>j << 3;
            store<f64>(ci + o, load<f64>(ci + o) - a * load<f64>(rq + o));
          }
        }
      }
    }
  }
}

// Copies columns j0 .. j0 + 4·slivers of R (depth rows, ld ldr) into pack: sliver s holds, for
// q = 0 … depth − 1, the four doubles R[q][j0 + 4s .. j0 + 4s + 3] (32 bytes per q).
// packSlivers, tile4x4 and tile1x4 run only inside gemmSubtract's SIMD block; its scalar loop
// is their fallback (and does all the work in the scalar build).
function packSlivers(r: usize, ldr: i32, depth: i32, j0: i32, slivers: i32, pack: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let q = 0; q < depth; q++) {
      const rq = r + ((<usize>q * <usize>ldr + <usize>j0) << 3);
      let to = pack + (<usize>q << 5);
      const step = <usize>depth << 5;
      for (let s = 0; s < slivers; s++) {
        const from = rq + (<usize>s << 5);
        v128.store(to, v128.load(from));
        v128.store(to, v128.load(from, 16), 16);
        to += step;
      }
    }
  }
}

// One 4×4 tile: C[0..4][0..4] −= Σ_q L[0..4][q]·P[q][0..4], P a packed sliver.
// @ts-ignore: decorator
@inline function tile4x4(c: usize, ldc: i32, l: usize, ldl: i32, p: usize, depth: i32): void {
  if (ASC_FEATURE_SIMD) {
    const cs = <usize>ldc << 3;
    const ls = <usize>ldl << 3;
    const c1 = c + cs;
    const c2 = c1 + cs;
    const c3 = c2 + cs;
    let l0 = l;
    let acc00 = v128.load(c);
    let acc01 = v128.load(c, 16);
    let acc10 = v128.load(c1);
    let acc11 = v128.load(c1, 16);
    let acc20 = v128.load(c2);
    let acc21 = v128.load(c2, 16);
    let acc30 = v128.load(c3);
    let acc31 = v128.load(c3, 16);
    let q = p;
    const end = p + (<usize>depth << 5);
    for (; q < end; q += 32) {
      const r0 = v128.load(q);
      const r1 = v128.load(q, 16);
      const a0 = v128.load64_splat(l0);
      acc00 = f64x2.sub(acc00, f64x2.mul(a0, r0));
      acc01 = f64x2.sub(acc01, f64x2.mul(a0, r1));
      const a1 = v128.load64_splat(l0 + ls);
      acc10 = f64x2.sub(acc10, f64x2.mul(a1, r0));
      acc11 = f64x2.sub(acc11, f64x2.mul(a1, r1));
      const a2 = v128.load64_splat(l0 + 2 * ls);
      acc20 = f64x2.sub(acc20, f64x2.mul(a2, r0));
      acc21 = f64x2.sub(acc21, f64x2.mul(a2, r1));
      const a3 = v128.load64_splat(l0 + 3 * ls);
      acc30 = f64x2.sub(acc30, f64x2.mul(a3, r0));
      acc31 = f64x2.sub(acc31, f64x2.mul(a3, r1));
      l0 += 8;
    }
    v128.store(c, acc00);
    v128.store(c, acc01, 16);
    v128.store(c1, acc10);
    v128.store(c1, acc11, 16);
    v128.store(c2, acc20);
    v128.store(c2, acc21, 16);
    v128.store(c3, acc30);
    v128.store(c3, acc31, 16);
  }
}

// One 1×4 tile (the rows left over below the last 4-row stripe).
// @ts-ignore: decorator
@inline function tile1x4(c: usize, l: usize, p: usize, depth: i32): void {
  if (ASC_FEATURE_SIMD) {
    let acc0 = v128.load(c);
    let acc1 = v128.load(c, 16);
    let l0 = l;
    let q = p;
    const end = p + (<usize>depth << 5);
    for (; q < end; q += 32) {
      const a = v128.load64_splat(l0);
      acc0 = f64x2.sub(acc0, f64x2.mul(a, v128.load(q)));
      acc1 = f64x2.sub(acc1, f64x2.mul(a, v128.load(q, 16)));
      l0 += 8;
    }
    v128.store(c, acc0);
    v128.store(c, acc1, 16);
  }
}

/**
 * BLAS dgemv ('T', on rows), four rows per pass: out[j·outStride] = x_j·v for j < count, where
 * x_j (n contiguous doubles) starts at x + j·ldx doubles. Each row has two f64x2 accumulators,
 * so eight independent add chains hide the add latency that bounds a single dot product, and
 * every load of v serves four rows.
 */
export function gemvTransposedRows(out: usize, outStride: i32, x: usize, ldx: i32, count: i32, v: usize, n: i32): void {
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
