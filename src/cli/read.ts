// Reading FILE (or stdin for `-`) and telling its format from its first bytes.
import { readFile } from "node:fs/promises";
import { parseCsv } from "./csv.js";
import { InputError, fsReason } from "./errors.js";
import type { ParsedFile } from "./input.js";
import { MATRIX_MARKET_BANNER, parseMatrixMarket } from "./matrix-market.js";

/** The FILE argument that means standard input. */
export const STDIN = "-";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The text of FILE, or of stdin for `-`, as UTF-8.
 * @throws InputError when the file cannot be read.
 */
export async function readSource(file: string): Promise<string> {
  try {
    return file === STDIN ? await readStdin() : await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${file === STDIN ? "stdin" : `'${file}'`}: ${fsReason(error)}`);
  }
}

/**
 * Reads and parses FILE: Matrix Market when its first line starts with `%%MatrixMarket`, CSV otherwise.
 * @throws InputError when it cannot be read or parsed (the message names the line).
 */
export async function readMatrix(file: string): Promise<ParsedFile> {
  const text = await readSource(file);
  const source = file === STDIN ? "stdin" : file;
  const head = text.replace(/^\uFEFF/, "").slice(0, MATRIX_MARKET_BANNER.length);
  return head.toLowerCase() === MATRIX_MARKET_BANNER.toLowerCase() ? parseMatrixMarket(text, source) : parseCsv(text, source);
}
