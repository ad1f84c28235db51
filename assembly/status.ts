// The ABI's status codes, exported as globals so that hosts read them from the module instead
// of keeping a copy in step (src/kernel.ts reads them at instantiation). LAPACK's convention
// for bad arguments: an export that refuses its i-th argument returns −i.

/** Success. */
export const STATUS_OK: i32 = 0;
/** SGD: the loss or a factor became non-finite (epoch written to the info block). */
export const STATUS_DIVERGED: i32 = 1;
/** SVD: the bidiagonal QR iteration exceeded its cap (dbdsqr's MAXITR·n²); the info block
 *  holds how many superdiagonals had not converged. */
export const STATUS_NO_CONVERGENCE: i32 = 2;
/** An intermediate (e.g. the bidiagonal of an SVD) became non-finite from finite input. */
export const STATUS_NON_FINITE: i32 = 3;
/** A result (e.g. a singular value) exceeds the double range; the info block says how far. */
export const STATUS_OVERFLOW: i32 = 4;

/** A buffer of `bytes` at p is 8-byte aligned and lies inside the current linear memory:
 *  the cheap check every export makes of its pointers in every build. */
// @ts-ignore: decorator
@inline export function inMemory(p: usize, bytes: u64): bool {
  return (p & 7) == 0 && <u64>p + bytes <= (<u64>memory.size() << 16);
}
