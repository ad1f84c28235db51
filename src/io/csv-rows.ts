// The CSV tokenizer: text → rows of cells, one row a line, with RFC 4180 quoting. It reads a
// whole text (parseCsv) or one that arrives in pieces (parseCsvBlocks): a row that runs into the
// end of a piece that is not the last is left unread until more text comes, so every row is cut
// exactly where it would be in the whole text, with the same line numbers.
import { ParseError, quoteText } from "./text.js";

/** The delimiter that stands for any run of spaces and tabs. */
export const WHITESPACE = " ";

/** One row of the text: the line it starts on (1-based) and its cells, unquoted. */
export interface Row {
  line: number;
  cells: string[];
}

/** Thrown inside {@link RowScanner} when a row runs into the end of text that is not the last. */
const MORE = Symbol("more text needed");

const isLineBreak = (c: string | undefined): boolean => c === "\n" || c === "\r";

/** How many line breaks (`\r\n` counting once) `text` holds. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\n|\r/g)?.length ?? 0;
}

/**
 * Splits text into rows of cells, one row a line, with RFC 4180 quoting: a cell that starts
 * with `"` runs to the next lone `"` and may hold the delimiter and line breaks; `""` inside
 * it is one `"`. Unquoted cells are trimmed of spaces and tabs. Blank lines (nothing but
 * spaces, and tabs unless tab is the delimiter) and comment lines are skipped. O(length).
 *
 * Text may come in pieces ({@link append}); until the last piece (`final`), a row, blank line,
 * comment or line break that reaches the end of the text read so far — where the next piece
 * could continue it — is not read: {@link next} returns undefined and leaves it for later.
 */
export class RowScanner {
  private i = 0;
  /** The line the scanner is on (1-based), counted over every piece. */
  line = 1;
  /** Characters skipped around cells: spaces, and tabs unless a tab is the delimiter. */
  private readonly padding: string;

  constructor(
    private text: string,
    private readonly delimiter: string,
    private readonly comment: string,
    private readonly source: string | undefined,
    /** True when `text` is all there is; false when more may be appended. */
    private final = true,
  ) {
    this.padding = delimiter === "\t" ? " " : " \t";
  }

  /** Characters held and not yet read into rows. */
  get unread(): number {
    return this.text.length - this.i;
  }

  /** True once the last piece has been read to its end. */
  get done(): boolean {
    return this.final && this.i >= this.text.length;
  }

  /** Appends the next piece of text (`final` when it is the last), dropping what has been read. */
  append(more: string, final: boolean): void {
    this.text = this.text.slice(this.i) + more;
    this.i = 0;
    this.final = final;
  }

  /** The next row; undefined at the end of the text, or (before the last piece) when the next row is not all there yet. */
  next(): Row | undefined {
    const [i, line] = [this.i, this.line];
    try {
      return this.scan();
    } catch (error) {
      if (error !== MORE) throw error;
      this.i = i;
      this.line = line;
      return undefined;
    }
  }

  /** True at the end of the text: the end of it all when final; otherwise more text is needed (throws {@link MORE}). */
  private atEnd(j: number): boolean {
    if (j < this.text.length) return false;
    if (!this.final) throw MORE;
    return true;
  }

  /** True when a line break starts at j; a `\r` that ends a piece may be half of a `\r\n` (throws {@link MORE}). */
  private lineBreakAt(j: number): boolean {
    const c = this.text[j];
    if (c === "\r" && j + 1 === this.text.length && !this.final) throw MORE;
    return isLineBreak(c);
  }

  private scan(): Row | undefined {
    while (this.i < this.text.length) {
      const start = this.skipPadding(this.i);
      if (this.atEnd(start) || this.lineBreakAt(start)) {
        this.i = start;
        this.endLine();
      } else if (this.comment !== "" && this.text.startsWith(this.comment, start)) {
        this.i = start;
        while (!this.atEnd(this.i) && !this.lineBreakAt(this.i)) this.i++;
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
      if (this.atEnd(this.i)) return row;
      if (this.lineBreakAt(this.i)) {
        this.endLine();
        return row;
      }
      if (whitespace) {
        // The padding already ran over the delimiter; the row goes on unless the line ends here.
        this.i = this.skipPadding(this.i);
        if (this.atEnd(this.i)) return row;
        if (this.lineBreakAt(this.i)) {
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
        if (!this.final) throw MORE;
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
      // The message quotes the rest of the line: wait for all of it.
      if (!this.final && !/[\r\n]/.test(this.text.slice(this.i))) throw MORE;
      const rest = this.text.slice(this.i).split(/\r\n|\n|\r/, 1)[0];
      throw new ParseError(`${quoteText(rest)} follows the closing quote of the cell`, at, this.source, { note: 'a " inside a quoted cell is written ""' });
    }
    return content;
  }
}
