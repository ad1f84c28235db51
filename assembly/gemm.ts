// The kernel's one matrix product, BLAS dgemm: C += α·op(L)·op(R) for row-major C, with op(X)
// = X or Xᵀ, blocked after Goto & van de Geijn 2008 ("Anatomy of high-performance matrix
// multiplication", ACM TOMS 34(3)) and BLIS (Van Zee & van de Geijn 2015): the depth is cut
// into GEMM_DEPTH_BLOCK slices; per slice a block of R is packed into 4-column slivers
// (contiguous over the depth, GEMM_PACK_R_DOUBLES at most, L2-resident) and L is packed 4 rows
// at a time (one sliver, L1-resident, scaled by α); a 4×4 register tile of C then accumulates
// the slice in registers. Packing makes every transpose form the same inner loop, so the
// blocked reflectors (block-reflectors.ts), the bidiagonalisation's trailing update
// (bidiagonal.ts) and the dense products (dense.ts) all run here. Golub & Van Loan 4th ed. §1.5.
//
// Every entry of C receives its products in depth order q = 0, 1, …, one add at a time, as in
// the textbook loop (no partial sums are reassociated). The scalar build packs the same way
// and runs a scalar 4×4 tile.
//
// In the threaded build a large product is split across the team (team.ts) by columns of C, at
// multiples of the tile width, each chunk running gemm on its columns with its thread's own
// block of the packing scratch. An entry's sums do not depend on which block or tile it falls
// in (edge tiles run on a zero-padded copy), so the result is bit-identical for any team size.
import { SMALL_BLOCKS } from "./constants";
import { JOB_GEMM, jobArg, jobInt, jobPtr, setJobArgs, shareStart, teamChunks, teamSize, teamSplits } from "./team";
import { teamRun } from "./jobs";

/** Depth (the summed index) per packed slice (BLIS kc): a 4-row L sliver of 256 doubles
 *  each (8 KiB) stays in L1 while it meets every sliver of R; C is read and written once per
 *  slice, so the products the SVD makes (depth 32–64, or 2·32 in the panels) need one slice.
 *  Debug-blocked builds: 8, so small products take several slices. */
const GEMM_DEPTH_BLOCK: i32 = SMALL_BLOCKS ? 8 : 256;
/** Doubles of R packed at once (BLIS kc·nc): 512 KiB, half the 1 MiB L2 of one core here, so
 *  the packed block stays in L2 while the 4-row slivers of L stream past it. Debug-blocked
 *  builds: 64 (8 columns per block at depth 8), so small products take several blocks. */
const GEMM_PACK_R_DOUBLES: i32 = SMALL_BLOCKS ? 64 : 65536;
/** Register tile: rows of C (and of an L sliver). 4×4 = 8 f64x2 accumulators; with two R
 *  vectors and one broadcast that is 11 of x86-64's 16 vector registers. docs/performance.md
 *  records the other shapes tried. */
const TILE_ROWS: i32 = 4;
/** Register tile: columns of C (and of an R sliver), two f64x2 per row. */
const TILE_COLS: i32 = 4;
/** Multiply–adds from which the threaded build splits a product: a fork–join costs a few µs
 *  and gemm does ≈ 3 multiply–adds per ns, so from 2¹⁸ (≈ 80 µs) it pays. */
const GEMM_SPLIT_MIN: u64 = 1 << 18;

// Columns of R per packed block for a slice of depth kc (a multiple of TILE_COLS).
// @ts-ignore: decorator
@inline function blockCols(kc: i32): i32 {
  return max(TILE_COLS, (GEMM_PACK_R_DOUBLES / kc) & ~(TILE_COLS - 1));
}

/** Doubles of packing scratch that gemm needs for a rows×cols product of this depth (0 when
 *  the product is empty): one thread's block (threadPackDoubles) per thread of the team
 *  (teamSize() is 1 outside the threaded build), so every workspace query reserves the team's.
 *  Non-decreasing in each argument, so it bounds any smaller product. */
export function gemmPackDoubles(rows: i32, cols: i32, depth: i32): u64 {
  return threadPackDoubles(rows, cols, depth) * <u64>teamSize();
}

// One thread's packing scratch: a block of R is kc·nc ≤ GEMM_PACK_R_DOUBLES doubles
// (blockCols), or kc × the padded cols; then one L sliver and one edge tile. Always even, so
// every thread's block stays 16-byte aligned.
function threadPackDoubles(rows: i32, cols: i32, depth: i32): u64 {
  if (rows <= 0 || cols <= 0 || depth <= 0) return 0;
  const kc = <u64>min(depth, GEMM_DEPTH_BLOCK);
  const paddedCols = <u64>((<u64>cols + TILE_COLS - 1) & ~(<u64>TILE_COLS - 1));
  return min(kc * paddedCols, <u64>GEMM_PACK_R_DOUBLES) + <u64>TILE_ROWS * kc + <u64>(TILE_ROWS * TILE_COLS);
}

/**
 * C (rows×cols, ld ldc) += α·op(L)·op(R), op(L) rows×depth and op(R) depth×cols. L is stored
 * rows×depth (ld ldl), or depth×rows when transL; R is stored depth×cols (ld ldr), or
 * cols×depth when transR. pack: gemmPackDoubles(rows, cols, depth) doubles, 16-byte aligned.
 * C must not overlap L, R or pack. Nothing happens when rows, cols or depth is ≤ 0.
 */
export function gemm(rows: i32, cols: i32, depth: i32, alpha: f64, l: usize, ldl: i32, transL: bool, r: usize, ldr: i32, transR: bool, c: usize, ldc: i32, pack: usize): void {
  if (rows <= 0 || cols <= 0 || depth <= 0) return;
  if (ASC_FEATURE_THREADS && teamSplits(<u64>rows * <u64>cols * <u64>depth, GEMM_SPLIT_MIN)) {
    // Split the longer side of C: each chunk packs all of the other operand's part that its
    // tiles meet, so cutting a side only a few tiles long (the nb = 32 columns of a block
    // reflector's C·V beside C's thousand rows) would have every thread pack the long operand
    // again for a handful of tiles — measured: no speed-up at all on the thin 1024² SVD.
    const byRows = rows > cols;
    setJobArgs(rows, cols, depth, alpha, <f64>l, ldl, transL ? 1 : 0, <f64>r, ldr, transR ? 1 : 0, <f64>c, ldc, <f64>pack, byRows ? 1 : 0);
    teamRun(JOB_GEMM, teamChunks(byRows ? (rows + TILE_ROWS - 1) / TILE_ROWS : (cols + TILE_COLS - 1) / TILE_COLS));
    return;
  }
  for (let q0 = 0; q0 < depth; q0 += GEMM_DEPTH_BLOCK) {
    const kc = min(GEMM_DEPTH_BLOCK, depth - q0);
    const ncMax = blockCols(kc);
    const sliverBytes = <usize>kc << 5; // kc rows of 4 doubles
    for (let j0 = 0; j0 < cols; j0 += ncMax) {
      const nc = min(ncMax, cols - j0);
      const slivers = (nc + TILE_COLS - 1) / TILE_COLS;
      const packL = pack + <usize>slivers * sliverBytes;
      const tile = packL + sliverBytes;
      packR(r, ldr, transR, q0, kc, j0, nc, pack);
      for (let i0 = 0; i0 < rows; i0 += TILE_ROWS) {
        const mr = min(TILE_ROWS, rows - i0);
        packLSliver(l, ldl, transL, i0, mr, q0, kc, alpha, packL);
        const ci = c + ((<usize>i0 * <usize>ldc + <usize>j0) << 3);
        for (let s = 0; s < slivers; s++) {
          const nr = min(TILE_COLS, nc - s * TILE_COLS);
          const cij = ci + (<usize>(s * TILE_COLS) << 3);
          const ps = pack + <usize>s * sliverBytes;
          if (mr == TILE_ROWS && nr == TILE_COLS) {
            tile4x4(cij, ldc, packL, ps, kc);
          } else {
            // Edge tile: run the full tile on a copy (the packs are zero-padded), keep its part.
            copyTile(cij, ldc, tile, TILE_COLS, mr, nr, true);
            tile4x4(tile, TILE_COLS, packL, ps, kc);
            copyTile(tile, TILE_COLS, cij, ldc, mr, nr, false);
          }
        }
      }
    }
  }
}

/** Chunk c of a split gemm on thread t: the rows [lo, hi) of C (and of op(L)) when the job
 *  splits rows, else its columns [lo, hi) (and op(R)'s), cut at multiples of the tile, packed
 *  into thread t's block of the scratch. Every entry of C sums the same products in the same
 *  order as the unsplit call, so a split product is bit-identical to it. */
export function gemmShare(c: i32, chunks: i32, t: i32): void {
  const rows = jobInt(0);
  const cols = jobInt(1);
  const depth = jobInt(2);
  const byRows = jobInt(13) != 0;
  const lo = shareStart(byRows ? rows : cols, chunks, c, byRows ? TILE_ROWS : TILE_COLS);
  const hi = shareStart(byRows ? rows : cols, chunks, c + 1, byRows ? TILE_ROWS : TILE_COLS);
  if (hi <= lo) return;
  const ldl = jobInt(5);
  const transL = jobInt(6) != 0;
  const ldr = jobInt(8);
  const transR = jobInt(9) != 0;
  const ldc = jobInt(11);
  const pack = jobPtr(12) + (<usize>(<u64>t * threadPackDoubles(rows, cols, depth)) << 3);
  if (byRows) {
    const l = jobPtr(4) + ((transL ? <usize>lo : <usize>lo * <usize>ldl) << 3);
    gemm(hi - lo, cols, depth, jobArg(3), l, ldl, transL, jobPtr(7), ldr, transR, jobPtr(10) + ((<usize>lo * <usize>ldc) << 3), ldc, pack);
  } else {
    const r = jobPtr(7) + ((transR ? <usize>lo * <usize>ldr : <usize>lo) << 3);
    gemm(rows, hi - lo, depth, jobArg(3), jobPtr(4), ldl, transL, r, ldr, transR, jobPtr(10) + (<usize>lo << 3), ldc, pack);
  }
}

// dst ← the mr×nr corner of src; when `pad`, dst is a TILE_ROWS×TILE_COLS tile zeroed first.
function copyTile(src: usize, lds: i32, dst: usize, ldd: i32, mr: i32, nr: i32, pad: bool): void {
  if (pad) memory.fill(dst, 0, <usize>(TILE_ROWS * TILE_COLS) << 3);
  for (let i = 0; i < mr; i++) {
    memory.copy(dst + ((<usize>i * <usize>ldd) << 3), src + ((<usize>i * <usize>lds) << 3), <usize>nr << 3);
  }
}

// Packs op(R)[q0 .. q0+kc)[j0 .. j0+nc) as slivers of TILE_COLS columns: sliver s holds, for
// q = 0 … kc − 1, the four doubles op(R)[q0 + q][j0 + 4s .. j0 + 4s + 3] (zeros past nc).
function packR(r: usize, ldr: i32, transR: bool, q0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const full = nc / TILE_COLS;
  const sliverBytes = <usize>kc << 5;
  if (!transR) {
    // Rows of R are contiguous over the columns: 32 bytes per q and sliver.
    for (let q = 0; q < kc; q++) {
      const from = r + ((<usize>(q0 + q) * <usize>ldr + <usize>j0) << 3);
      let to = dst + (<usize>q << 5);
      for (let s = 0; s < full; s++) {
        const f = from + (<usize>s << 5);
        if (ASC_FEATURE_SIMD) {
          v128.store(to, v128.load(f));
          v128.store(to, v128.load(f, 16), 16);
        } else {
          store<f64>(to, load<f64>(f));
          store<f64>(to, load<f64>(f, 8), 8);
          store<f64>(to, load<f64>(f, 16), 16);
          store<f64>(to, load<f64>(f, 24), 24);
        }
        to += sliverBytes;
      }
    }
  } else {
    // Column j of op(R) is row j of the stored R, contiguous over the depth: interleave 4 rows.
    for (let s = 0; s < full; s++) {
      const r0 = r + ((<usize>(j0 + s * TILE_COLS) * <usize>ldr + <usize>q0) << 3);
      const stride = <usize>ldr << 3;
      const r1 = r0 + stride;
      const r2 = r1 + stride;
      const r3 = r2 + stride;
      let to = dst + <usize>s * sliverBytes;
      for (let q = 0; q < kc; q++) {
        const o = <usize>q << 3;
        store<f64>(to, load<f64>(r0 + o));
        store<f64>(to, load<f64>(r1 + o), 8);
        store<f64>(to, load<f64>(r2 + o), 16);
        store<f64>(to, load<f64>(r3 + o), 24);
        to += 32;
      }
    }
  }
  const left = nc - full * TILE_COLS;
  if (left > 0) {
    // The last, partial sliver, zero-padded.
    const to = dst + <usize>full * sliverBytes;
    memory.fill(to, 0, sliverBytes);
    for (let q = 0; q < kc; q++) {
      for (let t = 0; t < left; t++) {
        const j = j0 + full * TILE_COLS + t;
        const x = transR ? load<f64>(r + ((<usize>j * <usize>ldr + <usize>(q0 + q)) << 3)) : load<f64>(r + ((<usize>(q0 + q) * <usize>ldr + <usize>j) << 3));
        store<f64>(to + (<usize>q << 5) + (<usize>t << 3), x);
      }
    }
  }
}

// Packs α·op(L)[i0 .. i0+mr)[q0 .. q0+kc) as one sliver: for q = 0 … kc − 1 the four doubles
// α·op(L)[i0 .. i0+3][q0 + q] (zeros past mr). α = ±1 scales exactly.
function packLSliver(l: usize, ldl: i32, transL: bool, i0: i32, mr: i32, q0: i32, kc: i32, alpha: f64, dst: usize): void {
  if (mr < TILE_ROWS) memory.fill(dst, 0, <usize>kc << 5);
  if (!transL) {
    // Row i of op(L) is a stored row, contiguous over the depth.
    for (let t = 0; t < mr; t++) {
      const from = l + ((<usize>(i0 + t) * <usize>ldl + <usize>q0) << 3);
      const to = dst + (<usize>t << 3);
      for (let q = 0; q < kc; q++) store<f64>(to + (<usize>q << 5), alpha * load<f64>(from + (<usize>q << 3)));
    }
  } else {
    // op(L)[i][q] = stored L[q][i]: the sliver's four doubles per q are contiguous.
    for (let q = 0; q < kc; q++) {
      const from = l + ((<usize>(q0 + q) * <usize>ldl + <usize>i0) << 3);
      const to = dst + (<usize>q << 5);
      if (ASC_FEATURE_SIMD && mr == TILE_ROWS) {
        const a = f64x2.splat(alpha);
        v128.store(to, f64x2.mul(a, v128.load(from)));
        v128.store(to, f64x2.mul(a, v128.load(from, 16)), 16);
      } else {
        for (let t = 0; t < mr; t++) store<f64>(to + (<usize>t << 3), alpha * load<f64>(from + (<usize>t << 3)));
      }
    }
  }
}

// One 4×4 tile: C[0..4][0..4] += Σ_q P_L[q][0..4]ᵀ·P_R[q][0..4] over kc packed steps.
// @ts-ignore: decorator
@inline function tile4x4(c: usize, ldc: i32, pl: usize, pr: usize, kc: i32): void {
  const cs = <usize>ldc << 3;
  const c1 = c + cs;
  const c2 = c1 + cs;
  const c3 = c2 + cs;
  const end = pr + (<usize>kc << 5);
  if (ASC_FEATURE_SIMD) {
    let acc00 = v128.load(c);
    let acc01 = v128.load(c, 16);
    let acc10 = v128.load(c1);
    let acc11 = v128.load(c1, 16);
    let acc20 = v128.load(c2);
    let acc21 = v128.load(c2, 16);
    let acc30 = v128.load(c3);
    let acc31 = v128.load(c3, 16);
    let a = pl;
    for (let q = pr; q < end; q += 32) {
      const r0 = v128.load(q);
      const r1 = v128.load(q, 16);
      const a0 = v128.load64_splat(a);
      acc00 = f64x2.add(acc00, f64x2.mul(a0, r0));
      acc01 = f64x2.add(acc01, f64x2.mul(a0, r1));
      const a1 = v128.load64_splat(a, 8);
      acc10 = f64x2.add(acc10, f64x2.mul(a1, r0));
      acc11 = f64x2.add(acc11, f64x2.mul(a1, r1));
      const a2 = v128.load64_splat(a, 16);
      acc20 = f64x2.add(acc20, f64x2.mul(a2, r0));
      acc21 = f64x2.add(acc21, f64x2.mul(a2, r1));
      const a3 = v128.load64_splat(a, 24);
      acc30 = f64x2.add(acc30, f64x2.mul(a3, r0));
      acc31 = f64x2.add(acc31, f64x2.mul(a3, r1));
      a += 32;
    }
    v128.store(c, acc00);
    v128.store(c, acc01, 16);
    v128.store(c1, acc10);
    v128.store(c1, acc11, 16);
    v128.store(c2, acc20);
    v128.store(c2, acc21, 16);
    v128.store(c3, acc30);
    v128.store(c3, acc31, 16);
    return;
  }
  for (let i = 0; i < TILE_ROWS; i++) {
    const ci = c + <usize>i * cs;
    let s0 = load<f64>(ci);
    let s1 = load<f64>(ci, 8);
    let s2 = load<f64>(ci, 16);
    let s3 = load<f64>(ci, 24);
    let a = pl + (<usize>i << 3);
    for (let q = pr; q < end; q += 32) {
      const ai = load<f64>(a);
      s0 += ai * load<f64>(q);
      s1 += ai * load<f64>(q, 8);
      s2 += ai * load<f64>(q, 16);
      s3 += ai * load<f64>(q, 24);
      a += 32;
    }
    store<f64>(ci, s0);
    store<f64>(ci, s1, 8);
    store<f64>(ci, s2, 16);
    store<f64>(ci, s3, 24);
  }
}
