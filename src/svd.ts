// The SVD: exact (Householder bidiagonalisation + implicit QR, assembly/svd.ts), truncated,
// values-only, full, and the lab's svdFactorise form. Randomised SVD is in randomized.ts.
import { FactorisationError } from "./errors.js";
import { type Matrix, type MatrixInput, toMatrix } from "./matrix.js";
import { checkOptionNames, checkRank, integerInRange, oneOf, seedOption } from "./options.js";
import { copyInFinite, f64, type KernelExports, layoutBytes, reserve, withKernel } from "./kernel.js";
import { randomizedSvd } from "./randomized.js";
import { leadingColumns, runSvdKernel, svdLayout } from "./svd-kernel.js";

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Keep the top k singular triplets, 1 ≤ k ≤ min(m, n). Default min(m, n). */
  k?: number;
  /** 'thin' (default): U m×k, V n×k; 'full': U m×m, V n×n (complete bases); 'none': values only (much faster). */
  vectors?: "thin" | "full" | "none";
  /** 'exact' (default) or 'randomized' (Halko–Martinsson–Tropp; needs k, for large matrices with small k). */
  method?: "exact" | "randomized";
  /** Randomized only: seed of the Gaussian test matrix; same seed ⇒ same result. Default fresh random. */
  seed?: number;
  /** Randomized only: extra sample columns beyond k. Default 10. */
  oversample?: number;
  /** Randomized only: power iterations (each one pass of A and Aᵀ), for slowly decaying spectra. Default 2. */
  powerIterations?: number;
}

/** What {@link svd} returns: A ≈ U diag(S) Vᵀ. */
export interface SvdResult {
  /** Left singular vectors as columns (m×k thin, m×m full); absent with vectors 'none'. */
  U?: Matrix;
  /** Singular values, descending, ≥ 0. */
  S: Float64Array;
  /** Right singular vectors as columns (n×k thin, n×n full); absent with vectors 'none'. */
  V?: Matrix;
}

const SVD_OPTION_NAMES = ["k", "vectors", "method", "seed", "oversample", "powerIterations"];
const JOB = { none: 0, thin: 1, full: 2 } as const;

/**
 * Runs the exact SVD kernel on a validated matrix and copies out, once, the top k values and
 * (jobs 1/2) the leading k columns of U and V — all m / n columns for job 2, where k = p.
 */
function exactSvd(kx: KernelExports, a: Matrix, job: 0 | 1 | 2, k: number, what: string): SvdResult {
  const { rows: m, cols: n } = a;
  const p = Math.min(m, n);
  const layout = svdLayout(kx, m, n, job);
  if (layoutBytes(layout) > 2 ** 32) {
    throw new FactorisationError("TOO_LARGE", `${what} of a ${m}×${n} matrix needs more than 4 GiB of workspace`);
  }
  const pointers = reserve(layout, `${what} (${m}×${n})`);
  const [pa, ps, pu, pv] = pointers;
  copyInFinite(pa, a.data, "A", n);
  runSvdKernel(kx, pointers, m, n, job, what);
  const S = f64(ps, k).slice();
  if (job === 0) return { S };
  const ucols = job === 2 ? m : p;
  const vcols = job === 2 ? n : p;
  return {
    U: leadingColumns(f64(pu, m * ucols), m, ucols, job === 2 ? m : k),
    S,
    V: leadingColumns(f64(pv, n * vcols), n, vcols, job === 2 ? n : k),
  };
}

/**
 * Singular value decomposition A = U diag(S) Vᵀ of an m×n matrix, S descending and ≥ 0.
 *
 * Exact method (default): scaling near over/underflow (LAPACK dlascl), a QR step first when
 * m ≥ 1.6·n (dgesvd), Householder bidiagonalisation (dgebrd), and implicit-shift QR on the
 * bidiagonal with Demmel–Kahan zero-shift sweeps (dbdsqr); wide input goes through Aᵀ. Accuracy
 * ‖A − UΣVᵀ‖/‖A‖ and ‖UᵀU − I‖ of a small multiple of max(m, n)·ε. Cost O(m·n·min(m, n)),
 * several times less with vectors 'none'.
 *
 * Randomized method: see {@link SvdOptions}; cost O(m·n·(k + oversample)·(2·powerIterations + 2)).
 * @throws FactorisationError SHAPE, NON_FINITE, RANK (k), OPTION, TOO_LARGE, NO_CONVERGENCE.
 */
export function svd(A: MatrixInput, opts?: SvdOptions): SvdResult {
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
    if (vectors === "full") throw new FactorisationError("OPTION", "method 'randomized' gives thin vectors only; use vectors 'thin' or 'none'");
    const oversample = integerInRange(o.oversample, "oversample", 10, 1, 10_000);
    const powerIterations = integerInRange(o.powerIterations, "powerIterations", 2, 0, 100);
    return randomizedSvd(a, k, { oversample, powerIterations, seed: seedOption(o.seed), vectors: vectors === "none" ? "none" : "thin" });
  }
  if (vectors === "full" && k < p) {
    throw new FactorisationError("OPTION", `vectors 'full' gives complete bases and cannot be combined with k < min(m, n) = ${p}; got k = ${k}`);
  }
  return withKernel((kx) => exactSvd(kx, a, JOB[vectors], k, "svd"));
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
  return withKernel((kx) => {
    const r = exactSvd(kx, a, 1, p, "svdFactorise");
    const S = new Float64Array(p * p);
    for (let i = 0; i < k; i++) S[i * p + i] = r.S[i];
    return { U: r.U!, S: { rows: p, cols: p, data: S }, V: r.V! };
  });
}
