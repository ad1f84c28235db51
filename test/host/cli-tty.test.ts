// The CLI's progress line on a real terminal, through util-linux `script` (Debian's bsdutils,
// an essential package). In the host project: it does not depend on the kernel build under test.
// The line appears only once a run has lasted a second; rather than depend on a slow run, the
// child gets a clock that runs 1000× fast (test/host/fast-clock.mjs, preloaded with --import).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CLI } from "./cli-run.js";

const fastClock = fileURLToPath(new URL("./fast-clock.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "lowrank-tty-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Long enough (a few hundred ms) for the progress line, redrawn every 100 ms, to be drawn a few times. */
const ARGS = "sgd small.csv --rank 5 --epochs 20000 --lr 0.001 --seed 1 --json";

beforeAll(() => {
  const has = spawnSync("script", ["--version"], { encoding: "utf8" });
  expect(has.error, "util-linux `script` is needed to give the CLI a terminal").toBeUndefined();
  const rows = Array.from({ length: 40 }, (_, i) => Array.from({ length: 30 }, (_, j) => (Math.sin(i * 0.1 + j * 0.07) + Math.cos(i * 0.03 * j)).toFixed(4)));
  writeFileSync(join(dir, "small.csv"), rows.map((r) => r.join(",")).join("\n") + "\n");
});

/** The shell command `script` runs on its terminal: stty, then lowrank with stdout to `out`. */
function command(args: string, { columns = 80, fast = true, out = "tty.json" } = {}): string {
  const clock = fast ? `--import '${fastClock}'` : "";
  return `stty cols ${columns}; '${process.execPath}' ${clock} '${CLI}' ${args} > ${out}`;
}

/** Runs the command on a terminal; what the terminal showed (stderr) and the exit code. */
function onTerminal(shell: string): { status: number | null; screen: string } {
  const r = spawnSync("script", ["-qefc", shell, "/dev/null"], { cwd: dir, encoding: "utf8" });
  return { status: r.status, screen: r.stdout };
}

/** Each progress line drawn: the text between a `\r` and its `\x1b[K`. */
const draws = (screen: string): string[] => [...screen.matchAll(/\r([^\r\x1b]*)\x1b\[K/g)].map((m) => m[1]).filter((line) => line !== "");

test("on a terminal, a run past the delay draws the progress line on stderr, clears it, and gives the same result", () => {
  const pty = onTerminal(command(ARGS));
  expect(pty.status).toBe(0);
  expect(draws(pty.screen).length).toBeGreaterThan(0);
  expect(draws(pty.screen)[0]).toMatch(/^sgd epoch +\d+\/20000  \[[#-]+\]  loss \S+  ETA (\d+s|\d+m \d\ds|\d+h \d\dm)$/);
  expect(pty.screen.endsWith("\r\x1b[K")).toBe(true);
  const piped = spawnSync(process.execPath, [CLI, ...ARGS.split(" ")], { cwd: dir, encoding: "utf8" });
  expect(piped.stderr).toBe("");
  expect(readFileSync(join(dir, "tty.json"), "utf8")).toBe(piped.stdout);
  // At the real clock a run of a few milliseconds ends within the delay: the terminal then gets no progress line.
  const quick = onTerminal(command(ARGS.replace("20000", "1500"), { fast: false }));
  expect(quick.status).toBe(0);
  expect(quick.screen).toBe("");
});

test.each([40, 80])("the progress line fits a terminal %i columns wide: it never wraps", (columns) => {
  const pty = onTerminal(command(ARGS.replace("sgd", "complete"), { columns }));
  expect(pty.status).toBe(0);
  const lines = draws(pty.screen);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line.length).toBeLessThan(columns);
    expect(line).toMatch(/\bepoch +\d+\/20000  (\[[#-]+\]  )?loss \S+/);
  }
  // 80 columns hold the bar; 40 do not, and the line leaves it out rather than wrap.
  expect(lines.every((line) => /\[[#-]+\]/.test(line))).toBe(columns === 80);
});

test("Ctrl-C during a run clears the progress line and exits with 130", async () => {
  const shell = command(ARGS.replace("20000", "2000000000"), { out: "interrupted.json" });
  const child = spawn("script", ["-qefc", shell, "/dev/null"], { cwd: dir });
  let screen = "";
  const status = await new Promise<number | null>((resolve) => {
    const giveUp = setTimeout(() => child.kill(), 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      const first = !screen.includes("epoch");
      screen += chunk.toString("utf8");
      if (first && screen.includes("epoch")) child.stdin.write("\x03"); // Ctrl-C, as typed: the terminal sends SIGINT
    });
    child.on("exit", (code) => {
      clearTimeout(giveUp);
      resolve(code);
    });
  });
  expect(status).toBe(130);
  expect(draws(screen).length).toBeGreaterThan(0);
  expect(screen.endsWith("\r\x1b[K")).toBe(true);
  expect(readFileSync(join(dir, "interrupted.json"), "utf8")).toBe("");
});
