// Input files for the CLI tests, written from the fixtures' matrices and coordinate lists.

/** A coordinate list as Matrix Market text, duplicates summed (the format lists each entry once), in the order first listed. */
export function matrixMarket(e: { rows: number; cols: number; row: number[]; col: number[]; value: number[] }): string {
  const sums = new Map<string, number>();
  e.row.forEach((r, t) => {
    const key = `${r + 1} ${e.col[t] + 1}`;
    sums.set(key, (sums.get(key) ?? 0) + e.value[t]);
  });
  const lines = [...sums].map(([key, x]) => `${key} ${x}`);
  return `%%MatrixMarket matrix coordinate real general\n% summed duplicates\n${e.rows} ${e.cols} ${lines.length}\n${lines.join("\n")}\n`;
}

/** An m×n matrix given row-major as CSV text, each value in its shortest round-trip form. */
export function csvText(m: number, n: number, data: ArrayLike<number>): string {
  const lines: string[] = [];
  for (let i = 0; i < m; i++) lines.push(Array.from({ length: n }, (_, j) => String(data[i * n + j])).join(","));
  return lines.join("\n") + "\n";
}
