import { defineConfig } from "vitest/config";

// Every numeric test runs three times, once per kernel build: the SIMD release module
// (what users get), the scalar fallback, and the debug build (assertions on, loaded with
// @assemblyscript/loader so a failed kernel assertion reads "abort: … at assembly/x.ts:l:c").
const variants = ["release", "scalar", "debug"] as const;

export default defineConfig({
  test: {
    projects: variants.map((name) => ({
      extends: true,
      test: {
        name,
        include: ["test/**/*.test.ts"],
        setupFiles: [`test/setup/${name}.ts`],
        testTimeout: 60_000,
      },
    })),
  },
});
