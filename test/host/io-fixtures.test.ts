// Files as numpy, scipy and Python's csv module write them (test/fixtures/io/, made by
// scripts/reference/io_fixtures.py), read by the library's parsers and by the CLI, against
// the matrices numpy and scipy read from the same files (expected.json).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { type CsvMatrix, type MatrixMarketMatrix, parseCsv, parseMatrixMarket } from "../../src/index.js";
import { fixture } from "../helpers.js";
import { runJson } from "./cli-run.js";

interface Case {
  file: string;
  kind: "dense" | "coordinates";
  rows: number;
  cols: number;
  /** The full matrix as numpy / scipy read it; null for a missing entry. */
  dense: (number | null)[][];
  missing?: number;
  firstMissing?: { line: number; column: number };
  header?: string[] | null;
  banner?: { format: string; field: string; symmetry: string };
  row?: number[];
  col?: number[];
  value?: number[];
  singularValues?: number[];
}

const DIR = fileURLToPath(new URL("../fixtures/io/", import.meta.url));
const { cases } = fixture<{ cases: Case[] }>("io/expected.json");

function text(file: string): string {
  const bytes = readFileSync(DIR + file);
  return (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** Row-major doubles as nested rows, NaN as null (JSON's way). */
function nested(rows: number, cols: number, data: ArrayLike<number>): (number | null)[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => {
    const x = data[r * cols + c];
    return Number.isNaN(x) ? null : x;
  }));
}

test("the fixtures cover every writer the issue names", () => {
  const files = cases.map((c) => c.file);
  for (const file of ["savetxt-space.txt", "savetxt-comma.csv", "savetxt-tab.tsv", "savetxt-semicolon.csv", "savetxt-header.csv",
    "savetxt-nan.csv", "savetxt-comma.csv.gz", "dense.mtx", "symmetric.mtx", "skew.mtx", "pattern.mtx", "integer.mtx"]) {
    expect(files).toContain(file);
  }
  const banners = cases.filter((c) => c.banner).map((c) => Object.values(c.banner!).join(" "));
  expect(banners).toEqual(expect.arrayContaining(["array real general", "coordinate real symmetric",
    "coordinate real skew-symmetric", "coordinate pattern general", "coordinate integer general"]));
});

describe.each(cases)("$file", (c) => {
  test("the library's reader gives the matrix numpy / scipy read", () => {
    if (c.banner) {
      const m: MatrixMarketMatrix = parseMatrixMarket(text(c.file), { source: c.file });
      expect(m.banner).toEqual(c.banner);
      expect([m.kind, m.rows, m.cols]).toEqual([c.kind, c.rows, c.cols]);
      if (m.kind === "coordinates") {
        expect([Array.from(m.row), Array.from(m.col), Array.from(m.value)]).toEqual([c.row, c.col, c.value]);
      } else {
        expect(nested(m.rows, m.cols, m.data)).toEqual(c.dense);
      }
      return;
    }
    const m: CsvMatrix = parseCsv(text(c.file), { source: c.file });
    expect([m.kind, m.rows, m.cols]).toEqual(["dense", c.rows, c.cols]);
    expect(nested(m.rows, m.cols, m.data)).toEqual(c.dense);
    expect(m.missing).toBe(c.missing);
    expect(m.firstMissing).toEqual(c.firstMissing);
    expect(m.header).toEqual(c.header ?? undefined);
  });

  test("the CLI reads the same matrix", () => {
    if (c.singularValues) {
      // Every entry known: svd's values match LAPACK's on numpy's reading of the file.
      const r = runJson(["svd", c.file, "--vectors", "none"], DIR);
      expect(r.shape.A).toEqual([c.rows, c.cols]);
      expect(r.S).toHaveLength(c.singularValues.length);
      const scale = c.singularValues[0];
      r.S.forEach((s: number, i: number) => expect(Math.abs(s - c.singularValues![i])).toBeLessThan(1e-13 * scale));
    }
    if (c.missing || c.kind === "coordinates") {
      // complete keeps the observed entries as given, to the last digit; the rest is the fit.
      const r = runJson(["complete", c.file, "-k", "1", "--epochs", "1", "--seed", "1"], DIR);
      const observed = c.kind === "coordinates" ? c.value!.length : c.rows * c.cols - c.missing!;
      expect(r.observed).toBe(observed);
      const kept = c.kind === "coordinates"
        ? c.row!.map((i, t) => [r.completed[i][c.col![t]], c.value![t]])
        : c.dense.flatMap((row, i) => row.flatMap((x, j) => (x === null ? [] : [[r.completed[i][j], x]])));
      expect(kept.map(([got]) => got)).toEqual(kept.map(([, want]) => want));
    }
  });
});
