// `node bench/peak.mjs`: the f64x2 multiply–add peak of this machine under WebAssembly (Node's
// V8, 128-bit SIMD, no fused multiply–add), the yardstick for the product kernel's GFlop/s in
// docs/performance.md. Each variant is a hand-written wasm loop (WAT, assembled with the `wabt`
// devDependency) of independent chains acc_i ← acc_i + x_i·y_i (one f64x2.mul and one f64x2.add,
// 4 flops, per chain per step), long enough that no chain waits on its own add latency:
//   registers   12 chains, x_i (two values) held in registers, one y loaded per step from a 4 KiB
//               (L1) buffer: 15 live vectors, under x86-64's 16
//   tile 4×4    the product kernel's step: 2 loads + 4 splat-loads feed 8 chains
//   tile 6×4    2 loads + 6 splat-loads feed 12 chains
//   tile 4×6    3 loads + 4 splat-loads feed 12 chains
// Each variant runs `steps` steps per call; GFlop/s = best of --repeats calls (default 15).
// Also prints the product kernel itself through the `multiply` export (C = A·B, row-major) at the
// shapes the SVD uses, so the two can be read side by side.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import wabtInit from "wabt";

const { values: opts } = parseArgs({ options: { repeats: { type: "string", default: "15" }, wasm: { type: "string" } } });
const repeats = Number(opts.repeats);
const wabt = await wabtInit();

/** WAT of one variant: a loop of `steps` steps, `rows`×`vecs` chains fed by `rows` splat-loads and
 *  `vecs` vector loads per step (rows = 0: the registers variant). */
function variant(rows, vecs, chains) {
  const acc = Array.from({ length: chains }, (_, i) => `(local $c${i} v128)`).join(" ");
  const xs = "(local $x0 v128) (local $x1 v128)";
  const body = [];
  let init = "";
  if (rows === 0) {
    for (let i = 0; i < 2; i++) init += `(local.set $x${i} (v128.load offset=${16 * i} (i32.const 0)))\n`;
    body.push(`(local.set $y0 (v128.load (local.get $p)))`);
    for (let i = 0; i < chains; i++) body.push(`(local.set $c${i} (f64x2.add (local.get $c${i}) (f64x2.mul (local.get $x${i % 2}) (local.get $y0))))`);
  } else {
    for (let j = 0; j < vecs; j++) body.push(`(local.set $y${j} (v128.load offset=${16 * j} (local.get $p)))`);
    for (let i = 0; i < rows; i++) {
      body.push(`(local.set $a (v128.load64_splat offset=${16 * vecs + 8 * i} (local.get $p)))`);
      for (let j = 0; j < vecs; j++) {
        const c = `$c${i * vecs + j}`;
        body.push(`(local.set ${c} (f64x2.add (local.get ${c}) (f64x2.mul (local.get $a) (local.get $y${j}))))`);
      }
    }
  }
  const sum = Array.from({ length: chains }, (_, i) => `(local.get $c${i})`).reduce((s, c) => `(f64x2.add ${s} ${c})`);
  return `(func (export "run") (param $steps i32) (result f64)
    (local $p i32) (local $a v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) ${acc} ${xs}
    ${init}
    (local.set $p (i32.const 4096))
    (block $done (loop $step
      (br_if $done (i32.eqz (local.get $steps)))
      ${body.join("\n      ")}
      (local.set $p (i32.add (i32.const 4096) (i32.and (i32.add (local.get $p) (i32.const 64)) (i32.const 4095))))
      (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
      (br $step)))
    (f64x2.extract_lane 0 ${sum}))`;
}

function instantiate(func) {
  const wat = `(module (memory (export "memory") 1) ${func})`;
  const mod = wabt.parseWat("peak.wat", wat, { simd: true });
  const { buffer } = mod.toBinary({});
  const x = new WebAssembly.Instance(new WebAssembly.Module(buffer), {}).exports;
  new Float64Array(x.memory.buffer).fill(1e-9);
  return x;
}

function best(fn) {
  let t = Infinity;
  for (let r = 0; r < repeats; r++) {
    const s = performance.now();
    fn();
    t = Math.min(t, performance.now() - s);
  }
  return t / 1000;
}

const VARIANTS = [["registers (12 chains)", 0, 0, 12], ["tile 4×4 (8 chains)", 4, 2, 8], ["tile 6×4 (12 chains)", 6, 2, 12], ["tile 4×6 (12 chains)", 4, 3, 12]];
const steps = 5e6;
console.log(`f64x2 multiply–add peak, Node ${process.version}, best of ${repeats} calls of ${steps / 1e6}M steps:`);
const peaks = {};
for (const [name, rows, vecs, chains] of VARIANTS) {
  const x = instantiate(variant(rows, vecs, chains));
  x.run(1e5);
  const s = best(() => x.run(steps));
  peaks[name] = (steps * chains * 4) / s / 1e9;
  console.log(`  ${name.padEnd(24)} ${peaks[name].toFixed(2)} GFlop/s`);
}
const peak = Math.max(...Object.values(peaks));

// The product kernel through the `multiply` export of build/release.wasm (or --wasm).
const wasmPath = opts.wasm ?? new URL("../build/release.wasm", import.meta.url);
const k = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {}).exports;
const SHAPES = [
  // [m, p, n]: C (m×n) = A (m×p) · B (p×n)
  [512, 32, 512], [1024, 32, 1024], [2000, 32, 2000], [512, 64, 512], [1024, 64, 1024], [2000, 64, 2000], [2000, 64, 200], [1024, 1024, 1024],
];
console.log(`\nproduct kernel (\`multiply\` export, C = A·B, ${wasmPath.toString().replace(/.*\//, "")}), best of ${repeats}:`);
for (const [m, p, n] of SHAPES) {
  const hasWork = typeof k.productWorkspaceBytes === "function";
  const workBytes = hasWork ? k.productWorkspaceBytes(m, n, p) >>> 0 : 0;
  let next = k.heapBase() >>> 0;
  const at = (bytes) => { const q = next; next += Math.ceil(bytes / 16) * 16; return q; };
  const pa = at(m * p * 8), pb = at(p * n * 8), pc = at(m * n * 8), pw = at(workBytes);
  if (next > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((next - k.memory.buffer.byteLength) / 65536));
  const mem = new Float64Array(k.memory.buffer);
  for (let i = 0; i < m * p; i++) mem[pa / 8 + i] = Math.sin(i);
  for (let i = 0; i < p * n; i++) mem[pb / 8 + i] = Math.cos(i);
  const run = () => (hasWork ? k.multiply(pa, pb, m, p, n, pc, pw) : k.multiply(pa, pb, m, p, n, pc));
  const status = run();
  if (status !== 0) throw new Error(`multiply ${m}×${p}·${p}×${n} returned ${status}`);
  const s = best(run);
  const gflops = (2 * m * p * n) / s / 1e9;
  console.log(`  ${`${m}×${p} · ${p}×${n}`.padEnd(24)} ${gflops.toFixed(2)} GFlop/s (${((100 * gflops) / peak).toFixed(0)} % of peak)`);
}
