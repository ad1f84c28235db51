import { defineConfig } from "vitest/config";

// Every numeric test runs three times, once per kernel build: the SIMD release module
// (what users get), the scalar fallback, and the debug build (assertions on, loaded with
// @assemblyscript/loader so a failed kernel assertion reads "abort: … at assembly/x.ts:l:c").
const variants = ["release", "scalar", "debug"] as const;

// Browser tests drive Debian's Chromium against the shipped release build, and the package
// test installs the packed tarball: one project each.
export default defineConfig({
  test: {
    projects: [
      ...variants.map((name) => ({
        extends: true,
        test: {
          name,
          include: ["test/**/*.test.ts"],
          exclude: ["test/browser/**", "test/integration/**"],
          setupFiles: [`test/setup/${name}.ts`],
          testTimeout: 60_000,
        },
      })),
      {
        extends: true,
        test: { name: "browser", include: ["test/browser/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        // The packed tarball installed into a scratch project: once, it does not depend on the build variant.
        extends: true,
        test: { name: "package", include: ["test/integration/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
