// Principal component analysis: the SVD of the centred (optionally scaled) data matrix. Dense
// input is standardised in wasm memory and decomposed by the exact or the randomised SVD; sparse
// input is never centred explicitly: the randomised SVD's products subtract the means on the fly
// ((A − 1μᵀ)X = AX − 1(μᵀX)). Statistics in assembly/columns.ts.
import { FactorisationError, describe } from "./errors.js";
import { type Matrix, type MatrixInput, toMatrix } from "./matrix.js";
import { checkOptionNames, checkRank, oneOf } from "./options.js";
import { type SparseEntries, checkSparseEntries, isSparseInput } from "./entries.js";
import { type KernelExports, check, copyIn, copyOut, copyOutValues, f64, reserve, withKernel } from "./kernel.js";
import { decompose, reserveSvd } from "./svd-exact.js";
import { denseOperator, reserveSketch, runSketch, sketchSize } from "./svd-randomized.js";
import { sparseOperator } from "./sparse.js";
import { randomizedSettings } from "./svd.js";

/** Options of {@link pca}. */
export interface PcaOptions {
  /** Components to keep, 1 ≤ k ≤ min(m, n). Default min(m, n) for method 'exact'; required for 'randomized'. */
  k?: number;
  /** Subtract the column means first (default true). false analyses the raw matrix (like scikit-learn's TruncatedSVD); mean is then all zeros. */
  center?: boolean;
  /** Divide every column by its standard deviation (m − 1 divisor) after centring, i.e. PCA of the correlation matrix; default false. Needs center. */
  scale?: boolean;
  /** 'exact' (default for dense X) or 'randomized' (the only method for sparse X; for large X with small k). */
  method?: "exact" | "randomized";
  /** Randomized only: seed of the Gaussian test matrix; same seed ⇒ same result. Default fresh random. */
  seed?: number;
  /** Randomized only: extra sample columns beyond k. Default 10. */
  oversample?: number;
  /** Randomized only: power iterations. Default 2. */
  powerIterations?: number;
}

/** What {@link pca} returns for X with m samples (rows) and n features (columns). */
export interface PcaResult {
  /** n×k: the principal axes as columns, orthonormal, by decreasing variance; each column's largest |entry| is positive. */
  components: Matrix;
  /** m×k: the samples in the components' coordinates, (X − 1·meanᵀ)/scale · components = U·diag(S). */
  scores: Matrix;
  /** n column means (zeros with center false). */
  mean: Float64Array;
  /** n divisors the columns were scaled by: standard deviations (1 for constant columns), all 1 without scale. */
  scale: Float64Array;
  /** k variances of the scores: S² / (m − 1). */
  explainedVariance: Float64Array;
  /** k fractions of the total variance (the sum of all n column variances of the centred, scaled X). */
  explainedVarianceRatio: Float64Array;
  /** k singular values of the centred, scaled X. */
  singularValues: Float64Array;
}

/** The option names of pca (a pool checks them before posting a call). */
export const PCA_OPTION_NAMES = ["k", "center", "scale", "method", "seed", "oversample", "powerIterations"];
const CENTER = 1;
const SCALE = 2;

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new FactorisationError("OPTION", `${name} must be a boolean; got ${describe(value)}`);
  return value;
}

/**
 * Principal component analysis of X, m samples (rows) × n features (columns), dense
 * ({@link MatrixInput}) or sparse (a coordinate list { rows, cols, row, col, value }, duplicates
 * summed). With `center` (default) the column means are subtracted, with `scale` the columns are
 * divided by their standard deviations; then X = U Σ Vᵀ and components = V, scores = UΣ,
 * explainedVariance = σ² / (m − 1) — what numpy's SVD of the centred matrix and scikit-learn's
 * PCA give. Signs follow scikit-learn's svd_flip (u_based_decision=False): the largest |entry|
 * of every component is positive, so the result does not depend on the method.
 *
 * Dense: the standardised copy is decomposed by the exact SVD (default; cost O(m·n·min(m, n)))
 * or the randomised one. Sparse: randomised only, the centring applied inside the products and
 * never formed; cost O(nnz·l·(2q + 2) + (m + n)·l²), memory O(nnz + (m + n)·l).
 * @throws FactorisationError SHAPE (also for fewer than 2 rows), NON_FINITE, RANK (k), OPTION, TOO_LARGE, NO_CONVERGENCE.
 */
export function pca(X: MatrixInput | SparseEntries, opts?: PcaOptions): PcaResult {
  const sparse = isSparseInput(X);
  const entries = sparse ? checkSparseEntries(X) : undefined;
  const x = sparse ? undefined : toMatrix(X, "X");
  const m = entries?.m ?? x!.rows;
  const n = entries?.n ?? x!.cols;
  const o = checkOptionNames(opts, PCA_OPTION_NAMES, "pca");
  if (m < 2) throw new FactorisationError("SHAPE", `pca needs at least 2 samples (rows) to estimate variances; got ${m}×${n}`);
  const center = flag(o.center, "center", true);
  const scaled = flag(o.scale, "scale", false);
  if (scaled && !center) throw new FactorisationError("OPTION", "scale needs center: the standard deviations are taken about the column means");
  const method = oneOf(o.method, "method", ["exact", "randomized"] as const, sparse ? "randomized" : "exact");
  if (sparse && method === "exact") {
    throw new FactorisationError("OPTION", `method 'exact' needs a dense matrix; sparse input has method 'randomized' only (densify the ${m}×${n} matrix yourself for the exact PCA)`);
  }
  if (method === "exact") {
    for (const name of ["seed", "oversample", "powerIterations"]) {
      if (o[name] !== undefined) throw new FactorisationError("OPTION", `${name} applies only to method 'randomized'`);
    }
  }
  if (method === "randomized" && o.k === undefined) {
    throw new FactorisationError("OPTION", "method 'randomized' needs k (the number of components to keep)");
  }
  const k = o.k === undefined ? Math.min(m, n) : checkRank(o.k, m, n, "k");
  const flags = (center ? CENTER : 0) | (scaled ? SCALE : 0);
  const what = "pca";
  return withKernel((kx) => {
    const [mean, std, total] = reserve([n * 8, n * 8, 8], `${what} (${m}×${n})`);
    const stats = { mean, std, total };
    if (method === "exact") {
      const b = reserveSvd(kx, m, n, 1, what);
      copyIn(b.a, x!.data, "X", n);
      check("standardiseColumns", kx.standardiseColumns(b.a, m, n, flags, mean, std, total), { what });
      decompose(kx, b, m, n, 1, what);
      const p = Math.min(m, n);
      return finish(kx, m, n, k, { s: b.s, u: b.u, ldu: p, v: b.v, ldv: p }, stats);
    }
    const settings = randomizedSettings(o, "thin");
    let op;
    let factor;
    let sketch;
    if (entries) {
      ({ op, factor } = sparseOperator(kx, entries, sketchSize(m, n, k, settings.oversample), what, { flags, ...stats }));
      sketch = reserveSketch(kx, m, n, k, settings, what);
    } else {
      const [pa] = reserve([m * n * 8], `${what} (${m}×${n})`);
      copyIn(pa, x!.data, "X", n);
      check("standardiseColumns", kx.standardiseColumns(pa, m, n, flags, mean, std, total), { what });
      sketch = reserveSketch(kx, m, n, k, settings, what);
      ({ op, factor } = denseOperator(kx, pa, m, n, what, sketch.work));
    }
    runSketch(kx, op, sketch, factor);
    return finish(kx, m, n, k, { s: sketch.small.s, u: sketch.u, ldu: k, v: sketch.small.v, ldv: sketch.l }, stats);
  });
}

/**
 * From an SVD of the standardised X in wasm memory (S, U m×ldu, V n×ldv; the top k kept) to
 * the result: scores = U·diag(S), signs aligned, explained variance from S and the total.
 */
function finish(kx: KernelExports, m: number, n: number, k: number, svd: { s: number; u: number; ldu: number; v: number; ldv: number },
  stats: { mean: number; std: number; total: number }): PcaResult {
  const what = "pca";
  check("scaleColumns", kx.scaleColumns(svd.u, m, svd.ldu, svd.s), { what });
  check("alignSigns", kx.alignSigns(svd.v, n, svd.ldv, svd.u, m, svd.ldu, k), { what });
  const singularValues = copyOutValues(svd.s, k);
  const total = f64(stats.total, 1)[0];
  const explainedVariance = singularValues.map((s) => (s * s) / (m - 1));
  return {
    components: copyOut(svd.v, n, svd.ldv, k),
    scores: copyOut(svd.u, m, svd.ldu, k),
    mean: copyOutValues(stats.mean, n),
    scale: copyOutValues(stats.std, n),
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    singularValues,
  };
}
