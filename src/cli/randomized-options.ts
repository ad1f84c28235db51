// The options of the randomised method that `svd` and `pca` share: --method, --seed,
// --oversample, --power-iterations.
import { seedOption } from "../options.js";
import { type CommandLine, type OptionSpec, choiceOption, integerOption } from "./args.js";

/** The methods both commands offer. */
export const METHODS = ["exact", "randomized"] as const;

/** The options in parseArgs' form. */
export const RANDOMIZED_OPTION_SPEC: OptionSpec = {
  method: { type: "string" },
  seed: { type: "string" },
  oversample: { type: "string" },
  "power-iterations": { type: "string" },
};

/** The --help lines of --seed, --oversample and --power-iterations. */
export const RANDOMIZED_OPTION_HELP = `  --seed n        randomized: seed of the random test matrix, an integer in [0, 2^53)
                  (default: a fresh random seed, which is printed)
  --oversample p  randomized: extra samples beyond k (default 10)
  --power-iterations q
                  randomized: power iterations, more for a slowly decaying spectrum
                  (default 2)`;

/** What was asked of the randomised method; the ranges are the library's to check. */
export interface RandomizedChoice {
  /** --method, when given. */
  method: (typeof METHODS)[number] | undefined;
  seed: number | undefined;
  oversample: number | undefined;
  powerIterations: number | undefined;
}

/** Reads --method, --seed, --oversample and --power-iterations. @throws UsageError for a value that is not a whole number or a method. */
export function randomizedChoice(command: string, line: CommandLine): RandomizedChoice {
  return {
    method: choiceOption(command, line, "method", METHODS),
    seed: integerOption(command, line, "seed"),
    oversample: integerOption(command, line, "oversample"),
    powerIterations: integerOption(command, line, "power-iterations"),
  };
}

/**
 * The library options of a run by `method`: seed, oversample and powerIterations where given;
 * a randomized run always gets a seed (drawn here when none was given, so the report can say
 * how to repeat the run). An exact run keeps a given seed, for the library to refuse.
 */
export function randomizedOptions(choice: RandomizedChoice, method: string): { seed?: number; oversample?: number; powerIterations?: number } {
  const options: { seed?: number; oversample?: number; powerIterations?: number } = {};
  if (choice.seed !== undefined || method === "randomized") options.seed = choice.seed ?? seedOption(undefined);
  if (choice.oversample !== undefined) options.oversample = choice.oversample;
  if (choice.powerIterations !== undefined) options.powerIterations = choice.powerIterations;
  return options;
}
