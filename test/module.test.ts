// The wasm module itself: what it imports and exports, and how the debug build reports a
// failed kernel assertion.
import { instantiateSync } from "@assemblyscript/loader";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { simd } from "../src/index.js";
import { detectedVariant, kernelVariant } from "../src/kernel.js";

const build = (name: string) => readFileSync(new URL(`../build/${name}.wasm`, import.meta.url));
const KERNEL_FUNCTIONS = [
  "heapBase", "fillUniform", "sgdDense", "sgdSparse", "gatherObserved", "lossDense", "lossSparse",
  "multiplyTransposed", "scaleColumns", "firstNonFinite",
];

describe("the release module", () => {
  const module = new WebAssembly.Module(build("release"));

  test("imports nothing, so any wasm host can instantiate it with {}", () => {
    expect(WebAssembly.Module.imports(module)).toEqual([]);
  });

  test("wabt agrees: wasm-objdump lists no Import section (Debian's wabt, installed by .ci/run)", () => {
    const file = fileURLToPath(new URL("../build/release.wasm", import.meta.url));
    const dump = execFileSync("wasm-objdump", ["-x", file], { encoding: "utf8" });
    expect(dump).toMatch(/^Export\[\d+\]:/m);
    expect(dump).not.toMatch(/^Import\[/m);
    expect(dump).toMatch(/- memory\[0\] pages: initial=\d+/);
  });

  test("exports the kernel functions and its memory", () => {
    const exports = WebAssembly.Module.exports(module);
    const names = exports.map((e) => e.name);
    for (const name of KERNEL_FUNCTIONS) expect(names).toContain(name);
    expect(exports.find((e) => e.name === "memory")?.kind).toBe("memory");
  });

  test("uses SIMD, and the scalar build does not (and also imports nothing)", () => {
    expect(WebAssembly.validate(build("release"))).toBe(true);
    const scalar = new WebAssembly.Module(build("scalar"));
    expect(WebAssembly.Module.imports(scalar)).toEqual([]);
    const text = (name: string) => readFileSync(new URL(`../build/${name}.wat`, import.meta.url), "utf8");
    expect(text("release")).toMatch(/f64x2\.mul/);
    expect(text("scalar")).not.toMatch(/v128|f64x2/);
    expect(detectedVariant()).toBe("simd");
    expect(simd).toBe(kernelVariant() === "simd");
  });
});

describe("the debug module", () => {
  test("a failed kernel assertion is a readable JS error naming the file and line", () => {
    const { exports } = instantiateSync(build("debug"), {}) as unknown as { exports: Record<string, (...a: number[]) => number> };
    const base = exports.heapBase();
    // k = 0 is refused by the wrapper; called raw, the debug kernel's assertion fires.
    expect(() => exports.sgdDense(base, 3, 3, 0, base, base, 1, 0.01, 0, 0, 0, base)).toThrow(
      /^abort: SGD sizes must be positive at assembly\/sgd\.ts:\d+:\d+$/,
    );
  });
});
