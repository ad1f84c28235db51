// A dependency-free SVG line chart: median time against n for the square SVD cases, log–log,
// with a bar from the fastest to the slowest round where given.

const COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

/**
 * series: [{ name, points: [[n, seconds, minSeconds?, maxSeconds?], …] }]. Returns the SVG document as a string.
 */
export function lineChartSvg(title, series) {
  const width = 720;
  const height = 440;
  const pad = { left: 80, right: 150, top: 40, bottom: 56 };
  const all = series.flatMap((s) => s.points);
  const xs = all.map(([x]) => Math.log10(x));
  const ys = all.flatMap(([, ...y]) => y.filter((v) => v !== undefined).map(Math.log10));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.floor(Math.min(...ys)), Math.ceil(Math.max(...ys))];
  const px = (x) => pad.left + ((Math.log10(x) - x0) / (x1 - x0 || 1)) * (width - pad.left - pad.right);
  const py = (y) => height - pad.bottom - ((Math.log10(y) - y0) / (y1 - y0 || 1)) * (height - pad.top - pad.bottom);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${title}</text>`,
  ];
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    const label = e >= 0 ? `${10 ** e} s` : e >= -3 ? `${10 ** (e + 3)} ms` : `${10 ** (e + 6)} µs`;
    out.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${pad.left - 8}" y="${y + 4}" text-anchor="end">${label}</text>`);
  }
  for (const n of [...new Set(all.map(([x]) => x))].sort((a, b) => a - b)) {
    out.push(`<text x="${px(n)}" y="${height - pad.bottom + 18}" text-anchor="middle">${n}</text>`);
  }
  out.push(`<text x="${(pad.left + width - pad.right) / 2}" y="${height - 14}" text-anchor="middle">n (n×n matrix, thin SVD)</text>`);
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([x, y]) => `${px(x)},${py(y)}`).join(" ")}"/>`);
    for (const [x, y, lo, hi] of pts) {
      out.push(`<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${colour}"/>`);
      if (lo !== undefined && hi !== undefined) out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${py(lo)}" y2="${py(hi)}" stroke="${colour}"/>`);
    }
    out.push(`<text x="${width - pad.right + 12}" y="${pad.top + 20 + i * 18}" fill="${colour}">${s.name}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
