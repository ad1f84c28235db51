// Tests that need the debug build's own exports (assembly/debug.ts): where a failed kernel
// assertion fired, and the NO_CONVERGENCE path of the SVD, which no input we know of reaches
// under the real iteration cap (dbdsqr's MAXITR·n²) but a lowered cap does.
import { afterEach, describe, expect, test } from "vitest";
import { FactorisationError, svd, svdFactorise } from "../../src/index.js";
import { withKernel } from "../../src/kernel.js";
import { fixture, mat, thrown } from "../helpers.js";
import { testBuildBytes } from "../setup/kernel-builds.js";

const lab = fixture("seed-cases.json");
const A = mat(3, 3, lab.A);

interface DebugExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  debugAssert(x: number): void;
  debugTrap(): void;
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
    x.debugAssert(1);
    expect(() => x.debugAssert(0)).toThrow(WebAssembly.RuntimeError);
    x.debugAbortInfo(base);
    const [message, file, line, column] = new Uint32Array(x.memory.buffer, base, 4);
    expect(readString(x.memory, message)).toBe("debugAssert: x must be non-zero");
    expect(readString(x.memory, file)).toBe("assembly/debug.ts");
    expect(line).toBeGreaterThan(1);
    expect(column).toBeGreaterThan(0);
  });
});

describe("a real trap inside a library call", () => {
  test("discards the instance; the next call runs on a fresh one and gives the same result", () => {
    const before = svd(A, { vectors: "none" }).S;
    let trapped: unknown;
    expect(() => withKernel((kx) => {
      trapped = kx;
      (kx as unknown as DebugExports).debugTrap();
    })).toThrow(WebAssembly.RuntimeError);
    withKernel((kx) => expect(kx).not.toBe(trapped));
    expect(svd(A, { vectors: "none" }).S).toEqual(before);
  });
});

describe("an SVD that hits its iteration cap", () => {
  const setCap = (factor: number) => withKernel((kx) => (kx as unknown as DebugExports).debugSetIterationLimitFactor(factor));
  afterEach(() => setCap(-1));

  test("is NO_CONVERGENCE with a clear message from every SVD entry point, and the next call works", () => {
    const big = mat(12, 9, Array.from({ length: 108 }, (_, i) => Math.sin(i * 1.7) + Math.cos(i * 0.3)));
    const expected = svd(big, { vectors: "none" }).S;
    // A cap of 0·n² steps stops the bidiagonal iteration after its first sweep (QR) or transform
    // (dqds, values only).
    setCap(0);
    // The message counts the superdiagonal entries left: at least 1, at most n − 1 = 8 (or
    // l − 1 for the randomised SVD's small l×l problem, l = k + oversample = 9 here).
    const noConvergence = (what: string, call: () => unknown) => {
      const error = thrown(call);
      expect(error).toBeInstanceOf(FactorisationError);
      expect((error as FactorisationError).code).toBe("NO_CONVERGENCE");
      const match = /^(.+) did not converge: after the bidiagonal iteration's cap \(6·n² QR steps, 30·n² dqds steps for values only\), (\d+) superdiagonal entr(y was|ies were) still not negligible$/
        .exec((error as Error).message);
      expect(match?.[1]).toBe(what);
      expect(Number(match![2])).toBeGreaterThanOrEqual(1);
      expect(Number(match![2])).toBeLessThanOrEqual(8);
    };
    noConvergence("svd", () => svd(big));
    noConvergence("svd", () => svd(big, { vectors: "none" }));
    noConvergence("svdFactorise", () => svdFactorise(big, 2));
    noConvergence("randomized svd", () => svd(big, { k: 1, method: "randomized", seed: 1, oversample: 8 }));
    setCap(-1);
    expect(svd(big, { vectors: "none" }).S).toEqual(expected);
    expect(svd(A, { vectors: "none" }).S[2]).toBeCloseTo(lab.S[2], 14);
  });
});
