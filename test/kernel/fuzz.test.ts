// Fuzz: random garbage and random near-valid input at every public function. Each call
// either returns a valid result or throws a FactorisationError with a known code — never
// another exception type, never a hang (sizes and epochs are bounded so each call is quick).
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as lowrank from "../../src/index.js";

const CODES = new Set(["SHAPE", "NON_FINITE", "RANK", "OPTION", "TOO_LARGE", "DIVERGED", "NO_CONVERGENCE"]);
export const FUZZ_RUNS = 400;

const entry = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -1e3, max: 1e3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -0, 5e-324) },
  { weight: 1, arbitrary: fc.anything() },
);
const nestedMatrix = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }))
  .chain(([m, n]) => fc.array(fc.array(entry, { minLength: n, maxLength: n + (m > 3 ? 1 : 0) }), { minLength: m, maxLength: m }));
const flatMatrix = fc
  .tuple(fc.integer({ min: -1, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -1, max: 1 }))
  .chain(([m, n, off]) =>
    fc.record({
      rows: fc.constant(m),
      cols: fc.constant(n),
      data: fc.float64Array({ minLength: Math.max(0, m * n + off), maxLength: Math.max(0, m * n + off) }),
    }));
// ml-matrix-like objects and { rows, cols, data } with plain or other typed arrays as data.
const otherLike = fc
  .tuple(fc.integer({ min: -1, max: 5 }), fc.integer({ min: -1, max: 5 }), fc.array(entry, { maxLength: 30 }))
  .chain(([m, n, values]) => fc.constantFrom(
    { rows: m, columns: n, get: (r: number, c: number) => values[r * Math.max(n, 0) + c] },
    { rows: m, columns: n, to2DArray: () => [values.slice(0, Math.max(n, 0))] },
    { rows: m, cols: n, data: values },
    { rows: m, cols: n, data: Float32Array.from(values.filter((x) => typeof x === "number") as number[]) },
  ));
const matrixLike = fc.oneof(nestedMatrix, flatMatrix, otherLike, fc.anything());
const rank = fc.oneof(fc.integer({ min: -1, max: 7 }), fc.anything());
const options = fc.oneof(
  fc.record(
    {
      epochs: fc.oneof(fc.integer({ min: -2, max: 30 }), fc.anything()),
      lr: fc.oneof(fc.double({ min: -1, max: 10 }), fc.constant("auto"), fc.anything()),
      seed: fc.oneof(fc.integer({ min: -1, max: 2 ** 40 }), fc.anything()),
      lambda: fc.double({ min: -1, max: 1 }),
      tol: fc.double({ min: -1, max: 1 }),
      onEpoch: fc.constantFrom(() => undefined, () => false, 3),
      init: fc.record({ U: matrixLike, V: matrixLike }),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 2 }),
  fc.anything(),
);
const sparseLike = fc.oneof(
  fc.record({
    rows: fc.integer({ min: -1, max: 8 }),
    cols: fc.integer({ min: -1, max: 8 }),
    row: fc.array(fc.integer({ min: -1, max: 8 }), { maxLength: 12 }),
    col: fc.array(fc.integer({ min: -1, max: 8 }), { maxLength: 12 }),
    value: fc.array(entry, { maxLength: 12 }),
  }),
  fc.anything(),
);

function check(call: () => unknown, valid: (result: any) => void): void {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    if (!(error instanceof lowrank.FactorisationError)) throw error;
    expect(CODES.has(error.code)).toBe(true);
    expect(error.message.length).toBeGreaterThan(10);
    return;
  }
  valid(result);
}

const validMatrix = (M: lowrank.Matrix) => {
  expect(M.data).toBeInstanceOf(Float64Array);
  expect(M.data.length).toBe(M.rows * M.cols);
  for (const x of M.data) expect(Number.isFinite(x)).toBe(true);
};
const validSgd = (r: lowrank.SgdResult) => {
  validMatrix(r.U);
  validMatrix(r.V);
  expect(r.U.cols).toBe(r.V.cols);
  expect(Number.isFinite(r.loss) && r.loss >= 0).toBe(true);
};

describe(`fuzz (${FUZZ_RUNS} runs per function)`, () => {
  const property = (arbs: fc.Arbitrary<unknown>[], call: (...args: any[]) => void) =>
    fc.assert(fc.property(fc.tuple(...arbs), (args) => call(...args)), { numRuns: FUZZ_RUNS, seed: 20261129 });

  test("sgdFactorise", () => property([matrixLike, rank, options], (a, k, o) => check(() => lowrank.sgdFactorise(a, k, o), validSgd)));
  test("sgdFactoriseMasked", () =>
    property([matrixLike, fc.oneof(matrixLike, fc.constantFrom(null, undefined)), rank, options], (a, m, k, o) =>
      check(() => lowrank.sgdFactoriseMasked(a, m, k, o), validSgd)));
  test("sgdFactoriseSparse", () =>
    property([sparseLike, rank, options], (e, k, o) => check(() => lowrank.sgdFactoriseSparse(e as never, k as never, o as never), validSgd)));
  test("reconstruct (2 and 3 arguments)", () => {
    property([matrixLike, matrixLike], (u, v) => check(() => lowrank.reconstruct(u, v), validMatrix));
    property([matrixLike, fc.oneof(fc.array(entry, { maxLength: 6 }), matrixLike), matrixLike], (u, s, v) =>
      check(() => lowrank.reconstruct(u, s as never, v), validMatrix));
  });
  test("reconstructionLoss", () =>
    property([matrixLike, matrixLike, matrixLike], (a, u, v) =>
      check(() => lowrank.reconstructionLoss(a, u, v), (x: number) => expect(x >= 0).toBe(true))));
  const svdOptions = fc.oneof(
    fc.record(
      {
        k: fc.oneof(fc.integer({ min: -1, max: 7 }), fc.anything()),
        vectors: fc.oneof(fc.constantFrom("thin", "full", "none"), fc.anything()),
        method: fc.oneof(fc.constantFrom("exact", "randomized"), fc.anything()),
        seed: fc.integer({ min: -1, max: 100 }),
        oversample: fc.integer({ min: -1, max: 20 }),
        powerIterations: fc.integer({ min: -1, max: 3 }),
      },
      { requiredKeys: [] },
    ),
    fc.anything(),
  );
  const validSvd = (r: lowrank.SvdResult) => {
    for (let i = 0; i < r.S.length; i++) {
      expect(r.S[i]).toBeGreaterThanOrEqual(0);
      if (i > 0) expect(r.S[i]).toBeLessThanOrEqual(r.S[i - 1]);
    }
    if (r.U) validMatrix(r.U);
    if (r.V) validMatrix(r.V);
  };
  test("svd and svdFactorise", () => {
    property([matrixLike, svdOptions], (a, o) => check(() => lowrank.svd(a, o as never), validSvd));
    property([matrixLike, rank], (a, k) => check(() => lowrank.svdFactorise(a, k as never), (r: any) => {
      validMatrix(r.U);
      validMatrix(r.S);
      validMatrix(r.V);
    }));
  });
  test("rmse", () =>
    property([matrixLike, matrixLike, sparseLike], (u, v, e) => check(() => lowrank.rmse(u, v, e as never), (x: number) => expect(x >= 0).toBe(true))));
  test("matrix and toArray", () => {
    property([fc.anything(), fc.anything(), fc.anything()], (r, c, d) => check(() => lowrank.matrix(r as never, c as never, d as never), validMatrix));
    property([matrixLike], (m) => check(() => lowrank.toArray(m as never), (x: number[][]) => expect(Array.isArray(x)).toBe(true)));
  });
});
