import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The numeric suite (test/kernel) runs once per kernel build: the SIMD release module (what
// users get), the scalar fallback, and the debug build (assertions on; a failed assertion
// traps). The library loads the build named by LOWRANK_TEST_BUILD through its ordinary path:
// src/generated/wasm.ts is replaced by test/setup/kernel-builds.ts. The debug build also runs
// test/debug (tests that need its knobs), and the debug-blocked build (tiny panels and
// crossovers) runs the SVD tests so every blocked path is reached on small shapes.
const generated = { find: /^\.\/generated\/wasm\.js$/, replacement: fileURLToPath(new URL("./test/setup/kernel-builds.ts", import.meta.url)) };
const SVD_TESTS = [
  "test/kernel/svd.test.ts", "test/kernel/divide-conquer.test.ts", "test/kernel/randomized.test.ts", "test/kernel/fuzz.test.ts",
  "test/kernel/abi.test.ts", "test/kernel/products.test.ts", "test/debug/orthogonal-factors.test.ts", "test/kernel/sparse.test.ts",
  "test/kernel/pca.test.ts", "test/kernel/stream.test.ts",
];

const kernelProject = (name: string, include: string[]) => ({
  extends: true,
  resolve: { alias: [generated] },
  test: {
    name,
    include,
    env: { LOWRANK_TEST_BUILD: name },
    setupFiles: ["test/setup/kernel.ts"],
    // The memory tests call gc() before they read the process's RSS.
    execArgv: ["--expose-gc"],
    testTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      kernelProject("release", ["test/kernel/**/*.test.ts"]),
      kernelProject("scalar", ["test/kernel/**/*.test.ts"]),
      kernelProject("debug", ["test/kernel/**/*.test.ts", "test/debug/**/*.test.ts"]),
      kernelProject("debug-blocked", [...SVD_TESTS, "test/blocked/**/*.test.ts"]),
      {
        // Files that do not depend on the kernel build (the CLI and `npm start` as child
        // processes, the module files themselves, the SIMD fallback, the packed tarball): once.
        extends: true,
        test: { name: "host", include: ["test/host/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        // createPool in Node against the built package (workers load dist/pool-worker.js).
        extends: true,
        test: { name: "pool", include: ["test/pool/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        // The browser demo in a headless Chromium from the npm registry (or LOWRANK_CHROMIUM).
        extends: true,
        test: { name: "browser", include: ["test/browser/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
