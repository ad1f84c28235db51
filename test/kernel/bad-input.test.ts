// Bad input: every case is a FactorisationError with a known code and a message that says
// what was expected and what came; no input is modified; the library keeps working.
import { describe, expect, test } from "vitest";
import {
  FactorisationError, matrix, pca, reconstruct, reconstructionLoss, rmse, sgdFactorise, sgdFactoriseMasked, sgdFactoriseSparse, svd,
  svdFactorise, toArray,
} from "../../src/index.js";
import { fixture, mat } from "../helpers.js";

const lab = fixture("seed-cases.json");
const A = () => mat(3, 3, lab.A);
const nested = () => [[1, 2, 3], [4, 5, 6]];
const sparse = () => ({ rows: 3, cols: 4, row: [0, 1, 2], col: [3, 2, 1], value: [1, 2, 3] });
const sgd = (a: unknown, rank: unknown, opts?: unknown) => () => sgdFactorise(a as never, rank as never, opts as never);

type Case = [name: string, call: () => unknown, code: FactorisationError["code"], message: string | RegExp];

export const corpus: Case[] = [
  // matrices
  ["A is null", sgd(null, 1), "SHAPE", "A must be a Matrix {rows, cols, data}, an ml-matrix-like {rows, columns, get}, or an array of rows; got null"],
  ["A is a number", sgd(5, 1), "SHAPE", "A must be a Matrix {rows, cols, data}, an ml-matrix-like {rows, columns, get}, or an array of rows; got 5"],
  ["A is a string", sgd("1,2;3,4", 1), "SHAPE", 'A must be a Matrix {rows, cols, data}, an ml-matrix-like {rows, columns, get}, or an array of rows; got "1,2;3,4" (string)'],
  ["A is empty", sgd([], 1), "SHAPE", "A must have at least one row and one column; got 0×0"],
  ["A has empty rows", sgd([[], []], 1), "SHAPE", "A must have at least one row and one column; got 2×0"],
  ["A is ragged", sgd([[1, 2], [3]], 1), "SHAPE", "A is ragged: row 0 has 2 entries but row 1 has 1"],
  ["a row of A is a number", sgd([[1, 2], 3], 1), "SHAPE", "A[1] must be an array of numbers; got 3"],
  ["A's first row is not an array", sgd([7, [1]], 1), "SHAPE", "A[0] must be an array of numbers; got 7"],
  ["A holds a string", sgd([[1, "2"], [3, 4]], 1), "NON_FINITE", 'A[0][1] must be a finite number; got "2" (string)'],
  ["A holds null", sgd([[1, 2], [null, 4]], 1), "NON_FINITE", "A[1][0] must be a finite number; got null"],
  ["A holds a boolean", sgd([[true, 2], [3, 4]], 1), "NON_FINITE", "A[0][0] must be a finite number; got true (boolean)"],
  ["A holds a bigint", sgd([[1n, 2], [3, 4]], 1), "NON_FINITE", "A[0][0] must be a finite number; got 1n (bigint)"],
  ["A holds NaN", sgd([[1, 2], [3, NaN]], 1), "NON_FINITE", "A[1][1] is NaN; every entry must be finite"],
  ["A holds Infinity", sgd([[1, Infinity], [3, 4]], 1), "NON_FINITE", "A[0][1] is Infinity; every entry must be finite"],
  ["A holds -Infinity", sgd(mat(2, 2, [1, 2, -Infinity, 4]), 1), "NON_FINITE", "A[1][0] is -Infinity; every entry must be finite"],
  ["Matrix data too short", sgd({ rows: 2, cols: 2, data: new Float64Array(3) }, 1), "SHAPE",
    "A.data must have rows·cols = 4 entries for a 2×2 matrix; got 3"],
  ["Matrix data not an array", sgd({ rows: 1, cols: 2, data: "12" as unknown as number[] }, 1), "SHAPE",
    "A.data must be a Float64Array or an array of numbers; got \"12\" (string)"],
  ["Matrix data with a string", sgd({ rows: 1, cols: 2, data: [1, "2"] as unknown as number[] }, 1), "NON_FINITE",
    "A.data[1] must be a finite number; got \"2\" (string)"],
  ["matrix-like get() gives a string", sgd({ rows: 2, columns: 2, get: (r: number, c: number) => (r === 1 && c === 0 ? "x" : 1) } as never, 1),
    "NON_FINITE", "A.get(1, 0) must be a finite number; got \"x\" (string)"],
  ["matrix-like to2DArray() of the wrong shape", sgd({ rows: 2, columns: 3, to2DArray: () => [[1, 2], [3, 4]] } as never, 1),
    "SHAPE", "A.to2DArray() gave 2×2 for a 2×3 matrix"],
  ["Matrix rows negative", sgd({ rows: -1, cols: 2, data: new Float64Array(0) }, 1), "SHAPE", "A.rows must be a non-negative integer; got -1"],
  ["Matrix cols fractional", sgd({ rows: 1, cols: 1.5, data: new Float64Array(1) }, 1), "SHAPE", "A.cols must be a non-negative integer; got 1.5"],
  ["Matrix of 70 000 × 70 000 without its data", sgd({ rows: 70000, cols: 70000, data: new Float64Array(0) }, 1), "SHAPE",
    "A.data must have rows·cols = 4900000000 entries for a 70000×70000 matrix; got 0"],
  // Array-likes of 70 000 rows of 70 000: refused before anything is allocated.
  ["nested 70 000 × 70 000", sgd({ length: 70000, 0: { length: 70000 } } as unknown as number[][], 1), "TOO_LARGE",
    "A (70000×70000) needs 36.51 GiB; WebAssembly (wasm32) memory holds at most 4 GiB"],
  // rank
  ["rank 0", sgd(A(), 0), "RANK", "rank must be an integer in [1, 3] for a 3×3 matrix; got 0"],
  ["rank 4 on 3×3", sgd(A(), 4), "RANK", "rank must be an integer in [1, 3] for a 3×3 matrix; got 4"],
  ["rank 1.5", sgd(A(), 1.5), "RANK", "rank must be an integer in [1, 3] for a 3×3 matrix; got 1.5"],
  ["rank NaN", sgd(A(), NaN), "RANK", "rank must be an integer in [1, 3] for a 3×3 matrix; got NaN"],
  ["rank as a string", sgd(nested(), "2"), "RANK", 'rank must be an integer in [1, 2] for a 2×3 matrix; got "2" (string)'],
  ["rank missing", sgd(nested(), undefined), "RANK", "rank must be an integer in [1, 2] for a 2×3 matrix; got undefined"],
  // options
  ["options not an object", sgd(A(), 2, 5), "OPTION", "sgdFactorise options must be an object; got 5"],
  ["options an array", sgd(A(), 2, []), "OPTION", "sgdFactorise options must be an object; got an array of length 0"],
  ["unknown option (typo)", sgd(A(), 2, { epoch: 10 }), "OPTION",
    "sgdFactorise: unknown option 'epoch'; known options are epochs, lr, seed, init, lambda, tol, onEpoch"],
  ["epochs 0", sgd(A(), 2, { epochs: 0 }), "OPTION", "epochs must be an integer in [1, 2147483647]; got 0"],
  ["epochs 2.5", sgd(A(), 2, { epochs: 2.5 }), "OPTION", "epochs must be an integer in [1, 2147483647]; got 2.5"],
  ["epochs 2^31", sgd(A(), 2, { epochs: 2 ** 31 }), "OPTION", "epochs must be an integer in [1, 2147483647]; got 2147483648"],
  ["lr 0", sgd(A(), 2, { lr: 0 }), "OPTION", "lr must be a finite number > 0; got 0"],
  ["lr negative", sgd(A(), 2, { lr: -0.1 }), "OPTION", "lr must be a finite number > 0; got -0.1"],
  ["lr Infinity", sgd(A(), 2, { lr: Infinity }), "OPTION", "lr must be a finite number > 0; got Infinity"],
  ["lr NaN", sgd(A(), 2, { lr: NaN }), "OPTION", "lr must be a finite number > 0; got NaN"],
  ["lr a string", sgd(A(), 2, { lr: "0.1" }), "OPTION", 'lr must be a finite number > 0; got "0.1" (string)'],
  ["lambda negative", sgd(A(), 2, { lambda: -1 }), "OPTION", "lambda must be a finite number ≥ 0; got -1"],
  ["tol NaN", sgd(A(), 2, { tol: NaN }), "OPTION", "tol must be a finite number ≥ 0; got NaN"],
  ["seed negative", sgd(A(), 2, { seed: -1 }), "OPTION", "seed must be an integer in [0, 2^53); got -1"],
  ["seed fractional", sgd(A(), 2, { seed: 0.5 }), "OPTION", "seed must be an integer in [0, 2^53); got 0.5"],
  ["seed too large", sgd(A(), 2, { seed: 2 ** 53 }), "OPTION", "seed must be an integer in [0, 2^53); got 9007199254740992"],
  ["onEpoch not a function", sgd(A(), 2, { onEpoch: 1 }), "OPTION", "onEpoch must be a function; got 1"],
  ["init not an object", sgd(A(), 2, { init: 3 }), "OPTION", "init must be an object { U, V }; got 3"],
  ["init without V", sgd(A(), 2, { init: { U: [[1, 1], [1, 1], [1, 1]] } }), "OPTION", "init must be an object { U, V }; got an object"],
  ["init.U wrong shape", sgd(A(), 2, { init: { U: [[1], [1], [1]], V: [[1, 1], [1, 1], [1, 1]] } }), "SHAPE",
    "init.U must be 3×2 (rows of A × rank); got 3×1"],
  ["init.V wrong shape", sgd(A(), 2, { init: { U: [[1, 1], [1, 1], [1, 1]], V: [[1, 1], [1, 1]] } }), "SHAPE",
    "init.V must be 3×2 (columns of A × rank); got 2×2"],
  ["init.V holds NaN", sgd(A(), 2, { init: { U: [[1, 1], [1, 1], [1, 1]], V: [[1, 1], [1, NaN], [1, 1]] } }), "NON_FINITE",
    "init.V[1][1] is NaN; every entry must be finite"],
  // masks
  ["mask shape differs", () => sgdFactoriseMasked(A(), [[1, 1], [1, 1]], 1), "SHAPE", "M must have the same shape as A (3×3); got 2×2"],
  ["mask all false", () => sgdFactoriseMasked(nested(), [[false, false, false], [0, 0, 0]], 1), "SHAPE",
    "M has no observed entry (all 6 are 0/false); at least one is needed"],
  ["mask holds NaN", () => sgdFactoriseMasked(nested(), [[1, NaN, 1], [1, 1, 1]], 1), "NON_FINITE", "M[0][1] is NaN; every entry must be finite"],
  ["mask holds a string", () => sgdFactoriseMasked(nested(), [[1, "y", 1], [1, 1, 1]], 1), "NON_FINITE",
    'M[0][1] must be a number or boolean; got "y" (string)'],
  ["masked with unknown option", () => sgdFactoriseMasked(nested(), [[1, 1, 1], [1, 1, 1]], 1, { learningRate: 1 } as never), "OPTION",
    /^sgdFactoriseMasked: unknown option 'learningRate'/],
  // sparse
  ["sparse entries null", () => sgdFactoriseSparse(null as never, 1), "SHAPE", "entries must be an object { rows, cols, row, col, value }; got null"],
  ["sparse rows 0", () => sgdFactoriseSparse({ ...sparse(), rows: 0 }, 1), "SHAPE", "entries.rows must be a positive integer; got 0"],
  ["sparse lengths differ", () => sgdFactoriseSparse({ ...sparse(), col: [1, 2] }, 1), "SHAPE",
    "entries.row, entries.col and entries.value must have the same length; got 3, 2 and 3"],
  ["sparse empty", () => sgdFactoriseSparse({ rows: 2, cols: 2, row: [], col: [], value: [] }, 1), "SHAPE",
    "entries must list at least one entry; got none"],
  ["sparse row out of range", () => sgdFactoriseSparse({ ...sparse(), row: [0, 3, 1] }, 1), "SHAPE",
    "entries.row[1] must be an integer in [0, 2]; got 3"],
  ["sparse col negative", () => sgdFactoriseSparse({ ...sparse(), col: [0, -1, 1] }, 1), "SHAPE",
    "entries.col[1] must be an integer in [0, 3]; got -1"],
  ["sparse fractional index", () => sgdFactoriseSparse({ ...sparse(), row: [0, 0.5, 1] }, 1), "SHAPE",
    "entries.row[1] must be an integer in [0, 2]; got 0.5"],
  ["sparse value Infinity", () => sgdFactoriseSparse({ ...sparse(), value: [1, Infinity, 2] }, 1), "NON_FINITE",
    "entries.value[1] is Infinity; every entry must be finite"],
  ["sparse value a string", () => sgdFactoriseSparse({ ...sparse(), value: [1, 2, "3"] as never }, 1), "NON_FINITE",
    'entries.value[2] must be a finite number; got "3" (string)'],
  ["sparse row not an array", () => sgdFactoriseSparse({ ...sparse(), row: 5 as never }, 1), "SHAPE",
    "entries.row must be an array of numbers; got 5"],
  ["sparse rank too big", () => sgdFactoriseSparse(sparse(), 4), "RANK", "rank must be an integer in [1, 3] for a 3×4 matrix; got 4"],
  ["sparse workspace beyond 4 GiB", () => sgdFactoriseSparse({ rows: 70000, cols: 70000, row: [0], col: [0], value: [1] }, 5000), "TOO_LARGE",
    "sgdFactoriseSparse (70000×70000, rank 5000) needs 10.43 GiB; WebAssembly (wasm32) memory holds at most 4 GiB"],
  // reconstruct / loss / constructors
  ["reconstruct ranks differ", () => reconstruct([[1, 2]], [[1]]), "SHAPE",
    "U and V must have the same number of columns (the rank); got 1×2 and 1×1"],
  ["reconstruct S wrong length", () => reconstruct([[1, 2]], [3], [[1, 2]]), "SHAPE", "S must have 2 values to match the rank of U and V; got 1"],
  ["reconstruct S not diagonal", () => reconstruct([[1, 2]], [[1, 1], [0, 1]], [[1, 2]]), "SHAPE", "S must be diagonal; S[0][1] is 1"],
  ["reconstruct overflows", () => reconstruct([[1e200]], [[1e200]]), "NON_FINITE",
    "the product overflows the double range at [0][0]; scale the factors down"],
  ["loss of an overflowing product", () => reconstructionLoss([[1]], [[1e300, 1e300]], [[1e10, -1e10]]), "NON_FINITE",
    "U Vᵀ overflows the double range, so the loss is undefined; scale the factors down"],
  ["loss shapes differ", () => reconstructionLoss(A(), [[1], [1]], [[1], [1], [1]]), "SHAPE",
    "U and V must be 3×k and 3×k for a 3×3 A; got 2×1 and 3×1"],
  // svd
  ["svd k 0", () => svd(A(), { k: 0 }), "RANK", "k must be an integer in [1, 3] for a 3×3 matrix; got 0"],
  ["svd k beyond min(m, n)", () => svd(nested(), { k: 3 }), "RANK", "k must be an integer in [1, 2] for a 2×3 matrix; got 3"],
  ["svd unknown vectors", () => svd(A(), { vectors: "economy" as never }), "OPTION",
    "vectors must be one of 'thin', 'full', 'none'; got \"economy\" (string)"],
  ["svd unknown method", () => svd(A(), { method: "lanczos" as never }), "OPTION",
    "method must be one of 'exact', 'randomized'; got \"lanczos\" (string)"],
  ["svd unknown option", () => svd(A(), { rank: 2 } as never), "OPTION",
    "svd: unknown option 'rank'; known options are k, vectors, method, seed, oversample, powerIterations"],
  ["svd full with k", () => svd(A(), { k: 2, vectors: "full" }), "OPTION",
    "vectors 'full' gives complete bases and cannot be combined with k < min(m, n) = 3; got k = 2"],
  ["svd of NaN", () => svd([[1, NaN]]), "NON_FINITE", "A[0][1] is NaN; every entry must be finite"],
  ["svd of Infinity (ml-matrix #70 loops forever)", () => svd([[Infinity, 1], [1, 1]], { vectors: "none" }), "NON_FINITE",
    "A[0][0] is Infinity; every entry must be finite"],
  ["svdFactorise rank 0", () => svdFactorise(A(), 0), "RANK", "rank must be an integer in [1, 3] for a 3×3 matrix; got 0"],
  ["svdFactorise of a ragged matrix", () => svdFactorise([[1, 2], [3]], 1), "SHAPE", "A is ragged: row 0 has 2 entries but row 1 has 1"],
  // sparse svd and pca (svdStream's messages, asynchronous, are in stream.test.ts)
  ["sparse svd with method exact", () => svd(sparse(), { k: 1, method: "exact" }), "OPTION",
    "method 'exact' needs a dense matrix; sparse input has method 'randomized' only (densify the 3×4 matrix yourself for the exact SVD)"],
  ["sparse svd without k", () => svd(sparse()), "OPTION", "sparse input needs k (the number of singular triplets to keep)"],
  ["sparse svd with full vectors", () => svd(sparse(), { k: 1, vectors: "full" }), "OPTION", "sparse input gives thin vectors only; use vectors 'thin' or 'none'"],
  ["sparse svd with k too large", () => svd(sparse(), { k: 4 }), "RANK", "k must be an integer in [1, 3] for a 3×4 matrix; got 4"],
  ["sparse svd with a column out of range", () => svd({ ...sparse(), col: [3, 4, 1] }, { k: 1 }), "SHAPE", "entries.col[1] must be an integer in [0, 3]; got 4"],
  ["sparse svd with NaN", () => svd({ ...sparse(), value: [1, NaN, 3] }, { k: 1 }), "NON_FINITE", "entries.value[1] is NaN; every entry must be finite"],
  ["pca of one row", () => pca([[1, 2, 3]]), "SHAPE", "pca needs at least 2 samples (rows) to estimate variances; got 1×3"],
  ["pca scale without center", () => pca(nested(), { scale: true, center: false }), "OPTION",
    "scale needs center: the standard deviations are taken about the column means"],
  ["pca of sparse input, exact", () => pca(sparse(), { k: 1, method: "exact" }), "OPTION",
    "method 'exact' needs a dense matrix; sparse input has method 'randomized' only (densify the 3×4 matrix yourself for the exact PCA)"],
  ["pca center not a boolean", () => pca(nested(), { center: "yes" } as never), "OPTION", 'center must be a boolean; got "yes" (string)'],
  ["rmse with no entries", () => rmse([[1]], [[1]], { row: [], col: [], value: [] }), "SHAPE", "entries must list at least one entry; got none"],
  ["matrix() data length", () => matrix(2, 2, [1, 2, 3]), "SHAPE", "data must have rows·cols = 4 entries for a 2×2 matrix; got 3"],
  ["matrix() negative rows", () => matrix(-2, 2), "SHAPE", "rows must be a non-negative integer; got -2"],
  ["toArray of a non-matrix", () => toArray(42 as never), "SHAPE", "M must be a Matrix {rows, cols, data}, an ml-matrix-like {rows, columns, get}, or an array of rows; got 42"],
];

function caught(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("bad-input corpus", () => {
  test("has at least 40 entries with distinct names", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map(([name]) => name)).size).toBe(corpus.length);
  });

  for (const [name, call, code, message] of corpus) {
    test(`${name} → ${code}`, () => {
      const error = caught(call);
      expect(error).toBeInstanceOf(FactorisationError);
      expect((error as FactorisationError).code).toBe(code);
      expect((error as FactorisationError).name).toBe("FactorisationError");
      if (typeof message === "string") expect((error as Error).message).toBe(message);
      else expect((error as Error).message).toMatch(message);
    });
  }

  test("after the whole corpus the library still computes the lab's figures", () => {
    for (const [, call] of corpus) caught(call);
    expect(sgdFactorise(A(), 2, { seed: 1 }).loss).toBeLessThan(0.1235);
  });
});

describe("inputs are never modified", () => {
  test("by successful and failing calls alike", () => {
    const a = A();
    const before = a.data.slice();
    const nestedA = nested();
    const U = mat(3, 2, [0.5, 0.1, 0.2, 0.3, 0.4, 0.9]);
    const V = mat(3, 2, [0.7, 0.2, 0.1, 0.6, 0.3, 0.8]);
    const snapshot = [U.data.slice(), V.data.slice()];
    const M = [[1, 1, 0], [1, 0, 1]];
    const entries = sparse();
    const copy = JSON.stringify(entries);
    sgdFactorise(a, 2, { init: { U, V }, epochs: 10 });
    sgdFactorise(nestedA, 2, { seed: 1, epochs: 10 });
    sgdFactoriseMasked(nestedA, M, 1, { seed: 1, epochs: 10 });
    sgdFactoriseSparse(entries, 2, { seed: 1, epochs: 10 });
    reconstruct(U, V);
    reconstruct(U, [2, 3], V);
    reconstructionLoss(a, U, V);
    svd(a);
    svd(nestedA, { vectors: "full" });
    svd(a, { k: 1, method: "randomized", seed: 1 });
    svdFactorise(a, 2);
    rmse(U, V, { row: [0], col: [1], value: [2] });
    caught(() => sgdFactorise(a, 2, { init: { U, V }, lr: 50 }));
    caught(() => sgdFactorise(a, 9));
    caught(() => sgdFactoriseMasked(nestedA, [[0, 0, 0], [0, 0, 0]], 1));
    expect(a.data).toEqual(before);
    expect(nestedA).toEqual(nested());
    expect(U.data).toEqual(snapshot[0]);
    expect(V.data).toEqual(snapshot[1]);
    expect(M).toEqual([[1, 1, 0], [1, 0, 1]]);
    expect(JSON.stringify(entries)).toBe(copy);
  });
});
