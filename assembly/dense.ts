// Dense helpers the wrapper needs around the factorisations: products that rebuild a
// matrix from its factors and the finiteness scan that guards every kernel.
import { axpy, dot } from "./vector";

/**
 * out (m×n) = U Vᵀ with U m×k and V n×k row-major: each entry is a contiguous dot of
 * two factor rows. out must not alias U or V. Cost O(m·n·k).
 */
export function multiplyTransposed(u: usize, v: usize, m: i32, n: i32, k: i32, out: usize): void {
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
}

/**
 * Scales the k columns of the row-major m×k matrix at p by s (k doubles), in place:
 * turns U into U·diag(S) so that U diag(S) Vᵀ is one multiplyTransposed. Cost O(m·k).
 */
export function scaleColumns(p: usize, m: i32, k: i32, s: usize): void {
  let row = p;
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < k; j++) {
      const o = <usize>j << 3;
      store<f64>(row + o, load<f64>(row + o) * load<f64>(s + o));
    }
    row += <usize>k << 3;
  }
}

/** Index of the first non-finite of `count` doubles at p, or −1 when all are finite. O(count). */
export function firstNonFinite(p: usize, count: i32): i32 {
  for (let i = 0; i < count; i++) {
    const x = load<f64>(p + (<usize>i << 3));
    if (!isFinite(x)) return i;
  }
  return -1;
}

/**
 * out (m×n) = A (m×p) · B (p×n), all row-major; out must not alias A or B. Row i of out
 * accumulates A[i,q]·B[q,:] over q, so every inner loop is a contiguous SIMD pass.
 * Cost O(m·p·n).
 */
export function multiply(a: usize, b: usize, m: i32, p: i32, n: i32, out: usize): void {
  const outRow = <usize>n << 3;
  memory.fill(out, 0, <usize>m * outRow);
  for (let i = 0; i < m; i++) {
    const o = out + <usize>i * outRow;
    const ai = a + ((<usize>i * p) << 3);
    for (let q = 0; q < p; q++) {
      const s = load<f64>(ai + (<usize>q << 3));
      if (s != 0) axpy(o, b + <usize>q * outRow, s, n);
    }
  }
}

/**
 * out (p×n) = Aᵀ · B for A (m×p) and B (m×n), row-major; out must not alias A or B. Row q of
 * out accumulates A[i,q]·B[i,:] over i (contiguous SIMD passes, no transpose). Cost O(m·p·n).
 */
export function multiplyTransposedLeft(a: usize, b: usize, m: i32, p: i32, n: i32, out: usize): void {
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
}
