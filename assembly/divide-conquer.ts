// The SVD of an N×N upper bidiagonal matrix with vectors by divide and conquer: Gu & Eisenstat
// 1995, "A divide-and-conquer algorithm for the bidiagonal SVD", SIAM J. Matrix Anal. Appl.
// 16(1); Jessup & Sorensen 1994, SIAM J. Matrix Anal. Appl. 15(2). LAPACK dbdsdc / dlasd0
// (the tree), dlasd1 / dlasd2 (a merge and its deflation) and dlasd3 (the merged vectors) show
// the structure; the secular equation and the vector recomputation are in secular.ts.
//
// A node covers rows f … f+n−1 and columns f … f+n−1+sqre of B (sqre = 1: one column more than
// rows, the column shared with its right sibling's centre). It is split at its centre row
// k = f + nl into a left child (rows f … k−1, always nl × (nl+1)), the row k (d_k at column k,
// e_k at column k+1) and a right child (rows k+1 …, with the node's sqre). Leaves of at most
// DC_LEAF_SIZE rows are solved by the QR iteration (bidiagonal-qr.ts); a merge turns the two
// children's SVDs into the arrow matrix [z; diag(d)], deflates, solves it (secular.ts) and
// forms the node's vectors as matrix products on the product kernel (gemm.ts).
//
// Storage: all singular vectors are held as rows (the kernel's transposed layout), in the
// caller's arrays: ut (ld ldu) and vt (ld N) hold each node's left and right vectors in its
// diagonal block, rows f… of columns f…; perm[f + t] (i32) is the row offset in the node of its
// t-th smallest value, so values and vectors never move except in a merge.
import { SMALL_BLOCKS } from "./constants";
import { bidiagonalQr, bidiagonalQrScratch, makeNonNegative } from "./bidiagonal-qr";
import { bidiagonalValues, dqdsScratch } from "./dqds";
import { applyGivens, givens } from "./rotations";
import { gemmPackDoubles } from "./gemm";
import { SECULAR_SCRATCH } from "./secular";
import { INT_PERM, MERGE_INDEX_VECTORS, MERGE_VECTORS, mergeNode, sortByValue } from "./bidiagonal-merge";
import { at, put, rowOf } from "./vector";

/** Largest node solved by the QR iteration instead of being split (dbdsdc's SMLSIZ = 25,
 *  ilaenv ispec 9). Measured here (instruction counts, thin 200² and 512²): leaves of 12, 16,
 *  25, 32 or 48 rows cost the same within 3 %, so LAPACK's value stands. The debug-blocked
 *  build uses 2, so that the tests merge down to 1×1 and 1×2 leaves. */
export const DC_LEAF_SIZE: i32 = SMALL_BLOCKS ? 2 : 25;
// Merges done and fallbacks to the QR iteration since instantiation: a few adds per call, read
// only by the debug builds' tests (divideConquerCounts) to see which path ran.
let mergesDone: i32 = 0;
let fallbacksTaken: i32 = 0;

/** Debug builds only (re-exported by assembly/debug.ts): writes [merges, fallbacks] as two i32
 *  at out, the counts since this instance started. */
export function divideConquerCounts(out: usize): void {
  store<i32>(out, mergesDone);
  store<i32>(out, fallbacksTaken, 4);
}

// The arrays of one call: the caller's vectors and scratch (bidiagonalSvdDc's arguments), and
// the small regions laid out by dcLayout from `work`.
let bigN: i32 = 0;
let dd: usize = 0; // the bidiagonal: d (values on return), e
let ee: usize = 0;
let ut: usize = 0; // left vectors as rows (ld ldut), each node in its diagonal block
let ldut: i32 = 0;
let vt: usize = 0; // N×N: right vectors as rows
let qq: usize = 0; // N²: a merge's differences, then its vectors
let rr: usize = 0; // N²: a merge's gathered old vectors; the vectors put in order at the end
let vecs: usize = 0; // MERGE_VECTORS × N doubles; dqds' scratch at the end
let ints: usize = 0; // MERGE_INDEX_VECTORS × N i32 (slot INT_PERM: the tree's orders)
let saved: usize = 0; // 2N: the bidiagonal as given, for the values and the fallback
let rot: usize = 0; // bidiagonalQr's scratch for the leaves
let gg: usize = 0; // secularRoots' out-buffer
let pack: usize = 0; // the product kernel's packing

// Doubles rounded up to even, so that every region starts 16-byte aligned.
// @ts-ignore: decorator
@inline function even(x: u64): u64 {
  return (x + 1) & ~(<u64>1);
}

// Lays the small regions out from `work` and returns their total in doubles.
function dcLayout(n: i32, work: usize): u64 {
  const nn = <u64>n;
  let o: u64 = 0;
  vecs = work + <usize>(o << 3); o += even(max(<u64>MERGE_VECTORS * nn, dqdsScratch(n)));
  ints = work + <usize>(o << 3); o += even(even(<u64>MERGE_INDEX_VECTORS * nn) >> 1);
  saved = work + <usize>(o << 3); o += even(2 * nn);
  rot = work + <usize>(o << 3); o += even(bidiagonalQrScratch(n));
  gg = work + <usize>(o << 3); o += even(<u64>SECULAR_SCRATCH + 2);
  // Every product of a merge has rows, cols and depth ≤ n: this bounds them all.
  pack = work + <usize>(o << 3); o += even(gemmPackDoubles(n, n, n));
  bigN = n;
  return o;
}

/** Doubles of workspace that bidiagonalSvdDc needs besides its four n×n arrays (the vectors
 *  and the scratch q, r it is given): 19n + 14 and the product kernel's packing (≤ 66 576). */
export function divideConquerDoubles(n: i32): u64 {
  return dcLayout(n, 0);
}

// @ts-ignore: decorator
@inline function cell(base: usize, r: i32, c: i32): usize {
  return base + ((<usize>r * <usize>bigN + <usize>c) << 3);
}

// @ts-ignore: decorator
@inline function cellU(r: i32, c: i32): usize {
  return ut + ((<usize>r * <usize>ldut + <usize>c) << 3);
}

// A leaf: rows f … f+n−1 by the QR iteration. With sqre = 1 the extra column is first rotated
// into the others from the right (n rotations of columns (i, n), bottom to top), which leaves
// an n×n upper bidiagonal and makes row n of the block its null vector.
function solveLeaf(f: i32, n: i32, sqre: i32): i32 {
  const m = n + sqre;
  for (let r = 0; r < n; r++) store<f64>(cellU(f + r, f + r), 1);
  for (let r = 0; r < m; r++) store<f64>(cell(vt, f + r, f + r), 1);
  const g = gg;
  if (sqre == 1) {
    let fill = at(ee, f + n - 1);
    for (let i = n - 1; i >= 0; i--) {
      givens(at(dd, f + i), fill, g);
      const c = at(g, 0);
      const s = at(g, 1);
      put(dd, f + i, at(g, 2));
      applyGivens(cell(vt, f + i, f), cell(vt, f + n, f), c, s, m);
      if (i > 0) {
        const ei = at(ee, f + i - 1);
        fill = -s * ei;
        put(ee, f + i - 1, c * ei);
      }
    }
    put(ee, f + n - 1, 0);
  }
  const vblock = cell(vt, f, f);
  const values = dd + (<usize>f << 3);
  if (bidiagonalQr(n, values, ee + (<usize>f << 3), vblock, bigN, m, cellU(f, f), ldut, n, rot) != 0) return 1;
  makeNonNegative(n, values, vblock, bigN, m);
  const perm = ints + (<usize>(INT_PERM * bigN + f) << 2);
  for (let t = 0; t < n; t++) store<i32>(perm + (<usize>t << 2), t);
  sortByValue(perm, n, values);
  return 0;
}

// The node rows f … f+n−1: a leaf, or both children (split at ⌊n/2⌋) and the merge.
function solveNode(f: i32, n: i32, sqre: i32): i32 {
  if (n <= DC_LEAF_SIZE) return solveLeaf(f, n, sqre);
  const nl = n >> 1;
  const nr = n - 1 - nl;
  if (solveNode(f, nl, 1) != 0) return 1;
  if (solveNode(f + nl + 1, nr, sqre) != 0) return 1;
  mergesDone++;
  return mergeNode(f, nl, nr, sqre, bigN, dd, ee, ut, ldut, vt, qq, rr, vecs, ints, gg, pack);
}

/**
 * The SVD B = U_B Σ V_Bᵀ of the n×n upper bidiagonal (d, e) (n > 0) by divide and conquer, for
 * dgesdd's next step (the bidiagonalisation's Q and P applied to U_B and V_B, orthogonal.ts'
 * dormbr). On return the first n rows of ux (ld ldu ≥ n; positions n … lenU − 1 of each are
 * zeroed) hold U_Bᵀ and the n×n vx holds V_Bᵀ, ordered by descending singular values, and d
 * holds those values computed by dqds from the saved (d, e) (bidiagonalValues, as for values
 * only: relative accuracy, which divide and conquer alone does not have; docs/algorithms.md).
 * q, r: n² doubles of scratch each (any 8-byte aligned memory the caller does not need
 * meanwhile); work: divideConquerDoubles(n) doubles, 16-aligned. Returns what dqds returns (0,
 * or its count of unconverged off-diagonals), or −1 when divide and conquer failed (a leaf's QR
 * iteration or a secular root hit its cap): then d and e are as on entry, ux and vx
 * overwritten, and the caller takes the QR iteration with vectors.
 */
export function bidiagonalSvdDc(n: i32, d: usize, e: usize, ux: usize, ldu: i32, lenU: i32, vx: usize, q: usize, r: usize, work: usize): i32 {
  dcLayout(n, work);
  dd = d;
  ee = e;
  ut = ux;
  ldut = ldu;
  vt = vx;
  qq = q;
  rr = r;
  const bytes = <usize>n << 3;
  memory.copy(saved, d, bytes);
  if (n > 1) memory.copy(saved + bytes, e, <usize>(n - 1) << 3);
  for (let i = 0; i < n; i++) memory.fill(rowOf(ut, i, ldu), 0, <usize>lenU << 3);
  memory.fill(vt, 0, <usize>n * bytes);
  if (solveNode(0, n, 0) != 0) {
    fallbacksTaken++;
    memory.copy(d, saved, bytes);
    if (n > 1) memory.copy(e, saved + bytes, <usize>(n - 1) << 3);
    return -1;
  }
  // The vectors by descending value, through rr: U_Bᵀ, then V_Bᵀ.
  const perm = ints + (<usize>(INT_PERM * n) << 2);
  for (let i = 0; i < n; i++) memory.copy(rowOf(rr, i, n), rowOf(ut, load<i32>(perm + (<usize>(n - 1 - i) << 2)), ldu), bytes);
  for (let i = 0; i < n; i++) memory.copy(rowOf(ut, i, ldu), rowOf(rr, i, n), bytes);
  for (let i = 0; i < n; i++) memory.copy(rowOf(rr, i, n), rowOf(vt, load<i32>(perm + (<usize>(n - 1 - i) << 2)), n), bytes);
  memory.copy(vt, rr, <usize>n * bytes);
  // The values, to high relative accuracy, by dqds as for values only (the same values for every
  // job); vecs (≥ dqdsScratch(n) doubles) is free after the merges.
  memory.copy(d, saved, bytes);
  if (n > 1) memory.copy(e, saved + bytes, <usize>(n - 1) << 3);
  return bidiagonalValues(n, d, e, vecs);
}
