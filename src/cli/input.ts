// What FILE holds once parsed: the library reader's result, with the name of the file for
// messages — a dense grid with possibly missing entries (CSV, Matrix Market array) or the
// listed entries (Matrix Market coordinate).
import type { CsvMatrix, MatrixMarketMatrix } from "../index.js";

/** A parsed FILE: what parseCsv or parseMatrixMarket returned, and the file name (or `stdin`) for messages. */
export type ParsedFile = (CsvMatrix | MatrixMarketMatrix) & { source: string };
