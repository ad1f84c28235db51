// Command-line parsing on node:util parseArgs: one strict parse per command, parseArgs' own
// errors turned into one-line usage messages, and the typed readers of option values.
import { parseArgs } from "node:util";
import { DECIMAL, quoteText } from "../io/text.js";
import { UsageError } from "./errors.js";

/** The options a command accepts, in parseArgs' form. */
export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Parsed options (string or boolean, absent when not given) and positional arguments. */
export interface CommandLine {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** A word that starts like a negative number (`-1`, `-.5`, `-2e3`): a value, never an option. */
const NEGATIVE = /^-\.?\d/;

/** True when `--help` or `-h` appears before any `--` terminator. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/** The option name parseArgs quotes in its messages (`'--rank <value>'`, `'-k, --rank <value>'` → `--rank`). */
function quotedOption(message: string): string {
  const quoted = /'(?:-\w, )?([^' ]+)/.exec(message);
  return quoted ? quoted[1] : "an option";
}

/** The name of the value-taking option that `arg` (`--lambda`, `-k`) is, if it is one. */
function valueOption(arg: string, options: OptionSpec): string | undefined {
  if (arg.startsWith("--")) return options[arg.slice(2)]?.type === "string" ? arg.slice(2) : undefined;
  if (arg.length === 2 && arg[0] === "-") {
    return Object.entries(options).find(([, o]) => o.short === arg[1] && o.type === "string")?.[0];
  }
  return undefined;
}

/**
 * `--lambda -1` and `-k -1` as `--lambda=-1` and `--rank=-1`: parseArgs would take the `-1` for
 * an option; here a word that reads as a negative number after an option that takes a value
 * is that value, so the library's range check gets to say what is wrong with it.
 */
function joinNegativeValues(argv: readonly string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") return out.concat(argv.slice(i));
    const name = valueOption(argv[i], options);
    if (name !== undefined && i + 1 < argv.length && NEGATIVE.test(argv[i + 1])) out.push(`--${name}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/**
 * Parses `argv` (the words after the command) against `options`; strict, so an unknown option
 * or a missing or stray value is a {@link UsageError} naming the option, on one line. A
 * negative number after an option that takes a value is its value.
 */
export function parseCommandLine(command: string, argv: string[], options: OptionSpec): CommandLine {
  try {
    const args = joinNegativeValues(argv, options);
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as CommandLine["values"], positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      throw new UsageError(`unknown option '${quotedOption(message)}' for ${command}`, command);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const name = quotedOption(message);
      if (/does not take an argument/.test(message)) throw new UsageError(`option ${name} takes no value`, command);
      if (/ambiguous/.test(message)) {
        throw new UsageError(`option ${name} needs a value (for one that starts with '-', write ${name}=VALUE)`, command);
      }
      throw new UsageError(`option ${name} needs a value`, command);
    }
    throw new UsageError(message.split("\n")[0], command);
  }
}

/** The one FILE positional (`-` is stdin); none or several is a {@link UsageError}. */
export function fileArgument(command: string, positionals: readonly string[]): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs a FILE (or - for stdin)`, command);
  if (positionals.length > 1) {
    throw new UsageError(`${command} takes one FILE; got ${positionals.length}: ${positionals.join(" ")}`, command);
  }
  return positionals[0];
}

/** A whole-number option (`--rank 3`, `--seed 42`, `--seed -1`); undefined when absent. Range checks are the library's. */
export function integerOption(command: string, line: CommandLine, name: string): number | undefined {
  const text = line.values[name];
  if (typeof text !== "string") return undefined;
  if (!/^[+-]?\d+$/.test(text)) throw new UsageError(`option --${name} must be a whole number; got ${quoteText(text)}`, command);
  if (!Number.isSafeInteger(Number(text))) throw new UsageError(`option --${name} must be below 2^53 in size; got ${quoteText(text)}`, command);
  return Number(text);
}

/** A decimal-number option (`--lr 0.01`, `--tol 1e-9`); undefined when absent. Range checks are the library's. */
export function numberOption(command: string, line: CommandLine, name: string): number | undefined {
  const text = line.values[name];
  if (typeof text !== "string") return undefined;
  if (!DECIMAL.test(text)) throw new UsageError(`option --${name} must be a number; got ${quoteText(text)}`, command);
  return Number(text);
}

/** An option whose value is one of `choices`; undefined when absent. */
export function choiceOption<T extends string>(command: string, line: CommandLine, name: string, choices: readonly T[]): T | undefined {
  const text = line.values[name];
  if (typeof text !== "string") return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`option --${name} must be one of ${choices.join(", ")}; got ${quoteText(text)}`, command);
  }
  return text as T;
}
