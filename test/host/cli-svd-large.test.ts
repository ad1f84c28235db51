// `lowrank svd FILE --method randomized` past dense, in-memory matrices (issue 15), the CLI run as
// a child process: a Matrix Market coordinate file goes to the sparse SVD (never densified), a
// CSV is streamed through svdStream in row blocks, each pass reading the file again. Results
// against the library's functions with the same options, and scipy's svds (sparse-pca.json).
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Matrix, matrix, parseCsv, parseCsvBlocks, parseMatrixMarket, svd, svdStream, toArray } from "../../src/index.js";
import { fixture, maxAbsDiff } from "../helpers.js";
import { matrixMarket } from "./cli-files.js";
import { CLI, type Run, failureLine, runCli, runCliMeasured, runJson } from "./cli-run.js";

let dir = "";
const lowrank = (args: string[], input = ""): Run => runCli(args, dir, input);
const json = (args: string[], input = ""): any => runJson(args, dir, input);
const MiB = 2 ** 20;
const EPS = 2 ** -52;

/** 1 − |⟨a_j, b_j⟩| at worst over the k columns: 0 when the columns agree up to sign. */
function columnMismatch(a: number[][], b: number[], k: number): number {
  let worst = 0;
  for (let j = 0; j < k; j++) worst = Math.max(worst, 1 - Math.abs(a.reduce((d, row, i) => d + row[j] * b[i * k + j], 0)));
  return worst;
}

const flat = (rows: number[][]): number[] => rows.flat();

/** m×n with singular values about 2^-j: a spectrum the randomised SVD resolves; shortest round-trip text. */
function decaying(m: number, n: number): Matrix {
  const A = matrix(m, n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let x = 0;
      for (let t = 0; t < n; t++) x += 2 ** -t * Math.cos((i + 1) * (t + 1) * 0.37) * Math.sin((j + 2) * (t + 1) * 0.23);
      A.data[i * n + j] = x;
    }
  }
  return A;
}

const csvOf = (A: Matrix): string => toArray(A).map((row) => row.join(",")).join("\n") + "\n";

const sparseCase = fixture("sparse-pca.json").sparse_svd;
const A = decaying(300, 24);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lowrank-cli-large-"));
  writeFileSync(join(dir, "sparse.mtx"), matrixMarket(sparseCase.entries));
  writeFileSync(join(dir, "decay.csv"), csvOf(A));
  writeFileSync(join(dir, "decay.csv.gz"), gzipSync(csvOf(A)));
  writeFileSync(join(dir, "decay.tsv"), "# a comment\nx\ty\t" + Array.from({ length: 22 }, (_, j) => `c${j}`).join("\t") + "\n" + csvOf(A).replaceAll(",", "\t"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a Matrix Market coordinate file: the sparse randomised SVD, never densified", () => {
  const text = (): string => readFileSync(join(dir, "sparse.mtx"), "utf8");

  test("equals the library's svd of the parsed coordinates bit for bit, U, S and V", () => {
    const r = json(["svd", "sparse.mtx", "-k", "4", "--method", "randomized", "--seed", "7"]);
    const lib = svd(parseMatrixMarket(text()), { k: 4, method: "randomized", seed: 7 });
    expect(r.shape).toEqual({ A: [300, 200], U: [300, 4], V: [200, 4] });
    expect([r.method, r.seed]).toEqual(["randomized", 7]);
    expect(r.S).toEqual(Array.from(lib.S));
    expect(r.U).toEqual(toArray(lib.U!));
    expect(r.V).toEqual(toArray(lib.V!));
    const values = json(["svd", "sparse.mtx", "-k", "4", "--method", "randomized", "--seed", "7", "--vectors", "none"]);
    expect(values.S).toEqual(Array.from(svd(parseMatrixMarket(text()), { k: 4, method: "randomized", seed: 7, vectors: "none" }).S));
    expect(values.U).toBeUndefined();
  });

  test("with 8 power iterations: values within 1e-12 and vectors within 1e-10 of scipy's svds (ARPACK) of the summed matrix", () => {
    const r = json(["svd", "sparse.mtx", "-k", "4", "--method", "randomized", "--seed", "1", "--power-iterations", "8"]);
    r.S.forEach((s: number, i: number) => expect(Math.abs(s - sparseCase.S[i]) / sparseCase.S[0], `S[${i}]`).toBeLessThan(1e-12));
    expect(columnMismatch(r.U, sparseCase.U, 4)).toBeLessThan(1e-10);
    expect(columnMismatch(r.V, sparseCase.V, 4)).toBeLessThan(1e-10);
  });

  test("the report names the entries listed; --out writes S, U and V that read back to the JSON", () => {
    const table = lowrank(["svd", "sparse.mtx", "-k", "2", "--method", "randomized", "--seed", "3"]);
    expect(table.stdout).toMatch(/^svd: A 300×200 from sparse\.mtx \(3001 entries listed\), 2 singular values, thin vectors, randomized \(seed 3\)\n/);
    const r = json(["svd", "sparse.mtx", "-k", "2", "--method", "randomized", "--seed", "3", "-o", "sparse-out"]);
    const read = (name: string): number[][] => readFileSync(join(dir, "sparse-out", name), "utf8").trimEnd().split("\n").map((l) => l.split(",").map(Number));
    expect(read("S.csv").flat()).toEqual(r.S);
    expect(read("U.csv")).toEqual(r.U);
    expect(read("V.csv")).toEqual(r.V);
  });

  test("a 200 000 × 100 000 file with 3000 entries (149 GiB dense) runs in memory of the order of (m + n)·l", () => {
    const m = 200_000;
    const n = 100_000;
    let s = 12345;
    const next = (): number => (s = (s * 48271) % 2147483647);
    const seen = new Set<number>();
    const lines: string[] = [];
    while (lines.length < 3000) {
      const [r, c] = [next() % m, next() % n];
      if (seen.has(r * n + c)) continue;
      seen.add(r * n + c);
      lines.push(`${r + 1} ${c + 1} ${(next() % 2000) / 1000 - 1}`);
    }
    writeFileSync(join(dir, "huge.mtx"), `%%MatrixMarket matrix coordinate real general\n${m} ${n} 3000\n${lines.join("\n")}\n`);
    writeFileSync(join(dir, "tiny.mtx"), "%%MatrixMarket matrix coordinate real general\n3 2 2\n1 1 1\n2 2 2\n");
    const args = ["--method", "randomized", "--seed", "1", "--vectors", "none", "--json"];
    const tiny = runCliMeasured(["svd", "tiny.mtx", "-k", "1", ...args], dir);
    const huge = runCliMeasured(["svd", "huge.mtx", "-k", "5", ...args], dir);
    expect([tiny.status, huge.status, huge.stderr]).toEqual([0, 0, ""]);
    expect(JSON.parse(huge.stdout).S).toEqual(Array.from(svd(parseMatrixMarket(readFileSync(join(dir, "huge.mtx"), "utf8")),
      { k: 5, method: "randomized", seed: 1, vectors: "none" }).S));
    // The sparse SVD's working set: the bases Yᵀ, Zᵀ (8·l·(m + n) bytes) and the products'
    // scratch (as much again), l = k + 10; 32 MiB more for the JS heap. Measured: 86 MiB above
    // the tiny file's run (whose peak, Node and the kernel, was 52 MiB).
    const l = 5 + 10;
    expect(huge.peak - tiny.peak).toBeLessThan(16 * l * (m + n) + 32 * MiB);
    // The exact method needs the dense matrix, and says so.
    expect(failureLine(lowrank(["svd", "huge.mtx", "--vectors", "none"]), 1))
      .toBe("a 200000×100000 matrix needs 149.01 GiB; WebAssembly (wasm32) memory holds at most 4 GiB");
  });
});

describe("a CSV: svdStream over row blocks, the file read again on every pass", () => {
  const options = ["-k", "4", "--method", "randomized", "--seed", "5", "--oversample", "6"];

  test("equals svdStream over parseCsvBlocks of the file bit for bit, and the in-memory randomised SVD within svdStream's bound", async () => {
    const r = json(["svd", "decay.csv", ...options]);
    const opts = { k: 4, seed: 5, oversample: 6 };
    const path = join(dir, "decay.csv");
    let passes = 0;
    const streamed = await svdStream(() => {
      passes++;
      return parseCsvBlocks(createReadStream(path, "utf8"), { reuse: true });
    }, opts);
    expect(passes).toBe(7);
    expect(r.shape).toEqual({ A: [300, 24], U: [300, 4], V: [24, 4] });
    expect(r.S).toEqual(Array.from(streamed.S));
    expect(r.U).toEqual(toArray(streamed.U!));
    expect(r.V).toEqual(toArray(streamed.V!));
    // svdStream's documented bound against svd(A, { method: 'randomized' }) of the same matrix (docs/algorithms.md):
    // values within m·ε·σ₁, vectors within 1e-10 here (the values are far apart). Today the two agree exactly.
    const inMemory = svd(parseCsv(readFileSync(path, "utf8")), { ...opts, method: "randomized" });
    expect(maxAbsDiff(r.S, inMemory.S)).toBeLessThanOrEqual(300 * EPS * inMemory.S[0]);
    expect(maxAbsDiff(flat(r.U), inMemory.U!.data)).toBeLessThan(1e-10);
    expect(maxAbsDiff(flat(r.V), inMemory.V!.data)).toBeLessThan(1e-10);
    const exact = svd(A, { vectors: "none" }).S;
    r.S.forEach((s: number, i: number) => expect(Math.abs(s - exact[i]) / exact[0]).toBeLessThan(1e-12));
  });

  test("gzip, stdin (read once into memory), a pipe, and a TSV with a header and a comment give the same result", () => {
    const plain = json(["svd", "decay.csv", ...options]);
    const same = (r: any): void => expect({ ...r, file: "" }).toEqual({ ...plain, file: "" });
    same(json(["svd", "decay.csv.gz", ...options]));
    same(json(["svd", "-", ...options], readFileSync(join(dir, "decay.csv"), "utf8")));
    const gz = spawnSync(process.execPath, [CLI, "svd", "-", ...options, "--json"], { cwd: dir, input: readFileSync(join(dir, "decay.csv.gz")) });
    same(JSON.parse(gz.stdout.toString()));
    same(json(["svd", "decay.tsv", ...options]));
  });

  test("a FIFO cannot be read twice: it is read once into memory and the passes go over that copy", async () => {
    const fifo = join(dir, "decay.fifo");
    if (spawnSync("mkfifo", [fifo]).status !== 0) return; // no mkfifo on this system
    const child = spawn(process.execPath, [CLI, "svd", "decay.fifo", ...options, "--json"], { cwd: dir });
    let stdout = "";
    child.stdout.on("data", (chunk) => { stdout += chunk; });
    const done = new Promise<number | null>((resolve) => child.on("close", resolve));
    const timer = setTimeout(() => child.kill(), 60_000); // a second open of the FIFO would wait for a writer forever
    writeFileSync(fifo, readFileSync(join(dir, "decay.csv")));
    expect(await done).toBe(0);
    clearTimeout(timer);
    expect({ ...JSON.parse(stdout), file: "" }).toEqual({ ...json(["svd", "decay.csv", ...options]), file: "" });
  });

  test("the report says it streamed, and in how many passes", () => {
    const r = lowrank(["svd", "decay.csv", "-k", "2", "--method", "randomized", "--seed", "9", "--power-iterations", "1"]);
    expect(r.stdout).toMatch(/^svd: A 300×24 from decay\.csv, 2 singular values, thin vectors, randomized \(seed 9\), streamed in 5 passes over the file\n/);
  });

  test("a 200 000 × 100 CSV (153 MiB dense, the size of issue 15's target): peak memory below the matrix's own size", () => {
    // 40 MB of text, single digits; 3 passes with --power-iterations 0.
    const m = 200_000;
    const n = 100;
    const rows: string[] = [];
    for (let i = 0; i < m; i++) rows.push(Array.from({ length: n }, (_, j) => (i * 7 + j * 13 + ((i * j) % 11)) % 10).join(","));
    writeFileSync(join(dir, "tall.csv"), rows.join("\n") + "\n");
    rows.length = 0;
    writeFileSync(join(dir, "tiny.csv"), "1,2\n3,4\n");
    const args = ["--method", "randomized", "--seed", "1", "--power-iterations", "0", "--vectors", "none", "--json"];
    const tiny = runCliMeasured(["svd", "tiny.csv", "-k", "1", ...args], dir);
    const tall = runCliMeasured(["svd", "tall.csv", "-k", "5", ...args], dir, "", 240_000); // ≈ 12 s alone, several times that under load
    expect([tiny.status, tall.status, tall.stderr]).toEqual([0, 0, ""]);
    expect(JSON.parse(tall.stdout).shape.A).toEqual([m, n]);
    // Measured (under load): 113 MiB peak, 60 MiB above the tiny file's run (Node and the
    // kernel, 53 MiB): the basis m·l doubles (23 MiB) in the kernel, the JS heap the rest.
    // Reading the whole file first, as the exact svd does, peaks at 441 MiB.
    const dense = m * n * 8;
    expect(tall.peak).toBeLessThan(dense);
    expect(tall.peak - tiny.peak).toBeLessThan(dense / 2);
  }, 300_000);
});

describe("the streamed path's errors are the in-memory svd's", () => {
  beforeAll(() => {
    // 70 000 rows of 2 columns: two blocks of the default 1 MiB (65 536 rows).
    const rows = Array.from({ length: 70_000 }, (_, i) => `${i % 13},${(i * 7) % 5}`);
    const withHoles = [...rows];
    withHoles[10] = ",1";
    withHoles[69_000] = "2,NA";
    writeFileSync(join(dir, "holes.csv"), withHoles.join("\n") + "\n");
    const bad = [...withHoles];
    bad[69_000] = "2,x";
    writeFileSync(join(dir, "late-typo.csv"), bad.join("\n") + "\n");
    const late = (name: string, line: string): void => {
      const changed = [...rows];
      changed[69_000] = line;
      writeFileSync(join(dir, name), changed.join("\n") + "\n");
    };
    late("ragged.csv", "1,2,3");
    late("infinite.csv", "1,inf");
    late("overflow.csv", "1,1e999");
    writeFileSync(join(dir, "wide.csv"), "1,2,3,4,5,6,7,8\n2,1,3,5,4,6,8,7\n0,1,0,1,0,1,0,1\n1,1,2,3,5,8,13,21\n9,8,7,6,5,4,3,2\n");
  });

  test.each([
    ["missing entries in two blocks: all counted, the first located", ["holes.csv", "-k", "1"],
      "holes.csv has 2 missing entries (the first on line 11, column 1); svd needs every entry — use 'lowrank complete' to fill them in"],
    ["a bad cell after the missing ones: the parse error, as a whole read finds it first", ["late-typo.csv", "-k", "1"],
      "late-typo.csv, line 69001, column 2: 'x' is not a number; a cell must be a number, or blank, NA or NaN for a missing entry"],
    ["a rank beyond the columns (found on the first block)", ["decay.csv", "-k", "25"], "rank must be an integer in [1, 24] for a 300×24 matrix; got 25"],
    ["a rank beyond the rows (found at the end of the first pass)", ["wide.csv", "-k", "6"], "rank must be an integer in [1, 5] for a 5×8 matrix; got 6"],
    ["a ragged row in the second block", ["ragged.csv", "-k", "1"], "ragged.csv, line 69001: the row has 3 cells but line 1 has 2; cells are split at ','"],
    ["an infinite value in the second block", ["infinite.csv", "-k", "1"],
      "infinite.csv, line 69001, column 2: 'inf' is infinite; every entry must be finite (blank, NA or NaN for a missing one)"],
    ["a value beyond the double range in the second block", ["overflow.csv", "-k", "1"],
      "overflow.csv, line 69001, column 2: '1e999' is beyond the double range; every entry must be finite (blank, NA or NaN for a missing one)"],
    ["rank 0", ["decay.csv", "-k", "0"], "rank must be an integer in [1, 24] for a 300×24 matrix; got 0"],
    ["an oversample out of range", ["decay.csv", "-k", "2", "--oversample", "0"], "--oversample must be an integer in [1, 10000]; got 0"],
  ])("%s", (_name, args, message) => {
    const [file, ...rest] = args;
    expect(failureLine(lowrank(["svd", file, ...rest, "--method", "randomized"]), 1)).toBe(message);
    // The exact svd reads the whole file and says the same, where the rank allows it to run.
    if (!rest.includes("--oversample") && /missing|not a number|cells|finite/.test(message)) expect(failureLine(lowrank(["svd", file, ...rest]), 1)).toBe(message);
  });

  test.each([
    [["decay.csv", "--method", "randomized"], "svd --method randomized needs --rank k (or -k k); see 'lowrank svd --help'"],
    [["decay.csv", "-k", "2", "--method", "randomized", "--vectors", "full"],
      "--vectors full needs --method exact: --method randomized gives thin vectors or none; see 'lowrank svd --help'"],
  ])("a command line that cannot run: %j", (args, message) => {
    expect(failureLine(lowrank(["svd", ...args]), 2)).toBe(message);
  });
});
