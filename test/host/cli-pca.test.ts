// `lowrank pca FILE`, the CLI run as a child process, against numpy's PCA (the SVD of the
// centred, optionally scaled, matrix with scikit-learn's conventions) in
// test/fixtures/sparse-pca.json, made by scripts/reference/sparse_pca.py: dense exact to
// 1e-10, randomised on low-rank data and on a sparse coordinate file to 1e-8.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { matrix, svd } from "../../src/index.js";
import { type PcaReference, fixture, maxAbsDiff } from "../helpers.js";
import { csvText, matrixMarket } from "./cli-files.js";
import { type Run, failureLine, runCli, runJson } from "./cli-run.js";

let dir = "";
const lowrank = (args: string[]): Run => runCli(args, dir);
const json = (args: string[]): any => runJson(args, dir);
const cases = fixture("sparse-pca.json");

/** The first k columns of a row-major matrix with `cols` columns. */
function leading(flat: number[], cols: number, k: number): number[] {
  return flat.filter((_, t) => t % cols < k);
}

/** Largest difference relative to the largest reference magnitude. */
const relative = (a: ArrayLike<number>, b: number[]): number => maxAbsDiff(a, b) / Math.max(...b.map(Math.abs));

/** Every field of a `--json` result against numpy's PCA, its first k components, to `tol` relative. */
function expectNumpy(r: any, ref: PcaReference, k: number, tol: number): void {
  const n = ref.mean.length;
  const m = ref.scores.length / ref.k;
  expect(r.shape).toEqual({ X: [m, n], components: [n, k], scores: [m, k] });
  const fields: [string, ArrayLike<number>, number[]][] = [
    ["components", r.components.flat(), leading(ref.components, ref.k, k)],
    ["scores", r.scores.flat(), leading(ref.scores, ref.k, k)],
    ["mean", r.mean, ref.mean],
    ["singularValues", r.singularValues, ref.singular_values.slice(0, k)],
    ["explainedVariance", r.explainedVariance, ref.explained_variance.slice(0, k)],
    ["explainedVarianceRatio", r.explainedVarianceRatio, ref.explained_variance_ratio.slice(0, k)],
  ];
  if (r.scaled) fields.push(["scale", r.scale, ref.std]);
  for (const [field, got, want] of fields) expect(relative(got, want), field).toBeLessThan(tol);
}

/** A CSV written by --out, as a row-major list. */
const readCsv = (path: string): number[] => readFileSync(join(dir, path), "utf8").trimEnd().split("\n").flatMap((l) => l.split(",").map(Number));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lowrank-cli-pca-"));
  writeFileSync(join(dir, "dense.csv"), csvText(cases.pca_dense.m, cases.pca_dense.n, cases.pca_dense.X));
  writeFileSync(join(dir, "lowrank.csv"), csvText(cases.pca_lowrank.m, cases.pca_lowrank.n, cases.pca_lowrank.X));
  writeFileSync(join(dir, "sparse.mtx"), matrixMarket(cases.pca_sparse.entries));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a dense CSV: the exact PCA", () => {
  const c = cases.pca_dense;

  test("every component, score, mean and variance equals numpy's centred SVD to 1e-10", () => {
    const r = json(["pca", "dense.csv"]);
    expect([r.command, r.method, r.center, r.scaled]).toEqual(["pca", "exact", true, false]);
    expectNumpy(r, c.plain, 12, 1e-10);
  });

  test("--scale: the correlation PCA (unit sample variance per column, the constant one left at scale 1) equals numpy's", () => {
    const r = json(["pca", "dense.csv", "--scale", "-k", "5"]);
    expect(r.scaled).toBe(true);
    expectNumpy(r, c.scaled, 5, 1e-10);
    expect(r.scale[7]).toBe(1);
  });

  test("-k 3 --out: the files hold the leading three components, the scores, the mean and the variances", () => {
    const r = json(["pca", "dense.csv", "-k", "3", "-o", "out"]);
    expectNumpy(r, c.plain, 3, 1e-10);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["components.csv", "explained_variance.csv", "explained_variance_ratio.csv", "mean.csv", "scores.csv"]);
    expect(readCsv("out/components.csv")).toEqual(r.components.flat());
    expect(readCsv("out/scores.csv")).toEqual(r.scores.flat());
    expect(readCsv("out/mean.csv")).toEqual(r.mean);
    expect(readCsv("out/explained_variance.csv")).toEqual(r.explainedVariance);
    expect(readCsv("out/explained_variance_ratio.csv")).toEqual(r.explainedVarianceRatio);
    expect(relative(readCsv("out/scores.csv"), leading(c.plain.scores, 12, 3))).toBeLessThan(1e-10);
  });

  test("the report: what was read, the explained variance and its ratio, then one row per feature", () => {
    const r = lowrank(["pca", "dense.csv", "-k", "2"]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "pca: X 80×12 (samples × features) from dense.csv, 2 components, centred, exact",
      "",
      "explained variance (2 components)",
      "  variance     ratio  cumulative",
    ]);
    // Six significant digits of numpy's values.
    const ref = c.plain;
    for (let i = 0; i < 2; i++) {
      const [variance, ratio, cumulative] = lines[4 + i].trim().split(/\s+/).map(Number);
      expect(Math.abs(variance - ref.explained_variance[i]) / ref.explained_variance[i]).toBeLessThan(1e-5);
      expect(Math.abs(ratio - ref.explained_variance_ratio[i]) / ref.explained_variance_ratio[i]).toBeLessThan(1e-5);
      const sum = ref.explained_variance_ratio.slice(0, i + 1).reduce((a: number, b: number) => a + b);
      expect(Math.abs(cumulative - sum) / sum).toBeLessThan(1e-5);
    }
    expect(lines.slice(6, 9)).toEqual(["", "features: mean and components (12 features × 2 components)", expect.stringMatching(/^ +mean +PC1 +PC2$/)]);
    expect(lines.length).toBe(9 + 12);
    const first = lines[9].trim().split(/\s+/).map(Number);
    expect(Math.abs(first[0] - ref.mean[0]) / Math.abs(ref.mean[0])).toBeLessThan(1e-5);
    expect(Math.abs(first[1] - ref.components[0])).toBeLessThan(1e-5 * Math.abs(ref.components[0]) + 1e-9);
    expect(r.stdout).not.toMatch(/scores/);
  });

  test("--no-center: the SVD of the data as it is (scikit-learn's TruncatedSVD), the mean all zeros", () => {
    const r = json(["pca", "dense.csv", "-k", "3", "--no-center"]);
    expect(r.center).toBe(false);
    expect(r.mean).toEqual(new Array(12).fill(0));
    const S = svd(matrix(c.m, c.n, c.X), { k: 3, vectors: "none" }).S;
    expect(relative(r.singularValues, Array.from(S))).toBeLessThan(1e-14);
  });
});

describe("--method randomized on low-rank data", () => {
  test("200×30 of rank 5: the top 5 equal numpy's to 1e-8; the seed is reported and repeats the run", () => {
    const r = json(["pca", "lowrank.csv", "-k", "5", "--method", "randomized", "--seed", "4"]);
    expect([r.method, r.seed]).toEqual(["randomized", 4]);
    expectNumpy(r, cases.pca_lowrank.plain, 5, 1e-8);
    const drawn = json(["pca", "lowrank.csv", "-k", "5", "--method", "randomized"]);
    expect(Number.isSafeInteger(drawn.seed)).toBe(true);
    expect(json(["pca", "lowrank.csv", "-k", "5", "--method", "randomized", "--seed", String(drawn.seed)]).scores).toEqual(drawn.scores);
  });
});

describe("a Matrix Market coordinate file: randomized by default, centred inside the products", () => {
  const c = cases.pca_sparse;

  test("240×40 of rank 4: the top 4 equal numpy's PCA of the dense matrix to 1e-8, plain and scaled", () => {
    const r = json(["pca", "sparse.mtx", "-k", "4", "--seed", "1"]);
    expect(r.method).toBe("randomized");
    expectNumpy(r, c.plain, 4, 1e-8);
    expectNumpy(json(["pca", "sparse.mtx", "-k", "4", "--seed", "1", "--scale"]), c.scaled, 4, 1e-8);
    const table = lowrank(["pca", "sparse.mtx", "-k", "4", "--seed", "1"]);
    const listed = matrixMarket(c.entries).split("\n")[2].split(" ")[2];
    expect(table.stdout.split("\n")[0]).toBe(`pca: X 240×40 (samples × features) from sparse.mtx (${listed} entries listed), 4 components, centred, randomized (seed 1)`);
  });

  test("--method exact densifies it and equals numpy's to 1e-10", () => {
    const r = json(["pca", "sparse.mtx", "-k", "4", "--method", "exact"]);
    expect(r.method).toBe("exact");
    expectNumpy(r, c.plain, 4, 1e-10);
  });
});

describe("bad input: the CLI's usual errors", () => {
  beforeAll(() => {
    writeFileSync(join(dir, "hole.csv"), "1,2\n3,\n4,5\n");
    writeFileSync(join(dir, "infinite.csv"), "1,2\n3,4\n5,-inf\n");
    writeFileSync(join(dir, "ragged.csv"), "1,2\n3,4,5\n");
  });

  test.each([
    ["a rank beyond the columns", ["dense.csv", "-k", "13"], "rank must be an integer in [1, 12] for a 80×12 matrix; got 13"],
    ["rank 0", ["dense.csv", "-k", "0"], "rank must be an integer in [1, 12] for a 80×12 matrix; got 0"],
    ["a missing entry", ["hole.csv"], "hole.csv has 1 missing entry (the first on line 2, column 2); pca needs every entry — use 'lowrank complete' to fill them in"],
    ["a non-finite value", ["infinite.csv"], "infinite.csv, line 3, column 2: '-inf' is infinite; every entry must be finite (blank, NA or NaN for a missing one)"],
    ["a ragged row", ["ragged.csv"], "ragged.csv, line 2: the row has 3 cells but line 1 has 2; cells are split at ','"],
    ["--scale without centring", ["dense.csv", "--scale", "--no-center"], "--scale needs --center: the standard deviations are taken about the column means"],
    ["--seed with the exact method", ["dense.csv", "--seed", "3"], "--seed applies only to --method randomized"],
    ["an oversample out of range", ["lowrank.csv", "-k", "2", "--method", "randomized", "--oversample", "0"], "--oversample must be an integer in [1, 10000]; got 0"],
  ])("%s: exit 1", (_name, args, message) => {
    expect(failureLine(lowrank(["pca", ...args]), 1)).toBe(message);
  });

  test.each([
    [["dense.csv", "--method", "randomized"], "pca --method randomized needs --rank k (or -k k); see 'lowrank pca --help'"],
    [["sparse.mtx"], "pca of a Matrix Market coordinate file is randomized and needs --rank k (or -k k); --method exact densifies it instead; see 'lowrank pca --help'"],
    [["dense.csv", "--center", "--no-center"], "--center and --no-center contradict each other; see 'lowrank pca --help'"],
    [["dense.csv", "--method", "svd"], expect.stringMatching(/^option --method must be one of exact, randomized/)],
  ])("a command line that cannot run, exit 2: %j", (args, message) => {
    expect(failureLine(lowrank(["pca", ...args]), 2)).toEqual(message);
  });

  test("--help names the options and the outputs", () => {
    const r = lowrank(["pca", "--help"]);
    expect(r.status).toBe(0);
    for (const word of ["--rank", "--center", "--no-center", "--scale", "--method", "--seed", "--oversample", "--power-iterations", "scores.csv", "--json"]) {
      expect(r.stdout).toContain(word);
    }
    expect(lowrank(["help"]).stdout).toMatch(/\n +pca +principal components/);
  });
});
