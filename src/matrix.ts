import { FactorisationError, describe } from "./errors.js";
import { checkFits } from "./limits.js";

/** A dense matrix: `rows`×`cols` doubles in row-major order (`data[r * cols + c]`). */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** `{ rows, cols, data }` with the row-major entries in any array-like of numbers (a Float32Array, an Int32Array, a plain array, …). */
export interface DenseMatrixInput {
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}

/** A matrix object from another library: ml-matrix's `Matrix`, or anything with `rows`, `columns` and `get(row, column)` or `to2DArray()`. */
export type MatrixLike =
  | { readonly rows: number; readonly columns: number; get(row: number, column: number): number }
  | { readonly rows: number; readonly columns: number; to2DArray(): ArrayLike<ArrayLike<number>> };

/**
 * Anything the API accepts as a matrix: a {@link Matrix}, `{ rows, cols, data }` with any numeric
 * array as data, an ml-matrix-like object, or nested rows (`number[][]`, typed-array rows, …).
 * Inputs are copied, never modified.
 */
export type MatrixInput = Matrix | DenseMatrixInput | MatrixLike | ArrayLike<ArrayLike<number>>;

/** A mask: like {@link MatrixInput}, and nested rows may hold booleans (true / non-zero = observed). */
export type MaskInput = MatrixInput | ArrayLike<ArrayLike<number | boolean>>;

function checkDimension(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new FactorisationError("SHAPE", `${what} must be a non-negative integer; got ${describe(value)}`);
  }
  return value;
}

/**
 * Makes a `rows`×`cols` matrix. With `data` (row-major, length rows·cols) the values are
 * copied; without it the matrix is zero-filled. O(rows·cols).
 * @throws FactorisationError `SHAPE` for bad dimensions or a data length ≠ rows·cols,
 *   `TOO_LARGE` past 4 GiB of doubles (what WebAssembly memory can hold).
 */
export function matrix(rows: number, cols: number, data?: ArrayLike<number>): Matrix {
  checkDimension(rows, "rows");
  checkDimension(cols, "cols");
  checkFits(rows * cols * 8, `a ${rows}×${cols} matrix`);
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  if (data === null || typeof data !== "object" || typeof (data as ArrayLike<number>).length !== "number") {
    throw new FactorisationError("SHAPE", `data must be an array-like of numbers; got ${describe(data)}`);
  }
  if (data.length !== rows * cols) {
    throw new FactorisationError("SHAPE", `data must have rows·cols = ${rows * cols} entries for a ${rows}×${cols} matrix; got ${data.length}`);
  }
  return { rows, cols, data: Float64Array.from(data) };
}

/** The matrix as nested rows (`number[][]`), e.g. for printing or JSON. O(rows·cols). */
export function toArray(M: Matrix): number[][] {
  const m = toMatrix(M, "M", false, true);
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

/** `3×2` */
export function shapeOf(M: { rows: number; cols: number }): string {
  return `${M.rows}×${M.cols}`;
}

function isMatrixObject(input: object): input is DenseMatrixInput {
  return "data" in input && "rows" in input && "cols" in input;
}

function isMatrixLike(input: object): input is { rows: unknown; columns: unknown; get?: unknown; to2DArray?: unknown } {
  const o = input as { rows?: unknown; columns?: unknown; get?: unknown; to2DArray?: unknown };
  return "rows" in input && "columns" in input && (typeof o.get === "function" || typeof o.to2DArray === "function");
}

const EXPECTED = "a Matrix {rows, cols, data}, an ml-matrix-like {rows, columns, get}, or an array of rows";

/**
 * Reads a matrix argument without copying a Matrix's data: checks the shape and, for nested
 * rows, that every row has the same length and every entry is a number (booleans count as
 * 1/0 when `booleans` is set, for masks). Finiteness is checked later, in the kernel, after
 * the copy into wasm memory. Empty matrices are refused: no factorisation has meaning there.
 */
export function toMatrix(input: unknown, name: string, booleans = false, allowEmpty = false): Matrix {
  if (input === null || typeof input !== "object") {
    throw new FactorisationError("SHAPE", `${name} must be ${EXPECTED}; got ${describe(input)}`);
  }
  let result: Matrix;
  if (isMatrixObject(input)) {
    result = fromDense(input, name);
  } else if (isMatrixLike(input)) {
    result = fromMatrixLike(input, name, booleans);
  } else {
    const nested = input as ArrayLike<unknown>;
    if (typeof nested.length !== "number") {
      throw new FactorisationError("SHAPE", `${name} must be ${EXPECTED}; got ${describe(input)}`);
    }
    const rows = nested.length;
    const first = nested[0] as ArrayLike<unknown> | undefined;
    const cols = rows > 0 && first !== null && typeof first === "object" && typeof first.length === "number" ? first.length : -1;
    if (rows > 0 && cols < 0) {
      throw new FactorisationError("SHAPE", `${name}[0] must be an array of numbers; got ${describe(first)}`);
    }
    checkFits(rows * Math.max(cols, 0) * 8, `${name} (${rows}×${cols})`);
    const data = new Float64Array(rows * Math.max(cols, 0));
    for (let r = 0; r < rows; r++) {
      const row = nested[r] as ArrayLike<unknown>;
      if (row === null || typeof row !== "object" || typeof row.length !== "number") {
        throw new FactorisationError("SHAPE", `${name}[${r}] must be an array of numbers; got ${describe(row)}`);
      }
      if (row.length !== cols) {
        throw new FactorisationError("SHAPE", `${name} is ragged: row 0 has ${cols} entries but row ${r} has ${row.length}`);
      }
      for (let c = 0; c < cols; c++) {
        const x = row[c];
        if (typeof x === "number") data[r * cols + c] = x;
        else if (booleans && typeof x === "boolean") data[r * cols + c] = x ? 1 : 0;
        else {
          throw new FactorisationError(
            "NON_FINITE",
            `${name}[${r}][${c}] must be a ${booleans ? "number or boolean" : "finite number"}; got ${describe(x)}`,
          );
        }
      }
    }
    result = { rows, cols: Math.max(cols, 0), data };
  }
  if (!allowEmpty && (result.rows === 0 || result.cols === 0)) {
    throw new FactorisationError("SHAPE", `${name} must have at least one row and one column; got ${shapeOf(result)}`);
  }
  return result;
}

// { rows, cols, data }: a Float64Array is used as it is (no copy), any other array-like of
// numbers is copied into one.
function fromDense(input: DenseMatrixInput, name: string): Matrix {
  const rows = checkDimension(input.rows, `${name}.rows`);
  const cols = checkDimension(input.cols, `${name}.cols`);
  const data: unknown = input.data;
  if (data === null || typeof data !== "object" || typeof (data as ArrayLike<unknown>).length !== "number") {
    throw new FactorisationError("SHAPE", `${name}.data must be a Float64Array or an array of numbers; got ${describe(data)}`);
  }
  const values = data as ArrayLike<unknown>;
  if (values.length !== rows * cols) {
    throw new FactorisationError(
      "SHAPE",
      `${name}.data must have rows·cols = ${rows * cols} entries for a ${rows}×${cols} matrix; got ${values.length}`,
    );
  }
  if (values instanceof Float64Array) return { rows, cols, data: values };
  const copy = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x !== "number") throw new FactorisationError("NON_FINITE", `${name}.data[${i}] must be a finite number; got ${describe(x)}`);
    copy[i] = x;
  }
  return { rows, cols, data: copy };
}

// An ml-matrix-like object: its rows through to2DArray() when it has one, else get(r, c).
function fromMatrixLike(input: { rows: unknown; columns: unknown; get?: unknown; to2DArray?: unknown }, name: string, booleans: boolean): Matrix {
  const rows = checkDimension(input.rows, `${name}.rows`);
  const cols = checkDimension(input.columns, `${name}.columns`);
  checkFits(rows * cols * 8, `${name} (${rows}×${cols})`);
  if (typeof input.to2DArray === "function") {
    const nested = toMatrix((input.to2DArray as () => unknown).call(input), name, booleans, true);
    if (nested.rows !== rows || (rows > 0 && nested.cols !== cols)) {
      throw new FactorisationError("SHAPE", `${name}.to2DArray() gave ${shapeOf(nested)} for a ${rows}×${cols} matrix`);
    }
    return { rows, cols, data: nested.data };
  }
  const get = input.get as (r: number, c: number) => unknown;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = get.call(input, r, c);
      if (typeof x !== "number") throw new FactorisationError("NON_FINITE", `${name}.get(${r}, ${c}) must be a finite number; got ${describe(x)}`);
      data[r * cols + c] = x;
    }
  }
  return { rows, cols, data };
}
