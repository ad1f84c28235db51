#!/usr/bin/env node
// The `lowrank` command. `lowrank demo` (what `npm start` runs) prints the lab's exercises.
import { labReport } from "./demo.js";

const USAGE = `usage: lowrank <command>

commands:
  demo      the lab's three exercises on its embedded 3×3 matrix (what npm start runs)
  help      this text`;

function main(argv: string[]): number {
  const [command] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  if (command === "demo") {
    console.log(labReport());
    return 0;
  }
  console.error(`lowrank: unknown command '${command}'\n\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
