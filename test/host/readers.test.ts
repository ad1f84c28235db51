// The library's text readers, parseCsv and parseMatrixMarket, on hand-written text: every
// feature of the formats they read, and every message they give, word for word. (Files from
// numpy and scipy themselves: io-fixtures.test.ts.)
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  FactorisationError, ParseError, isMatrixMarket, parseCsv, parseMatrixMarket, sgdFactoriseSparse, svd, toArray,
} from "../../src/index.js";

/** Row-major doubles as nested rows, NaN as null. */
function nested(m: { rows: number; cols: number; data: Float64Array }): (number | null)[][] {
  return toArray(m).map((row) => row.map((x) => (Number.isNaN(x) ? null : x)));
}

/** The ParseError `run` throws. */
function parseError(run: () => unknown): ParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error("no error thrown");
}

const message = (run: () => unknown): string => parseError(run).message;

describe("parseCsv: what it reads", () => {
  test("CRLF, a byte-order mark, spaces around cells, quoted cells, trailing blank lines", () => {
    const m = parseCsv('\uFEFF1, "2" ,3\r\n 4,5 ,6\r\n\r\n\n');
    expect(nested(m)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect([m.kind, m.missing, m.delimiter, m.header, m.firstMissing]).toEqual(["dense", 0, ",", undefined, undefined]);
  });

  test("blank, NA, N/A, #N/A, NaN, nan, -nan and null (any case) are missing: NaN, counted, the first one located", () => {
    const m = parseCsv("1,2,3\n,NA,na\nN/A,#n/a,NaN\nnan,-nan,NULL\n7,8,9\n");
    expect(nested(m)).toEqual([[1, 2, 3], [null, null, null], [null, null, null], [null, null, null], [7, 8, 9]]);
    expect(m.missing).toBe(9);
    expect(m.firstMissing).toEqual({ line: 2, column: 1 });
  });

  test("number forms: signs, exponents in either case, leading and trailing points", () => {
    expect(nested(parseCsv("+1,-2.5,.5,5.,1e-3,4E+02,-0.0\n"))).toEqual([[1, -2.5, 0.5, 5, 0.001, 400, -0]]);
  });

  test("RFC 4180: a quoted cell holds the delimiter, doubled quotes and line breaks; later lines keep their numbers", () => {
    const m = parseCsv('"a,b","say ""hi""","two\nlines"\r\n1,2,3\n"4",5,6\n');
    expect(m.header).toEqual(["a,b", 'say "hi"', "two\nlines"]);
    expect(nested(m)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(parseError(() => parseCsv('"x","multi\nline\nname"\n1,2\n3,oops\n')).line).toBe(5);
  });

  test.each([
    ["comma", "1,2,3\n4,5,6\n", ","],
    ["tab", "1\t2\t3\n4\t5\t6\n", "\t"],
    ["semicolon", "1;2;3\n4;5;6\n", ";"],
    ["single spaces (np.savetxt's default)", "1 2 3\n4 5 6\n", " "],
    ["runs of spaces and tabs, indented", "   1   2\t 3\n  4  5    6   \n", " "],
    ["tab with blank cells (whitespace would not split them alike)", "1\t\t3\n4\t5\t6\n", "\t"],
    ["comma with spaces after it (whitespace would leave commas in the cells)", "1, 2, 3\n4, 5, 6\n", ","],
    ["semicolon with quoted decimal-comma text in a header", '"x,1";"y,2";"z"\n1;2;3\n4;5;6\n', ";"],
  ])("sniffs the delimiter: %s", (_name, text, delimiter) => {
    const m = parseCsv(text);
    expect(m.delimiter).toBe(delimiter);
    expect(m.cols).toBe(3);
    expect(m.data[m.data.length - 1]).toBe(6);
  });

  test("one column reads with any delimiter; a forced delimiter is used as given", () => {
    expect(nested(parseCsv("1\n2\n3\n"))).toEqual([[1], [2], [3]]);
    expect(nested(parseCsv("1|2\n3|4\n", { delimiter: "|" }))).toEqual([[1, 2], [3, 4]]);
    expect(nested(parseCsv("1 2\n3 4\n", { delimiter: " " }))).toEqual([[1, 2], [3, 4]]);
  });

  test("a header row is detected when line 1 has words and no number, and can be forced either way", () => {
    expect(parseCsv("x,y\n1,2\n").header).toEqual(["x", "y"]);
    expect(parseCsv(",price\n1,2\n").header).toEqual(["", "price"]); // pandas' index column has no name
    expect(parseCsv("2019,2020\n1,2\n").header).toBeUndefined();
    const forced = parseCsv("2019,2020\n1,2\n", { header: true });
    expect([forced.header, forced.rows]).toEqual([["2019", "2020"], 1]);
    expect(message(() => parseCsv("x,y\n1,2\n", { header: false }))).toBe("line 1, column 1: 'x' is not a number; line 1 looks like a header row: pass header: true");
  });

  test("comment lines (np.savetxt's '# header') are skipped, and the comment string can be changed or turned off", () => {
    expect(nested(parseCsv("# a b\n1 2\n  # note\n3 4\n"))).toEqual([[1, 2], [3, 4]]);
    expect(nested(parseCsv("% note\n1,2\n", { comment: "%" }))).toEqual([[1, 2]]);
    expect(message(() => parseCsv("1,2\n#3,4\n", { comment: "" }))).toMatch(/^line 2, column 1: '#3' is not a number/);
  });

  test("the result is a Matrix and goes straight into the library", () => {
    const m = parseCsv("3,0\n0,2\n");
    expect(Array.from(svd(m, { vectors: "none" }).S)).toEqual([3, 2]);
  });
});

describe("parseCsv: messages name the line and column, quote the cell, and suggest the fix that fits", () => {
  test.each([
    ["a word in the data", "1,2\n3,abc\n", {}, "line 2, column 2: 'abc' is not a number; a cell must be a number, or blank, NA or NaN for a missing entry"],
    ["a decimal comma", "1;2\n3;1,5\n", {}, "line 2, column 2: '1,5' is not a number; write decimals with a point (1.5, not 1,5)"],
    ["cells that another delimiter splits", "1\t2\n3\t4\n", { delimiter: "," }, "line 1, column 1: '1\\t2' is not a number; the cells look separated by tab: pass delimiter: \"\\t\""],
    ["a made-up missing marker", "1,2\n3,-\n", {}, "line 2, column 2: '-' is not a number; write a missing entry as a blank cell, NA or NaN"],
    ["a numeric header with a word", "2019,total\n1,2\n", {}, "line 1, column 2: 'total' is not a number; if line 1 is a header row, pass header: true"],
    ["a typo in line 1 when the rest is not all numbers", "1,x\n2,y\n", {}, "line 1, column 2: 'x' is not a number; a cell must be a number, or blank, NA or NaN for a missing entry"],
    ["an infinity", "1,inf\n", {}, "line 1, column 2: 'inf' is infinite; every entry must be finite (blank, NA or NaN for a missing one)"],
    ["a number beyond the double range", "1,1e999\n", {}, "line 1, column 2: '1e999' is beyond the double range; every entry must be finite (blank, NA or NaN for a missing one)"],
    ["a ragged row", "1,2,3\n4,5\n", {}, "line 2: the row has 2 cells but line 1 has 3; cells are split at ','"],
    ["a ragged row after a header", "a,b\n1,2,3\n", {}, "line 2: the row has 3 cells but the header row (line 1) has 2; cells are split at ','"],
    ["an unclosed quote", '1,2\n3,"4\n', {}, 'line 2, column 2: the quote that opens this cell is never closed; a " inside a quoted cell is written ""'],
    ["text after a closing quote", '1,2\n3,"4"5\n', {}, 'line 2, column 2: \'5\' follows the closing quote of the cell; a " inside a quoted cell is written ""'],
    ["a header and nothing else", "a,b\n", {}, "line 1: a header row and no row of numbers after it"],
    ["nothing at all", "\n# only a comment\n", {}, "line 1: there is no row of numbers: the text is empty, or only blank and comment lines"],
  ])("%s", (_name, text, options, expected) => {
    expect(message(() => parseCsv(text, options))).toBe(expected);
  });

  test("a header row is no longer blamed for every bad cell on line 1", () => {
    expect(message(() => parseCsv("1,oops,3\n4,5,6\n7,8,x\n"))).not.toMatch(/header/);
  });

  test("source names the file; line, column, source, problem and fix are fields too", () => {
    const error = parseError(() => parseCsv("1,2\n3,abc\n", { source: "data.csv" }));
    expect(error.message).toBe("data.csv, line 2, column 2: 'abc' is not a number; a cell must be a number, or blank, NA or NaN for a missing entry");
    expect([error.name, error.line, error.column, error.source, error.problem]).toEqual(["ParseError", 2, 2, "data.csv", "'abc' is not a number"]);
    expect(error.fix).toEqual({ note: "a cell must be a number, or blank, NA or NaN for a missing entry" });
    expect(error.describe((fix) => `use ${fix.option}`)).toBe(error.message);
    const header = parseError(() => parseCsv("x,y\n1,2\n", { header: false }));
    expect(header.describe((fix) => `use --${fix.option}`)).toBe("line 1, column 1: 'x' is not a number; line 1 looks like a header row: use --header");
  });

  test("control characters are escaped, long cells cut at 24 characters, surrogate pairs kept whole", () => {
    expect(message(() => parseCsv("1,2\n3,\x1b[31mred\x07\u202e\n"))).toMatch(/^line 2, column 2: '\\x1b\[31mred\\x07\\u202e' is not a number/);
    expect(message(() => parseCsv("1\n" + "😀".repeat(30) + "\n"))).toMatch(new RegExp(`^line 2, column 1: '${"😀".repeat(24)}…' is not a number`, "u"));
    expect(message(() => parseCsv("1\nx\n", { source: "evil\x1b]0;x\x07.csv" }))).toMatch(/^evil\\x1b\]0;x\\x07\.csv, line 2, column 1:/);
  });

  test("bad arguments are a FactorisationError OPTION", () => {
    const option = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(FactorisationError);
        expect((error as FactorisationError).code).toBe("OPTION");
        return (error as Error).message;
      }
      throw new Error("no error thrown");
    };
    expect(option(() => parseCsv("1", { delim: "," } as never))).toBe("parseCsv: unknown option 'delim'; known options are delimiter, header, comment, source");
    expect(option(() => parseCsv("1", { delimiter: "ab" }))).toMatch(/^parseCsv: delimiter must be one character other than a quote/);
    expect(option(() => parseCsv("1", { delimiter: "." }))).toMatch(/^parseCsv: delimiter must be one character/);
    expect(option(() => parseCsv("1", { header: "yes" } as never))).toBe('parseCsv: header must be a boolean; got "yes" (string)');
    expect(option(() => parseCsv(42 as never))).toBe("parseCsv: text must be a string; got 42");
    expect(option(() => parseMatrixMarket("x", { source: 1 } as never))).toBe("parseMatrixMarket: source must be a string; got 1");
  });
});

describe("parseMatrixMarket", () => {
  const mm = (banner: string, body: string) => parseMatrixMarket(`%%MatrixMarket matrix ${banner}\n% a comment\n\n${body}`);

  test("array general: column by column, a dense Matrix; nan is a missing entry", () => {
    const m = mm("array real general", "2 3\n1\n4\n2\nnan\n3\n6\n");
    expect(m.kind).toBe("dense");
    expect(nested(m as never)).toEqual([[1, 2, 3], [4, null, 6]]);
    expect(m.kind === "dense" && [m.missing, m.firstMissing]).toEqual([1, { line: 8, column: 1 }]);
    expect(m.banner).toEqual({ format: "array", field: "real", symmetry: "general" });
  });

  test("array symmetric (lower triangle) and skew-symmetric (below the diagonal) are mirrored", () => {
    expect(nested(mm("array real symmetric", "3 3\n1\n2\n3\n4\n5\n6\n") as never)).toEqual([[1, 2, 3], [2, 4, 5], [3, 5, 6]]);
    expect(nested(mm("array integer skew-symmetric", "3 3\n1\n2\n3\n") as never)).toEqual([[0, -1, -2], [1, 0, -3], [2, 3, 0]]);
  });

  test("coordinate: 0-based, row-major whatever the file's order; symmetric and skew mirrored; pattern entries are 1", () => {
    const general = mm("coordinate real general", "2 3 3\n2 1 4\n1 3 -2\n1 1 7\n");
    expect(general.kind === "coordinates" && [Array.from(general.row), Array.from(general.col), Array.from(general.value)]).toEqual([[0, 0, 1], [0, 2, 0], [7, -2, 4]]);
    const symmetric = mm("coordinate real symmetric", "3 3 3\n1 1 5\n3 1 2\n3 2 -1\n");
    expect(symmetric.kind === "coordinates" && [Array.from(symmetric.row), Array.from(symmetric.col), Array.from(symmetric.value)])
      .toEqual([[0, 0, 1, 2, 2], [0, 2, 2, 0, 1], [5, 2, -1, 2, -1]]);
    const skew = mm("coordinate integer skew-symmetric", "2 2 1\n2 1 3\n");
    expect(skew.kind === "coordinates" && [Array.from(skew.row), Array.from(skew.col), Array.from(skew.value)]).toEqual([[0, 1], [1, 0], [-3, 3]]);
    const pattern = mm("coordinate pattern symmetric", "2 2 2\n1 1\n2 1\n");
    expect(pattern.kind === "coordinates" && Array.from(pattern.value)).toEqual([1, 1, 1]);
    expect(mm("coordinate double general", "1 1 1\n1 1 2.5\n").banner.field).toBe("real");
  });

  test("the coordinate result is what sgdFactoriseSparse takes", () => {
    const entries = mm("coordinate real general", "2 2 3\n1 1 1\n1 2 2\n2 1 2\n");
    expect(entries.kind).toBe("coordinates");
    const r = sgdFactoriseSparse(entries as never, 1, { seed: 1, epochs: 2000, lr: 0.05 });
    expect(r.loss).toBeLessThan(1e-6);
  });

  test("isMatrixMarket looks at the banner only, in any case, after a byte-order mark", () => {
    expect([isMatrixMarket("%%matrixmarket matrix"), isMatrixMarket("\uFEFF%%MatrixMarket"), isMatrixMarket("% MatrixMarket"), isMatrixMarket("1,2")])
      .toEqual([true, true, false, false]);
  });

  test.each([
    ["complex", "coordinate complex general", "1 1 1\n1 1 1 0\n", "line 1, column 4: complex entries are not supported; lowrank factorises real matrices; write the real part, e.g. scipy.io.mmwrite(path, A.real)"],
    ["hermitian", "coordinate real hermitian", "1 1 0\n", "line 1, column 5: hermitian matrices are complex and not supported; a real symmetric matrix is written 'symmetric'"],
    ["a vector", "coordinate real general", "", ""],
    ["an unknown format", "sparse real general", "1 1 0\n", "line 1, column 3: the format 'sparse' is not one of coordinate, array"],
    ["array pattern", "array pattern general", "1 1\n", "line 1, column 4: the field 'pattern' goes with the format 'coordinate' only"],
    ["pattern skew", "coordinate pattern skew-symmetric", "1 1 0\n", "line 1, column 5: the field 'pattern' cannot be skew-symmetric: a pattern has no signs"],
    ["a non-square symmetric", "coordinate real symmetric", "2 3 0\n", "line 4: a symmetric matrix is square; the size line says 2×3"],
    ["a fraction under integer", "coordinate integer general", "1 1 1\n1 1 2.5\n", "line 5, column 3: '2.5' is not an integer (the banner says 'integer')"],
    ["a non-zero skew diagonal", "coordinate real skew-symmetric", "2 2 1\n1 1 3\n", "line 5, column 3: a skew-symmetric matrix has zeros on its diagonal; got '3' at (1, 1)"],
    ["an entry and its mirror", "coordinate real symmetric", "2 2 2\n2 1 3\n1 2 3\n", "line 6: entry (1, 2) is listed twice: on line 5 (mirrored) and line 6; a symmetric file lists one triangle only"],
    ["too few entries", "coordinate real general", "2 2 2\n1 1 1\n", "line 4: the size line announces 2 entries but the file lists 1"],
    ["too many entries", "coordinate real general", "2 2 1\n1 1 1\n2 2 2\n", "line 6: more entries than the 1 the size line (line 4) announces"],
    ["too few values", "array real general", "2 2\n1\n2\n3\n", "line 4: the size line announces 4 values but the file lists 3"],
    ["nan in a coordinate file", "coordinate real general", "1 1 1\n1 1 nan\n", "line 5, column 3: 'nan' is not a number; a coordinate file lists the entries it has; leave a missing entry out"],
    ["an infinite value", "array real general", "1 1\ninf\n", "line 5, column 1: 'inf' is not finite; every entry must be finite"],
    ["an index out of range", "coordinate real general", "2 2 1\n3 1 1\n", "line 5, column 1: the row index must be an integer in [1, 2]; got '3'"],
    ["a missing value", "coordinate real general", "2 2 1\n1 1\n", "line 5: an entry must be 'row col value' (the field is 'real'); got '1 1'"],
    ["no size line", "coordinate real general", "", "line 2: the size line 'rows cols entries' is missing"],
  ])("refuses %s", (name, banner, body, expected) => {
    if (name === "a vector") {
      expect(message(() => parseMatrixMarket("%%MatrixMarket vector coordinate real general\n1 1\n"))).toBe("line 1, column 2: the object 'vector' is not supported: only 'matrix'");
      expect(message(() => parseMatrixMarket("%%MatrixMarket matrix\n"))).toMatch(/^line 1: the banner must read '%%MatrixMarket matrix coordinate\|array/);
      expect(message(() => parseMatrixMarket("1,2\n", { source: "x.csv" }))).toMatch(/^x\.csv, line 1: the first line must be the banner/);
      return;
    }
    expect(message(() => mm(banner, body))).toBe(expected);
  });

  test("a size line announcing 2^29 entries allocates for the lines there are, and says the count is wrong", () => {
    expect(message(() => mm("coordinate real general", "2 2 536870912\n1 1 1\n"))).toBe("line 4: the size line announces 536870912 entries but the file lists 1");
    expect(() => mm("array real general", "70000 70000\n1\n")).toThrow(FactorisationError);
  });
});

test("the readers import nothing from node: — they run in browsers (see the browser test)", () => {
  const seen = new Set<string>();
  const visit = (url: URL): void => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const source = readFileSync(url, "utf8");
    expect(source, url.pathname).not.toMatch(/from "node:|import\("node:|require\(/);
    for (const [, path] of source.matchAll(/from "(\.{1,2}\/[^"]+)\.js"/g)) visit(new URL(`${path}.ts`, url));
  };
  visit(new URL("../../src/io/csv.ts", import.meta.url));
  visit(new URL("../../src/io/matrix-market.ts", import.meta.url));
  expect([...seen].map((u) => u.split("/src/")[1]).sort()).toEqual(["errors.ts", "io/csv-rows.ts", "io/csv.ts", "io/matrix-market.ts", "io/text.ts", "limits.ts", "options.ts"]);
});
