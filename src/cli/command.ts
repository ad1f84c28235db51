// What every `lowrank` command provides to the dispatcher in src/cli.ts.

/** A subcommand: its name, its one-line summary for `lowrank --help`, its --help text, and its run. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  /** Runs with the words after the command name; writes its result with `print`. Throws to fail. */
  run(argv: string[], print: (text: string) => void): Promise<void>;
}
