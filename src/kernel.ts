// The one module that touches WebAssembly: it compiles the kernel on first use, owns its linear
// memory (a stack-like workspace reused across calls and grown on demand, never shrunk) and
// turns status codes into FactorisationErrors. The public API calls only what is here.
import { FactorisationError } from "./errors.js";
import { KERNEL_BUILDS } from "./generated/wasm.js";

/** The raw exports of the kernel module (docs/abi.md). Pointers are byte addresses. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  fillUniform(out: number, count: number, seed: number): number;
  shuffleEntries(rowIdx: number, colIdx: number, val: number, nnz: number, seed: number): number;
  sgdDense(a: number, m: number, n: number, k: number, u: number, v: number, epochs: number, lr: number,
    lambda: number, tol: number, history: number, info: number): number;
  sgdSparse(rowIdx: number, colIdx: number, val: number, nnz: number, m: number, n: number, k: number, u: number,
    v: number, epochs: number, lr: number, lambda: number, tol: number, history: number, info: number): number;
  gatherObserved(a: number, mask: number, m: number, n: number, rowIdx: number, colIdx: number, val: number): number;
  lossDense(a: number, m: number, n: number, k: number, u: number, v: number): number;
  lossSparse(rowIdx: number, colIdx: number, val: number, nnz: number, k: number, u: number, v: number): number;
  multiplyTransposed(u: number, v: number, m: number, n: number, k: number, out: number): void;
  scaleColumns(p: number, m: number, k: number, s: number): void;
  firstNonFinite(p: number, count: number): number;
  fillNormal(out: number, count: number, seed: number): number;
  multiply(a: number, b: number, m: number, p: number, n: number, out: number): void;
  multiplyTransposedLeft(a: number, b: number, m: number, p: number, n: number, out: number): void;
  householderQr(a: number, m: number, n: number, tau: number, work: number): void;
  formQ(a: number, m: number, n: number, tau: number, q: number, work: number): void;
  svdWorkspaceBytes(m: number, n: number, job: number): number;
  svdDecompose(a: number, m: number, n: number, job: number, s: number, u: number, v: number, work: number): number;
}

/** Kernel status codes (assembly/status.ts). */
export const Status = { OK: 0, DIVERGED: 1, NO_CONVERGENCE: 2, BAD_ARGUMENT: 3 } as const;

/** Doubles in the SGD info block: epochs run, epoch of divergence, last loss. */
export const SGD_INFO_DOUBLES = 3;

const PAGE = 65536;
/** wasm32 addresses 4 GiB; V8 and the spec cap a memory at 65536 pages. */
const MEMORY_LIMIT = 65536 * PAGE;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The build this host runs: the first of KERNEL_BUILDS (SIMD, then scalar) whose bytes the
 * host's WebAssembly.validate accepts. Validation only checks the bytes; the module is
 * compiled on first use.
 */
const build = (() => {
  for (const candidate of KERNEL_BUILDS) {
    const bytes = decodeBase64(candidate.base64);
    if (WebAssembly.validate(bytes as BufferSource)) return { name: candidate.name, simd: candidate.simd, bytes };
  }
  throw new Error("lowrank: this host's WebAssembly accepts none of the kernel builds");
})();

/** Name of the kernel build in use ("simd" or "scalar") and whether it uses SIMD. */
export function kernelBuild(): { name: string; simd: boolean } {
  return { name: build.name, simd: build.simd };
}

let compiled: WebAssembly.Module | undefined;
let instance: KernelExports | undefined;
/**
 * First free byte of the workspace. Calls lay their buffers out from here and give the space
 * back when they return, like a stack: a call made from inside another (an onEpoch callback
 * that calls the library) lays out above its caller's buffers instead of over them.
 */
let top = 0;

// Synchronous on purpose: the module is small, and every API call stays synchronous.
function kernel(): KernelExports {
  if (instance === undefined) {
    compiled ??= new WebAssembly.Module(build.bytes as BufferSource);
    instance = new WebAssembly.Instance(compiled, {}).exports as unknown as KernelExports;
    top = instance.heapBase() >>> 0;
  }
  return instance;
}

/** Sizes of the buffers one call needs, in bytes; `reserve` turns them into addresses. */
export type Layout = readonly number[];

const ALIGN = 16;
const alignUp = (x: number) => Math.ceil(x / ALIGN) * ALIGN;

/** Total bytes a layout needs (aligned), for size checks before anything is allocated. */
export function layoutBytes(layout: Layout): number {
  let total = 0;
  for (const bytes of layout) total += alignUp(bytes);
  return total;
}

/**
 * Addresses for the buffers of one call, laid out in the shared workspace above any caller's
 * (see `top`); released when the enclosing withKernel returns. Grows memory when needed;
 * growth that fails (or would pass 4 GiB) is TOO_LARGE. Any typed-array view made before this
 * call is stale afterwards: make views after it.
 */
export function reserve(layout: Layout, what: string): number[] {
  const total = layoutBytes(layout);
  if (top + total > MEMORY_LIMIT) {
    throw new FactorisationError(
      "TOO_LARGE",
      `${what} needs ${formatBytes(total)} of workspace; WebAssembly (wasm32) memory holds at most 4 GiB`,
    );
  }
  const memory = kernel().memory;
  const have = memory.buffer.byteLength;
  if (top + total > have) {
    try {
      memory.grow(Math.ceil((top + total - have) / PAGE));
    } catch {
      throw new FactorisationError(
        "TOO_LARGE",
        `${what} needs ${formatBytes(total)} of workspace and the host refused to grow WebAssembly memory that far`,
      );
    }
  }
  const pointers: number[] = [];
  for (const bytes of layout) {
    pointers.push(top);
    top += alignUp(bytes);
  }
  return pointers;
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** A fresh Float64Array view of `count` doubles at `ptr` (valid until memory grows). */
export function f64(ptr: number, count: number): Float64Array {
  return new Float64Array(kernel().memory.buffer, ptr, count);
}

/** A fresh Int32Array view of `count` ints at `ptr` (valid until memory grows). */
export function i32(ptr: number, count: number): Int32Array {
  return new Int32Array(kernel().memory.buffer, ptr, count);
}

/**
 * Runs `body` with the kernel exports; the workspace it reserves is released when it returns.
 * A trap (a kernel bug, never expected; a failed assertion of the debug build traps too)
 * leaves the instance in an unknown state, so it is discarded before the error is rethrown:
 * the next call starts on a fresh one.
 */
export function withKernel<T>(body: (k: KernelExports) => T): T {
  const kx = kernel();
  const saved = top;
  try {
    return body(kx);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) instance = undefined;
    throw error;
  } finally {
    if (instance === kx) top = saved;
  }
}

/**
 * Copies `data` in at `ptr` and throws NON_FINITE naming the first NaN/±Infinity entry as
 * `name[r][c]` for a matrix with `cols` columns, or `name[i]` for a vector (`cols` = 0).
 */
export function copyInFinite(ptr: number, data: Float64Array, name: string, cols: number): void {
  f64(ptr, data.length).set(data);
  const bad = kernel().firstNonFinite(ptr, data.length);
  if (bad >= 0) {
    const where = cols > 0 ? `[${Math.floor(bad / cols)}][${bad % cols}]` : `[${bad}]`;
    throw new FactorisationError("NON_FINITE", `${name}${where} is ${data[bad]}; every entry must be finite`);
  }
}
