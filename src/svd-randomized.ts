// Randomised truncated SVD: Halko, Martinsson & Tropp (2011), "Finding structure with
// randomness", SIAM Review 53(2), Algorithm 4.4 (randomised subspace iteration, with QR
// re-orthonormalisation between the products) followed by Algorithm 5.1 (direct SVD of the
// small projected matrix B = QᵀA, by the exact kernel). A is first scaled into the safe range
// (as dgesvd does) and the values scaled back at the end, so entries near under- or overflow
// cost no accuracy.
//
// The bases are held transposed (Yᵀ, Qᵀ: l rows of m doubles), the kernel's layout for
// Householder QR, so every product is a row-major product with A as it is stored.
import type { Matrix } from "./matrix.js";
import { check, copyIn, copyOut, copyOutValues, f64, InfoBytes, reserve, withKernel } from "./kernel.js";
import { decompose, reserveSvd } from "./svd-exact.js";
import type { SvdResult } from "./svd-types.js";

/** Settings already validated by svd(). */
export interface RandomizedSettings {
  oversample: number;
  powerIterations: number;
  seed: number;
  vectors: "thin" | "none";
}

const WHAT = "randomized svd";

/**
 * Top-k SVD of the validated m×n matrix a by randomised subspace iteration with
 * l = min(k + oversample, m, n) samples. Cost O(m·n·l·(2q + 2)) for the products plus
 * O((m + n)·l²) for the QRs and the small SVD, against O(m·n·min(m, n)) for the exact SVD;
 * memory O(m·n + (m + n)·l).
 */
export function randomizedSvd(A: Matrix, k: number, o: RandomizedSettings): SvdResult {
  const { rows: m, cols: n } = A;
  const l = Math.min(k + o.oversample, m, n);
  const job = o.vectors === "thin" ? 1 : 0;
  return withKernel((kx) => {
    // One scratch block serves every product and QR of the call (the largest of their needs).
    const workBytes = Math.max(kx.productWorkspaceBytes(l, m, n) >>> 0, kx.productWorkspaceBytes(l, n, m) >>> 0,
      kx.productWorkspaceBytes(m, l, l) >>> 0, kx.orthonormaliseWorkspaceBytes(Math.max(m, n), l) >>> 0);
    const [pa, zt, yt, tau, factor, scaleInfo, pu, work] = reserve(
      [m * n * 8, l * n * 8, l * m * 8, l * 8, 8, InfoBytes.SVD, job ? m * l * 8 : 0, workBytes],
      `${WHAT} (${m}×${n}, k ${k})`,
    );
    copyIn(pa, A.data, "A", n);
    check("scaleToSafeRange", kx.scaleToSafeRange(pa, m * n, factor), { what: WHAT });
    const orthonormalise = (basis: number, rows: number) => check("orthonormalise", kx.orthonormalise(basis, rows, l, tau, work), { what: WHAT });
    // Range finder: Qᵀ = orth(A Ω)ᵀ, then q rounds of Qᵀ = orth(A · orth(Aᵀ Q))ᵀ.
    check("fillNormal", kx.fillNormal(zt, l * n, o.seed), { what: WHAT }); // Ωᵀ, l×n
    check("multiplyTransposed", kx.multiplyTransposed(zt, pa, l, m, n, yt, work), { what: WHAT }); // Yᵀ = Ωᵀ Aᵀ
    orthonormalise(yt, m);
    for (let i = 0; i < o.powerIterations; i++) {
      check("multiply", kx.multiply(yt, pa, l, m, n, zt, work), { what: WHAT }); // Zᵀ = Qᵀ A
      orthonormalise(zt, n);
      check("multiplyTransposed", kx.multiplyTransposed(zt, pa, l, m, n, yt, work), { what: WHAT }); // Yᵀ = Zᵀ Aᵀ
      orthonormalise(yt, m);
    }
    // B = Qᵀ A (l×n), its exact SVD, then U = Q·U_B and the values scaled back.
    const small = reserveSvd(kx, l, n, job, WHAT);
    check("multiply", kx.multiply(yt, pa, l, m, n, small.a, work), { what: WHAT });
    decompose(kx, small, l, n, job, WHAT);
    check("unscaleSingularValues", kx.unscaleSingularValues(small.s, l, f64(factor, 1)[0], scaleInfo), { what: WHAT, svdInfo: scaleInfo });
    const S = copyOutValues(small.s, k);
    if (!job) return { S };
    check("multiplyTransposedLeft", kx.multiplyTransposedLeft(yt, small.u, l, m, l, pu, work), { what: WHAT });
    return { U: copyOut(pu, m, l, k), S, V: copyOut(small.v, n, l, k) };
  });
}

