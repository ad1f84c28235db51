// The dqds kernel (assembly/dqds.ts, through the debug build's debugBidiagonalValues) on
// bidiagonals whose singular values mpmath computed to high relative accuracy
// (test/fixtures/dqds-bidiagonals.json, scripts/reference/graded_bidiagonals.py): every value,
// down to 1e-300 of the largest, to a few ulps of itself.
import { describe, expect, test } from "vitest";
import { fixture } from "../helpers.js";
import { testBuildBytes } from "../setup/kernel-builds.js";

const EPS = 2 ** -52;
/** Relative error allowed per value (ulps of the value itself): measured worst 3.4 (random_40). */
const RELATIVE_ULPS = 8;

interface DqdsExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  debugBidiagonalValues(n: number, d: number, e: number, work: number): number;
  debugSetIterationLimitFactor(factor: number): void;
}

const cases: { name: string; n: number; d: number[]; e: number[]; S: number[] }[] = fixture("dqds-bidiagonals.json").cases;

/** Runs the kernel on (d, e); returns its status, the values and e as it was left. */
function dqds(d: number[], e: number[], cap = -1): { status: number; values: Float64Array; e: Float64Array } {
  const x = new WebAssembly.Instance(new WebAssembly.Module(testBuildBytes()), {}).exports as unknown as DqdsExports;
  const n = d.length;
  const pd = x.heapBase();
  const pe = pd + 8 * n + 8;
  const work = pe + 8 * n + 8;
  const need = work + 8 * (5 * n + 8) - x.memory.buffer.byteLength;
  if (need > 0) x.memory.grow(Math.ceil(need / 65536));
  new Float64Array(x.memory.buffer, pd, n).set(d);
  new Float64Array(x.memory.buffer, pe, n - 1).set(e);
  x.debugSetIterationLimitFactor(cap);
  const status = x.debugBidiagonalValues(n, pd, pe, work);
  return { status, values: new Float64Array(x.memory.buffer, pd, n).slice(), e: new Float64Array(x.memory.buffer, pe, n - 1).slice() };
}

/** Subnormal values (graded_near_underflow_16) live on a grid of 2⁻¹⁰⁷⁴: that much on top. */
const TINY = 4 * 2 ** -1074;

/** Worst (|value − S| − TINY) / (ε·S) over the case (an exact zero must come out exactly zero). */
export function worstUlps(values: ArrayLike<number>, S: number[]): number {
  let worst = 0;
  for (let i = 0; i < S.length; i++) {
    if (S[i] === 0) worst = Math.max(worst, values[i] === 0 ? 0 : Infinity);
    else worst = Math.max(worst, Math.max(0, Math.abs(values[i] - S[i]) - TINY) / S[i] / EPS);
  }
  return worst;
}

describe("dqds on the mpmath bidiagonals", () => {
  for (const c of cases) {
    test(`${c.name} (n = ${c.n}): every value to ${RELATIVE_ULPS} ulps of itself, descending, e untouched`, () => {
      const { status, values, e } = dqds(c.d, c.e);
      expect(status).toBe(0);
      for (let i = 0; i < c.n; i++) {
        expect(values[i]).toBeGreaterThanOrEqual(0);
        if (i > 0) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
      }
      expect(worstUlps(values, c.S)).toBeLessThanOrEqual(RELATIVE_ULPS);
      expect(Array.from(e)).toEqual(c.e);
    });
  }

  test("the worst case over the table stays inside the bound (printed)", () => {
    let worst = 0;
    let where = "";
    for (const c of cases) {
      const w = worstUlps(dqds(c.d, c.e).values, c.S);
      if (w > worst) [worst, where] = [w, c.name];
    }
    console.log(`dqds: worst relative error over ${cases.length} bidiagonals ${worst.toFixed(2)} ulps (${where})`);
    expect(worst).toBeLessThanOrEqual(RELATIVE_ULPS);
  });

  test("signs of d and e do not matter; n = 1 and all-zero inputs", () => {
    const c = cases.find((x) => x.name === "random_40")!;
    const flipped = dqds(c.d.map((x, i) => (i % 3 ? -x : x)), c.e.map((x, i) => (i % 2 ? -x : x))).values;
    expect(Array.from(flipped)).toEqual(Array.from(dqds(c.d, c.e).values));
    expect(Array.from(dqds([-3], []).values)).toEqual([3]);
    expect(Array.from(dqds([0, -0, 0], [0, -0]).values)).toEqual([0, 0, 0]);
  });
});

describe("the iteration cap", () => {
  test("a cap of 0·n² stops after the first transform: the count of off-diagonals left, finite values", () => {
    const c = cases.find((x) => x.name === "random_40")!;
    const { status, values } = dqds(c.d, c.e, 0);
    expect(status).toBeGreaterThanOrEqual(1);
    expect(status).toBeLessThanOrEqual(c.n - 1);
    expect(values.every(Number.isFinite)).toBe(true);
  });
});
