// Shared test helpers: fixtures, small matrix algebra done plainly in JS for checking results.
import { readFileSync } from "node:fs";
import type { Matrix } from "../src/index.js";

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

/** Row-major flat list → Matrix. */
export function mat(rows: number, cols: number, flat: ArrayLike<number>): Matrix {
  return { rows, cols, data: Float64Array.from(flat) };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Distance between neighbouring doubles at |x| (x finite, nonzero or zero). */
export function ulp(x: number): number {
  const a = Math.abs(x);
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, a);
  bits.setBigUint64(0, bits.getBigUint64(0) + 1n);
  return bits.getFloat64(0) - a;
}

/** How many doubles apart a and b are (0 when equal; +0 and −0 are equal; subnormals count
 *  one each), or Infinity when either is NaN. */
export function ulpsApart(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const ordinal = (x: number): bigint => {
    const bits = new DataView(new ArrayBuffer(8));
    bits.setFloat64(0, x);
    const i = bits.getBigInt64(0);
    return i < 0n ? -(i & 0x7fffffffffffffffn) : i;
  };
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** What `call` throws (undefined when it returns), for tests that inspect an error's code and message. */
export function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** A fresh instance of a kernel build driven through its raw exports, as a non-JS host would:
 *  buffers laid out from heapBase() (16-aligned), memory grown as needed. */
export function rawKernel(bytes: Uint8Array) {
  const x = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as Record<string, any>;
  let next: number = x.heapBase();
  const alloc = (bytes: number | bigint) => {
    const p = next;
    next += Math.ceil(Number(bytes) / 16) * 16;
    const need = next - x.memory.buffer.byteLength;
    if (need > 0) x.memory.grow(Math.ceil(need / 65536));
    return p;
  };
  const f64 = (p: number, n: number) => new Float64Array(x.memory.buffer, p, n);
  return { x, alloc, f64 };
}

/** count doubles uniform in [−1, 1) from xorshift32 (the bench's generator), seeded. */
export function uniformDoubles(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** One PCA of test/fixtures/sparse-pca.json (scripts/reference/sparse_pca.py): numpy's, matrices row-major. */
export interface PcaReference {
  k: number;
  mean: number[];
  std: number[];
  components: number[];
  scores: number[];
  singular_values: number[];
  explained_variance: number[];
  explained_variance_ratio: number[];
}
