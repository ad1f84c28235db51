// The CLI's progress line on a real terminal, through util-linux `script` (Debian's bsdutils,
// an essential package). In the host project: it does not depend on the kernel build under test.
// The line appears only once a run has lasted a second; rather than depend on a slow run, the
// child gets a clock that runs 1000× fast (test/host/fast-clock.mjs, preloaded with --import).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const fastClock = fileURLToPath(new URL("./fast-clock.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "lowrank-tty-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("on a terminal, a run past the delay draws the progress line on stderr and gives the same result", () => {
  const has = spawnSync("script", ["--version"], { encoding: "utf8" });
  expect(has.error, "util-linux `script` is needed to give the CLI a terminal").toBeUndefined();
  const rows = Array.from({ length: 40 }, (_, i) => Array.from({ length: 30 }, (_, j) => (Math.sin(i * 0.1 + j * 0.07) + Math.cos(i * 0.03 * j)).toFixed(4)));
  writeFileSync(join(dir, "small.csv"), rows.map((r) => r.join(",")).join("\n") + "\n");
  const args = "sgd small.csv --rank 5 --epochs 1500 --lr 0.001 --seed 1 --json";
  const run = (clock: string[]) =>
    spawnSync("script", ["-qefc", `'${process.execPath}' ${clock.join(" ")} '${cli}' ${args} > tty.json`, "/dev/null"], { cwd: dir, encoding: "utf8" });
  const pty = run(["--import", `'${fastClock}'`]);
  expect(pty.status).toBe(0);
  expect(pty.stdout).toMatch(/\rsgd epoch +\d+\/1500  \[[#-]+\]  loss \S+  ETA \d+s\x1b\[K/);
  expect(pty.stdout.endsWith("\r\x1b[K")).toBe(true);
  const piped = spawnSync(process.execPath, [cli, ...args.split(" ")], { cwd: dir, encoding: "utf8" });
  expect(piped.stderr).toBe("");
  expect(readFileSync(join(dir, "tty.json"), "utf8")).toBe(piped.stdout);
  // At the real clock this run ends within the delay: the terminal then gets no progress line.
  const quick = run([]);
  expect(quick.status).toBe(0);
  expect(quick.stdout).toBe("");
});
