// `lowrank svd FILE [--rank k] [--vectors none|thin|full] [--method exact|randomized]`:
// singular values, and vectors.
import { type Matrix, type SvdOptions, type SvdResult, matrix, svd, toArray } from "../index.js";
import { type OptionSpec, choiceOption, fileArgument, integerOption, parseCommandLine } from "./args.js";
import type { Command } from "./command.js";
import { denseMatrix } from "./entries.js";
import { csvOfVector, formatMatrix } from "./format.js";
import { OUT_OPTION_SPEC, checkOutDir, writeFiles } from "./out-dir.js";
import { RANDOMIZED_OPTION_HELP, RANDOMIZED_OPTION_SPEC, randomizedChoice, randomizedOptions } from "./randomized-options.js";
import { UsageError } from "./errors.js";
import { inCommandLineTerms } from "./library-terms.js";
import { INPUT_OPTION_HELP, INPUT_OPTION_SPEC, csvSettings, formatOf, openSource, readMatrix } from "./read.js";
import { streamedSvd } from "./stream.js";
import { csvFiles, writtenNote } from "./report.js";
import { outputHelp } from "./sgd-options.js";

const VECTORS = ["none", "thin", "full"] as const;

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
                  --rank, thin or no vectors), much faster when k is small. On a CSV file
                  it streams: each of its 2q + 3 passes (q power iterations) reads the
                  file again, and the matrix is never held whole (stdin and pipes are
                  read once into memory); on a Matrix Market coordinate file it works on
                  the listed entries and never densifies the matrix
${RANDOMIZED_OPTION_HELP}
${INPUT_OPTION_HELP}
${outputHelp("shape, method, seed, S, U, V", "S.csv (one value per line), U.csv and V.csv")}

example:
  lowrank svd data.csv -k 2
  lowrank svd big.csv -k 10 --method randomized --seed 1
  lowrank svd ratings.mtx -k 20 --method randomized -o factors/`;

const OPTIONS: OptionSpec = {
  rank: { type: "string", short: "k" },
  vectors: { type: "string" },
  ...RANDOMIZED_OPTION_SPEC,
  json: { type: "boolean" },
  ...OUT_OPTION_SPEC,
  ...INPUT_OPTION_SPEC,
  help: { type: "boolean", short: "h" },
};

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
    const choice = randomizedChoice("svd", line);
    const method = choice.method ?? "exact";
    if (method === "randomized" && k === undefined) throw new UsageError("svd --method randomized needs --rank k (or -k k)", "svd");
    if (method === "randomized" && vectors === "full") {
      throw new UsageError("--vectors full needs --method exact: --method randomized gives thin vectors or none", "svd");
    }
    const options: SvdOptions = { vectors, method, ...randomizedOptions(choice, method) };
    if (k !== undefined) options.k = k;
    const csv = csvSettings("svd", line);
    const out = line.values.out as string | undefined;
    if (out !== undefined) await checkOutDir(out);
    const source = await openSource(file);
    let result: SvdResult;
    let shape: { rows: number; cols: number };
    let from = source.name;
    let streamed = "";
    try {
      if (method === "randomized" && (await formatOf(source)) === "csv") {
        // Streamed: each pass reads the file again; the matrix is never held whole.
        const { seed, oversample, powerIterations } = options;
        const run = await streamedSvd(source, csv, { k: k!, vectors: vectors as "thin" | "none", seed, oversample, powerIterations }, "svd");
        ({ result } = run);
        shape = run;
        streamed = `, streamed in ${run.passes} passes over the file`;
      } else {
        const input = await readMatrix(source, "svd", csv);
        // A coordinate file's randomised SVD runs on its entries: the matrix is never densified.
        const A = input.kind === "coordinates" && method === "randomized" ? input : denseMatrix(input, "svd");
        shape = input;
        if (input.kind === "coordinates") from += ` (${input.value.length} ${input.value.length === 1 ? "entry" : "entries"} listed)`;
        result = svd(A, options);
      }
    } catch (error) {
      throw inCommandLineTerms(error);
    }
    const { U, S, V } = result;
    const factors: Record<string, Matrix> = U && V ? { U, V } : {};
    const written = out === undefined ? [] : await writeFiles(out, { "S.csv": csvOfVector(S), ...csvFiles(factors) });
    if (line.values.json === true) {
      const shapes: Record<string, number[]> = { A: [shape.rows, shape.cols] };
      if (U && V) Object.assign(shapes, { U: [U.rows, U.cols], V: [V.rows, V.cols] });
      const json: Record<string, unknown> = { command: "svd", file, shape: shapes, method };
      if (method === "randomized") json.seed = options.seed;
      json.S = Array.from(S);
      if (U && V) Object.assign(json, { U: toArray(U), V: toArray(V) });
      print(JSON.stringify(json));
      return;
    }
    const values = S.length === 1 ? "1 singular value" : `${S.length} singular values`;
    const randomized = method === "randomized" ? `, randomized (seed ${options.seed})` : "";
    const lines = [
      `svd: A ${shape.rows}×${shape.cols} from ${from}, ${values}${U ? `, ${vectors} vectors` : ""}${randomized}${streamed}`,
      "",
      formatMatrix("S", matrix(S.length, 1, S), { rows: S.length, cols: 1 }, values),
    ];
    if (U && V) lines.push("", formatMatrix("U", U), "", formatMatrix("V", V));
    if (written.length > 0) lines.push("", writtenNote(written));
    print(lines.join("\n"));
  },
};
