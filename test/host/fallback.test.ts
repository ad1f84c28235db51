// The scalar fallback is chosen at import when the host's WebAssembly rejects SIMD: simulate
// such a host by making validate() refuse the SIMD module, then import the package afresh.
import { afterEach, describe, expect, test, vi } from "vitest";
import { KERNEL_BUILDS } from "../../src/generated/wasm.js";
import { fixture, maxAbsDiff } from "../helpers.js";

const bytesOf = (name: string) => Buffer.from(KERNEL_BUILDS.find((b) => b.name === name)!.base64, "base64");
const lab = fixture("seed-cases.json");
// The lab run (seed 1) by an independent transcription of the SGD (scripts/reference/sgd_reference.py).
const labRun = fixture("sgd-reference.json").lab_run;

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
    const A = { rows: 3, cols: 3, data: Float64Array.from(lab.A) };
    const run = lowrank.sgdFactorise(A, 2, { seed: 1 });
    expect(run.loss).toBeCloseTo(labRun.loss, 12);
    expect(maxAbsDiff([...run.U.data, ...run.V.data], [...labRun.U, ...labRun.V])).toBeLessThanOrEqual(1e-12);
    // LAPACK's value (test/fixtures/seed-cases.json).
    expect(lowrank.svd(A, { vectors: "none" }).S[2]).toBeCloseTo(lab.S[2], 14);
    expect(compiled.length).toBe(1);
    expect(compiled[0].equals(bytesOf("scalar"))).toBe(true);
  });
});
