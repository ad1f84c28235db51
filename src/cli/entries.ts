// From a parsed FILE to what the library takes — a dense matrix (sgd, svd) or the observed
// entries (complete) — and back: the observed values put into a completed matrix, and the
// rows and columns that no observation reaches.
import { type Matrix, type SparseEntries, matrix } from "../index.js";
import { InputError } from "./errors.js";
import type { MissingPosition } from "../io/text.js";
import type { ParsedFile } from "./input.js";

/**
 * The full matrix, for commands that need every entry. A Matrix Market coordinate file's
 * unlisted entries are 0 (the format's meaning); missing entries (blank / NA / NaN cells, `nan`
 * in a Matrix Market array) are refused.
 * @throws InputError for missing entries, pointing to `lowrank complete`.
 * @throws FactorisationError TOO_LARGE for a Matrix Market shape beyond 4 GiB of doubles.
 */
export function denseMatrix(input: ParsedFile, command: string): Matrix {
  if (input.kind === "dense") {
    if (input.missing > 0) throw missingEntries(input.source, input.missing, input.firstMissing!, command);
    return { rows: input.rows, cols: input.cols, data: input.data };
  }
  const dense = matrix(input.rows, input.cols);
  input.row.forEach((r, t) => { dense.data[r * input.cols + input.col[t]] = input.value[t]; });
  return dense;
}

/** The error for a file with missing entries given to a command that needs every entry: it points to `lowrank complete`. */
export function missingEntries(source: string, missing: number, first: MissingPosition, command: string): InputError {
  return new InputError(
    `${source} has ${missing} missing ${missing === 1 ? "entry" : "entries"} (the first on line ${first.line}, ` +
    `column ${first.column}); ${command} needs every entry — use 'lowrank complete' to fill them in`,
  );
}

/**
 * The observed entries in row-major order: a dense file's entries that are not missing (what
 * sgdFactoriseMasked would visit), or a coordinate file's listed entries.
 */
export function observedEntries(input: ParsedFile): SparseEntries {
  if (input.kind === "coordinates") return input;
  const row: number[] = [];
  const col: number[] = [];
  const value: number[] = [];
  input.data.forEach((x, i) => {
    if (Number.isNaN(x)) return;
    row.push(Math.floor(i / input.cols));
    col.push(i % input.cols);
    value.push(x);
  });
  return { rows: input.rows, cols: input.cols, row, col, value };
}

/** Every entry of A as a coordinate list in row-major order: sgdFactoriseSparse on it is sgdFactorise on A. */
export function everyEntry(A: Matrix): SparseEntries {
  const count = A.rows * A.cols;
  return {
    rows: A.rows,
    cols: A.cols,
    row: Int32Array.from({ length: count }, (_, i) => Math.floor(i / A.cols)),
    col: Int32Array.from({ length: count }, (_, i) => i % A.cols),
    value: A.data,
  };
}

/**
 * Writes the observed values over `fit`, the leading fit.rows×fit.cols block of the fitted
 * matrix U Vᵀ, in place: what `complete` shows unless asked for the fit alone.
 */
export function keepObserved(fit: Matrix, { row, col, value }: SparseEntries): Matrix {
  for (let t = 0; t < value.length; t++) {
    if (row[t] < fit.rows && col[t] < fit.cols) fit.data[row[t] * fit.cols + col[t]] = value[t];
  }
  return fit;
}

/** The rows and columns (0-based) that hold no observed entry. */
export function unobserved(entries: SparseEntries): { rows: number[]; cols: number[] } {
  const rowSeen = new Uint8Array(entries.rows);
  const colSeen = new Uint8Array(entries.cols);
  for (let t = 0; t < entries.row.length; t++) {
    rowSeen[entries.row[t]] = 1;
    colSeen[entries.col[t]] = 1;
  }
  const missing = (seen: Uint8Array): number[] => Array.from(seen.keys()).filter((i) => seen[i] === 0);
  return { rows: missing(rowSeen), cols: missing(colSeen) };
}
