// The parts of a factorisation's report that `sgd` and `complete` share: the run line, the
// U and V tables, their JSON and CSV forms, and the note of files written.
import { type Matrix, type SgdResult, toArray } from "../index.js";
import { csvOfMatrix, formatMatrix } from "./format.js";

/** `after 1000 epochs (seed 42, lr 0.01)` — what is needed to repeat the run. */
export function runSummary(result: SgdResult): string {
  return `after ${result.epochs} epoch${result.epochs === 1 ? "" : "s"} (seed ${result.seed}, lr ${result.lr})`;
}

/** The U and V tables, a blank line apart. */
export function factorTables(result: SgdResult): string {
  return `${formatMatrix("U", result.U)}\n\n${formatMatrix("V", result.V)}`;
}

/** The JSON fields of an SGD run: shapes, rank, loss, epochs, seed, the lr used, U and V as nested arrays. */
export function factorJson(A: { rows: number; cols: number }, result: SgdResult): Record<string, unknown> {
  const { U, V } = result;
  return {
    shape: { A: [A.rows, A.cols], U: [U.rows, U.cols], V: [V.rows, V.cols] },
    rank: U.cols,
    loss: result.loss,
    epochs: result.epochs,
    seed: result.seed,
    lr: result.lr,
    U: toArray(U),
    V: toArray(V),
  };
}

/** `name.csv → CSV text` for each matrix, for --out. */
export function csvFiles(matrices: Record<string, Matrix>): Record<string, string> {
  return Object.fromEntries(Object.entries(matrices).map(([name, M]) => [`${name}.csv`, csvOfMatrix(M)]));
}

/** The line that says which files --out wrote. */
export function writtenNote(paths: readonly string[]): string {
  return `wrote ${paths.join(", ")}`;
}
