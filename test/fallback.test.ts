// The scalar fallback is chosen at import when the host's WebAssembly rejects SIMD: simulate
// such a host by making validate() refuse the release module, then import the package afresh.
import { afterEach, describe, expect, test, vi } from "vitest";
import { RELEASE_WASM_BASE64 } from "../src/generated/wasm.js";
import { fixture, maxAbsDiff } from "./helpers.js";

// The lab run (seed 1) by an independent transcription of the SGD (scripts/reference/sgd_reference.py).
const labRun = fixture("sgd-reference.json").lab_run;

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

describe("a host without SIMD", () => {
  test("gets the scalar build, reports simd = false, and computes the same lab figures", async () => {
    const validate = WebAssembly.validate;
    const release = Buffer.from(RELEASE_WASM_BASE64, "base64");
    vi.spyOn(WebAssembly, "validate").mockImplementation((bytes) =>
      Buffer.from(bytes as Uint8Array).equals(release) ? false : validate(bytes));
    vi.resetModules();
    const lowrank = await import("../src/index.js");
    const kernel = await import("../src/kernel.js");
    expect(kernel.detectedVariant()).toBe("scalar");
    expect(lowrank.simd).toBe(false);
    const A = [[0.3374, 0.6005, 0.1735], [3.3359, 0.0492, 1.8374], [2.9407, 0.5301, 2.262]];
    const run = lowrank.sgdFactorise(A, 2, { seed: 1 });
    expect(run.loss).toBeCloseTo(labRun.loss, 12);
    expect(maxAbsDiff([...run.U.data, ...run.V.data], [...labRun.U, ...labRun.V])).toBeLessThanOrEqual(1e-12);
    expect(lowrank.svd(A, { vectors: "none" }).S[2]).toBeCloseTo(0.3491572624122694, 14);
  });
});
