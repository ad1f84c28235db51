// Householder QR of a tall row-major matrix and its explicit thin Q (LAPACK dgeqr2 / dorg2r;
// Golub & Van Loan 4th ed. §5.2.2). Reflector H_j = I − τ_j v_j v_jᵀ with v_j[j] = 1 stored
// below the diagonal of column j. Row-major storage makes a column strided, so each reflector
// is applied as w = v_jᵀ·A (a sum of contiguous row passes) then A −= τ·v_j·w (contiguous
// again): no strided inner loop.
import { axpy, scaledNorm } from "./vector";

// Applies H = I − τ v vᵀ (v = column j of a from row j, v[j] = 1) from the left to columns
// c0.. of the row-major rows×cols matrix b (rows j.. of b). w (cols doubles) is scratch.
function applyReflectorLeft(a: usize, n: i32, j: i32, tau: f64, b: usize, rows: i32, cols: i32, c0: i32, w: usize): void {
  if (tau == 0 || c0 >= cols) return;
  const width = cols - c0;
  const aStride = <usize>n << 3;
  const bStride = <usize>cols << 3;
  const col = <usize>j << 3;
  const first = <usize>c0 << 3;
  memory.fill(w, 0, <usize>width << 3);
  for (let i = j; i < rows; i++) {
    const vi = i == j ? 1.0 : load<f64>(a + <usize>i * aStride + col);
    if (vi != 0) axpy(w, b + <usize>i * bStride + first, vi, width);
  }
  for (let i = j; i < rows; i++) {
    const vi = i == j ? 1.0 : load<f64>(a + <usize>i * aStride + col);
    if (vi != 0) axpy(b + <usize>i * bStride + first, w, -tau * vi, width);
  }
}

/**
 * In-place Householder QR of the row-major m×n matrix a (m ≥ n): R on and above the diagonal,
 * the reflectors below it, their τ in tau (n doubles). work: n doubles. Cost 2n²(m − n/3).
 */
export function householderQr(a: usize, m: i32, n: i32, tau: usize, work: usize): void {
  const stride = <usize>n << 3;
  for (let j = 0; j < n; j++) {
    const diag = a + <usize>j * stride + (<usize>j << 3);
    const alpha = load<f64>(diag);
    const tail = j + 1 < m ? scaledNorm(diag + stride, m - j - 1, stride) : 0.0;
    let t = 0.0;
    if (tail != 0) {
      // dlarfg: β = −sign(α)·‖(α, tail)‖ so that v[0] = α − β never cancels.
      const beta = -copysign<f64>(Math.hypot(alpha, tail), alpha);
      t = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      for (let i = j + 1; i < m; i++) {
        const p = a + <usize>i * stride + (<usize>j << 3);
        store<f64>(p, load<f64>(p) * scale);
      }
      store<f64>(diag, beta);
    }
    store<f64>(tau + (<usize>j << 3), t);
    applyReflectorLeft(a, n, j, t, a, m, n, j + 1, work);
  }
}

/**
 * Forms the thin Q (m×n, row-major, orthonormal columns) from householderQr's output a/tau by
 * applying the reflectors in reverse to the first n columns of the identity (dorg2r).
 * q must not alias a. work: n doubles. Cost 2n²(m − n/3).
 */
export function formQ(a: usize, m: i32, n: i32, tau: usize, q: usize, work: usize): void {
  const stride = <usize>n << 3;
  memory.fill(q, 0, <usize>m * stride);
  for (let j = 0; j < n; j++) store<f64>(q + <usize>j * stride + (<usize>j << 3), 1.0);
  for (let j = n - 1; j >= 0; j--) {
    applyReflectorLeft(a, n, j, load<f64>(tau + (<usize>j << 3)), q, m, n, j, work);
  }
}
