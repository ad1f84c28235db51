// Text for people (aligned tables, elided past a screenful) and for machines (CSV cells that
// read back to the same double).
import { type Matrix, matrix } from "../index.js";

/** A table up to this many rows is shown whole; a longer one shows its first {@link HEAD_ROWS}. */
export const WHOLE_ROWS = 20;
/** Rows shown of a longer table. */
export const HEAD_ROWS = 10;
/** A table up to this many columns is shown whole; a wider one shows its first {@link HEAD_COLS}. */
export const WHOLE_COLS = 12;
/** Columns shown of a wider table. */
export const HEAD_COLS = 10;
/** Significant digits in tables (CSV and JSON carry every digit). */
const TABLE_DIGITS = 6;

/** How many of `count` rows (or columns) a table shows. */
export function shownCount(count: number, whole: number, head: number): number {
  return count <= whole ? count : head;
}

/** The first `count` rows of M, as a new matrix (e.g. to rebuild only the shown part of UVᵀ). */
export function leadingRows(M: Matrix, count: number): Matrix {
  return matrix(count, M.cols, M.data.subarray(0, count * M.cols));
}

/** A number for a table: {@link TABLE_DIGITS} significant digits, shortest form, no -0 (`0.333333`, `1.5e-7`). */
export function formatNumber(x: number): string {
  const rounded = Number(x.toPrecision(TABLE_DIGITS));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/**
 * A titled, right-aligned table of M, e.g. `U (6×2)` then one indented line per row. Past
 * {@link WHOLE_ROWS} rows or {@link WHOLE_COLS} columns only the leading ones are shown, with
 * a note of how many more there are. `full` is the shape M is the leading part of, if larger;
 * `size` replaces the `m×n` in the title; `headers` names the columns in a line of their own.
 */
export function formatMatrix(title: string, M: Matrix, full: { rows: number; cols: number } = M, size = `${full.rows}×${full.cols}`,
  headers?: readonly string[]): string {
  const rows = Math.min(M.rows, shownCount(full.rows, WHOLE_ROWS, HEAD_ROWS));
  const cols = Math.min(M.cols, shownCount(full.cols, WHOLE_COLS, HEAD_COLS));
  const cells: string[][] = [];
  if (headers !== undefined) cells.push(headers.slice(0, cols));
  for (let r = 0; r < rows; r++) {
    cells.push(Array.from(M.data.subarray(r * M.cols, r * M.cols + cols), formatNumber));
  }
  const widths = Array.from({ length: cols }, (_, c) => Math.max(...cells.map((row) => row[c].length)));
  const more = cols < full.cols ? "  …" : "";
  const lines = [`${title} (${size})`];
  for (const row of cells) lines.push("  " + row.map((cell, c) => cell.padStart(widths[c])).join("  ") + more);
  const notes: string[] = [];
  if (rows < full.rows) notes.push(`${full.rows - rows} more rows`);
  if (cols < full.cols) notes.push(`${full.cols - cols} more columns`);
  if (notes.length > 0) lines.push(`  ⋮ ${notes.join(", ")} (--json or --out DIR for all)`);
  return lines.join("\n");
}

/** M as CSV: one line per row, every value in the shortest form that reads back to the same double. */
export function csvOfMatrix(M: Matrix): string {
  const lines: string[] = [];
  for (let r = 0; r < M.rows; r++) lines.push(Array.from(M.data.subarray(r * M.cols, (r + 1) * M.cols), String).join(","));
  return lines.join("\n") + "\n";
}

/** A vector as a one-column CSV, shortest round-trip form. */
export function csvOfVector(values: ArrayLike<number>): string {
  return Array.from(values, String).join("\n") + "\n";
}
