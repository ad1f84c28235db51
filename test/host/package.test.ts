// The package as users get it: `npm pack`, install the tarball into a scratch project, import
// it with `import` and with `require()` (Node ≥ 20.19), run the lab, and type-check a consumer
// that uses every API against the published .d.ts.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let scratch = "";
let files: string[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "lowrank-pack-"));
  // dist/ is built by `npm test`'s pretest step; pack what is there (no prepare script runs).
  const packed = JSON.parse(execFileSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], { cwd: root, encoding: "utf8" }));
  files = packed[0].files.map((f: { path: string }) => f.path);
  const tarball = join(scratch, packed[0].filename);
  const project = join(scratch, "app");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  execFileSync(npm, ["install", "--no-audit", "--no-fund", "--offline", tarball], { cwd: project, encoding: "utf8" });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("npm pack", () => {
  test("contains only what users need: dist JS and .d.ts, the .wasm, README, LICENSE, package.json", () => {
    for (const f of files) expect(f).toMatch(/^(dist\/.+\.(js|d\.ts)|build\/(release|scalar)\.wasm|README\.md|LICENSE|package\.json)$/);
    for (const needed of ["dist/index.js", "dist/index.d.ts", "dist/cli.js", "build/release.wasm", "build/scalar.wasm", "README.md", "LICENSE"]) {
      expect(files).toContain(needed);
    }
    expect(files.some((f) => f.startsWith("src/") || f.startsWith("test/") || f.startsWith("assembly/"))).toBe(false);
  });

  const app = () => join(scratch, "app");
  const lab = "[[0.3374,0.6005,0.1735],[3.3359,0.0492,1.8374],[2.9407,0.5301,2.262]]";

  test("import works and runs the lab", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e",
      `import { sgdFactorise, simd } from "lowrank"; const r = sgdFactorise(${lab}, 2, { seed: 1 }); console.log(JSON.stringify({ loss: r.loss, simd }));`],
      { cwd: app(), encoding: "utf8" });
    const { loss, simd } = JSON.parse(out);
    expect(loss).toBeGreaterThan(0.1219);
    expect(loss).toBeLessThan(0.1235);
    expect(simd).toBe(true);
  });

  test("require() works (no top-level await) and gives the same result", () => {
    writeFileSync(join(app(), "use.cjs"), `const { sgdFactorise } = require("lowrank");\nconsole.log(sgdFactorise(${lab}, 2, { seed: 1 }).loss);\n`);
    const viaRequire = Number(execFileSync(process.execPath, ["use.cjs"], { cwd: app(), encoding: "utf8" }));
    const viaImport = Number(execFileSync(process.execPath, ["--input-type=module", "-e",
      `import { sgdFactorise } from "lowrank"; console.log(sgdFactorise(${lab}, 2, { seed: 1 }).loss);`], { cwd: app(), encoding: "utf8" }));
    expect(viaRequire).toBe(viaImport);
  });

  test.each(["kernel.wasm", "kernel-scalar.wasm"])("the module is exported as lowrank/%s, imports nothing, and computes", (file) => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e",
      `import { createRequire } from "node:module"; import { readFileSync } from "node:fs";
       const path = createRequire(import.meta.url).resolve("lowrank/${file}");
       const m = new WebAssembly.Module(readFileSync(path));
       const x = new WebAssembly.Instance(m, {}).exports;
       const p = x.heapBase(); new Float64Array(x.memory.buffer, p, 4).fill(0.5);
       const status = x.euclideanNorm(p, 4, p + 32);
       console.log(JSON.stringify({ imports: WebAssembly.Module.imports(m), status, norm: new Float64Array(x.memory.buffer, p + 32, 1)[0] }));`],
    { cwd: app(), encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ imports: [], status: 0, norm: 1 });
  });

  test("the npx bin runs the demo", () => {
    const out = execFileSync(join(app(), "node_modules", ".bin", "lowrank"), ["demo"], { cwd: app(), encoding: "utf8" });
    expect(out).toContain("Exercise 3 — masked SGD");
  });

  test("the published .d.ts type-check a consumer that uses every API", () => {
    const consumer = readFileSync(new URL("./consumer.ts.txt", import.meta.url), "utf8");
    writeFileSync(join(app(), "consumer.ts"), consumer);
    writeFileSync(join(app(), "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022"], types: [] },
      files: ["consumer.ts"],
    }));
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "-p", "."], { cwd: app(), encoding: "utf8" });
    // …and a misuse is rejected, so the check above has teeth.
    writeFileSync(join(app(), "consumer.ts"), `import { svd } from "lowrank";\nsvd([[1]], { vectors: "half" });\n`);
    let diagnostics = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", "."], { cwd: app(), encoding: "utf8" });
    } catch (error) {
      diagnostics = (error as { stdout: string }).stdout;
    }
    expect(diagnostics).toMatch(/consumer\.ts\(2,\d+\): error TS2769: No overload matches this call/);
    expect(diagnostics).toContain(`Type '"half"' is not assignable`);
  });
});
