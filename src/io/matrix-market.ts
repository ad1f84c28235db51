// Matrix Market text → a matrix: the NIST exchange format (Boisvert, Pozo & Remington, "The
// Matrix Market Exchange Formats: Initial Design", NISTIR 5935, 1996) as scipy.io.mmwrite and
// most sparse-matrix tools write it. `array` files give a dense matrix, `coordinate` files the
// list of their entries; the mirrored half of symmetric and skew-symmetric files is filled in.
import { FactorisationError } from "../errors.js";
import { MAX_DOUBLES, checkFits } from "../limits.js";
import {
  type MissingPosition, ParseError, type ParseFix, type ParsedCoordinates, type ParsedDense, classifyNumber, quoteText,
  readerOptions,
} from "./text.js";

/** Options of {@link parseMatrixMarket}. */
export interface MatrixMarketOptions {
  /** A name for messages, e.g. the file name: `data.mtx, line 5, column 3: …`. Default none. */
  source?: string;
}

/** What the banner line declares (complex and hermitian files are refused). */
export interface MatrixMarketBanner {
  /** `coordinate`: the listed entries of a sparse matrix; `array`: every entry, column by column. */
  format: "coordinate" | "array";
  /** `pattern`: positions only, each listed entry is 1. `double` in a banner reads as `real`. */
  field: "real" | "integer" | "pattern";
  /** `symmetric` and `skew-symmetric` files hold one triangle; the other is mirrored in (negated for skew). */
  symmetry: "general" | "symmetric" | "skew-symmetric";
}

/** What {@link parseMatrixMarket} returns: a dense matrix for `array` files, the entry list for `coordinate` files. */
export type MatrixMarketMatrix = (ParsedDense | ParsedCoordinates) & { banner: MatrixMarketBanner };

/** The banner's first word; a text that starts with it (any case) is Matrix Market. */
export const MATRIX_MARKET_BANNER = "%%MatrixMarket";

/** Largest row or column count: the library indexes with 32-bit integers. */
const MAX_DIMENSION = 2 ** 31 - 1;
const FORMATS = ["coordinate", "array"] as const;
const FIELDS = ["real", "integer", "pattern"] as const;
const SYMMETRIES = ["general", "symmetric", "skew-symmetric"] as const;
const BANNER_FORM = "'%%MatrixMarket matrix coordinate|array real|integer|pattern general|symmetric|skew-symmetric'";
const COMPLEX_FIX: ParseFix = { note: "lowrank factorises real matrices; write the real part, e.g. scipy.io.mmwrite(path, A.real)" };

/** True when `text` starts (after a byte-order mark) with the Matrix Market banner. */
export function isMatrixMarket(text: string): boolean {
  const head = text.replace(/^\uFEFF/, "").slice(0, MATRIX_MARKET_BANNER.length);
  return head.toLowerCase() === MATRIX_MARKET_BANNER.toLowerCase();
}

/** The lines of the text with their 1-based numbers; `%` comment lines and blank lines are skipped. */
class Lines {
  private readonly lines: string[];
  private t = 1;

  constructor(text: string) {
    this.lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  }

  get banner(): string {
    return this.lines[0];
  }

  /** Lines left, comments included: a bound on the entries still to come. */
  get remaining(): number {
    return this.lines.length - this.t;
  }

  /** The next data line's tokens and number, or undefined at the end. */
  next(): { tokens: string[]; line: number } | undefined {
    for (; this.t < this.lines.length; this.t++) {
      const text = this.lines[this.t].trim();
      if (text !== "" && !text.startsWith("%")) {
        this.t++;
        return { tokens: text.split(/\s+/), line: this.t };
      }
    }
    return undefined;
  }
}

function oneOf<T extends string>(token: string, allowed: readonly T[]): T | undefined {
  return (allowed as readonly string[]).includes(token) ? (token as T) : undefined;
}

function readBanner(line: string, source: string | undefined): MatrixMarketBanner {
  const tokens = line.trim().split(/\s+/);
  const [, object, format, field, symmetry] = tokens.map((t) => t.toLowerCase());
  const fail = (problem: string, column?: number, fix?: ParseFix): never => {
    throw new ParseError(problem, { line: 1, column }, source, fix);
  };
  if (tokens.length !== 5) fail(`the banner must read ${BANNER_FORM}; got ${quoteText(line.trim())}`);
  if (object !== "matrix") fail(`the object ${quoteText(tokens[1])} is not supported: only 'matrix'`, 2);
  const theFormat = oneOf(format, FORMATS) ?? fail(`the format ${quoteText(tokens[2])} is not one of coordinate, array`, 3);
  if (field === "complex") fail("complex entries are not supported", 4, COMPLEX_FIX);
  const theField = field === "double" ? "real" : oneOf(field, FIELDS) ?? fail(`the field ${quoteText(tokens[3])} is not one of real, integer, pattern`, 4);
  if (symmetry === "hermitian") fail("hermitian matrices are complex and not supported", 5, { note: "a real symmetric matrix is written 'symmetric'" });
  const theSymmetry = oneOf(symmetry, SYMMETRIES) ?? fail(`the symmetry ${quoteText(tokens[4])} is not one of general, symmetric, skew-symmetric`, 5);
  if (theField === "pattern" && theFormat === "array") fail("the field 'pattern' goes with the format 'coordinate' only", 4);
  if (theField === "pattern" && theSymmetry === "skew-symmetric") fail("the field 'pattern' cannot be skew-symmetric: a pattern has no signs", 5);
  return { format: theFormat, field: theField, symmetry: theSymmetry };
}

/** A whole number token in [min, max]. */
function wholeNumber(token: string | undefined, what: string, at: { line: number; column: number }, min: number, max: number, source?: string): number {
  if (token === undefined || !/^\+?\d+$/.test(token) || Number(token) < min || Number(token) > max) {
    throw new ParseError(`${what} must be an integer in [${min}, ${max}]; got ${token === undefined ? "nothing" : quoteText(token)}`, at, source);
  }
  return Number(token);
}

/** An entry's value token under the banner's field; NaN for a missing entry where `missingAllowed`. */
function entryValue(token: string, field: MatrixMarketBanner["field"], at: { line: number; column: number }, missingAllowed: boolean, source?: string): number {
  if (missingAllowed && token.toLowerCase() === "nan") return NaN;
  const kind = classifyNumber(token);
  if (kind === "infinite") throw new ParseError(`${quoteText(token)} is not finite`, at, source, { note: "every entry must be finite" });
  if (kind === "text") {
    const fix: ParseFix = token.toLowerCase() === "nan"
      ? { note: "a coordinate file lists the entries it has; leave a missing entry out" }
      : { note: "an entry must be a decimal number" };
    throw new ParseError(`${quoteText(token)} is not a number`, at, source, fix);
  }
  if (field === "integer" && !/^[+-]?\d+$/.test(token)) throw new ParseError(`${quoteText(token)} is not an integer (the banner says 'integer')`, at, source);
  return Number(token);
}

/** The size line's tokens: `rows cols` (array) or `rows cols entries` (coordinate). */
function readSize(lines: Lines, banner: MatrixMarketBanner, source?: string): { rows: number; cols: number; count: number; line: number } {
  const size = lines.next();
  const form = banner.format === "coordinate" ? "rows cols entries" : "rows cols";
  if (size === undefined) throw new ParseError(`the size line '${form}' is missing`, { line: 2 }, source);
  const { tokens, line } = size;
  if (tokens.length !== form.split(" ").length) {
    throw new ParseError(`the size line must be '${form}' for the format '${banner.format}'; got ${quoteText(tokens.join(" "))}`, { line }, source);
  }
  const rows = wholeNumber(tokens[0], "rows", { line, column: 1 }, 1, MAX_DIMENSION, source);
  const cols = wholeNumber(tokens[1], "cols", { line, column: 2 }, 1, MAX_DIMENSION, source);
  if (banner.symmetry !== "general" && rows !== cols) {
    throw new ParseError(`a ${banner.symmetry} matrix is square; the size line says ${rows}×${cols}`, { line }, source);
  }
  if (banner.format === "array") {
    checkFits(rows * cols * 8, `${source ?? "the text"}: a ${rows}×${cols} matrix`);
    const n = cols;
    const count = banner.symmetry === "general" ? rows * cols : banner.symmetry === "symmetric" ? (n * (n + 1)) / 2 : (n * (n - 1)) / 2;
    return { rows, cols, count, line };
  }
  return { rows, cols, count: wholeNumber(tokens[2], "the number of entries", { line, column: 3 }, 0, MAX_DOUBLES, source), line };
}

function readArray(lines: Lines, banner: MatrixMarketBanner, source?: string): ParsedDense {
  const { rows, cols, count, line: sizeLine } = readSize(lines, banner, source);
  const data = new Float64Array(rows * cols);
  const skew = banner.symmetry === "skew-symmetric";
  // Column-major; a symmetric file holds the lower triangle with its diagonal, a skew-symmetric one below it.
  const firstRow = (c: number): number => (banner.symmetry === "general" ? 0 : skew ? c + 1 : c);
  let r = firstRow(0);
  let c = 0;
  let read = 0;
  let missing = 0;
  let firstMissing: MissingPosition | undefined;
  for (let entry = lines.next(); entry !== undefined; entry = lines.next()) {
    const { tokens, line } = entry;
    if (read === count) throw new ParseError(`more values than the ${count} the size line (line ${sizeLine}) announces`, { line }, source);
    if (tokens.length !== 1) throw new ParseError(`an array file holds one value a line; got ${quoteText(tokens.join(" "))}`, { line }, source);
    const x = entryValue(tokens[0], banner.field, { line, column: 1 }, true, source);
    if (Number.isNaN(x)) {
      missing += banner.symmetry === "general" || r === c ? 1 : 2;
      firstMissing ??= { line, column: 1 };
    }
    data[r * cols + c] = x;
    if (banner.symmetry !== "general") data[c * cols + r] = skew && x !== 0 ? -x : x;
    read++;
    if (++r === rows) r = firstRow(++c);
  }
  if (read < count) {
    throw new ParseError(`the size line announces ${count} values but the file lists ${read}`, { line: sizeLine }, source);
  }
  const result: ParsedDense = { kind: "dense", rows, cols, data, missing };
  if (firstMissing !== undefined) result.firstMissing = firstMissing;
  return result;
}

function readCoordinates(lines: Lines, banner: MatrixMarketBanner, source?: string): ParsedCoordinates {
  const { rows, cols, count, line: sizeLine } = readSize(lines, banner, source);
  const mirrored = banner.symmetry !== "general";
  const width = banner.field === "pattern" ? 2 : 3;
  // No more entries than lines left: a size line announcing 2^29 entries allocates nothing for them.
  const capacity = Math.min(count, lines.remaining) * (mirrored ? 2 : 1);
  const row = new Int32Array(capacity);
  const col = new Int32Array(capacity);
  const value = new Float64Array(capacity);
  // The line each entry came from, negative for the mirrored copy: for the message about a duplicate.
  const lineOf = new Int32Array(capacity);
  let listed = 0;
  let stored = 0;
  const store = (r: number, c: number, x: number, line: number): void => {
    row[stored] = r;
    col[stored] = c;
    value[stored] = x;
    lineOf[stored] = line;
    stored++;
  };
  for (let entry = lines.next(); entry !== undefined; entry = lines.next()) {
    const { tokens, line } = entry;
    if (listed === count) throw new ParseError(`more entries than the ${count} the size line (line ${sizeLine}) announces`, { line }, source);
    if (tokens.length !== width) {
      throw new ParseError(`an entry must be '${width === 2 ? "row col" : "row col value"}' (the field is '${banner.field}'); got ${quoteText(tokens.join(" "))}`, { line }, source);
    }
    const r = wholeNumber(tokens[0], "the row index", { line, column: 1 }, 1, rows, source) - 1;
    const c = wholeNumber(tokens[1], "the column index", { line, column: 2 }, 1, cols, source) - 1;
    const x = banner.field === "pattern" ? 1 : entryValue(tokens[2], banner.field, { line, column: 3 }, false, source);
    if (banner.symmetry === "skew-symmetric" && r === c && x !== 0) {
      throw new ParseError(`a skew-symmetric matrix has zeros on its diagonal; got ${quoteText(tokens[2])} at (${r + 1}, ${c + 1})`, { line, column: 3 }, source);
    }
    store(r, c, x, line);
    if (mirrored && r !== c) store(c, r, banner.symmetry === "skew-symmetric" && x !== 0 ? -x : x, -line);
    listed++;
  }
  if (listed < count) throw new ParseError(`the size line announces ${count} entries but the file lists ${listed}`, { line: sizeLine }, source);
  return sortedRowMajor(rows, cols, row.subarray(0, stored), col.subarray(0, stored), value.subarray(0, stored), lineOf, source);
}

/** The entries in row-major order (a stable sort), each (row, col) once. O(nnz log nnz). */
function sortedRowMajor(
  rows: number, cols: number, row: Int32Array, col: Int32Array, value: Float64Array, lineOf: Int32Array, source?: string,
): ParsedCoordinates {
  const order = Array.from(row.keys()).sort((a, b) => row[a] - row[b] || col[a] - col[b] || a - b);
  for (let i = 1; i < order.length; i++) {
    const [a, b] = [order[i - 1], order[i]];
    if (row[a] === row[b] && col[a] === col[b]) {
      const how = (t: number): string => (lineOf[t] < 0 ? `line ${-lineOf[t]} (mirrored)` : `line ${lineOf[t]}`);
      const later = Math.abs(lineOf[a]) > Math.abs(lineOf[b]) ? a : b;
      const earlier = later === a ? b : a;
      throw new ParseError(
        `entry (${row[b] + 1}, ${col[b] + 1}) is listed twice: on ${how(earlier)} and ${how(later)}`, { line: Math.abs(lineOf[later]) }, source,
        lineOf[a] < 0 || lineOf[b] < 0 ? { note: "a symmetric file lists one triangle only" } : undefined,
      );
    }
  }
  return {
    kind: "coordinates",
    rows,
    cols,
    row: Int32Array.from(order, (i) => row[i]),
    col: Int32Array.from(order, (i) => col[i]),
    value: Float64Array.from(order, (i) => value[i]),
  };
}

/**
 * Reads Matrix Market text (the NIST exchange format): the banner
 * `%%MatrixMarket matrix <format> <field> <symmetry>`, `%` comment lines, the size line, then
 * the entries, indices 1-based.
 *
 * - `array` (dense, every entry column by column, one a line) → a dense matrix; a `nan` value
 *   is a missing entry (NaN, counted in `missing`).
 * - `coordinate` (sparse, one `row col value` line per listed entry) → the listed entries,
 *   0-based and sorted into row-major order whatever order the file uses; each (row, col) may
 *   be listed once.
 * - field `real` (or `double`), `integer` (values must be whole), `pattern` (no value: each
 *   listed entry is 1).
 * - symmetry `general`, `symmetric` (one triangle stored; the other mirrored in) or
 *   `skew-symmetric` (one triangle, the other negated, a zero diagonal).
 *
 * Complex and hermitian files are refused. Cost O(L log L) for L entries (the sort);
 * O(rows·cols) for array files.
 * @throws ParseError naming the line (and token) of the first problem: a banner that is not
 *   supported, a bad size line, an index out of range, a value that is not a finite number (or
 *   not an integer under `integer`), an entry listed twice, or a count that differs from the
 *   size line.
 * @throws FactorisationError OPTION for bad arguments; TOO_LARGE for an array file past 4 GiB of doubles.
 */
export function parseMatrixMarket(text: string, options?: MatrixMarketOptions): MatrixMarketMatrix {
  const { source } = readerOptions("parseMatrixMarket", text, options, ["source"]) as MatrixMarketOptions;
  const lines = new Lines(text);
  if (!isMatrixMarket(text)) {
    throw new ParseError(`the first line must be the banner ${BANNER_FORM}; got ${quoteText(lines.banner.trim())}`, { line: 1 }, source);
  }
  const banner = readBanner(lines.banner, source);
  const parsed = banner.format === "array" ? readArray(lines, banner, source) : readCoordinates(lines, banner, source);
  return { ...parsed, banner };
}
