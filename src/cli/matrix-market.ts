// Matrix Market coordinate format (NIST, "The Matrix Market Exchange Formats", Boisvert,
// Pozo & Remington 1996): a `%%MatrixMarket matrix coordinate real general` banner, `%`
// comment lines, a size line `rows cols entries`, then one `i j value` line per entry, 1-based.
import { DECIMAL } from "./args.js";
import { InputError } from "./errors.js";
import { type CoordinateInput, quoteCell } from "./input.js";

/** The banner's first word; a file that starts with it is read as Matrix Market. */
export const MATRIX_MARKET_BANNER = "%%MatrixMarket";

const SUPPORTED = "matrix coordinate real general";
const FIELDS = ["real", "integer", "double"];

function checkBanner(line: string, source: string): void {
  const [, object, format, field, symmetry] = line.trim().toLowerCase().split(/\s+/);
  const supported = object === "matrix" && format === "coordinate" && FIELDS.includes(field) && symmetry === "general";
  if (!supported) {
    throw new InputError(`${source}: the Matrix Market banner says '${line.trim().replace(/^%%MatrixMarket\s*/i, "")}'; only '${SUPPORTED}' (or integer) is supported`);
  }
}

function wholeNumber(token: string | undefined, what: string, where: string, min: number, max: number): number {
  if (token === undefined || !/^\d+$/.test(token) || Number(token) < min || Number(token) > max) {
    const got = token === undefined ? "nothing" : quoteCell(token);
    throw new InputError(`${where}: ${what} must be an integer in [${min}, ${max}]; got ${got}`);
  }
  return Number(token);
}

/**
 * Parses a Matrix Market coordinate file. Entries come back 0-based and sorted into row-major
 * order, so the same matrix gives the same result whatever order its file lists it in.
 * @throws InputError for an unsupported banner, a bad size line, an index out of range, a
 *   value that is not a finite number, an entry listed twice, or an entry count that differs
 *   from the size line — naming the line.
 */
export function parseMatrixMarket(text: string, source: string): CoordinateInput {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  checkBanner(lines[0], source);
  let t = 1;
  const skip = (): void => {
    while (t < lines.length && (lines[t].trim() === "" || lines[t].trimStart().startsWith("%"))) t++;
  };
  skip();
  if (t >= lines.length) throw new InputError(`${source}: the size line 'rows cols entries' is missing`);
  const sizeWhere = `${source}, line ${t + 1}`;
  const size = lines[t].trim().split(/\s+/);
  if (size.length !== 3) throw new InputError(`${sizeWhere}: the size line must be 'rows cols entries'; got ${quoteCell(lines[t].trim())}`);
  const rows = wholeNumber(size[0], "rows", sizeWhere, 1, 2 ** 31 - 1);
  const cols = wholeNumber(size[1], "cols", sizeWhere, 1, 2 ** 31 - 1);
  const nnz = wholeNumber(size[2], "the number of entries", sizeWhere, 0, 2 ** 29);
  t++;
  const row = new Int32Array(nnz);
  const col = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  const lineOf = new Int32Array(nnz);
  let count = 0;
  for (skip(); t < lines.length; t++, skip()) {
    const where = `${source}, line ${t + 1}`;
    if (count === nnz) throw new InputError(`${where}: more entries than the ${nnz} the size line announces`);
    const tokens = lines[t].trim().split(/\s+/);
    if (tokens.length !== 3) throw new InputError(`${where}: an entry must be 'row col value'; got ${quoteCell(lines[t].trim())}`);
    row[count] = wholeNumber(tokens[0], "the row index", where, 1, rows) - 1;
    col[count] = wholeNumber(tokens[1], "the column index", where, 1, cols) - 1;
    const x = Number(tokens[2]);
    if (!DECIMAL.test(tokens[2]) || !Number.isFinite(x)) throw new InputError(`${where}: ${quoteCell(tokens[2])} is not a finite number`);
    value[count] = x;
    lineOf[count] = t + 1;
    count++;
  }
  if (count < nnz) throw new InputError(`${source}: the size line announces ${nnz} entries but the file lists ${count}`);
  return sortedRowMajor({ kind: "coordinates", source, rows, cols, row, col, value }, lineOf);
}

/** Sorts the entries into row-major order (stable) and refuses an entry listed twice. */
function sortedRowMajor(input: CoordinateInput, lineOf: Int32Array): CoordinateInput {
  const { row, col, value } = input;
  const order = Array.from(row.keys()).sort((a, b) => row[a] - row[b] || col[a] - col[b] || a - b);
  for (let i = 1; i < order.length; i++) {
    const [a, b] = [order[i - 1], order[i]];
    if (row[a] === row[b] && col[a] === col[b]) {
      throw new InputError(
        `${input.source}, line ${lineOf[b]}: entry (${row[b] + 1}, ${col[b] + 1}) is listed twice (first on line ${lineOf[a]})`,
      );
    }
  }
  return {
    ...input,
    row: Int32Array.from(order, (i) => row[i]),
    col: Int32Array.from(order, (i) => col[i]),
    value: Float64Array.from(order, (i) => value[i]),
  };
}
