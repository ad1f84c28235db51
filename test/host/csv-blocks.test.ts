// parseCsvBlocks — parseCsv's reader fed text in pieces, read into row blocks — against parseCsv
// itself: on every file in test/fixtures/io/ and on hand-written texts, cut into pieces at every
// position, the blocks stacked are parseCsv's matrix and every error is parseCsv's, word for word.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { type CsvBlock, type CsvOptions, FactorisationError, ParseError, parseCsv, parseCsvBlocks, svd, svdStream } from "../../src/index.js";

const DIR = fileURLToPath(new URL("../fixtures/io/", import.meta.url));

/** What a read gives, comparable with toEqual: the matrix and how it was read, or the error's name and message. */
type Outcome = { rows: number; cols: number; data: (number | null)[]; missing: number; firstMissing?: unknown; header?: string[]; delimiter: string } | string;

const nulls = (data: ArrayLike<number>): (number | null)[] => Array.from(data, (x) => (Number.isNaN(x) ? null : x));
const failure = (error: unknown): string => `${(error as Error).name}: ${(error as Error).message}`;

function whole(text: string, options: CsvOptions): Outcome {
  try {
    const m = parseCsv(text, options);
    const out: Outcome = { rows: m.rows, cols: m.cols, data: nulls(m.data), missing: m.missing, delimiter: m.delimiter };
    if (m.firstMissing) out.firstMissing = m.firstMissing;
    if (m.header) out.header = m.header;
    return out;
  } catch (error) {
    return failure(error);
  }
}

/** The blocks of `pieces`, stacked into parseCsv's form; also checks each block's own fields. */
async function stacked(pieces: string[], options: CsvOptions & { blockRows?: number; reuse?: boolean }): Promise<Outcome> {
  try {
    const data: number[] = [];
    let missing = 0;
    let firstMissing: unknown;
    let first: CsvBlock | undefined;
    let rows = 0;
    for await (const block of parseCsvBlocks(pieces, options)) {
      first ??= block;
      expect(block.firstRow).toBe(rows);
      expect([block.cols, block.delimiter, block.header]).toEqual([first.cols, first.delimiter, first.header]);
      expect(block.data.length).toBe(block.rows * block.cols);
      if (options.blockRows !== undefined) expect(block.rows).toBeLessThanOrEqual(options.blockRows);
      expect(nulls(block.data).filter((x) => x === null)).toHaveLength(block.missing);
      if (block.missing > 0) firstMissing ??= block.firstMissing;
      rows += block.rows;
      missing += block.missing;
      data.push(...nulls(block.data));
    }
    const out: Outcome = { rows, cols: first!.cols, data, missing, delimiter: first!.delimiter };
    if (firstMissing) out.firstMissing = firstMissing;
    if (first!.header) out.header = first!.header;
    return out;
  } catch (error) {
    return failure(error);
  }
}

/** `text` cut at `cuts`. */
const cut = (text: string, cuts: readonly number[]): string[] => [0, ...cuts].map((from, i) => text.slice(from, [...cuts, text.length][i]));

/** Every way to cut `text` in two, and into one-character pieces. */
function cutsOf(text: string): number[][] {
  const cuts = Array.from({ length: text.length + 1 }, (_, i) => [i]);
  cuts.push(Array.from({ length: Math.max(0, text.length - 1) }, (_, i) => i + 1));
  return cuts;
}

/**
 * Reads `text` whole and in pieces, cut everywhere, with the options given and with the
 * delimiter forced to the one found (so rows are read before 20 are in: the sniffer waits for them).
 */
async function expectSameReading(text: string, options: CsvOptions = {}, blockRows = [1, 3]): Promise<void> {
  const expected = whole(text, options);
  const found = typeof expected === "string" ? "," : expected.delimiter;
  for (const o of [options, { delimiter: found, ...options }]) {
    const want = whole(text, o);
    for (const cuts of cutsOf(text)) {
      for (const rows of blockRows) {
        expect(await stacked(cut(text, cuts), { ...o, blockRows: rows }), JSON.stringify({ text, o, cuts, rows })).toEqual(want);
      }
    }
  }
}

const fixtureText = (file: string): string => {
  const bytes = readFileSync(DIR + file);
  return (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
};

describe("parseCsvBlocks reads what parseCsv reads", () => {
  const files = readdirSync(DIR).filter((f) => f !== "expected.json").sort();

  test("the fixtures are the io/ files", () => {
    expect(files.length).toBeGreaterThanOrEqual(16);
    expect(files).toContain("quoted.csv");
    expect(files).toContain("savetxt-comma.csv.gz");
  });

  // Matrix Market files too: as CSV text, both readers must give the same result or error.
  test.each(files)("%s, cut at every position", async (file) => {
    await expectSameReading(fixtureText(file), { source: file }, [2]);
  });

  test.each([
    ["a byte-order mark, CRLF, spaces around cells, quoted cells, trailing blank lines", '\uFEFF1, "2" ,3\r\n 4,5 ,6\r\n\r\n\n'],
    ["missing entries in every spelling, the first one located", "1,2,3\n,NA,na\nN/A,#n/a,NaN\nnan,-nan,NULL\n7,8,9\n"],
    ["a quoted header with a delimiter, doubled quotes and a line break", '"a,b","say ""hi""","two\nlines"\r\n1,2,3\n"4",5,6\n'],
    ["a line number after a multi-line quoted cell", '"x","multi\nline\nname"\n1,2\n3,oops\n'],
    ["a cut between \\r and \\n must not count a line twice", "1,2\r\n3,\r\n5,x\r\n"],
    ["old Mac line ends, no final line break", "1\r2\r3"],
    ["tab with blank cells", "1\t\t3\n4\t5\t6\n"],
    ["whitespace columns", "   1   2\t 3\n  4  5    6   \n"],
    ["a semicolon file with decimal-comma text in its header", '"x,1";"y,2";"z"\n1;2;3\n4;5;6\n'],
    ["comment lines", "# a b\n1 2\n  # note\n3 4\n"],
    ["a word in the data", "1,2\n3,abc\n"],
    ["a decimal comma", "1;2\n3;1,5\n"],
    ["a numeric header with a word: the header fix waits for the rest of the text", "2019,2020,total\n1,2,3\n4,5,6\n"],
    ["… and is not offered when a later row is bad", "2019,2020,total\n1,2,3\n4,5,x\n"],
    ["… nor when a later row is ragged", "2019,total\n1,2\n3\n"],
    ["a typo on line 1 and on line 2", "1,x\n2,y\n"],
    ["an infinity", "1,inf\n"],
    ["a number beyond the double range", "1,1e999\n"],
    ["a ragged row", "1,2,3\n4,5\n"],
    ["a ragged row after a header", "a,b\n1,2,3\n"],
    ["an unclosed quote", '1,2\n3,"4\n'],
    ["text after a closing quote: the message quotes the rest of the line", '1,2\n3,"4"56\n'],
    ["a doubled quote", '"say ""hi""",1\n2,3\n'],
    ["a header and nothing else", "a,b\n"],
    ["nothing at all", "\n# only a comment\n"],
    ["an empty text", ""],
    ["more rows than the sniffer reads", Array.from({ length: 30 }, (_, i) => `${i} ${i + 1}`).join("\n")],
  ])("%s", async (_name, text) => {
    await expectSameReading(text);
  });

  test.each([
    ["header: true", "2019,2020\n1,2\n", { header: true }],
    ["header: false on a header-looking line", "x,y\n1,2\n", { header: false }],
    ["a forced delimiter that splits nothing", "1\t2\n3\t4\n", { delimiter: "," }],
    ["comment off", "1,2\n#3,4\n", { comment: "" }],
    ["a two-character comment cut in two", "1,2\n//3,4\n5,6\n", { comment: "//" }],
  ])("with options: %s", async (_name, text, options) => {
    await expectSameReading(text, options as CsvOptions);
  });
});

describe("parseCsvBlocks: blocks", () => {
  const rows = Array.from({ length: 25 }, (_, i) => [i, i === 7 ? "" : 2 * i, i === 18 ? "NA" : -i]);
  const text = "a,b,c\n" + rows.map((r) => r.join(",")).join("\n") + "\n";

  test("blockRows rows a block, the last one short; firstRow, header, delimiter; each block's own missing entries", async () => {
    const blocks: CsvBlock[] = [];
    for await (const block of parseCsvBlocks([text], { blockRows: 10, source: "t.csv" })) blocks.push(block);
    expect(blocks.map((b) => [b.firstRow, b.rows, b.cols, b.missing, b.firstMissing])).toEqual([
      [0, 10, 3, 1, { line: 9, column: 2 }],
      [10, 10, 3, 1, { line: 20, column: 3 }],
      [20, 5, 3, 0, undefined],
    ]);
    expect(blocks.every((b) => b.header?.join() === "a,b,c" && b.delimiter === "," && b.kind === "dense")).toBe(true);
    expect(Array.from(blocks[2].data)).toEqual([20, 40, -20, 21, 42, -21, 22, 44, -22, 23, 46, -23, 24, 48, -24]);
    expect(blocks[0].data).not.toBe(blocks[1].data);
  });

  test("the default block fills 1 MiB (131072 doubles); reuse hands out one buffer", async () => {
    const wide = Array.from({ length: 3 }, (_, r) => Array.from({ length: 50_000 }, (_, c) => (r + c) % 7).join(",")).join("\n");
    const sizes: number[] = [];
    for await (const block of parseCsvBlocks(wide)) sizes.push(block.rows);
    expect(sizes).toEqual([2, 1]); // ⌊131072 / 50000⌋ = 2 rows
    const buffers = new Set<ArrayBufferLike>();
    const firsts: number[] = [];
    for await (const block of parseCsvBlocks([text], { blockRows: 4, reuse: true })) {
      buffers.add(block.data.buffer);
      firsts.push(block.data[0]);
    }
    expect(buffers.size).toBe(1);
    expect(firsts).toEqual([0, 4, 8, 12, 16, 20, 24]);
  });

  test("blocks come as the pieces come: the first block before the text is all read", async () => {
    let given = 0;
    async function* pieces(): AsyncGenerator<string> {
      for (const line of text.split(/(?<=\n)/)) {
        given++;
        yield line;
      }
    }
    const seenAt: number[] = [];
    for await (const _ of parseCsvBlocks(pieces(), { blockRows: 5, delimiter: "," })) seenAt.push(given);
    expect(seenAt).toEqual([6, 11, 16, 21, 26]); // the header and 5 rows, then 5 rows a block
    expect(given).toBe(26);
  });

  test("an Iterable, an AsyncIterable, or one string", async () => {
    const count = async (pieces: Parameters<typeof parseCsvBlocks>[0]): Promise<number> => {
      let n = 0;
      for await (const block of parseCsvBlocks(pieces)) n += block.rows;
      return n;
    };
    expect(await count(text)).toBe(25);
    expect(await count(new Set([text.slice(0, 40), text.slice(40)]))).toBe(25);
    expect(await count((async function* () { yield text; })())).toBe(25);
  });

  test("svdStream over the blocks is the in-memory randomised SVD of parseCsv's matrix", async () => {
    const m = 60;
    const n = 7;
    const csv = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => Math.sin(i * 1.3 + j * j * 0.7) * (j + 1)).join(",")).join("\n");
    const pieces = cut(csv, [100, 101, 555, 900]);
    const streamed = await svdStream(() => parseCsvBlocks(pieces, { blockRows: 8, reuse: true }), { k: 3, seed: 11 });
    const inMemory = svd(parseCsv(csv), { k: 3, method: "randomized", seed: 11 });
    expect(Array.from(streamed.S)).toEqual(Array.from(inMemory.S));
    expect(Array.from(streamed.U!.data)).toEqual(Array.from(inMemory.U!.data));
  });
});

describe("parseCsvBlocks: bad arguments", () => {
  const option = async (run: () => AsyncIterable<unknown>): Promise<string> => {
    try {
      for await (const _ of run()) void _;
    } catch (error) {
      expect(error).toBeInstanceOf(FactorisationError);
      expect(error).not.toBeInstanceOf(ParseError);
      expect((error as FactorisationError).code).toBe("OPTION");
      return (error as Error).message;
    }
    throw new Error("no error thrown");
  };

  test("options and pieces are checked when called; each piece as it comes", async () => {
    expect(() => parseCsvBlocks(42 as never)).toThrow("parseCsvBlocks: pieces must be a string, or an Iterable or AsyncIterable of strings; got 42");
    expect(() => parseCsvBlocks(["1"], { blockRows: 0 })).toThrow("parseCsvBlocks: blockRows must be an integer ≥ 1; got 0");
    expect(() => parseCsvBlocks(["1"], { blockRows: 2.5 })).toThrow("parseCsvBlocks: blockRows must be an integer ≥ 1; got 2.5");
    expect(() => parseCsvBlocks(["1"], { reuse: 1 } as never)).toThrow("parseCsvBlocks: reuse must be a boolean; got 1");
    expect(() => parseCsvBlocks(["1"], { rows: 2 } as never))
      .toThrow("parseCsvBlocks: unknown option 'rows'; known options are delimiter, header, comment, source, blockRows, reuse");
    expect(() => parseCsvBlocks(["1"], { delimiter: "ab" })).toThrow(/^parseCsvBlocks: delimiter must be one character other than a quote/);
    expect(await option(() => parseCsvBlocks(["1,2\n", 3 as never]))).toBe("parseCsvBlocks: piece 2 must be a string; got 3");
  });
});
