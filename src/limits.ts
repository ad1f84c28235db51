// The one size rule of the library: everything a call needs must fit 32-bit WebAssembly memory.
import { FactorisationError } from "./errors.js";

/** wasm32 addresses 4 GiB; V8 and the spec cap a memory at 65536 pages of 64 KiB. */
export const MEMORY_LIMIT = 2 ** 32;
/** The most doubles that fit it (2²⁹): a bound for readers that grow a buffer. */
export const MAX_DOUBLES = MEMORY_LIMIT / 8;

/** `36.51 GiB`, `12.0 MiB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * `bytes` of data for `what` must fit 32-bit WebAssembly memory (4 GiB), else TOO_LARGE:
 * checked before anything that big is allocated, in JS (a matrix read from nested arrays) or
 * in wasm (a call's workspace).
 */
export function checkFits(bytes: number, what: string): void {
  if (bytes > MEMORY_LIMIT) {
    throw new FactorisationError("TOO_LARGE", `${what} needs ${formatBytes(bytes)}; WebAssembly (wasm32) memory holds at most 4 GiB`);
  }
}
