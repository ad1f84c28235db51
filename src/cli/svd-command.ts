// `lowrank svd FILE [--rank k] [--vectors none|thin|full]`: singular values, and vectors.
import { FactorisationError, type Matrix, matrix, svd, toArray } from "../index.js";
import { choiceOption, fileArgument, integerOption, parseCommandLine } from "./args.js";
import type { Command } from "./command.js";
import { denseMatrix } from "./entries.js";
import { csvOfVector, formatMatrix } from "./format.js";
import { writeFiles } from "./out-dir.js";
import { readMatrix } from "./read.js";
import { csvFiles, writtenNote } from "./report.js";

const VECTORS = ["none", "thin", "full"] as const;

const HELP = `usage: lowrank svd FILE [--rank k] [--vectors none|thin|full] [options]

The singular value decomposition A = U diag(S) Vᵀ of the matrix A in FILE: the singular
values S, descending, and the singular vectors as the columns of U and V.

FILE is CSV (one row per line, every cell a number) or Matrix Market coordinate format
(entries it does not list are 0); - reads stdin.

options:
  --rank k      keep the k largest singular values (and their vectors), an integer in
                [1, min(m, n)] (default min(m, n): all of them)
  --vectors v   thin: U m×k and V n×k (default); full: U m×m and V n×n, complete bases
                (needs every singular value, so no --rank below min(m, n)); none: the
                singular values only (much faster)
  --json        print one JSON object (shape, S, U, V) instead of tables
  --out DIR     also write S.csv (one value per line), U.csv and V.csv to DIR, every
                digit kept
  -h, --help    this text

example:
  lowrank svd data.csv --rank 2`;

const OPTIONS = {
  rank: { type: "string" },
  vectors: { type: "string" },
  json: { type: "boolean" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The library names the rank `k`; on the command line it is --rank, as in sgd's messages. */
function inCommandLineTerms(error: unknown): unknown {
  if (error instanceof FactorisationError && (error.code === "RANK" || error.code === "OPTION")) {
    return new FactorisationError(error.code, error.message.replace(/\bk\b/g, "rank").replace(/vectors '(\w+)'/g, "--vectors $1"));
  }
  return error;
}

/** The `svd` command. */
export const svdCommand: Command = {
  name: "svd",
  summary: "singular values and vectors of A",
  help: HELP,
  async run(argv, print) {
    const line = parseCommandLine("svd", argv, OPTIONS);
    const file = fileArgument("svd", line.positionals);
    const k = integerOption("svd", line, "rank");
    const vectors = choiceOption("svd", line, "vectors", VECTORS) ?? "thin";
    const input = await readMatrix(file);
    const A = denseMatrix(input, "svd");
    let result: { U?: Matrix; S: Float64Array; V?: Matrix };
    try {
      result = svd(A, k === undefined ? { vectors } : { k, vectors });
    } catch (error) {
      throw inCommandLineTerms(error);
    }
    const { U, S, V } = result;
    const factors: Record<string, Matrix> = U && V ? { U, V } : {};
    const out = line.values.out as string | undefined;
    const written = out === undefined ? [] : await writeFiles(out, { "S.csv": csvOfVector(S), ...csvFiles(factors) });
    if (line.values.json === true) {
      const shape: Record<string, number[]> = { A: [A.rows, A.cols] };
      if (U && V) Object.assign(shape, { U: [U.rows, U.cols], V: [V.rows, V.cols] });
      const json: Record<string, unknown> = { command: "svd", file, shape, S: Array.from(S) };
      if (U && V) Object.assign(json, { U: toArray(U), V: toArray(V) });
      print(JSON.stringify(json));
      return;
    }
    const values = S.length === 1 ? "1 singular value" : `${S.length} singular values`;
    const lines = [
      `svd: A ${A.rows}×${A.cols} from ${input.source}, ${values}${U ? `, ${vectors} vectors` : ""}`,
      "",
      formatMatrix("S", matrix(S.length, 1, S), { rows: S.length, cols: 1 }, values),
    ];
    if (U && V) lines.push("", formatMatrix("U", U), "", formatMatrix("V", V));
    if (written.length > 0) lines.push("", writtenNote(written));
    print(lines.join("\n"));
  },
};
