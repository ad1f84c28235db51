// Coordinate lists (row, col, value) of observed or held-out entries: validation and copy-in.
import { FactorisationError, describe } from "./errors.js";
import { copyIn, i32 } from "./kernel.js";
import { checkFits } from "./limits.js";

/**
 * An m×n sparse matrix, or the observed entries of one, as parallel arrays (coordinate / COO
 * form), 0-based: entry t is A[row[t]][col[t]] = value[t].
 */
export interface SparseEntries {
  rows: number;
  cols: number;
  row: ArrayLike<number>;
  col: ArrayLike<number>;
  value: ArrayLike<number>;
}

/** Parallel arrays of 0-based coordinates and their values. */
export interface Coordinates {
  row: ArrayLike<number>;
  col: ArrayLike<number>;
  value: ArrayLike<number>;
}

function arrayOf(values: unknown, name: string): ArrayLike<number> {
  if (values === null || typeof values !== "object" || typeof (values as ArrayLike<number>).length !== "number") {
    throw new FactorisationError("SHAPE", `${name} must be an array of numbers; got ${describe(values)}`);
  }
  return values as ArrayLike<number>;
}

/** Whether every entry is an integer in [0, bound). */
function indicesIn(a: ArrayLike<number>, bound: number): boolean {
  for (let t = 0; t < a.length; t++) {
    const x = a[t];
    if (!(Number.isInteger(x) && x >= 0 && x < bound)) return false;
  }
  return true;
}

/** Whether every entry is a number (finiteness is checked at copy-in). */
function allNumbers(a: ArrayLike<number>): boolean {
  for (let t = 0; t < a.length; t++) if (typeof a[t] !== "number") return false;
  return true;
}

/**
 * Checks a coordinate list against an m×n shape and returns its length: equal lengths, at
 * least one entry, integer indices in range (`rowsOf` / `colsOf` name what bounds them in
 * messages), numeric values. Finiteness of the values is checked at copy-in. O(nnz).
 */
export function checkCoordinates(entries: unknown, m: number, n: number, rowsOf = "", colsOf = ""): Coordinates & { nnz: number } {
  const e = entries as Partial<Coordinates>;
  const row = arrayOf(e.row, "entries.row");
  const col = arrayOf(e.col, "entries.col");
  const value = arrayOf(e.value, "entries.value");
  const nnz = row.length;
  if (col.length !== nnz || value.length !== nnz) {
    throw new FactorisationError(
      "SHAPE",
      `entries.row, entries.col and entries.value must have the same length; got ${nnz}, ${col.length} and ${value.length}`,
    );
  }
  if (nnz === 0) throw new FactorisationError("SHAPE", "entries must list at least one entry; got none");
  checkFits(nnz * 16, `${nnz} entries`);
  // One tight loop per array (fast for typed arrays); the loop below finds the first bad entry.
  if (indicesIn(row, m) && indicesIn(col, n) && (value instanceof Float64Array || value instanceof Float32Array || allNumbers(value))) {
    return { row, col, value, nnz };
  }
  for (let t = 0; t < nnz; t++) {
    const r = row[t];
    const c = col[t];
    if (typeof r !== "number" || !Number.isInteger(r) || r < 0 || r >= m) {
      throw new FactorisationError("SHAPE", `entries.row[${t}] must be an integer in [0, ${m - 1}]${rowsOf}; got ${describe(r)}`);
    }
    if (typeof c !== "number" || !Number.isInteger(c) || c < 0 || c >= n) {
      throw new FactorisationError("SHAPE", `entries.col[${t}] must be an integer in [0, ${n - 1}]${colsOf}; got ${describe(c)}`);
    }
    if (typeof value[t] !== "number") {
      throw new FactorisationError("NON_FINITE", `entries.value[${t}] must be a finite number; got ${describe(value[t])}`);
    }
  }
  return { row, col, value, nnz };
}

/** Copies a checked coordinate list into wasm memory (i32, i32, f64 buffers of nnz). */
export function copyInCoordinates(c: Coordinates & { nnz: number }, rowIdx: number, colIdx: number, val: number): void {
  i32(rowIdx, c.nnz).set(c.row);
  i32(colIdx, c.nnz).set(c.col);
  copyIn(val, c.value, "entries.value", 0);
}

/**
 * Checks a whole sparse argument { rows, cols, row, col, value }: positive integer dimensions,
 * then the coordinates (checkCoordinates). O(nnz).
 */
export function checkSparseEntries(entries: unknown): Coordinates & { nnz: number; m: number; n: number } {
  if (entries === null || typeof entries !== "object") {
    throw new FactorisationError("SHAPE", `entries must be an object { rows, cols, row, col, value }; got ${describe(entries)}`);
  }
  const { rows: m, cols: n } = entries as Partial<SparseEntries>;
  for (const [value, name] of [[m, "entries.rows"], [n, "entries.cols"]] as const) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new FactorisationError("SHAPE", `${name} must be a positive integer; got ${describe(value)}`);
    }
  }
  return { ...checkCoordinates(entries, m!, n!), m: m!, n: n! };
}

/**
 * Whether a matrix argument is a coordinate list rather than a dense matrix: an object with
 * row, col and value and no data (a Matrix has data; nested rows are arrays).
 */
export function isSparseInput(input: unknown): boolean {
  return input !== null && typeof input === "object" && !Array.isArray(input) && !ArrayBuffer.isView(input)
    && "row" in input && "col" in input && "value" in input && !("data" in input);
}
