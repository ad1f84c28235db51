// Divide and conquer through the debug build's own exports (assembly/debug.ts): which sizes
// take it, its fallback to the QR iteration, and the secular-equation solver against mpmath
// (test/fixtures/secular-cases.json, scripts/reference/secular_equation.py).
import { afterEach, describe, expect, test } from "vitest";
import { svd } from "../../src/index.js";
import { i32, reserve, withKernel } from "../../src/kernel.js";
import { fixture, mat } from "../helpers.js";
import { orthogonalityError, residual, valuesAgree } from "../svd-checks.js";
import { testBuildBytes } from "../setup/kernel-builds.js";

const EPS = 2 ** -52;

interface DebugExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  debugDivideConquerCounts(out: number): void;
  debugSetSecularIterationLimit(limit: number): void;
  debugSecularRoots(k: number, d: number, z: number, sigma: number, diff: number, zsq: number, g: number): number;
}

/** [merges, fallbacks] so far in the library's kernel instance. */
function counts(): [number, number] {
  return withKernel((kx) => {
    const [out] = reserve([8], "counts");
    (kx as unknown as DebugExports).debugDivideConquerCounts(out);
    const view = i32(out, 2);
    return [view[0], view[1]];
  });
}

function random(m: number, n: number, seed: number) {
  let s = seed;
  return mat(m, n, Array.from({ length: m * n }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1));
}

/** Merges in a tree of n rows (assembly/divide-conquer.ts: split at ⌊n/2⌋, leaves ≤ 25 rows). */
const mergesFor = (n: number): number => (n <= 25 ? 0 : 1 + mergesFor(n >> 1) + mergesFor(n - 1 - (n >> 1)));

describe("which SVDs take divide and conquer", () => {
  test("vectors with min(m, n) ≥ 80 (DC_MIN_ORDER) merge, as many times as the tree has nodes; 79 and values only do not", () => {
    const merges = () => counts()[0];
    let before = merges();
    svd(random(79, 140, 1));
    svd(random(200, 200, 2), { vectors: "none" });
    expect(merges()).toBe(before);
    svd(random(80, 140, 3));
    expect(merges()).toBe(before + mergesFor(80));
    before = merges();
    svd(random(300, 81, 4), { vectors: "full" });
    expect(merges()).toBe(before + mergesFor(81));
    expect(mergesFor(80)).toBe(3);
  });
});

describe("the fallback when a secular root hits its cap", () => {
  const setLimit = (limit: number) => withKernel((kx) => (kx as unknown as DebugExports).debugSetSecularIterationLimit(limit));
  afterEach(() => setLimit(-1));

  test("takes the QR iteration from the saved bidiagonal and still returns a valid SVD", () => {
    const A = random(150, 130, 5);
    const expected = svd(A, { vectors: "none" }).S;
    const [, fallbacksBefore] = counts();
    setLimit(0);
    const r = svd(A);
    expect(counts()[1]).toBe(fallbacksBefore + 1);
    // The fallback's values are the QR iteration's; values only are dqds': within the bound.
    for (let i = 0; i < expected.length; i++) expect(Math.abs(r.S[i] - expected[i])).toBeLessThanOrEqual(valuesAgree(150, 130) * expected[0]);
    const tol = 30 * 150 * EPS;
    expect(residual(A, r.U!, r.S, r.V!)).toBeLessThanOrEqual(tol * Math.hypot(...A.data));
    expect(orthogonalityError(r.U!)).toBeLessThanOrEqual(tol);
    expect(orthogonalityError(r.V!)).toBeLessThanOrEqual(tol);
    setLimit(-1);
    svd(A);
    expect(counts()[1]).toBe(fallbacksBefore + 1);
  });
});

describe("secularRoots against mpmath", () => {
  const cases = fixture("secular-cases.json").cases as { name: string; k: number; d: number[]; z: number[]; sigma: number[]; diff: number[][] }[];
  const x = new WebAssembly.Instance(new WebAssembly.Module(testBuildBytes()), {}).exports as unknown as DebugExports;
  const ulp = 2 ** -53;
  for (const c of cases) {
    test(`${c.name}: roots to 4 ulps, every d_j² − σ_i² to k + 8 ulps of itself`, () => {
      const { k } = c;
      let next = x.heapBase();
      const take = (doubles: number) => {
        const p = next;
        next += Math.ceil(doubles / 2) * 16;
        return p;
      };
      const [d, z, sigma, diff, zsq, g] = [take(k), take(k), take(k), take(k * k), take(k), take(8)];
      if (next > x.memory.buffer.byteLength) x.memory.grow(Math.ceil((next - x.memory.buffer.byteLength) / 65536));
      new Float64Array(x.memory.buffer, d, k).set(c.d);
      new Float64Array(x.memory.buffer, z, k).set(c.z);
      expect(x.debugSecularRoots(k, d, z, sigma, diff, zsq, g)).toBe(0);
      const S = new Float64Array(x.memory.buffer, sigma, k);
      const D = new Float64Array(x.memory.buffer, diff, k * k);
      for (let i = 0; i < k; i++) {
        expect(Math.abs(S[i] - c.sigma[i])).toBeLessThanOrEqual(4 * ulp * c.sigma[i]);
        for (let j = 0; j < k; j++) expect(Math.abs(D[i * k + j] - c.diff[i][j])).toBeLessThanOrEqual((k + 8) * ulp * Math.abs(c.diff[i][j]));
      }
    });
  }
});
