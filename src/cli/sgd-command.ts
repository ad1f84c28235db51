// `lowrank sgd FILE --rank k`: A ≈ UVᵀ by SGD over every entry of a complete matrix.
import { fileArgument, parseCommandLine } from "./args.js";
import type { Command } from "./command.js";
import { denseMatrix, everyEntry } from "./entries.js";
import { formatNumber } from "./format.js";
import { checkOutDir, writeFiles } from "./out-dir.js";
import { readMatrix } from "./read.js";
import { csvFiles, factorJson, factorTables, runSummary, writtenNote } from "./report.js";
import { type SgdJob, runWithProgress } from "./sgd-run.js";
import { SGD_OPTION_HELP, SGD_OPTION_SPEC, outputHelp, sgdSettings } from "./sgd-options.js";

const HELP = `usage: lowrank sgd FILE --rank k [options]

Factorises the matrix A in FILE as A ≈ U Vᵀ (U m×k, V n×k) by stochastic gradient
descent: each epoch visits every entry in row-major order (in one seeded random order
with --shuffle). Prints the loss ‖A − UVᵀ‖²_F, U and V.

FILE is CSV (comma, tab, semicolon or whitespace separated, an optional header row;
every cell a number) or Matrix Market (array, or coordinate, whose unlisted entries are
0); a .gz file is unzipped; - reads stdin. For a file with missing entries, use
'lowrank complete'.

options:
  -k, --rank k    rank of the factors, an integer in [1, min(m, n)] (required)
${SGD_OPTION_HELP}
${outputHelp("shape, rank, loss, epochs, seed, lr, U, V", "U.csv and V.csv")}

A run longer than a second shows its progress on stderr when that is a terminal.

example:
  lowrank sgd ratings.csv -k 2 --epochs 5000 --seed 1`;

/** The `sgd` command. */
export const sgdCommand: Command = {
  name: "sgd",
  summary: "factorise a complete matrix A ≈ UVᵀ by SGD",
  help: HELP,
  async run(argv, { print }) {
    const line = parseCommandLine("sgd", argv, SGD_OPTION_SPEC);
    const file = fileArgument("sgd", line.positionals);
    const settings = sgdSettings("sgd", line);
    if (settings.out !== undefined) await checkOutDir(settings.out);
    const input = await readMatrix(file, "sgd", settings.csv);
    const A = denseMatrix(input, "sgd");
    // --shuffle is sgdFactoriseSparse's option: the same SGD over every entry, in a shuffled order.
    const job: SgdJob = settings.options.shuffle
      ? { method: "sgdFactoriseSparse", entries: everyEntry(A), rank: settings.rank, options: settings.options }
      : { method: "sgdFactorise", A, rank: settings.rank, options: settings.options };
    const result = await runWithProgress("sgd", settings.options.epochs, job);
    const written = settings.out === undefined ? [] : await writeFiles(settings.out, csvFiles({ U: result.U, V: result.V }));
    if (settings.json) {
      print(JSON.stringify({ command: "sgd", file, ...factorJson(A, result) }));
      return;
    }
    const lines = [
      `sgd: A ${A.rows}×${A.cols} from ${input.source}, rank ${settings.rank}${settings.options.shuffle ? ", shuffled" : ""}`,
      `loss ‖A − UVᵀ‖²_F = ${formatNumber(result.loss)} ${runSummary(result)}`,
      "",
      factorTables(result),
    ];
    if (written.length > 0) lines.push("", writtenNote(written));
    print(lines.join("\n"));
  },
};
