// The kernel's seeded generators (assembly/random.ts) through its raw exports, against
// test/fixtures/rng-vectors.json: an independent transcription of the published xoshiro256**,
// splitmix64, Box–Muller and Fisher–Yates (scripts/reference/rng.py), never the kernel's output.
import { describe, expect, test } from "vitest";
import { reserve, withKernel } from "../../src/kernel.js";
import { fixture, ulp } from "../helpers.js";

interface RngVectors {
  tolerance_ulps: number;
  raw: { stream: string; seed: number; u64: string[] }[];
  uniform: { seed: number; count: number; values: number[] }[];
  normal: { seed: number; count: number; values: number[] }[];
  shuffle: { seed: number; n: number; perm: number[] }[];
}

const ref = fixture<RngVectors>("rng-vectors.json");
/** Written one slot past the end: the kernel must leave it alone. */
const SENTINEL = -12345.678;

/** Runs fillUniform or fillNormal into a fresh buffer; returns the count values and the slot after them. */
function fill(name: "fillUniform" | "fillNormal", count: number, seed: number): { values: number[]; after: number } {
  return withKernel((kx) => {
    const [out] = reserve([(count + 1) * 8], `generators test (${name})`);
    new Float64Array(kx.memory.buffer, out, count + 1).fill(SENTINEL);
    expect(kx[name](out, count, seed)).toBe(0);
    const view = new Float64Array(kx.memory.buffer, out, count + 1);
    return { values: Array.from(view.subarray(0, count)), after: view[count] };
  });
}

describe("fillUniform: xoshiro256** seeded by splitmix64, (x >> 11)·2⁻⁵³", () => {
  for (const r of ref.uniform) {
    test(`seed ${r.seed}: the first ${r.count} draws exactly, nothing written past them`, () => {
      const { values, after } = fill("fillUniform", r.count, r.seed);
      expect(values).toEqual(r.values);
      expect(after).toBe(SENTINEL);
    });
  }

  for (const r of ref.raw.filter((x) => x.stream === "uniform")) {
    test(`seed ${r.seed}: each draw is the top 53 bits of the published generator's u64 output`, () => {
      const { values } = fill("fillUniform", r.u64.length, r.seed);
      expect(values).toEqual(r.u64.map((x) => Number(BigInt(x) >> 11n) * 2 ** -53));
    });
  }
});

describe("fillNormal: Box–Muller on the seed ^ 0x9E6C63D0676A9A99 stream", () => {
  for (const r of ref.normal) {
    test(`seed ${r.seed}, count ${r.count}: within ${ref.tolerance_ulps} ulps (log/cos/sin may round differently)`, () => {
      const { values, after } = fill("fillNormal", r.count, r.seed);
      expect(values).toHaveLength(r.values.length);
      for (let i = 0; i < r.count; i++) {
        const err = Math.abs(values[i] - r.values[i]);
        expect(err, `draw ${i}: ${values[i]} vs ${r.values[i]}`).toBeLessThanOrEqual(ref.tolerance_ulps * ulp(r.values[i]));
      }
      expect(after).toBe(SENTINEL); // an odd count writes the last cosine only
    });
  }
});

describe("shuffleEntries: Fisher–Yates on the seed ^ 0xD1B54A32D192ED03 stream", () => {
  for (const r of ref.shuffle) {
    test(`seed ${r.seed}, ${r.n} entries: the reference permutation, rows, columns and values in step`, () => {
      const { n, perm } = r;
      const got = withKernel((kx) => {
        const [rows, cols, vals] = reserve([n * 4, n * 4, n * 8], "generators test (shuffleEntries)");
        const mem = kx.memory.buffer;
        new Int32Array(mem, rows, n).set(Array.from({ length: n }, (_, t) => t));
        new Int32Array(mem, cols, n).set(Array.from({ length: n }, (_, t) => 1000 + 7 * t));
        new Float64Array(mem, vals, n).set(Array.from({ length: n }, (_, t) => t + 0.25));
        expect(kx.shuffleEntries(rows, cols, vals, n, r.seed)).toBe(0);
        return {
          rows: Array.from(new Int32Array(kx.memory.buffer, rows, n)),
          cols: Array.from(new Int32Array(kx.memory.buffer, cols, n)),
          vals: Array.from(new Float64Array(kx.memory.buffer, vals, n)),
        };
      });
      expect(got.rows).toEqual(perm);
      expect(got.cols).toEqual(perm.map((t) => 1000 + 7 * t));
      expect(got.vals).toEqual(perm.map((t) => t + 0.25));
    });
  }
});
