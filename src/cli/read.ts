// Reading FILE (or stdin for `-`): gzip undone, the text decoded, its format told from its
// first bytes, and the library's reader run with the CSV options of the command line; or the
// text in pieces, read afresh for each pass of a streamed command.
import { open, stat } from "node:fs/promises";
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { isDelimiter } from "../io/csv.js";
import { MATRIX_MARKET_BANNER, isMatrixMarket } from "../io/matrix-market.js";
import type { FixSpelling } from "../io/text.js";
import { parseCsv, parseMatrixMarket } from "../index.js";
import type { CommandLine, OptionSpec } from "./args.js";
import { InputError, UsageError, fsReason } from "./errors.js";
import type { ParsedFile } from "./input.js";

/** The FILE argument that means standard input. */
export const STDIN = "-";

/** The options every command that reads FILE accepts, in parseArgs' form. */
export const INPUT_OPTION_SPEC: OptionSpec = {
  delimiter: { type: "string" },
  header: { type: "boolean" },
  "no-header": { type: "boolean" },
};

/** The --help lines of {@link INPUT_OPTION_SPEC}. */
export const INPUT_OPTION_HELP = `  --delimiter d   CSV cell delimiter: , ; tab space (any run of spaces and tabs) or
                  another character (default: sniffed from the first rows)
  --header        line 1 of the CSV is a header row (default: detected, when line 1
  --no-header     holds no number and some text); --no-header reads it as data`;

/** Names for delimiters that are awkward to type. */
const DELIMITER_NAMES: Record<string, string> = { tab: "\t", "\\t": "\t", space: " ", whitespace: " ", comma: ",", semicolon: ";" };

/** `--delimiter tab`, `--delimiter ';'`: how to pass a delimiter on the command line. */
function delimiterFlag(delimiter: string): string {
  const name = delimiter === "\t" ? "tab" : delimiter === " " ? "space" : `'${delimiter}'`;
  return `--delimiter ${name}`;
}

/** A reader's suggested fix in command-line terms: `pass --header`, `pass --delimiter tab`. */
export const CLI_SPELLING: FixSpelling = (fix) =>
  `pass ${fix.option === "header" ? (fix.value ? "--header" : "--no-header") : delimiterFlag(String(fix.value))}`;

/** The CSV reading options of a command line: --delimiter, --header / --no-header. */
export interface CsvSettings {
  delimiter?: string;
  header?: boolean;
}

/**
 * Reads --delimiter and --header / --no-header.
 * @throws UsageError for both --header and --no-header, or a delimiter that cannot be one.
 */
export function csvSettings(command: string, line: CommandLine): CsvSettings {
  const settings: CsvSettings = {};
  const text = line.values.delimiter;
  if (typeof text === "string") {
    const delimiter = DELIMITER_NAMES[text.toLowerCase()] ?? text;
    if (!isDelimiter(delimiter)) {
      throw new UsageError(`option --delimiter must be one character other than a quote or part of a number, or tab or space; got '${text}'`, command);
    }
    settings.delimiter = delimiter;
  }
  if (line.values.header === true && line.values["no-header"] === true) throw new UsageError("--header and --no-header contradict each other", command);
  if (line.values.header === true) settings.header = true;
  if (line.values["no-header"] === true) settings.header = false;
  return settings;
}

/** Bytes read from a file at a time: one chunk of the stream, and of a copy held in memory. */
const CHUNK_BYTES = 1 << 16;

/**
 * FILE (or stdin), ready to be read from the start once or several times. A regular file is
 * opened again on each read, so a command that reads it in passes never holds it whole. Stdin,
 * and any other FILE that cannot be read twice (a pipe, `<(zcat …)`), is read once into memory
 * as it comes (gzip'ed bytes stay compressed) and each read goes over that copy.
 */
export interface Source {
  /** The FILE argument (`-` for stdin). */
  file: string;
  /** The name parse messages use: the file name, or `stdin`. */
  name: string;
  /** How other messages name it: `'data.csv'`, or `stdin`. */
  quoted: string;
  /** False when the bytes are held in memory (stdin, a pipe). */
  reread: boolean;
  /** The bytes from the start, read afresh on every call. @throws InputError when FILE cannot be read. */
  bytes(): AsyncIterable<Uint8Array>;
}

async function* fileBytes(file: string, quoted: string): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new InputError(`cannot read ${quoted}: ${fsReason(error)}`);
  }
  const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES, autoClose: false });
  try {
    const chunks = stream[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw new InputError(`cannot read ${quoted}: ${fsReason(error)}`);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    stream.destroy();
    await handle.close();
  }
}

async function* heldBytes(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const all: Uint8Array[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return Buffer.concat(all);
}

/**
 * FILE, or stdin for `-`, as a {@link Source}: a regular file is opened on each read; stdin and
 * other files that cannot be read twice are read into memory now.
 * @throws InputError when it cannot be read.
 */
export async function openSource(file: string): Promise<Source> {
  const quoted = file === STDIN ? "stdin" : `'${file}'`;
  const named = { file, name: file === STDIN ? "stdin" : file, quoted };
  if (file === STDIN) {
    let bytes: Uint8Array;
    try {
      bytes = await collect(process.stdin);
    } catch (error) {
      throw new InputError(`cannot read stdin: ${fsReason(error)}`);
    }
    return { ...named, reread: false, bytes: () => heldBytes(bytes) };
  }
  let regular: boolean;
  try {
    regular = (await stat(file)).isFile();
  } catch (error) {
    throw new InputError(`cannot read ${quoted}: ${fsReason(error)}`);
  }
  if (regular) return { ...named, reread: true, bytes: () => fileBytes(file, quoted) };
  const bytes = await collect(fileBytes(file, quoted));
  return { ...named, reread: false, bytes: () => heldBytes(bytes) };
}

/** The first `count` bytes of `chunks` (fewer at the end) and an iterator over all of them, those first bytes included. */
async function peek(chunks: AsyncIterable<Uint8Array>, count: number): Promise<{ head: Uint8Array; all: AsyncIterable<Uint8Array> }> {
  const it = chunks[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let length = 0;
  while (length < count) {
    const next = await it.next();
    if (next.done) break;
    seen.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(seen).subarray(0, count);
  async function* all(): AsyncGenerator<Uint8Array> {
    try {
      yield* seen;
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    } finally {
      await it.return?.();
    }
  }
  return { head, all: all() };
}

/** The gzip magic number: a compressed stdin is recognised by it. */
const GZIP_MAGIC = [0x1f, 0x8b];

/** The decompressed bytes; a broken gzip stream is an InputError naming the source. */
async function* gunzipped(chunks: AsyncIterable<Uint8Array>, quoted: string): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  pipeline(Readable.from(chunks), gunzip, () => {});
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot unzip ${quoted}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  } finally {
    gunzip.destroy();
  }
}

/**
 * The text of a source in pieces: gunzipped when the name ends in `.gz` or the bytes start with
 * gzip's magic number, decoded (UTF-16 when it starts with that byte-order mark, as Excel's
 * "Unicode text" does; UTF-8 otherwise), each piece checked for binary data. Memory O(piece).
 * @throws InputError when it cannot be read or unzipped, or holds binary data.
 */
export async function* textPieces(source: Source): AsyncGenerator<string> {
  let { head, all } = await peek(source.bytes(), 2);
  if (source.file.toLowerCase().endsWith(".gz") || GZIP_MAGIC.every((b, i) => head[i] === b)) {
    ({ head, all } = await peek(gunzipped(all, source.quoted), 2));
  }
  const encoding = head[0] === 0xff && head[1] === 0xfe ? "utf-16le" : head[0] === 0xfe && head[1] === 0xff ? "utf-16be" : "utf-8";
  const decoder = new TextDecoder(encoding);
  const checked = (text: string): string => {
    if (text.includes("\u0000")) {
      throw new InputError(`${source.quoted} holds binary data, not text: lowrank reads CSV or Matrix Market text (save a spreadsheet as CSV)`);
    }
    return text;
  };
  for await (const chunk of all) yield checked(decoder.decode(chunk, { stream: true }));
  yield checked(decoder.decode());
}

/** The whole text of a source (see {@link textPieces}). */
export async function readText(source: Source): Promise<string> {
  const pieces: string[] = [];
  for await (const piece of textPieces(source)) pieces.push(piece);
  return pieces.join("");
}

/** Characters to read before telling the format: the Matrix Market banner's first word. */
const FORMAT_CHARS = MATRIX_MARKET_BANNER.length + 1;

/**
 * What a source holds, told from its first characters: Matrix Market when it starts with the
 * banner, CSV otherwise; reads only that far (unless the text is blank so far).
 * @throws InputError when it cannot be read, or is empty (only blanks).
 */
export async function formatOf(source: Source): Promise<"matrix-market" | "csv"> {
  let text = "";
  const pieces = textPieces(source);
  try {
    for await (const piece of pieces) {
      text += piece;
      const start = text.replace(/^\uFEFF/, "");
      if (start.length >= FORMAT_CHARS && start.trim() !== "") break;
    }
  } finally {
    await pieces.return(undefined);
  }
  if (text.replace(/^\uFEFF/, "").trim() === "") throw new InputError(`${source.name} is empty: expected CSV rows of numbers or a Matrix Market file`);
  return isMatrixMarket(text) ? "matrix-market" : "csv";
}

/**
 * Reads and parses FILE (or an opened source): Matrix Market when its first line starts with
 * `%%MatrixMarket`, CSV otherwise (with `csv`'s delimiter and header settings).
 * @throws InputError when it cannot be read or is empty; ParseError (from the library's
 *   readers) when it cannot be parsed; UsageError for CSV settings on a Matrix Market file.
 */
export async function readMatrix(file: string | Source, command: string, csv: CsvSettings = {}): Promise<ParsedFile> {
  const source = typeof file === "string" ? await openSource(file) : file;
  const text = await readText(source);
  const name = source.name;
  if (text.replace(/^\uFEFF/, "").trim() === "") throw new InputError(`${name} is empty: expected CSV rows of numbers or a Matrix Market file`);
  if (isMatrixMarket(text)) {
    if (csv.delimiter !== undefined || csv.header !== undefined) {
      throw new UsageError(`--delimiter, --header and --no-header apply to CSV; ${name} is Matrix Market`, command);
    }
    return { ...parseMatrixMarket(text, { source: name }), source: name };
  }
  return { ...parseCsv(text, { ...csv, source: name }), source: name };
}
