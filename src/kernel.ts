// The one module that touches WebAssembly. It compiles the kernel on first use, checks the
// module against what the wrapper expects (ABI version, exports, status codes: read from the
// module, never kept in step by hand), owns its linear memory — a stack-like workspace reused
// across calls, grown on demand and given back after a large call — and turns the kernel's
// statuses into errors. Every public function goes validate → plan → withKernel(copy in →
// kernel → status → copy out) with the helpers here.
import { FactorisationError } from "./errors.js";
import { KERNEL_BUILDS } from "./generated/wasm.js";
import { checkFits, formatBytes } from "./limits.js";

/**
 * The kernel's function exports (docs/abi.md has each one's preconditions). Pointers are byte
 * addresses of 8-byte aligned buffers inside the module's memory; a function that returns a
 * status returns 0 (OK), a positive {@link Status} code, or −i when it refused argument i.
 */
export interface KernelFunctions {
  /** First byte the host may use (16-aligned). */
  heapBase(): number;
  /** out[0..count) ← uniform[0,1) from xoshiro256** seeded by seed ∈ [0, 2⁵³). */
  fillUniform(out: number, count: number, seed: number): number;
  /** out[0..count) ← standard normal draws (Box–Muller). */
  fillNormal(out: number, count: number, seed: number): number;
  /** Seeded Fisher–Yates permutation of nnz coordinate entries (i32, i32, f64 arrays in step). */
  shuffleEntries(rowIdx: number, colIdx: number, val: number, nnz: number, seed: number): number;
  /** Epochs of SGD over dense A (m×n), U (m×k), V (n×k) in place; info: SGD_INFO_BYTES. */
  sgdDense(a: number, m: number, n: number, k: number, u: number, v: number, epochs: number, lr: number,
    lambda: number, tol: number, history: number, info: number): number;
  /** Epochs of SGD over nnz coordinate entries. */
  sgdSparse(rowIdx: number, colIdx: number, val: number, nnz: number, m: number, n: number, k: number, u: number,
    v: number, epochs: number, lr: number, lambda: number, tol: number, history: number, info: number): number;
  /** Lists the entries of A (m×n) whose mask is non-zero; returns how many (≥ 0) or −i. */
  gatherObserved(a: number, mask: number, m: number, n: number, rowIdx: number, colIdx: number, val: number): number;
  /** out ← ‖A − UVᵀ‖²_F (A m×n, U m×k, V n×k). */
  lossDense(a: number, m: number, n: number, k: number, u: number, v: number, out: number): number;
  /** out ← Σ (value − U[row]·V[col])² over nnz coordinate entries. */
  lossSparse(rowIdx: number, colIdx: number, val: number, nnz: number, k: number, u: number, v: number, out: number): number;
  /** Scratch bytes of a product of rows×cols entries summed over depth (the three below). */
  productWorkspaceBytes(rows: number, cols: number, depth: number): number;
  /** out (m×n) ← U Vᵀ for U m×k, V n×k; work: productWorkspaceBytes(m, n, k). */
  multiplyTransposed(u: number, v: number, m: number, n: number, k: number, out: number, work: number): number;
  /** out (m×n) ← A B for A m×p, B p×n; work: productWorkspaceBytes(m, n, p). */
  multiply(a: number, b: number, m: number, p: number, n: number, out: number, work: number): number;
  /** out (p×n) ← Aᵀ B for A m×p, B m×n; work: productWorkspaceBytes(p, n, m). */
  multiplyTransposedLeft(a: number, b: number, m: number, p: number, n: number, out: number, work: number): number;
  /** out (m×n) += A B for A m×p (rows lda apart, lda ≥ p), B p×n: multiply without zeroing, on a column slice; work: productWorkspaceBytes(m, n, p). */
  multiplyAdd(a: number, lda: number, b: number, m: number, p: number, n: number, out: number, work: number): number;
  /** Columns of P (m×k) scaled by s (k values), in place. */
  scaleColumns(p: number, m: number, k: number, s: number): number;
  /** Index of the first NaN/±∞ among count doubles, count when all are finite, or −i. */
  firstNonFinite(p: number, count: number): number;
  /** x[0..count) *= alpha. */
  scaleBy(x: number, count: number, alpha: number): number;
  /** out ← ‖x‖₂ of count doubles, safely scaled. */
  euclideanNorm(x: number, count: number, out: number): number;
  /** Scratch bytes of orthonormalise for a rows×cols Y. */
  orthonormaliseWorkspaceBytes(rows: number, cols: number): number;
  /** Qᵀ in place of Yᵀ (cols rows of `rows` doubles, cols ≤ rows): orthonormal basis of Y's columns. */
  orthonormalise(qt: number, rows: number, cols: number, tau: number, work: number): number;
  /** Scales count doubles into the safe range when needed; the power of two applied goes to `factor`. */
  scaleToSafeRange(x: number, count: number, factor: number): number;
  /** s[0..count) ← s / factor, or OVERFLOW (s unchanged, log₂ σ₁ in info) past the double range. */
  unscaleSingularValues(s: number, count: number, factor: number, info: number): number;
  /** out ← max(out, max |x_i|) over count doubles: the running maximum of streamed blocks. */
  largestMagnitude(x: number, count: number, out: number): number;
  /** Coordinate list → CSR (stable counting sort by row); −1 / −2 for a row / column index out of range. */
  compressCoordinates(rowIdx: number, colIdx: number, val: number, nnz: number, rows: number, cols: number, ptr: number, idx: number, out: number): number;
  /** CSR of S (rows×cols) → CSR of Sᵀ (= CSC of S), each output row's indices ascending. */
  transposeCompressed(ptr: number, idx: number, val: number, rows: number, cols: number, ptrT: number, idxT: number, valT: number): number;
  /** Sums duplicate (row, index) entries of a CSR matrix with sorted rows, in place; returns the new count or −i. */
  sumDuplicates(ptr: number, idx: number, val: number, rows: number): number;
  /** Bytes of the sparse products' work buffer for l dense columns and a rows×cols CSR matrix (0 past 4 GiB). */
  sparseWorkspaceBytes(l: number, rows: number, cols: number): number;
  /** out (l×rows) ← Xt (l×cols)·(S − 1·meanᵀ)ᵀ for CSR S (rows×cols); no centring when mean = 0. */
  sparseMultiplyTransposed(xt: number, l: number, ptr: number, idx: number, val: number, rows: number, cols: number, out: number,
    work: number, mean: number): number;
  /** out (l×cols) ← Qt (l×rows)·(S − 1·meanᵀ) for CSR S (rows×cols); no centring when mean = 0. */
  sparseMultiply(qt: number, l: number, ptr: number, idx: number, val: number, rows: number, cols: number, out: number,
    work: number, mean: number): number;
  /** Centres (flags bit 0) and scales (bit 1) the columns of A (m×n, m ≥ 2) in place; mean, std (n), total variance (1). */
  standardiseColumns(a: number, m: number, n: number, flags: number, mean: number, std: number, total: number): number;
  /** standardiseColumns' statistics for A (m×n) held as the CSR of Aᵀ, nothing centred; shift (n) = mean / std. */
  standardiseCompressed(ptr: number, val: number, n: number, m: number, flags: number, mean: number, std: number, shift: number, total: number): number;
  /** svd_flip: the largest |entry| of each of the first k columns of V made positive, U's columns negated with V's. */
  alignSigns(v: number, n: number, ldv: number, u: number, m: number, ldu: number, k: number): number;
  /** Scratch bytes svdDecompose needs (0 for an empty matrix). */
  svdWorkspaceBytes(m: number, n: number, job: number): number;
  /** A (m×n, overwritten) = U diag(S) Vᵀ; job 0 values, 1 thin, 2 full; info: SVD_INFO_BYTES. */
  svdDecompose(a: number, m: number, n: number, job: number, s: number, u: number, v: number, work: number, info: number): number;
}

/**
 * The threaded build's extra exports (assembly/threads.ts; docs/abi.md, "Threaded build"): the
 * team and the block-stratified SGD. Only a pool's workers load that build.
 */
export interface TeamFunctions {
  /** Makes this instance the leader of a team of `threads` on the board at `board` (64-aligned, TEAM_BOARD_BYTES). */
  teamInit(board: number, threads: number): number;
  /** A helper's life: runs its share of every job posted on the board; never returns (−i for a bad argument). */
  workerLoop(board: number, id: number): number;
  /** Reorders nnz coordinate entries into blocks × blocks strata; offsets: blocks² + 1 i32; scratch: 16·nnz + 4·(m + n) bytes. */
  sgdBlockPlan(rowIdx: number, colIdx: number, val: number, nnz: number, m: number, n: number, blocks: number, offsets: number, scratch: number): number;
  /** sgdSparse over a planned list, in block strata. */
  sgdSparseBlocked(rowIdx: number, colIdx: number, val: number, nnz: number, m: number, n: number, k: number, u: number,
    v: number, epochs: number, lr: number, lambda: number, tol: number, history: number, info: number, blocks: number, offsets: number): number;
  /** sgdDense in block strata (blocks × blocks even cuts). */
  sgdDenseBlocked(a: number, m: number, n: number, k: number, u: number, v: number, epochs: number, lr: number,
    lambda: number, tol: number, history: number, info: number, blocks: number): number;
  /** lossSparse summed per block row of a plan. */
  lossSparseBlocked(rowIdx: number, colIdx: number, val: number, nnz: number, k: number, u: number, v: number, out: number, blocks: number, offsets: number): number;
  /** lossDense summed per block row. */
  lossDenseBlocked(a: number, m: number, n: number, k: number, u: number, v: number, out: number, blocks: number): number;
}

/** The kernel's exports as the wrapper uses them (its memory typed structurally, so that the
 *  published declarations need no WebAssembly types from the consumer's lib). */
export type KernelExports = KernelFunctions & { memory: { readonly buffer: ArrayBuffer; grow(pages: number): number } };

/** Every function the wrapper calls: checked against the module when it is instantiated. */
const KERNEL_FUNCTIONS = {
  heapBase: true, fillUniform: true, fillNormal: true, shuffleEntries: true, sgdDense: true, sgdSparse: true,
  gatherObserved: true, lossDense: true, lossSparse: true, productWorkspaceBytes: true, multiplyTransposed: true,
  multiply: true, multiplyAdd: true, multiplyTransposedLeft: true, scaleColumns: true, firstNonFinite: true, scaleBy: true,
  euclideanNorm: true, orthonormaliseWorkspaceBytes: true, orthonormalise: true,
  scaleToSafeRange: true, unscaleSingularValues: true, largestMagnitude: true, compressCoordinates: true,
  transposeCompressed: true, sumDuplicates: true, sparseMultiplyTransposed: true, sparseMultiply: true, sparseWorkspaceBytes: true, standardiseColumns: true,
  standardiseCompressed: true, alignSigns: true, svdWorkspaceBytes: true, svdDecompose: true,
} as const satisfies Record<keyof KernelFunctions, true>;

/** The names of the kernel's function exports, for tests that compare them with the module's. */
export const KERNEL_FUNCTION_NAMES = Object.keys(KERNEL_FUNCTIONS) as (keyof KernelFunctions)[];

const TEAM_FUNCTIONS = {
  teamInit: true, workerLoop: true, sgdBlockPlan: true, sgdSparseBlocked: true, sgdDenseBlocked: true,
  lossSparseBlocked: true, lossDenseBlocked: true,
} as const satisfies Record<keyof TeamFunctions, true>;

/** The threaded build's extra function exports: it exports these and KERNEL_FUNCTION_NAMES, exactly. */
export const TEAM_FUNCTION_NAMES = Object.keys(TEAM_FUNCTIONS) as (keyof TeamFunctions)[];

/** The ABI this wrapper is written against (the module's ABI_VERSION global must equal it). */
export const ABI_VERSION = 3;

/** Status codes, read from the module's STATUS_* globals at instantiation (assembly/status.ts). */
export const Status = { OK: 0, DIVERGED: 0, NO_CONVERGENCE: 0, NON_FINITE: 0, OVERFLOW: 0 };
/** Bytes of the info blocks of sgdDense/sgdSparse and svdDecompose, read from the module. */
export const InfoBytes = { SGD: 0, SVD: 0 };
/** The threaded build's board layout (TEAM_* globals), read when a shared kernel is instantiated. */
export const Team = { BOARD_BYTES: 0, MAX_THREADS: 0, ABORT_OFFSET: 0, HOST_OFFSET: 0 };

const PAGE = 65536;
/**
 * Linear memory cannot shrink: after a call that grew it past this, the instance is dropped
 * when the call returns and a small one is made on next use, so one large call does not hold
 * its workspace for the life of the page or process.
 */
export const RELEASE_THRESHOLD = 64 * 2 ** 20;

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

/**
 * The threaded kernel a pool's leader worker runs instead of the inlined build: the compiled
 * threaded module, the shared memory its team works in, and the team's board (src/pool.ts).
 */
export interface SharedKernel {
  /** A WebAssembly.Module (typed loosely so that the published declarations need no WebAssembly lib). */
  module: object;
  /** A shared WebAssembly.Memory. */
  memory: object;
  /** Byte address of the team's board (64-aligned, above the module's static data). */
  board: number;
  threads: number;
}

let shared: SharedKernel | undefined;
let compiled: WebAssembly.Module | undefined;
let instance: KernelExports | undefined;
/**
 * First free byte of the workspace. Calls lay their buffers out from here and give the space
 * back when they return, like a stack: a call made from inside another (an onEpoch callback
 * that calls the library) lays out above its caller's buffers instead of over them.
 */
let top = 0;
/** How many withKernel calls are running (more than one when a callback calls the library). */
let depth = 0;

function globalValue(exports: WebAssembly.Exports, name: string): number {
  const global = exports[name];
  if (!(global instanceof WebAssembly.Global)) throw new Error(`lowrank: the kernel module does not export ${name}`);
  return global.value as number;
}

/**
 * Makes this thread run the threaded kernel on a shared memory as the leader of a team (a pool's
 * leader worker, src/pool-worker.ts, calls it once): every later call of the library on this
 * thread lays its buffers out above the team's board and splits its large loops across the team.
 */
export function useSharedKernel(config: SharedKernel): void {
  shared = config;
  instance = undefined;
}

/** Threads in the team this thread's kernel leads: 1 unless this is a pool's leader worker. */
export function teamThreads(): number {
  return shared?.threads ?? 1;
}

/** The threaded build's extra exports (only when this thread leads a team: teamThreads() > 1 or a pool). */
export function teamExports(kx: KernelExports): TeamFunctions {
  if (shared === undefined) throw new Error("lowrank internal error: the threaded kernel's functions were used outside a pool");
  return kx as unknown as TeamFunctions;
}

/** Instantiates the module and checks it against this wrapper: ABI version, functions, codes. */
function instantiate(): KernelExports {
  // Synchronous on purpose: the module is small, and every API call stays synchronous. The bytes
  // passed WebAssembly.validate, so a failure here is the host refusing to compile any wasm.
  // A pool's leader worker runs the threaded build on its team's shared memory instead.
  if (shared) {
    const imports = { env: { memory: shared.memory as WebAssembly.Memory } };
    return checkExports(new WebAssembly.Instance(shared.module as WebAssembly.Module, imports).exports);
  }
  try {
    compiled ??= new WebAssembly.Module(build.bytes as BufferSource);
  } catch (error) {
    throw new FactorisationError(
      "UNSUPPORTED",
      `this host refused to compile lowrank's WebAssembly kernel (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); ` +
        "in a web page, allow it with 'wasm-unsafe-eval' in the Content-Security-Policy's script-src",
    );
  }
  return checkExports(new WebAssembly.Instance(compiled, {}).exports);
}

/** Checks an instance's exports against this wrapper: ABI version, functions, codes (and a team's board). */
function checkExports(exports: WebAssembly.Exports): KernelExports {
  const version = globalValue(exports, "ABI_VERSION");
  if (version !== ABI_VERSION) throw new Error(`lowrank: the kernel module has ABI ${version}; this wrapper needs ${ABI_VERSION}`);
  for (const name of KERNEL_FUNCTION_NAMES) {
    if (typeof exports[name] !== "function") throw new Error(`lowrank: the kernel module does not export ${name}()`);
  }
  for (const name of Object.keys(Status) as (keyof typeof Status)[]) Status[name] = globalValue(exports, `STATUS_${name}`);
  InfoBytes.SGD = globalValue(exports, "SGD_INFO_BYTES");
  InfoBytes.SVD = globalValue(exports, "SVD_INFO_BYTES");
  if (shared) {
    for (const name of TEAM_FUNCTION_NAMES) {
      if (typeof exports[name] !== "function") throw new Error(`lowrank: the threaded kernel module does not export ${name}()`);
    }
    for (const name of Object.keys(Team) as (keyof typeof Team)[]) Team[name] = globalValue(exports, `TEAM_${name}`);
    const status = (exports as unknown as TeamFunctions).teamInit(shared.board, shared.threads);
    if (status !== 0) throw new Error(`lowrank internal error: the threaded kernel refused teamInit argument ${-status}`);
  }
  return exports as unknown as KernelExports;
}

function kernel(): KernelExports {
  if (instance === undefined) {
    instance = instantiate();
    // A team's board sits at the bottom of the shared memory; the workspace starts above it.
    top = shared ? shared.board + Team.BOARD_BYTES : instance.heapBase() >>> 0;
  }
  return instance;
}

/**
 * Runs `body` with the kernel exports; the workspace it reserves is released when it returns.
 * A trap (a kernel bug, never expected; a failed assertion of the debug build traps too)
 * leaves the instance in an unknown state, so it is discarded before the error is rethrown:
 * the next call starts on a fresh one. So is an instance whose memory grew past
 * RELEASE_THRESHOLD, once the outermost call returns.
 */
export function withKernel<T>(body: (k: KernelExports) => T): T {
  const kx = kernel();
  const saved = top;
  depth++;
  try {
    return body(kx);
  } catch (error) {
    discardAfterTrap(kx, error);
    throw error;
  } finally {
    leave(kx, saved);
  }
}

/** A trap leaves the instance in an unknown state: the next call gets a fresh one. */
function discardAfterTrap(kx: KernelExports, error: unknown): void {
  if (error instanceof WebAssembly.RuntimeError && instance === kx) instance = undefined;
}

/** The end of a call: its workspace given back; the instance dropped after the outermost call if it grew past RELEASE_THRESHOLD. */
function leave(kx: KernelExports, saved: number): void {
  depth--;
  if (instance === kx) {
    top = saved;
    // A shared memory outlives any instance: the pool retires the whole team instead.
    if (depth === 0 && !shared && kx.memory.buffer.byteLength > RELEASE_THRESHOLD) instance = undefined;
  }
}

/** Settles when the last asynchronous kernel user (svdStream) has finished: they run one at a time. */
let asyncQueue: Promise<unknown> = Promise.resolve();

/**
 * withKernel for a body that awaits between kernel calls (svdStream, waiting for row blocks).
 * Such bodies run one at a time, each starting once the previous one has settled and never
 * inside a synchronous call; while one waits, synchronous calls made meanwhile lay their buffers
 * out above its own and give them back before it resumes (they run to completion in between),
 * and the instance is not dropped under it (it counts as a running call). After each wait the
 * body calls `live()`, which throws if the instance was discarded meanwhile (a trap in another
 * call), and returns the exports otherwise. The workspace is released when the body settles.
 */
export function withKernelAsync<T>(body: (kx: KernelExports, live: () => KernelExports) => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const kx = kernel();
    const saved = top;
    depth++;
    const live = () => {
      if (instance !== kx) throw new Error("lowrank: the kernel instance was reset by a failure in another call while this one waited for data; run it again");
      return kx;
    };
    try {
      return await body(kx, live);
    } catch (error) {
      discardAfterTrap(kx, error);
      throw error;
    } finally {
      leave(kx, saved);
    }
  };
  const result = asyncQueue.then(run, run);
  asyncQueue = result.catch(() => undefined);
  return result;
}

/**
 * Gives the kernel's memory back now (it is also given back after any call that grew it past
 * 64 MiB): the next call starts on a fresh, small instance. Does nothing while a call runs
 * (from an onEpoch callback). Cost O(1); the memory is freed when the engine collects it.
 */
export function releaseMemory(): void {
  if (depth === 0) instance = undefined;
}

/** Sizes of the buffers one call needs, in bytes; `reserve` turns them into addresses. */
export type Layout = readonly number[];

const ALIGN = 16;
const alignUp = (x: number) => Math.ceil(x / ALIGN) * ALIGN;

/**
 * Addresses for the buffers of one call, laid out in the workspace above any caller's (see
 * `top`); released when the enclosing withKernel returns. Grows memory when needed; a layout
 * past 4 GiB, or growth the host refuses, is TOO_LARGE. Any typed-array view made before this
 * call is stale afterwards: make views after it.
 */
export function reserve(layout: Layout, what: string): number[] {
  let total = 0;
  for (const bytes of layout) total += alignUp(bytes);
  checkFits(top + total, what);
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

/** A fresh Float64Array view of `count` doubles at `ptr` (valid until memory grows). */
export function f64(ptr: number, count: number): Float64Array {
  return new Float64Array(kernel().memory.buffer, ptr, count);
}

/** A fresh Int32Array view of `count` ints at `ptr` (valid until memory grows). */
export function i32(ptr: number, count: number): Int32Array {
  return new Int32Array(kernel().memory.buffer, ptr, count);
}

/**
 * Copies `data` in at `ptr` and (unless `finite` is false: the caller checks what matters)
 * throws NON_FINITE naming the first NaN/±Infinity entry as `name[r][c]` for a matrix with
 * `cols` columns (r counted from `firstRow`, for a block of a larger matrix), or `name[i]` for a
 * vector (`cols` = 0).
 */
export function copyIn(ptr: number, data: ArrayLike<number>, name: string, cols: number, firstRow = 0, finite = true): void {
  f64(ptr, data.length).set(data);
  if (!finite) return;
  const bad = kernel().firstNonFinite(ptr, data.length);
  if (bad < 0) throw kernelBug("firstNonFinite", bad);
  if (bad < data.length) {
    const where = cols > 0 ? `[${firstRow + Math.floor(bad / cols)}][${bad % cols}]` : `[${bad}]`;
    throw new FactorisationError("NON_FINITE", `${name}${where} is ${data[bad]}; every entry must be finite`);
  }
}

/**
 * The leading `keep` columns of the row-major rows×cols block at `ptr`, copied out of wasm
 * memory once, as a Matrix (all columns by default).
 */
export function copyOut(ptr: number, rows: number, cols: number, keep = cols): { rows: number; cols: number; data: Float64Array } {
  const block = f64(ptr, rows * cols);
  if (keep === cols) return { rows, cols, data: block.slice() };
  const data = new Float64Array(rows * keep);
  for (let r = 0; r < rows; r++) data.set(block.subarray(r * cols, r * cols + keep), r * keep);
  return { rows, cols: keep, data };
}

/** `count` doubles at `ptr`, copied out of wasm memory. */
export function copyOutValues(ptr: number, count: number): Float64Array {
  return f64(ptr, count).slice();
}

/** The error for a kernel that refused argument −status: the wrapper validates first, so a bug. */
function kernelBug(fn: keyof KernelFunctions | keyof TeamFunctions, status: number): Error {
  return new Error(`lowrank internal error: the kernel's ${fn}() refused its argument ${-status}; please report this`);
}

/** What a status means for the call that got it, for {@link check}'s messages. */
export interface StatusContext {
  /** The public call, as messages name it ("svd", "randomized svd", "sgdFactorise"). */
  what: string;
  /** The SVD info block (svdDecompose, unscaleSingularValues), when the call has one. */
  svdInfo?: number;
}

/**
 * Every status the kernel returns goes through here: OK (and DIVERGED, which the SGD driver
 * handles itself, after its callbacks) return; NO_CONVERGENCE, NON_FINITE and OVERFLOW become
 * FactorisationErrors that say what happened; a refused argument is an internal error.
 */
export function check(fn: keyof KernelFunctions | keyof TeamFunctions, status: number, context: StatusContext): void {
  if (status === Status.OK || status === Status.DIVERGED) return;
  if (status < 0) throw kernelBug(fn, status);
  const info = context.svdInfo === undefined ? undefined : f64(context.svdInfo, InfoBytes.SVD / 8);
  switch (status) {
    case Status.NO_CONVERGENCE:
      throw new FactorisationError(
        "NO_CONVERGENCE",
        `${context.what} did not converge: after the bidiagonal iteration's cap (6·n² QR steps, 30·n² dqds steps for values only), ${info?.[0]} superdiagonal entr${info?.[0] === 1 ? "y was" : "ies were"} still not negligible`,
      );
    case Status.NON_FINITE:
      throw new FactorisationError("NON_FINITE", `${context.what}: an intermediate result became NaN or infinite from finite input; please report this matrix`);
    case Status.OVERFLOW: {
      const log2 = info![1];
      const decimal = log2 * Math.LOG10E * Math.LN2;
      throw new FactorisationError(
        "NON_FINITE",
        `${context.what}: the largest singular value is about 2^${log2.toFixed(1)} ≈ ${(10 ** (decimal - Math.floor(decimal))).toFixed(2)}e${Math.floor(decimal)}, beyond the largest double (1.80e308); scale A down by 2^${Math.floor(log2 - 1024) + 1} or more and multiply the singular values back`,
      );
    }
    default:
      throw new Error(`lowrank internal error: the kernel's ${fn}() returned the unknown status ${status}`);
  }
}
