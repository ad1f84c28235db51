// A pool's worker (Node worker_threads or a browser module Web Worker; src/pool.ts starts it).
// Its first message gives its part:
// - leader: runs the threaded kernel on the team's shared memory (useSharedKernel) and then every
//   call the pool posts, through the same library code as the synchronous API (validate → plan →
//   withKernel …); the kernel splits the large loops across the team. onEpoch chunks go to the
//   caller's thread, and the leader waits (Atomics.wait) for its verdict on the board.
// - helper: instantiates the threaded module on the same memory and parks in its workerLoop,
//   running a share of every job the leader posts; it never returns to JavaScript.
// - plain: no shared memory (a browser page that is not cross-origin isolated): the ordinary
//   kernel, one call at a time; onEpoch chunks are reported without waiting (the pool reruns a
//   run that a callback stopped).
import { FactorisationError } from "./errors.js";
import { Team, useSharedKernel, withKernel } from "./kernel.js";
import {
  type CallMessage, type InitMessage, POOL_CHUNK_WORK, type PoolMethod, type SentError, STOP_AT, transferables, Verdict, VERDICT,
  type WorkerMessage,
} from "./pool-protocol.js";
import { type EpochObserver, type RunControl, sgdFactoriseMaskedWith, sgdFactoriseSparseWith, sgdFactoriseWith } from "./sgd.js";
import { pca } from "./pca.js";
import { svd, svdFactorise } from "./svd.js";

/** The library function behind each pool method: the synchronous API's own. */
const METHODS: Record<PoolMethod, (args: unknown[], control: RunControl) => unknown> = {
  svd: (a) => svd(a[0] as never, a[1] as never),
  svdFactorise: (a) => svdFactorise(a[0] as never, a[1] as never),
  pca: (a) => pca(a[0] as never, a[1] as never),
  sgdFactorise: (a, control) => sgdFactoriseWith(a[0] as never, a[1] as never, a[2] as never, control),
  sgdFactoriseMasked: (a, control) => sgdFactoriseMaskedWith(a[0] as never, a[1] as never, a[2] as never, a[3] as never, control),
  sgdFactoriseSparse: (a, control) => sgdFactoriseSparseWith(a[0] as never, a[1] as never, a[2] as never, control),
};

interface Port {
  post(message: WorkerMessage, transfer?: Transferable[]): void;
  listen(handler: (message: InitMessage | CallMessage) => void): void;
}

/** Thrown inside a run when the caller's thread answered a chunk with ABORT. */
class Aborted extends Error {}

function send(error: unknown): SentError {
  if (error instanceof FactorisationError) {
    const props: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(error)) if (key !== "code") props[key] = value;
    return { name: error.name, message: error.message, code: error.code, props };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, props: {} };
  return { name: "Error", message: String(error), props: {} };
}

function serve(port: Port): void {
  let role: InitMessage["role"] | undefined;
  let memory: WebAssembly.Memory | undefined;
  let host: Int32Array | undefined; // the board's host words (leader)
  let abort: Int32Array | undefined; // the board's abort word (leader)

  function observer(id: number): EpochObserver {
    return {
      chunkWork: POOL_CHUNK_WORK,
      observe(first, losses) {
        const copy = losses.slice(); // the run reads its own losses again when it stops
        if (host === undefined) {
          port.post({ type: "epochs", id, first, losses: copy }, [copy.buffer]);
          return 0;
        }
        Atomics.store(host, VERDICT, Verdict.WAITING);
        port.post({ type: "epochs", id, first, losses: copy }, [copy.buffer]);
        Atomics.wait(host, VERDICT, Verdict.WAITING);
        const verdict = Atomics.load(host, VERDICT);
        if (verdict === Verdict.GO_ON) return 0;
        if (verdict === Verdict.STOP) return Atomics.load(host, STOP_AT);
        throw new Aborted();
      },
    };
  }

  function call({ id, method, args, observe }: CallMessage): void {
    if (abort) Atomics.store(abort, 0, 0);
    if (host) Atomics.store(host, VERDICT, Verdict.WAITING);
    const bytes = () => memory?.buffer.byteLength ?? 0;
    try {
      const value = METHODS[method](args, observe ? { observer: observer(id) } : {});
      port.post({ type: "result", id, value, memoryBytes: bytes() }, transferables(value));
    } catch (error) {
      // A stop asked for by the caller: its abort word traps the kernel at its next check (a
      // RuntimeError), or its verdict ends a wait for onEpoch.
      if (error instanceof Aborted || (abort !== undefined && Atomics.load(abort, 0) !== 0)) port.post({ type: "aborted", id });
      else port.post({ type: "error", id, error: send(error), memoryBytes: bytes() });
    }
  }

  port.listen((message) => {
    if (message.type === "call") return call(message);
    try {
      role = message.role;
      if (role === "helper") {
        const exports = new WebAssembly.Instance(message.module!, { env: { memory: message.memory! } }).exports;
        port.post({ type: "ready" });
        // Parks in the kernel for good; returns only for a bad argument.
        const status = (exports.workerLoop as (board: number, id: number) => number)(message.board!, message.id!);
        throw new Error(`lowrank internal error: workerLoop refused its argument ${-status}`);
      }
      if (role === "leader") {
        memory = message.memory!;
        useSharedKernel({ module: message.module!, memory, board: message.board!, threads: message.threads! });
        withKernel(() => undefined); // instantiate and check the module now, not in the first call
        host = new Int32Array(memory.buffer, message.board! + Team.HOST_OFFSET, 16);
        abort = new Int32Array(memory.buffer, message.board! + Team.ABORT_OFFSET, 1);
      }
      port.post({ type: "ready" });
    } catch (error) {
      port.post({ type: "failed", error: send(error) });
    }
  });
}

interface NodeParentPort {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(event: "message", handler: (message: never) => void): void;
}

/** This worker's port: the global scope of a Web Worker, or Node's parentPort. */
function connect(): void {
  const scope = globalThis as unknown as {
    WorkerGlobalScope?: unknown;
    postMessage(message: unknown, transfer?: Transferable[]): void;
    onmessage: ((event: { data: never }) => void) | null;
    process?: { getBuiltinModule?(name: string): unknown };
  };
  if (scope.WorkerGlobalScope !== undefined) {
    serve({
      post: (message, transfer) => scope.postMessage(message, transfer ?? []),
      listen: (handler) => {
        scope.onmessage = (event) => handler(event.data);
      },
    });
    return;
  }
  const withPort = ({ parentPort }: { parentPort: NodeParentPort | null }) => {
    if (parentPort === null) throw new Error("lowrank: pool-worker.js runs only as a worker started by createPool()");
    serve({
      post: (message, transfer) => parentPort.postMessage(message, transfer),
      listen: (handler) => parentPort.on("message", handler),
    });
  };
  const builtin = scope.process?.getBuiltinModule?.("node:worker_threads") as { parentPort: NodeParentPort | null } | undefined;
  if (builtin) withPort(builtin);
  else void import("node:worker_threads").then(withPort as never);
}

connect();
