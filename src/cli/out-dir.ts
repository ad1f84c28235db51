// --out DIR: the factors written as CSV files.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError, fsReason } from "./errors.js";

/**
 * Writes each `name → CSV text` pair to `DIR/name`, creating DIR when needed and replacing
 * files already there. Returns the paths written.
 * @throws InputError when DIR cannot be made or a file cannot be written.
 */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new InputError(`cannot make the --out directory '${dir}': ${fsReason(error)}`);
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
