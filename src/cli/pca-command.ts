// `lowrank pca FILE [--rank k] [--center|--no-center] [--scale] [--method exact|randomized]`:
// principal components, their explained variance, and (with --json or --out) the scores. A
// Matrix Market coordinate file goes to the library's sparse PCA, which centres inside the
// products and never densifies the matrix.
import { type PcaOptions, type PcaResult, matrix, pca, toArray } from "../index.js";
import { type OptionSpec, fileArgument, integerOption, parseCommandLine } from "./args.js";
import type { Command } from "./command.js";
import { denseMatrix } from "./entries.js";
import { UsageError } from "./errors.js";
import { csvOfMatrix, csvOfVector, formatMatrix } from "./format.js";
import { inCommandLineTerms } from "./library-terms.js";
import { OUT_OPTION_SPEC, checkOutDir, writeFiles } from "./out-dir.js";
import { RANDOMIZED_OPTION_HELP, RANDOMIZED_OPTION_SPEC, randomizedChoice, randomizedOptions } from "./randomized-options.js";
import { INPUT_OPTION_HELP, INPUT_OPTION_SPEC, csvSettings, openSource, readMatrix } from "./read.js";
import { writtenNote } from "./report.js";
import { outputHelp } from "./sgd-options.js";

const HELP = `usage: lowrank pca FILE [--rank k] [options]

Principal component analysis of the data in FILE, one sample a row and one feature a
column: each column is centred on its mean (and with --scale divided by its standard
deviation), then the SVD of that matrix gives the principal axes. Prints each component's
explained variance (σ²/(m − 1), as numpy and scikit-learn) and its share of the total,
and a table with one row per feature: its mean and its weight in each component.
--json and --out also give the scores, the samples in the components' coordinates.

FILE is CSV (comma, tab, semicolon or whitespace separated, an optional header row;
every cell a number) or Matrix Market: an array, or a coordinate file, whose unlisted
entries are 0 and which is never densified (the centring happens inside the products of
the randomized method); a .gz file is unzipped; - reads stdin.

options:
  -k, --rank k    components to keep, an integer in [1, min(m, n)] (default min(m, n);
                  needed with --method randomized)
  --center        subtract each column's mean (the default)
  --no-center     analyse the data as it is (what scikit-learn's TruncatedSVD does)
  --scale         also divide each column by its standard deviation: PCA of the
                  correlation matrix, for features measured in different units
  --method m      exact: the SVD of the centred matrix, LAPACK-accurate (the default for
                  CSV and Matrix Market array files); randomized: Halko, Martinsson &
                  Tropp for the top k of large data (the default for coordinate files;
                  --method exact densifies them)
${RANDOMIZED_OPTION_HELP}
${INPUT_OPTION_HELP}
${outputHelp("shape, method, seed, center, scaled, explainedVariance, explainedVarianceRatio, singularValues, mean, scale, components, scores",
  "components.csv (n×k), scores.csv (m×k), mean.csv, explained_variance.csv, explained_variance_ratio.csv, and scale.csv with --scale")}

example:
  lowrank pca measurements.csv -k 2 --scale
  lowrank pca terms.mtx -k 10 --seed 1 -o pca/`;

const OPTIONS: OptionSpec = {
  rank: { type: "string", short: "k" },
  center: { type: "boolean" },
  "no-center": { type: "boolean" },
  scale: { type: "boolean" },
  ...RANDOMIZED_OPTION_SPEC,
  json: { type: "boolean" },
  ...OUT_OPTION_SPEC,
  ...INPUT_OPTION_SPEC,
  help: { type: "boolean", short: "h" },
};

/** `centred`, `centred and scaled`, `not centred`: what was done to the columns. */
function columnsDone(options: PcaOptions): string {
  if (!options.center) return "not centred";
  return options.scale ? "centred and scaled" : "centred";
}

/** The report's tables: the explained variance, then one row per feature (mean, scale, components). */
function tables(p: PcaResult, options: PcaOptions): string[] {
  const k = p.explainedVariance.length;
  const n = p.mean.length;
  const variance = matrix(k, 3);
  let cumulative = 0;
  for (let i = 0; i < k; i++) {
    cumulative += p.explainedVarianceRatio[i];
    variance.data.set([p.explainedVariance[i], p.explainedVarianceRatio[i], cumulative], i * 3);
  }
  const components = k === 1 ? "1 component" : `${k} components`;
  // Features as rows: the mean (and the scale) beside each component's weights.
  const statistics = options.scale ? [p.mean, p.scale] : [p.mean];
  const width = statistics.length + k;
  const features = matrix(n, width);
  for (let j = 0; j < n; j++) {
    statistics.forEach((column, c) => { features.data[j * width + c] = column[j]; });
    features.data.set(p.components.data.subarray(j * k, (j + 1) * k), j * width + statistics.length);
  }
  const headers = [...(options.scale ? ["mean", "scale"] : ["mean"]), ...Array.from({ length: k }, (_, i) => `PC${i + 1}`)];
  return [
    formatMatrix("explained variance", variance, variance, components, ["variance", "ratio", "cumulative"]),
    "",
    formatMatrix("features: mean" + (options.scale ? ", scale" : "") + " and components", features, features,
      `${n} feature${n === 1 ? "" : "s"} × ${components}`, headers),
  ];
}

/** The `pca` command. */
export const pcaCommand: Command = {
  name: "pca",
  summary: "principal components: explained variance, components, scores",
  help: HELP,
  async run(argv, { print }) {
    const line = parseCommandLine("pca", argv, OPTIONS);
    const file = fileArgument("pca", line.positionals);
    const k = integerOption("pca", line, "rank");
    const choice = randomizedChoice("pca", line);
    const asked = choice.method;
    if (asked === "randomized" && k === undefined) throw new UsageError("pca --method randomized needs --rank k (or -k k)", "pca");
    if (line.values.center === true && line.values["no-center"] === true) throw new UsageError("--center and --no-center contradict each other", "pca");
    const options: PcaOptions = { center: line.values["no-center"] !== true, scale: line.values.scale === true };
    if (k !== undefined) options.k = k;
    const csv = csvSettings("pca", line);
    const out = line.values.out as string | undefined;
    if (out !== undefined) await checkOutDir(out);
    const input = await readMatrix(await openSource(file), "pca", csv);
    // The library's defaults: exact for dense input, randomized for a coordinate list.
    const method = asked ?? (input.kind === "coordinates" ? "randomized" : "exact");
    if (method === "randomized" && k === undefined) {
      throw new UsageError(`pca of a Matrix Market coordinate file is randomized and needs --rank k (or -k k); --method exact densifies it instead`, "pca");
    }
    Object.assign(options, { method, ...randomizedOptions(choice, method) });
    // The randomized method takes the coordinates as they are (never densified); exact needs every entry.
    const X = input.kind === "coordinates" && method === "randomized" ? input : denseMatrix(input, "pca");
    let p: PcaResult;
    try {
      p = pca(X, options);
    } catch (error) {
      throw inCommandLineTerms(error);
    }
    const { rows: m, cols: n } = input;
    const files: Record<string, string> = {
      "components.csv": csvOfMatrix(p.components),
      "scores.csv": csvOfMatrix(p.scores),
      "mean.csv": csvOfVector(p.mean),
      "explained_variance.csv": csvOfVector(p.explainedVariance),
      "explained_variance_ratio.csv": csvOfVector(p.explainedVarianceRatio),
    };
    if (options.scale) files["scale.csv"] = csvOfVector(p.scale);
    const written = out === undefined ? [] : await writeFiles(out, files);
    if (line.values.json === true) {
      const json: Record<string, unknown> = {
        command: "pca", file,
        shape: { X: [m, n], components: [p.components.rows, p.components.cols], scores: [p.scores.rows, p.scores.cols] },
        method,
      };
      if (method === "randomized") json.seed = options.seed;
      Object.assign(json, {
        center: options.center,
        scaled: options.scale,
        explainedVariance: Array.from(p.explainedVariance),
        explainedVarianceRatio: Array.from(p.explainedVarianceRatio),
        singularValues: Array.from(p.singularValues),
        mean: Array.from(p.mean),
      });
      if (options.scale) json.scale = Array.from(p.scale);
      Object.assign(json, { components: toArray(p.components), scores: toArray(p.scores) });
      print(JSON.stringify(json));
      return;
    }
    const randomized = method === "randomized" ? `randomized (seed ${options.seed})` : "exact";
    const listed = input.kind === "coordinates" ? ` (${input.value.length} ${input.value.length === 1 ? "entry" : "entries"} listed)` : "";
    const lines = [
      `pca: X ${m}×${n} (samples × features) from ${input.source}${listed}, ${p.components.cols} component${p.components.cols === 1 ? "" : "s"}, ` +
        `${columnsDone(options)}, ${randomized}`,
      "",
      ...tables(p, options),
    ];
    if (written.length > 0) lines.push("", writtenNote(written));
    print(lines.join("\n"));
  },
};
