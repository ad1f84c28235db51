// svdStream: the randomised SVD over row blocks read once per pass, against the in-memory
// randomised SVD of the same matrix and seed (the oracle for "same algorithm, other data path"),
// the exact SVD (values), and its bad-input messages.
import { describe, expect, test } from "vitest";
import { FactorisationError, type Matrix, matrix, svd, svdStream } from "../../src/index.js";
import { maxAbsDiff } from "../helpers.js";

function lcg(seed: number) {
  let s = seed;
  return () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
}

/** m×n: columns scaled 1 … 1/n² so the spectrum decays; entries times `scale`. */
function decaying(m: number, n: number, scale = 1): Matrix {
  const rand = lcg(29);
  return matrix(m, n, Array.from({ length: m * n }, (_, i) => (rand() * scale) / (1 + (i % n)) ** 2));
}

/** Blocks of `sizes` rows cycling (as Matrix), counting the calls of the reader. */
function reader(A: Matrix, sizes: number[]) {
  const reader = () => {
    reader.calls++;
    const blocks: Matrix[] = [];
    for (let r = 0, b = 0; r < A.rows; b++) {
      const rows = Math.min(sizes[b % sizes.length], A.rows - r);
      blocks.push(matrix(rows, A.cols, A.data.subarray(r * A.cols, (r + rows) * A.cols)));
      r += rows;
    }
    return blocks;
  };
  reader.calls = 0;
  return reader;
}

describe("equal to the in-memory randomised SVD of the same matrix and seed", () => {
  const A = decaying(700, 40);

  test.each([
    [[64], {}],
    [[1, 100, 7], { powerIterations: 0 }],
    [[700], { powerIterations: 3, oversample: 4 }],
  ])("blocks of %j rows, %o: 2q + 3 passes, values within m·ε·σ₁ and vectors within 1e-10", async (sizes, opts) => {
    const read = reader(A, sizes);
    const k = 6;
    const streamed = await svdStream(read, { k, seed: 7, ...opts });
    const inMemory = svd(A, { k, seed: 7, method: "randomized", ...opts });
    expect(read.calls).toBe(2 * ((opts as { powerIterations?: number }).powerIterations ?? 2) + 3);
    // The stated bound (the same terms are added in the same order, so today the two agree exactly).
    expect(maxAbsDiff(streamed.S, inMemory.S)).toBeLessThanOrEqual(A.rows * 2.2e-16 * inMemory.S[0]);
    expect(maxAbsDiff(streamed.U!.data, inMemory.U!.data)).toBeLessThan(1e-10);
    expect(maxAbsDiff(streamed.V!.data, inMemory.V!.data)).toBeLessThan(1e-10);
    expect([streamed.U!.rows, streamed.U!.cols, streamed.V!.rows, streamed.V!.cols]).toEqual([700, k, 40, k]);
  });

  test("top values match the exact SVD (decaying spectrum, default settings)", async () => {
    const exact = svd(A, { vectors: "none" }).S;
    const streamed = await svdStream(reader(A, [50]), { k: 4, seed: 1, vectors: "none" });
    expect(streamed.U).toBeUndefined();
    for (let i = 0; i < 4; i++) expect(Math.abs(streamed.S[i] - exact[i]) / exact[0], `S[${i}]`).toBeLessThan(1e-12);
  });

  test("an async generator of nested rows, with another library call between blocks", async () => {
    const B = decaying(90, 12);
    const rows = Array.from({ length: 90 }, (_, i) => Array.from(B.data.subarray(i * 12, (i + 1) * 12)));
    async function* blocks() {
      for (let r = 0; r < 90; r += 20) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        // A synchronous call in between lays its buffers out above the stream's and gives them back.
        expect(svd([[3, 0], [0, 4]], { vectors: "none" }).S).toEqual(Float64Array.from([4, 3]));
        yield rows.slice(r, r + 20);
      }
    }
    const streamed = await svdStream(blocks, { k: 3, seed: 2 });
    const inMemory = svd(B, { k: 3, seed: 2, method: "randomized" });
    expect(maxAbsDiff(streamed.S, inMemory.S)).toBeLessThanOrEqual(90 * 2.2e-16 * inMemory.S[0]);
    expect(maxAbsDiff(streamed.U!.data, inMemory.U!.data)).toBeLessThan(1e-10);
  });

  test("entries near overflow: the safe-range scaling found from pass 1's largest entry, as in memory", async () => {
    const big = decaying(120, 10, 1e300);
    const streamed = await svdStream(reader(big, [33]), { k: 3, seed: 3 });
    const inMemory = svd(big, { k: 3, seed: 3, method: "randomized" });
    expect(Number.isFinite(streamed.S[0])).toBe(true);
    expect(maxAbsDiff(streamed.S, inMemory.S)).toBeLessThanOrEqual(120 * 2.2e-16 * inMemory.S[0]);
    expect(maxAbsDiff(streamed.V!.data, inMemory.V!.data)).toBeLessThan(1e-10);
  });

  test("two streams at once run one after the other and both finish", async () => {
    const [a, b] = await Promise.all([svdStream(reader(A, [100]), { k: 2, seed: 1 }), svdStream(reader(A, [30]), { k: 2, seed: 1 })]);
    expect(maxAbsDiff(a.S, b.S)).toBeLessThanOrEqual(700 * 2.2e-16 * a.S[0]);
  });
});

describe("bad input: a FactorisationError naming what and where", () => {
  const rows3 = [[1, 2], [3, 4], [5, 7]];
  test.each([
    ["a block of another width", () => [rows3.slice(0, 2), [[1, 2, 3]]], { k: 1 }, "SHAPE",
      "svdStream: pass 1 of 7, block 2 (rows 2–2) has 3 columns; the first block had 2 (every block must have the same width)"],
    ["a NaN, named by its row in the whole matrix", () => [rows3.slice(0, 2), [[1, NaN]]], { k: 1 }, "NON_FINITE",
      "svdStream: pass 1 of 7, block 2 (rows 2–2): A[2][1] is NaN; every entry must be finite"],
    ["k larger than the sketch can hold (rows)", () => [[[1, 2]]], { k: 2 }, "RANK",
      "svdStream: k = 2 is larger than the sketch can hold: k must be in [1, min(m, n)] = [1, 1] for the streamed 1×2 matrix"],
    ["k larger than the sketch can hold (columns, found at the first block)", () => [rows3], { k: 3 }, "RANK",
      "svdStream: k = 3 is larger than the sketch can hold: k must be in [1, min(m, n)] and the blocks have 2 columns"],
    ["no rows", () => [], { k: 1 }, "SHAPE", "svdStream: readBlocks() yielded no rows; at least one row is needed"],
    ["not an iterable", () => 42, { k: 1 }, "SHAPE", "svdStream: readBlocks() must return an Iterable or AsyncIterable of row blocks; pass 1 got 42"],
    ["a ragged block", () => [[[1, 2], [3]]], { k: 1 }, "SHAPE", "svdStream: pass 1 of 7, block 1 is ragged: row 0 has 2 entries but row 1 has 1"],
    ["no k", () => [rows3], {}, "OPTION", "svdStream needs k (the number of singular triplets to keep)"],
    ["k not an integer", () => [rows3], { k: 1.5 }, "RANK", "svdStream: k must be a positive integer; got 1.5"],
    ["vectors full", () => [rows3], { k: 1, vectors: "full" }, "OPTION", "vectors must be one of 'thin', 'none'; got \"full\" (string)"],
  ])("%s", async (_what, read, opts, code, message) => {
    const error = await svdStream(read as never, opts as never).then(() => undefined, (e: unknown) => e) as FactorisationError;
    expect(error).toBeInstanceOf(FactorisationError);
    expect([error.code, error.message]).toEqual([code, message]);
  });

  test("a stream that yields fewer or more rows on a later pass", async () => {
    for (const [later, message] of [
      [[rows3.slice(0, 2)], "svdStream: pass 2 of 3 yielded 2 rows; pass 1 yielded 3 (readBlocks() must yield the same matrix on every pass)"],
      [[rows3, [[0, 1]]], "svdStream: pass 2 of 3, block 2 (rows 3–3) goes past the 3 rows that pass 1 yielded; readBlocks() must yield the same matrix on every pass"],
    ] as const) {
      let pass = 0;
      const read = () => (pass++ === 0 ? [rows3] : later);
      const error = await svdStream(read, { k: 1, powerIterations: 0 }).then(() => undefined, (e: unknown) => e) as FactorisationError;
      expect([error?.code, error?.message]).toEqual(["SHAPE", message]);
    }
  });

  test("not a function: refused before anything is read", async () => {
    await expect(svdStream([[1]] as never, { k: 1 })).rejects.toThrow(
      new FactorisationError("SHAPE", "svdStream: readBlocks must be a function returning an Iterable or AsyncIterable of row blocks; got an array of length 1"));
  });

  test("after an error the library works: the next stream and a synchronous call succeed", async () => {
    await expect(svdStream(() => [[[1, NaN]]], { k: 1 })).rejects.toThrow(FactorisationError);
    const r = await svdStream(() => [[[3, 0], [0, 4]]], { k: 1, seed: 1 });
    expect(r.S[0]).toBeCloseTo(4, 14);
  });
});
