// `lowrank svd FILE [--rank k] [--vectors none|thin|full] [--method exact|randomized]`:
// singular values, and vectors.
import { FactorisationError, type Matrix, type SvdOptions, matrix, svd, toArray } from "../index.js";
import { seedOption } from "../options.js";
import { type OptionSpec, choiceOption, fileArgument, integerOption, parseCommandLine } from "./args.js";
import type { Command } from "./command.js";
import { denseMatrix } from "./entries.js";
import { csvOfVector, formatMatrix } from "./format.js";
import { OUT_OPTION_SPEC, checkOutDir, writeFiles } from "./out-dir.js";
import { INPUT_OPTION_HELP, INPUT_OPTION_SPEC, csvSettings, readMatrix } from "./read.js";
import { csvFiles, writtenNote } from "./report.js";
import { outputHelp } from "./sgd-options.js";

const VECTORS = ["none", "thin", "full"] as const;
const METHODS = ["exact", "randomized"] as const;

const HELP = `usage: lowrank svd FILE [--rank k] [--vectors none|thin|full] [options]

The singular value decomposition A = U diag(S) Vᵀ of the matrix A in FILE: the singular
values S, descending, and the singular vectors as the columns of U and V.

FILE is CSV (comma, tab, semicolon or whitespace separated, an optional header row;
every cell a number) or Matrix Market (array, or coordinate, whose unlisted entries are
0); a .gz file is unzipped; - reads stdin.

options:
  -k, --rank k    keep the k largest singular values (and their vectors), an integer in
                  [1, min(m, n)] (default min(m, n): all of them)
  --vectors v     thin: U m×k and V n×k (default); full: U m×m and V n×n, complete bases
                  (needs every singular value, so no --rank below min(m, n)); none: the
                  singular values only (much faster)
  --method m      exact (default): LAPACK-accurate; randomized: the randomised SVD
                  of Halko, Martinsson & Tropp for the top k of a large matrix (needs
                  --rank, thin or no vectors), much faster when k is small
  --seed n        randomized: seed of the random test matrix, an integer in [0, 2^53)
                  (default: a fresh random seed, which is printed)
  --oversample p  randomized: extra samples beyond k (default 10)
  --power-iterations q
                  randomized: power iterations, more for a slowly decaying spectrum
                  (default 2)
${INPUT_OPTION_HELP}
${outputHelp("shape, method, seed, S, U, V", "S.csv (one value per line), U.csv and V.csv")}

example:
  lowrank svd data.csv -k 2
  lowrank svd big.csv -k 10 --method randomized --seed 1`;

const OPTIONS: OptionSpec = {
  rank: { type: "string", short: "k" },
  vectors: { type: "string" },
  method: { type: "string" },
  seed: { type: "string" },
  oversample: { type: "string" },
  "power-iterations": { type: "string" },
  json: { type: "boolean" },
  ...OUT_OPTION_SPEC,
  ...INPUT_OPTION_SPEC,
  help: { type: "boolean", short: "h" },
};

/** The library's words for svd's options, and the command line's. */
const IN_COMMAND_LINE_TERMS: [RegExp, string][] = [
  [/\bk\b/g, "rank"],
  [/vectors '(\w+)'/g, "--vectors $1"],
  [/method '(\w+)'/g, "--method $1"],
  [/\bpowerIterations\b/g, "--power-iterations"],
  [/\b(?<!-)(seed|oversample)\b/g, "--$1"],
];

/** A RANK or OPTION error of the library, reworded in terms of the command line (`--rank`, `--power-iterations`). */
function inCommandLineTerms(error: unknown): unknown {
  if (error instanceof FactorisationError && (error.code === "RANK" || error.code === "OPTION")) {
    const message = IN_COMMAND_LINE_TERMS.reduce((text, [from, to]) => text.replace(from, to), error.message);
    return new FactorisationError(error.code, message);
  }
  return error;
}

/** The `svd` command. */
export const svdCommand: Command = {
  name: "svd",
  summary: "singular values and vectors of A",
  help: HELP,
  async run(argv, { print }) {
    const line = parseCommandLine("svd", argv, OPTIONS);
    const file = fileArgument("svd", line.positionals);
    const k = integerOption("svd", line, "rank");
    const vectors = choiceOption("svd", line, "vectors", VECTORS) ?? "thin";
    const method = choiceOption("svd", line, "method", METHODS) ?? "exact";
    const options: SvdOptions = { vectors, method };
    if (k !== undefined) options.k = k;
    const seed = integerOption("svd", line, "seed");
    const oversample = integerOption("svd", line, "oversample");
    const powerIterations = integerOption("svd", line, "power-iterations");
    if (seed !== undefined || method === "randomized") options.seed = seed ?? seedOption(undefined); // drawn here, so the report can say how to repeat the run
    if (oversample !== undefined) options.oversample = oversample;
    if (powerIterations !== undefined) options.powerIterations = powerIterations;
    const out = line.values.out as string | undefined;
    if (out !== undefined) await checkOutDir(out);
    const input = await readMatrix(file, "svd", csvSettings("svd", line));
    const A = denseMatrix(input, "svd");
    let result: { U?: Matrix; S: Float64Array; V?: Matrix };
    try {
      result = svd(A, options);
    } catch (error) {
      throw inCommandLineTerms(error);
    }
    const { U, S, V } = result;
    const factors: Record<string, Matrix> = U && V ? { U, V } : {};
    const written = out === undefined ? [] : await writeFiles(out, { "S.csv": csvOfVector(S), ...csvFiles(factors) });
    if (line.values.json === true) {
      const shape: Record<string, number[]> = { A: [A.rows, A.cols] };
      if (U && V) Object.assign(shape, { U: [U.rows, U.cols], V: [V.rows, V.cols] });
      const json: Record<string, unknown> = { command: "svd", file, shape, method };
      if (method === "randomized") json.seed = options.seed;
      json.S = Array.from(S);
      if (U && V) Object.assign(json, { U: toArray(U), V: toArray(V) });
      print(JSON.stringify(json));
      return;
    }
    const values = S.length === 1 ? "1 singular value" : `${S.length} singular values`;
    const how = method === "randomized" ? `, randomized (seed ${options.seed})` : "";
    const lines = [
      `svd: A ${A.rows}×${A.cols} from ${input.source}, ${values}${U ? `, ${vectors} vectors` : ""}${how}`,
      "",
      formatMatrix("S", matrix(S.length, 1, S), { rows: S.length, cols: 1 }, values),
    ];
    if (U && V) lines.push("", formatMatrix("U", U), "", formatMatrix("V", V));
    if (written.length > 0) lines.push("", writtenNote(written));
    print(lines.join("\n"));
  },
};
