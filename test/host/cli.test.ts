// The `lowrank` command (dist/cli.js, built by the pretest step), run as a child process on
// files written to a temp dir; plus its progress line tested directly.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sgdFactorise, sgdFactoriseMasked, sgdFactoriseSparse, svd, toArray } from "../../src/index.js";
import { DELAY_MS, INTERVAL_MS, ProgressBar, formatDuration } from "../../src/cli/progress.js";
import { CLI, type Run, failureLine, runCli, runJson } from "./cli-run.js";

let dir = "";

/** Runs `lowrank ...args` in the temp dir, stdin from `input` (a pipe, so never a TTY). */
const lowrank = (args: string[], input = ""): Run => runCli(args, dir, input);
/** Runs and parses the --json output, expecting success and a silent stderr. */
const json = (args: string[], input = ""): any => runJson(args, dir, input);

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

/** `lowrank ...args --json` with raw bytes on stdin. */
function spawnJsonBytes(args: string[], input: Buffer): any {
  const r = spawnSync(process.execPath, [CLI, ...args, "--json"], { cwd: dir, input });
  expect(r.stderr.toString()).toBe("");
  return JSON.parse(r.stdout.toString());
}

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
    expect(r.stdout).toMatch(/^sgd: A 5×4 from rank1\.csv, rank 1\nloss ‖A − UVᵀ‖²_F = \S+ after 1000 epochs \(seed 3, lr [\d.e-]+\)\n/);
    expect(r.stdout).toContain("\nU (5×1)\n");
    expect(r.stdout).toContain("\nV (4×1)\n");
  });

  test("lr defaults to auto: 0–255 pixels converge where --lr 0.01 diverges, as the library's lr \"auto\" does", () => {
    const pixels = Array.from({ length: 30 }, (_, i) => Array.from({ length: 40 }, (_, j) => Math.min(255, (i * 7 + j * 5) % 200 + (j > 20 ? 55 : 0))));
    writeFileSync(join(dir, "pixels.csv"), csvOf(pixels));
    const byDefault = json(["sgd", "pixels.csv", "-k", "3", "--seed", "2"]);
    const lib = sgdFactorise(pixels, 3, { seed: 2, lr: "auto" });
    expect(byDefault.lr).toBe(lib.lr);
    expect(byDefault.U).toEqual(toArray(lib.U));
    expect(json(["sgd", "pixels.csv", "-k", "3", "--seed", "2", "--lr", "auto"]).U).toEqual(byDefault.U);
    const fixed = lowrank(["sgd", "pixels.csv", "-k", "3", "--seed", "2", "--lr", "0.01"]);
    expect(fixed.status).toBe(1);
    expect(fixed.stderr).toMatch(/^lowrank: sgdFactorise diverged at epoch 1: the loss became non-finite with --lr 0.01; try a smaller lr or --lr auto\n$/);
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

  test("prints the observed-entry loss and the completed matrix", () => {
    const r = lowrank(["complete", "hidden.csv", ...COMPLETE_ARGS]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("complete: A 6×5 from hidden.csv, 26 of 30 entries observed, rank 1");
    expect(r.stdout).toMatch(/loss over the 26 observed entries = \S+ after 2000 epochs \(seed 7, lr [\d.e-]+\)/);
    const table = r.stdout.split("Â, the completed matrix: observed entries as given, UVᵀ in the gaps (6×5)\n")[1].trimEnd().split("\n");
    expect(table).toHaveLength(6);
    expect(table[0].trim().split(/\s+/).map(Number)).toEqual(FULL[0]); // 6 significant digits: exact here
  });

  test("keeps the observed values in the completed matrix; --fitted gives U Vᵀ throughout", () => {
    // Rank 1 cannot fit this matrix: the fit differs from every observed value.
    writeFileSync(join(dir, "rank2.csv"), csvOf([[5, 3, "", 1], [4, "", "", 1], [1, 1, "", 5], [1, "", "", 4], ["", 1, 5, 4]]));
    const args = ["complete", "rank2.csv", "-k", "1", "--epochs", "500", "--seed", "3"];
    const kept = json(args);
    const fitted = json([...args, "--fitted"]);
    const { U, V } = sgdFactoriseSparse(
      { rows: 5, cols: 4, row: [0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4], col: [0, 1, 3, 0, 3, 0, 1, 3, 0, 3, 1, 2, 3], value: [5, 3, 1, 4, 1, 1, 1, 5, 1, 4, 1, 5, 4] },
      1, { epochs: 500, seed: 3, lr: "auto" }, // the command line's default lr
    );
    const fit = (i: number, j: number): number => U.data[i] * V.data[j];
    expect([kept.fitted, fitted.fitted]).toEqual([false, true]);
    expect(kept.completed[0][0]).toBe(5);
    expect(kept.completed[4][2]).toBe(5);
    expect(Math.abs(fitted.completed[0][0] - 5)).toBeGreaterThan(0.1);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 4; j++) {
        expect(Math.abs(fitted.completed[i][j] - fit(i, j))).toBeLessThan(1e-12);
        const observed = readFileSync(join(dir, "rank2.csv"), "utf8").split("\n")[i].split(",")[j];
        if (observed === "") expect(kept.completed[i][j]).toBe(fitted.completed[i][j]);
        else expect(kept.completed[i][j]).toBe(Number(observed));
      }
    }
    const table = lowrank([...args, "--fitted"]);
    expect(table.stdout).toContain("Â = UVᵀ, the fitted matrix (5×4)\n");
  });

  test("warns on stderr about rows and columns with no observed entry, and still completes", () => {
    writeFileSync(join(dir, "gaps.csv"), csvOf([[1, 2, "", 4], ["", "", "", ""], [3, 6, "", 12], [2, 4, "", 8]]));
    const r = lowrank(["complete", "gaps.csv", "-k", "1", "--seed", "1", "--json"]);
    expect(r.status).toBe(0);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      "lowrank: warning: row 2 has no observed entry: SGD never updates its row of U, so its completed values are the random start times V, not estimates from the data",
      "lowrank: warning: column 3 has no observed entry: SGD never updates its row of V, so its completed values are U times the random start, not estimates from the data",
    ]);
    expect(JSON.parse(r.stdout).completed).toHaveLength(4);
    writeFileSync(join(dir, "wide.mtx"), "%%MatrixMarket matrix coordinate real general\n9 8 2\n1 1 1\n1 2 2\n");
    const rows = lowrank(["complete", "wide.mtx", "-k", "1", "--epochs", "5", "--seed", "1"]);
    expect(rows.stderr).toContain("lowrank: warning: rows 2, 3, 4, 5, 6 and 3 more have no observed entry: SGD never updates their rows of U");
    expect(rows.stderr).toContain("lowrank: warning: columns 3, 4, 5, 6, 7 and 1 more have no observed entry");
    expect(lowrank(["complete", "hidden.csv", ...COMPLETE_ARGS]).stderr).toBe("");
  });

  test("--out also writes completed.csv, reading back to the JSON exactly", () => {
    const r = json(["complete", "hidden.csv", ...COMPLETE_ARGS, "--out", "complete-out"]);
    expect(readCsv(join(dir, "complete-out", "U.csv"))).toEqual(r.U);
    expect(readCsv(join(dir, "complete-out", "V.csv"))).toEqual(r.V);
    expect(readCsv(join(dir, "complete-out", "completed.csv"))).toEqual(r.completed);
  });
});

describe("--shuffle", () => {
  test("sgd --shuffle is sgdFactoriseSparse over every entry in a seeded random order", () => {
    const args = ["sgd", "rank1.csv", "-k", "1", "--epochs", "300", "--seed", "4"];
    const shuffled = json([...args, "--shuffle"]);
    const every = { rows: 5, cols: 4, row: RANK1.flatMap((row, i) => row.map(() => i)), col: RANK1.flatMap((row) => row.map((_, j) => j)), value: RANK1.flat() };
    const lib = sgdFactoriseSparse(every, 1, { epochs: 300, seed: 4, shuffle: true });
    expect(shuffled.U).toEqual(toArray(lib.U));
    expect(shuffled.loss).toBe(lib.loss);
    expect(json(args).U).not.toEqual(shuffled.U);
    expect(lowrank([...args, "--shuffle"]).stdout).toMatch(/^sgd: A 5×4 from rank1\.csv, rank 1, shuffled\n/);
  });

  test("complete --shuffle on coordinate input is sgdFactoriseSparse with shuffle", () => {
    const args = ["complete", "hidden.mtx", ...COMPLETE_ARGS];
    const shuffled = json([...args, "--shuffle"]);
    const listed = { rows: 6, cols: 5, row: [] as number[], col: [] as number[], value: [] as number[] };
    FULL.forEach((row, i) => row.forEach((x, j) => {
      if (isHidden(i, j)) return;
      listed.row.push(i);
      listed.col.push(j);
      listed.value.push(x);
    }));
    const lib = sgdFactoriseSparse(listed, 1, { epochs: 2000, lr: 0.01, seed: 7, shuffle: true });
    expect(shuffled.U).toEqual(toArray(lib.U));
    expect(shuffled.V).toEqual(toArray(lib.V));
    expect(json(args).U).not.toEqual(shuffled.U);
  });
});

describe("lowrank svd --method randomized", () => {
  // 30×20 with singular values 2^-i: a spectrum the randomised SVD resolves, power iterations sharpen.
  const m = 30;
  const n = 20;
  const A = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) =>
    Array.from({ length: n }, (_, t) => 2 ** -t * Math.cos((i + 1) * (t + 1) * 0.37) * Math.sin((j + 2) * (t + 1) * 0.23)).reduce((a, b) => a + b, 0)));

  beforeAll(() => writeFileSync(join(dir, "decay.csv"), csvOf(A.map((row) => row.map(String)))));

  test("gives the library's randomised SVD with the same options, near the exact top k", () => {
    const r = json(["svd", "decay.csv", "-k", "3", "--method", "randomized", "--seed", "5", "--oversample", "4", "--power-iterations", "1"]);
    const lib = svd(A, { k: 3, method: "randomized", seed: 5, oversample: 4, powerIterations: 1 });
    expect(r.method).toBe("randomized");
    expect(r.seed).toBe(5);
    expect(r.shape).toEqual({ A: [m, n], U: [m, 3], V: [n, 3] });
    expect(r.S).toEqual(Array.from(lib.S));
    const exact = svd(A, { k: 3, vectors: "none" }).S;
    r.S.forEach((s: number, i: number) => expect(Math.abs(s - exact[i]) / exact[0]).toBeLessThan(1e-6));
    const fewer = json(["svd", "decay.csv", "-k", "3", "--method", "randomized", "--seed", "5", "--oversample", "4", "--power-iterations", "0"]);
    expect(fewer.S).not.toEqual(r.S);
  });

  test("without --seed it draws one and reports it, so the run can be repeated", () => {
    const drawn = json(["svd", "decay.csv", "-k", "2", "--method", "randomized", "--vectors", "none"]);
    expect(Number.isSafeInteger(drawn.seed)).toBe(true);
    const again = json(["svd", "decay.csv", "-k", "2", "--method", "randomized", "--vectors", "none", "--seed", String(drawn.seed)]);
    expect(again.S).toEqual(drawn.S);
    const table = lowrank(["svd", "decay.csv", "-k", "2", "--method", "randomized", "--seed", "9"]);
    expect(table.stdout).toMatch(/^svd: A 30×20 from decay\.csv, 2 singular values, thin vectors, randomized \(seed 9\), streamed in 7 passes over the file\n/);
  });

  test.each([
    [["--seed", "3"], /^--seed applies only to --method randomized$/],
    [["-k", "2", "--method", "randomized", "--power-iterations", "-1"], /^--power-iterations must be an integer in \[0, 100\]; got -1$/],
    [["-k", "2", "--method", "randomized", "--oversample", "0"], /^--oversample must be an integer in \[1, 10000\]; got 0$/],
  ])("the library's refusal in command-line terms: %j", (extra, message) => {
    expect(failureLine(lowrank(["svd", "decay.csv", ...extra]), 1)).toMatch(message);
  });
});

describe("reading files", () => {
  test("--delimiter forces the delimiter: '|' (never sniffed), tab and space by name", () => {
    writeFileSync(join(dir, "pipes.txt"), "1|2|3\n4|5|6\n");
    expect(json(["svd", "pipes.txt", "--delimiter", "|"]).shape.A).toEqual([2, 3]);
    expect(failureLine(lowrank(["svd", "pipes.txt"]), 1)).toBe("pipes.txt, line 1, column 1: '1|2|3' is not a number; the cells look separated by '|': pass --delimiter '|'");
    writeFileSync(join(dir, "tabs.tsv"), "1\t2\n3\t4\n5\t6\n");
    expect(json(["svd", "tabs.tsv", "--delimiter", "tab"]).shape.A).toEqual([3, 2]);
    expect(failureLine(lowrank(["svd", "tabs.tsv", "--delimiter", ","]), 1))
      .toBe("tabs.tsv, line 1, column 1: '1\\t2' is not a number; the cells look separated by tab: pass --delimiter tab");
    writeFileSync(join(dir, "spaces.txt"), "  1   2\n  3   4\n");
    expect(json(["svd", "spaces.txt", "--delimiter", "space"]).shape.A).toEqual([2, 2]);
    expect(failureLine(lowrank(["svd", "spaces.txt", "--delimiter", "ab"]), 2)).toMatch(/^option --delimiter must be one character/);
  });

  test("--header takes a numeric first line as a header; --no-header reads a word line as data, and the message says --header", () => {
    writeFileSync(join(dir, "years.csv"), "2019,2020,2021\n1,2,3\n4,5,7\n");
    expect(json(["svd", "years.csv"]).shape.A).toEqual([3, 3]);
    expect(json(["svd", "years.csv", "--header"]).shape.A).toEqual([2, 3]);
    writeFileSync(join(dir, "named.csv"), "a,b,c\n1,2,3\n4,5,7\n");
    expect(json(["svd", "named.csv"]).shape.A).toEqual([2, 3]);
    expect(failureLine(lowrank(["svd", "named.csv", "--no-header"]), 1))
      .toBe("named.csv, line 1, column 1: 'a' is not a number; line 1 looks like a header row: pass --header");
    expect(failureLine(lowrank(["svd", "named.csv", "--header", "--no-header"]), 2)).toMatch(/^--header and --no-header contradict each other/);
    expect(failureLine(lowrank(["svd", "diag.mtx", "--header"]), 2)).toMatch(/^--delimiter, --header and --no-header apply to CSV; diag\.mtx is Matrix Market/);
  });

  test("a bad cell on line 1 suggests --header only when the lines after it are numbers", () => {
    writeFileSync(join(dir, "total.csv"), "2019,2020,total\n1,2,3\n4,5,6\n");
    expect(failureLine(lowrank(["svd", "total.csv"]), 1)).toBe("total.csv, line 1, column 3: 'total' is not a number; if line 1 is a header row, pass --header");
    writeFileSync(join(dir, "typos.csv"), "1,2,x\n1,y,3\n");
    expect(failureLine(lowrank(["svd", "typos.csv"]), 1))
      .toBe("typos.csv, line 1, column 3: 'x' is not a number; a cell must be a number, or blank, NA or NaN for a missing entry");
  });

  test("control characters and escape sequences from a file or its name never reach the terminal raw", () => {
    writeFileSync(join(dir, "esc.csv"), "1,2\n3,\x1b[2J\x1b]0;pwned\x07\n");
    const r = lowrank(["svd", "esc.csv"]);
    expect(failureLine(r, 1)).toBe("esc.csv, line 2, column 2: '\\x1b[2J\\x1b]0;pwned\\x07' is not a number; a cell must be a number, or blank, NA or NaN for a missing entry");
    const named = lowrank(["svd", "bad\x1b[31mname.csv"]);
    expect(failureLine(named, 1)).toBe("cannot read 'bad\\x1b[31mname.csv': no such file or directory");
    expect(r.stderr + named.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });

  test("gzip'ed stdin is recognised by its magic number; UTF-16 text (Excel's Unicode text) is decoded; binary data is refused", async () => {
    const { gzipSync } = await import("node:zlib");
    const csv = readFileSync(join(dir, "diag.csv"));
    const viaStdin = spawnJsonBytes(["svd", "-", "--vectors", "none"], gzipSync(csv));
    expect(viaStdin.S.map((x: number) => Math.round(x * 1e12) / 1e12)).toEqual([3, 2, 1]);
    writeFileSync(join(dir, "unicode.txt"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("3\t0\r\n0\t2\r\n", "utf16le")]));
    expect(json(["svd", "unicode.txt", "--vectors", "none"]).S).toEqual([3, 2]);
    writeFileSync(join(dir, "book.xlsx"), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));
    expect(failureLine(lowrank(["svd", "book.xlsx"]), 1))
      .toBe("'book.xlsx' holds binary data, not text: lowrank reads CSV or Matrix Market text (save a spreadsheet as CSV)");
    writeFileSync(join(dir, "fake.csv.gz"), "1,2\n");
    expect(failureLine(lowrank(["svd", "fake.csv.gz"]), 1)).toBe("cannot unzip 'fake.csv.gz': incorrect header check");
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

describe("--help and --version", () => {
  const input = ["--delimiter", "--header", "--no-header"];
  const commands: [string, string[]][] = [
    ["sgd", ["-k, --rank", "--epochs", "--lr", "--seed", "--lambda", "--tol", "--shuffle", "--json", "-o, --out", ...input]],
    ["complete", ["-k, --rank", "--epochs", "--lr", "--seed", "--lambda", "--tol", "--shuffle", "--fitted", "--json", "-o, --out", "NA", ...input]],
    ["svd", ["-k, --rank", "--vectors", "none", "thin", "full", "--method", "randomized", "--seed", "--oversample", "--power-iterations",
      "--json", "-o, --out", ...input]],
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

  test("lowrank help --help, help -h and help help print the usage; help takes one known command", () => {
    const usage = lowrank(["--help"]).stdout;
    for (const args of [["help", "--help"], ["help", "-h"], ["help", "help"]]) {
      const r = lowrank(args);
      expect(r.status, args.join(" ")).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(usage);
    }
    expect(failureLine(lowrank(["help", "factorise"]), 2)).toBe("unknown command 'factorise'");
    expect(failureLine(lowrank(["help", "svd", "sgd"]), 2)).toBe("help takes one command; got svd sgd");
  });

  test("lowrank --version prints the version in package.json", () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    const r = lowrank(["--version"]);
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toBe(`lowrank ${version}\n`);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
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
    ["ragged CSV", ["sgd", "ragged.csv", "--rank", "1"], 1, /^ragged\.csv, line 2: the row has 2 cells but line 1 has 3; cells are split at ','$/],
    ["non-numeric cell", ["sgd", "text.csv", "--rank", "1"], 1,
      /^text\.csv, line 2, column 2: 'abc' is not a number; a cell must be a number, or blank, NA or NaN for a missing entry$/],
    ["rank too big (RANK)", ["sgd", "rank1.csv", "--rank", "9"], 1, /^rank must be an integer in \[1, 4\] for a 5×4 matrix; got 9$/],
    ["rank too big for complete", ["complete", "hidden.csv", "--rank", "6"], 1, /^rank must be an integer in \[1, 5\] for a 6×5 matrix; got 6$/],
    ["rank too big for svd", ["svd", "diag.csv", "--rank", "4"], 1, /^rank must be an integer in \[1, 3\] for a 3×3 matrix; got 4$/],
    ["unknown option", ["sgd", "rank1.csv", "--rnak", "1"], 2, /^unknown option '--rnak' for sgd; see 'lowrank sgd --help'$/],
    ["unknown short option", ["complete", "hidden.csv", "-x", "1"], 2, /^unknown option '-x' for complete/],
    ["unknown command", ["factorise", "rank1.csv"], 2, /^unknown command 'factorise'$/],
    ["sgd on a CSV with missing entries", ["sgd", "hidden.csv", "--rank", "1"], 1,
      /^hidden\.csv has 4 missing entries \(the first on line 1, column 2\); sgd needs every entry — use 'lowrank complete'/],
    ["svd on a CSV with missing entries", ["svd", "hidden.csv"], 1, /svd needs every entry — use 'lowrank complete'/],
    ["divergence (DIVERGED)", ["sgd", "rank1.csv", "--rank", "1", "--lr", "100", "--seed", "1"], 1,
      /^sgdFactorise diverged at epoch \d+: the loss became non-finite with --lr 100; try a smaller lr or --lr auto$/],
    ["malformed --rank", ["sgd", "rank1.csv", "--rank", "two"], 2, /^option --rank must be a whole number; got 'two'/],
    ["malformed --lr", ["sgd", "rank1.csv", "--rank", "1", "--lr", "fast"], 2, /^option --lr must be a number; got 'fast'/],
    ["--rank without a value", ["sgd", "rank1.csv", "--rank"], 2, /^option --rank needs a value/],
    ["--json with a value", ["sgd", "rank1.csv", "--rank", "1", "--json=yes"], 2, /^option --json takes no value/],
    ["lr out of range (OPTION)", ["sgd", "rank1.csv", "--rank", "1", "--lr=-1"], 1, /^lr must be a finite number > 0; got -1$/],
    ["a negative --lambda reaches the library", ["sgd", "rank1.csv", "--rank", "1", "--lambda", "-1"], 1, /^lambda must be a finite number ≥ 0; got -1$/],
    ["a negative -k reaches the library", ["complete", "hidden.csv", "-k", "-2"], 1, /^rank must be an integer in \[1, 5\] for a 6×5 matrix; got -2$/],
    ["a negative --seed reaches the library", ["sgd", "rank1.csv", "-k", "1", "--seed", "-3"], 1, /^seed must be an integer in \[0, 2\^53\); got -3$/],
    ["a negative --tol, =-form", ["complete", "hidden.csv", "-k", "1", "--tol=-1e-3"], 1, /^tol must be a finite number ≥ 0; got -0\.001$/],
    ["an option after an option is not its value", ["sgd", "rank1.csv", "--rank", "--lr", "1"], 2, /^option --rank needs a value \(for one that starts with '-', write --rank=VALUE\)/],
    ["-k without a value", ["sgd", "rank1.csv", "-k"], 2, /^option --rank needs a value; see 'lowrank sgd --help'$/],
    ["bad --vectors", ["svd", "diag.csv", "--vectors", "some"], 2, /^option --vectors must be one of none, thin, full; got 'some'/],
    ["Matrix Market index out of range", ["complete", "range.mtx", "--rank", "1"], 1, /^range\.mtx, line 3, column 1: the row index must be an integer in \[1, 2\]; got '3'$/],
    ["Matrix Market entry listed twice", ["complete", "twice.mtx", "--rank", "1"], 1, /^twice\.mtx, line 4: entry \(1, 1\) is listed twice: on line 3 and line 4$/],
    ["empty stdin", ["sgd", "-", "--rank", "1"], 1, /^stdin is empty/],
    ["--out onto a file", ["sgd", "rank1.csv", "--rank", "1", "--out", "rank1.csv"], 1, /^cannot make the --out directory 'rank1\.csv': a file of that name is in the way$/],
    ["--out under a file, refused before a run of 2·10⁹ epochs", ["sgd", "rank1.csv", "-k", "1", "--epochs", "2000000000", "-o", "rank1.csv/sub"], 1,
      /^cannot make the --out directory 'rank1\.csv\/sub': 'rank1\.csv' is a file$/],
    ["--out under a parent that takes no new directory", ["complete", "hidden.csv", "-k", "1", "-o", "/proc/lowrank-out"], 1,
      /^cannot make the --out directory '\/proc\/lowrank-out': ('\/proc' does not accept new directories|permission denied in '\/proc')$/],
    ["demo with an argument", ["demo", "extra"], 2, /^demo takes no arguments/],
  ];

  test.each(cases)("%s", (_name, args, status, message) => {
    expect(failureLine(lowrank(args), status)).toMatch(message);
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

  test.each([20, 40, 55, 80, 120])("at %i columns every line is shorter than the terminal; the bar only where it fits", (columns) => {
    const writes: string[] = [];
    let t = 0;
    const bar = new ProgressBar("complete", 100_000, { isTTY: true, columns, write: (w) => writes.push(w) }, () => t);
    for (const epoch of [1, 9, 99_999]) {
      t += DELAY_MS + INTERVAL_MS;
      bar.update(epoch, 1.234567e-5);
    }
    expect(writes).toHaveLength(3);
    for (const w of writes) {
      const line = w.replace(/^\r/, "").replace(/\x1b\[K$/, "");
      expect(line.length).toBeLessThan(columns);
      expect(line).toMatch(columns >= 20 ? /\d+\/100000/ : /./);
      expect(/\[[#-]+\]/.test(line)).toBe(columns >= 80);
    }
  });

  test("ETA reads in s, m or h", () => {
    expect([formatDuration(7_400), formatDuration(185_000), formatDuration(7_440_000)]).toEqual(["7s", "3m 05s", "2h 04m"]);
  });
});
