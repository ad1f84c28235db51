// What every `lowrank` command provides to the dispatcher in src/cli.ts.

/** Where a command's output goes: its result (stdout), and warnings (stderr, `lowrank: warning: …`). */
export interface Output {
  print(text: string): void;
  warn(text: string): void;
}

/** A subcommand: its name, its one-line summary for `lowrank --help`, its --help text, and its run. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  /** Runs with the words after the command name; writes through `output`. Throws to fail. */
  run(argv: string[], output: Output): Promise<void>;
}
