// Per-column statistics and transforms for principal component analysis: centring and scaling
// of a dense matrix in place, the same statistics of a sparse matrix (held as the CSR of its
// transpose) without forming the centred matrix, and the sign convention of the components.
// Variances are sample variances (divisor m − 1, as numpy.var(ddof=1), R's prcomp and the
// explained variance of scikit-learn's PCA), by the two-pass algorithm (mean first, then the
// sum of squared deviations; Chan, Golub & LeVeque 1983, "Algorithms for computing the sample
// variance", The American Statistician 37(3)), which loses no accuracy to cancellation.
import { STATUS_OK, inMemory } from "./status";
import { axpy, scale } from "./vector";

/** Flag bit: subtract the column means (else statistics are about zero and means reported 0). */
const CENTER: i32 = 1;
/** Flag bit: divide every column by its standard deviation (columns with none are left as they are). */
const SCALE: i32 = 2;

/**
 * Standardises the columns of the row-major m×n matrix at a in place for PCA: with CENTER
 * (flags bit 0) subtracts each column's mean μ_c, with SCALE (bit 1) then divides each column
 * by its standard deviation σ_c = √(Σᵢ (a_ic − μ_c)² / (m − 1)) when σ_c > 0. Writes mean (n
 * doubles: μ, or 0 without CENTER), std (n doubles: the divisor used, σ_c, or 1 for a constant
 * column or without SCALE — scikit-learn's StandardScaler.scale_ convention) and total (1
 * double: the sum of the n column variances of the result, ‖result‖²_F / (m − 1)). Rows are
 * processed as contiguous f64x2 passes. Cost O(m·n), three passes. Preconditions: m ≥ 2,
 * n ≥ 0; flags in [0, 3]; buffers 8-byte aligned in memory, not overlapping. Returns STATUS_OK
 * or −i for a bad argument i.
 */
export function standardiseColumns(a: usize, m: i32, n: i32, flags: i32, mean: usize, std: usize, total: usize): i32 {
  if (m < 2) return -2;
  if (n < 0) return -3;
  if (flags < 0 || flags > (CENTER | SCALE)) return -4;
  const rowBytes = <usize>n << 3;
  if (!inMemory(a, <u64>m * <u64>rowBytes)) return -1;
  if (!inMemory(mean, <u64>rowBytes)) return -5;
  if (!inMemory(std, <u64>rowBytes)) return -6;
  if (!inMemory(total, 8)) return -7;
  memory.fill(mean, 0, rowBytes);
  if ((flags & CENTER) != 0) {
    for (let i = 0; i < m; i++) axpy(mean, a + <usize>i * rowBytes, 1, n);
    scale(mean, 1 / <f64>m, n);
    for (let i = 0; i < m; i++) axpy(a + <usize>i * rowBytes, mean, -1, n);
  }
  // Sums of squares (of deviations, after centring) in std, then σ or the divisor 1.
  memory.fill(std, 0, rowBytes);
  for (let i = 0; i < m; i++) addSquares(std, a + <usize>i * rowBytes, n);
  let sum = 0.0;
  const dof = <f64>(m - 1);
  for (let c = 0; c < n; c++) {
    const p = std + (<usize>c << 3);
    const variance = load<f64>(p) / dof;
    const sigma = Math.sqrt(variance);
    const divisor = (flags & SCALE) != 0 && sigma > 0 ? sigma : 1.0;
    sum += variance / (divisor * divisor);
    store<f64>(p, divisor);
  }
  store<f64>(total, sum);
  if ((flags & SCALE) != 0) {
    for (let i = 0; i < m; i++) divideBy(a + <usize>i * rowBytes, std, n);
  }
  return STATUS_OK;
}

/**
 * The statistics of standardiseColumns for a sparse m×n matrix A held as the CSR of Aᵀ
 * (ptr: n + 1 starts, val: the entries; one compressed row per column of A, duplicates summed),
 * with the m − (entries of column c) implicit zeros counted: μ_c = Σ val / m and
 * Σᵢ (a_ic − μ_c)² = Σ_entries (val − μ_c)² + (m − count_c)·μ_c². Nothing is centred: writes
 * mean, std, total as standardiseColumns does, and shift (n doubles) = μ_c / divisor_c, the
 * column means of the scaled matrix that the products subtract implicitly
 * (sparseMultiplyTransposed); with SCALE the stored values of column c are divided by σ_c.
 * Cost O(nnz + n). Preconditions: n ≥ 0, m ≥ 2; flags in [0, 3]; ptr valid (unchecked); buffers
 * 8-byte aligned in memory, not overlapping. Returns STATUS_OK or −i for a bad argument i.
 */
export function standardiseCompressed(ptr: usize, val: usize, n: i32, m: i32, flags: i32, mean: usize, std: usize, shift: usize, total: usize): i32 {
  if (n < 0) return -3;
  if (m < 2) return -4;
  if (flags < 0 || flags > (CENTER | SCALE)) return -5;
  if (!inMemory(ptr, (<u64>n + 1) << 2)) return -1;
  const nnz = load<i32>(ptr + (<usize>n << 2));
  if (nnz < 0) return -1;
  if (!inMemory(val, <u64>nnz << 3)) return -2;
  const vectorBytes = <u64>n << 3;
  if (!inMemory(mean, vectorBytes)) return -6;
  if (!inMemory(std, vectorBytes)) return -7;
  if (!inMemory(shift, vectorBytes)) return -8;
  if (!inMemory(total, 8)) return -9;
  const dof = <f64>(m - 1);
  let sum = 0.0;
  for (let c = 0; c < n; c++) {
    const t0 = load<i32>(ptr + (<usize>c << 2));
    const t1 = load<i32>(ptr + (<usize>(c + 1) << 2));
    let mu = 0.0;
    if ((flags & CENTER) != 0) {
      for (let t = t0; t < t1; t++) mu += load<f64>(val + (<usize>t << 3));
      mu /= <f64>m;
    }
    let squares = <f64>(m - (t1 - t0)) * mu * mu;
    for (let t = t0; t < t1; t++) {
      const d = load<f64>(val + (<usize>t << 3)) - mu;
      squares += d * d;
    }
    const variance = squares / dof;
    const sigma = Math.sqrt(variance);
    const divisor = (flags & SCALE) != 0 && sigma > 0 ? sigma : 1.0;
    sum += variance / (divisor * divisor);
    store<f64>(mean + (<usize>c << 3), mu);
    store<f64>(std + (<usize>c << 3), divisor);
    store<f64>(shift + (<usize>c << 3), mu / divisor);
    if (divisor != 1) {
      for (let t = t0; t < t1; t++) {
        const p = val + (<usize>t << 3);
        store<f64>(p, load<f64>(p) / divisor);
      }
    }
  }
  store<f64>(total, sum);
  return STATUS_OK;
}

/**
 * The sign convention of PCA components (scikit-learn's svd_flip with u_based_decision=False,
 * what its PCA uses since version 1.5): for each of the first k columns of V (n rows, ldv
 * doubles apart), the entry of largest absolute value (the first, on ties) is made positive by
 * negating that column of V and the same column of U (m rows, ldu doubles apart) when it is
 * negative, so U diag(S) Vᵀ is unchanged and the signs no longer depend on the algorithm.
 * Cost O((m + n)·k). Preconditions: n, m ≥ 0; 0 ≤ k ≤ ldv, ldu; buffers 8-byte aligned in
 * memory, not overlapping. Returns STATUS_OK or −i for a bad argument i.
 */
export function alignSigns(v: usize, n: i32, ldv: i32, u: usize, m: i32, ldu: i32, k: i32): i32 {
  if (n < 0) return -2;
  if (ldv < 0) return -3;
  if (m < 0) return -5;
  if (ldu < 0) return -6;
  if (k < 0 || k > ldv || k > ldu) return -7;
  if (!inMemory(v, <u64>n * <u64>ldv << 3)) return -1;
  if (!inMemory(u, <u64>m * <u64>ldu << 3)) return -4;
  const vStride = <usize>ldv << 3;
  const uStride = <usize>ldu << 3;
  for (let j = 0; j < k; j++) {
    const vj = v + (<usize>j << 3);
    let largest = 0.0;
    let sign = 1.0;
    for (let i = 0; i < n; i++) {
      const x = load<f64>(vj + <usize>i * vStride);
      if (Math.abs(x) > largest) {
        largest = Math.abs(x);
        sign = x;
      }
    }
    if (sign < 0) {
      negateStrided(vj, vStride, n);
      negateStrided(u + (<usize>j << 3), uStride, m);
    }
  }
  return STATUS_OK;
}

// y[c] += x[c]² over n contiguous doubles.
function addSquares(y: usize, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const v = v128.load(x + o);
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(v, v)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const v = load<f64>(x + o);
    store<f64>(y + o, load<f64>(y + o) + v * v);
  }
}

// x[c] /= d[c] over n contiguous doubles (a division, as (x − μ)/σ is written, not a reciprocal).
function divideBy(x: usize, d: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(x + o, f64x2.div(v128.load(x + o), v128.load(d + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(x + o, load<f64>(x + o) / load<f64>(d + o));
  }
}

// x[i·stride] = −x[i·stride] for i < count.
function negateStrided(x: usize, stride: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    const p = x + <usize>i * stride;
    store<f64>(p, -load<f64>(p));
  }
}
