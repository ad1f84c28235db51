// Reading FILE (or stdin for `-`): gzip undone, the text decoded, its format told from its
// first bytes, and the library's reader run with the CSV options of the command line.
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { isDelimiter } from "../io/csv.js";
import { isMatrixMarket } from "../io/matrix-market.js";
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

/** The gzip magic number: a compressed stdin is recognised by it. */
const GZIP_MAGIC = [0x1f, 0x8b];

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

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes as text: UTF-16 when they start with its byte-order mark (Excel's "Unicode text"), UTF-8 otherwise. */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  return new TextDecoder("utf-8").decode(bytes);
}

/**
 * The text of FILE, or of stdin for `-`: gunzipped when the name ends in `.gz` or the bytes
 * start with gzip's magic number, then decoded.
 * @throws InputError when the file cannot be read or unzipped, or holds binary data.
 */
export async function readSource(file: string): Promise<string> {
  const name = file === STDIN ? "stdin" : `'${file}'`;
  let bytes: Uint8Array;
  try {
    bytes = file === STDIN ? await readStdin() : await readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${name}: ${fsReason(error)}`);
  }
  if (file.toLowerCase().endsWith(".gz") || GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new InputError(`cannot unzip ${name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  }
  const text = decode(bytes);
  if (text.includes("\u0000")) {
    throw new InputError(`${name} holds binary data, not text: lowrank reads CSV or Matrix Market text (save a spreadsheet as CSV)`);
  }
  return text;
}

/**
 * Reads and parses FILE: Matrix Market when its first line starts with `%%MatrixMarket`, CSV
 * otherwise (with `csv`'s delimiter and header settings).
 * @throws InputError when it cannot be read or is empty; ParseError (from the library's
 *   readers) when it cannot be parsed; UsageError for CSV settings on a Matrix Market file.
 */
export async function readMatrix(file: string, command: string, csv: CsvSettings = {}): Promise<ParsedFile> {
  const text = await readSource(file);
  const source = file === STDIN ? "stdin" : file;
  if (text.replace(/^\uFEFF/, "").trim() === "") throw new InputError(`${source} is empty: expected CSV rows of numbers or a Matrix Market file`);
  if (isMatrixMarket(text)) {
    if (csv.delimiter !== undefined || csv.header !== undefined) {
      throw new UsageError(`--delimiter, --header and --no-header apply to CSV; ${source} is Matrix Market`, command);
    }
    return { ...parseMatrixMarket(text, { source }), source };
  }
  return { ...parseCsv(text, { ...csv, source }), source };
}
