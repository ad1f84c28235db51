// Pieces of the exact SVD shared by svd.ts and randomized.ts: the kernel's buffer layout,
// the call with its status check, and column truncation. Internal (not exported by index.ts).
import { FactorisationError } from "./errors.js";
import type { Matrix } from "./matrix.js";
import { type KernelExports, Status } from "./kernel.js";

/** Keeps the first k of the `cols` columns of a row-major rows×cols block (a copy). */
export function leadingColumns(data: Float64Array, rows: number, cols: number, k: number): Matrix {
  if (k === cols) return { rows, cols, data: data.slice() };
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * cols, r * cols + k), r * k);
  return { rows, cols: k, data: out };
}

/** Buffer sizes (bytes) of one exact SVD: A, S, U, V, workspace — in that order. */
export function svdLayout(kx: KernelExports, m: number, n: number, job: 0 | 1 | 2): number[] {
  const p = Math.min(m, n);
  const ucols = job === 2 ? m : p;
  const vcols = job === 2 ? n : p;
  return [m * n * 8, p * 8, job ? m * ucols * 8 : 0, job ? n * vcols * 8 : 0, kx.svdWorkspaceBytes(m, n, job) >>> 0];
}

/** Runs the exact SVD kernel on buffers laid out by {@link svdLayout} (A already copied in). */
export function runSvdKernel(kx: KernelExports, [pa, ps, pu, pv, pw]: number[], m: number, n: number, job: 0 | 1 | 2, what: string): void {
  if (kx.svdDecompose(pa, m, n, job, ps, pu, pv, pw) === Status.NO_CONVERGENCE) {
    throw new FactorisationError("NO_CONVERGENCE", `${what} did not converge: the bidiagonal QR iteration exceeded 6·n² steps`);
  }
}
