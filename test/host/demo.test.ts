// `npm start` (= `node dist/cli.js demo`, built by the pretest step): the lab's three exercises.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { labReport } from "../../src/demo.js";

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

describe("npm start", () => {
  const output = execFileSync(process.execPath, [cli, "demo"], { encoding: "utf8" });

  test("prints all three exercise headings", () => {
    expect(output).toContain("Exercise 1 — SGD factorisation");
    expect(output).toContain("Exercise 2 — truncated SVD");
    expect(output).toMatch(/loss ‖A − Â‖²_F = 0\.1219\s+\(lab: 0\.1219\)/);
    expect(output).toMatch(/Eckart–Young: .* SVD loss 0\.12191 ≤ SGD loss 0\.12\d{3}/);
    expect(output).toContain("[ 5.334  0.000  0.000 ]");
    expect(output).toContain("Exercise 3 — masked SGD");
  });

  test("prints our loss beside the lab's figure for exercises 1 and 3", () => {
    const sgd = /loss ‖A − Â‖²_F = (\d\.\d{4})\s+\(lab: 0\.1220\)/.exec(output);
    expect(sgd).not.toBeNull();
    expect(Number(sgd![1])).toBeGreaterThanOrEqual(0.1219);
    expect(Number(sgd![1])).toBeLessThan(0.1235);
    expect(output).toMatch(/over the full A = \d\.\d{4}\s+\(lab: 1\.0579\)/);
  });

  test("prints U, V and Â tables and is deterministic (fixed seed)", () => {
    expect(output.match(/U \(lowrank\)/g)).toHaveLength(3);
    expect(output.match(/Â = U Vᵀ \(lowrank\)/g)).toHaveLength(2);
    expect(output.match(/Â = U Σ Vᵀ \(lowrank\)/g)).toHaveLength(1);
    expect(output).toContain("[  3.253  -0.011   1.972 ]"); // the lab's printed Â row, shown alongside
    expect(labReport()).toBe(output.trimEnd());
  });

  test("an unknown command is one clear line and exit code 2", () => {
    let status = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, [cli, "frobnicate"], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    expect(status).toBe(2);
    expect(stderr.split("\n")[0]).toBe("lowrank: unknown command 'frobnicate'");
  });
});
