// Faults and memory, on the project's kernel build: a trapped kernel is rebuilt, a host that
// refuses to grow memory gets TOO_LARGE, and thousands of calls leave wasm memory and the
// process's RSS flat.
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  FactorisationError, reconstruct, reconstructionLoss, releaseMemory, sgdFactorise, sgdFactoriseMasked, sgdFactoriseSparse, svd,
  svdFactorise,
} from "../../src/index.js";
import { type KernelExports, RELEASE_THRESHOLD, withKernel } from "../../src/kernel.js";
import { fixture, mat, thrown } from "../helpers.js";

const lab = fixture("seed-cases.json");
const A = mat(3, 3, lab.A);
const memoryBytes = () => withKernel((kx) => kx.memory.buffer.byteLength);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a kernel trap", () => {
  test("discards the instance, rethrows, and the next call works on a fresh one", () => {
    const expected = sgdFactorise(A, 2, { seed: 3 });
    let trapped: KernelExports | undefined;
    // Every export checks its pointers, so no input traps; a trap is what a kernel bug would
    // raise inside a call (test/debug traps the debug build for real).
    expect(() => withKernel((kx) => {
      trapped = kx;
      throw new WebAssembly.RuntimeError("unreachable");
    })).toThrow(WebAssembly.RuntimeError);
    const after = sgdFactorise(A, 2, { seed: 3 });
    expect(after.U.data).toEqual(expected.U.data);
    expect(trapped).toBeDefined();
    withKernel((kx) => expect(kx).not.toBe(trapped));
  });

  test("a call that does not trap keeps the instance", () => {
    const first = withKernel((kx) => kx);
    svd(A);
    withKernel((kx) => expect(kx).toBe(first));
  });
});

describe("a host that refuses to grow memory", () => {
  test("gets TOO_LARGE, not a raw RangeError, and the library keeps working", () => {
    const grow = vi.spyOn(WebAssembly.Memory.prototype, "grow").mockImplementation(() => {
      throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded");
    });
    const big = mat(1000, 1000, new Float64Array(1_000_000));
    const error = thrown(() => svd(big));
    expect(grow).toHaveBeenCalled();
    expect(error).toBeInstanceOf(FactorisationError);
    expect((error as FactorisationError).code).toBe("TOO_LARGE");
    expect((error as Error).message).toMatch(/^svd \(1000×1000\) needs \d+\.\d MiB of workspace and the host refused to grow WebAssembly memory that far$/);
    expect(sgdFactorise(A, 2, { seed: 1 }).loss).toBeLessThan(0.1235);
  });
});

// A deterministic stream of mixed calls: every API, sizes up to 200×200, one in five failing.
function* mixedCalls(count: number): Generator<() => unknown> {
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const size = () => 1 + Math.floor(next() * 200);
  for (let i = 0; i < count; i++) {
    const m = size();
    const n = size();
    const k = 1 + Math.floor(next() * Math.min(4, m, n));
    const a = mat(m, n, Float64Array.from({ length: m * n }, (_, j) => Math.sin(j + i)));
    const u = mat(m, k, new Float64Array(m * k).fill(0.1));
    const v = mat(n, k, new Float64Array(n * k).fill(0.2));
    switch (i % 10) {
      case 0: yield () => sgdFactorise(a, k, { seed: i, epochs: 1 }); break;
      case 1: yield () => sgdFactoriseMasked(a, mat(m, n, Float64Array.from({ length: m * n }, (_, j) => (j + i) % 3)), k, { seed: i, epochs: 1, onEpoch: () => undefined }); break;
      case 2: yield () => sgdFactoriseSparse({ rows: m, cols: n, row: [0, m - 1], col: [n - 1, 0], value: [1, 2] }, k, { seed: i, epochs: 2 }); break;
      case 3: yield () => reconstruct(u, v); break;
      case 4: yield () => reconstructionLoss(a, u, v); break;
      case 5: yield () => reconstruct(u, new Float64Array(k).fill(2), v); break;
      case 6: yield () => sgdFactorise(a, k, { seed: i, lr: 1e6, epochs: 3 }); break; // diverges
      case 7: yield () => svd(a, { vectors: i % 2 ? "none" : "thin" }); break;
      case 8: yield () => svd(a, { k, method: "randomized", seed: i, oversample: 3 }); break;
      default: yield () => svdFactorise(a, m + n); // rank out of range
    }
  }
}

describe("memory over 10 000 mixed calls", () => {
  test("wasm memory and RSS stay flat after warm-up", () => {
    const run = (calls: Iterable<() => unknown>) => {
      let failures = 0;
      for (const call of calls) {
        try {
          call();
        } catch (error) {
          if (!(error instanceof FactorisationError)) throw error;
          failures++;
        }
      }
      return failures;
    };
    // Warm-up: the stream itself, then each API at the largest size the stream can draw.
    run(mixedCalls(300));
    const big = mat(200, 200, new Float64Array(40000).fill(1));
    const f4 = mat(200, 4, new Float64Array(800).fill(0.5));
    run([
      () => sgdFactorise(big, 4, { seed: 1, epochs: 1, tol: 1 }),
      () => sgdFactoriseMasked(big, big, 4, { seed: 1, epochs: 1, onEpoch: () => undefined }),
      () => reconstruct(f4, [1, 1, 1, 1], f4),
      () => reconstructionLoss(big, f4, f4),
      () => svd(big),
      () => svd(big, { k: 4, method: "randomized", seed: 1, oversample: 3 }),
    ]);
    const wasmBefore = memoryBytes();
    const rssBefore = process.memoryUsage().rss;
    const failures = run(mixedCalls(10_000));
    const wasmAfter = memoryBytes();
    const rssAfter = process.memoryUsage().rss;
    expect(failures).toBeGreaterThan(1000);
    // No layout in the stream is larger than the warm-up's: the workspace is only reused.
    expect(wasmAfter).toBe(wasmBefore);
    expect(rssAfter - rssBefore).toBeLessThan(96 * 2 ** 20);
    console.log(`wasm memory ${wasmBefore} → ${wasmAfter} B; RSS ${(rssBefore / 2 ** 20).toFixed(1)} → ${(rssAfter / 2 ** 20).toFixed(1)} MiB; ${failures} failing calls`);
  }, 300_000); // ≈ 13 s alone; the bound only catches a hang, never a slow machine
});

describe("memory given back", () => {
  const MiB = 2 ** 20;
  // The engine frees the backing stores of collected buffers after the current task: collect,
  // let a task pass, collect again, then read the RSS.
  const settledRss = async () => {
    const gc = (globalThis as unknown as { gc(): void }).gc;
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    return process.memoryUsage().rss;
  };

  // U Vᵀ of 3000×2 by 3000×2: a 72 MB product in wasm memory (and its copy in JS, dropped here).
  const bigCall = () => {
    const u = mat(3000, 2, Array.from({ length: 6000 }, (_, i) => Math.sin(i)));
    const product = reconstruct(u, u);
    return product.data[3000 * 3000 - 1];
  };

  test("a call that grew wasm memory past 64 MiB leaves a fresh instance behind, and RSS falls back", async () => {
    expect(RELEASE_THRESHOLD).toBe(64 * MiB);
    releaseMemory();
    const before = await settledRss();
    expect(bigCall()).toBeCloseTo(Math.sin(5998) ** 2 + Math.sin(5999) ** 2, 12);
    expect(memoryBytes()).toBeLessThan(MiB);
    const after = await settledRss();
    console.log(`RSS ${(before / MiB).toFixed(1)} → ${(after / MiB).toFixed(1)} MiB around a call that grew wasm memory to 69 MiB`);
    expect(after - before).toBeLessThan(24 * MiB);
  });

  test("below the threshold the workspace is kept for the next call, until releaseMemory()", () => {
    svd(mat(300, 300, Array.from({ length: 90000 }, (_, i) => Math.cos(i))));
    const kept = memoryBytes();
    expect(kept).toBeGreaterThan(2 * MiB);
    svd(A);
    expect(memoryBytes()).toBe(kept);
    releaseMemory();
    expect(memoryBytes()).toBeLessThan(MiB);
    expect(svd(A, { vectors: "none" }).S[2]).toBeCloseTo(lab.S[2], 14);
  });

  test("releaseMemory() inside a call (an onEpoch callback) leaves the running call alone", () => {
    const inside = sgdFactorise(A, 2, { seed: 4, epochs: 20, onEpoch: () => releaseMemory() });
    expect(inside.U.data).toEqual(sgdFactorise(A, 2, { seed: 4, epochs: 20 }).U.data);
  });
});
