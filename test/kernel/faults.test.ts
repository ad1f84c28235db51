// Faults and memory, on the project's kernel build: a trapped kernel is rebuilt, a host that
// refuses to grow memory gets TOO_LARGE, and thousands of calls leave wasm memory and the
// process's RSS flat.
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  FactorisationError, reconstruct, reconstructionLoss, sgdFactorise, sgdFactoriseMasked, sgdFactoriseSparse, svd, svdFactorise,
} from "../../src/index.js";
import { type KernelExports, withKernel } from "../../src/kernel.js";
import { fixture, mat } from "../helpers.js";

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
    // A read past the end of linear memory traps in every build, as a kernel bug would.
    expect(() => withKernel((kx) => {
      trapped = kx;
      kx.firstNonFinite(kx.memory.buffer.byteLength, 1);
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
    let error: unknown;
    try {
      svd(big);
    } catch (e) {
      error = e;
    }
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
  });
});
