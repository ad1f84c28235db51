// Runs the built `lowrank` command (dist/cli.js, built by the pretest step) as a child process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Longest a run may take: a command that spins (as `--out /proc/x` once did) is killed and fails its test. */
const RUN_TIMEOUT_MS = 60_000;

/** `lowrank ...args` in `cwd`, stdin from `input` (a pipe, so never a TTY). */
export function runCli(args: readonly string[], cwd: string, input = ""): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", input, timeout: RUN_TIMEOUT_MS });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs with --json, expecting success and a silent stderr, and parses the output. */
export function runJson(args: readonly string[], cwd: string, input = ""): any {
  const r = runCli([...args, "--json"], cwd, input);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

/** Expects a failure: exit `status`, nothing on stdout, one line on stderr; returns that line without `lowrank: `. */
export function failureLine(r: Run, status: number): string {
  expect(r.status, r.stderr).toBe(status);
  expect(r.stdout).toBe("");
  expect(r.stderr.endsWith("\n")).toBe(true);
  const lines = r.stderr.slice(0, -1).split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith("lowrank: ")).toBe(true);
  expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  return lines[0].slice("lowrank: ".length);
}

/** The preload that reports a child's peak resident set (test/host/peak-rss.cjs). */
const PEAK_PRELOAD = fileURLToPath(new URL("./peak-rss.cjs", import.meta.url));

/**
 * `lowrank ...args` as {@link runCli} does (killed after `timeout` ms), and the child's peak
 * resident set size in bytes (from getrusage, as it exits).
 */
export function runCliMeasured(args: readonly string[], cwd: string, input = "", timeout = RUN_TIMEOUT_MS): Run & { peak: number } {
  const dir = mkdtempSync(join(tmpdir(), "lowrank-peak-"));
  const file = join(dir, "peak");
  try {
    const r = spawnSync(process.execPath, ["--require", PEAK_PRELOAD, CLI, ...args], {
      cwd, encoding: "utf8", input, timeout, env: { ...process.env, LOWRANK_TEST_PEAK_FILE: file },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, peak: Number(readFileSync(file, "utf8")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
