// `lowrank sgd FILE --rank k`: A ≈ UVᵀ by SGD over every entry of a complete matrix.
import { sgdFactorise } from "../index.js";
import { fileArgument, parseCommandLine } from "./args.js";
import type { Command } from "./command.js";
import { denseMatrix } from "./entries.js";
import { formatNumber } from "./format.js";
import { writeFiles } from "./out-dir.js";
import { withProgress } from "./progress.js";
import { readMatrix } from "./read.js";
import { csvFiles, factorJson, factorTables, runSummary, writtenNote } from "./report.js";
import { SGD_OPTION_HELP, SGD_OPTION_SPEC, sgdSettings } from "./sgd-options.js";

const HELP = `usage: lowrank sgd FILE --rank k [options]

Factorises the matrix A in FILE as A ≈ U Vᵀ (U m×k, V n×k) by stochastic gradient
descent: each epoch visits every entry in row-major order. Prints the loss ‖A − UVᵀ‖²_F,
U and V.

FILE is CSV (one row per line, every cell a number) or Matrix Market coordinate format
(entries it does not list are 0); - reads stdin. For a CSV with blank or NA cells, use
'lowrank complete'.

options:
  --rank k      rank of the factors, an integer in [1, min(m, n)] (required)
${SGD_OPTION_HELP}
  --json        print one JSON object (shape, rank, loss, epochs, seed, U, V) instead of tables
  --out DIR     also write U.csv and V.csv to DIR, every digit kept
  -h, --help    this text

A run longer than a second shows its progress on stderr when that is a terminal.

example:
  lowrank sgd ratings.csv --rank 2 --epochs 5000 --seed 1`;

/** The `sgd` command. */
export const sgdCommand: Command = {
  name: "sgd",
  summary: "factorise a complete matrix A ≈ UVᵀ by SGD",
  help: HELP,
  async run(argv, print) {
    const line = parseCommandLine("sgd", argv, SGD_OPTION_SPEC);
    const file = fileArgument("sgd", line.positionals);
    const settings = sgdSettings("sgd", line);
    const input = await readMatrix(file);
    const A = denseMatrix(input, "sgd");
    const result = withProgress("sgd", settings.options.epochs, (onEpoch) => sgdFactorise(A, settings.rank, { ...settings.options, onEpoch }));
    const written = settings.out === undefined ? [] : await writeFiles(settings.out, csvFiles({ U: result.U, V: result.V }));
    if (settings.json) {
      print(JSON.stringify({ command: "sgd", file, ...factorJson(A, result) }));
      return;
    }
    const lines = [
      `sgd: A ${A.rows}×${A.cols} from ${input.source}, rank ${settings.rank}`,
      `loss ‖A − UVᵀ‖²_F = ${formatNumber(result.loss)} ${runSummary(result)}`,
      "",
      factorTables(result),
    ];
    if (written.length > 0) lines.push("", writtenNote(written));
    print(lines.join("\n"));
  },
};
