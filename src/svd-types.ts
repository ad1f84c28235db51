// The SVD's public types, in a module of their own so that the published declarations of svd,
// pca and the pool never reach the kernel's (which need the WebAssembly types).
import type { Matrix } from "./matrix.js";

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Keep the top k singular triplets, 1 ≤ k ≤ min(m, n). Default min(m, n); required for method 'randomized' and sparse input. */
  k?: number;
  /** 'thin' (default): U m×k, V n×k; 'full': U m×m, V n×n (complete bases); 'none': values only (much faster;
   *  by dqds, each value to high relative accuracy, within a few ulps of σ₁ of the vector paths' values). */
  vectors?: "thin" | "full" | "none";
  /** 'exact' (default for a dense matrix) or 'randomized' (Halko–Martinsson–Tropp; needs k, for large matrices with small k; the only method, and the default, for a sparse coordinate list). */
  method?: "exact" | "randomized";
  /** Randomized only: seed of the Gaussian test matrix; same seed ⇒ same result. Default fresh random. */
  seed?: number;
  /** Randomized only: extra sample columns beyond k: l = min(k + oversample, m, n) samples. Default 10. */
  oversample?: number;
  /** Randomized only: power iterations (each one pass of A and Aᵀ), for slowly decaying spectra. Default 2. */
  powerIterations?: number;
}

/** What {@link svd} returns with vectors ('thin', the default, or 'full'): A ≈ U diag(S) Vᵀ. */
export interface SvdVectors {
  /** Left singular vectors as columns: m×k thin, m×m full. */
  U: Matrix;
  /** Singular values, descending, ≥ 0. */
  S: Float64Array;
  /** Right singular vectors as columns: n×k thin, n×n full. */
  V: Matrix;
}

/** What {@link svd} returns with vectors 'none'. */
export interface SvdValues {
  /** Singular values, descending, ≥ 0. */
  S: Float64Array;
}

/** What {@link svd} returns when the kind of vectors is known only at run time: A ≈ U diag(S) Vᵀ. */
export interface SvdResult {
  /** Left singular vectors as columns (m×k thin, m×m full); absent with vectors 'none'. */
  U?: Matrix;
  /** Singular values, descending, ≥ 0. */
  S: Float64Array;
  /** Right singular vectors as columns (n×k thin, n×m full); absent with vectors 'none'. */
  V?: Matrix;
}
