// The deterministic test matrices of the bench, the pool tests and their browser page: entries
// uniform in [−1, 1) from a xorshift32 stream (Marsaglia 2003, shifts 13, 17, 5), so every run and
// every host sees the same bytes.

/** A rows×cols Matrix { rows, cols, data } of xorshift32 draws mapped to [−1, 1). */
export function randomMatrix(m, n, seed = 1) {
  let s = seed;
  const data = new Float64Array(m * n);
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    data[i] = (s / 2 ** 32) * 2 - 1;
  }
  return { rows: m, cols: n, data };
}
