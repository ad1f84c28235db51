// `lowrank svd FILE --method randomized` on a CSV: the library's svdStream over the file's rows,
// read afresh in blocks on every pass (parseCsvBlocks over the decoded text), so memory is
// O(block + (m + n)·l) whatever the file's size. The same checks and messages as the in-memory
// svd: a missing entry (all of them counted) points to `lowrank complete`, a rank out of range
// names the matrix's shape.
import { FactorisationError, type Matrix, type SvdResult, type SvdStreamOptions, parseCsvBlocks, svdStream } from "../index.js";
import type { MissingPosition } from "../io/text.js";
import { checkRank } from "../options.js";
import { missingEntries } from "./entries.js";
import { type CsvSettings, type Source, textPieces } from "./read.js";

/** The streamed SVD of a CSV source, and the shape its passes read. */
export interface StreamedSvd {
  result: SvdResult;
  rows: number;
  cols: number;
  /** How many times the file was read. */
  passes: number;
}

/**
 * svdStream of the CSV in `source`, each pass one read of it.
 * @throws InputError for missing entries (after reading the file to count them) or a file that
 *   cannot be read; ParseError as parseCsv; FactorisationError as svd(A, { method: 'randomized' })
 *   would for the same matrix (a rank out of range is worded as svd words it: the file is read
 *   once more to find its shape, if no pass has yet).
 */
export async function streamedSvd(source: Source, csv: CsvSettings, options: SvdStreamOptions & { k: number }, command: string): Promise<StreamedSvd> {
  let shape: { rows: number; cols: number } | undefined;
  let passes = 0;
  async function* readBlocks(): AsyncGenerator<Matrix> {
    passes++;
    let rows = 0;
    let cols = 0;
    let missing = 0;
    let first: MissingPosition | undefined;
    for await (const block of parseCsvBlocks(textPieces(source), { ...csv, source: source.name, reuse: true })) {
      cols = block.cols;
      rows += block.rows;
      // After the first missing entry only count them, for the message the in-memory svd gives.
      if (block.missing > 0 && missing === 0) first = block.firstMissing;
      missing += block.missing;
      if (missing === 0) yield block;
    }
    if (missing > 0) throw missingEntries(source.name, missing, first!, command);
    shape = { rows, cols };
  }
  try {
    const result = await svdStream(readBlocks, options);
    return { result, ...shape!, passes };
  } catch (error) {
    if (error instanceof FactorisationError && error.code === "RANK") {
      if (shape === undefined) {
        const blocks = readBlocks();
        while (!(await blocks.next()).done); // one more read, for the shape alone
      }
      checkRank(options.k, shape!.rows, shape!.cols, "k");
    }
    throw error;
  }
}
