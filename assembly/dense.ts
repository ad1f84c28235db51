// Dense helpers the wrapper needs around the factorisations: products that rebuild a
// matrix from its factors or serve the randomised SVD, and the finiteness scan that guards
// every kernel. Every export checks its integer arguments and pointers (status.ts).
import { STATUS_OK, inMemory } from "./status";
import { gemm, gemmPackDoubles } from "./gemm";
import { findNonFinite, norm2, scale } from "./vector";

// Bytes of a rows×cols block of doubles, for the pointer checks.
// @ts-ignore: decorator
@inline function bytesOf(rows: i32, cols: i32): u64 {
  return (<u64>rows * <u64>cols) << 3;
}

/**
 * Bytes of scratch that multiply, multiplyTransposed and multiplyTransposedLeft need for a
 * product of `rows`×`cols` entries summed over `depth` (the packing of gemm.ts; at most
 * 66 576 doubles, 520 KiB).
 * Preconditions: rows, cols, depth ≥ 0; 0 for an empty product or a negative argument.
 */
export function productWorkspaceBytes(rows: i32, cols: i32, depth: i32): usize {
  return <usize>(gemmPackDoubles(rows, cols, depth) << 3);
}

// Checks the scratch of a product (argument i) and clears out (rows×cols) for gemm to add to.
function startProduct(out: usize, rows: i32, cols: i32, depth: i32, work: usize): bool {
  if ((work & 15) != 0 || !inMemory(work, gemmPackDoubles(rows, cols, depth) << 3)) return false;
  memory.fill(out, 0, <usize>bytesOf(rows, cols));
  return true;
}

/**
 * out (m×n) = U Vᵀ with U m×k and V n×k row-major (gemm with R transposed). out must not alias
 * U or V. work: productWorkspaceBytes(m, n, k) bytes, 16-aligned. Cost 2·m·n·k flops.
 * Preconditions: m, n, k ≥ 0; buffers 8-byte aligned in memory. Returns STATUS_OK or −i.
 */
export function multiplyTransposed(u: usize, v: usize, m: i32, n: i32, k: i32, out: usize, work: usize): i32 {
  if (m < 0) return -3;
  if (n < 0) return -4;
  if (k < 0) return -5;
  if (!inMemory(u, bytesOf(m, k))) return -1;
  if (!inMemory(v, bytesOf(n, k))) return -2;
  if (!inMemory(out, bytesOf(m, n))) return -6;
  if (!startProduct(out, m, n, k, work)) return -7;
  gemm(m, n, k, 1, u, k, false, v, k, true, out, n, work);
  return STATUS_OK;
}

/**
 * Scales the k columns of the row-major m×k matrix at p by s (k doubles), in place:
 * turns U into U·diag(S) so that U diag(S) Vᵀ is one multiplyTransposed. Cost O(m·k).
 * Preconditions: m, k ≥ 0; buffers 8-byte aligned in memory. Returns STATUS_OK or −i.
 */
export function scaleColumns(p: usize, m: i32, k: i32, s: usize): i32 {
  if (m < 0) return -2;
  if (k < 0) return -3;
  if (!inMemory(p, bytesOf(m, k))) return -1;
  if (!inMemory(s, bytesOf(1, k))) return -4;
  let row = p;
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < k; j++) {
      const o = <usize>j << 3;
      store<f64>(row + o, load<f64>(row + o) * load<f64>(s + o));
    }
    row += <usize>k << 3;
  }
  return STATUS_OK;
}

/**
 * Index of the first NaN or ±∞ among `count` doubles at p, or `count` when all are finite.
 * O(count). Preconditions: count ≥ 0; p 8-byte aligned in memory. Returns −i for a bad
 * argument i.
 */
export function firstNonFinite(p: usize, count: i32): i32 {
  if (count < 0) return -2;
  if (!inMemory(p, bytesOf(1, count))) return -1;
  return findNonFinite(p, count);
}

/**
 * out (m×n) = A (m×p) · B (p×n), all row-major (gemm); out must not alias A or B. work:
 * productWorkspaceBytes(m, n, p) bytes, 16-aligned. Cost 2·m·p·n flops.
 * Preconditions: m, p, n ≥ 0; buffers 8-byte aligned in memory. Returns STATUS_OK or −i.
 */
export function multiply(a: usize, b: usize, m: i32, p: i32, n: i32, out: usize, work: usize): i32 {
  if (m < 0) return -3;
  if (p < 0) return -4;
  if (n < 0) return -5;
  if (!inMemory(a, bytesOf(m, p))) return -1;
  if (!inMemory(b, bytesOf(p, n))) return -2;
  if (!inMemory(out, bytesOf(m, n))) return -6;
  if (!startProduct(out, m, n, p, work)) return -7;
  gemm(m, n, p, 1, a, p, false, b, n, false, out, n, work);
  return STATUS_OK;
}

/**
 * out (m×n) += A (m×p, rows lda doubles apart) · B (p×n), row-major: multiply without the
 * zeroing, over a column slice of a wider A. The product kernel adds every term of an entry in
 * depth order, so summing the products of successive row blocks of B (with the matching
 * column slices of A) into one out gives multiply's result bit for bit: svdStream's blocks equal
 * the in-memory product. Cost O(m·p·n). Preconditions: m, p, n ≥ 0, lda ≥ p; buffers 8-byte
 * aligned in memory, work productWorkspaceBytes(m, n, p) bytes 16-aligned; out not aliasing A or
 * B. Returns STATUS_OK or −i.
 */
export function multiplyAdd(a: usize, lda: i32, b: usize, m: i32, p: i32, n: i32, out: usize, work: usize): i32 {
  if (m < 0) return -4;
  if (p < 0) return -5;
  if (n < 0) return -6;
  if (lda < p) return -2;
  if (m > 0 && !inMemory(a, (<u64>(m - 1) * <u64>lda + <u64>p) << 3)) return -1;
  if (!inMemory(b, bytesOf(p, n))) return -3;
  if (!inMemory(out, bytesOf(m, n))) return -7;
  if ((work & 15) != 0 || !inMemory(work, gemmPackDoubles(m, n, p) << 3)) return -8;
  gemm(m, n, p, 1, a, lda, false, b, n, false, out, n, work);
  return STATUS_OK;}

/**
 * out (p×n) = Aᵀ · B for A (m×p) and B (m×n), row-major (gemm with L transposed); out must not
 * alias A or B. work: productWorkspaceBytes(p, n, m) bytes, 16-aligned. Cost 2·m·p·n flops.
 * Preconditions: m, p, n ≥ 0; buffers 8-byte aligned in memory. Returns STATUS_OK or −i.
 */
export function multiplyTransposedLeft(a: usize, b: usize, m: i32, p: i32, n: i32, out: usize, work: usize): i32 {
  if (m < 0) return -3;
  if (p < 0) return -4;
  if (n < 0) return -5;
  if (!inMemory(a, bytesOf(m, p))) return -1;
  if (!inMemory(b, bytesOf(m, n))) return -2;
  if (!inMemory(out, bytesOf(p, n))) return -6;
  if (!startProduct(out, p, n, m, work)) return -7;
  gemm(p, n, m, 1, a, p, true, b, n, false, out, n, work);
  return STATUS_OK;
}

/**
 * x *= alpha over `count` doubles (BLAS dscal): the SGD's scaling of data and factors into and
 * out of its unit range (lr "auto"). Preconditions: count ≥ 0; x 8-byte aligned in memory.
 * Returns STATUS_OK or −i.
 */
export function scaleBy(x: usize, count: i32, alpha: f64): i32 {
  if (count < 0) return -2;
  if (!inMemory(x, bytesOf(1, count))) return -1;
  scale(x, alpha, count);
  return STATUS_OK;
}

/**
 * out ← ‖x‖₂ of `count` doubles, without overflow or harmful underflow (LAPACK dnrm2's scaled
 * sum of squares). Cost O(count). Preconditions: count ≥ 0; buffers 8-byte aligned in memory.
 * Returns STATUS_OK or −i.
 */
export function euclideanNorm(x: usize, count: i32, out: usize): i32 {
  if (count < 0) return -2;
  if (!inMemory(x, bytesOf(1, count))) return -1;
  if (!inMemory(out, 8)) return -3;
  store<f64>(out, norm2(x, count));
  return STATUS_OK;
}
