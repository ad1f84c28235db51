// Randomised truncated SVD: Halko, Martinsson & Tropp (2011), "Finding structure with
// randomness", SIAM Review 53(2), Algorithm 4.4 (randomised subspace iteration, with QR
// re-orthonormalisation between the products) followed by Algorithm 5.1 (direct SVD of the
// small projected matrix B = QᵀA, by the exact kernel).
import { FactorisationError } from "./errors.js";
import type { Matrix } from "./matrix.js";
import { copyInFinite, f64, layoutBytes, reserve, withKernel } from "./kernel.js";
import type { SvdResult } from "./svd.js";
import { leadingColumns, runSvdKernel, svdLayout } from "./svd-kernel.js";

/** Settings already validated by svd(). */
export interface RandomizedSettings {
  oversample: number;
  powerIterations: number;
  seed: number;
  vectors: "thin" | "none";
}

/**
 * Top-k SVD of the validated m×n matrix a by randomised subspace iteration with
 * l = min(k + oversample, min(m, n)) samples. Cost O(m·n·l·(2q + 2)) for the products plus
 * O((m + n)·l²) for the QRs and the small SVD, against O(m·n·min(m, n)) for the exact SVD.
 */
export function randomizedSvd(a: Matrix, k: number, o: RandomizedSettings): SvdResult {
  const { rows: m, cols: n } = a;
  const l = Math.min(k + o.oversample, m, n);
  return withKernel((kx) => {
    const job = o.vectors === "thin" ? 1 : 0;
    const small = svdLayout(kx, l, n, job); // SVD of B = QᵀA (l×n); its A slot holds B
    const layout = [
      m * n * 8, // A
      n * l * 8, // Ω, then Aᵀ Q during power iterations
      m * l * 8, // Y = A Ω (overwritten by its QR)
      m * l * 8, // Q
      n * l * 8, // orthonormal basis of AᵀQ
      l * 8, // τ of the current QR
      Math.max(m, n, l) * 8, // reflector scratch
      job ? m * l * 8 : 0, // U = Q·U_B
      ...small,
    ];
    if (layoutBytes(layout) > 2 ** 32) {
      throw new FactorisationError("TOO_LARGE", `randomized svd of a ${m}×${n} matrix with k = ${k} needs more than 4 GiB of workspace`);
    }
    const pointers = reserve(layout, `randomized svd (${m}×${n}, k ${k})`);
    const [pa, pz, py, pq, pzq, tau, work, pu] = pointers;
    const svdPointers = pointers.slice(8);
    const [pb, ps, pub, pvb] = svdPointers;
    copyInFinite(pa, a.data, "A", n);

    // Range finder: Q = orth(A Ω), then q rounds of Q = orth(A · orth(Aᵀ Q)).
    const orthonormalise = (src: number, rows: number, dst: number) => {
      kx.householderQr(src, rows, l, tau, work);
      kx.formQ(src, rows, l, tau, dst, work);
    };
    kx.fillNormal(pz, n * l, o.seed);
    kx.multiply(pa, pz, m, n, l, py);
    orthonormalise(py, m, pq);
    for (let i = 0; i < o.powerIterations; i++) {
      kx.multiplyTransposedLeft(pa, pq, m, n, l, pz);
      orthonormalise(pz, n, pzq);
      kx.multiply(pa, pzq, m, n, l, py);
      orthonormalise(py, m, pq);
    }
    // B = Qᵀ A (l×n), its exact SVD, and U = Q·U_B.
    kx.multiplyTransposedLeft(pq, pa, m, l, n, pb);
    runSvdKernel(kx, svdPointers, l, n, job, "randomized svd");
    const S = f64(ps, k).slice();
    if (!job) return { S };
    kx.multiply(pq, pub, m, l, l, pu);
    return {
      U: leadingColumns(f64(pu, m * l), m, l, k),
      S,
      V: leadingColumns(f64(pvb, n * l), n, l, k),
    };
  });
}
