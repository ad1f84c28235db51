// The SVD's public functions: validation of the input and options, then the exact path
// (svd-exact.ts: Householder bidiagonalisation + implicit QR in assembly/svd.ts) or the
// randomised one (svd-randomized.ts) on a dense matrix or a sparse coordinate list (sparse.ts);
// truncated, values-only, full, and the lab's form.
import { FactorisationError } from "./errors.js";
import { type Matrix, type MatrixInput, toMatrix } from "./matrix.js";
import { checkOptionNames, checkRank, integerInRange, oneOf, seedOption } from "./options.js";
import { type SparseEntries, checkSparseEntries, isSparseInput } from "./entries.js";
import { withKernel } from "./kernel.js";
import { exactSvd } from "./svd-exact.js";
import { type RandomizedSettings, randomizedSvd, reserveSketch, runSketch, sketchResult, sketchSize } from "./svd-randomized.js";
import { sparseOperator } from "./sparse.js";
import type { SvdOptions, SvdResult, SvdValues, SvdVectors } from "./svd-types.js";

export type { SvdOptions, SvdResult, SvdValues, SvdVectors };

/** The option names of svd (a pool checks them before posting a call). */
export const SVD_OPTION_NAMES = ["k", "vectors", "method", "seed", "oversample", "powerIterations"];
const JOB = { none: 0, thin: 1, full: 2 } as const;

/**
 * The randomised method's options, checked: k given, thin or no vectors, oversample and
 * powerIterations in range, a seed (drawn when absent). Shared by svd, pca and svdStream.
 */
export function randomizedSettings(o: Record<string, unknown>, vectors: "thin" | "full" | "none", fn = "method 'randomized'"): RandomizedSettings {
  if (vectors === "full") throw new FactorisationError("OPTION", `${fn} gives thin vectors only; use vectors 'thin' or 'none'`);
  const oversample = integerInRange(o.oversample, "oversample", 10, 1, 10_000);
  const powerIterations = integerInRange(o.powerIterations, "powerIterations", 2, 0, 100);
  return { oversample, powerIterations, seed: seedOption(o.seed), vectors };
}

/**
 * Singular value decomposition A = U diag(S) Vᵀ of an m×n matrix, S descending and ≥ 0.
 *
 * Exact method (default for dense A): scaling near over/underflow (LAPACK dlascl), a QR step
 * first when m ≥ 1.6·n (dgesvd), Householder bidiagonalisation (dgebrd), and implicit-shift QR
 * on the bidiagonal with Demmel–Kahan zero-shift sweeps (dbdsqr); wide input goes through Aᵀ.
 * Accuracy ‖A − UΣVᵀ‖/‖A‖ and ‖UᵀU − I‖ of a small multiple of max(m, n)·ε. Cost
 * O(m·n·min(m, n)), several times less with vectors 'none'.
 *
 * Randomized method: see {@link SvdOptions}; cost O(m·n·(k + oversample)·(2·powerIterations + 2)).
 *
 * Sparse A — a coordinate list `{ rows, cols, row, col, value }` (as sgdFactoriseSparse takes)
 * — has the randomized method only (the default for it; it needs k, and method 'exact' is an
 * OPTION error: densify it yourself if you want the exact SVD). Duplicate coordinates are summed
 * (scipy's coo → csr policy); A is never densified: it is sorted once into CSR and CSC forms and
 * every product costs O(nnz·l), l = min(k + oversample, m, n); memory O(nnz + (m + n)·l).
 * @throws FactorisationError SHAPE, NON_FINITE (also when σ₁ exceeds the double range), RANK (k), OPTION, TOO_LARGE, NO_CONVERGENCE.
 */
export function svd(A: MatrixInput | SparseEntries, opts: SvdOptions & { vectors: "none" }): SvdValues;
export function svd(A: MatrixInput | SparseEntries, opts?: SvdOptions & { vectors?: "thin" | "full" }): SvdVectors;
export function svd(A: MatrixInput | SparseEntries, opts?: SvdOptions): SvdResult;
export function svd(A: MatrixInput | SparseEntries, opts?: SvdOptions): SvdResult {
  if (isSparseInput(A)) return sparseSvd(A, opts);
  const a = toMatrix(A, "A");
  const o = checkOptionNames(opts, SVD_OPTION_NAMES, "svd");
  const { rows: m, cols: n } = a;
  const p = Math.min(m, n);
  const vectors = oneOf(o.vectors, "vectors", ["thin", "full", "none"] as const, "thin");
  const method = oneOf(o.method, "method", ["exact", "randomized"] as const, "exact");
  const k = o.k === undefined ? p : checkRank(o.k, m, n, "k");
  if (method === "exact") {
    for (const name of ["seed", "oversample", "powerIterations"]) {
      if (o[name] !== undefined) throw new FactorisationError("OPTION", `${name} applies only to method 'randomized'`);
    }
  }
  if (method === "randomized") {
    if (o.k === undefined) throw new FactorisationError("OPTION", "method 'randomized' needs k (the number of singular triplets to keep)");
    const settings = randomizedSettings(o, vectors);
    return withKernel((kx) => randomizedSvd(kx, a, k, settings));
  }
  if (vectors === "full" && k < p) {
    throw new FactorisationError("OPTION", `vectors 'full' gives complete bases and cannot be combined with k < min(m, n) = ${p}; got k = ${k}`);
  }
  return withKernel((kx) => exactSvd(kx, a, JOB[vectors], k, "svd"));
}

/** svd() of a coordinate list: the randomised range finder over its CSR and CSC forms. */
function sparseSvd(A: unknown, opts?: SvdOptions): SvdResult {
  const entries = checkSparseEntries(A);
  const o = checkOptionNames(opts, SVD_OPTION_NAMES, "svd");
  const { m, n } = entries;
  const vectors = oneOf(o.vectors, "vectors", ["thin", "full", "none"] as const, "thin");
  const method = oneOf(o.method, "method", ["exact", "randomized"] as const, "randomized");
  if (method === "exact") {
    throw new FactorisationError("OPTION", `method 'exact' needs a dense matrix; sparse input has method 'randomized' only (densify the ${m}×${n} matrix yourself for the exact SVD)`);
  }
  if (o.k === undefined) throw new FactorisationError("OPTION", "sparse input needs k (the number of singular triplets to keep)");
  const k = checkRank(o.k, m, n, "k");
  const settings = randomizedSettings(o, vectors, "sparse input");
  const what = "sparse svd";
  return withKernel((kx) => {
    const { op, factor } = sparseOperator(kx, entries, sketchSize(m, n, k, settings.oversample), what);
    const sketch = reserveSketch(kx, m, n, k, settings, what);
    runSketch(kx, op, sketch, factor);
    return sketchResult(sketch);
  });
}

/**
 * The lab's SVD factorisation (exercise 2, like its torch.svd code): with p = min(m, n),
 * U m×p, S p×p diagonal with the singular values past `rank` set to 0, V n×p, so that
 * U S Vᵀ is the best rank-`rank` approximation of A (Eckart–Young). Cost as {@link svd}.
 * @throws FactorisationError SHAPE, NON_FINITE, RANK, TOO_LARGE, NO_CONVERGENCE.
 */
export function svdFactorise(A: MatrixInput, rank: number): { U: Matrix; S: Matrix; V: Matrix } {
  const a = toMatrix(A, "A");
  const { rows: m, cols: n } = a;
  const k = checkRank(rank, m, n);
  const p = Math.min(m, n);
  const r = withKernel((kx) => exactSvd(kx, a, 1, p, "svdFactorise"));
  const S = new Float64Array(p * p);
  for (let i = 0; i < k; i++) S[i * p + i] = r.S[i];
  return { U: r.U!, S: { rows: p, cols: p, data: S }, V: r.V! };
}
