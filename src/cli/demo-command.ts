// `lowrank demo` (what `npm start` runs): the lab's three exercises, printed by labReport.
import { labReport } from "../demo.js";
import { parseCommandLine } from "./args.js";
import type { Command } from "./command.js";
import { UsageError } from "./errors.js";

const HELP = `usage: lowrank demo

Runs the COMP6248 lab 1 exercises on its embedded 3×3 matrix — SGD factorisation, truncated
SVD, masked SGD with two entries hidden — and prints U, V, Â = UVᵀ and the loss of each
beside the figures the lab printed. Deterministic (seed 1). This is what 'npm start' runs.

options:
  -h, --help    this text`;

/** The `demo` command. */
export const demoCommand: Command = {
  name: "demo",
  summary: "the lab's three exercises on its 3×3 matrix (what npm start runs)",
  help: HELP,
  async run(argv, { print }) {
    const { positionals } = parseCommandLine("demo", argv, { help: { type: "boolean", short: "h" } });
    if (positionals.length > 0) throw new UsageError(`demo takes no arguments; got ${positionals.join(" ")}`, "demo");
    print(labReport());
  },
};
