// The exact SVD's path to the kernel (assembly/svd.ts, LAPACK dgesvd's method): its buffer
// layout, the call, its status, and the copy out of the top k values and vectors. Also used by
// the randomised SVD for the small SVD of its projected matrix.
import type { Matrix } from "./matrix.js";
import type { SvdResult } from "./svd-types.js";
import { type KernelExports, check, copyIn, copyOut, copyOutValues, InfoBytes, reserve } from "./kernel.js";

/** 0 values only, 1 thin, 2 full: the kernel's `job`. */
export type SvdJob = 0 | 1 | 2;

/** Addresses of one exact SVD's buffers: A (overwritten), S, U, V, workspace, info. */
export interface SvdBuffers {
  a: number;
  s: number;
  u: number;
  v: number;
  work: number;
  info: number;
}

/** Reserves the buffers of an exact SVD of an m×n matrix (inside withKernel). */
export function reserveSvd(kx: KernelExports, m: number, n: number, job: SvdJob, what: string): SvdBuffers {
  const p = Math.min(m, n);
  const ucols = job === 2 ? m : p;
  const vcols = job === 2 ? n : p;
  const [a, s, u, v, work, info] = reserve(
    [m * n * 8, p * 8, job ? m * ucols * 8 : 0, job ? n * vcols * 8 : 0, kx.svdWorkspaceBytes(m, n, job) >>> 0, InfoBytes.SVD],
    `${what} (${m}×${n})`,
  );
  return { a, s, u, v, work, info };
}

/** Runs the exact SVD kernel on buffers from {@link reserveSvd}, A already copied in. */
export function decompose(kx: KernelExports, b: SvdBuffers, m: number, n: number, job: SvdJob, what: string): void {
  check("svdDecompose", kx.svdDecompose(b.a, m, n, job, b.s, b.u, b.v, b.work, b.info), { what, svdInfo: b.info });
}

/**
 * The exact SVD of a validated matrix (inside withKernel): copy in, decompose, and copy out,
 * once, the top k values and (jobs 1, 2) the leading k columns of U and V — all m / n
 * columns for job 2, where k = min(m, n).
 */
export function exactSvd(kx: KernelExports, A: Matrix, job: SvdJob, k: number, what: string): SvdResult {
  const { rows: m, cols: n } = A;
  const p = Math.min(m, n);
  const b = reserveSvd(kx, m, n, job, what);
  copyIn(b.a, A.data, "A", n);
  decompose(kx, b, m, n, job, what);
  const S = copyOutValues(b.s, k);
  if (job === 0) return { S };
  const ucols = job === 2 ? m : p;
  const vcols = job === 2 ? n : p;
  return { U: copyOut(b.u, m, ucols, job === 2 ? m : k), S, V: copyOut(b.v, n, vcols, job === 2 ? n : k) };
}
