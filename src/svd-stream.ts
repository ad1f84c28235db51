// The randomised SVD of a matrix held nowhere whole: the range finder of svd-randomized.ts, whose
// every product is one pass over row blocks that the caller reads again for each pass (from a
// file, a database, a generator). Only the bases (l×m and l×n) and one block are in memory.
import { FactorisationError, describe } from "./errors.js";
import { type Matrix, type MatrixInput, shapeOf, toMatrix } from "./matrix.js";
import { checkOptionNames } from "./options.js";
import { type KernelExports, check, copyIn, f64, reserve, withKernelAsync } from "./kernel.js";
import { type ProductRequest, type RandomizedSettings, finishSketch, rangeFinder, reserveSketch, sketchResult } from "./svd-randomized.js";
import { randomizedSettings } from "./svd.js";
import type { SvdResult } from "./svd-types.js";

/** A source of row blocks: called once per pass, it returns the blocks of the whole matrix, top to bottom. */
export type BlockReader = () => Iterable<MatrixInput> | AsyncIterable<MatrixInput>;

/** Options of {@link svdStream}. */
export interface SvdStreamOptions {
  /** Singular triplets to keep, 1 ≤ k ≤ min(m, n). Required. */
  k: number;
  /** Extra sample columns beyond k (default 10): l = min(k + oversample, m, n). */
  oversample?: number;
  /** Power iterations (default 2), each two more passes over the blocks. */
  powerIterations?: number;
  /** Seed of the Gaussian test matrix; same seed and blocks ⇒ same result. Default fresh random. */
  seed?: number;
  /** 'thin' (default): U m×k, S, V n×k; 'none': S only. */
  vectors?: "thin" | "none";
}

const STREAM_OPTION_NAMES = ["k", "oversample", "powerIterations", "seed", "vectors"];
const WHAT = "svdStream";

/** Where a block came from, for messages: "pass 2 of 7, block 3 (rows 300–399)". */
function place(pass: number, passes: number, block: number, first: number, rows: number): string {
  return `pass ${pass} of ${passes}, block ${block} (rows ${first}–${first + rows - 1})`;
}

/** The stream's state between passes: its shape once known, and the one block buffer. */
interface StreamState {
  read: BlockReader;
  passes: number;
  m: number;
  n: number;
  /** A buffer for one block, reserved for the largest block seen, and its capacity in doubles. */
  block: number;
  capacity: number;
  /** n copies of the safe-range factor (0 when it is 1: nothing to scale). */
  factors: number;
}

/**
 * One pass: calls readBlocks() once and hands each block, checked and copied into wasm memory
 * (scaled by the safe-range factor), to `each` with its first row. Checks every block's width,
 * its finiteness, and that the pass yields the m rows of the first (when m is known).
 */
async function pass(s: StreamState, index: number, live: () => KernelExports, each: (kx: KernelExports, block: number, first: number, rows: number) => void): Promise<number> {
  let source: Iterable<MatrixInput> | AsyncIterable<MatrixInput>;
  source = s.read();
  if (source === null || typeof source !== "object" || !(Symbol.iterator in source || Symbol.asyncIterator in source)) {
    throw new FactorisationError("SHAPE", `${WHAT}: readBlocks() must return an Iterable or AsyncIterable of row blocks; pass ${index} got ${describe(source)}`);
  }
  let rows = 0;
  let count = 0;
  for await (const input of source) {
    const kx = live();
    count++;
    const block = toMatrix(input, `${WHAT}: pass ${index} of ${s.passes}, block ${count}`, false, true);
    if (block.rows === 0) continue;
    const where = place(index, s.passes, count, rows, block.rows);
    if (s.n === 0) s.n = block.cols;
    if (block.cols !== s.n) {
      throw new FactorisationError("SHAPE", `${WHAT}: ${where} has ${block.cols} columns; the first block had ${s.n} (every block must have the same width)`);
    }
    if (s.m > 0 && rows + block.rows > s.m) {
      throw new FactorisationError("SHAPE", `${WHAT}: ${where} goes past the ${s.m} rows that pass 1 yielded; readBlocks() must yield the same matrix on every pass`);
    }
    const size = block.rows * block.cols;
    if (size > s.capacity) {
      [s.block] = reserve([size * 8], `${WHAT}: a ${shapeOf(block)} block`);
      s.capacity = size;
    }
    try {
      copyIn(s.block, block.data, "A", s.n, rows);
    } catch (error) {
      if (error instanceof FactorisationError) throw new FactorisationError(error.code, `${WHAT}: ${where}: ${error.message}`);
      throw error;
    }
    if (s.factors) check("scaleColumns", kx.scaleColumns(s.block, block.rows, s.n, s.factors), { what: WHAT });
    each(kx, s.block, rows, block.rows);
    rows += block.rows;
  }
  if (s.m > 0 && rows !== s.m) {
    throw new FactorisationError("SHAPE", `${WHAT}: pass ${index} of ${s.passes} yielded ${rows} rows; pass 1 yielded ${s.m} (readBlocks() must yield the same matrix on every pass)`);
  }
  return rows;
}

/**
 * Randomised truncated SVD (Halko–Martinsson–Tropp Alg. 4.4 + 5.1, as svd(A, { method:
 * 'randomized' })) of an m×n matrix read in row blocks: `readBlocks()` is called once per pass
 * and returns an Iterable or AsyncIterable of blocks (a {@link Matrix} or nested rows each, all
 * with the same number of columns, together the m rows in order). The first pass only counts
 * rows and finds the largest |entry| (for the safe-range scaling, as the in-memory SVD does);
 * then every product of the range finder is one pass: 2·powerIterations + 3 passes in all.
 *
 * The result equals svd(A, { k, method: 'randomized', seed, oversample, powerIterations }) of
 * the same matrix: every product adds the same terms in the same order, so today they agree bit
 * for bit; whatever a future kernel does with the summation order, the values agree within a
 * small multiple of m·ε·σ₁ and the vectors within that over the gap to the next value.
 * Memory O(block + (m + n)·l) doubles, l = min(k + oversample, m, n): 8·l·(m + n) + 8·m·k
 * bytes plus one block and the l×n small SVD; cost O(m·n·l) per pass.
 *
 * Bad input is a FactorisationError naming the pass, block and rows: SHAPE for a block of
 * another width, a pass with a different number of rows, or no rows; NON_FINITE for NaN/±∞
 * (`A[r][c]`, r counted over the whole matrix); RANK for k > min(m, n) (the sketch cannot hold
 * k), OPTION for a bad option. Streams run one at a time (a second waits for the first).
 * @returns a Promise of { U (m×k), S (k, descending), V (n×k) }.
 */
export function svdStream(readBlocks: BlockReader, opts: SvdStreamOptions): Promise<SvdResult> {
  try {
    if (typeof readBlocks !== "function") {
      throw new FactorisationError("SHAPE", `${WHAT}: readBlocks must be a function returning an Iterable or AsyncIterable of row blocks; got ${describe(readBlocks)}`);
    }
    const o = checkOptionNames(opts, STREAM_OPTION_NAMES, WHAT);
    if (o.k === undefined) throw new FactorisationError("OPTION", `${WHAT} needs k (the number of singular triplets to keep)`);
    const k = o.k;
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1) throw new FactorisationError("RANK", `${WHAT}: k must be a positive integer; got ${describe(k)}`);
    const vectors = o.vectors === undefined ? "thin" : o.vectors;
    if (vectors !== "thin" && vectors !== "none") {
      throw new FactorisationError("OPTION", `vectors must be one of 'thin', 'none'; got ${describe(vectors)}`);
    }
    const settings = randomizedSettings(o, vectors, WHAT);
    return streamSketch(readBlocks, k, settings);
  } catch (error) {
    return Promise.reject(error);
  }
}

function streamSketch(read: BlockReader, k: number, settings: RandomizedSettings): Promise<SvdResult> {
  return withKernelAsync(async (first, live) => {
    const s: StreamState = { read, passes: 2 * settings.powerIterations + 3, m: 0, n: 0, block: 0, capacity: 0, factors: 0 };
    // Pass 1: the shape, the checks, and the largest |entry| for the safe-range factor.
    const [largest, factor] = reserve([8, 8], WHAT);
    f64(largest, 1)[0] = 0;
    s.m = await pass(s, 1, live, (kx, block, _first, rows) => {
      if (k > s.n) throw new FactorisationError("RANK", `${WHAT}: k = ${k} is larger than the sketch can hold: k must be in [1, min(m, n)] and the blocks have ${s.n} columns`);
      check("largestMagnitude", kx.largestMagnitude(block, rows * s.n, largest), { what: WHAT });
    });
    const { m, n } = s;
    if (m === 0) throw new FactorisationError("SHAPE", `${WHAT}: readBlocks() yielded no rows; at least one row is needed`);
    if (k > Math.min(m, n)) {
      throw new FactorisationError("RANK", `${WHAT}: k = ${k} is larger than the sketch can hold: k must be in [1, min(m, n)] = [1, ${Math.min(m, n)}] for the streamed ${m}×${n} matrix`);
    }
    let kx = live();
    check("scaleToSafeRange", kx.scaleToSafeRange(largest, 1, factor), { what: WHAT });
    const scale = f64(factor, 1)[0];
    if (scale !== 1) {
      [s.factors] = reserve([n * 8], WHAT);
      f64(s.factors, n).fill(scale);
    }
    const sketch = reserveSketch(first, m, n, k, settings, WHAT);
    const { l } = sketch;
    // input·Bᵀ of one block (l×rows), before it is copied into the output's columns.
    let partRows = s.capacity / n;
    let [part] = reserve([l * partRows * 8], WHAT);
    let passIndex = 1;
    const product = async (p: ProductRequest) => {
      passIndex++;
      if (p.kind === "times") {
        // output (l×m): columns first … first + rows − 1 are input·Bᵀ (l×rows), block B rows×n.
        await pass(s, passIndex, live, (kx, block, start, rows) => {
          if (rows > partRows) [part, partRows] = [reserve([l * rows * 8], WHAT)[0], rows];
          check("multiplyTransposed", kx.multiplyTransposed(p.input, block, l, rows, n, part, sketch.work), { what: WHAT });
          const out = f64(p.output, l * m);
          const from = f64(part, l * rows);
          for (let j = 0; j < l; j++) out.set(from.subarray(j * rows, (j + 1) * rows), j * m + start);
        });
      } else {
        // output (l×n) = Σ over blocks of input[:, rows of B] · B, accumulated in row order.
        f64(p.output, l * n).fill(0);
        await pass(s, passIndex, live, (kx, block, start, rows) => {
          check("multiplyAdd", kx.multiplyAdd(p.input + start * 8, m, block, l, rows, n, p.output, sketch.work), { what: WHAT });
        });
      }
    };
    const steps = rangeFinder(first, sketch);
    for (let step = steps.next(); !step.done; step = steps.next()) {
      await product(step.value);
      kx = live();
    }
    finishSketch(kx, sketch, scale);
    return sketchResult(sketch);
  });
}
