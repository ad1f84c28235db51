// The CLI's progress line on a real terminal, through util-linux `script` (Debian's bsdutils,
// an essential package). Here, in the single "package" project, because it takes seconds and
// does not depend on the kernel build under test.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "lowrank-tty-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("on a terminal, a run over a second draws the progress line on stderr and gives the same result", () => {
  const has = spawnSync("script", ["--version"], { encoding: "utf8" });
  expect(has.error, "util-linux `script` is needed to give the CLI a terminal").toBeUndefined();
  const rows = Array.from({ length: 400 }, (_, i) => Array.from({ length: 300 }, (_, j) => (Math.sin(i * 0.1 + j * 0.07) + Math.cos(i * 0.03 * j)).toFixed(4)));
  writeFileSync(join(dir, "big.csv"), rows.map((r) => r.join(",")).join("\n") + "\n");
  const args = "sgd big.csv --rank 5 --epochs 1500 --lr 0.001 --seed 1 --json";
  const pty = spawnSync("script", ["-qefc", `'${process.execPath}' '${cli}' ${args} > tty.json`, "/dev/null"], { cwd: dir, encoding: "utf8" });
  expect(pty.status).toBe(0);
  expect(pty.stdout).toMatch(/\rsgd epoch +\d+\/1500  \[[#-]+\]  loss \S+  ETA \d+s\x1b\[K/);
  expect(pty.stdout.endsWith("\r\x1b[K")).toBe(true);
  const piped = spawnSync(process.execPath, [cli, ...args.split(" ")], { cwd: dir, encoding: "utf8" });
  expect(piped.stderr).toBe("");
  expect(readFileSync(join(dir, "tty.json"), "utf8")).toBe(piped.stdout);
});
