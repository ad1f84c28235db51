// dorgbr and dormbr against each other and against B (assembly/orthogonal.ts, through the debug
// builds' exports): B = U·bidiag(d, e)·Vᵀ with U, V formed by the blocked dorgqr (formU,
// formV), and Q·X, P·Y applied by the blocked dormqr-style routines (applyBidiagonalQ/P, the
// dgesdd steps U = Q·[U_B; 0], V = P·V_B) equal to U·X and V·Y computed here from the formed
// factors. Two independent code paths (one builds the factor, the other never does) and an
// invariant (reconstruction, orthogonality). In the debug build (blocks of 32) the shapes with
// N > 32 take the blocked application; in debug-blocked (blocks of 3, crossover 5, product
// slices of 8) every shape takes every blocked path, several blocks and a partial one.
import { describe, expect, test } from "vitest";
import { rawKernel, uniformDoubles as random } from "../helpers.js";
import { testBuildBytes } from "../setup/kernel-builds.js";

const EPS = 2 ** -52;

function kernel() {
  const k = rawKernel(testBuildBytes());
  return { ...k, alloc: (doubles: number | bigint) => k.alloc(Number(doubles) * 8) };
}

// Row-major product of a (r×k) and b (k×c).
function matmul(a: Float64Array, b: Float64Array, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let q = 0; q < k; q++) for (let j = 0; j < c; j++) out[i * c + j] += a[i * k + q] * b[q * c + j];
  return out;
}
const transpose = (a: Float64Array, r: number, c: number) => Float64Array.from({ length: r * c }, (_, i) => a[(i % r) * c + Math.floor(i / r)]);
const maxAbs = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.each([[23, 17], [70, 45], [45, 45], [90, 40]])("a %i×%i B", (m, n) => {
  test("B = U·bidiag·Vᵀ with orthogonal U, V; Q·X = U·X and P·Y = V·Y; B's reflectors unchanged", () => {
    const { x, alloc, f64 } = kernel();
    const B = random(m * n, m * 131 + n);
    const bt = alloc(m * n);
    f64(bt, m * n).set(transpose(B, m, n)); // Bᵀ: n rows of m (the kernel's layout)
    const [d, e, tauq, taup, z] = [alloc(n), alloc(n), alloc(n), alloc(n), alloc(m + n)];
    const panel = alloc(x.debugBidiagPanelDoubles(m, n));
    x.debugBidiagonalise(bt, m, m, n, d, e, tauq, taup, z, panel);
    const reflectors = f64(bt, m * n).slice();
    const r = 11; // columns of X and Y
    const work = alloc(x.debugOrthogonalWorkDoubles(Math.max(m, r), m));
    const ut = alloc(m * m);
    x.debugFormU(bt, m, m, n, ut, m, m, tauq, work); // full U: Uᵀ, m rows of m
    const vt = alloc(n * n);
    x.debugFormV(bt, m, n, vt, taup, work);
    const U = transpose(f64(ut, m * m).slice(), m, m); // row-major m×m
    const V = transpose(f64(vt, n * n).slice(), n, n);
    const [dv, ev] = [f64(d, n).slice(), f64(e, n).slice()];
    const tol = 30 * Math.max(m, n) * EPS;
    // Orthogonality and reconstruction.
    const I = (k: number) => Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0));
    expect(maxAbs(matmul(transpose(U, m, m), U, m, m, m), I(m))).toBeLessThan(tol);
    expect(maxAbs(matmul(transpose(V, n, n), V, n, n, n), I(n))).toBeLessThan(tol);
    const S = new Float64Array(m * n);
    for (let k = 0; k < n; k++) {
      S[k * n + k] = dv[k];
      if (k + 1 < n) S[k * n + k + 1] = ev[k];
    }
    const normB = Math.sqrt(B.reduce((s, v) => s + v * v, 0));
    expect(maxAbs(matmul(matmul(U, S, m, m, n), transpose(V, n, n), m, n, n), B) / normB).toBeLessThan(tol);
    // dormbr 'Q': X (m×r) given as Xᵀ (r rows of m).
    const X = random(m * r, 7);
    const xt = alloc(r * m);
    f64(xt, r * m).set(transpose(X, m, r));
    x.debugApplyBidiagonalQ(xt, m, r, bt, m, m, n, tauq, work);
    expect(maxAbs(transpose(f64(xt, r * m).slice(), r, m), matmul(U, X, m, m, r))).toBeLessThan(tol);
    // dormbr 'P': Y (n×r) given as Yᵀ (r rows of n).
    const Y = random(n * r, 9);
    const yt = alloc(r * n);
    f64(yt, r * n).set(transpose(Y, n, r));
    x.debugApplyBidiagonalP(yt, n, r, bt, m, n, taup, work);
    expect(maxAbs(transpose(f64(yt, r * n).slice(), r, n), matmul(V, Y, n, n, r))).toBeLessThan(tol);
    expect(Array.from(f64(bt, m * n))).toEqual(Array.from(reflectors));
  });
});
