// Dense helpers the wrapper needs around the factorisations: products that rebuild a
// matrix from its factors and the finiteness scan that guards every kernel.
import { dot } from "./vector";

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
