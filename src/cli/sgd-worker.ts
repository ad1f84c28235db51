// The worker thread of a terminal SGD run (see sgd-run.ts): runs the job, writes each
// finished epoch and its loss into the shared progress array, and posts the result or error.
import { parentPort, workerData } from "node:worker_threads";
import { type SgdJob, type WorkerReply, runJob } from "./sgd-run.js";

const { job, progress } = workerData as { job: SgdJob; progress: Float64Array };

function post(reply: WorkerReply): void {
  parentPort!.postMessage(reply);
}

try {
  post({ type: "done", result: runJob(job, (epoch, loss) => {
    progress[1] = loss;
    progress[0] = epoch;
  }) });
} catch (error) {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const fields = typeof error === "object" && error !== null ? { ...error } : {};
  try {
    post({ type: "error", name, message, fields });
  } catch {
    post({ type: "error", name, message, fields: "code" in fields ? { code: fields.code } : {} }); // a field that cannot be cloned
  }
}
