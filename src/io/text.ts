// What the text readers (csv.ts, matrix-market.ts) share: the error they throw, how a piece of
// a file is quoted in a message, the number grammar, and what they return. No `node:` import:
// the readers take text and run in browsers as well as in Node.

import { FactorisationError, describe } from "../errors.js";
import { checkOptionNames } from "../options.js";

/** A decimal number as written in CSV cells, Matrix Market entries and option values: `1`, `-2.5`, `.5`, `3E-4`. */
export const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Written infinities (`inf`, `-Infinity`, …): numbers, but never an entry of a matrix we factorise. */
const INFINITE = /^[+-]?inf(?:inity)?$/i;

/** Longest cell or token quoted in a message, in characters; the rest is cut off with `…`. */
const QUOTE_MAX = 24;

/** Characters that must never reach a terminal raw: C0 and C1 controls, DEL, line and paragraph separators, bidi overrides, BOM. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const NAMED_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with every control character written as an escape (`\n`, `\x1b`, `\u202e`), so it prints as it reads. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return NAMED_ESCAPES[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
  });
}

/** `'1e999x…'`: a cell or token quoted for a message, cut to 24 characters, control characters escaped. */
export function quoteText(text: string): string {
  const chars = Array.from(text);
  const cut = chars.length > QUOTE_MAX ? chars.slice(0, QUOTE_MAX).join("") + "…" : text;
  return `'${escapeControl(cut)}'`;
}

/** What a bad cell is, for the reader's message: a finite number, an infinity, or other text. */
export function classifyNumber(text: string): "number" | "infinite" | "text" {
  if (DECIMAL.test(text)) return Number.isFinite(Number(text)) ? "number" : "infinite";
  return INFINITE.test(text) ? "infinite" : "text";
}

/**
 * A fix a reader suggests in its message: a note, or an option with the words that lead to it
 * (`why`, ending in `:` or `,`). Options are spelled by whoever reports the error: `pass
 * header: true` in the library's message, `pass --header` on the command line.
 */
export type ParseFix =
  | { option: "header"; value: boolean; why: string }
  | { option: "delimiter"; value: string; why: string }
  | { note: string };

/** How an option fix reads: `header: true` (the library's spelling, the default) or a CLI flag. */
export type FixSpelling = (fix: Extract<ParseFix, { option: string }>) => string;

/** The library's spelling of an option fix: `pass header: true`, `pass delimiter: ";"`. */
export const LIBRARY_SPELLING: FixSpelling = (fix) => `pass ${fix.option}: ${JSON.stringify(fix.value)}`;

/** Where in a file: the 1-based line, and the 1-based column (cell or token) when one is meant. */
export interface TextPosition {
  line: number;
  column?: number;
}

/**
 * Text that a reader cannot turn into a matrix: a {@link FactorisationError} with code `PARSE`.
 * The message is one line: where (source, line, column), what is wrong with the quoted cell, and
 * the fix that fits when there is one.
 */
export class ParseError extends FactorisationError {
  /** 1-based line of the file. */
  readonly line: number;
  /** 1-based column: the cell of a CSV row, or the token of a Matrix Market line; undefined for a whole line. */
  readonly column: number | undefined;
  /** The `source` option given to the reader (a file name), if any. */
  readonly source: string | undefined;
  /** What is wrong, without the position and the fix. */
  readonly problem: string;
  /** The suggested fix, if one fits. */
  readonly fix: ParseFix | undefined;

  constructor(problem: string, at: TextPosition, source?: string, fix?: ParseFix) {
    super("PARSE", "");
    this.name = "ParseError";
    this.line = at.line;
    this.column = at.column;
    this.source = source;
    this.problem = problem;
    this.fix = fix;
    this.message = this.describe(LIBRARY_SPELLING);
  }

  /** The message with option fixes spelled by `spell` (the CLI passes its flags). */
  describe(spell: FixSpelling): string {
    const where = [this.source, `line ${this.line}`, this.column === undefined ? undefined : `column ${this.column}`]
      .filter((part) => part !== undefined).join(", ");
    const fix = this.fix === undefined ? "" : "; " + ("note" in this.fix ? this.fix.note : `${this.fix.why} ${spell(this.fix)}`);
    return `${escapeControl(where)}: ${this.problem}${fix}`;
  }
}

/** Where the first missing entry of a dense result is, in the file (1-based). */
export interface MissingPosition {
  line: number;
  column: number;
}

/** A dense matrix read from text: row-major, NaN where an entry is missing. It is a `Matrix`. */
export interface ParsedDense {
  kind: "dense";
  rows: number;
  cols: number;
  /** rows·cols entries, row-major; NaN marks a missing entry. */
  data: Float64Array;
  /** How many entries are missing (NaN in `data`). */
  missing: number;
  /** Where the first missing entry stands in the file, when one does. */
  firstMissing?: MissingPosition;
}

/**
 * The entries a Matrix Market coordinate file lists: 0-based, in row-major order, each
 * (row, col) once, the mirrored half of a symmetric or skew-symmetric file included. It is a
 * `SparseEntries` (what `sgdFactoriseSparse` takes); entries it does not list are 0 in the
 * format's meaning, or unobserved for matrix completion.
 */
export interface ParsedCoordinates {
  kind: "coordinates";
  rows: number;
  cols: number;
  row: Int32Array;
  col: Int32Array;
  value: Float64Array;
}

/**
 * Checks a reader's arguments: `text` a string, only `known` option names, `source` a string.
 * @throws FactorisationError OPTION otherwise.
 */
export function readerOptions(fn: string, text: unknown, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof text !== "string") throw new FactorisationError("OPTION", `${fn}: text must be a string; got ${describe(text)}`);
  return readerOptionBag(fn, options, known);
}

/**
 * Checks a reader's options: only `known` names, `source` a string (for readers that take text
 * in pieces, whose pieces are checked as they come).
 * @throws FactorisationError OPTION otherwise.
 */
export function readerOptionBag(fn: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  const o = checkOptionNames(options, known, fn);
  if (o.source !== undefined && typeof o.source !== "string") {
    throw new FactorisationError("OPTION", `${fn}: source must be a string; got ${describe(o.source)}`);
  }
  return o;
}
