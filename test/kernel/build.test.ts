// Which kernel build runs: the library's public `simd` flag must say whether the build this
// project loaded (test/setup/kernel-builds.ts) really contains SIMD instructions, as wabt reads
// the bytes — so the flag cannot agree with itself by construction.
import { createRequire } from "node:module";
import { expect, test } from "vitest";
import { simd } from "../../src/index.js";
import { testBuildBytes, testBuildName } from "../setup/kernel-builds.js";

test("`simd` is true exactly when the running build uses SIMD instructions", async () => {
  const wabt = await createRequire(import.meta.url)("wabt")();
  const module = wabt.readWasm(testBuildBytes(), { features: { simd: true } });
  const usesSimd = /\bf64x2\./.test(module.toText({}));
  module.destroy();
  expect(simd).toBe(usesSimd);
  // …and every build but the scalar fallback is compiled with SIMD on.
  expect(usesSimd).toBe(testBuildName() !== "scalar");
});
