// The library's option names in its messages, and the command line's: what `svd` and `pca`
// print when the library refuses an option.
import { FactorisationError } from "../index.js";

/** The library's words for the options, and the command line's. */
const IN_COMMAND_LINE_TERMS: [RegExp, string][] = [
  [/\bk\b/g, "rank"],
  [/vectors '(\w+)'/g, "--vectors $1"],
  [/method '(\w+)'/g, "--method $1"],
  [/\bpowerIterations\b/g, "--power-iterations"],
  [/\bscale needs center\b/g, "--scale needs --center"],
  [/\b(?<!-)(seed|oversample)\b/g, "--$1"],
];

/** A RANK or OPTION error of the library, reworded in terms of the command line (`--rank`, `--power-iterations`); other errors as they are. */
export function inCommandLineTerms(error: unknown): unknown {
  if (error instanceof FactorisationError && (error.code === "RANK" || error.code === "OPTION")) {
    const message = IN_COMMAND_LINE_TERMS.reduce((text, [from, to]) => text.replace(from, to), error.message);
    return new FactorisationError(error.code, message);
  }
  return error;
}
