// Stand-in for src/generated/wasm.ts in the kernel test projects (vitest.config.ts aliases it):
// the library then runs exactly one build, the one named by the project's LOWRANK_TEST_BUILD,
// through its ordinary loading path — no test hook in the shipped code.
import { readFileSync } from "node:fs";

/** Every build scripts/build.mjs makes, and whether its asconfig target enables SIMD. */
export const TEST_BUILDS = { release: true, scalar: false, debug: true, "debug-blocked": true } as const;
export type TestBuild = keyof typeof TEST_BUILDS;

export function testBuildName(): TestBuild {
  const name = process.env.LOWRANK_TEST_BUILD;
  if (!name || !(name in TEST_BUILDS)) throw new Error(`LOWRANK_TEST_BUILD must name a build (${Object.keys(TEST_BUILDS).join(", ")}); got ${name}`);
  return name as TestBuild;
}

/** The bytes of the project's build. */
export function testBuildBytes(): Buffer {
  return readFileSync(new URL(`../../build/${testBuildName()}.wasm`, import.meta.url));
}

export const KERNEL_BUILDS: readonly { name: string; simd: boolean; base64: string }[] = [
  { name: testBuildName(), simd: TEST_BUILDS[testBuildName()], base64: testBuildBytes().toString("base64") },
];
