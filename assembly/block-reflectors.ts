// Blocks of Householder reflectors in compact WY form (Schreiber & Van Loan 1989, "A
// storage-efficient WY representation for products of Householder transformations", SIAM J.
// Sci. Stat. Comput. 10(1); Golub & Van Loan 4th ed. §5.1.7; LAPACK dlarft 'F','C' and dlarfb):
// H_0 H_1 ⋯ H_{nb−1} = I − V T Vᵀ with V = [v_0 … v_{nb−1}] unit lower trapezoidal and T upper
// triangular, so that applying nb reflectors becomes two matrix products (gemm.ts) and a small
// triangular one, instead of nb rank-1 passes over the matrix.
//
// On the kernel's transposed layout (qr.ts, bidiagonal.ts) reflector k is a row: v_k sits in
// row k after position k with its leading 1 implicit, and the matrix C it acts on is held as
// Cᵀ, one row per column. H applied from the left to C is then Cᵀ ← Cᵀ·Hᵀ on rows, and
// everything below works on rows: Cᵀ ← Cᵀ·(I − V op(T) Vᵀ).
import { SMALL_BLOCKS } from "./constants";
import { gemm, gemmPackDoubles } from "./gemm";
import { at, put, rowOf } from "./vector";

/** Reflectors per block (LAPACK ilaenv nb = 32 for dgeqrf, dorgqr, dormqr, dorgbr): the two
 *  products of a block have depth nb or inner dimension nb, enough for the product kernel's
 *  register tiles to run near their peak, while T (nb², 8 KiB) and the unblocked work inside
 *  each panel (∝ nb² per column) stay small. Debug-blocked builds: 3, so small shapes reach
 *  every blocked path with several blocks and a partial one. */
export const REFLECTOR_BLOCK: i32 = SMALL_BLOCKS ? 3 : 32;

// Doubles → doubles rounded up to even, so every region starts 16-byte aligned.
// @ts-ignore: decorator
@inline function even(doubles: u64): u64 {
  return (doubles + 1) & ~(<u64>1);
}

/** Doubles of scratch for blocks of up to REFLECTOR_BLOCK reflectors `len` long applied to up to
 *  `rows` rows (the block's V and T, the product C·V, the product kernel's packing). */
export function blockReflectorDoubles(rows: i32, len: i32): u64 {
  const nb = REFLECTOR_BLOCK;
  let pack = gemmPackDoubles(rows, nb, len); // C·V
  pack = max(pack, gemmPackDoubles(rows, len, nb)); // C −= W·Vᵀ
  pack = max(pack, gemmPackDoubles(nb, nb, len)); // VᵀV for T
  return even(<u64>nb * <u64>len) + even(<u64>(nb * nb)) + even(<u64>max(rows, 1) * <u64>nb) + pack;
}

// The regions of a block's scratch (blockReflectorDoubles(rows, len) doubles from work): V as
// nb rows of len (explicit zeros and unit diagonal) at work itself, then T (nb×nb), then
// W = C·V (rows×nb), then the product kernel's packing.
// @ts-ignore: decorator
@inline export function blockT(work: usize, len: i32): usize {
  return work + (<usize>even(<u64>REFLECTOR_BLOCK * <u64>len) << 3);
}
// @ts-ignore: decorator
@inline export function blockW(work: usize, len: i32): usize {
  return blockT(work, len) + (<usize>even(<u64>(REFLECTOR_BLOCK * REFLECTOR_BLOCK)) << 3);
}
// @ts-ignore: decorator
@inline export function blockPack(work: usize, rows: i32, len: i32): usize {
  return blockW(work, len) + (<usize>even(<u64>max(rows, 1) * <u64>REFLECTOR_BLOCK) << 3);
}

/**
 * The nb reflectors stored as rows at src (reflector k in row k after position k, ld doubles
 * apart, each `len` long from the block's first position) applied to the `rows` rows of C (ldc
 * apart, `len` doubles each from the same position): C ← C·(I − V T Vᵀ), or with Tᵀ when
 * transT. work: blockReflectorDoubles(rows, len) doubles, 16-byte aligned. The caller's
 * gather is the only step that depends on where the reflectors are stored.
 */
export function applyStoredBlock(src: usize, ld: i32, nb: i32, len: i32, tau: usize, c: usize, ldc: i32, rows: i32, transT: bool, work: usize): void {
  gatherReflectors(src, ld, nb, len, work);
  applyGatheredBlock(nb, len, tau, c, ldc, rows, transT, work);
}

/** applyStoredBlock once V sits gathered at work (nb rows of len): forms T, applies the block. */
export function applyGatheredBlock(nb: i32, len: i32, tau: usize, c: usize, ldc: i32, rows: i32, transT: bool, work: usize): void {
  const t = blockT(work, len);
  const w = blockW(work, len);
  const pack = blockPack(work, rows, len);
  blockReflectorFactor(work, len, nb, tau, t, w, pack);
  applyBlockReflector(c, ldc, rows, len, work, nb, t, transT, w, pack);
}

/**
 * Copies nb reflectors stored as rows (row k of src, ld doubles apart, holds v_k after position
 * k) into vt as an explicit nb×len block: zeros before position k, 1 at k, then v_k. Whatever
 * src holds at and before position k (R, d, e) is not read.
 */
export function gatherReflectors(src: usize, ld: i32, nb: i32, len: i32, vt: usize): void {
  for (let k = 0; k < nb; k++) {
    const to = rowOf(vt, k, len);
    memory.fill(to, 0, <usize>k << 3);
    put(to, k, 1);
    memory.copy(to + ((<usize>k + 1) << 3), rowOf(src, k, ld) + ((<usize>k + 1) << 3), <usize>(len - k - 1) << 3);
  }
}

/**
 * LAPACK dlarft ('Forward', 'Columnwise'; Golub & Van Loan 4th ed. §5.1.7): the nb×nb upper
 * triangular T (row-major, ld nb, zero below the diagonal) with H_0⋯H_{nb−1} = I − V T Vᵀ for
 * the reflectors in the explicit block vt (gatherReflectors) and their τ in tau. T's column i
 * is T[0:i, i] = −τ_i·T[0:i, 0:i]·(Vᵀv_i)[0:i], T[i][i] = τ_i; the inner products Vᵀv_i of
 * all columns at once are one product VᵀV (gemm). z: nb doubles of scratch.
 */
export function blockReflectorFactor(vt: usize, len: i32, nb: i32, tau: usize, t: usize, z: usize, pack: usize): void {
  memory.fill(t, 0, <usize>(nb * nb) << 3);
  gemm(nb, nb, len, 1, vt, len, false, vt, len, true, t, nb, pack);
  for (let i = 0; i < nb; i++) {
    const ti = at(tau, i);
    for (let p = 0; p < i; p++) put(z, p, -ti * load<f64>(rowOf(t, p, nb) + (<usize>i << 3)));
    // T[0:i, i] = T[0:i, 0:i]·z, T upper: row p sums over columns p..i−1.
    for (let p = 0; p < i; p++) {
      const tp = rowOf(t, p, nb);
      let s = 0.0;
      for (let j = p; j < i; j++) s += at(tp, j) * at(z, j);
      put(tp, i, s);
    }
    const row = rowOf(t, i, nb);
    memory.fill(row, 0, <usize>i << 3);
    put(row, i, ti);
  }
}

/**
 * LAPACK dlarfb on rows: the `rows` rows of C (ldc apart, each `len` doubles) become
 * C·(I − V T Vᵀ), or C·(I − V Tᵀ Vᵀ) when transT, with V the explicit nb×len block vt and T
 * from blockReflectorFactor. As Cᵀ of a matrix held transposed, that is H·C (transT) or Hᵀ·C
 * for H = I − V T Vᵀ. Two products (W = C·V, depth len; C −= W·Vᵀ, depth nb) and W ← W·op(T).
 * w: rows×nb doubles; pack: the product kernel's packing for both products.
 */
export function applyBlockReflector(c: usize, ldc: i32, rows: i32, len: i32, vt: usize, nb: i32, t: usize, transT: bool, w: usize, pack: usize): void {
  if (rows <= 0) return;
  memory.fill(w, 0, (<usize>rows * <usize>nb) << 3);
  gemm(rows, nb, len, 1, c, ldc, false, vt, len, true, w, nb, pack);
  for (let r = 0; r < rows; r++) {
    const wr = rowOf(w, r, nb);
    if (transT) {
      // w ← w·Tᵀ: w[j] = Σ_{i ≥ j} T[j][i]·w[i], ascending j reads only old entries.
      for (let j = 0; j < nb; j++) {
        const tj = rowOf(t, j, nb);
        let s = 0.0;
        for (let i = j; i < nb; i++) s += at(tj, i) * at(wr, i);
        put(wr, j, s);
      }
    } else {
      // w ← w·T: w[j] = Σ_{i ≤ j} w[i]·T[i][j], descending j reads only old entries.
      for (let j = nb - 1; j >= 0; j--) {
        let s = 0.0;
        for (let i = 0; i <= j; i++) s += at(wr, i) * load<f64>(rowOf(t, i, nb) + (<usize>j << 3));
        put(wr, j, s);
      }
    }
  }
  gemm(rows, len, nb, -1, w, nb, false, vt, len, false, c, ldc, pack);
}
