// Delimited text of numbers → a dense matrix: CSV as spreadsheets write it (RFC 4180 quoting),
// TSV, `;`-separated, and whitespace-separated columns as np.savetxt writes them by default.
// An optional header row, comment lines, and missing entries (blank, NA, NaN) become NaN. One
// reader serves the whole text (parseCsv) and text that comes in pieces, read into row blocks
// (parseCsvBlocks): the same rows, numbers, messages and line numbers either way.
import { FactorisationError, describe } from "../errors.js";
import { MAX_DOUBLES, checkFits } from "../limits.js";
import { type Row, RowScanner, WHITESPACE } from "./csv-rows.js";
import {
  DECIMAL, type MissingPosition, type ParseFix, ParseError, type ParsedDense, classifyNumber, quoteText, readerOptionBag,
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
 * Undefined when `text` is not `final` and holds fewer than {@link SNIFF_ROWS} whole rows for
 * some candidate: the answer must be the one the whole text gives.
 */
function sniffDelimiter(text: string, comment: string, final: boolean): string | undefined {
  let best = { delimiter: CANDIDATES[0], consistent: false, score: -1 };
  for (const delimiter of CANDIDATES) {
    const scanner = new RowScanner(text, delimiter, comment, undefined, final);
    const counts: number[] = [];
    let score = 0;
    let bad = false;
    try {
      for (let row = scanner.next(); row !== undefined && counts.length < SNIFF_ROWS; row = scanner.next()) {
        counts.push(row.cells.length);
        score += row.cells.filter(isNumeric).length;
      }
    } catch {
      // A bad quote: judge by the rows before it (the parse then reports the quote, if this is the delimiter).
      bad = true;
    }
    if (!final && !bad && counts.length < SNIFF_ROWS) return undefined;
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

/** The reader options both readers take. */
const CSV_OPTION_NAMES = ["delimiter", "header", "comment", "source"];

/** The options of reader `fn`, checked. @throws FactorisationError OPTION for an unknown name or a bad value. */
function checkOptions(fn: string, options: unknown, known = CSV_OPTION_NAMES): Record<string, unknown> {
  const o = readerOptionBag(fn, options, known);
  const { delimiter, header, comment } = o;
  if (delimiter !== undefined && !isDelimiter(delimiter)) {
    throw new FactorisationError("OPTION",
      `${fn}: delimiter must be one character other than a quote, a line break or part of a number (",", "\\t", ";", " " for whitespace); got ${describe(delimiter)}`);
  }
  if (header !== undefined && typeof header !== "boolean") throw new FactorisationError("OPTION", `${fn}: header must be a boolean; got ${describe(header)}`);
  if (comment !== undefined && (typeof comment !== "string" || /[\r\n]/.test(comment))) {
    throw new FactorisationError("OPTION", `${fn}: comment must be a string without line breaks; got ${describe(comment)}`);
  }
  return o;
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

/** Thrown inside {@link CsvReader} while a message's fix waits on text that has not come yet. */
const WAIT = Symbol("waiting for more text");

/**
 * The reading of CSV text, whole or in pieces: the delimiter (given, or sniffed from the first
 * rows), the header row, then data rows checked and turned into numbers. parseCsv writes the
 * whole text at once; parseCsvBlocks writes each piece as it comes. Until the last piece,
 * anything whose answer depends on text still to come (a row cut at the end of a piece, the
 * delimiter before 20 rows are in, the fix for a bad cell on line 1) waits for more, so the
 * rows, numbers and messages are those of the whole text.
 */
class CsvReader {
  /** The delimiter, once known. */
  delimiter: string | undefined;
  header: string[] | undefined;
  /** Cells per row, once the first data row is in (0 before). */
  cols = 0;
  /** Missing entries converted since the last {@link takeMissing}, and where the first of them is. */
  private missing = 0;
  private firstMissing: MissingPosition | undefined;
  private readonly comment: string;
  private readonly source: string | undefined;
  private scanner: RowScanner | undefined;
  /** The text before the delimiter is known (the scanner holds it after). */
  private held = "";
  /** Pieces written and not yet handed to the scanner. */
  private queued: string[] = [];
  private queuedLength = 0;
  /** Whether the last piece has been written, and handed on. */
  private final = false;
  private handedFinal = false;
  private started = false;
  private stage: "first" | "afterHeader" | "rows" = "first";
  private headerLine = 0;
  private headerLooking = false;
  /** The first data row: returned once by nextRow, and the row whose bad cell may mean a header. */
  private first: Row | undefined;
  private firstPending = false;
  /** A bad cell whose message waits on the rest of the text; settles (throws) once that is in. */
  private failure: (() => void) | undefined;

  constructor(private readonly o: CsvOptions) {
    this.comment = o.comment ?? "#";
    this.source = o.source;
  }

  /** Adds a piece of text; `final` with the last one (which may be ""). */
  write(text: string, final: boolean): void {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0) {
      this.queued.push(text);
      this.queuedLength += text.length;
    }
    this.final ||= final;
  }

  /**
   * Hands the queued pieces on: at the end, or once they at least match the text held unread
   * (so a row longer than a piece is rescanned O(log) times, not once per piece). Returns
   * whether anything was handed on.
   */
  private feed(): boolean {
    const news = this.queuedLength > 0 || (this.final && !this.handedFinal);
    const unread = this.scanner?.unread ?? this.held.length;
    if (!news || (!this.final && this.queuedLength < unread)) return false;
    const more = this.queued.join("");
    this.queued = [];
    this.queuedLength = 0;
    this.handedFinal = this.final;
    if (this.scanner) this.scanner.append(more, this.final);
    else this.held += more;
    return true;
  }

  /** The scanner's next row, handing on queued text when it runs out. */
  private scanRow(): Row | undefined {
    const scanner = this.scanner!;
    const row = scanner.next();
    return row !== undefined || !this.feed() ? row : scanner.next();
  }

  /**
   * The next data row, its cell count checked against the first's; undefined at the end, or,
   * before the last piece, when no whole row is in yet.
   * @throws ParseError for no data, a ragged row, a bad quote, or a bad cell settled.
   */
  nextRow(): Row | undefined {
    if (this.failure) {
      this.failure();
      return undefined;
    }
    if (this.stage !== "rows" && !this.setUp()) return undefined;
    if (this.firstPending) {
      this.firstPending = false;
      return this.first;
    }
    const row = this.scanRow();
    if (row !== undefined && row.cells.length !== this.cols) {
      throw new ParseError(`the row has ${cells(row.cells.length)} but line ${this.first!.line} has ${this.cols}`, { line: row.line }, this.source,
        { note: `cells are split at ${delimiterName(this.delimiter!)}` });
    }
    return row;
  }

  /** The delimiter, the header row and the first data row; false while more text is needed. */
  private setUp(): boolean {
    if (this.scanner === undefined) {
      this.feed();
      const delimiter = this.o.delimiter ?? sniffDelimiter(this.held, this.comment, this.handedFinal);
      if (delimiter === undefined) return false;
      this.delimiter = delimiter;
      this.scanner = new RowScanner(this.held, delimiter, this.comment, this.source, this.handedFinal);
      this.held = "";
    }
    if (this.stage === "first") {
      const first = this.scanRow();
      if (first === undefined) {
        if (!this.scanner.done) return false;
        throw new ParseError("there is no row of numbers: the text is empty, or only blank and comment lines", { line: 1 }, this.source);
      }
      // A header row holds words: no number, and some text that is not numbers split at another delimiter.
      const kinds = first.cells.map((cell) => {
        if (isMissing(cell)) return "missing";
        const kind = classifyNumber(cell.trim());
        return kind === "text" && splittingDelimiter(cell, this.delimiter!) !== undefined ? "numbers" : kind;
      });
      this.headerLooking = kinds.includes("text") && !kinds.includes("number") && !kinds.includes("numbers");
      if (!(this.o.header ?? this.headerLooking)) return this.startRows(first);
      this.header = first.cells;
      this.headerLine = first.line;
      this.stage = "afterHeader";
    }
    const first = this.scanRow();
    if (first === undefined) {
      if (!this.scanner.done) return false;
      throw new ParseError("a header row and no row of numbers after it", { line: this.headerLine }, this.source);
    }
    if (first.cells.length !== this.header!.length) {
      throw new ParseError(`the row has ${cells(first.cells.length)} but the header row (line ${this.headerLine}) has ${this.header!.length}`,
        { line: first.line }, this.source, { note: `cells are split at ${delimiterName(this.delimiter!)}` });
    }
    return this.startRows(first);
  }

  private startRows(first: Row): true {
    this.first = first;
    this.firstPending = true;
    this.cols = first.cells.length;
    this.stage = "rows";
    return true;
  }

  /**
   * Writes the row's numbers into `out` from `offset` (NaN for a missing entry). False when a
   * bad cell's message waits on text still to come (then nextRow settles it).
   * @throws ParseError for a cell that is not a finite number or a missing-entry marker.
   */
  convert(row: Row, out: Float64Array, offset: number): boolean {
    for (let c = 0; c < this.cols; c++) {
      const cell = row.cells[c].trim();
      // Numbers first: most cells are, and no number is a missing-entry marker.
      const x = DECIMAL.test(cell) ? Number(cell) : NaN;
      if (Number.isFinite(x)) {
        out[offset + c] = x;
        continue;
      }
      const at = { line: row.line, column: c + 1 };
      if (isMissing(cell)) {
        out[offset + c] = NaN;
        this.missing++;
        this.firstMissing ??= at;
        continue;
      }
      const kind = classifyNumber(cell);
      if (kind === "infinite") {
        const problem = DECIMAL.test(cell) ? `${quoteText(cell)} is beyond the double range` : `${quoteText(cell)} is infinite`;
        throw new ParseError(problem, at, this.source, { note: "every entry must be finite (blank, NA or NaN for a missing one)" });
      }
      return this.notANumber(row, cell, at);
    }
    return true;
  }

  /** The missing entries converted since the last call, and the first one's place; resets the count. */
  takeMissing(): { missing: number; firstMissing: MissingPosition | undefined } {
    const taken = { missing: this.missing, firstMissing: this.firstMissing };
    this.missing = 0;
    this.firstMissing = undefined;
    return taken;
  }

  /**
   * A cell that is not a number: throws its ParseError, or, when the fix depends on whether the
   * rows after line 1 all read as numbers (the header fix) and they are not all in, returns
   * false and leaves the error to settle as text comes.
   */
  private notANumber(row: Row, cell: string, at: { line: number; column: number }): false {
    // Only a bad cell in the first data row asks whether the rest reads as numbers: the header fix.
    const rest = { rows: 0 };
    const headerFits = (): boolean => {
      if (this.header !== undefined || row !== this.first) return false;
      const fits = this.restIsNumeric(rest);
      if (fits === undefined) throw WAIT;
      return fits;
    };
    this.failure = () => {
      try {
        throw new ParseError(`${quoteText(cell)} is not a number`, at, this.source, cellFix(cell, this.delimiter!, row.line, headerFits, this.headerLooking));
      } catch (error) {
        if (error !== WAIT) throw error;
      }
    };
    this.failure();
    return false;
  }

  /**
   * Whether every row after the first data row has `cols` cells, each a number or missing, and
   * there is one; undefined while more text is needed. `rest.rows` counts the rows read so far.
   */
  private restIsNumeric(rest: { rows: number }): boolean | undefined {
    try {
      for (let row = this.scanRow(); row !== undefined; row = this.scanRow(), rest.rows++) {
        if (row.cells.length !== this.cols || !row.cells.every(isNumeric)) return false;
      }
    } catch {
      return false;
    }
    return this.scanner!.done ? rest.rows > 0 : undefined;
  }
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
 * row see {@link CsvOptions}. Text too large to hold whole: {@link parseCsvBlocks}.
 *
 * Cost O(length of the text); the result holds rows·cols doubles (≤ 2^29).
 * @throws ParseError naming the line and column of the first problem — a cell that is not a
 *   number, infinite or beyond the double range, a ragged row, an unclosed quote, no data —
 *   with the cell quoted (control characters escaped) and the fix that fits, if one does.
 * @throws FactorisationError OPTION for an unknown option or a bad value (a `delimiter` that
 *   cannot be one); TOO_LARGE past 4 GiB of doubles.
 */
export function parseCsv(text: string, options?: CsvOptions): CsvMatrix {
  if (typeof text !== "string") throw new FactorisationError("OPTION", `parseCsv: text must be a string; got ${describe(text)}`);
  const reader = new CsvReader(checkOptions("parseCsv", options));
  reader.write(text, true);
  let data = new Float64Array(0);
  let rows = 0;
  for (let row = reader.nextRow(); row !== undefined; row = reader.nextRow()) {
    const cols = reader.cols;
    checkFits((rows + 1) * cols * 8, `${options?.source ?? "the text"} (by line ${row.line}, ${cols} columns)`);
    if ((rows + 1) * cols > data.length) {
      const grown = new Float64Array(Math.min(Math.max(data.length * 2, cols * 16), MAX_DOUBLES));
      grown.set(data);
      data = grown;
    }
    reader.convert(row, data, rows * cols);
    rows++;
  }
  const { missing, firstMissing } = reader.takeMissing();
  const result: CsvMatrix = { kind: "dense", rows, cols: reader.cols, data: data.slice(0, rows * reader.cols), missing, delimiter: reader.delimiter! };
  if (firstMissing !== undefined) result.firstMissing = firstMissing;
  if (reader.header !== undefined) result.header = reader.header;
  return result;
}

/** Options of {@link parseCsvBlocks}: parseCsv's, and the size of a block. */
export interface CsvBlockOptions extends CsvOptions {
  /** Rows per block (the last block may have fewer). Default: as many as fill {@link BLOCK_BYTES} (1 MiB), at least 1. */
  blockRows?: number;
  /**
   * `true`: every block's `data` is the same buffer (the last block a view of it), overwritten by
   * the next block — for a consumer that copies each block before asking for the next, as
   * svdStream does; a long read then allocates one block, not one per block. Default false: each
   * block has its own `data`.
   */
  reuse?: boolean;
}

/** One block of rows from {@link parseCsvBlocks}: a dense `Matrix` (NaN for missing entries) and where it stands. */
export interface CsvBlock extends ParsedDense {
  /** The index (0-based) of the block's first row in the whole matrix. */
  firstRow: number;
  /** The delimiter used (given or sniffed). */
  delimiter: string;
  /** The header row's cells, when line 1 was taken as a header. */
  header?: string[];
}

/** The default size of a block of {@link parseCsvBlocks}: big enough that per-block costs vanish, small beside any matrix worth streaming. */
const BLOCK_BYTES = 2 ** 20;

/** Text in pieces: an Iterable or AsyncIterable of strings (or one string). */
export type TextPieces = string | Iterable<string> | AsyncIterable<string>;

/**
 * Reads delimited text of numbers that comes in pieces — a file read in chunks, a fetch body
 * through a TextDecoderStream — into blocks of rows, never holding the whole text or the whole
 * matrix: memory O(block + the longest row). The reader is parseCsv's: the same delimiter
 * sniffing (from the first 20 rows), header detection, cells, missing entries, line numbers
 * and messages, wherever the pieces are cut; the blocks, stacked, are parseCsv's matrix (their
 * `missing` counts and `firstMissing` places are each block's own). The whole matrix may be
 * larger than 4 GiB: only a block must fit.
 *
 * Feed the blocks to {@link svdStream} with a `readBlocks` that reads the text again on each
 * call, e.g. `() => parseCsvBlocks(fs.createReadStream(path, "utf8"))`.
 *
 * Cost O(length of the text) (a row longer than a piece is re-read O(log) times).
 * @returns an AsyncIterable of {@link CsvBlock}s, top to bottom.
 * @throws FactorisationError OPTION (at once) for a bad option or `pieces` that is not text in
 *   pieces, (while reading) for a piece that is not a string; ParseError, while reading, as
 *   parseCsv; TOO_LARGE for a block past 4 GiB.
 */
export function parseCsvBlocks(pieces: TextPieces, options?: CsvBlockOptions): AsyncGenerator<CsvBlock, void, undefined> {
  const fn = "parseCsvBlocks";
  if (typeof pieces !== "string" && (pieces === null || typeof pieces !== "object" || !(Symbol.iterator in pieces || Symbol.asyncIterator in pieces))) {
    throw new FactorisationError("OPTION", `${fn}: pieces must be a string, or an Iterable or AsyncIterable of strings; got ${describe(pieces)}`);
  }
  const o = checkOptions(fn, options, [...CSV_OPTION_NAMES, "blockRows", "reuse"]) as CsvBlockOptions;
  if (o.blockRows !== undefined && (typeof o.blockRows !== "number" || !Number.isInteger(o.blockRows) || o.blockRows < 1)) {
    throw new FactorisationError("OPTION", `${fn}: blockRows must be an integer ≥ 1; got ${describe(o.blockRows)}`);
  }
  if (o.reuse !== undefined && typeof o.reuse !== "boolean") throw new FactorisationError("OPTION", `${fn}: reuse must be a boolean; got ${describe(o.reuse)}`);
  return readBlocks(typeof pieces === "string" ? [pieces] : pieces, o);
}

async function* readBlocks(pieces: Iterable<unknown> | AsyncIterable<unknown>, o: CsvBlockOptions): AsyncGenerator<CsvBlock, void, undefined> {
  const reader = new CsvReader(o);
  let data: Float64Array | undefined;
  let capacity = 0;
  let filled = 0;
  let firstRow = 0;
  const block = (): CsvBlock => {
    const { missing, firstMissing } = reader.takeMissing();
    const cols = reader.cols;
    const part = filled === capacity ? data! : o.reuse ? data!.subarray(0, filled * cols) : data!.slice(0, filled * cols);
    const out: CsvBlock = { kind: "dense", rows: filled, cols, data: part, missing, firstRow, delimiter: reader.delimiter! };
    if (firstMissing !== undefined) out.firstMissing = firstMissing;
    if (reader.header !== undefined) out.header = reader.header;
    firstRow += filled;
    filled = 0;
    if (!o.reuse) data = undefined;
    return out;
  };
  /** Every block the text written so far fills. */
  function* full(): Generator<CsvBlock> {
    for (let row = reader.nextRow(); row !== undefined; row = reader.nextRow()) {
      const cols = reader.cols;
      if (data === undefined) {
        capacity = o.blockRows ?? Math.max(1, Math.floor(BLOCK_BYTES / (8 * cols)));
        checkFits(capacity * cols * 8, `a block of ${capacity} rows of ${cols} columns`);
        data = new Float64Array(capacity * cols);
      }
      if (!reader.convert(row, data, filled * cols)) return; // a bad cell on line 1: its message waits for more text
      if (++filled === capacity) yield block();
    }
  }
  let count = 0;
  for await (const piece of pieces) {
    count++;
    if (typeof piece !== "string") throw new FactorisationError("OPTION", `parseCsvBlocks: piece ${count} must be a string; got ${describe(piece)}`);
    reader.write(piece, false);
    yield* full();
  }
  reader.write("", true);
  yield* full();
  if (filled > 0) yield block();
}
