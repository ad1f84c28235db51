// An independent transcription of block-stratified SGD (DSGD: Gemulla et al. 2011; the block
// grid of LIBMF, Chin et al. 2015) as docs/parallel.md specifies it, in plain JavaScript: the
// oracle the pool's threaded runs must equal bit for bit. The arithmetic follows the kernel's
// operation order (the SIMD build's dot product: two f64x2 accumulators from k ≥ 8, lanes
// i mod 4; the fused row update), which is what makes bit equality a meaningful test.

/** The kernel's dot product of two k-long rows (assembly/vector.ts `dot`, SIMD build). */
function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, k: number): number {
  let a0 = 0;
  let a1 = 0;
  let i = 0;
  if (k >= 8) {
    let b0 = 0;
    let b1 = 0;
    for (; i + 4 <= k; i += 4) {
      a0 += x[xo + i] * y[yo + i];
      a1 += x[xo + i + 1] * y[yo + i + 1];
      b0 += x[xo + i + 2] * y[yo + i + 2];
      b1 += x[xo + i + 3] * y[yo + i + 3];
    }
    a0 += b0;
    a1 += b1;
  }
  for (; i + 2 <= k; i += 2) {
    a0 += x[xo + i] * y[yo + i];
    a1 += x[xo + i + 1] * y[yo + i + 1];
  }
  let s = a0 + a1;
  for (; i < k; i++) s += x[xo + i] * y[yo + i];
  return s;
}

/** One visit of entry (r, c) with value a (λ = 0, the lab's update): returns the error. */
function visit(a: number, U: Float64Array, r: number, V: Float64Array, c: number, k: number, lr: number): number {
  const e = a - dot(U, r * k, V, c * k, k);
  const g = lr * e;
  for (let i = 0; i < k; i++) {
    const un = U[r * k + i] + g * V[c * k + i];
    U[r * k + i] = un;
    V[c * k + i] = V[c * k + i] + g * un;
  }
  return e;
}

const cut = (size: number, b: number, blocks: number) => Math.floor((size * b) / blocks);

export interface Run {
  U: Float64Array;
  V: Float64Array;
  loss: number;
}

/** DSGD on a dense m×n A with P×P even blocks, from U, V (copied). */
export function dsgdDense(A: Float64Array, m: number, n: number, k: number, U0: Float64Array, V0: Float64Array, epochs: number, lr: number, P: number): Run {
  const U = U0.slice();
  const V = V0.slice();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let s = 0; s < P; s++) {
      for (let i = 0; i < P; i++) {
        const j = (i + s) % P;
        for (let r = cut(m, i, P); r < cut(m, i + 1, P); r++) {
          for (let c = cut(n, j, P); c < cut(n, j + 1, P); c++) visit(A[r * n + c], U, r, V, c, k, lr);
        }
      }
    }
  }
  let loss = 0;
  for (let i = 0; i < P; i++) {
    let part = 0;
    for (let r = cut(m, i, P); r < cut(m, i + 1, P); r++) {
      for (let c = 0; c < n; c++) {
        const e = A[r * n + c] - dot(U, r * k, V, c * k, k);
        part += e * e;
      }
    }
    loss += part;
  }
  return { U, V, loss };
}

/** Cuts 0..size−1 into P runs: a run closes once the entries so far reach (b + 1)·nnz/P. */
function balancedCuts(index: ArrayLike<number>, size: number, P: number): number[] {
  const count = new Array<number>(size).fill(0);
  for (let t = 0; t < index.length; t++) count[index[t]]++;
  const blockOf = new Array<number>(size);
  let seen = 0;
  let b = 0;
  for (let x = 0; x < size; x++) {
    seen += count[x];
    blockOf[x] = b;
    while (b < P - 1 && seen * P >= (b + 1) * index.length) b++;
  }
  return blockOf;
}

/** DSGD on a coordinate list with P×P balanced blocks, each keeping the list's order, from U, V (copied). */
export function dsgdSparse(rows: number, cols: number, row: ArrayLike<number>, col: ArrayLike<number>, value: ArrayLike<number>,
  k: number, U0: Float64Array, V0: Float64Array, epochs: number, lr: number, P: number): Run {
  const rowBlock = balancedCuts(row, rows, P);
  const colBlock = balancedCuts(col, cols, P);
  const blocks: number[][] = Array.from({ length: P * P }, () => []);
  for (let t = 0; t < row.length; t++) blocks[rowBlock[row[t]] * P + colBlock[col[t]]].push(t);
  const U = U0.slice();
  const V = V0.slice();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let s = 0; s < P; s++) {
      for (let i = 0; i < P; i++) {
        for (const t of blocks[i * P + ((i + s) % P)]) visit(value[t], U, row[t], V, col[t], k, lr);
      }
    }
  }
  let loss = 0;
  for (let i = 0; i < P; i++) {
    let part = 0;
    for (let j = 0; j < P; j++) {
      for (const t of blocks[i * P + j]) {
        const e = value[t] - dot(U, row[t] * k, V, col[t] * k, k);
        part += e * e;
      }
    }
    loss += part;
  }
  return { U, V, loss };
}
