// The plain-JS baseline: the lab's SGD loop written the way a careful JS programmer would
// (flat Float64Arrays, no allocation in the loop). Not shipped; the benchmark's yardstick.

/** One or more epochs of dense SGD on A (m×n row-major) with U (m×k), V (n×k), in place. */
export function sgdDenseJs(A, m, n, k, U, V, epochs, lr) {
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let r = 0; r < m; r++) {
      const ur = r * k;
      for (let c = 0; c < n; c++) {
        const vc = c * k;
        let dot = 0;
        for (let j = 0; j < k; j++) dot += U[ur + j] * V[vc + j];
        const g = lr * (A[r * n + c] - dot);
        for (let j = 0; j < k; j++) {
          const u = U[ur + j] + g * V[vc + j];
          U[ur + j] = u;
          V[vc + j] += g * u;
        }
      }
    }
  }
}

/** Epochs of SGD over coordinate entries (row, col: Int32Array; value: Float64Array), in place. */
export function sgdSparseJs(row, col, value, k, U, V, epochs, lr) {
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let t = 0; t < value.length; t++) {
      const ur = row[t] * k;
      const vc = col[t] * k;
      let dot = 0;
      for (let j = 0; j < k; j++) dot += U[ur + j] * V[vc + j];
      const g = lr * (value[t] - dot);
      for (let j = 0; j < k; j++) {
        const u = U[ur + j] + g * V[vc + j];
        U[ur + j] = u;
        V[vc + j] += g * u;
      }
    }
  }
}
