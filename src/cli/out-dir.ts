// --out DIR: the results written as CSV files. The directory is checked before the run (so a
// long run never ends in "cannot write"), and made one level at a time — never by a recursive
// mkdir, which on Node 20 loops forever under a parent that refuses new entries (`/proc/x`).
import { constants } from "node:fs";
import { access, mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { OptionSpec } from "./args.js";
import { InputError, fsReason } from "./errors.js";

/** The --out option in parseArgs' form. */
export const OUT_OPTION_SPEC: OptionSpec = { out: { type: "string", short: "o" } };

/** The --help text of --out, naming the files a command writes. */
export const OUT_OPTION_HELP = (files: string): string => `also write ${files} to DIR (made if needed), every digit kept`;

/** How --out DIR will be made: the directories to create, outermost first (none when DIR exists). */
export interface OutPlan {
  dir: string;
  create: string[];
}

function cannot(dir: string, reason: string): InputError {
  return new InputError(`cannot make the --out directory '${dir}': ${reason}`);
}

/**
 * Checks that DIR is a directory, or can be made: its nearest existing ancestor is a directory
 * this process may write in. Makes nothing. O(depth of DIR) stat calls.
 * @throws InputError naming DIR and what is in the way.
 */
export async function checkOutDir(dir: string): Promise<OutPlan> {
  const create: string[] = [];
  let path = dir;
  for (;;) {
    try {
      const found = await stat(path);
      if (!found.isDirectory()) throw cannot(dir, path === dir ? "a file of that name is in the way" : `'${path}' is a file`);
      break;
    } catch (error) {
      if (error instanceof InputError) throw error;
      const code = (error as { code?: string }).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw cannot(dir, fsReason(error));
    }
    create.unshift(path);
    const parent = dirname(path);
    if (parent === path) throw cannot(dir, "no part of the path exists");
    path = parent;
  }
  try {
    await access(path, constants.W_OK);
  } catch (error) {
    throw cannot(dir, `${fsReason(error)} in '${path}'`);
  }
  return { dir, create };
}

/**
 * Writes each `name → CSV text` pair to `DIR/name`, making DIR (one level at a time) when
 * needed and replacing files already there. Returns the paths written.
 * @throws InputError when DIR cannot be made or a file cannot be written.
 */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string[]> {
  const plan = await checkOutDir(dir);
  for (const path of plan.create) {
    try {
      await mkdir(path);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "EEXIST" && (await stat(path)).isDirectory()) continue;
      throw cannot(dir, code === "ENOENT" ? `'${dirname(path)}' does not accept new directories` : fsReason(error));
    }
  }
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    try {
      await writeFile(path, text);
    } catch (error) {
      throw new InputError(`cannot write '${path}': ${fsReason(error)}`);
    }
    written.push(path);
  }
  return written;
}
