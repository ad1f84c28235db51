// createPool: the library's functions off the caller's thread and on every core. A pool owns a
// team of workers (src/pool-worker.ts) over one shared WebAssembly.Memory running the threaded
// kernel build: the leader runs each call through the same code as the synchronous API, and the
// kernel splits the SVD's products and rotations and the SGD's block strata across the team.
// Calls are queued and run one at a time, so no two calls share the team. Without
// SharedArrayBuffer (a browser page that is not cross-origin isolated) a pool is one ordinary
// worker and `threads` is 1. docs/parallel.md has the design and the measured speed-ups.
import { FactorisationError, describe } from "./errors.js";
import { THREADS_BUILD_BASE64 } from "./generated/wasm-threads.js";
import { isSparseInput } from "./entries.js";
import { type MaskInput, type Matrix, type MatrixInput, toMatrix } from "./matrix.js";
import { checkOptionNames, seedOption } from "./options.js";
import {
  type CallMessage, type InitMessage, type PoolMethod, type SentError, STOP_AT, Verdict, VERDICT, type WorkerMessage, type WorkerRole,
} from "./pool-protocol.js";
import { SGD_OPTION_NAMES, SPARSE_OPTION_NAMES, type SgdOptions, type SgdResult, type SparseEntries, type SparseSgdOptions } from "./sgd.js";
import { PCA_OPTION_NAMES, type PcaOptions, type PcaResult } from "./pca.js";
import { SVD_OPTION_NAMES } from "./svd.js";
import type { SvdOptions, SvdResult, SvdValues, SvdVectors } from "./svd-types.js";

/** Options of {@link createPool}. */
export interface PoolOptions {
  /** Threads of the team, an integer in [1, 256]. Default: the available cores (os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers). */
  threads?: number;
}

/** What a pool call needs of an AbortSignal (typed structurally, so the declarations need no DOM lib). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** The option every pool call takes besides the function's own. */
export interface PoolCallOptions {
  /** An AbortSignal that stops the call: it rejects with a FactorisationError of code ABORTED, and the pool goes on with the next. */
  signal?: AbortSignalLike;
}

/** A pool of workers: the library's functions as Promises, off the caller's thread, on every core. */
export interface Pool {
  /** Threads in use: the team's size, or 1 where there is no shared memory (a page that is not cross-origin isolated). */
  readonly threads: number;
  /** {@link svd} on the pool: same inputs (dense, or a sparse coordinate list), options, results and errors. */
  svd(A: MatrixInput | SparseEntries, opts: SvdOptions & PoolCallOptions & { vectors: "none" }): Promise<SvdValues>;
  svd(A: MatrixInput | SparseEntries, opts?: SvdOptions & PoolCallOptions & { vectors?: "thin" | "full" }): Promise<SvdVectors>;
  svd(A: MatrixInput | SparseEntries, opts?: SvdOptions & PoolCallOptions): Promise<SvdResult>;
  /** {@link svdFactorise} on the pool. */
  svdFactorise(A: MatrixInput, rank: number, opts?: PoolCallOptions): Promise<{ U: Matrix; S: Matrix; V: Matrix }>;
  /** {@link pca} on the pool: dense or sparse X, same options, results and errors. */
  pca(X: MatrixInput | SparseEntries, opts?: PcaOptions & PoolCallOptions): Promise<PcaResult>;
  /** {@link sgdFactorise} on the pool, by block-stratified SGD when threads > 1; onEpoch runs on the caller's thread. */
  sgdFactorise(A: MatrixInput, rank: number, opts?: SgdOptions & PoolCallOptions): Promise<SgdResult>;
  /** {@link sgdFactoriseMasked} on the pool. */
  sgdFactoriseMasked(A: MatrixInput, M: MaskInput | null | undefined, rank: number, opts?: SgdOptions & PoolCallOptions): Promise<SgdResult>;
  /** {@link sgdFactoriseSparse} on the pool. */
  sgdFactoriseSparse(entries: SparseEntries, rank: number, opts?: SparseSgdOptions & PoolCallOptions): Promise<SgdResult>;
  /** Rejects the running and queued calls with ABORTED, ends the workers and frees their memory. */
  close(): Promise<void>;
}

/** The largest team (the kernel's TEAM_MAX_THREADS: one result slot per thread on the board). */
const MAX_THREADS = 256;
/** How long an aborted call's team may take to reach the kernel's next abort check before it is
 *  ended and replaced (abort checks come at every split loop, sub-epoch and epoch; a call that
 *  stays long in unsplit code, e.g. a values-only QR iteration of a large SVD, is cut off). */
const ABORT_GRACE_MS = 100;
/** After a call that left the shared memory larger than this, an idle team is ended and the next
 *  call starts a fresh one: shared memory cannot shrink, and ending the team frees it. */
const RETIRE_BYTES = 256 * 2 ** 20;
/** The shared memory's first size (pages): the module's static data and the board. */
const INITIAL_PAGES = 2;
/** Its maximum: wasm32's 4 GiB. */
const MAXIMUM_PAGES = 65536;

interface Runtime {
  /** Whether a SharedArrayBuffer-backed wasm memory can be made here. */
  shared: boolean;
  defaultThreads: number;
  spawn(role: WorkerRole, onMessage: (message: WorkerMessage) => void, onError: (error: Error) => void): WorkerHandle;
}

interface WorkerHandle {
  post(message: InitMessage | CallMessage, transfer?: Transferable[]): void;
  terminate(): Promise<void>;
  /** Node only: whether the worker keeps the process alive. */
  hold(yes: boolean): void;
}

type NodeWorker = {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(event: string, handler: (value: never) => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
};

const WORKER_URL = () => new URL("./pool-worker.js", import.meta.url);

/** The host: Node's worker_threads or the browser's module Web Workers. */
function runtime(): Runtime {
  const g = globalThis as unknown as {
    process?: { versions?: { node?: string }; getBuiltinModule?(name: string): unknown };
    navigator?: { hardwareConcurrency?: number };
    crossOriginIsolated?: boolean;
    Worker?: new (url: URL, options: { type: "module" }) => {
      postMessage(message: unknown, transfer: Transferable[]): void;
      onmessage: ((event: { data: WorkerMessage }) => void) | null;
      onerror: ((event: { message?: string; preventDefault(): void }) => void) | null;
      terminate(): void;
    };
  };
  const sharedMemory = (() => {
    if (typeof SharedArrayBuffer !== "function" || g.crossOriginIsolated === false) return false;
    try {
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      return true;
    } catch {
      return false;
    }
  })();
  const node = g.process?.versions?.node !== undefined && g.Worker === undefined;
  if (node) {
    const builtin = g.process!.getBuiltinModule;
    const os = builtin?.("node:os") as { availableParallelism?(): number } | undefined;
    type NodeWorkers = { Worker: new (code: string, options: { eval: true }) => NodeWorker };
    const threads = builtin?.("node:worker_threads") as NodeWorkers | undefined;
    const load = threads ? Promise.resolve(threads) : (import("node:worker_threads") as unknown as Promise<NodeWorkers>);
    // The worker starts from a one-line script that imports its module: a worker inherits the
    // process's flags, and with --input-type (a script given with -e) Node refuses a file as a
    // worker's entry but not a string.
    const entry = `import(${JSON.stringify(WORKER_URL().href)})`;
    return {
      shared: sharedMemory,
      defaultThreads: os?.availableParallelism?.() ?? 2,
      spawn(_role, onMessage, onError) {
        let worker: NodeWorker | undefined;
        const pending: [unknown, readonly unknown[] | undefined][] = [];
        let ended = false;
        let held = false;
        const ready = load.then(({ Worker }) => {
          if (ended) return;
          const w = new Worker(entry, { eval: true });
          worker = w;
          w.on("message", onMessage);
          w.on("error", (error: Error) => onError(error));
          w.on("exit", (code: number) => {
            if (!ended) onError(new Error(`lowrank: a pool worker exited (code ${code})`));
          });
          if (!held) w.unref();
          for (const [message, transfer] of pending) w.postMessage(message, transfer);
        });
        return {
          post(message, transfer) {
            if (worker) worker.postMessage(message, transfer);
            else pending.push([message, transfer]);
          },
          async terminate() {
            ended = true;
            await ready;
            await worker?.terminate();
          },
          hold(yes) {
            held = yes;
            if (yes) worker?.ref();
            else worker?.unref();
          },
        };
      },
    };
  }
  if (g.Worker === undefined) throw new FactorisationError("OPTION", "createPool needs Web Workers (or Node's worker_threads); this host has neither");
  const BrowserWorker = g.Worker;
  return {
    shared: sharedMemory,
    defaultThreads: Math.max(1, g.navigator?.hardwareConcurrency ?? 1),
    spawn(_role, onMessage, onError) {
      const worker = new BrowserWorker(WORKER_URL(), { type: "module" });
      worker.onmessage = (event) => onMessage(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        onError(new Error(`lowrank: a pool worker failed: ${event.message || "its script did not load"}`));
      };
      return {
        post: (message, transfer) => worker.postMessage(message, transfer ?? []),
        terminate: async () => worker.terminate(),
        hold: () => undefined,
      };
    },
  };
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let threadedModule: Promise<WebAssembly.Module> | undefined;

/** One call of a pool, from its method to its settlement. */
interface Call {
  id: number;
  method: PoolMethod;
  args: unknown[];
  transfer: Transferable[];
  onEpoch?: (epoch: number, loss: number) => void | false;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  settled: boolean;
  signal?: AbortSignalLike;
  unlisten?: () => void;
  /** Lone-worker path: a callback stopped the run after this epoch, which is rerun without callbacks. */
  stopAfter?: number;
}

/** A team: the workers and, with shared memory, the memory and the board's words. */
interface TeamState {
  leader: WorkerHandle;
  helpers: WorkerHandle[];
  ready: Promise<void>;
  host?: Int32Array;
  abort?: Int32Array;
  ended: boolean;
}

function aborted(what: string): FactorisationError {
  return new FactorisationError("ABORTED", what);
}

function received(error: SentError): Error {
  if (error.code !== undefined) {
    const e = new FactorisationError(error.code as FactorisationError["code"], error.message);
    return Object.assign(e, error.props);
  }
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}

/**
 * Starts a pool of `threads` workers over one shared-memory threaded kernel (see {@link Pool}).
 * Every method takes the same arguments as the synchronous function and an optional
 * `signal`; calls are queued and run one after another. The workers start at once; a Node
 * process with an idle pool still exits by itself, and `close()` ends the workers.
 * @throws FactorisationError OPTION for bad options.
 */
export function createPool(options?: PoolOptions): Pool {
  const o = checkOptionNames(options, ["threads"], "createPool");
  if (o.threads !== undefined && (typeof o.threads !== "number" || !Number.isInteger(o.threads) || o.threads < 1 || o.threads > MAX_THREADS)) {
    throw new FactorisationError("OPTION", `threads must be an integer in [1, ${MAX_THREADS}]; got ${describe(o.threads)}`);
  }
  const host = runtime();
  const bytes = host.shared ? decodeBase64(THREADS_BUILD_BASE64) : undefined;
  const shared = bytes !== undefined && WebAssembly.validate(bytes as BufferSource);
  const threads = shared ? ((o.threads as number | undefined) ?? Math.min(MAX_THREADS, host.defaultThreads)) : 1;

  const queue: Call[] = [];
  let current: Call | undefined;
  let team: TeamState | undefined;
  let closed = false;
  let nextId = 1;

  function startTeam(): TeamState {
    const state: TeamState = { leader: undefined as never, helpers: [], ready: undefined as never, ended: false };
    const fail = (error: Error) => {
      if (state.ended) return;
      endTeam(state);
      if (current && !current.settled) settle(current, () => current!.reject(error));
      current = undefined;
      pump();
    };
    let leaderReady!: () => void;
    let leaderFailed!: (e: Error) => void;
    const leaderUp = new Promise<void>((ok, no) => {
      leaderReady = ok;
      leaderFailed = no;
    });
    state.leader = host.spawn(shared ? "leader" : "plain", (message) => {
      if (state.ended) return;
      if (message.type === "ready") leaderReady();
      else if (message.type === "failed") leaderFailed(received(message.error));
      else onCallMessage(state, message);
    }, fail);
    state.ready = (async () => {
      if (!shared) {
        state.leader.post({ type: "init", role: "plain" });
        return leaderUp;
      }
      threadedModule ??= WebAssembly.compile(bytes as BufferSource).catch((error: unknown) => {
        threadedModule = undefined;
        // As the synchronous API says it (src/kernel.ts): a page whose CSP forbids compiling wasm.
        throw new FactorisationError(
          "UNSUPPORTED",
          `this host refused to compile lowrank's threaded WebAssembly kernel (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); ` +
            "in a web page, allow it with 'wasm-unsafe-eval' in the Content-Security-Policy's script-src",
        );
      });
      const module = await threadedModule;
      const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
      // An instance here only to read the layout: the board goes right above the static data.
      const probe = (await WebAssembly.instantiate(module, { env: { memory } })).exports as Record<string, unknown>;
      const value = (name: string) => (probe[name] as WebAssembly.Global).value as number;
      const board = (((probe.heapBase as () => number)() >>> 0) + 63) & ~63;
      const needed = board + value("TEAM_BOARD_BYTES");
      if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
      state.host = new Int32Array(memory.buffer, board + value("TEAM_HOST_OFFSET"), 16);
      state.abort = new Int32Array(memory.buffer, board + value("TEAM_ABORT_OFFSET"), 1);
      state.leader.post({ type: "init", role: "leader", module, memory, board, threads });
      for (let id = 1; id < threads; id++) {
        const helper = host.spawn("helper", (message) => {
          if (message.type === "failed") fail(received(message.error));
        }, fail);
        helper.post({ type: "init", role: "helper", module, memory, board, id });
        state.helpers.push(helper);
      }
      return leaderUp;
    })();
    state.ready.catch(fail);
    return state;
  }

  function endTeam(state: TeamState): Promise<void> {
    state.ended = true;
    if (team === state) team = undefined;
    return Promise.all([state.leader, ...state.helpers].map((w) => w.terminate())).then(() => undefined);
  }

  function settle(call: Call, how: () => void): void {
    if (call.settled) return;
    call.settled = true;
    call.unlisten?.();
    how();
  }

  /** The team is free again: the next call may start. */
  function finish(state: TeamState, memoryBytes: number): void {
    current = undefined;
    state.leader.hold(false);
    if (memoryBytes > RETIRE_BYTES && queue.length === 0) void endTeam(state);
    pump();
  }

  function onCallMessage(state: TeamState, message: WorkerMessage): void {
    const call = current;
    if (call === undefined || !("id" in message) || message.id !== call.id) return;
    switch (message.type) {
      case "epochs":
        return onEpochs(state, call, message.first, message.losses);
      case "result":
        settle(call, () => call.resolve(message.value));
        return finish(state, message.memoryBytes);
      case "error":
        settle(call, () => call.reject(received(message.error)));
        return finish(state, message.memoryBytes);
      case "aborted":
        return finish(state, 0);
    }
  }

  /** onEpoch over a chunk, on this thread; the verdict goes back through the board (or, for a lone worker, a rerun). */
  function onEpochs(state: TeamState, call: Call, first: number, losses: Float64Array): void {
    let verdict: number = Verdict.GO_ON;
    let stopAt = 0;
    try {
      // A callback may abort the call (its signal) or close the pool: stop calling at once.
      for (let e = 0; e < losses.length && !call.settled && call.stopAfter === undefined; e++) {
        if (call.onEpoch!(first + e, losses[e]) === false) {
          verdict = Verdict.STOP;
          stopAt = e + 1;
          break;
        }
      }
    } catch (error) {
      settle(call, () => call.reject(error));
    }
    if (call.settled) verdict = Verdict.ABORT;
    if (state.host) {
      Atomics.store(state.host, STOP_AT, stopAt);
      Atomics.store(state.host, VERDICT, verdict);
      Atomics.notify(state.host, VERDICT);
      return;
    }
    // A lone worker does not wait for verdicts: it has run on. Stop it, and rerun to the epoch.
    if (verdict === Verdict.STOP) {
      call.stopAfter = first + stopAt - 1;
      void endTeam(state);
      rerun(call);
    } else if (verdict === Verdict.ABORT) {
      void endTeam(state);
      current = undefined;
      pump();
    }
  }

  /** Lone-worker path: the same run again to exactly the epoch a callback stopped at (SGD is deterministic). */
  function rerun(call: Call): void {
    const opts = { ...(call.args[call.args.length - 1] as Record<string, unknown>), epochs: call.stopAfter };
    call.args = [...call.args.slice(0, -1), opts];
    call.onEpoch = undefined;
    call.stopAfter = undefined;
    current = undefined;
    queue.unshift(call);
    pump();
  }

  function pump(): void {
    if (current !== undefined || closed) return;
    const call = queue.shift();
    if (call === undefined) return;
    current = call;
    team ??= startTeam();
    const state = team;
    state.leader.hold(true);
    state.ready.then(() => {
      if (state.ended || current !== call) return;
      const message: CallMessage = { type: "call", id: call.id, method: call.method, args: call.args, observe: call.onEpoch !== undefined };
      try {
        state.leader.post(message, call.transfer);
      } catch (error) {
        settle(call, () => call.reject(error));
        finish(state, 0);
      }
    }, () => undefined);
  }

  /** Stops the call: rejects it now; a running one is told to stop, and its team ended if it does not within the grace. */
  function abortCall(call: Call, why: string): void {
    settle(call, () => call.reject(aborted(why)));
    const i = queue.indexOf(call);
    if (i >= 0) {
      queue.splice(i, 1);
      return;
    }
    if (current !== call || team === undefined) return;
    const state = team;
    if (!state.abort || !state.host) {
      // A lone worker cannot be interrupted: end it (a new one starts for the next call).
      void endTeam(state);
      current = undefined;
      pump();
      return;
    }
    Atomics.store(state.abort, 0, 1);
    Atomics.store(state.host, VERDICT, Verdict.ABORT);
    Atomics.notify(state.host, VERDICT);
    setTimeout(() => {
      if (current === call && team === state) {
        void endTeam(state);
        current = undefined;
        pump();
      }
    }, ABORT_GRACE_MS);
  }

  function submit(method: PoolMethod, prepare: () => { args: unknown[]; transfer: Transferable[]; onEpoch?: Call["onEpoch"]; signal?: AbortSignalLike }): Promise<never> {
    return new Promise((resolve, reject) => {
      if (closed) return reject(aborted(`${method}: the pool is closed`));
      let prepared: ReturnType<typeof prepare>;
      try {
        prepared = prepare();
      } catch (error) {
        return reject(error);
      }
      const call: Call = { id: nextId++, method, ...prepared, resolve: resolve as (value: unknown) => void, reject, settled: false };
      if (call.signal) {
        const signal = call.signal;
        if (signal.aborted) return reject(aborted(`${method} was aborted before it started`));
        const listener = () => abortCall(call, `${method} was aborted`);
        signal.addEventListener("abort", listener, { once: true });
        call.unlisten = () => signal.removeEventListener("abort", listener);
      }
      queue.push(call);
      pump();
    });
  }

  return {
    threads,
    svd: ((A: MatrixInput | SparseEntries, opts?: SvdOptions & PoolCallOptions) => submit("svd", () => {
      const a = ownInput(A, "A");
      const { rest, signal } = callOptions(opts, SVD_OPTION_NAMES, "svd");
      return { args: [a.input, rest], transfer: a.transfer, signal };
    })) as Pool["svd"],
    svdFactorise: (A, rank, opts) => submit("svdFactorise", () => {
      const a = ownMatrix(A, "A");
      const { signal } = callOptions(opts, [], "svdFactorise");
      return { args: [a.matrix, rank], transfer: a.transfer, signal };
    }),
    pca: (X, opts) => submit("pca", () => {
      const x = ownInput(X, "X");
      const { rest, signal } = callOptions(opts, PCA_OPTION_NAMES, "pca");
      return { args: [x.input, rest], transfer: x.transfer, signal };
    }),
    sgdFactorise: (A, rank, opts) => submit("sgdFactorise", () => {
      const a = ownMatrix(A, "A");
      const c = sgdCall(opts, SGD_OPTION_NAMES, "sgdFactorise", !shared);
      return { args: [a.matrix, rank, c.rest], transfer: c.keep ? [] : a.transfer, onEpoch: c.onEpoch, signal: c.signal };
    }),
    sgdFactoriseMasked: (A, M, rank, opts) => submit("sgdFactoriseMasked", () => {
      const a = ownMatrix(A, "A");
      const m = M === null || M === undefined ? { matrix: M, transfer: [] } : ownMatrix(M, "M", true);
      const c = sgdCall(opts, SGD_OPTION_NAMES, "sgdFactoriseMasked", !shared);
      return { args: [a.matrix, m.matrix, rank, c.rest], transfer: c.keep ? [] : [...a.transfer, ...m.transfer], onEpoch: c.onEpoch, signal: c.signal };
    }),
    sgdFactoriseSparse: (entries, rank, opts) => submit("sgdFactoriseSparse", () => {
      const e = ownEntries(entries);
      const c = sgdCall(opts, SPARSE_OPTION_NAMES, "sgdFactoriseSparse", !shared);
      return { args: [e.entries, rank, c.rest], transfer: c.keep ? [] : e.transfer, onEpoch: c.onEpoch, signal: c.signal };
    }),
    async close() {
      if (closed) return;
      closed = true;
      for (const call of [...queue, ...(current ? [current] : [])]) settle(call, () => call.reject(aborted(`${call.method}: the pool was closed`)));
      queue.length = 0;
      current = undefined;
      if (team) await endTeam(team);
    },
  };
}

/** The matrix a call posts: validated here like the synchronous function does (same errors), its
 *  data copied once into a buffer the call owns and transfers (the caller's array is never detached). */
function ownMatrix(input: unknown, name: string, booleans = false): { matrix: Matrix; transfer: ArrayBuffer[] } {
  const m = toMatrix(input, name, booleans, true);
  const data = m.data === (input as Matrix).data ? m.data.slice() : m.data;
  return { matrix: { rows: m.rows, cols: m.cols, data }, transfer: [data.buffer as ArrayBuffer] };
}

/** A matrix argument that may be dense or a sparse coordinate list (svd, pca), as posted. */
function ownInput(input: unknown, name: string): { input: unknown; transfer: ArrayBuffer[] } {
  if (isSparseInput(input)) {
    const e = ownEntries(input as SparseEntries);
    return { input: e.entries, transfer: e.transfer };
  }
  const m = ownMatrix(input, name);
  return { input: m.matrix, transfer: m.transfer };
}

/** Sparse entries as posted: typed arrays copied and transferred, anything else cloned (the worker validates it). */
function ownEntries(entries: SparseEntries): { entries: unknown; transfer: ArrayBuffer[] } {
  if (entries === null || typeof entries !== "object") return { entries, transfer: [] };
  const transfer: ArrayBuffer[] = [];
  const own = (x: unknown) => {
    if (!ArrayBuffer.isView(x) || x instanceof DataView) return x;
    const copy = (x as unknown as { slice(): ArrayBufferView }).slice();
    transfer.push(copy.buffer as ArrayBuffer);
    return copy;
  };
  const { rows, cols, row, col, value } = entries;
  return { entries: { rows, cols, row: own(row), col: own(col), value: own(value) }, transfer };
}

/** A call's options: the function's own names (checked here, so typos fail as in the synchronous
 *  API), `signal` taken out, and every value plain data that can be posted. */
function callOptions(opts: unknown, names: readonly string[], fn: string): { rest: Record<string, unknown> | undefined; signal?: AbortSignalLike } {
  if (opts === undefined) return { rest: undefined };
  // signal aside, the names are checked (and named in messages) as the synchronous function does.
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) checkOptionNames(opts, names, fn);
  const { signal, ...rest } = opts as Record<string, unknown>;
  checkOptionNames(rest, names, fn);
  const s = signal as Partial<AbortSignalLike> | undefined;
  if (signal !== undefined && (s === null || typeof s !== "object" || typeof s.aborted !== "boolean" || typeof s.addEventListener !== "function")) {
    throw new FactorisationError("OPTION", `signal must be an AbortSignal; got ${describe(signal)}`);
  }
  for (const [key, value] of Object.entries(rest)) {
    if (key !== "onEpoch" && (typeof value === "function" || typeof value === "symbol")) {
      throw new FactorisationError("OPTION", `${fn}: option '${key}' is ${describe(value)}; a pool call's options must be data (onEpoch and signal excepted)`);
    }
  }
  return { rest, signal: s as AbortSignalLike | undefined };
}

/** An SGD call's options: onEpoch stays on this thread. A lone worker cannot wait for onEpoch's
 *  verdict, so its runs get their seed here and keep their inputs (`keep`: posted as copies, not
 *  transferred), and one that a callback stops is rerun to that epoch. */
function sgdCall(opts: unknown, names: readonly string[], fn: string, lone: boolean) {
  const { rest, signal } = callOptions(opts, names, fn);
  let onEpoch: ((epoch: number, loss: number) => void | false) | undefined;
  let keep = false;
  if (rest && typeof rest.onEpoch === "function") {
    onEpoch = rest.onEpoch as typeof onEpoch;
    delete rest.onEpoch;
    if (lone) {
      keep = true;
      if (rest.seed === undefined && (rest.init === undefined || rest.shuffle === true)) rest.seed = seedOption(undefined);
    }
  }
  return { rest, signal, onEpoch, keep };
}
