// Summaries of repeated rounds: a time or a ratio is reported as the median of the per-round
// values with their min and max, never as one number.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** { median, min, max, rounds } of per-round values. */
export function spread(rounds) {
  return { median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds), rounds };
}

export const fmtTime = (s) => (s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toPrecision(3)} ms` : `${(s * 1e6).toPrecision(3)} µs`);

/** "119 ms (117 ms–123 ms)" */
export const fmtSpread = (t, f = fmtTime) => `${f(t.median)} (${f(t.min)}–${f(t.max)})`;

export const fmtRatio = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
