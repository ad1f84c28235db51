// Embedding: the project's kernel build driven through its raw exports alone (SGD and SVD), as a
// non-JS host would (docs/abi.md), with nothing from src/ — instantiate with {}, lay buffers out
// from heapBase().
import { describe, expect, test } from "vitest";
import { fixture } from "../helpers.js";
import { testBuildBytes } from "../setup/kernel-builds.js";

const lab = fixture("seed-cases.json");

async function host() {
  const { instance } = await WebAssembly.instantiate(testBuildBytes(), {});
  const x = instance.exports as Record<string, any>;
  let next: number = x.heapBase();
  const alloc = (bytes: number) => {
    const p = next;
    next += Math.ceil(bytes / 16) * 16;
    const need = next - x.memory.buffer.byteLength;
    if (need > 0) x.memory.grow(Math.ceil(need / 65536));
    return p;
  };
  const f64 = (p: number, n: number) => new Float64Array(x.memory.buffer, p, n);
  return { x, alloc, f64 };
}

describe("the raw ABI", () => {
  test("instantiates with no imports and reports its ABI version", async () => {
    const { x } = await host();
    expect(x.ABI_VERSION.value).toBe(1);
    expect(x.SGD_INFO_BYTES.value).toBe(24);
    expect(x.heapBase() % 16).toBe(0);
  });

  test("reproduces a fixture SGD run: fill buffers, sgdDense, read U, V and the info block", async () => {
    const { x, alloc, f64 } = await host();
    const run = lab.runs[0];
    const a = alloc(9 * 8);
    const u = alloc(6 * 8);
    const v = alloc(6 * 8);
    const history = alloc(1001 * 8);
    const info = alloc(24);
    f64(a, 9).set(lab.A);
    f64(u, 6).set(run.U0);
    f64(v, 6).set(run.V0);
    const status = x.sgdDense(a, 3, 3, 2, u, v, 1000, 0.01, 0, 0, history, info);
    expect(status).toBe(0);
    expect(Array.from(f64(info, 3))).toEqual([1000, 0, f64(history, 1001)[1000]]);
    f64(u, 6).forEach((value, i) => expect(value).toBeCloseTo(run.U[i], 9));
    f64(v, 6).forEach((value, i) => expect(value).toBeCloseTo(run.V[i], 9));
    expect(f64(history, 1001)[1000]).toBeCloseTo(run.loss_full, 9);
  });

  test("runs the lab's SVD: svdWorkspaceBytes, svdDecompose, then S, U, V from memory", async () => {
    const { x, alloc, f64 } = await host();
    const work = x.svdWorkspaceBytes(3, 3, 1) >>> 0;
    expect(work % 16).toBe(0);
    const a = alloc(9 * 8);
    const s = alloc(3 * 8);
    const u = alloc(9 * 8);
    const v = alloc(9 * 8);
    const w = alloc(work);
    f64(a, 9).set(lab.A);
    expect(x.svdDecompose(a, 3, 3, 1, s, u, v, w)).toBe(0);
    const S = Array.from(f64(s, 3));
    S.forEach((value, i) => expect(value).toBeCloseTo(lab.S[i], 14));
    // A = U diag(S) Vᵀ, row-major U and V with 3 columns each.
    const U = f64(u, 9);
    const V = f64(v, 9);
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = 0; j < 3; j++) sum += U[r * 3 + j] * S[j] * V[c * 3 + j];
        expect(sum).toBeCloseTo(lab.A[r * 3 + c], 13);
      }
    }
    // Values only (job 0) needs less workspace and gives the same values.
    expect(x.svdWorkspaceBytes(3, 3, 0) >>> 0).toBeLessThan(work);
    f64(a, 9).set(lab.A);
    expect(x.svdDecompose(a, 3, 3, 0, s, 0, 0, w)).toBe(0);
    expect(Array.from(f64(s, 3))).toEqual(S);
  });

  test("reports divergence through the status and the info block", async () => {
    const { x, alloc, f64 } = await host();
    const a = alloc(9 * 8);
    const uv = alloc(12 * 8);
    const info = alloc(24);
    f64(a, 9).set(lab.A);
    x.fillUniform(uv, 12, 1);
    const status = x.sgdDense(a, 3, 3, 2, uv, uv + 48, 1000, 1, 0, 0, 0, info);
    expect(status).toBe(1);
    expect(f64(info, 3)[1]).toBeGreaterThanOrEqual(1);
  });
});
