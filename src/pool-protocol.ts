// The messages between a pool (src/pool.ts, on the caller's thread) and its workers
// (src/pool-worker.ts), and the words of the team's board the two sides hand control through.
// docs/parallel.md describes the protocol.

/** The library functions a pool runs (each worker maps a name to the same function as the synchronous API). */
export type PoolMethod = "svd" | "svdFactorise" | "pca" | "sgdFactorise" | "sgdFactoriseMasked" | "sgdFactoriseSparse";

/** A worker's part: the leader of a team, one of its helpers, or a lone worker without shared memory. */
export type WorkerRole = "leader" | "helper" | "plain";

/** Index (in i32 words from the board's TEAM_HOST_OFFSET) of the caller's verdict on a chunk of epochs. */
export const VERDICT = 0;
/** Index of the epoch (1-based within the chunk) to stop after, with Verdict.STOP. */
export const STOP_AT = 1;
/** What the caller's thread answers after running onEpoch over a chunk of epochs. */
export const Verdict = { WAITING: 0, GO_ON: 1, STOP: 2, ABORT: 3 } as const;

/** Entries × rank per chunk of epochs between two hand-overs to the caller's thread: ≈ 5 ms of
 *  work, so a hand-over (≈ 0.1 ms, more while the caller is busy) costs a few per cent. */
export const POOL_CHUNK_WORK = 4_000_000;

export interface InitMessage {
  type: "init";
  role: WorkerRole;
  /** Leader and helpers: the threaded module, the shared memory, the board; helpers: their id ≥ 1. */
  module?: WebAssembly.Module;
  memory?: WebAssembly.Memory;
  board?: number;
  threads?: number;
  id?: number;
}

export interface CallMessage {
  type: "call";
  id: number;
  method: PoolMethod;
  args: unknown[];
  /** Whether the caller has an onEpoch: the worker then reports every chunk of epochs. */
  observe: boolean;
}

/** An error as it crosses to the caller's thread: FactorisationErrors keep their code and own properties. */
export interface SentError {
  name: string;
  message: string;
  code?: string;
  props: Record<string, unknown>;
}

export type WorkerMessage =
  | { type: "ready" }
  | { type: "failed"; error: SentError }
  | { type: "epochs"; id: number; first: number; losses: Float64Array }
  | { type: "result"; id: number; value: unknown; memoryBytes: number }
  | { type: "error"; id: number; error: SentError; memoryBytes: number }
  | { type: "aborted"; id: number };

/** The ArrayBuffers of the Float64Arrays in a result (top level, or `.data` of a Matrix), to transfer. */
export function transferables(value: unknown): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (x: unknown) => {
    if (x instanceof Float64Array && x.buffer instanceof ArrayBuffer && x.byteLength === x.buffer.byteLength) out.push(x.buffer);
  };
  if (value !== null && typeof value === "object") {
    for (const field of Object.values(value)) {
      add(field);
      if (field !== null && typeof field === "object" && "data" in field) add((field as { data: unknown }).data);
    }
  }
  return out;
}
