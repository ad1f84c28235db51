#!/usr/bin/env node
// The `lowrank` command: `svd`, `pca`, `sgd`, `complete` on a CSV or Matrix Market FILE, and `demo`
// (what `npm start` runs). Every failure is one line on stderr, `lowrank: <message>`, with
// exit code 2 for a command line it cannot run and 1 for data it cannot read or factorise.
import { readFileSync } from "node:fs";
import { FactorisationError, ParseError } from "./index.js";
import { escapeControl } from "./io/text.js";
import { wantsHelp } from "./cli/args.js";
import type { Command, Output } from "./cli/command.js";
import { completeCommand } from "./cli/complete-command.js";
import { demoCommand } from "./cli/demo-command.js";
import { EXIT_FAILURE, EXIT_USAGE, InputError, UsageError } from "./cli/errors.js";
import { CLI_SPELLING } from "./cli/read.js";
import { pcaCommand } from "./cli/pca-command.js";
import { sgdCommand } from "./cli/sgd-command.js";
import { svdCommand } from "./cli/svd-command.js";

const COMMANDS: readonly Command[] = [svdCommand, pcaCommand, sgdCommand, completeCommand, demoCommand];

const USAGE = `usage: lowrank <command> [FILE] [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join("\n")}
  help      this text; 'lowrank help <command>' or 'lowrank <command> --help' for one command

FILE is CSV (comma, tab, semicolon or whitespace separated; an optional header row;
blank, NA or NaN cells for missing entries) or Matrix Market (array or coordinate);
a .gz file is unzipped; - reads stdin. Tables go to stdout; --json prints one JSON
object instead; -o/--out DIR also writes the results as CSV. Errors: one line on
stderr, exit code 2 for a bad command line, 1 for bad data or a failed run.

  --version  the version of lowrank`;

/** The package's version, from the package.json beside dist/ (and src/). */
function version(): string {
  return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

const output: Output = {
  print: (text) => process.stdout.write(text + "\n"),
  warn: (text) => process.stderr.write(`lowrank: warning: ${escapeControl(text)}\n`),
};

/**
 * The exit code and one-line message for an error; unexpected errors are reported, never
 * traced. Control characters are escaped: a file name or cell never reaches the terminal raw.
 */
function report(error: unknown): number {
  const say = (text: string): void => { process.stderr.write(`lowrank: ${escapeControl(text)}\n`); };
  if (error instanceof UsageError) {
    const hint = error.command === undefined ? "" : `; see 'lowrank ${error.command} --help'`;
    say(`${error.message}${hint}`);
    return EXIT_USAGE;
  }
  if (error instanceof ParseError) {
    say(error.describe(CLI_SPELLING));
    return EXIT_FAILURE;
  }
  if (error instanceof FactorisationError && error.code === "DIVERGED") {
    // The library's advice in command-line terms; error.lastFinite is for library callers.
    say(error.message.replace(/ \(error\.lastFinite [^)]*\)$/, "").replace(/\blr = /, "--lr ").replace(/lr "auto"/g, "--lr auto"));
    return EXIT_FAILURE;
  }
  if (error instanceof FactorisationError || error instanceof InputError) {
    say(error.message);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  say(`internal error: ${message.split("\n")[0]}`);
  return EXIT_FAILURE;
}

/** `lowrank help [command]`: the usage text, or one command's. */
function help(topics: readonly string[]): string {
  if (topics.length > 1) throw new UsageError(`help takes one command; got ${topics.join(" ")}`);
  const [topic] = topics;
  if (topic === undefined || topic === "help" || topic === "--help" || topic === "-h") return USAGE;
  const command = COMMANDS.find((c) => c.name === topic);
  if (command === undefined) throw new UsageError(`unknown command '${topic}'`);
  return command.help;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === "--version") {
      output.print(`lowrank ${version()}`);
      return 0;
    }
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      output.print(help(name === "help" ? rest : []));
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw new UsageError(`unknown command '${name}'`);
    if (wantsHelp(rest)) {
      output.print(command.help);
      return 0;
    }
    await command.run(rest, output);
    return 0;
  } catch (error) {
    return report(error);
  }
}

// `lowrank … | head` closes stdout early: stop quietly rather than with an EPIPE trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") process.stderr.write(`lowrank: cannot write the output: ${error.message.split("\n")[0]}\n`);
  process.exit(error.code === "EPIPE" ? (process.exitCode ?? 0) : EXIT_FAILURE);
});

process.exitCode = await main(process.argv.slice(2));
