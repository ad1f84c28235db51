// Sparse matrices in compressed sparse row form (CSR: Saad, "Iterative Methods for Sparse
// Linear Systems", 2nd ed. 2003, §3.4) and their products with blocks of dense vectors, for the
// randomised SVD and PCA of sparse input. The conversions are Gustavson's counting-sort
// transposition (F. G. Gustavson 1978, "Two fast algorithms for sparse matrices: multiplication
// and permuted transposition", ACM TOMS 4(3)) — scipy.sparse's coo_tocsr, csr_tocsc and
// csr_sum_duplicates do the same. A CSR matrix is `ptr` (rows + 1 i32: row r's entries are
// ptr[r] … ptr[r+1] − 1), `idx` (i32 column of each entry) and `val` (f64); the CSR of Sᵀ is the
// CSC of S (PCA sums duplicates and takes column statistics there).
//
// The dense side is held as the randomised SVD holds its bases: transposed, l rows. Both
// products first transpose it into row-major scratch (one row of l doubles per row or column of
// S), so that every entry of S costs contiguous f64x2 passes over l doubles of a row that the
// entry selects: S·X gathers rows of X into each output row (sums kept in registers), Sᵀ·Q
// scatters each row of Q into the output rows its entries name. Both run over the one CSR.
import { STATUS_OK, inMemory } from "./status";
import { axpy, dot, transpose } from "./vector";

/** Doubles the products keep in four f64x2 registers per pass over a row's entries (S·X: sums
 *  of the output row; Sᵀ·Q: the row of Q): with the broadcast value, well inside x86-64's 16
 *  vector registers. Sixteen (eight registers) measured 20–30 % slower, spilling; a narrower
 *  chunk re-reads the row's entries more often. */
const PRODUCT_CHUNK: i32 = 8;

// Bytes of `count` elements of `size` bytes, for the pointer checks.
// @ts-ignore: decorator
@inline function bytes(count: i32, size: i32): u64 {
  return <u64>count * <u64>size;
}

// ptr[0..count] of a compressed matrix with `count` rows: the entry counts, turned into starts.
// On entry ptr[r + 1] holds the number of entries of row r (ptr[0] anything); on exit ptr[r] is
// the first entry of row r and ptr[count] the total.
function countsToStarts(ptr: usize, count: i32): void {
  store<i32>(ptr, 0);
  let sum = 0;
  for (let r = 1; r <= count; r++) {
    const p = ptr + (<usize>r << 2);
    sum += load<i32>(p);
    store<i32>(p, sum);
  }
}

// After the scatter has advanced every start ptr[r] to the start of row r + 1: shift back.
function restoreStarts(ptr: usize, count: i32): void {
  for (let r = count; r > 0; r--) store<i32>(ptr + (<usize>r << 2), load<i32>(ptr + (<usize>(r - 1) << 2)));
  store<i32>(ptr, 0);
}

/**
 * Coordinate list → CSR (scipy's coo_tocsr): a stable counting sort of the nnz entries
 * (rowIdx[t], colIdx[t], val[t]) by row into ptr (rows + 1 i32), idx (nnz i32) and out (nnz f64).
 * Entries of one row keep their given order; duplicates are kept (products sum them; see
 * sumDuplicates). Cost O(nnz + rows). Preconditions: nnz, rows, cols ≥ 0; buffers 8-byte
 * aligned in memory, outputs not overlapping the inputs. Returns STATUS_OK, −1 when a
 * row index is outside [0, rows) (found before anything but ptr is written), −2 for a column
 * index outside [0, cols) (idx and out then incomplete), or −i for another bad argument i.
 */
export function compressCoordinates(rowIdx: usize, colIdx: usize, val: usize, nnz: i32, rows: i32, cols: i32, ptr: usize, idx: usize, out: usize): i32 {
  if (nnz < 0) return -4;
  if (rows < 0) return -5;
  if (cols < 0) return -6;
  if (!inMemory(rowIdx, bytes(nnz, 4))) return -1;
  if (!inMemory(colIdx, bytes(nnz, 4))) return -2;
  if (!inMemory(val, bytes(nnz, 8))) return -3;
  if (!inMemory(ptr, bytes(rows + 1, 4))) return -7;
  if (!inMemory(idx, bytes(nnz, 4))) return -8;
  if (!inMemory(out, bytes(nnz, 8))) return -9;
  memory.fill(ptr, 0, <usize>(rows + 1) << 2);
  for (let t = 0; t < nnz; t++) {
    const r = load<i32>(rowIdx + (<usize>t << 2));
    if (r < 0 || r >= rows) return -1;
    const p = ptr + (<usize>(r + 1) << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  countsToStarts(ptr, rows);
  for (let t = 0; t < nnz; t++) {
    const c = load<i32>(colIdx + (<usize>t << 2));
    if (c < 0 || c >= cols) return -2;
    const p = ptr + (<usize>load<i32>(rowIdx + (<usize>t << 2)) << 2);
    const at = load<i32>(p);
    store<i32>(p, at + 1);
    store<i32>(idx + (<usize>at << 2), c);
    store<f64>(out + (<usize>at << 3), load<f64>(val + (<usize>t << 3)));
  }
  restoreStarts(ptr, rows);
  return STATUS_OK;
}

/**
 * CSR of S (rows×cols) → CSR of Sᵀ, i.e. the CSC of S (Gustavson 1978; scipy's csr_tocsc):
 * ptrT (cols + 1), idxT, valT (nnz = ptr[rows] entries each). Stable, so the entries of each
 * output row come in ascending index order whatever the input's order. Cost O(nnz + rows +
 * cols). Preconditions: rows, cols ≥ 0; ptr a valid CSR start array (non-decreasing from 0,
 * unchecked); buffers aligned in memory; outputs not overlapping inputs. Returns STATUS_OK, −2
 * when an index is outside [0, cols) (found before idxT and valT are written), or −i.
 */
export function transposeCompressed(ptr: usize, idx: usize, val: usize, rows: i32, cols: i32, ptrT: usize, idxT: usize, valT: usize): i32 {
  if (rows < 0) return -4;
  if (cols < 0) return -5;
  if (!inMemory(ptr, bytes(rows + 1, 4))) return -1;
  const nnz = load<i32>(ptr + (<usize>rows << 2));
  if (nnz < 0) return -1;
  if (!inMemory(idx, bytes(nnz, 4))) return -2;
  if (!inMemory(val, bytes(nnz, 8))) return -3;
  if (!inMemory(ptrT, bytes(cols + 1, 4))) return -6;
  if (!inMemory(idxT, bytes(nnz, 4))) return -7;
  if (!inMemory(valT, bytes(nnz, 8))) return -8;
  memory.fill(ptrT, 0, <usize>(cols + 1) << 2);
  for (let t = 0; t < nnz; t++) {
    const c = load<i32>(idx + (<usize>t << 2));
    if (c < 0 || c >= cols) return -2;
    const p = ptrT + (<usize>(c + 1) << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  countsToStarts(ptrT, cols);
  for (let r = 0; r < rows; r++) {
    const end = load<i32>(ptr + (<usize>(r + 1) << 2));
    for (let t = load<i32>(ptr + (<usize>r << 2)); t < end; t++) {
      const p = ptrT + (<usize>load<i32>(idx + (<usize>t << 2)) << 2);
      const at = load<i32>(p);
      store<i32>(p, at + 1);
      store<i32>(idxT + (<usize>at << 2), r);
      store<f64>(valT + (<usize>at << 3), load<f64>(val + (<usize>t << 3)));
    }
  }
  restoreStarts(ptrT, cols);
  return STATUS_OK;
}

/**
 * Sums the entries of each row that share an index (scipy's csr_sum_duplicates), compacting the
 * CSR matrix in place: afterwards every (row, index) appears once, with the sum of its values
 * in the given order. Only adjacent entries are merged, so every row's indices must be sorted
 * (as transposeCompressed leaves them). Cost O(nnz + rows). Preconditions: rows ≥ 0; ptr valid
 * (unchecked); buffers aligned in memory. Returns the new number of entries (≥ 0) or −i.
 */
export function sumDuplicates(ptr: usize, idx: usize, val: usize, rows: i32): i32 {
  if (rows < 0) return -4;
  if (!inMemory(ptr, bytes(rows + 1, 4))) return -1;
  const nnz = load<i32>(ptr + (<usize>rows << 2));
  if (nnz < 0) return -1;
  if (!inMemory(idx, bytes(nnz, 4))) return -2;
  if (!inMemory(val, bytes(nnz, 8))) return -3;
  let w = 0; // next entry written
  let t = 0; // next entry read (rows start where the previous one ended, before compaction)
  for (let r = 0; r < rows; r++) {
    const end = load<i32>(ptr + (<usize>(r + 1) << 2));
    store<i32>(ptr + (<usize>r << 2), w);
    while (t < end) {
      const c = load<i32>(idx + (<usize>t << 2));
      let sum = load<f64>(val + (<usize>t << 3));
      t++;
      while (t < end && load<i32>(idx + (<usize>t << 2)) == c) {
        sum += load<f64>(val + (<usize>t << 3));
        t++;
      }
      store<i32>(idx + (<usize>w << 2), c);
      store<f64>(val + (<usize>w << 3), sum);
      w++;
    }
  }
  store<i32>(ptr + (<usize>rows << 2), w);
  return w;
}

/** Output rows computed into a row-major tile before the tile is written out transposed: each
 *  row of the tile is one row of S's products (l doubles), and writing the tile column by column
 *  turns the transposed output's stores into runs of this many contiguous doubles (one row of
 *  the output per j) instead of l stores `rows` doubles apart per row of S, which touched l
 *  pages per row (a TLB miss each once rows·8 bytes exceeds a page): measured 2× faster on
 *  100 000 × 50 000 with 2 M entries, l = 20. 32 × l = 20 doubles is 5 KiB, inside L1. */
const PRODUCT_TILE_ROWS: i32 = 32;

// Doubles of scratch: sparseMultiplyTransposed needs X row-major (cols·l), the output tile
// (PRODUCT_TILE_ROWS·l) and the centring coefficients (l); sparseMultiply needs Q and Z
// row-major ((rows + cols)·l) and the coefficients (l).
// @ts-ignore: decorator
@inline function productScratch(l: i32, rows: i32, cols: i32): u64 {
  return (max(<u64>cols + <u64>PRODUCT_TILE_ROWS, <u64>rows + <u64>cols) + 1) * <u64>l;
}

/**
 * Bytes of the `work` buffer that sparseMultiplyTransposed and sparseMultiply need for l
 * columns of the dense side and a rows×cols sparse matrix (16-byte multiple), or 0 for a bad
 * argument or beyond 2³² − 16 bytes.
 */
export function sparseWorkspaceBytes(l: i32, rows: i32, cols: i32): usize {
  if (l < 0 || rows < 0 || cols < 0) return 0;
  const bytes = ((productScratch(l, rows, cols) + 1) & ~(<u64>1)) << 3;
  return bytes > <u64>0xFFFFFFF0 ? 0 : <usize>bytes;
}

// The checks both products make; returns 0 or −i. `dense` and `output` are the dense side's and
// the output's numbers of columns (rows of the transposed layout's l rows).
function checkProduct(xt: usize, l: i32, ptr: usize, idx: usize, val: usize, rows: i32, cols: i32, out: usize, work: usize, mean: usize,
  dense: i32, output: i32): i32 {
  if (l < 0) return -2;
  if (rows < 0) return -6;
  if (cols < 0) return -7;
  if (!inMemory(xt, bytes(l, 8) * <u64>dense)) return -1;
  if (!inMemory(ptr, bytes(rows + 1, 4))) return -3;
  const nnz = load<i32>(ptr + (<usize>rows << 2));
  if (nnz < 0) return -3;
  if (!inMemory(idx, bytes(nnz, 4))) return -4;
  if (!inMemory(val, bytes(nnz, 8))) return -5;
  if (!inMemory(out, bytes(l, 8) * <u64>output)) return -8;
  if ((work & 15) != 0 || !inMemory(work, productScratch(l, rows, cols) << 3)) return -9;
  if (mean != 0 && !inMemory(mean, bytes(cols, 8))) return -10;
  return STATUS_OK;
}

/**
 * out (l×rows) = Xt (l×cols) · (S − 1·meanᵀ)ᵀ for the CSR matrix S (rows×cols): ((S − 1μᵀ)·X)ᵀ
 * with X = Xtᵀ held transposed (the randomised SVD's layout), the A·X of its range finder. Rows of
 * S gather rows of X: each output row sums its entries' products in the row's entry order, in
 * registers, so the result does not depend on the SIMD width. `mean` (cols doubles, or 0 for
 * none) centres S's columns without forming S − 1μᵀ: out[j] −= (Xt[j]·μ)·1. Cost
 * O(nnz·l + (rows + cols)·l); work: sparseWorkspaceBytes(l, rows, cols) bytes, 16-byte aligned.
 * Preconditions: l, rows, cols ≥ 0; ptr valid and indices in [0, cols) (unchecked: the
 * conversions check them); no output overlapping an input. Returns STATUS_OK or −i.
 */
export function sparseMultiplyTransposed(xt: usize, l: i32, ptr: usize, idx: usize, val: usize, rows: i32, cols: i32, out: usize, work: usize, mean: usize): i32 {
  const bad = checkProduct(xt, l, ptr, idx, val, rows, cols, out, work, mean, cols, rows);
  if (bad != STATUS_OK) return bad;
  if (l == 0 || rows == 0) return STATUS_OK;
  const x = work; // X: cols rows of l doubles
  const tile = x + ((<usize>cols * <usize>l) << 3);
  transpose(xt, l, cols, x);
  const rowBytes = <usize>l << 3;
  const outStride = <usize>rows << 3;
  for (let r0 = 0; r0 < rows; r0 += PRODUCT_TILE_ROWS) {
    const count = min(PRODUCT_TILE_ROWS, rows - r0);
    for (let r = 0; r < count; r++) {
      const t0 = load<i32>(ptr + (<usize>(r0 + r) << 2));
      const t1 = load<i32>(ptr + (<usize>(r0 + r + 1) << 2));
      gatherRow(tile + <usize>r * rowBytes, x, rowBytes, l, idx, val, t0, t1);
    }
    for (let j = 0; j < l; j++) {
      const o = out + <usize>j * outStride + (<usize>r0 << 3);
      const from = tile + (<usize>j << 3);
      for (let r = 0; r < count; r++) store<f64>(o + (<usize>r << 3), load<f64>(from + <usize>r * rowBytes));
    }
  }
  if (mean != 0) {
    for (let j = 0; j < l; j++) subtractConstant(out + <usize>j * outStride, dot(xt + <usize>j * (<usize>cols << 3), mean, cols), rows);
  }
  return STATUS_OK;
}

/**
 * out (l×cols) = Qt (l×rows) · (S − 1·meanᵀ) for the CSR matrix S (rows×cols): ((S − 1μᵀ)ᵀ·Q)ᵀ
 * with Q = Qtᵀ held transposed, the Aᵀ·Q of the range finder, from the same CSR as
 * sparseMultiplyTransposed (no CSC needed). Rows of S scatter: entry (r, c, s) adds s·Q[r] to
 * row c of a row-major Z, so every output entry sums in the CSR's entry order (rows ascending);
 * measured as fast as gathering over a CSC copy, which would cost another pass and 12 bytes an
 * entry to build. `mean` as in sparseMultiplyTransposed: out[j] −= (Σ Qt[j])·μ. Cost
 * O(nnz·l + (rows + cols)·l); work: sparseWorkspaceBytes(l, rows, cols) bytes, 16-byte aligned.
 * Preconditions as sparseMultiplyTransposed's. Returns STATUS_OK or −i.
 */
export function sparseMultiply(qt: usize, l: i32, ptr: usize, idx: usize, val: usize, rows: i32, cols: i32, out: usize, work: usize, mean: usize): i32 {
  const bad = checkProduct(qt, l, ptr, idx, val, rows, cols, out, work, mean, rows, cols);
  if (bad != STATUS_OK) return bad;
  if (l == 0 || cols == 0) return STATUS_OK;
  const q = work; // Q: rows rows of l doubles
  const z = q + ((<usize>rows * <usize>l) << 3); // Z: cols rows of l doubles
  const rowBytes = <usize>l << 3;
  transpose(qt, l, rows, q);
  memory.fill(z, 0, <usize>cols * rowBytes);
  for (let r = 0; r < rows; r++) {
    const t0 = load<i32>(ptr + (<usize>r << 2));
    const t1 = load<i32>(ptr + (<usize>(r + 1) << 2));
    scatterRow(z, q + <usize>r * rowBytes, rowBytes, l, idx, val, t0, t1);
  }
  transpose(z, cols, l, out);
  if (mean != 0) {
    for (let j = 0; j < l; j++) {
      const oj = out + <usize>j * (<usize>cols << 3);
      axpy(oj, mean, -sum(qt + <usize>j * (<usize>rows << 3), rows), cols);
    }
  }
  return STATUS_OK;
}

// Z[idx[t]] += val[t]·Q[r] for t0 ≤ t < t1 over rows of l doubles (rowBytes apart): one row of S
// scattered. Chunks of PRODUCT_CHUNK doubles of Q[r] stay in registers over the row's entries;
// the rest is an axpy per entry. Each Z entry adds its terms in entry order either way.
// @ts-ignore: decorator
@inline function scatterRow(z: usize, qr: usize, rowBytes: usize, l: i32, idx: usize, val: usize, t0: i32, t1: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + PRODUCT_CHUNK <= l; j += PRODUCT_CHUNK) {
      const off = <usize>j << 3;
      const q0 = v128.load(qr + off);
      const q1 = v128.load(qr + off, 16);
      const q2 = v128.load(qr + off, 32);
      const q3 = v128.load(qr + off, 48);
      for (let t = t0; t < t1; t++) {
        const s = v128.load64_splat(val + (<usize>t << 3));
        const zr = z + <usize>load<i32>(idx + (<usize>t << 2)) * rowBytes + off;
        v128.store(zr, f64x2.add(v128.load(zr), f64x2.mul(s, q0)));
        v128.store(zr, f64x2.add(v128.load(zr, 16), f64x2.mul(s, q1)), 16);
        v128.store(zr, f64x2.add(v128.load(zr, 32), f64x2.mul(s, q2)), 32);
        v128.store(zr, f64x2.add(v128.load(zr, 48), f64x2.mul(s, q3)), 48);
      }
    }
  }
  if (j < l) {
    const off = <usize>j << 3;
    for (let t = t0; t < t1; t++) {
      axpy(z + <usize>load<i32>(idx + (<usize>t << 2)) * rowBytes + off, qr + off, load<f64>(val + (<usize>t << 3)), l - j);
    }
  }
}

// acc[0..l) = Σ_{t0 ≤ t < t1} val[t]·X[idx[t]] over rows of l doubles (rowBytes apart): the output
// row of one row of S. Chunks of PRODUCT_CHUNK doubles are accumulated in registers over all of
// the row's entries, then narrower chunks and a scalar lane finish l; every chunk adds the
// products of its lanes in entry order, as the scalar loop does.
// @ts-ignore: decorator
@inline function gatherRow(acc: usize, x: usize, rowBytes: usize, l: i32, idx: usize, val: usize, t0: i32, t1: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + PRODUCT_CHUNK <= l; j += PRODUCT_CHUNK) {
      const off = <usize>j << 3;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      for (let t = t0; t < t1; t++) {
        const s = v128.load64_splat(val + (<usize>t << 3));
        const row = x + <usize>load<i32>(idx + (<usize>t << 2)) * rowBytes + off;
        a0 = f64x2.add(a0, f64x2.mul(s, v128.load(row)));
        a1 = f64x2.add(a1, f64x2.mul(s, v128.load(row, 16)));
        a2 = f64x2.add(a2, f64x2.mul(s, v128.load(row, 32)));
        a3 = f64x2.add(a3, f64x2.mul(s, v128.load(row, 48)));
      }
      v128.store(acc + off, a0);
      v128.store(acc + off, a1, 16);
      v128.store(acc + off, a2, 32);
      v128.store(acc + off, a3, 48);
    }
    if (j + 4 <= l) {
      const off = <usize>j << 3;
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      for (let t = t0; t < t1; t++) {
        const s = v128.load64_splat(val + (<usize>t << 3));
        const row = x + <usize>load<i32>(idx + (<usize>t << 2)) * rowBytes + off;
        a0 = f64x2.add(a0, f64x2.mul(s, v128.load(row)));
        a1 = f64x2.add(a1, f64x2.mul(s, v128.load(row, 16)));
      }
      v128.store(acc + off, a0);
      v128.store(acc + off, a1, 16);
      j += 4;
    }
    for (; j + 2 <= l; j += 2) {
      const off = <usize>j << 3;
      let a0 = f64x2.splat(0);
      for (let t = t0; t < t1; t++) {
        const s = v128.load64_splat(val + (<usize>t << 3));
        a0 = f64x2.add(a0, f64x2.mul(s, v128.load(x + <usize>load<i32>(idx + (<usize>t << 2)) * rowBytes + off)));
      }
      v128.store(acc + off, a0);
    }
  }
  for (; j < l; j++) {
    const off = <usize>j << 3;
    let a = 0.0;
    for (let t = t0; t < t1; t++) {
      a += load<f64>(val + (<usize>t << 3)) * load<f64>(x + <usize>load<i32>(idx + (<usize>t << 2)) * rowBytes + off);
    }
    store<f64>(acc + off, a);
  }
}

// Σ x over n contiguous doubles, in order (the centring's Qᵀ·1).
function sum(x: usize, n: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) s += load<f64>(x + (<usize>i << 3));
  return s;
}

// y −= c over n contiguous doubles.
function subtractConstant(y: usize, c: f64, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = y + (<usize>i << 3);
    store<f64>(p, load<f64>(p) - c);
  }
}
