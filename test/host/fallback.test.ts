// The scalar fallback is chosen at import when the host's WebAssembly rejects SIMD: simulate
// such a host by making validate() refuse the SIMD module, then import the package afresh.
import { afterEach, describe, expect, test, vi } from "vitest";
import { KERNEL_BUILDS } from "../../src/generated/wasm.js";

const bytesOf = (name: string) => Buffer.from(KERNEL_BUILDS.find((b) => b.name === name)!.base64, "base64");

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe("a host without SIMD", () => {
  test("gets the scalar build, reports simd = false, and computes the same lab figures", async () => {
    const validate = WebAssembly.validate;
    const Module = WebAssembly.Module;
    const release = bytesOf("simd");
    vi.spyOn(WebAssembly, "validate").mockImplementation((bytes) =>
      Buffer.from(bytes as Uint8Array).equals(release) ? false : validate(bytes));
    const compiled: Buffer[] = [];
    vi.spyOn(WebAssembly, "Module").mockImplementation(function (bytes: BufferSource) {
      compiled.push(Buffer.from(bytes as Uint8Array));
      return new Module(bytes);
    } as unknown as typeof WebAssembly.Module);
    vi.resetModules();
    const lowrank = await import("../../src/index.js");
    expect(lowrank.simd).toBe(false);
    // Nothing is compiled at import; the first call compiles the scalar bytes, once.
    expect(compiled).toEqual([]);
    const A = [[0.3374, 0.6005, 0.1735], [3.3359, 0.0492, 1.8374], [2.9407, 0.5301, 2.262]];
    expect(lowrank.sgdFactorise(A, 2, { seed: 1 }).loss).toBeCloseTo(0.12197722112995431, 12);
    expect(lowrank.svd(A, { vectors: "none" }).S[2]).toBeCloseTo(0.3491572624122694, 14);
    expect(compiled.length).toBe(1);
    expect(compiled[0].equals(bytesOf("scalar"))).toBe(true);
  });
});
