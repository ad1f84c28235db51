// Status codes every kernel returns; src/kernel.ts maps them to FactorisationError codes.
// Keep in step with `Status` in src/kernel.ts and docs/abi.md.
export const STATUS_OK: i32 = 0;
/** SGD: the loss or a factor became non-finite (epoch written to the info block). */
export const STATUS_DIVERGED: i32 = 1;
/** SVD: the bidiagonal QR iteration exceeded its iteration cap (dbdsqr's MAXITR). */
export const STATUS_NO_CONVERGENCE: i32 = 2;
/** A size or argument the kernel cannot handle (the wrapper validates first; defensive). */
export const STATUS_BAD_ARGUMENT: i32 = 3;
