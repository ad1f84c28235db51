// The options `sgd` and `complete` share: rank, the SGD settings, the CSV reading options and
// the output switches.
import type { SparseSgdOptions } from "../index.js";
import { type CommandLine, type OptionSpec, integerOption, numberOption } from "./args.js";
import { UsageError } from "./errors.js";
import { OUT_OPTION_HELP, OUT_OPTION_SPEC } from "./out-dir.js";
import { type CsvSettings, INPUT_OPTION_HELP, INPUT_OPTION_SPEC, csvSettings } from "./read.js";

/** Epochs when --epochs is not given: the library's default, named here because the progress bar needs the total. */
export const DEFAULT_EPOCHS = 1000;

/** The options both SGD commands accept, in parseArgs' form. */
export const SGD_OPTION_SPEC: OptionSpec = {
  rank: { type: "string", short: "k" },
  epochs: { type: "string" },
  lr: { type: "string" },
  seed: { type: "string" },
  lambda: { type: "string" },
  tol: { type: "string" },
  shuffle: { type: "boolean" },
  json: { type: "boolean" },
  ...OUT_OPTION_SPEC,
  ...INPUT_OPTION_SPEC,
  help: { type: "boolean", short: "h" },
};

/** The --help lines of the options in {@link SGD_OPTION_SPEC}, after `--rank`. */
export const SGD_OPTION_HELP = `  --epochs n      passes over the entries (default ${DEFAULT_EPOCHS})
  --lr x|auto     learning rate, > 0, or auto: chosen from the data's scale and shape
                  (the default; on the lab's matrix it is the lab's 0.01)
  --seed n        seed of the uniform[0,1) start (and of --shuffle), an integer in
                  [0, 2^53); the same seed gives the same result (default: a fresh
                  random seed, which is printed)
  --lambda x      L2 regularisation weight, ≥ 0 (default 0)
  --tol x         stop once an epoch improves the loss by less than x (default 0: run
                  every epoch)
  --shuffle       visit the entries in one seeded random order instead of row by row
${INPUT_OPTION_HELP}`;

/** Width of the --help text. */
const HELP_WIDTH = 88;

/** `text` as --help lines: the first after the flag column, the rest indented under it, none wider than {@link HELP_WIDTH}. */
function helpLines(text: string): string {
  const indent = " ".repeat(18);
  const lines = [""];
  for (const word of text.split(" ")) {
    const line = lines[lines.length - 1];
    if (line !== "" && 2 + 16 + line.length + 1 + word.length > HELP_WIDTH) lines.push(word);
    else lines[lines.length - 1] = line === "" ? word : `${line} ${word}`;
  }
  return lines.join(`\n${indent}`);
}

/** The --help lines of --json, --out and --help, after the command's own. */
export function outputHelp(json: string, files: string): string {
  return `  --json          ${helpLines(`print one JSON object (${json}) instead of tables`)}
  -o, --out DIR   ${helpLines(OUT_OPTION_HELP(files))}
  -h, --help      this text`;
}

/** What an SGD command was asked for. */
export interface SgdSettings {
  rank: number;
  /** The library options (without onEpoch); epochs always set, shuffle only when asked. */
  options: SparseSgdOptions & { epochs: number };
  csv: CsvSettings;
  json: boolean;
  /** --out DIR, when given. */
  out: string | undefined;
}

/**
 * Reads the shared SGD options. Values must be well-formed numbers; their ranges are checked
 * by the library, whose FactorisationError says what was expected.
 * @throws UsageError when --rank is missing or a value is not a number.
 */
export function sgdSettings(command: string, line: CommandLine): SgdSettings {
  const rank = integerOption(command, line, "rank");
  if (rank === undefined) throw new UsageError(`${command} needs --rank k (or -k k)`, command);
  const options: SgdSettings["options"] = { epochs: integerOption(command, line, "epochs") ?? DEFAULT_EPOCHS };
  const seed = integerOption(command, line, "seed");
  if (seed !== undefined) options.seed = seed;
  // lr defaults to "auto" on the command line: files bring 0–255 pixels or 1–5 ratings, on
  // which the library's default 0.01 diverges; on the lab's matrix auto is 0.01.
  options.lr = line.values.lr === "auto" ? "auto" : numberOption(command, line, "lr") ?? "auto";
  for (const name of ["lambda", "tol"] as const) {
    const value = numberOption(command, line, name);
    if (value !== undefined) options[name] = value;
  }
  if (line.values.shuffle === true) options.shuffle = true;
  return { rank, options, csv: csvSettings(command, line), json: line.values.json === true, out: line.values.out as string | undefined };
}
