// `lowrank complete FILE --rank k`: matrix completion by SGD over the observed entries, then
// the completed matrix — the observed values as given, U Vᵀ in the gaps (or U Vᵀ throughout
// with --fitted).
import { type Matrix, reconstruct, toArray } from "../index.js";
import { fileArgument, parseCommandLine } from "./args.js";
import type { Command } from "./command.js";
import { keepObserved, observedEntries, unobserved } from "./entries.js";
import { HEAD_COLS, HEAD_ROWS, WHOLE_COLS, WHOLE_ROWS, formatMatrix, formatNumber, leadingRows, shownCount } from "./format.js";
import { checkOutDir, writeFiles } from "./out-dir.js";
import { readMatrix } from "./read.js";
import { csvFiles, factorJson, factorTables, runSummary, writtenNote } from "./report.js";
import { runWithProgress } from "./sgd-run.js";
import { SGD_OPTION_HELP, SGD_OPTION_SPEC, outputHelp, sgdSettings } from "./sgd-options.js";

const HELP = `usage: lowrank complete FILE --rank k [options]

Fills in the missing entries of the matrix A in FILE: factorises A ≈ U Vᵀ by SGD over
the observed entries only (visited in row-major order each epoch, as sgdFactoriseMasked
does), then prints the loss over the observed entries, U, V and the completed matrix:
the observed entries as given, U Vᵀ in place of the missing ones.

FILE is CSV with a blank, NA or NaN cell for each missing entry (comma, tab, semicolon
or whitespace separated, an optional header row), or Matrix Market coordinate format,
whose listed entries are the observed ones; a .gz file is unzipped; - reads stdin.

A row or column with no observed entry is never updated by SGD: its completed values
are the random start, not an estimate. complete warns about such rows and columns.

options:
  -k, --rank k    rank of the factors, an integer in [1, min(m, n)] (required)
${SGD_OPTION_HELP}
  --fitted        the completed matrix is U Vᵀ everywhere, the observed entries too
${outputHelp("shape, rank, observed, loss, epochs, seed, lr, U, V, fitted, completed", "U.csv, V.csv and completed.csv")}

A run longer than a second shows its progress on stderr when that is a terminal.

example:
  lowrank complete ratings.csv -k 1 --epochs 3000 --lr 0.02 --seed 7`;

/** At most this many row or column numbers in a warning; the rest are counted. */
const LISTED = 5;

/** `row 4`, `rows 2, 4 and 7`, `rows 2, 4, 7, 8, 9 and 12 more`: 1-based. */
function numbered(what: string, indices: readonly number[]): string {
  const shown = indices.slice(0, LISTED).map((i) => String(i + 1));
  const more = indices.length - shown.length;
  const list = more > 0 ? `${shown.join(", ")} and ${more} more` : shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
  return `${what}${indices.length === 1 ? "" : "s"} ${list}`;
}

/** The warnings about rows and columns that no observed entry reaches (empty when there are none). */
function unobservedWarnings(empty: { rows: number[]; cols: number[] }): string[] {
  const warning = (what: string, indices: number[], factor: string, values: string): string => {
    const one = indices.length === 1;
    return `${numbered(what, indices)} ${one ? "has" : "have"} no observed entry: SGD never updates ${one ? "its row" : "their rows"} ` +
      `of ${factor}, so ${one ? "its" : "their"} completed values are ${values}, not estimates from the data`;
  };
  const warnings: string[] = [];
  if (empty.rows.length > 0) warnings.push(warning("row", empty.rows, "U", "the random start times V"));
  if (empty.cols.length > 0) warnings.push(warning("column", empty.cols, "V", "U times the random start"));
  return warnings;
}

/** The `complete` command. */
export const completeCommand: Command = {
  name: "complete",
  summary: "fill in the missing entries of A (blank/NA cells, or unlisted entries)",
  help: HELP,
  async run(argv, { print, warn }) {
    const line = parseCommandLine("complete", argv, { ...SGD_OPTION_SPEC, fitted: { type: "boolean" } });
    const file = fileArgument("complete", line.positionals);
    const settings = sgdSettings("complete", line);
    const fitted = line.values.fitted === true;
    if (settings.out !== undefined) await checkOutDir(settings.out);
    const input = await readMatrix(file, "complete", settings.csv);
    const entries = observedEntries(input);
    const result = await runWithProgress("complete", settings.options.epochs, {
      method: "sgdFactoriseSparse", entries, rank: settings.rank, options: settings.options,
    });
    // After the run: the library has refused a bad rank or option first, with its own message.
    for (const warning of unobservedWarnings(unobserved(entries))) warn(warning);
    const completed = (fit: Matrix): Matrix => (fitted ? fit : keepObserved(fit, entries));
    const { rows: m, cols: n } = input;
    const observed = entries.value.length;
    const whole = settings.json || settings.out !== undefined ? completed(reconstruct(result.U, result.V)) : undefined;
    const written = settings.out === undefined ? [] : await writeFiles(settings.out, csvFiles({ U: result.U, V: result.V, completed: whole! }));
    if (settings.json) {
      print(JSON.stringify({ command: "complete", file, ...factorJson(input, result), observed, fitted, completed: toArray(whole!) }));
      return;
    }
    // Rebuild only the part of Â the table shows: a recommender-sized Â need never exist.
    const shown = completed(reconstruct(
      leadingRows(result.U, shownCount(m, WHOLE_ROWS, HEAD_ROWS)),
      leadingRows(result.V, shownCount(n, WHOLE_COLS, HEAD_COLS)),
    ));
    const title = fitted ? "Â = UVᵀ, the fitted matrix" : "Â, the completed matrix: observed entries as given, UVᵀ in the gaps";
    const lines = [
      `complete: A ${m}×${n} from ${input.source}, ${observed} of ${m * n} entries observed, rank ${settings.rank}`,
      `loss over the ${observed} observed entries = ${formatNumber(result.loss)} ${runSummary(result)}`,
      "",
      factorTables(result),
      "",
      formatMatrix(title, shown, { rows: m, cols: n }),
    ];
    if (written.length > 0) lines.push("", writtenNote(written));
    print(lines.join("\n"));
  },
};
