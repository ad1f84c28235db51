// The `lowrank` command (dist/cli.js, built by the pretest step), run as a child process on
// files written to a temp dir; plus its parsers and progress line tested directly.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseCsv } from "../../src/cli/csv.js";
import { sgdFactorise, sgdFactoriseMasked, toArray } from "../../src/index.js";
import { parseMatrixMarket } from "../../src/cli/matrix-market.js";
import { DELAY_MS, INTERVAL_MS, ProgressBar, formatDuration } from "../../src/cli/progress.js";

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
let dir = "";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lowrank ...args` in the temp dir, stdin from `input` (a pipe, so never a TTY). */
function lowrank(args: string[], input = ""): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8", input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs and parses the --json output, expecting success and a silent stderr. */
function json(args: string[], input = ""): any {
  const r = lowrank([...args, "--json"], input);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

const csvOf = (rows: readonly (readonly (number | string)[])[]): string => rows.map((r) => r.join(",")).join("\n") + "\n";
const readCsv = (path: string): number[][] =>
  readFileSync(path, "utf8").trimEnd().split("\n").map((line) => line.split(",").map(Number));

// A 5×4 rank-1 matrix: u vᵀ.
const u5 = [1, 0.5, 2, 1.5, 1.2];
const v4 = [1, 2, 0.5, 1.5];
const RANK1 = u5.map((a) => v4.map((b) => a * b));

// A 6×5 rank-1 matrix with four entries hidden: two blank, two NA.
const u6 = [1, 2, 0.5, 1.5, 3, 2.5];
const v5 = [2, 1, 0.5, 1.5, 3];
const FULL = u6.map((a) => v5.map((b) => a * b));
const HIDDEN = [[0, 1, ""], [2, 4, "NA"], [3, 0, " NA "], [5, 3, ""]] as const;
const isHidden = (r: number, c: number): boolean => HIDDEN.some(([hr, hc]) => hr === r && hc === c);
const COMPLETE_ARGS = ["--rank", "1", "--epochs", "2000", "--lr", "0.01", "--seed", "7"];

// diag(3, 2, 1) with its rows permuted: singular values 3, 2, 1.
const PERMUTED_DIAG = [[0, 2, 0], [0, 0, 1], [3, 0, 0]];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lowrank-cli-"));
  writeFileSync(join(dir, "rank1.csv"), csvOf(RANK1));
  const withHoles = FULL.map((row, r) => row.map((x, c) => HIDDEN.find(([hr, hc]) => hr === r && hc === c)?.[2] ?? x));
  writeFileSync(join(dir, "hidden.csv"), csvOf(withHoles));
  // The same observed entries as Matrix Market, listed column by column (not row-major) with a comment.
  const listed: string[] = [];
  for (let c = 0; c < 5; c++) for (let r = 0; r < 6; r++) if (!isHidden(r, c)) listed.push(`${r + 1} ${c + 1} ${FULL[r][c]}`);
  writeFileSync(join(dir, "hidden.mtx"), `%%MatrixMarket matrix coordinate real general\n% rank 1, 4 hidden\n6 5 ${listed.length}\n${listed.join("\n")}\n`);
  writeFileSync(join(dir, "diag.csv"), csvOf(PERMUTED_DIAG));
  writeFileSync(join(dir, "diag.mtx"), "%%MatrixMarket matrix coordinate real general\n3 3 3\n3 1 3\n1 2 2\n2 3 1\n");
  writeFileSync(join(dir, "ragged.csv"), "1,2,3\n4,5\n");
  writeFileSync(join(dir, "text.csv"), "1,2\n3,abc\n");
  writeFileSync(join(dir, "range.mtx"), "%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1.5\n");
  writeFileSync(join(dir, "twice.mtx"), "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n1 1 2\n");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("lowrank sgd", () => {
  test("factorises a rank-1 CSV to loss < 1e-6 and --json gives the shapes, loss, epochs and seed", () => {
    const r = json(["sgd", "rank1.csv", "--rank", "1", "--epochs", "3000", "--seed", "5"]);
    expect(r.command).toBe("sgd");
    expect(r.shape).toEqual({ A: [5, 4], U: [5, 1], V: [4, 1] });
    expect(r.rank).toBe(1);
    expect(r.loss).toBeLessThan(1e-6);
    expect(r.epochs).toBe(3000);
    expect(r.seed).toBe(5);
    expect(r.U).toHaveLength(5);
    expect(r.U.every((row: number[]) => row.length === 1)).toBe(true);
    expect(r.V).toHaveLength(4);
    const worst = Math.max(...RANK1.flatMap((row, i) => row.map((x, j) => Math.abs(r.U[i][0] * r.V[j][0] - x))));
    expect(worst).toBeLessThan(1e-3);
  });

  test("the same seed twice gives identical JSON; no seed reports the one it drew", () => {
    const args = ["sgd", "rank1.csv", "--rank", "2", "--epochs", "200", "--seed", "42", "--json"];
    const a = lowrank(args);
    const b = lowrank(args);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const drawn = json(["sgd", "rank1.csv", "--rank", "2", "--epochs", "200"]);
    const again = json(["sgd", "rank1.csv", "--rank", "2", "--epochs", "200", "--seed", String(drawn.seed)]);
    expect(again.U).toEqual(drawn.U);
  });

  test("prints tables by default, and a non-TTY stderr stays empty (no progress line)", () => {
    const r = lowrank(["sgd", "rank1.csv", "--rank", "1", "--seed", "3"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^sgd: A 5×4 from rank1\.csv, rank 1\nloss ‖A − UVᵀ‖²_F = \S+ after 1000 epochs \(seed 3\)\n/);
    expect(r.stdout).toContain("\nU (5×1)\n");
    expect(r.stdout).toContain("\nV (4×1)\n");
  });

  test("--lambda and --tol reach the library: the run equals the library's with both, and differs without either", () => {
    const args = ["sgd", "rank1.csv", "--rank", "1", "--epochs", "5000", "--seed", "1"];
    const r = json([...args, "--tol", "1e-3", "--lambda", "0.001"]);
    const lib = sgdFactorise(RANK1, 1, { epochs: 5000, seed: 1, tol: 1e-3, lambda: 0.001 });
    expect(r.epochs).toBeLessThan(5000);
    expect(r.epochs).toBe(lib.epochs);
    expect(r.U).toEqual(toArray(lib.U));
    expect(r.V).toEqual(toArray(lib.V));
    const withoutLambda = json([...args, "--tol", "1e-3"]);
    expect(withoutLambda.U).toEqual(toArray(sgdFactorise(RANK1, 1, { epochs: 5000, seed: 1, tol: 1e-3 }).U));
    expect(withoutLambda.U).not.toEqual(r.U);
    expect(json([...args, "--lambda", "0.001"]).epochs).toBe(5000);
  });

  test("--out writes U.csv and V.csv that read back to the JSON's U and V exactly", () => {
    const r = json(["sgd", "rank1.csv", "--rank", "2", "--epochs", "300", "--seed", "9", "--out", "sgd-out"]);
    expect(readCsv(join(dir, "sgd-out", "U.csv"))).toEqual(r.U);
    expect(readCsv(join(dir, "sgd-out", "V.csv"))).toEqual(r.V);
    const table = lowrank(["sgd", "rank1.csv", "--rank", "2", "--epochs", "300", "--seed", "9", "--out", "sgd-out"]);
    expect(table.stdout).toContain(`wrote ${join("sgd-out", "U.csv")}, ${join("sgd-out", "V.csv")}`);
  });

  test("reads a Matrix Market file as a dense matrix, unlisted entries 0", () => {
    const fromMtx = json(["sgd", "diag.mtx", "--rank", "3", "--epochs", "100", "--seed", "1"]);
    const fromCsv = json(["sgd", "diag.csv", "--rank", "3", "--epochs", "100", "--seed", "1"]);
    expect(fromMtx.U).toEqual(fromCsv.U);
    expect(fromMtx.loss).toBe(fromCsv.loss);
  });
});

describe("lowrank complete", () => {
  const truth = (r: number, c: number): number => FULL[r][c];

  test("reconstructs the hidden (blank and NA) entries of a rank-1 CSV within 1e-3", () => {
    const r = json(["complete", "hidden.csv", ...COMPLETE_ARGS]);
    expect(r.shape).toEqual({ A: [6, 5], U: [6, 1], V: [5, 1] });
    expect(r.observed).toBe(26);
    expect(r.loss).toBeLessThan(1e-9);
    expect(r.completed).toHaveLength(6);
    for (const [hr, hc] of HIDDEN) expect(Math.abs(r.completed[hr][hc] - truth(hr, hc))).toBeLessThan(1e-3);
  });

  test("on a CSV, it is sgdFactoriseMasked with blank/NA cells unobserved", () => {
    const r = json(["complete", "hidden.csv", ...COMPLETE_ARGS]);
    const A = FULL.map((row, i) => row.map((x, j) => (isHidden(i, j) ? 0 : x)));
    const M = FULL.map((row, i) => row.map((_, j) => (isHidden(i, j) ? 0 : 1)));
    const lib = sgdFactoriseMasked(A, M, 1, { epochs: 2000, lr: 0.01, seed: 7 });
    // The CLI runs dist/ (the SIMD build where the host has SIMD); this project's kernel may sum in another order.
    const near = (a: number[][], b: number[][]): number => Math.max(...a.flatMap((row, i) => row.map((x, j) => Math.abs(x - b[i][j]))));
    expect(near(r.U, toArray(lib.U))).toBeLessThan(1e-12);
    expect(near(r.V, toArray(lib.V))).toBeLessThan(1e-12);
  });

  test("the same data as Matrix Market (listed in another order) gives the same result as the CSV", () => {
    const csv = json(["complete", "hidden.csv", ...COMPLETE_ARGS]);
    const mtx = json(["complete", "hidden.mtx", ...COMPLETE_ARGS]);
    expect({ ...mtx, file: "" }).toEqual({ ...csv, file: "" });
  });

  test("reads stdin for FILE -, CSV or Matrix Market", () => {
    const fromFile = json(["complete", "hidden.csv", ...COMPLETE_ARGS]);
    const csv = json(["complete", "-", ...COMPLETE_ARGS], readFileSync(join(dir, "hidden.csv"), "utf8"));
    const mtx = json(["complete", "-", ...COMPLETE_ARGS], readFileSync(join(dir, "hidden.mtx"), "utf8"));
    expect(csv.completed).toEqual(fromFile.completed);
    expect(mtx.completed).toEqual(fromFile.completed);
  });

  test("prints the observed-entry loss and the completed matrix Â = UVᵀ", () => {
    const r = lowrank(["complete", "hidden.csv", ...COMPLETE_ARGS]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("complete: A 6×5 from hidden.csv, 26 of 30 entries observed, rank 1");
    expect(r.stdout).toMatch(/loss over the 26 observed entries = \S+ after 2000 epochs \(seed 7\)/);
    const table = r.stdout.split("Â = UVᵀ, the completed matrix (6×5)\n")[1].trimEnd().split("\n");
    expect(table).toHaveLength(6);
    expect(table[0].trim().split(/\s+/).map(Number)).toEqual(FULL[0]); // 6 significant digits: exact here
  });

  test("--out also writes completed.csv, reading back to the JSON exactly", () => {
    const r = json(["complete", "hidden.csv", ...COMPLETE_ARGS, "--out", "complete-out"]);
    expect(readCsv(join(dir, "complete-out", "U.csv"))).toEqual(r.U);
    expect(readCsv(join(dir, "complete-out", "V.csv"))).toEqual(r.V);
    expect(readCsv(join(dir, "complete-out", "completed.csv"))).toEqual(r.completed);
  });
});

describe("lowrank svd", () => {
  test("singular values of a permuted diag(3, 2, 1) are 3, 2, 1 and U diag(S) Vᵀ rebuilds A", () => {
    const r = json(["svd", "diag.csv"]);
    expect(r.shape).toEqual({ A: [3, 3], U: [3, 3], V: [3, 3] });
    expect(r.S).toHaveLength(3);
    r.S.forEach((s: number, i: number) => expect(Math.abs(s - [3, 2, 1][i])).toBeLessThan(1e-12));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const x = r.S.reduce((sum: number, s: number, t: number) => sum + r.U[i][t] * s * r.V[j][t], 0);
        expect(Math.abs(x - PERMUTED_DIAG[i][j])).toBeLessThan(1e-12);
      }
    }
  });

  test("--vectors none prints the singular values and no U or V", () => {
    const r = json(["svd", "diag.csv", "--vectors", "none"]);
    expect(r.U).toBeUndefined();
    expect(r.V).toBeUndefined();
    expect(r.shape).toEqual({ A: [3, 3] });
    const table = lowrank(["svd", "diag.csv", "--vectors", "none"]);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain("S (3 singular values)\n  3\n  2\n  1\n");
    expect(table.stdout).not.toMatch(/^[UV] \(/m);
  });

  test("--rank keeps the top k; Matrix Market input; --out writes S.csv, U.csv and V.csv", () => {
    const r = json(["svd", "diag.mtx", "--rank", "2", "--out", "svd-out"]);
    expect(r.shape).toEqual({ A: [3, 3], U: [3, 2], V: [3, 2] });
    expect(r.S.map((s: number) => Math.round(s * 1e9) / 1e9)).toEqual([3, 2]);
    expect(readCsv(join(dir, "svd-out", "S.csv")).map(([s]) => s)).toEqual(r.S);
    expect(readCsv(join(dir, "svd-out", "U.csv"))).toEqual(r.U);
    expect(readCsv(join(dir, "svd-out", "V.csv"))).toEqual(r.V);
  });

  test("--vectors full gives complete orthonormal bases that rebuild A", () => {
    writeFileSync(join(dir, "wide.csv"), "1,2,3\n4,5,6\n");
    const r = json(["svd", "wide.csv", "--vectors", "full"]);
    expect(r.shape).toEqual({ A: [2, 3], U: [2, 2], V: [3, 3] });
    expect(r.S).toHaveLength(2);
    // UᵀU = I (2×2) and VᵀV = I (3×3): the third column of V completes the basis.
    for (const [Q, size] of [[r.U, 2], [r.V, 3]] as [number[][], number][]) {
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) {
          const dot = Q.reduce((sum, row) => sum + row[a] * row[b], 0);
          expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-14);
        }
      }
    }
    const A = [[1, 2, 3], [4, 5, 6]];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        expect(r.U[i][0] * r.S[0] * r.V[j][0] + r.U[i][1] * r.S[1] * r.V[j][1]).toBeCloseTo(A[i][j], 13);
      }
    }
  });
});

describe("--help", () => {
  const commands: [string, string[]][] = [
    ["sgd", ["--rank", "--epochs", "--lr", "--seed", "--lambda", "--tol", "--json", "--out"]],
    ["complete", ["--rank", "--epochs", "--lr", "--seed", "--lambda", "--tol", "--json", "--out", "NA"]],
    ["svd", ["--rank", "--vectors", "none", "thin", "full", "--json", "--out"]],
    ["demo", ["npm start"]],
  ];

  test.each(commands)("lowrank %s --help exits 0 and describes its options", (command, mentions) => {
    for (const args of [[command, "--help"], [command, "-h"], ["help", command], [command, "x.csv", "--bogus", "--help"]]) {
      const r = lowrank(args);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain(`usage: lowrank ${command}`);
      for (const m of mentions) expect(r.stdout).toContain(m);
    }
  });

  test("lowrank --help lists every command", () => {
    for (const args of [["--help"], ["-h"], ["help"], []]) {
      const r = lowrank(args);
      expect(r.status).toBe(0);
      for (const command of ["svd", "sgd", "complete", "demo"]) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  test("lowrank demo prints the lab report", () => {
    const r = lowrank(["demo"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Exercise 1 — SGD factorisation");
  });
});

describe("errors: one line on stderr, the right exit code, no stack trace", () => {
  const cases: [string, string[], number, RegExp][] = [
    ["missing file", ["sgd", "nope.csv", "--rank", "1"], 1, /^cannot read 'nope\.csv': no such file or directory$/],
    ["no FILE", ["sgd", "--rank", "1"], 2, /^sgd needs a FILE \(or - for stdin\); see 'lowrank sgd --help'$/],
    ["two FILEs", ["complete", "a.csv", "b.csv", "--rank", "1"], 2, /^complete takes one FILE; got 2/],
    ["no --rank", ["sgd", "rank1.csv"], 2, /^sgd needs --rank k/],
    ["ragged CSV", ["sgd", "ragged.csv", "--rank", "1"], 1, /^ragged\.csv is ragged: line 1 has 3 cells but line 2 has 2$/],
    ["non-numeric cell", ["sgd", "text.csv", "--rank", "1"], 1, /^text\.csv, line 2, column 2: 'abc' is not a number/],
    ["rank too big (RANK)", ["sgd", "rank1.csv", "--rank", "9"], 1, /^rank must be an integer in \[1, 4\] for a 5×4 matrix; got 9$/],
    ["rank too big for complete", ["complete", "hidden.csv", "--rank", "6"], 1, /^rank must be an integer in \[1, 5\] for a 6×5 matrix; got 6$/],
    ["rank too big for svd", ["svd", "diag.csv", "--rank", "4"], 1, /^rank must be an integer in \[1, 3\] for a 3×3 matrix; got 4$/],
    ["unknown option", ["sgd", "rank1.csv", "--rnak", "1"], 2, /^unknown option '--rnak' for sgd; see 'lowrank sgd --help'$/],
    ["unknown short option", ["complete", "hidden.csv", "-k", "1"], 2, /^unknown option '-k' for complete/],
    ["unknown command", ["factorise", "rank1.csv"], 2, /^unknown command 'factorise'$/],
    ["sgd on a CSV with missing entries", ["sgd", "hidden.csv", "--rank", "1"], 1,
      /^hidden\.csv has 4 missing entries \(the first on line 1, column 2\); sgd needs every entry — use 'lowrank complete'/],
    ["svd on a CSV with missing entries", ["svd", "hidden.csv"], 1, /svd needs every entry — use 'lowrank complete'/],
    ["divergence (DIVERGED)", ["sgd", "rank1.csv", "--rank", "1", "--lr", "100", "--seed", "1"], 1,
      /^sgdFactorise diverged at epoch \d+: the loss became non-finite with lr = 100; try a smaller lr \(error\.lastFinite holds the factors after epoch \d+\)$/],
    ["malformed --rank", ["sgd", "rank1.csv", "--rank", "two"], 2, /^option --rank must be a whole number; got 'two'/],
    ["malformed --lr", ["sgd", "rank1.csv", "--rank", "1", "--lr", "fast"], 2, /^option --lr must be a number; got 'fast'/],
    ["--rank without a value", ["sgd", "rank1.csv", "--rank"], 2, /^option --rank needs a value/],
    ["--json with a value", ["sgd", "rank1.csv", "--rank", "1", "--json=yes"], 2, /^option --json takes no value/],
    ["lr out of range (OPTION)", ["sgd", "rank1.csv", "--rank", "1", "--lr=-1"], 1, /^lr must be a finite number > 0; got -1$/],
    ["bad --vectors", ["svd", "diag.csv", "--vectors", "some"], 2, /^option --vectors must be one of none, thin, full; got 'some'/],
    ["Matrix Market index out of range", ["complete", "range.mtx", "--rank", "1"], 1, /^range\.mtx, line 3: the row index must be an integer in \[1, 2\]; got '3'$/],
    ["Matrix Market entry listed twice", ["complete", "twice.mtx", "--rank", "1"], 1, /^twice\.mtx, line 4: entry \(1, 1\) is listed twice \(first on line 3\)$/],
    ["empty stdin", ["sgd", "-", "--rank", "1"], 1, /^stdin is empty/],
    ["--out onto a file", ["sgd", "rank1.csv", "--rank", "1", "--out", "rank1.csv"], 1, /^cannot make the --out directory 'rank1\.csv'/],
    ["demo with an argument", ["demo", "extra"], 2, /^demo takes no arguments/],
  ];

  test.each(cases)("%s", (_name, args, status, message) => {
    const r = lowrank(args);
    expect(r.status).toBe(status);
    expect(r.stdout).toBe("");
    expect(r.stderr.endsWith("\n")).toBe(true);
    const lines = r.stderr.slice(0, -1).split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith("lowrank: ")).toBe(true);
    expect(lines[0].slice("lowrank: ".length)).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });
});

describe("input parsing", () => {
  test("CSV: CRLF, BOM, spaces, quoted cells, trailing blank lines; blank and NA are missing", () => {
    const m = parseCsv('\uFEFF1, "2" ,3\r\n NA,,6\r\n\r\n', "x.csv");
    expect([m.rows, m.cols, m.missing]).toEqual([2, 3, 2]);
    expect(Array.from(m.values)).toEqual([1, 2, 3, NaN, NaN, 6]);
    expect(m.firstMissing).toEqual({ line: 2, column: 1 });
  });

  test("CSV: a number beyond the double range is refused, naming the cell", () => {
    expect(() => parseCsv("1,1e999\n", "x.csv")).toThrow("x.csv, line 1, column 2: '1e999' is outside the double range");
  });

  test("Matrix Market: comments, blank lines and integer fields; entries sorted into row-major order", () => {
    const m = parseMatrixMarket("%%MatrixMarket matrix coordinate integer general\n%c\n\n2 3 3\n2 1 4\n%c\n1 3 -2\n1 1 7\n", "x.mtx");
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(Array.from(m.row)).toEqual([0, 0, 1]);
    expect(Array.from(m.col)).toEqual([0, 2, 0]);
    expect(Array.from(m.value)).toEqual([7, -2, 4]);
  });

  test("Matrix Market: unsupported banners and wrong entry counts are refused", () => {
    expect(() => parseMatrixMarket("%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", "x.mtx")).toThrow(/only 'matrix coordinate real general'/);
    expect(() => parseMatrixMarket("%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 1 1\n", "x.mtx")).toThrow(/banner says 'matrix coordinate real symmetric'/);
    expect(() => parseMatrixMarket("%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n", "x.mtx")).toThrow("announces 2 entries but the file lists 1");
    expect(() => parseMatrixMarket("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n2 2 2\n", "x.mtx")).toThrow("line 4: more entries than the 1");
  });
});

describe("progress line", () => {
  function fakeRun(times: number[]): string[] {
    const writes: string[] = [];
    let t = 0;
    const bar = new ProgressBar("sgd", times.length, { isTTY: true, columns: 100, write: (s) => writes.push(s) }, () => t);
    times.forEach((time, i) => {
      t = time;
      bar.update(i + 1, 0.5);
    });
    bar.finish();
    return writes;
  }

  test("draws nothing for a run shorter than the delay", () => {
    expect(fakeRun([100, 500, DELAY_MS - 1])).toEqual([]);
  });

  test("starts after the delay, redraws at most once per interval, and clears the line at the end", () => {
    const times = Array.from({ length: 200 }, (_, i) => DELAY_MS - 500 + i * 10); // one epoch every 10 ms
    const writes = fakeRun(times);
    const draws = writes.filter((w) => w.includes("epoch"));
    const span = times[times.length - 1] - DELAY_MS;
    expect(draws.length).toBeGreaterThan(0);
    expect(draws.length).toBeLessThanOrEqual(Math.floor(span / INTERVAL_MS) + 1);
    expect(draws[0]).toMatch(/^\rsgd epoch  51\/200  \[#+-+\]  loss 0\.5  ETA 3s\x1b\[K$/);
    expect(writes[writes.length - 1]).toBe("\r\x1b[K");
  });

  test("ETA reads in s, m or h", () => {
    expect([formatDuration(7_400), formatDuration(185_000), formatDuration(7_440_000)]).toEqual(["7s", "3m 05s", "2h 04m"]);
  });
});
