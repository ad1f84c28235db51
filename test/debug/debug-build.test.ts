// Tests that need the debug build's own exports (assembly/debug.ts): where a failed kernel
// assertion fired, and the NO_CONVERGENCE path of the SVD, which no input we know of reaches
// under the real iteration cap (dbdsqr's MAXITR·n²) but a lowered cap does.
import { afterEach, describe, expect, test } from "vitest";
import { FactorisationError, svd, svdFactorise } from "../../src/index.js";
import { withKernel } from "../../src/kernel.js";
import { fixture, mat } from "../helpers.js";
import { testBuildBytes } from "../setup/kernel-builds.js";

const lab = fixture("seed-cases.json");
const A = mat(3, 3, lab.A);

interface DebugExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  sgdDense(...args: number[]): number;
  debugAbortInfo(out: number): void;
  debugSetIterationLimitFactor(factor: number): void;
}

/** An AssemblyScript string in memory: UTF-16 code units, byte length in the header word before it. */
function readString(memory: WebAssembly.Memory, ptr: number): string {
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes / 2));
}

describe("a failed kernel assertion", () => {
  test("traps, and the debug build records its message, file and line", () => {
    const x = new WebAssembly.Instance(new WebAssembly.Module(testBuildBytes()), {}).exports as unknown as DebugExports;
    const base = x.heapBase();
    // k = 0 is refused by the wrapper; called raw, the debug kernel's assertion fires.
    expect(() => x.sgdDense(base, 3, 3, 0, base, base, 1, 0.01, 0, 0, 0, base)).toThrow(WebAssembly.RuntimeError);
    x.debugAbortInfo(base);
    const [message, file, line, column] = new Uint32Array(x.memory.buffer, base, 4);
    expect(readString(x.memory, message)).toBe("SGD sizes must be positive");
    expect(readString(x.memory, file)).toBe("assembly/sgd.ts");
    expect(line).toBeGreaterThan(1);
    expect(column).toBeGreaterThan(0);
  });
});

describe("an SVD that hits its iteration cap", () => {
  const setCap = (factor: number) => withKernel((kx) => (kx as unknown as DebugExports).debugSetIterationLimitFactor(factor));
  afterEach(() => setCap(-1));

  test("is NO_CONVERGENCE with a clear message from every SVD entry point, and the next call works", () => {
    const big = mat(12, 9, Array.from({ length: 108 }, (_, i) => Math.sin(i * 1.7) + Math.cos(i * 0.3)));
    const expected = svd(big, { vectors: "none" }).S;
    // A cap of 0·n² steps stops the QR iteration after its first sweep.
    setCap(0);
    const tail = "did not converge: the bidiagonal QR iteration exceeded 6·n² steps";
    expect(() => svd(big)).toThrow(new FactorisationError("NO_CONVERGENCE", `svd ${tail}`));
    expect(() => svd(big, { vectors: "none" })).toThrow(new FactorisationError("NO_CONVERGENCE", `svd ${tail}`));
    expect(() => svdFactorise(big, 2)).toThrow(new FactorisationError("NO_CONVERGENCE", `svdFactorise ${tail}`));
    expect(() => svd(big, { k: 1, method: "randomized", seed: 1 })).toThrow(new FactorisationError("NO_CONVERGENCE", `randomized svd ${tail}`));
    setCap(-1);
    expect(svd(big, { vectors: "none" }).S).toEqual(expected);
    expect(svd(A, { vectors: "none" }).S[2]).toBeCloseTo(lab.S[2], 14);
  });
});
