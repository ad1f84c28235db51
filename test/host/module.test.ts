// The shipped wasm modules themselves: what they import and export (exactly, so a debug-only
// export can never leak into a shipped build), whether they use SIMD, and wabt's independent
// reading of the same bytes (npm `wabt`, WABT compiled to wasm: no system tool needed).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, test } from "vitest";
import { KERNEL_BUILDS } from "../../src/generated/wasm.js";
import { THREADS_BUILD_BASE64 } from "../../src/generated/wasm-threads.js";
import { KERNEL_FUNCTION_NAMES, TEAM_FUNCTION_NAMES } from "../../src/kernel.js";

const build = (name: string) => readFileSync(new URL(`../../build/${name}.wasm`, import.meta.url));

/** The globals of the shipped builds (docs/abi.md); their functions are exactly what the wrapper declares. */
const SHIPPED_GLOBALS = [
  "ABI_VERSION", "SGD_INFO_BYTES", "STATUS_DIVERGED", "STATUS_NON_FINITE", "STATUS_NO_CONVERGENCE", "STATUS_OK", "STATUS_OVERFLOW",
  "SVD_INFO_BYTES",
];
const byKind = (module: WebAssembly.Module, kind: string) =>
  WebAssembly.Module.exports(module).filter((e) => e.kind === kind).map((e) => e.name).sort();

interface WabtModule {
  toText(options: object): string;
  destroy(): void;
}
// wabt.js reads the features from the options object itself ({ simd, threads, … }).
let wabt: { readWasm(bytes: Uint8Array, options: { simd: boolean; threads: boolean }): WabtModule };

beforeAll(async () => {
  wabt = await createRequire(import.meta.url)("wabt")();
});

/** The module's text as wabt's wasm2wat reads it (independent of asc's own .wat output). */
function wasmText(bytes: Uint8Array, threads = false): string {
  const module = wabt.readWasm(bytes, { simd: true, threads });
  try {
    return module.toText({});
  } finally {
    module.destroy();
  }
}

/** Any 128-bit SIMD instruction or type. */
const SIMD_OP = /\b(v128|f64x2|f32x4|i64x2|i32x4|i16x8|i8x16)\b/;

describe.each(["release", "scalar"])("the shipped %s module", (name) => {
  const bytes = build(name);
  const module = new WebAssembly.Module(bytes);

  test("imports nothing, so any wasm host can instantiate it with {}", () => {
    expect(WebAssembly.Module.imports(module)).toEqual([]);
  });

  test("exports exactly the functions the wrapper declares (KernelFunctions), nothing debug-only", () => {
    expect(byKind(module, "function")).toEqual([...KERNEL_FUNCTION_NAMES].sort());
    expect(byKind(module, "global")).toEqual(SHIPPED_GLOBALS);
    expect(byKind(module, "memory")).toEqual(["memory"]);
    expect(WebAssembly.Module.exports(module)).toHaveLength(KERNEL_FUNCTION_NAMES.length + SHIPPED_GLOBALS.length + 1);
  });

  test("wabt agrees: no import, the same exports, one memory", () => {
    const text = wasmText(bytes);
    expect(text).not.toMatch(/\(import /);
    expect([...text.matchAll(/\(export "([^"]+)"/g)].map((m) => m[1]).sort())
      .toEqual([...KERNEL_FUNCTION_NAMES, ...SHIPPED_GLOBALS, "memory"].sort());
    expect(text).toMatch(/\(memory \(;0;\) \d+\)/);
  });

  test("is the build that src/generated/wasm.ts inlines", () => {
    const inlined = KERNEL_BUILDS.find((b) => b.name === (name === "release" ? "simd" : "scalar"));
    expect(Buffer.from(inlined!.base64, "base64").equals(bytes)).toBe(true);
  });
});

describe("the threaded module (a pool's workers run it)", () => {
  const bytes = build("threads");
  const module = new WebAssembly.Module(bytes);

  test("imports only its shared memory (env.memory), up to 4 GiB", () => {
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
    expect(wasmText(bytes, true)).toMatch(/\(import "env" "memory" \(memory \(;0;\) \d+ 65536 shared\)\)/);
  });

  test("exports the shipped functions and globals plus exactly the team's (TeamFunctions, TEAM_*)", () => {
    expect(byKind(module, "function")).toEqual([...KERNEL_FUNCTION_NAMES, ...TEAM_FUNCTION_NAMES].sort());
    expect(byKind(module, "global")).toEqual([...SHIPPED_GLOBALS, "TEAM_ABORT_OFFSET", "TEAM_BOARD_BYTES", "TEAM_HOST_OFFSET", "TEAM_MAX_THREADS"].sort());
  });

  test("uses atomics and SIMD, and is the build that src/generated/wasm-threads.ts inlines", () => {
    const text = wasmText(bytes, true);
    expect(text).toMatch(/memory\.atomic\.wait32/);
    expect(text).toMatch(/memory\.atomic\.notify/);
    expect(text).toMatch(SIMD_OP);
    expect(Buffer.from(THREADS_BUILD_BASE64, "base64").equals(bytes)).toBe(true);
  });

  test("the shipped builds contain no atomics at all", () => {
    for (const name of ["release", "scalar"]) expect(wasmText(build(name))).not.toMatch(/atomic/);
  });
});

describe("SIMD", () => {
  test("the release module uses f64x2 arithmetic", () => {
    expect(wasmText(build("release"))).toMatch(/f64x2\.mul/);
  });

  test("the scalar module has no SIMD instruction at all, and the inlined builds say which is which", () => {
    expect(wasmText(build("scalar"))).not.toMatch(SIMD_OP);
    expect(KERNEL_BUILDS.map((b) => [b.name, b.simd])).toEqual([["simd", true], ["scalar", false]]);
  });

  test("the debug builds use SIMD too (they compile the same source with SIMD on)", () => {
    for (const name of ["debug", "debug-blocked"]) expect(wasmText(build(name)), name).toMatch(/f64x2\.mul/);
  });
});

describe("the debug builds", () => {
  test("import nothing either (a failed assertion traps through their own abort)", () => {
    for (const name of ["debug", "debug-blocked"]) {
      expect(WebAssembly.Module.imports(new WebAssembly.Module(build(name)))).toEqual([]);
    }
  });
});
