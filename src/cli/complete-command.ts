// `lowrank complete FILE --rank k`: matrix completion by SGD over the observed entries, then
// the completed matrix Â = UVᵀ.
import { reconstruct, sgdFactoriseSparse, toArray } from "../index.js";
import { fileArgument, parseCommandLine } from "./args.js";
import type { Command } from "./command.js";
import { observedEntries } from "./entries.js";
import { HEAD_COLS, HEAD_ROWS, WHOLE_COLS, WHOLE_ROWS, formatMatrix, formatNumber, leadingRows, shownCount } from "./format.js";
import { writeFiles } from "./out-dir.js";
import { withProgress } from "./progress.js";
import { readMatrix } from "./read.js";
import { csvFiles, factorJson, factorTables, runSummary, writtenNote } from "./report.js";
import { SGD_OPTION_HELP, SGD_OPTION_SPEC, sgdSettings } from "./sgd-options.js";

const HELP = `usage: lowrank complete FILE --rank k [options]

Fills in the missing entries of the matrix A in FILE: factorises A ≈ U Vᵀ by SGD over
the observed entries only (visited in row-major order each epoch, as sgdFactoriseMasked
does), then prints the loss over the observed entries, U, V and the completed matrix
Â = U Vᵀ.

FILE is CSV with a blank or NA cell for each missing entry, or Matrix Market coordinate
format, whose listed entries are the observed ones; - reads stdin.

options:
  --rank k      rank of the factors, an integer in [1, min(m, n)] (required)
${SGD_OPTION_HELP}
  --json        print one JSON object (shape, rank, observed, loss, epochs, seed, U, V,
                completed) instead of tables
  --out DIR     also write U.csv, V.csv and completed.csv (Â) to DIR, every digit kept
  -h, --help    this text

A run longer than a second shows its progress on stderr when that is a terminal.

example:
  lowrank complete ratings.csv --rank 1 --epochs 3000 --lr 0.02 --seed 7`;

/** The `complete` command. */
export const completeCommand: Command = {
  name: "complete",
  summary: "fill in the missing entries of A (blank/NA cells, or unlisted entries)",
  help: HELP,
  async run(argv, print) {
    const line = parseCommandLine("complete", argv, SGD_OPTION_SPEC);
    const file = fileArgument("complete", line.positionals);
    const settings = sgdSettings("complete", line);
    const input = await readMatrix(file);
    const entries = observedEntries(input);
    const result = withProgress("complete", settings.options.epochs, (onEpoch) =>
      sgdFactoriseSparse(entries, settings.rank, { ...settings.options, onEpoch }));
    const { rows: m, cols: n } = input;
    const observed = entries.value.length;
    const whole = settings.json || settings.out !== undefined ? reconstruct(result.U, result.V) : undefined;
    const written = settings.out === undefined ? [] : await writeFiles(settings.out, csvFiles({ U: result.U, V: result.V, completed: whole! }));
    if (settings.json) {
      print(JSON.stringify({ command: "complete", file, ...factorJson(input, result), observed, completed: toArray(whole!) }));
      return;
    }
    // Rebuild only the part of Â the table shows: a recommender-sized Â need never exist.
    const shown = reconstruct(
      leadingRows(result.U, shownCount(m, WHOLE_ROWS, HEAD_ROWS)),
      leadingRows(result.V, shownCount(n, WHOLE_COLS, HEAD_COLS)),
    );
    const lines = [
      `complete: A ${m}×${n} from ${input.source}, ${observed} of ${m * n} entries observed, rank ${settings.rank}`,
      `loss over the ${observed} observed entries = ${formatNumber(result.loss)} ${runSummary(result)}`,
      "",
      factorTables(result),
      "",
      formatMatrix("Â = UVᵀ, the completed matrix", shown, { rows: m, cols: n }),
    ];
    if (written.length > 0) lines.push("", writtenNote(written));
    print(lines.join("\n"));
  },
};
