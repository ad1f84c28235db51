// Randomised truncated SVD: Halko, Martinsson & Tropp (2011), "Finding structure with
// randomness", SIAM Review 53(2), Algorithm 4.4 (randomised subspace iteration, with QR
// re-orthonormalisation between the products) followed by Algorithm 5.1 (direct SVD of the
// small projected matrix B = QᵀA, by the exact kernel). A is first scaled into the safe range
// (as dgesvd does) and the values scaled back at the end, so entries near under- or overflow
// cost no accuracy.
//
// One range finder for every kind of A: it only asks for the two products A·X and Aᵀ·Q, which
// the caller performs on A as it holds it — dense in wasm memory (here), sparse in compressed
// form (sparse.ts), or row blocks streamed from elsewhere (svd-stream.ts, where each product is
// a pass over the blocks). The bases are held transposed (Yᵀ, Qᵀ: l rows of m doubles), the
// kernel's layout for Householder QR, so every product is a row-major product with A as stored.
import type { Matrix } from "./matrix.js";
import { type KernelExports, check, copyIn, copyOut, copyOutValues, f64, InfoBytes, reserve } from "./kernel.js";
import { type SvdBuffers, decompose, reserveSvd } from "./svd-exact.js";
import type { SvdResult } from "./svd-types.js";

/** Settings already validated by svd(). */
export interface RandomizedSettings {
  oversample: number;
  powerIterations: number;
  seed: number;
  vectors: "thin" | "none";
}

/**
 * A product the range finder asks for, with the bases held transposed: "times" writes
 * output (l×m) ← input (l×n) · Aᵀ, i.e. (A·X)ᵀ; "transposeTimes" writes output (l×n) ←
 * input (l×m) · A, i.e. (Aᵀ·Q)ᵀ. Buffers are wasm addresses.
 */
export interface ProductRequest {
  kind: "times" | "transposeTimes";
  input: number;
  output: number;
}

/** A held in wasm memory in some form, with the two products the range finder needs. */
export interface RangeOperator {
  /** output (l×m) ← input (l×n) · Aᵀ. */
  times(input: number, l: number, output: number): void;
  /** output (l×n) ← input (l×m) · A. */
  transposeTimes(input: number, l: number, output: number): void;
}

/** The buffers and sizes of one randomised SVD of an m×n matrix: l = min(k + oversample, m, n) samples. */
export interface Sketch {
  m: number;
  n: number;
  k: number;
  l: number;
  job: 0 | 1;
  settings: RandomizedSettings;
  what: string;
  /** Ωᵀ then Zᵀ: l×n. */
  zt: number;
  /** Yᵀ then Qᵀ: l×m. */
  yt: number;
  tau: number;
  scaleInfo: number;
  /** The exact SVD of B = QᵀA (l×n); B itself is written to small.a by the last product. */
  small: SvdBuffers;
  /** The leading k columns of U_B (l×k), then U = Q·U_B (m×k). */
  ub: number;
  u: number;
  /** Scratch of the QRs, of U = Q·U_B and of a dense operator's products (the largest need). */
  work: number;
}

/** Samples of the sketch: l = min(k + oversample, m, n). */
export function sketchSize(m: number, n: number, k: number, oversample: number): number {
  return Math.min(k + oversample, m, n);
}

/**
 * Reserves the buffers of a randomised SVD of an m×n matrix (inside withKernel), after the
 * caller's own (A in whatever form). Memory O((m + n)·l) doubles plus the small SVD's.
 */
export function reserveSketch(kx: KernelExports, m: number, n: number, k: number, settings: RandomizedSettings, what: string): Sketch {
  const l = sketchSize(m, n, k, settings.oversample);
  const job = settings.vectors === "thin" ? 1 : 0;
  const workBytes = Math.max(kx.orthonormaliseWorkspaceBytes(Math.max(m, n), l) >>> 0, kx.productWorkspaceBytes(m, k, l) >>> 0,
    kx.productWorkspaceBytes(l, m, n) >>> 0, kx.productWorkspaceBytes(l, n, m) >>> 0);
  const [zt, yt, tau, scaleInfo, ub, u, work] = reserve(
    [l * n * 8, l * m * 8, l * 8, InfoBytes.SVD, job ? l * k * 8 : 0, job ? m * k * 8 : 0, workBytes],
    `${what} (${m}×${n}, k ${k})`,
  );
  const small = reserveSvd(kx, l, n, job, what);
  return { m, n, k, l, job, settings, what, zt, yt, tau, scaleInfo, small, ub, u, work };
}

/**
 * Algorithm 4.4's range finder as a sequence of products: the generator yields each product it
 * needs and continues once the caller has written the output (at once for A in memory, after a
 * pass over the blocks for a stream), orthonormalising in between. Qᵀ = orth(A Ω)ᵀ, then q
 * rounds of Qᵀ = orth(A · orth(Aᵀ Q))ᵀ, then B = QᵀA into sketch.small.a: 2q + 2 products.
 */
export function* rangeFinder(kx: KernelExports, s: Sketch): Generator<ProductRequest, void, undefined> {
  const { m, n, l, zt, yt, tau, what } = s;
  const orthonormalise = (basis: number, rows: number) => check("orthonormalise", kx.orthonormalise(basis, rows, l, tau, s.work), { what });
  check("fillNormal", kx.fillNormal(zt, l * n, s.settings.seed), { what }); // Ωᵀ, l×n
  yield { kind: "times", input: zt, output: yt }; // Yᵀ = Ωᵀ Aᵀ
  orthonormalise(yt, m);
  for (let i = 0; i < s.settings.powerIterations; i++) {
    yield { kind: "transposeTimes", input: yt, output: zt }; // Zᵀ = Qᵀ A
    orthonormalise(zt, n);
    yield { kind: "times", input: zt, output: yt }; // Yᵀ = Zᵀ Aᵀ
    orthonormalise(yt, m);
  }
  yield { kind: "transposeTimes", input: yt, output: s.small.a }; // B = Qᵀ A
}

/**
 * Algorithm 5.1 on the sketch once B = QᵀA is in place: B = U_B Σ Vᵀ by the exact kernel, the
 * values divided by the safe-range `factor` A was scaled by, and U = Q·U_B (its leading k
 * columns only). Afterwards the top k values are at small.s, V (n×l, leading k columns) at
 * small.v and U (m×k) at sketch.u.
 */
export function finishSketch(kx: KernelExports, s: Sketch, factor: number): void {
  const { m, n, k, l, job, small, what } = s;
  decompose(kx, small, l, n, job, what);
  check("unscaleSingularValues", kx.unscaleSingularValues(small.s, l, factor, s.scaleInfo), { what, svdInfo: s.scaleInfo });
  if (!job) return;
  const ub = f64(s.ub, l * k);
  const full = f64(small.u, l * l);
  for (let r = 0; r < l; r++) ub.set(full.subarray(r * l, r * l + k), r * k);
  check("multiplyTransposedLeft", kx.multiplyTransposedLeft(s.yt, s.ub, l, m, k, s.u, s.work), { what });
}

/** The top-k triplets of a finished sketch, copied out of wasm memory. */
export function sketchResult(s: Sketch): SvdResult {
  const S = copyOutValues(s.small.s, s.k);
  if (!s.job) return { S };
  return { U: copyOut(s.u, s.m, s.k), S, V: copyOut(s.small.v, s.n, s.l, s.k) };
}

/**
 * Runs the range finder on an operator whose products are immediate, then Algorithm 5.1; the
 * result stays in the sketch's buffers (read it with sketchResult, or transform it first).
 * Cost O(products·l + (m + n)·l²).
 */
export function runSketch(kx: KernelExports, op: RangeOperator, s: Sketch, factor: number): void {
  for (const p of rangeFinder(kx, s)) {
    if (p.kind === "times") op.times(p.input, s.l, p.output);
    else op.transposeTimes(p.input, s.l, p.output);
  }
  finishSketch(kx, s, factor);
}

/**
 * Scales the dense m×n matrix at pa (already in wasm memory) into the safe range; returns its
 * operator (products on the product kernel, with the sketch's scratch `work`) and the factor.
 */
export function denseOperator(kx: KernelExports, pa: number, m: number, n: number, what: string, work: number): { op: RangeOperator; factor: number } {
  const [factor] = reserve([8], what);
  check("scaleToSafeRange", kx.scaleToSafeRange(pa, m * n, factor), { what });
  const op: RangeOperator = {
    times: (input, l, output) => check("multiplyTransposed", kx.multiplyTransposed(input, pa, l, m, n, output, work), { what }),
    transposeTimes: (input, l, output) => check("multiply", kx.multiply(input, pa, l, m, n, output, work), { what }),
  };
  return { op, factor: f64(factor, 1)[0] };
}

const WHAT = "randomized svd";

/**
 * Top-k SVD of the validated m×n matrix a by randomised subspace iteration with
 * l = min(k + oversample, m, n) samples (inside withKernel). Cost O(m·n·l·(2q + 2)) for the
 * products plus O((m + n)·l²) for the QRs and the small SVD, against O(m·n·min(m, n)) for the
 * exact SVD; memory O(m·n + (m + n)·l).
 */
export function randomizedSvd(kx: KernelExports, A: Matrix, k: number, o: RandomizedSettings): SvdResult {
  const [pa] = reserve([A.rows * A.cols * 8], `${WHAT} (${A.rows}×${A.cols}, k ${k})`);
  copyIn(pa, A.data, "A", A.cols);
  const s = reserveSketch(kx, A.rows, A.cols, k, o, WHAT);
  const { op, factor } = denseOperator(kx, pa, A.rows, A.cols, WHAT, s.work);
  runSketch(kx, op, s, factor);
  return sketchResult(s);
}
