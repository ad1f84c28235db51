// Deterministic matrices of the sparse, streaming and PCA cases (bench/sparse.mjs), shared with the
// child process that measures memory (bench/child.mjs), so both sides make the same bytes.

/**
 * A ratings-like coordinate list: row and column of each entry drawn with popularity skew (row
 * ⌊m·u²⌋, column ⌊n·v³⌋ from a xorshift stream), value 1 … 5. Duplicates are kept (both sides
 * add them up). Its spectrum falls from σ₁ ≈ 1400 to a flat tail (σ₂ … σ₁₀ ≈ 440 … 220).
 */
export function ratingsMatrix(m, n, nnz, seed = 1) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
  const row = new Int32Array(nnz);
  const col = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  for (let t = 0; t < nnz; t++) {
    const u = next();
    const v = next();
    row[t] = Math.floor(m * u * u);
    col[t] = Math.floor(n * v * v * v);
    value[t] = 1 + Math.floor(5 * next());
  }
  return { rows: m, cols: n, row, col, value };
}

/** Row r of the stream matrix: uniform [−1, 1) from a xorshift seeded by the row, column c scaled by 1/(1 + c). */
export function streamRow(r, n, out, offset = 0) {
  let s = (r * 2654435761 + 1) >>> 0 || 1;
  for (let c = 0; c < n; c++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[offset + c] = ((s / 2 ** 32) * 2 - 1) / (1 + c);
  }
}

/** readBlocks for svdStream: `block` rows of the stream matrix at a time, made afresh on every pass. */
export function streamReader(m, n, block) {
  const read = function* () {
    read.passes++;
    for (let r0 = 0; r0 < m; r0 += block) {
      const rows = Math.min(block, m - r0);
      const data = new Float64Array(rows * n);
      for (let i = 0; i < rows; i++) streamRow(r0 + i, n, data, i * n);
      yield { rows, cols: n, data };
    }
  };
  read.passes = 0;
  return read;
}
