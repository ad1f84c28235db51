// The demo page: UI state, drawing, a lowrank pool for the SVD (createPool: the SVD runs on a
// team of workers, on every core when the page is cross-origin isolated, as `npm run demo`
// serves it), and messages to and from two Web Workers (demo/worker.js), one holding the SVD
// panel's factors for the rank-k reconstructions and one for the SGD panel. No computation runs
// on the page's own thread, so it stays responsive whatever the workers are computing.
//
// For the browser test (test/browser/demo.test.ts) the page exposes stable hooks:
// body[data-ready="svd"] once a reconstruction is on screen, body[data-sgd] = running | done |
// stopped | error, #error[data-value] (the full double) and [data-k], #ratio[data-value],
// #spectrum[data-axis-min|data-axis-max], #loss-plot[data-points|data-first|data-last],
// #sgd-loss[data-value], #sgd-hidden-error[data-value], #sgd-epoch[data-value],
// body[data-pool-threads] (the SVD pool's threads).
import { createPool } from "/dist/index.js";
import { sampleImage, sampleMask } from "./sample.js";

const $ = (id) => document.getElementById(id);

/** Longest side of a user's image after scaling down: the SVD costs O(m·n·min(m, n)). */
const MAX_SIDE = 256;
/** Rank shown first: enough to recognise the sample, far from full rank. */
const DEFAULT_K = 10;
/** Image canvases are scaled up by CSS to fit this box (CSS pixels). */
const DISPLAY_BOX = { width: 320, height: 240 };
/** Colour of hidden pixels in the masked input: no grey level can be mistaken for it. */
const HIDDEN_RGB = [214, 48, 49];
const ACCENT = "#1f6feb";
const MUTED = "#9aa4b1";
/** Machine epsilon: singular values below ε·σ₁ are rounding noise, not part of the spectrum worth an axis. */
const EPS = 2 ** -52;

const state = {
  image: null, // { width, height, data: Float64Array in [0, 1], row-major }
  gen: 0, // bumped per image, so late replies about an older image are dropped
  spectrum: null, // Float64Array of singular values, descending
  k: DEFAULT_K,
  rankInFlight: false, // one reconstruction at a time; slider moves meanwhile coalesce into…
  rankPending: null, // …the latest k asked for
  sgdWorker: null,
  loss: { epochs: [], values: [], total: 1 },
};

function startWorker() {
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
}

// ---------------------------------------------------------------------------------------------
// Status and errors

/**
 * Shows a message under a panel. Input problems (a FactorisationError with a code: bad
 * option, rank too large, diverged) are the user's to fix and only shown; anything else is a
 * bug and also goes to console.error, where the browser test catches it.
 */
function setStatus(panel, message, { error = false, unexpected = false } = {}) {
  const el = $(`${panel}-status`);
  el.textContent = message;
  el.classList.toggle("error", error);
  if (unexpected) console.error(`[lowrank demo] ${panel}: ${message}`);
}

/** A worker that fails to load (e.g. dist/ not built) fires 'error' with an often empty message. */
function workerFailed(panel, event) {
  const detail = event.message || "the worker script failed to load (is dist/ built? run `npm run build`)";
  setStatus(panel, `Worker error: ${detail}`, { error: true, unexpected: true });
}

// ---------------------------------------------------------------------------------------------
// Drawing

/** Draws a grey-level matrix (values in [0, 1]) at one canvas pixel per entry; hidden entries (mask 0) in red. */
function drawImage(canvas, { width, height, data }, mask = null) {
  canvas.width = width;
  canvas.height = height;
  const scale = Math.min(DISPLAY_BOX.width / width, DISPLAY_BOX.height / height);
  // The height follows from the canvas's own aspect ratio (CSS height: auto), so a narrow
  // screen can shrink the image with max-width and keep its shape.
  canvas.style.width = `${Math.round(width * scale)}px`;
  const ctx = canvas.getContext("2d");
  const pixels = ctx.createImageData(width, height);
  const rgba = pixels.data; // Uint8ClampedArray: out-of-range reconstructions clamp to 0…255
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    if (mask && mask[i] === 0) {
      rgba.set(HIDDEN_RGB, j);
    } else {
      rgba[j] = rgba[j + 1] = rgba[j + 2] = data[i] * 255;
    }
    rgba[j + 3] = 255;
  }
  ctx.putImageData(pixels, 0, 0);
}

/** An empty canvas of the image's size, for results not computed yet. */
function drawBlank(canvas, { width, height }) {
  drawImage(canvas, { width, height, data: new Float64Array(width * height).fill(0.93) });
}

/** Sizes a plot canvas's backing store to its CSS box × devicePixelRatio, so lines stay sharp. */
function plotContext(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  canvas.width = Math.round(w * ratio);
  canvas.height = Math.round(h * ratio);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  return { ctx, w, h };
}

const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
const powerOfTen = (e) => `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c])}`;

/** 1, 2 or 5 × 10ⁿ: tick spacing giving about `target` ticks over [0, span]. */
function niceStep(span, target) {
  const raw = Math.max(span / target, 1);
  const base = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((f) => f * base).find((s) => s >= raw);
}

/**
 * A scatter or line plot of y > 0 against x = 1…xMax, y on a log scale with a tick at each
 * power of ten (or every few when the range is wide). `colour(i)` colours point i; `marker`
 * draws a dashed vertical line at that x. Non-positive and non-finite y are left out. `floor`
 * bounds the axis from below: points under it sit on the bottom edge. The axis range goes to
 * canvas.dataset.axisMin / axisMax.
 */
function drawLogPlot(canvas, xs, ys, { xMax, xLabel, line = false, colour = () => ACCENT, marker = null, floor = 0 }) {
  const { ctx, w, h } = plotContext(canvas);
  const pad = { left: 44, right: 20, top: 10, bottom: 34 }; // room for the tick labels
  const plotW = w - pad.left - pad.right;
  const plotH = h - pad.top - pad.bottom;
  let lo = Infinity;
  let hi = -Infinity;
  for (const y of ys) {
    if (y > 0 && Number.isFinite(y)) {
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
  }
  let decadeLo = Number.isFinite(lo) ? Math.floor(Math.log10(Math.max(lo, floor))) : -1;
  if (10 ** decadeLo < floor) decadeLo += 1; // the axis never reaches below the floor
  const decadeHi = Number.isFinite(hi) ? Math.max(Math.ceil(Math.log10(hi)), decadeLo + 1) : 0;
  canvas.dataset.axisMin = String(10 ** decadeLo);
  canvas.dataset.axisMax = String(10 ** decadeHi);
  const X = (x) => pad.left + (xMax > 1 ? ((x - 1) / (xMax - 1)) * plotW : plotW / 2);
  const Y = (y) => pad.top + ((decadeHi - Math.log10(Math.max(y, 10 ** decadeLo))) / (decadeHi - decadeLo)) * plotH;

  ctx.font = "11px system-ui, sans-serif";
  ctx.lineWidth = 1;
  ctx.strokeStyle = "#e4e8ec";
  ctx.fillStyle = "#5b6573";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const decadeStep = Math.ceil((decadeHi - decadeLo) / 6);
  for (let e = decadeLo; e <= decadeHi; e += decadeStep) {
    const y = Y(10 ** e);
    ctx.beginPath();
    ctx.moveTo(pad.left, y);
    ctx.lineTo(w - pad.right, y);
    ctx.stroke();
    ctx.fillText(powerOfTen(e), pad.left - 5, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const xStep = niceStep(xMax, 5);
  for (let x = xStep; x <= xMax; x += xStep) ctx.fillText(String(x), X(x), h - pad.bottom + 4);
  ctx.fillText("1", X(1), h - pad.bottom + 4);
  ctx.fillText(xLabel, pad.left + plotW / 2, h - 14);
  ctx.strokeStyle = "#5b6573";
  ctx.strokeRect(pad.left, pad.top, plotW, plotH);

  if (marker !== null) {
    ctx.save();
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(X(marker), pad.top);
    ctx.lineTo(X(marker), pad.top + plotH);
    ctx.stroke();
    ctx.restore();
  }
  if (line) {
    ctx.strokeStyle = ACCENT;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      if (!(ys[i] > 0 && Number.isFinite(ys[i]))) continue;
      if (pen) ctx.lineTo(X(xs[i]), Y(ys[i]));
      else ctx.moveTo(X(xs[i]), Y(ys[i]));
      pen = true;
    }
    ctx.stroke();
  } else {
    for (let i = 0; i < xs.length; i++) {
      if (!(ys[i] > 0 && Number.isFinite(ys[i]))) continue;
      ctx.fillStyle = colour(i);
      ctx.beginPath();
      ctx.arc(X(xs[i]), Y(ys[i]), 2, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

function drawSpectrum() {
  const S = state.spectrum;
  if (!S) return;
  const xs = Array.from(S, (_, i) => i + 1);
  drawLogPlot($("spectrum"), xs, S, {
    xMax: S.length,
    xLabel: "index i",
    colour: (i) => (i < state.k ? ACCENT : MUTED),
    marker: Math.min(state.k + 0.5, S.length),
    floor: EPS * S[0], // an image of rank r has σ_{r+1}… at rounding level, down to 10⁻⁹⁷ and below
  });
}

function drawLoss() {
  const { epochs, values, total } = state.loss;
  const plot = $("loss-plot");
  drawLogPlot(plot, epochs, values, { xMax: total, xLabel: "epoch", line: true });
  plot.dataset.points = String(values.length);
  if (values.length) {
    plot.dataset.first = String(values[0]);
    plot.dataset.last = String(values[values.length - 1]);
  } else {
    delete plot.dataset.first;
    delete plot.dataset.last;
  }
}

// ---------------------------------------------------------------------------------------------
// Loading an image

/**
 * Reads a user's image file as grey levels in [0, 1]: drawn onto a canvas (over white, so
 * transparent pixels are white), scaled down to MAX_SIDE, then Rec. 709 luma of the
 * gamma-encoded values — the usual "convert to greyscale", not a linear-light luminance.
 */
async function imageFromFile(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const data = new Float64Array(width * height);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    data[i] = (0.2126 * rgba[j] + 0.7152 * rgba[j + 1] + 0.0722 * rgba[j + 2]) / 255;
  }
  return { width, height, data, scaled: scale < 1 };
}

function loadImage(image, description) {
  cancelSgd(); // a run on the previous image is no longer wanted
  state.image = image;
  state.gen += 1;
  state.spectrum = null;
  state.rankInFlight = false;
  state.rankPending = null;
  delete document.body.dataset.ready;
  delete document.body.dataset.sgd;
  $("image-info").textContent = description;
  $("image-info").classList.remove("error");
  $("shape").textContent = `(${image.height}×${image.width})`;

  drawImage($("original"), image);
  drawBlank($("svd-image"), image);
  const slider = $("k");
  slider.disabled = true;
  $("k-value").textContent = "–";
  for (const id of ["ratio", "error"]) {
    $(id).textContent = "–";
    delete $(id).dataset.value;
  }
  $("ratio-detail").textContent = "";
  delete $("error").dataset.k;
  plotContext($("spectrum"));
  setStatus("svd", "Computing the SVD…");
  decompose(image, state.gen);

  drawMaskedPreview();
  clearSgdResult(image);
  $("rank").max = String(Math.min(image.width, image.height));
  $("sgd-run").disabled = false;
  setStatus("sgd", "Press Run to hide the pixels and fill them back in by masked SGD.");
}

// ---------------------------------------------------------------------------------------------
// SVD panel

/** The SVD runs on a pool; its threads say whether the page got shared memory (cross-origin isolation). */
const pool = createPool();
document.body.dataset.poolThreads = String(pool.threads);

async function decompose(image, gen) {
  const start = performance.now();
  try {
    const A = { rows: image.height, cols: image.width, data: image.data.slice() };
    const { U, S, V } = await pool.svd(A, { vectors: "thin" });
    if (gen !== state.gen) return; // a newer image is on its way
    const ms = performance.now() - start;
    svdWorker.postMessage({ type: "factors", gen, A, U, S, V, ms }, [A.data.buffer, U.data.buffer, S.buffer, V.data.buffer]);
  } catch (error) {
    if (gen !== state.gen) return;
    setStatus("svd", `SVD failed: ${error.message}`, { error: true, unexpected: error?.name !== "FactorisationError" });
  }
}

const svdWorker = startWorker();
svdWorker.onerror = (event) => workerFailed("svd", event);
svdWorker.onmessage = ({ data: msg }) => {
  if (msg.gen !== state.gen) return; // about an image no longer shown
  if (msg.type === "spectrum") {
    state.spectrum = msg.S;
    const slider = $("k");
    slider.max = String(msg.S.length);
    slider.value = String(Math.min(DEFAULT_K, msg.S.length));
    slider.disabled = false;
    const where = pool.threads > 1 ? `a pool of ${pool.threads} threads` : "a pool worker (1 thread: the page is not cross-origin isolated)";
    setStatus("svd", `SVD of the ${state.image.height}×${state.image.width} matrix in ${msg.ms.toFixed(1)} ms on ${where} (${msg.simd ? "SIMD" : "scalar"} kernel).`);
    requestRank(Number(slider.value));
  } else if (msg.type === "reconstruction") {
    drawImage($("svd-image"), { width: state.image.width, height: state.image.height, data: msg.data });
    const error = $("error");
    error.textContent = msg.error.toPrecision(6);
    error.dataset.value = String(msg.error); // shortest round-trip form: the exact double
    error.dataset.k = String(msg.k);
    state.rankInFlight = false;
    const next = state.rankPending;
    state.rankPending = null;
    if (next !== null && next !== msg.k) sendRank(next);
    document.body.dataset.ready = "svd";
  } else if (msg.type === "error") {
    state.rankInFlight = false;
    setStatus("svd", `SVD failed: ${msg.message}`, { error: true, unexpected: msg.code === null });
  }
};

function sendRank(k) {
  state.rankInFlight = true;
  svdWorker.postMessage({ type: "rank", gen: state.gen, k });
}

/** Shows k, its compression ratio and the spectrum at once; the reconstruction follows from the worker. */
function requestRank(k) {
  const { width: n, height: m } = state.image;
  state.k = k;
  $("k-value").textContent = String(k);
  // Storing U_k, σ_1…σ_k and V_k takes k(m + n + 1) numbers instead of m·n.
  const stored = k * (m + n + 1);
  const ratio = stored / (m * n);
  $("ratio").textContent = ratio.toFixed(4);
  $("ratio").dataset.value = String(ratio);
  $("ratio-detail").textContent = `(${stored.toLocaleString("en")} of ${(m * n).toLocaleString("en")} numbers)`;
  drawSpectrum();
  if (state.rankInFlight) state.rankPending = k;
  else sendRank(k);
}

$("k").addEventListener("input", (event) => {
  if (state.spectrum) requestRank(Number(event.target.value));
});

// ---------------------------------------------------------------------------------------------
// SGD panel

function sgdSettings() {
  const num = (id) => Number($(id).value);
  return { hidden: num("hidden") / 100, rank: num("rank"), epochs: num("epochs"), lr: num("lr"), lambda: num("lambda"), seed: num("seed") };
}

function drawMaskedPreview() {
  const { width, height } = state.image;
  const { hidden, seed } = sgdSettings();
  const mask = sampleMask(width, height, Math.min(Math.max(hidden, 0), 0.95), seed);
  drawImage($("masked"), state.image, mask);
  return mask;
}

function setRunning(running) {
  $("sgd-run").disabled = running || !state.image;
  $("sgd-stop").disabled = !running;
}

/** Blanks the completed image, the loss plot and the numbers of the last run, so none of them outlives it. */
function clearSgdResult(image, total = 1) {
  drawBlank($("completed"), image);
  state.loss = { epochs: [], values: [], total };
  drawLoss();
  for (const id of ["sgd-epoch", "sgd-loss", "sgd-hidden-error"]) {
    $(id).textContent = "–";
    delete $(id).dataset.value;
  }
}

/**
 * Ends a run at once by terminating its worker, dropping its result: for a new image or a
 * failed worker. (The Stop button asks the worker instead, and keeps the result so far.)
 */
function cancelSgd() {
  if (!state.sgdWorker) return;
  state.sgdWorker.terminate();
  state.sgdWorker = null;
  setRunning(false);
}

function runSgd() {
  const image = state.image;
  const settings = sgdSettings();
  const mask = drawMaskedPreview();
  cancelSgd();
  const worker = startWorker();
  state.sgdWorker = worker;
  // A new run starts clean: no result, number or message of the last one stays on screen.
  clearSgdResult(image, settings.epochs);
  setRunning(true);
  document.body.dataset.sgd = "running";
  setStatus("sgd", `Running ${settings.epochs} epochs at rank ${settings.rank}…`);

  worker.onerror = (event) => {
    workerFailed("sgd", event);
    document.body.dataset.sgd = "error";
    cancelSgd();
  };
  worker.onmessage = ({ data: msg }) => {
    if (worker !== state.sgdWorker) return;
    if (msg.type === "progress") {
      const { epochs, values } = state.loss;
      for (let i = 0; i < msg.points.length; i += 2) {
        epochs.push(msg.points[i]);
        values.push(msg.points[i + 1]);
      }
      if (values.length) {
        $("sgd-epoch").textContent = `${epochs[epochs.length - 1]} / ${settings.epochs}`;
        $("sgd-epoch").dataset.value = String(epochs[epochs.length - 1]);
        $("sgd-loss").textContent = values[values.length - 1].toPrecision(6);
      }
      drawLoss();
    } else if (msg.type === "sgd-done") {
      drawImage($("completed"), { width: image.width, height: image.height, data: msg.data });
      $("sgd-epoch").textContent = `${msg.epochs} / ${settings.epochs}`;
      $("sgd-epoch").dataset.value = String(msg.epochs);
      $("sgd-loss").textContent = msg.loss.toPrecision(6);
      $("sgd-loss").dataset.value = String(msg.loss);
      $("sgd-hidden-error").textContent = msg.hiddenError === null ? "no pixel hidden" : msg.hiddenError.toPrecision(4);
      if (msg.hiddenError !== null) $("sgd-hidden-error").dataset.value = String(msg.hiddenError);
      const time = `${(msg.ms / 1000).toFixed(2)} s`;
      setStatus("sgd", msg.stopped
        ? `Stopped after epoch ${msg.epochs} of ${settings.epochs} (${time}); the image is U Vᵀ at that epoch.`
        : `${msg.epochs} epochs in ${time}.`);
      state.sgdWorker = null;
      worker.terminate();
      setRunning(false);
      document.body.dataset.sgd = msg.stopped ? "stopped" : "done";
    } else if (msg.type === "error") {
      setStatus("sgd", `SGD failed: ${msg.message}`, { error: true, unexpected: msg.code === null });
      document.body.dataset.sgd = "error";
      cancelSgd();
    }
  };
  worker.postMessage({
    type: "sgd",
    width: image.width,
    height: image.height,
    data: image.data.slice(),
    mask,
    rank: settings.rank,
    epochs: settings.epochs,
    lr: settings.lr,
    lambda: settings.lambda,
    seed: settings.seed,
  }, [mask.buffer]);
}

$("sgd-form").addEventListener("submit", (event) => {
  event.preventDefault(); // the form only gathers inputs and their built-in validation
  if (state.image) runSgd();
});
$("sgd-stop").addEventListener("click", () => {
  if (!state.sgdWorker) return;
  // The worker ends the run between two chunks of epochs and sends U Vᵀ as it stands.
  state.sgdWorker.postMessage({ type: "stop" });
  $("sgd-stop").disabled = true;
  setStatus("sgd", "Stopping: the result at the last finished epoch follows…");
});
for (const id of ["hidden", "seed"]) {
  $(id).addEventListener("input", () => {
    if (state.image && !state.sgdWorker && $(id).checkValidity()) drawMaskedPreview();
  });
}

// ---------------------------------------------------------------------------------------------
// Image source

const SAMPLE_DESCRIPTION = "Built-in sample (demo/sample.js)";
$("use-sample").addEventListener("click", () => loadImage(sampleImage(), SAMPLE_DESCRIPTION));
$("file").addEventListener("change", async (event) => {
  const file = event.target.files?.[0];
  if (!file) return;
  try {
    const image = await imageFromFile(file);
    loadImage(image, image.scaled ? `${file.name}, scaled down to ${image.width}×${image.height}` : file.name);
  } catch {
    $("image-info").textContent = `Could not read ${file.name} as an image.`;
    $("image-info").classList.add("error");
  }
});

loadImage(sampleImage(), SAMPLE_DESCRIPTION);
