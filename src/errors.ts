/**
 * Why a call was refused or failed. Every error the library throws on purpose is a
 * {@link FactorisationError} with one of these codes (see docs/errors.md).
 *
 * - `SHAPE`: a matrix is empty, ragged, or its shape does not fit the call.
 * - `NON_FINITE`: an entry is NaN, ±Infinity or not a number at all.
 * - `RANK`: the rank / k is not an integer in [1, min(m, n)].
 * - `OPTION`: an option is unknown or out of range.
 * - `TOO_LARGE`: the workspace would not fit 32-bit WebAssembly memory.
 * - `DIVERGED`: SGD produced a non-finite loss or factor (lr too large).
 * - `NO_CONVERGENCE`: the SVD's bidiagonal iteration (QR, or dqds for values only) hit its cap.
 * - `UNSUPPORTED`: the host cannot run the kernel (e.g. a Content-Security-Policy that forbids
 *   compiling WebAssembly).
 * - `PARSE`: text a reader cannot turn into a matrix (a {@link ParseError}: line, column, fix).
 * - `ABORTED`: a pool call was stopped by its `signal`, or its pool was closed (see docs/parallel.md).
 */
export type FactorisationErrorCode =
  | "SHAPE"
  | "NON_FINITE"
  | "RANK"
  | "OPTION"
  | "TOO_LARGE"
  | "DIVERGED"
  | "NO_CONVERGENCE"
  | "UNSUPPORTED"
  | "PARSE"
  | "ABORTED";

/** The factors at the end of the last epoch whose loss was finite, carried by a DIVERGED error. */
export interface LastFinite {
  /** m×rank left factor after `epoch` epochs. */
  U: { rows: number; cols: number; data: Float64Array };
  /** n×rank right factor after `epoch` epochs. */
  V: { rows: number; cols: number; data: Float64Array };
  /** The loss over the entries that took part, after `epoch` epochs. */
  loss: number;
  /** Epochs completed before the one that diverged (0: the start itself). */
  epoch: number;
}

/** The typed error every public function throws for bad input or a failed run. */
export class FactorisationError extends Error {
  /** Machine-readable reason; the message says what was expected and what came. */
  readonly code: FactorisationErrorCode;
  /** With code DIVERGED: the state after the last epoch that stayed finite, so the work done is not lost. */
  readonly lastFinite?: LastFinite;

  constructor(code: FactorisationErrorCode, message: string, lastFinite?: LastFinite) {
    super(message);
    this.name = "FactorisationError";
    this.code = code;
    if (lastFinite !== undefined) this.lastFinite = lastFinite;
  }
}

/** Short description of a value for error messages: `4`, `"x" (string)`, `null`, `array`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return `${JSON.stringify(value.length > 20 ? value.slice(0, 20) + "…" : value)} (string)`;
  if (typeof value === "bigint") return `${value}n (bigint)`;
  if (typeof value === "boolean" || typeof value === "symbol") return `${String(value)} (${typeof value})`;
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return "an object";
}
