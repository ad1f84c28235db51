// One merge of the divide-and-conquer bidiagonal SVD (divide-conquer.ts): two children's SVDs
// and the row between them become the node's SVD. Gu & Eisenstat 1995, "A divide-and-conquer
// algorithm for the bidiagonal SVD", SIAM J. Matrix Anal. Appl. 16(1), §2 and §5 (deflation);
// LAPACK dlasd1 (scaling), dlasd2 (deflation) and dlasd3 (the products) show the structure.
//
// With B₁ = U₁[Σ₁ 0]V₁ᵀ (nl × (nl+1)) and B₂ = U₂[Σ₂ 0]V₂ᵀ, the node's rows are, after
// diag(U₁, 1, U₂)ᵀ on the left and diag(V₁, V₂) on the right, the arrow matrix
//   [ z₀  z₁ … z_{n−1} ]   z from the centre row (α = d_k, β = e_k) times the vectors' entries
//   [ 0   diag(d)      ]   in columns k and k+1; d the children's singular values,
// where z₀ = hypot(α·(V₁'s null vector)_k, β·(V₂'s null vector)_{k+1}) (a rotation of the two
// null vectors; the second becomes the node's null vector when sqre = 1). Its SVD (secular.ts)
// times the children's vectors gives the node's: C = Ũᵀ·(old vector rows), two products per
// factor because the children's vectors are zero outside their own columns.
import { EPS } from "./constants";
import { applyGivens } from "./rotations";
import { arrowVectors, leftFromRight, loewnerWeights, secularRoots } from "./secular";
import { at, put, rowOf } from "./vector";
import { gemm } from "./gemm";

/** dlasd2's deflation tolerance 8·8·EPS times the merge's scale (the largest child value or
 *  |α|, |β|): a z_j or a gap d_j − d_{j−1} below it changes the singular values by no more than
 *  the secular solver's own error, so it is set to zero (by a rotation, for a gap). */
const DEFLATION_FACTOR: f64 = 64;


/** Double vectors of length N the merge uses (MERGE_VECTORS of them at `vecs`). */
const VEC_VALS: i32 = 0; // values of the merged list, ascending (entry 0: the centre, 0)
const VEC_Z: i32 = 1; // z of the merged list
const VEC_POLES: i32 = 2; // the arrow's d (entries that stay)
const VEC_ZK: i32 = 3; // the arrow's z
const VEC_SIGMA: i32 = 4; // its singular values
const VEC_ZHAT: i32 = 5; // Gu–Eisenstat's ẑ
const VEC_TMP: i32 = 6; // one row of scratch
const VEC_ZSQ: i32 = 7; // z², for the secular solver
const VEC_RATIO: i32 = 8; // ‖v_i‖/‖u_i‖ of the arrow's vectors (leftFromRight)
const VEC_FIRST: i32 = 9; // u_i's first component
export const MERGE_VECTORS: i32 = 10;
/** i32 vectors of length N (MERGE_INDEX_VECTORS of them at `ints`); slot 0 is the tree's perm. */
export const INT_PERM: i32 = 0;
const INT_ROWS: i32 = 1; // row of each merged entry's vectors
const INT_SIDE: i32 = 2; // SIDE_* of each merged entry
const INT_KEPT: i32 = 3; // merged entries that stay in the arrow, ascending
const INT_DEFL: i32 = 4; // deflated entries
const INT_POS: i32 = 5; // column of each arrow entry in the products' order
export const MERGE_INDEX_VECTORS: i32 = 6;
// Where an entry's vectors live: the left child's columns, both children's (after a
// deflating rotation mixed the two), or the right child's.
const SIDE_LEFT: i32 = 1;
const SIDE_BOTH: i32 = 2;
const SIDE_RIGHT: i32 = 3;

// @ts-ignore: decorator
@inline function iat(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function iput(p: usize, i: i32, x: i32): void {
  store<i32>(p + (<usize>i << 2), x);
}

// 2^p for −1022 ≤ p ≤ 1023.
// @ts-ignore: decorator
@inline function twoTo(p: i32): f64 {
  return reinterpret<f64>(<u64>(p + 1023) << 52);
}

// x·2^p for |p| ≤ 2044, as two normal factors: exact unless the result is subnormal.
// @ts-ignore: decorator
@inline function timesPowerOfTwo(x: f64, p: i32): f64 {
  const half = p / 2;
  return x * twoTo(half) * twoTo(p - half);
}

/**
 * C −= L·R on the product kernel (gemm.ts; it cuts the depth into L2-sized slices itself): C
 * rows×cols (ld ldc), L rows×depth (ld ldl), R depth×cols (ld ldr), pack
 * gemmPackDoubles(rows, cols, depth) doubles.
 */
export function subtractProduct(c: usize, ldc: i32, rows: i32, cols: i32, depth: i32, l: usize, ldl: i32, r: usize, ldr: i32, pack: usize): void {
  gemm(rows, cols, depth, -1.0, l, ldl, false, r, ldr, false, c, ldc, pack);
}

/** Sorts the i32 list (count entries) by ascending values[list[t]] (insertion sort: the lists
 *  sorted here are nearly in order). */
export function sortByValue(list: usize, count: i32, values: usize): void {
  for (let t = 1; t < count; t++) {
    const x = iat(list, t);
    const v = at(values, x);
    let s = t - 1;
    while (s >= 0 && at(values, iat(list, s)) > v) {
      iput(list, s + 1, iat(list, s));
      s--;
    }
    iput(list, s + 1, x);
  }
}

/**
 * Merges the node rows f … f+nl+nr (centre k = f + nl; sqre as in divide-conquer.ts) whose
 * children are solved: d holds their values (rows f…k−1 and k+1…), perm[f…] and perm[k+1…]
 * their ascending orders, ut (rows ldu apart) and vt (ld ld) their vectors in their diagonal
 * blocks, zero elsewhere in the node's block. Afterwards d[f … f+n) holds the node's values,
 * perm[f …] their ascending order and the node's block of ut / vt their vectors (row f+n of vt
 * the null vector when sqre = 1). Scratch: q (n² doubles), r (n·(n + sqre)), vecs
 * (MERGE_VECTORS × ld doubles), ints (MERGE_INDEX_VECTORS × ld i32), g (secular.ts's
 * out-buffer), pack (for subtractProduct). Returns 0, or 1 when a root of the secular equation
 * did not converge.
 */
export function mergeNode(f: i32, nl: i32, nr: i32, sqre: i32, ld: i32, d: usize, e: usize, ut: usize, ldu: i32, vt: usize, q: usize, r: usize, vecs: usize, ints: usize, g: usize, pack: usize): i32 {
  const n = nl + nr + 1;
  const m = n + sqre;
  const k = f + nl;
  const vlen = <usize>ld << 3;
  const vals = vecs + <usize>VEC_VALS * vlen;
  const zs = vecs + <usize>VEC_Z * vlen;
  const ilen = <usize>ld << 2;
  const perm = ints + <usize>INT_PERM * ilen;
  const rows = ints + <usize>INT_ROWS * ilen;
  const side = ints + <usize>INT_SIDE * ilen;
  const kept = ints + <usize>INT_KEPT * ilen;
  const defl = ints + <usize>INT_DEFL * ilen;
  const pos = ints + <usize>INT_POS * ilen;
  const block = (<usize>f) << 3; // column f within a row
  // dlasd1: scale by a power of two so that the largest entry is in [1, 2): exact both ways.
  let big = max(abs(at(d, k)), abs(at(e, k)));
  for (let i = f; i < f + n; i++) if (i != k) big = max(big, at(d, i));
  if (big == 0) {
    // All zero: the children's vectors stand, the centre is (e_k, the left null vector).
    put(rowOf(ut, k, ldu), k, 1);
    for (let t = 0; t < n; t++) iput(perm, f + t, t);
    return 0;
  }
  const p = -<i32>Math.floor(Math.log2(big));
  for (let i = f; i < f + n; i++) if (i != k) put(d, i, timesPowerOfTwo(at(d, i), p));
  const alpha = timesPowerOfTwo(at(d, k), p);
  const beta = timesPowerOfTwo(at(e, k), p);
  const tol = DEFLATION_FACTOR * EPS * timesPowerOfTwo(big, p);

  // z₀ from the null vectors (rotated together when sqre = 1; dlasd2 keeps z₀ ≥ tol).
  const a = alpha * load<f64>(rowOf(vt, k, ld) + (<usize>k << 3));
  let z0 = abs(a) <= tol ? tol : a;
  if (sqre == 1) {
    const b = beta * load<f64>(rowOf(vt, f + n, ld) + (<usize>(k + 1) << 3));
    z0 = Math.sqrt(a * a + b * b);
    let c = 1.0;
    let s = 0.0;
    if (z0 <= tol) z0 = tol;
    else {
      c = a / z0;
      s = b / z0;
    }
    applyGivens(rowOf(vt, k, ld) + block, rowOf(vt, f + n, ld) + block, c, s, m);
  }
  // The two children's ascending lists merged: entry t has value vals[t], z zs[t], vectors in
  // row rows[t]; entry 0 is the centre.
  put(vals, 0, 0);
  put(zs, 0, z0);
  iput(rows, 0, k);
  let il = 0;
  let ir = 0;
  for (let t = 1; t < n; t++) {
    const left = ir >= nr || (il < nl && at(d, f + iat(perm, f + il)) <= at(d, k + 1 + iat(perm, k + 1 + ir)));
    const row = left ? f + iat(perm, f + il++) : k + 1 + iat(perm, k + 1 + ir++);
    put(vals, t, at(d, row));
    put(zs, t, (left ? alpha : beta) * load<f64>(rowOf(vt, row, ld) + (<usize>(left ? k : k + 1) << 3)));
    iput(rows, t, row);
    iput(side, t, left ? SIDE_LEFT : SIDE_RIGHT);
  }

  // Deflation (dlasd2): a negligible z_t, or a value within tol of the previous one that stays,
  // whose z is rotated into this one's (the same rotation of both pairs of vectors).
  iput(kept, 0, 0);
  let kk = 1;
  let nd = 0;
  let prev = -1;
  for (let t = 1; t < n; t++) {
    const zt = at(zs, t);
    if (abs(zt) <= tol) {
      iput(defl, nd++, t);
      continue;
    }
    if (prev >= 1 && at(vals, t) - at(vals, prev) <= tol) {
      const zp = at(zs, prev);
      const h = Math.sqrt(zt * zt + zp * zp);
      const c = zt / h;
      const s = zp / h;
      put(zs, t, h);
      put(zs, prev, 0);
      const rt = iat(rows, t);
      const rp = iat(rows, prev);
      applyGivens(rowOf(ut, rt, ldu) + block, rowOf(ut, rp, ldu) + block, c, s, n);
      applyGivens(rowOf(vt, rt, ld) + block, rowOf(vt, rp, ld) + block, c, s, m);
      if (iat(side, t) != iat(side, prev)) iput(side, t, SIDE_BOTH);
      iput(defl, nd++, prev);
      iput(kept, kk - 1, t);
    } else {
      iput(kept, kk++, t);
    }
    prev = t;
  }
  // dlasd2: the smallest pole that stays keeps tol/2 away from the centre's pole at 0.
  if (kk > 1 && at(vals, iat(kept, 1)) <= 0.5 * tol) put(vals, iat(kept, 1), 0.5 * tol);

  // The arrow: poles, z, and each entry's column in the products' order
  // [left …, centre, both …, right …], so that the left columns' product takes a leading range
  // and the right columns' a trailing one.
  const poles = vecs + <usize>VEC_POLES * vlen;
  const zk = vecs + <usize>VEC_ZK * vlen;
  let nLeft = 0;
  let nBoth = 0;
  for (let j = 0; j < kk; j++) {
    const t = iat(kept, j);
    put(poles, j, at(vals, t));
    put(zk, j, at(zs, t));
    if (j > 0 && iat(side, t) == SIDE_LEFT) nLeft++;
    if (j > 0 && iat(side, t) == SIDE_BOTH) nBoth++;
  }
  let nextLeft = 0;
  let nextBoth = nLeft + 1;
  let nextRight = nLeft + 1 + nBoth;
  iput(pos, 0, nLeft);
  for (let j = 1; j < kk; j++) {
    const sd = iat(side, iat(kept, j));
    iput(pos, j, sd == SIDE_LEFT ? nextLeft++ : sd == SIDE_BOTH ? nextBoth++ : nextRight++);
  }
  const sigma = vecs + <usize>VEC_SIGMA * vlen;
  const zhat = vecs + <usize>VEC_ZHAT * vlen;
  if (secularRoots(kk, poles, zk, sigma, q, vecs + <usize>VEC_ZSQ * vlen, g) != 0) return 1;
  loewnerWeights(kk, poles, zk, q, zhat);
  // Negated (sign −1), so that 0 − (−Ṽᵀ)·old = Ṽᵀ·old in subtractProduct; q holds −Ṽᵀ first,
  // then, turned in place, −Ũᵀ.
  const ratio = vecs + <usize>VEC_RATIO * vlen;
  const first = vecs + <usize>VEC_FIRST * vlen;
  arrowVectors(kk, poles, zhat, q, pos, ratio, first, vecs + <usize>VEC_TMP * vlen, -1);
  sortByValue(defl, nd, vals);
  const top = nLeft + 1 + nBoth;

  // Right vectors: the old rows gathered into r (m wide) in the products' order (the centre's
  // old vector is the rotated null vector, row k), deflated ones after them; then rows
  // f … f+kk−1 = Ṽᵀ·old, the left child's columns and the right child's.
  gatherRows(vt, ld, r, m, rows, kept, kk, pos, defl, nd, block);
  for (let i = 0; i < kk; i++) memory.fill(rowOf(vt, f + i, ld) + block, 0, <usize>m << 3);
  subtractProduct(rowOf(vt, f, ld) + block, ld, kk, nl + 1, top, q, kk, r, m, pack);
  subtractProduct(rowOf(vt, f, ld) + (<usize>(k + 1) << 3), ld, kk, nr + sqre, kk - nLeft, q + (<usize>nLeft << 3), kk, rowOf(r, nLeft, m) + (<usize>(nl + 1) << 3), m, pack);
  for (let i = 0; i < nd; i++) memory.copy(rowOf(vt, f + kk + i, ld) + block, rowOf(r, kk + i, m), <usize>m << 3);

  // Left vectors likewise (n wide; the centre's old vector is e_k, alone in column k).
  leftFromRight(kk, poles, pos, q, ratio, first);
  gatherRows(ut, ldu, r, n, rows, kept, kk, pos, defl, nd, block);
  const centre = rowOf(r, nLeft, n);
  memory.fill(centre, 0, <usize>n << 3);
  put(centre, nl, 1);
  for (let i = 0; i < kk; i++) memory.fill(rowOf(ut, f + i, ldu) + block, 0, <usize>n << 3);
  subtractProduct(rowOf(ut, f, ldu) + block, ldu, kk, nl, top, q, kk, r, n, pack);
  for (let i = 0; i < kk; i++) put(rowOf(ut, f + i, ldu), k, -at(rowOf(q, i, kk), nLeft));
  subtractProduct(rowOf(ut, f, ldu) + (<usize>(k + 1) << 3), ldu, kk, nr, kk - nLeft, q + (<usize>nLeft << 3), kk, rowOf(r, nLeft, n) + (<usize>(nl + 1) << 3), n, pack);
  for (let i = 0; i < nd; i++) memory.copy(rowOf(ut, f + kk + i, ldu) + block, rowOf(r, kk + i, n), <usize>n << 3);

  // Values (unscaled) and their ascending order: the roots, then the deflated values, each
  // ascending, merged.
  for (let i = 0; i < kk; i++) put(d, f + i, timesPowerOfTwo(at(sigma, i), -p));
  for (let i = 0; i < nd; i++) put(d, f + kk + i, timesPowerOfTwo(at(vals, iat(defl, i)), -p));
  let ia = 0;
  let ib = kk;
  for (let t = 0; t < n; t++) {
    const fromRoots = ib >= n || (ia < kk && at(d, f + ia) <= at(d, f + ib));
    iput(perm, f + t, fromRoots ? ia++ : ib++);
  }
  return 0;
}

// Copies the rows of the entries that stay (kept, in the products' order pos) and then the
// deflated ones (defl) from x (ld ld, columns from `block` bytes) into r (width doubles each).
function gatherRows(x: usize, ld: i32, r: usize, width: i32, rows: usize, kept: usize, kk: i32, pos: usize, defl: usize, nd: i32, block: usize): void {
  const bytes = <usize>width << 3;
  for (let j = 0; j < kk; j++) memory.copy(rowOf(r, iat(pos, j), width), rowOf(x, iat(rows, iat(kept, j)), ld) + block, bytes);
  for (let i = 0; i < nd; i++) memory.copy(rowOf(r, kk + i, width), rowOf(x, iat(rows, iat(defl, i)), ld) + block, bytes);
}
