// From a parsed FILE to what the library takes: a dense matrix (sgd, svd) or the observed
// entries (complete).
import { type Matrix, type SparseEntries, matrix } from "../index.js";
import { InputError } from "./errors.js";
import type { ParsedFile } from "./input.js";

/**
 * The full matrix, for commands that need every entry. A Matrix Market file's unlisted
 * entries are 0 (the format's meaning); a CSV with missing cells is refused.
 * @throws InputError for a CSV with missing cells, pointing to `lowrank complete`.
 * @throws FactorisationError TOO_LARGE for a Matrix Market shape beyond 2^29 entries.
 */
export function denseMatrix(input: ParsedFile, command: string): Matrix {
  if (input.kind === "dense") {
    if (input.missing > 0) {
      const at = input.firstMissing!;
      throw new InputError(
        `${input.source} has ${input.missing} missing ${input.missing === 1 ? "entry" : "entries"} (the first on line ${at.line}, ` +
        `column ${at.column}); ${command} needs every entry — use 'lowrank complete' to fill them in`,
      );
    }
    return { rows: input.rows, cols: input.cols, data: input.values };
  }
  const dense = matrix(input.rows, input.cols);
  input.row.forEach((r, t) => { dense.data[r * input.cols + input.col[t]] = input.value[t]; });
  return dense;
}

/**
 * The observed entries in row-major order: a CSV's non-missing cells (what
 * sgdFactoriseMasked would visit), or a Matrix Market file's listed entries.
 */
export function observedEntries(input: ParsedFile): SparseEntries {
  if (input.kind === "coordinates") return input;
  const row: number[] = [];
  const col: number[] = [];
  const value: number[] = [];
  input.values.forEach((x, i) => {
    if (Number.isNaN(x)) return;
    row.push(Math.floor(i / input.cols));
    col.push(i % input.cols);
    value.push(x);
  });
  return { rows: input.rows, cols: input.cols, row, col, value };
}
