// What FILE holds once parsed: a dense grid with possibly missing cells (CSV) or a list of
// listed entries (Matrix Market coordinate format).

/** A CSV matrix: every cell a number or missing (NaN in `values`). */
export interface DenseInput {
  kind: "dense";
  /** The file name, or `stdin`, for messages. */
  source: string;
  rows: number;
  cols: number;
  /** Row-major, length rows·cols; NaN marks a missing cell (blank or NA). */
  values: Float64Array;
  /** How many cells are missing. */
  missing: number;
  /** Where the first missing cell is (1-based line and column of the file), when any is. */
  firstMissing?: { line: number; column: number };
}

/** A Matrix Market coordinate matrix: the listed entries, 0-based, in row-major order, no duplicates. */
export interface CoordinateInput {
  kind: "coordinates";
  /** The file name, or `stdin`, for messages. */
  source: string;
  rows: number;
  cols: number;
  row: Int32Array;
  col: Int32Array;
  value: Float64Array;
}

/** A parsed FILE. */
export type ParsedFile = DenseInput | CoordinateInput;

/** `'1e999x…'`: a cell or token quoted for a message, cut to 24 characters. */
export function quoteCell(text: string): string {
  return `'${text.length > 24 ? text.slice(0, 24) + "…" : text}'`;
}
