#!/usr/bin/env node
// The `lowrank` command: `svd`, `sgd`, `complete` on a CSV or Matrix Market FILE, and `demo`
// (what `npm start` runs). Every failure is one line on stderr, `lowrank: <message>`, with
// exit code 2 for a command line it cannot run and 1 for data it cannot read or factorise.
import { FactorisationError } from "./index.js";
import { wantsHelp } from "./cli/args.js";
import type { Command } from "./cli/command.js";
import { completeCommand } from "./cli/complete-command.js";
import { demoCommand } from "./cli/demo-command.js";
import { EXIT_FAILURE, EXIT_USAGE, InputError, UsageError } from "./cli/errors.js";
import { sgdCommand } from "./cli/sgd-command.js";
import { svdCommand } from "./cli/svd-command.js";

const COMMANDS: readonly Command[] = [svdCommand, sgdCommand, completeCommand, demoCommand];

const USAGE = `usage: lowrank <command> [FILE] [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join("\n")}
  help      this text; 'lowrank help <command>' or 'lowrank <command> --help' for one command

FILE is CSV (blank or NA cells for missing entries) or Matrix Market coordinate format;
- reads stdin. Tables go to stdout; --json prints one JSON object instead; --out DIR
also writes the factors as CSV. Errors: one line on stderr, exit code 2 for a bad
command line, 1 for bad data or a failed run.`;

function print(text: string): void {
  process.stdout.write(text + "\n");
}

/** The exit code and one-line message for an error; unexpected errors are reported, never traced. */
function report(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  const oneLine = message.split("\n")[0];
  if (error instanceof UsageError) {
    const hint = error.command === undefined ? "" : `; see 'lowrank ${error.command} --help'`;
    process.stderr.write(`lowrank: ${oneLine}${hint}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof FactorisationError || error instanceof InputError) {
    process.stderr.write(`lowrank: ${oneLine}\n`);
    return EXIT_FAILURE;
  }
  process.stderr.write(`lowrank: internal error: ${oneLine}\n`);
  return EXIT_FAILURE;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      const topic = name === "help" ? rest[0] : undefined;
      const command = COMMANDS.find((c) => c.name === topic);
      if (topic !== undefined && topic !== "help" && command === undefined) throw new UsageError(`unknown command '${topic}'`);
      print(command ? command.help : USAGE);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw new UsageError(`unknown command '${name}'`);
    if (wantsHelp(rest)) {
      print(command.help);
      return 0;
    }
    await command.run(rest, print);
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
