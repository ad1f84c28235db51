// The demo's Web Worker: the reconstructions and the SGD run here, so the page stays responsive
// while they compute (the SVD itself runs on the page's pool, which hands the factors over).
// The library is synchronous (its wasm is inlined and instantiated on import), which is exactly
// right inside a worker. The page starts two of these, one per panel, so moving the rank slider
// stays quick while an SGD run is going.
//
// Messages in:  { type: "factors", gen, A, U, S, V, ms }            → "spectrum"
//               { type: "rank", gen, k }                            → "reconstruction"
//               { type: "sgd", width, height, data, mask, rank, epochs, lr, lambda, seed }
//                                                                   → "progress"…, "sgd-done"
//               { type: "stop" }: end the SGD run once the chunk of epochs in progress
//                                 ends (≤ CHUNK_MS); "sgd-done" then carries U Vᵀ at the
//                                 last finished epoch, with stopped: true
// Any failure → { type: "error", stage, gen, message, code }.
import { matrix, reconstruct, sgdFactoriseMasked, simd } from "/dist/index.js";

/** Loss points are batched and posted at most this often: one message per epoch would flood the page. */
const PROGRESS_INTERVAL_MS = 50;
/**
 * An SGD run goes in chunks of epochs lasting about this long, each continuing from the last
 * one's U and V (bit for bit the same run); between two the worker reads its messages, so a
 * Stop is heard within one chunk and the factors of the last finished epoch are kept.
 */
const CHUNK_MS = 40;

/** The image and its full thin SVD, kept so each new k costs one O(m·n·k) product, not a new SVD. */
let current = null;
/** Set by a "stop" message; read by the SGD run between chunks. */
let stopRequested = false;

function reportError(msg, error) {
  self.postMessage({
    type: "error",
    stage: msg.type,
    gen: msg.gen,
    message: error instanceof Error ? error.message : String(error),
    // FactorisationError codes (OPTION, RANK, DIVERGED, …) mark input problems the page explains.
    code: error?.name === "FactorisationError" ? error.code : null,
  });
}

self.onmessage = ({ data: msg }) => {
  try {
    if (msg.type === "factors") keep(msg);
    else if (msg.type === "rank") rebuild(msg);
    else if (msg.type === "sgd") complete(msg).catch((error) => reportError(msg, error));
    else if (msg.type === "stop") stopRequested = true;
    else throw new Error(`unknown message type ${msg.type}`);
  } catch (error) {
    reportError(msg, error);
  }
};

function frobenius(data) {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i] * data[i];
  return Math.sqrt(sum);
}

/** The first k columns of a row-major rows×cols matrix. */
function leadingColumns({ rows, cols, data }, k) {
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * cols, r * cols + k), r * k);
  return matrix(rows, k, out);
}

function keep({ gen, A, U, S, V, ms }) {
  current = { gen, A, U, S, V, norm: frobenius(A.data) };
  self.postMessage({ type: "spectrum", gen, S, ms, simd });
}

function rebuild({ gen, k }) {
  if (!current || current.gen !== gen) return; // a newer image is on its way; this k is stale
  const { A, U, S, V, norm } = current;
  const start = performance.now();
  const R = reconstruct(leadingColumns(U, k), S.subarray(0, k), leadingColumns(V, k));
  // Measured on the reconstruction itself rather than from the tail of the spectrum, so the
  // number is the error of the image on screen (Eckart–Young says the two agree).
  let sum = 0;
  for (let i = 0; i < R.data.length; i++) sum += (A.data[i] - R.data[i]) ** 2;
  const error = norm > 0 ? Math.sqrt(sum) / norm : 0;
  self.postMessage({ type: "reconstruction", gen, k, data: R.data, error, ms: performance.now() - start }, [R.data.buffer]);
}

/**
 * Lets the messages that have arrived (a "stop") be handled before the next chunk: a message
 * to itself queues behind them, and unlike setTimeout(0) is never clamped to 4 ms.
 */
const wakeUp = new MessageChannel();
const yieldToMessages = () => new Promise((resolve) => {
  wakeUp.port1.onmessage = resolve;
  wakeUp.port2.postMessage(null);
});

/** A chunk's error with its epoch counted from the start of the run, not of the chunk. */
function fromRunStart(error, offset) {
  if (error?.name !== "FactorisationError" || offset === 0) return error;
  const message = error.message.replace(/at epoch (\d+)/, (_, epoch) => `at epoch ${offset + Number(epoch)}`);
  return Object.assign(new Error(message), { name: error.name, code: error.code });
}

async function complete({ width, height, data, mask, rank, epochs, lr, lambda, seed }) {
  stopRequested = false;
  const A = matrix(height, width, data);
  const M = matrix(height, width, mask);
  const start = performance.now();
  let points = []; // flat [epoch, loss, epoch, loss, …] not yet posted
  let lastPost = start;
  const flush = () => {
    self.postMessage({ type: "progress", points });
    points = [];
    lastPost = performance.now();
  };
  let done = 0;
  let factors = null; // U and V after epoch `done`
  let loss = NaN;
  let chunk = 1; // epochs in the next chunk: one at first, then sized by the time the last one took
  while (done < epochs && !stopRequested) {
    const offset = done;
    const began = performance.now();
    let result;
    try {
      result = sgdFactoriseMasked(A, M, rank, {
        epochs: Math.min(chunk, epochs - done), lr, lambda,
        ...(factors ? { init: factors } : { seed }),
        onEpoch(epoch, epochLoss) {
          points.push(offset + epoch, epochLoss);
          if (performance.now() - lastPost >= PROGRESS_INTERVAL_MS) flush();
        },
      });
    } catch (error) {
      throw fromRunStart(error, offset);
    }
    factors = { U: result.U, V: result.V };
    loss = result.loss;
    done += result.epochs;
    chunk = Math.max(1, Math.round((CHUNK_MS * result.epochs) / Math.max(performance.now() - began, 1)));
    await yieldToMessages();
  }
  flush();
  const R = reconstruct(factors.U, factors.V);
  // How well the hidden pixels were guessed: the number the completion is really about.
  let hiddenError = 0;
  let hiddenNorm = 0;
  for (let i = 0; i < R.data.length; i++) {
    if (mask[i] === 0) {
      hiddenError += (A.data[i] - R.data[i]) ** 2;
      hiddenNorm += A.data[i] ** 2;
    }
  }
  self.postMessage({
    type: "sgd-done",
    data: R.data,
    loss,
    epochs: done,
    stopped: done < epochs,
    hiddenError: hiddenNorm > 0 ? Math.sqrt(hiddenError / hiddenNorm) : null,
    ms: performance.now() - start,
  }, [R.data.buffer]);
}
