// Delimited text of numbers → a dense matrix: CSV as spreadsheets write it (RFC 4180 quoting),
// TSV, `;`-separated, and whitespace-separated columns as np.savetxt writes them by default.
// An optional header row, comment lines, and missing entries (blank, NA, NaN) become NaN.
import { FactorisationError, describe } from "../errors.js";
import { MAX_DOUBLES, checkFits } from "../limits.js";
import {
  DECIMAL, type MissingPosition, type ParseFix, ParseError, type ParsedDense, classifyNumber, quoteText, readerOptions,
} from "./text.js";

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /**
   * What separates the cells of a row: `","`, `"\t"`, `";"`, or `" "` for any run of spaces and
   * tabs (np.savetxt's default); another single character works too. Default: sniffed from the
   * first 20 rows among those four — the one that splits every row into the same number (≥ 2)
   * of cells, most of them numbers.
   */
  delimiter?: string;
  /**
   * `true`: line 1 is a header row, returned as `header` and not read as numbers; `false`: line 1
   * is data. Default: line 1 is a header when none of its cells is a number and at least one is
   * text other than a missing-entry marker.
   */
  header?: boolean;
  /** Lines whose first non-blank characters are this are skipped (np.savetxt writes `# header`). Default `"#"`; `""` for none. */
  comment?: string;
  /** A name for messages, e.g. the file name: `data.csv, line 3, column 2: …`. Default none. */
  source?: string;
}

/** What {@link parseCsv} returns: a dense matrix (a `Matrix`, NaN for missing entries) and how the text was read. */
export interface CsvMatrix extends ParsedDense {
  /** The header row's cells, when line 1 was taken as a header. */
  header?: string[];
  /** The delimiter used (given or sniffed): `","`, `"\t"`, `";"`, `" "` (runs of spaces and tabs), or the one given. */
  delimiter: string;
}

/** The delimiter that stands for any run of spaces and tabs. */
const WHITESPACE = " ";
/** Delimiters the sniffer tries, in order of preference when two fit equally well. */
const CANDIDATES = [",", "\t", ";", WHITESPACE];
/** Rows the sniffer reads: enough to see a header and some data, cheap on any file. */
const SNIFF_ROWS = 20;
/** Cell texts (compared in lower case, trimmed) that mark a missing entry; pandas reads the same ones as NaN. */
const MISSING = new Set(["", "na", "n/a", "#n/a", "nan", "-nan", "+nan", "null"]);
/** Cell texts people use for "no value" that are not read as missing: the message says what is. */
const MISSING_LOOKALIKES = new Set(["-", "--", "?", ".", "none", "nil", "missing", "#value!", "#div/0!"]);

/** `','`, `tab`, `whitespace`: a delimiter as messages name it. */
export function delimiterName(delimiter: string): string {
  if (delimiter === "\t") return "tab";
  if (delimiter === WHITESPACE) return "whitespace";
  return quoteText(delimiter);
}

/** One row of the text: the line it starts on (1-based) and its cells, unquoted. */
interface Row {
  line: number;
  cells: string[];
}

const isLineBreak = (c: string | undefined): boolean => c === "\n" || c === "\r";

/**
 * Splits text into rows of cells, one row a line, with RFC 4180 quoting: a cell that starts
 * with `"` runs to the next lone `"` and may hold the delimiter and line breaks; `""` inside
 * it is one `"`. Unquoted cells are trimmed of spaces and tabs. Blank lines (nothing but
 * spaces, and tabs unless tab is the delimiter) and comment lines are skipped. O(length).
 */
class RowScanner {
  private i = 0;
  private line = 1;
  /** Characters skipped around cells: spaces, and tabs unless a tab is the delimiter. */
  private readonly padding: string;

  constructor(
    private readonly text: string,
    private readonly delimiter: string,
    private readonly comment: string,
    private readonly source: string | undefined,
  ) {
    this.padding = delimiter === "\t" ? " " : " \t";
  }

  /** The next row, or undefined at the end of the text. */
  next(): Row | undefined {
    while (this.i < this.text.length) {
      const start = this.skipPadding(this.i);
      const c = this.text[start];
      if (start === this.text.length || isLineBreak(c)) {
        this.i = start;
        this.endLine();
      } else if (this.comment !== "" && this.text.startsWith(this.comment, start)) {
        this.i = start;
        while (this.i < this.text.length && !isLineBreak(this.text[this.i])) this.i++;
        this.endLine();
      } else {
        return this.row();
      }
    }
    return undefined;
  }

  private skipPadding(j: number): number {
    while (j < this.text.length && this.padding.includes(this.text[j])) j++;
    return j;
  }

  /** Steps over one line break (`\r\n`, `\n` or `\r`) at i, if there is one. */
  private endLine(): void {
    if (this.text[this.i] === "\r" && this.text[this.i + 1] === "\n") this.i += 2;
    else if (this.i < this.text.length) this.i += 1;
    this.line++;
  }

  private row(): Row {
    const row: Row = { line: this.line, cells: [] };
    const whitespace = this.delimiter === WHITESPACE;
    for (;;) {
      this.i = this.skipPadding(this.i);
      row.cells.push(this.text[this.i] === '"' ? this.quotedCell(row) : this.plainCell());
      const c = this.text[this.i];
      if (this.i >= this.text.length) return row;
      if (isLineBreak(c)) {
        this.endLine();
        return row;
      }
      if (whitespace) {
        // The padding already ran over the delimiter; the row goes on unless the line ends here.
        this.i = this.skipPadding(this.i);
        if (this.i >= this.text.length) return row;
        if (isLineBreak(this.text[this.i])) {
          this.endLine();
          return row;
        }
      } else {
        this.i += 1; // the delimiter
      }
    }
  }

  /** An unquoted cell, up to the delimiter or the end of the line, trimmed. */
  private plainCell(): string {
    const start = this.i;
    const whitespace = this.delimiter === WHITESPACE;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (isLineBreak(c) || (whitespace ? c === " " || c === "\t" : c === this.delimiter)) break;
      this.i++;
    }
    return this.text.slice(start, this.i).trim();
  }

  /** A quoted cell: its content with `""` read as `"`; i ends after the padding that follows it. */
  private quotedCell(row: Row): string {
    const at = { line: this.line, column: row.cells.length + 1 };
    let content = "";
    let from = this.i + 1;
    for (;;) {
      const quote = this.text.indexOf('"', from);
      if (quote < 0) {
        throw new ParseError("the quote that opens this cell is never closed", at, this.source, { note: 'a " inside a quoted cell is written ""' });
      }
      content += this.text.slice(from, quote);
      if (this.text[quote + 1] !== '"') {
        this.i = quote + 1;
        break;
      }
      content += '"';
      from = quote + 2;
    }
    this.line += lineBreaks(content);
    if (this.delimiter !== WHITESPACE) this.i = this.skipPadding(this.i);
    const c = this.text[this.i];
    const ends = this.i >= this.text.length || isLineBreak(c) || c === this.delimiter || (this.delimiter === WHITESPACE && (c === " " || c === "\t"));
    if (!ends) {
      const rest = this.text.slice(this.i).split(/\r\n|\n|\r/, 1)[0];
      throw new ParseError(`${quoteText(rest)} follows the closing quote of the cell`, at, this.source, { note: 'a " inside a quoted cell is written ""' });
    }
    return content;
  }
}

/** How many line breaks (`\r\n` counting once) `text` holds. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\n|\r/g)?.length ?? 0;
}

/** `1 cell`, `3 cells`. */
const cells = (n: number): string => `${n} cell${n === 1 ? "" : "s"}`;

/** A cell that marks a missing entry. */
const isMissing = (cell: string): boolean => MISSING.has(cell.trim().toLowerCase());
/** A cell that reads as a number or a missing entry. */
const isNumeric = (cell: string): boolean => isMissing(cell) || DECIMAL.test(cell.trim());

/**
 * The delimiter of `text`: among {@link CANDIDATES}, the one that splits the first rows into
 * the same number (≥ 2) of cells with the most numeric cells; failing that the one with the
 * most numeric cells (the parse then reports the ragged row); a single column reads with any.
 */
function sniffDelimiter(text: string, comment: string): string {
  let best = { delimiter: CANDIDATES[0], consistent: false, score: -1 };
  for (const delimiter of CANDIDATES) {
    const scanner = new RowScanner(text, delimiter, comment, undefined);
    const counts: number[] = [];
    let score = 0;
    try {
      for (let row = scanner.next(); row !== undefined && counts.length < SNIFF_ROWS; row = scanner.next()) {
        counts.push(row.cells.length);
        score += row.cells.filter(isNumeric).length;
      }
    } catch {
      // A bad quote: judge by the rows before it (the parse then reports the quote, if this is the delimiter).
    }
    const consistent = counts.length > 0 && counts[0] >= 2 && counts.every((n) => n === counts[0]);
    if ((consistent && !best.consistent) || (consistent === best.consistent && score > best.score)) {
      best = { delimiter, consistent, score };
    }
  }
  return best.delimiter;
}

/** True for a character that can separate cells: one character, not a quote, a line break or part of a number. */
export function isDelimiter(delimiter: unknown): delimiter is string {
  return typeof delimiter === "string" && Array.from(delimiter).length === 1 && !/["\r\n0-9.+\-eE]/.test(delimiter);
}

/** The options, checked. @throws FactorisationError OPTION for an unknown name or a bad value. */
function checkOptions(text: unknown, options: unknown): CsvOptions {
  const o = readerOptions("parseCsv", text, options, ["delimiter", "header", "comment", "source"]);
  const { delimiter, header, comment } = o;
  if (delimiter !== undefined && !isDelimiter(delimiter)) {
    throw new FactorisationError("OPTION",
      `parseCsv: delimiter must be one character other than a quote, a line break or part of a number (",", "\\t", ";", " " for whitespace); got ${describe(delimiter)}`);
  }
  if (header !== undefined && typeof header !== "boolean") throw new FactorisationError("OPTION", `parseCsv: header must be a boolean; got ${describe(header)}`);
  if (comment !== undefined && (typeof comment !== "string" || /[\r\n]/.test(comment))) {
    throw new FactorisationError("OPTION", `parseCsv: comment must be a string without line breaks; got ${describe(comment)}`);
  }
  return o as CsvOptions;
}

/**
 * Another delimiter at which `cell` splits into two or more numbers, if there is one: one of
 * the {@link CANDIDATES}, or a punctuation character of the cell that can be a delimiter (`|`).
 */
function splittingDelimiter(cell: string, delimiter: string): string | undefined {
  const punctuation = Array.from(cell).filter((c) => /^[^\p{L}\p{N}\s]$/u.test(c) && isDelimiter(c));
  const others = new Set([...CANDIDATES, ...punctuation]);
  others.delete(delimiter);
  return [...others].find((other) => {
    const parts = other === WHITESPACE ? cell.trim().split(/[ \t]+/) : cell.split(other);
    return parts.length >= 2 && parts.every(isNumeric) && parts.some((part) => DECIMAL.test(part.trim()));
  });
}

/** True when every row the scanner has left has `cols` cells, each a number or missing, and there is one. */
function restIsNumeric(scanner: RowScanner, cols: number): boolean {
  let rows = 0;
  try {
    for (let row = scanner.next(); row !== undefined; row = scanner.next(), rows++) {
      if (row.cells.length !== cols || !row.cells.every(isNumeric)) return false;
    }
  } catch {
    return false;
  }
  return rows > 0;
}

/**
 * The fix that fits a cell that is not a number: a point for a decimal comma; another
 * delimiter when the cell splits into numbers at one; the header option when the cell is in the
 * first row and every row after it reads (`headerFits`); the missing-entry markers.
 */
function cellFix(cell: string, delimiter: string, line: number, headerFits: () => boolean, headerLooking: boolean): ParseFix {
  if (/^[+-]?\d*,\d+$/.test(cell)) return { note: "write decimals with a point (1.5, not 1,5)" };
  const other = splittingDelimiter(cell, delimiter);
  if (other !== undefined) return { option: "delimiter", value: other, why: `the cells look separated by ${delimiterName(other)}:` };
  if (headerFits()) {
    return { option: "header", value: true, why: headerLooking ? `line ${line} looks like a header row:` : `if line ${line} is a header row,` };
  }
  if (MISSING_LOOKALIKES.has(cell.toLowerCase())) return { note: "write a missing entry as a blank cell, NA or NaN" };
  return { note: "a cell must be a number, or blank, NA or NaN for a missing entry" };
}

/**
 * Reads delimited text of numbers (CSV, TSV, `;`- or whitespace-separated, as written by
 * spreadsheets, pandas or np.savetxt) into a dense matrix.
 *
 * One matrix row per line; cells are decimal numbers (`3`, `-0.25`, `.5`, `1e-3`, `4E+02`), and
 * a blank cell or `NA`, `N/A`, `#N/A`, `NaN`, `null` (any case) marks a missing entry, which
 * becomes NaN in `data` (counted in `missing`). Cells may be quoted as RFC 4180 says — a quoted
 * cell may hold the delimiter and line breaks, `""` is a quote — and spaces around a cell are
 * ignored. A byte-order mark, `\r\n` or `\r` line ends, blank lines and comment lines are
 * skipped. Every row must have as many cells as the first. For the delimiter and the header
 * row see {@link CsvOptions}.
 *
 * Cost O(length of the text); the result holds rows·cols doubles (≤ 2^29).
 * @throws ParseError naming the line and column of the first problem — a cell that is not a
 *   number, infinite or beyond the double range, a ragged row, an unclosed quote, no data —
 *   with the cell quoted (control characters escaped) and the fix that fits, if one does.
 * @throws FactorisationError OPTION for an unknown option or a bad value (a `delimiter` that
 *   cannot be one); TOO_LARGE past 4 GiB of doubles.
 */
export function parseCsv(text: string, options?: CsvOptions): CsvMatrix {
  const o = checkOptions(text, options);
  const source = o.source;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const comment = o.comment ?? "#";
  const delimiter = o.delimiter ?? sniffDelimiter(body, comment);
  const scanner = new RowScanner(body, delimiter, comment, source);
  let first = scanner.next();
  if (first === undefined) throw new ParseError("there is no row of numbers: the text is empty, or only blank and comment lines", { line: 1 }, source);
  // A header row holds words: no number, and some text that is not numbers split at another delimiter.
  const kinds = first.cells.map((cell) => {
    if (isMissing(cell)) return "missing";
    const kind = classifyNumber(cell.trim());
    return kind === "text" && splittingDelimiter(cell, delimiter) !== undefined ? "numbers" : kind;
  });
  const headerLooking = kinds.includes("text") && !kinds.includes("number") && !kinds.includes("numbers");
  let header: string[] | undefined;
  if (o.header ?? headerLooking) {
    header = first.cells;
    const headerLine = first.line;
    first = scanner.next();
    if (first === undefined) throw new ParseError("a header row and no row of numbers after it", { line: headerLine }, source);
    if (first.cells.length !== header.length) {
      throw new ParseError(`the row has ${cells(first.cells.length)} but the header row (line ${headerLine}) has ${header.length}`,
        { line: first.line }, source, { note: `cells are split at ${delimiterName(delimiter)}` });
    }
  }
  const firstLine = first.line;
  const cols = first.cells.length;
  let data = new Float64Array(cols * 16);
  let rows = 0;
  let missing = 0;
  let firstMissing: MissingPosition | undefined;
  for (let row: Row | undefined = first; row !== undefined; row = scanner.next()) {
    if (row.cells.length !== cols) {
      throw new ParseError(`the row has ${cells(row.cells.length)} but line ${firstLine} has ${cols}`, { line: row.line }, source,
        { note: `cells are split at ${delimiterName(delimiter)}` });
    }
    checkFits((rows + 1) * cols * 8, `${source ?? "the text"} (by line ${row.line}, ${cols} columns)`);
    if ((rows + 1) * cols > data.length) {
      const grown = new Float64Array(Math.min(data.length * 2, MAX_DOUBLES));
      grown.set(data);
      data = grown;
    }
    for (let c = 0; c < cols; c++) {
      const cell = row.cells[c].trim();
      const at = { line: row.line, column: c + 1 };
      if (isMissing(cell)) {
        data[rows * cols + c] = NaN;
        missing++;
        firstMissing ??= at;
        continue;
      }
      const kind = classifyNumber(cell);
      if (kind === "infinite") {
        const problem = DECIMAL.test(cell) ? `${quoteText(cell)} is beyond the double range` : `${quoteText(cell)} is infinite`;
        throw new ParseError(problem, at, source, { note: "every entry must be finite (blank, NA or NaN for a missing one)" });
      }
      if (kind === "text") {
        // Only a bad cell in the first row asks whether the rest reads as numbers: the header fix.
        const headerFits = (): boolean => header === undefined && row === first && restIsNumeric(scanner, cols);
        throw new ParseError(`${quoteText(cell)} is not a number`, at, source, cellFix(cell, delimiter, row.line, headerFits, headerLooking));
      }
      data[rows * cols + c] = Number(cell);
    }
    rows++;
  }
  const result: CsvMatrix = { kind: "dense", rows, cols, data: data.slice(0, rows * cols), missing, delimiter };
  if (firstMissing !== undefined) result.firstMissing = firstMissing;
  if (header !== undefined) result.header = header;
  return result;
}
