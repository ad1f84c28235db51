// Running an SGD command's factorisation. Piped, it runs here and draws nothing. On a terminal
// it runs in a worker thread while this thread draws the progress line: the event loop stays
// free, so Ctrl-C (SIGINT) is heard at once — the line is cleared and the command exits 130.
import { Worker } from "node:worker_threads";
import {
  FactorisationError, type Matrix, type SgdOptions, type SgdResult, type SparseEntries, type SparseSgdOptions, sgdFactorise,
  sgdFactoriseSparse,
} from "../index.js";
import { INTERVAL_MS, ProgressBar, type ProgressStream } from "./progress.js";

/** The exit code after Ctrl-C: 128 + SIGINT (2), what shells report for a process it ended. */
export const EXIT_INTERRUPTED = 130;

/** One library call: sgdFactorise on a dense matrix, or sgdFactoriseSparse on a coordinate list. */
export type SgdJob =
  | { method: "sgdFactorise"; A: Matrix; rank: number; options: SgdOptions }
  | { method: "sgdFactoriseSparse"; entries: SparseEntries; rank: number; options: SparseSgdOptions };

/** Runs the job here, with `onEpoch` when given. */
export function runJob(job: SgdJob, onEpoch?: (epoch: number, loss: number) => void): SgdResult {
  if (job.method === "sgdFactorise") return sgdFactorise(job.A, job.rank, onEpoch ? { ...job.options, onEpoch } : job.options);
  return sgdFactoriseSparse(job.entries, job.rank, onEpoch ? { ...job.options, onEpoch } : job.options);
}

/** What the worker posts back: the result, or the error it threw (name, message and own fields such as `code`). */
export type WorkerReply =
  | { type: "done"; result: SgdResult }
  | { type: "error"; name: string; message: string; fields: Record<string, unknown> };

/** The error the worker threw, rebuilt here: a FactorisationError stays one, with its fields. */
function rebuiltError(reply: Extract<WorkerReply, { type: "error" }>): Error {
  if (reply.name === "FactorisationError") {
    const { code, ...fields } = reply.fields as { code: FactorisationError["code"] };
    return Object.assign(new FactorisationError(code, reply.message), fields);
  }
  return new Error(reply.message);
}

/**
 * Runs `job` and returns its result. When `stream` is a terminal, the job runs in a worker
 * thread (dist/cli/sgd-worker.js) that writes each epoch and loss into shared memory; this
 * thread redraws the progress line from it every {@link INTERVAL_MS}, clears it at the end,
 * and on SIGINT clears it and exits with {@link EXIT_INTERRUPTED}. Otherwise the job runs here,
 * without per-epoch losses (a piped run pays nothing for a progress line).
 */
export async function runWithProgress(label: string, total: number, job: SgdJob, stream: ProgressStream = process.stderr): Promise<SgdResult> {
  if (!stream.isTTY) return runJob(job);
  // [epoch, loss] of the last finished epoch; epoch 0 until the first ends.
  const progress = new Float64Array(new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT));
  const bar = new ProgressBar(label, total, stream);
  const worker = new Worker(new URL("./sgd-worker.js", import.meta.url), { workerData: { job, progress } });
  const timer = setInterval(() => {
    if (progress[0] > 0) bar.update(progress[0], progress[1]);
  }, INTERVAL_MS);
  const interrupt = (): void => {
    bar.finish();
    process.exit(EXIT_INTERRUPTED);
  };
  process.once("SIGINT", interrupt);
  try {
    return await new Promise<SgdResult>((resolve, reject) => {
      worker.once("message", (reply: WorkerReply) => (reply.type === "done" ? resolve(reply.result) : reject(rebuiltError(reply))));
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the SGD worker thread stopped (exit code ${code}) without a result`)));
    });
  } finally {
    clearInterval(timer);
    process.off("SIGINT", interrupt);
    bar.finish();
    await worker.terminate();
  }
}
