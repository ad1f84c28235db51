// Dense helpers the wrapper needs around the factorisations: products that rebuild a
// matrix from its factors or serve the randomised SVD, and the finiteness scan that guards
// every kernel. Every export checks its integer arguments and pointers (status.ts).
import { STATUS_OK, inMemory } from "./status";
import { axpy, dot, findNonFinite } from "./vector";

// Bytes of a rows×cols block of doubles, for the pointer checks.
// @ts-ignore: decorator
@inline function bytesOf(rows: i32, cols: i32): u64 {
  return (<u64>rows * <u64>cols) << 3;
}

/**
 * out (m×n) = U Vᵀ with U m×k and V n×k row-major: each entry is a contiguous dot of
 * two factor rows. out must not alias U or V. Cost O(m·n·k).
 * Preconditions: m, n, k ≥ 0; buffers 8-byte aligned in memory. Returns STATUS_OK or −i.
 */
export function multiplyTransposed(u: usize, v: usize, m: i32, n: i32, k: i32, out: usize): i32 {
  if (m < 0) return -3;
  if (n < 0) return -4;
  if (k < 0) return -5;
  if (!inMemory(u, bytesOf(m, k))) return -1;
  if (!inMemory(v, bytesOf(n, k))) return -2;
  if (!inMemory(out, bytesOf(m, n))) return -6;
  const rowBytes = <usize>k << 3;
  let op = out;
  let ur = u;
  for (let r = 0; r < m; r++) {
    let vc = v;
    for (let c = 0; c < n; c++) {
      store<f64>(op, dot(ur, vc, k));
      op += 8;
      vc += rowBytes;
    }
    ur += rowBytes;
  }
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
 * out (m×n) = A (m×p) · B (p×n), all row-major; out must not alias A or B. Row i of out
 * accumulates A[i,q]·B[q,:] over q, so every inner loop is a contiguous SIMD pass.
 * Cost O(m·p·n). Preconditions: m, p, n ≥ 0; buffers 8-byte aligned in memory. Returns
 * STATUS_OK or −i.
 */
export function multiply(a: usize, b: usize, m: i32, p: i32, n: i32, out: usize): i32 {
  if (m < 0) return -3;
  if (p < 0) return -4;
  if (n < 0) return -5;
  if (!inMemory(a, bytesOf(m, p))) return -1;
  if (!inMemory(b, bytesOf(p, n))) return -2;
  if (!inMemory(out, bytesOf(m, n))) return -6;
  memory.fill(out, 0, <usize>m * (<usize>n << 3));
  accumulateProduct(a, p, b, m, p, n, out);
  return STATUS_OK;
}

/**
 * out (m×n) += A (m×p, rows lda doubles apart) · B (p×n), row-major: multiply without the
 * zeroing, over a column slice of a wider A. Summing the products of successive row blocks of B
 * (with the matching column slices of A) into one out adds every term in the order multiply
 * does, so the blocks of svdStream give the in-memory product bit for bit. Cost O(m·p·n).
 * Preconditions: m, p, n ≥ 0, lda ≥ p; buffers 8-byte aligned in memory; out not aliasing A or
 * B. Returns STATUS_OK or −i.
 */
export function multiplyAdd(a: usize, lda: i32, b: usize, m: i32, p: i32, n: i32, out: usize): i32 {
  if (m < 0) return -4;
  if (p < 0) return -5;
  if (n < 0) return -6;
  if (lda < p) return -2;
  if (m > 0 && !inMemory(a, (<u64>(m - 1) * <u64>lda + <u64>p) << 3)) return -1;
  if (!inMemory(b, bytesOf(p, n))) return -3;
  if (!inMemory(out, bytesOf(m, n))) return -7;
  accumulateProduct(a, lda, b, m, p, n, out);
  return STATUS_OK;
}

// out += A·B (A m×p with rows lda apart, B p×n, out m×n): row i of out accumulates A[i,q]·B[q,:]
// over q in order, so every inner loop is a contiguous SIMD pass; zero A entries are skipped.
function accumulateProduct(a: usize, lda: i32, b: usize, m: i32, p: i32, n: i32, out: usize): void {
  const outRow = <usize>n << 3;
  for (let i = 0; i < m; i++) {
    const o = out + <usize>i * outRow;
    const ai = a + ((<usize>i * <usize>lda) << 3);
    for (let q = 0; q < p; q++) {
      const s = load<f64>(ai + (<usize>q << 3));
      if (s != 0) axpy(o, b + <usize>q * outRow, s, n);
    }
  }
}

/**
 * out (p×n) = Aᵀ · B for A (m×p) and B (m×n), row-major; out must not alias A or B. Row q of
 * out accumulates A[i,q]·B[i,:] over i (contiguous SIMD passes, no transpose). Cost O(m·p·n).
 * Preconditions: m, p, n ≥ 0; buffers 8-byte aligned in memory. Returns STATUS_OK or −i.
 */
export function multiplyTransposedLeft(a: usize, b: usize, m: i32, p: i32, n: i32, out: usize): i32 {
  if (m < 0) return -3;
  if (p < 0) return -4;
  if (n < 0) return -5;
  if (!inMemory(a, bytesOf(m, p))) return -1;
  if (!inMemory(b, bytesOf(m, n))) return -2;
  if (!inMemory(out, bytesOf(p, n))) return -6;
  const outRow = <usize>n << 3;
  memory.fill(out, 0, <usize>p * outRow);
  for (let i = 0; i < m; i++) {
    const bi = b + <usize>i * outRow;
    const ai = a + ((<usize>i * p) << 3);
    for (let q = 0; q < p; q++) {
      const s = load<f64>(ai + (<usize>q << 3));
      if (s != 0) axpy(out + <usize>q * outRow, bi, s, n);
    }
  }
  return STATUS_OK;
}
