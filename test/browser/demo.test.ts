// The browser demo (demo/, `npm run demo`) in headless Chromium (test/browser/chromium.ts),
// against the built dist/: the SVD panel must show exactly what the library computes in Node
// for the same sample image, the SGD panel must run to the end with a falling loss, and the
// page must log no error.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
// @ts-expect-error plain JS module without type declarations
import { startServer } from "../../scripts/serve-demo.mjs";
// @ts-expect-error plain JS module without type declarations
import { sampleImage, sampleMask } from "../../demo/sample.js";
import { matrix, reconstruct, sgdFactoriseMasked, svd } from "../../dist/index.js";
import { launch } from "./chromium.js";
const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));
/** The SVD and a 2000-epoch SGD run each take well under a second; this only bounds a hang. */
const WAIT_MS = 60_000;

let server: { url: string; close(): Promise<void> } | undefined;
let browser: Awaited<ReturnType<typeof launch>> | undefined;
let page: Page;
/** Everything the page reported as going wrong: console errors, uncaught exceptions, failed requests. */
const problems: string[] = [];

/** Collects what goes wrong on `p` into {@link problems}. */
function watch(p: Page): void {
  p.on("console", (message) => {
    if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
  });
  p.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  p.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  p.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
}

/** The sample as the page shows it, with the mask the SGD panel's defaults draw (50 % hidden, seed 1). */
const sample = (): { width: number; height: number; data: Float64Array } => sampleImage();

/** How many different grey levels a canvas holds: more than a few means a picture, not a blank. */
async function greyLevels(selector: string): Promise<number> {
  return page.$eval(selector, (el) => {
    const canvas = el as HTMLCanvasElement;
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4) seen.add(data[i]);
    return seen.size;
  });
}

/** Gives the file input a PNG drawn by the browser itself with `draw` on a w×h canvas. */
async function pickImage(name: string, w: number, h: number, draw: string): Promise<void> {
  const dataUrl = await page.evaluate(({ w, h, draw }) => {
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    new Function("ctx", "w", "h", draw)(canvas.getContext("2d")!, w, h);
    return canvas.toDataURL("image/png");
  }, { w, h, draw });
  const buffer = Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
  await page.setInputFiles("#file", { name, mimeType: "image/png", buffer });
  await page.waitForFunction((shape) => document.getElementById("shape")?.textContent === shape, `(${h}×${w})`, { timeout: WAIT_MS });
  await page.waitForSelector('body[data-ready="svd"]', { state: "attached", timeout: WAIT_MS });
}

/** Sets a form input as a user would. */
async function setInput(id: string, value: string): Promise<void> {
  await page.fill(`#${id}`, value);
}

beforeAll(async () => {
  server = await startServer({ port: 0 });
  browser = await launch({ width: 1180, height: 1000 });
  const { context } = browser;
  page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  await page.goto(server!.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Moves the slider the way a user's drag ends: set the value, fire 'input'. */
async function setRank(k: number): Promise<void> {
  await page.$eval("#k", (el, value) => {
    (el as HTMLInputElement).value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, String(k));
  await page.waitForSelector(`#error[data-k="${k}"]`, { state: "attached", timeout: WAIT_MS });
}

/** ‖A − A_k‖_F / ‖A‖_F computed in Node from the same sample and the same library. */
function relativeErrorInNode(k: number): number {
  const image = sampleImage() as { width: number; height: number; data: Float64Array };
  const A = matrix(image.height, image.width, image.data);
  const { U, S, V } = svd(A, { k });
  const R = reconstruct(U!, S, V!);
  let residual = 0;
  let norm = 0;
  for (let i = 0; i < A.data.length; i++) {
    residual += (A.data[i] - R.data[i]) ** 2;
    norm += A.data[i] ** 2;
  }
  return Math.sqrt(residual) / Math.sqrt(norm);
}

describe("demo server", () => {
  test("redirects / to /demo/, serves JS and wasm with their MIME types, refuses paths outside the root", async () => {
    const origin = new URL(server!.url).origin;
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const root = await fetch(`${origin}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/demo/");
    for (const [path, type] of [["/demo/", "text/html"], ["/demo/main.js", "text/javascript"], ["/demo/demo.css", "text/css"],
      ["/dist/index.js", "text/javascript"], ["/build/release.wasm", "application/wasm"], ["/package.json", "application/json"]]) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toContain(type);
      // Cross-origin isolation, so the demo's pool gets shared memory (docs/parallel.md).
      expect(response.headers.get("cross-origin-opener-policy"), path).toBe("same-origin");
      expect(response.headers.get("cross-origin-embedder-policy"), path).toBe("require-corp");
    }
    // %2f is not a separator to the URL parser, so this reaches the server as ../ once decoded.
    expect((await fetch(`${origin}/demo/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(403);
    expect((await fetch(`${origin}/no-such-file.js`)).status).toBe(404);
  });
});

describe("demo page in Chromium", () => {
  test("the page is cross-origin isolated, so its SVD runs on a pool of navigator.hardwareConcurrency threads", async () => {
    const { isolated, cores, threads } = await page.evaluate(() => ({
      isolated: globalThis.crossOriginIsolated,
      cores: navigator.hardwareConcurrency,
      threads: Number(document.body.dataset.poolThreads),
    }));
    expect(isolated).toBe(true);
    expect(threads).toBe(cores);
    await page.waitForSelector('body[data-ready="svd"]', { state: "attached", timeout: WAIT_MS });
    expect(await page.textContent("#svd-status")).toContain(`on a pool of ${cores} threads`);
  });

  test("SVD panel: the relative error for each k is the library's, to 1e-9; the compression ratio is k(m+n+1)/(mn)", async () => {
    await page.waitForSelector('body[data-ready="svd"]', { state: "attached", timeout: WAIT_MS });
    const { width: n, height: m } = sampleImage() as { width: number; height: number };
    expect(await page.$eval("#k", (el) => Number((el as HTMLInputElement).max))).toBe(Math.min(m, n));
    for (const k of [5, 40]) {
      await setRank(k);
      const shown = Number(await page.$eval("#error", (el) => (el as HTMLElement).dataset.value));
      const expected = relativeErrorInNode(k);
      expect(Math.abs(shown - expected) / expected, `k = ${k}: page ${shown}, Node ${expected}`).toBeLessThan(1e-9);
      expect(await page.textContent("#error")).toBe(shown.toPrecision(6));
      expect(await page.textContent("#k-value")).toBe(String(k));
      expect(await page.textContent("#ratio")).toBe(((k * (m + n + 1)) / (m * n)).toFixed(4));
    }
  });

  test("SGD panel: the masked run ends, the loss curve fills in, and the loss falls", async () => {
    await page.waitForSelector("#sgd-run:enabled", { timeout: WAIT_MS });
    const epochs = Number(await page.inputValue("#epochs"));
    await page.click("#sgd-run");
    await page.waitForSelector('body[data-sgd="done"]', { state: "attached", timeout: WAIT_MS });
    const plot = await page.$eval("#loss-plot", (el) => ({ ...(el as HTMLElement).dataset }));
    // Progress is throttled into batches, but every epoch's point arrives.
    expect(Number(plot.points)).toBe(epochs);
    const first = Number(plot.first);
    const last = Number(plot.last);
    expect(Number.isFinite(first) && Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first);
    expect(Number(await page.$eval("#sgd-loss", (el) => (el as HTMLElement).dataset.value))).toBe(last);
    // The point of completion: the hidden pixels are guessed far better than by a flat grey.
    expect(Number(await page.textContent("#sgd-hidden-error"))).toBeLessThan(0.25);
  });

  test("screenshot of both panels → test/artifacts/demo.png: a full-page PNG with the rank-12 image drawn", async () => {
    await page.waitForSelector('body[data-ready="svd"]', { state: "attached", timeout: WAIT_MS });
    await setRank(12);
    // The reconstruction canvas holds a picture, not a blank: its grey levels vary.
    expect(await greyLevels("#svd-image")).toBeGreaterThan(16);
    const png = await page.screenshot({ fullPage: true });
    // PNG signature, then the IHDR chunk's width and height (big-endian) — the whole page.
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(png.readUInt32BE(16)).toBe(1180);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(await page.evaluate(() => document.body.scrollHeight));
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, "demo.png"), png);
  });

  test("a picked image file is drawn in grey and decomposed", async () => {
    // A 40×30 colour PNG made by the browser itself, handed to the file input.
    await pickImage("picked.png", 40, 30, `
      const gradient = ctx.createLinearGradient(0, 0, w, h);
      gradient.addColorStop(0, "#c03");
      gradient.addColorStop(1, "#0a4");
      ctx.fillStyle = gradient;
      ctx.fillRect(0, 0, w, h);`);
    const pixel = await page.$eval("#original", (el) => Array.from((el as HTMLCanvasElement).getContext("2d")!.getImageData(20, 15, 1, 1).data));
    expect(pixel[0]).toBe(pixel[1]);
    expect(pixel[1]).toBe(pixel[2]);
    expect(await page.$eval("#k", (el) => Number((el as HTMLInputElement).max))).toBe(30);
    expect(await page.textContent("#image-info")).toBe("picked.png");
  });

  test("the spectrum's axis stops at ε·σ₁: a rank-1 image's rounding-level values do not stretch it to 10⁻¹⁷ and below", async () => {
    // Horizontal stripes of grey: every row constant, so A has rank 1 and σ₂, σ₃, … are rounding noise.
    await pickImage("stripes.png", 40, 30, `
      for (let r = 0; r < h; r++) {
        const v = (r * 37) % 256;
        ctx.fillStyle = "rgb(" + v + "," + v + "," + v + ")";
        ctx.fillRect(0, r, w, 1);
      }`);
    // σ₁ of a rank-1 matrix is its Frobenius norm: from the grey levels on screen, no SVD needed.
    const sigma1 = await page.$eval("#original", (el) => {
      const canvas = el as HTMLCanvasElement;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += (data[i] / 255) ** 2;
      return Math.sqrt(sum);
    });
    expect(sigma1).toBeGreaterThan(1);
    const axis = await page.$eval("#spectrum", (el) => ({ ...(el as HTMLElement).dataset }));
    expect(Number(axis.axisMin)).toBeGreaterThanOrEqual(sigma1 * 1e-16);
    expect(Number(axis.axisMax)).toBeGreaterThanOrEqual(sigma1);
    // …while a spectrum with no rounding-level values keeps its whole range: the sample's ends a decade below its least σ.
    await page.click("#use-sample");
    await page.waitForSelector('body[data-ready="svd"]', { state: "attached", timeout: WAIT_MS });
    const { S } = svd(matrix(sample().height, sample().width, sample().data), { vectors: "none" });
    const least = S[S.length - 1];
    expect(least).toBeGreaterThan(S[0] * 2 ** -52);
    expect(Number(await page.$eval("#spectrum", (el) => (el as HTMLElement).dataset.axisMin))).toBe(10 ** Math.floor(Math.log10(least)));
  });

  test("Stop keeps the run so far: the completed image and its numbers are U Vᵀ at the last finished epoch", async () => {
    await page.click("#use-sample");
    await page.waitForSelector('body[data-ready="svd"]', { state: "attached", timeout: WAIT_MS });
    await page.waitForSelector("#sgd-run:enabled", { timeout: WAIT_MS });
    await setInput("epochs", "100000");
    await page.click("#sgd-run");
    await page.waitForFunction(() => Number(document.getElementById("sgd-epoch")?.dataset.value) >= 30, undefined, { timeout: WAIT_MS });
    await page.click("#sgd-stop");
    await page.waitForSelector('body[data-sgd="stopped"]', { state: "attached", timeout: WAIT_MS });
    const epoch = Number(await page.$eval("#sgd-epoch", (el) => (el as HTMLElement).dataset.value));
    const shownLoss = Number(await page.$eval("#sgd-loss", (el) => (el as HTMLElement).dataset.value));
    const shownHidden = Number(await page.$eval("#sgd-hidden-error", (el) => (el as HTMLElement).dataset.value));
    expect(epoch).toBeGreaterThanOrEqual(30);
    expect(epoch).toBeLessThan(100000);
    expect(await page.textContent("#sgd-status")).toMatch(new RegExp(`^Stopped after epoch ${epoch} of 100000 `));
    const plot = await page.$eval("#loss-plot", (el) => ({ ...(el as HTMLElement).dataset }));
    expect([Number(plot.points), Number(plot.last)]).toEqual([epoch, shownLoss]);
    expect(await greyLevels("#completed")).toBeGreaterThan(16);
    // The same run of `epoch` epochs in Node: the loss and the error on the hidden pixels the page shows.
    const { width, height, data } = sample();
    const mask = sampleMask(width, height, 0.5, 1) as Float64Array;
    const run = sgdFactoriseMasked(matrix(height, width, data), matrix(height, width, mask), 12, { epochs: epoch, lr: 0.01, lambda: 0.005, seed: 1 });
    expect(Math.abs(run.loss - shownLoss) / run.loss).toBeLessThan(1e-9);
    const R = reconstruct(run.U, run.V);
    let residual = 0;
    let norm = 0;
    mask.forEach((m, i) => {
      if (m !== 0) return;
      residual += (data[i] - R.data[i]) ** 2;
      norm += data[i] ** 2;
    });
    expect(Math.abs(Math.sqrt(residual / norm) - shownHidden)).toBeLessThan(1e-9);
    await setInput("epochs", "2000");
  });

  test("a new run clears the last run's error and numbers at once", async () => {
    await setInput("lr", "1000000");
    await page.click("#sgd-run");
    await page.waitForSelector('body[data-sgd="error"]', { state: "attached", timeout: WAIT_MS });
    expect(await page.textContent("#sgd-status")).toMatch(/^SGD failed: sgdFactoriseMasked diverged at epoch \d+/);
    expect(await page.$eval("#sgd-status", (el) => el.classList.contains("error"))).toBe(true);
    await setInput("lr", "0.01");
    await setInput("epochs", "100000");
    await page.click("#sgd-run");
    const fresh = await page.evaluate(() => ({
      status: document.getElementById("sgd-status")!.textContent,
      error: document.getElementById("sgd-status")!.classList.contains("error"),
      values: ["sgd-epoch", "sgd-loss", "sgd-hidden-error"].map((id) => document.getElementById(id)!.dataset.value ?? null),
    }));
    expect(fresh).toEqual({ status: "Running 100000 epochs at rank 12…", error: false, values: [null, null, null] });
    await page.click("#sgd-stop");
    await page.waitForSelector('body[data-sgd="stopped"]', { state: "attached", timeout: WAIT_MS });
    expect(await page.$eval("#sgd-status", (el) => el.classList.contains("error"))).toBe(false);
    await setInput("epochs", "2000");
  });

  test("the page fits a phone: at 390×844 nothing runs past the right edge", async () => {
    const phone = await browser!.context.newPage();
    watch(phone);
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(server!.url);
    await phone.waitForSelector('body[data-ready="svd"]', { state: "attached", timeout: WAIT_MS });
    const widths = await phone.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      widest: Math.max(...Array.from(document.querySelectorAll("body *"), (el) => el.getBoundingClientRect().right)),
      plot: document.getElementById("spectrum")!.getBoundingClientRect().width,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(390);
    expect(widths.widest).toBeLessThanOrEqual(390);
    expect(widths.plot).toBeGreaterThan(200); // shrunk to fit, not collapsed
    await phone.close();
  });

  test("the readers run in a browser: parseCsv and parseMatrixMarket from the shipped dist/index.js", async () => {
    // As text: vitest would rewrite an import() written in this file into its own loader.
    const read = await page.evaluate(`(async () => {
      const lib = await import("/dist/index.js");
      const csv = lib.parseCsv('x\\t"y, z"\\n1\\t2\\n3\\tNA\\n');
      const mm = lib.parseMatrixMarket("%%MatrixMarket matrix coordinate real symmetric\\n2 2 2\\n1 1 1\\n2 1 3\\n");
      let message = "";
      try {
        lib.parseCsv("1,2\\n3,\\x1b[31m\\n", { source: "page.csv" });
      } catch (error) {
        message = error.name + ": " + error.message;
      }
      return {
        csv: { rows: csv.rows, cols: csv.cols, data: Array.from(csv.data, (x) => (Number.isNaN(x) ? null : x)), header: csv.header, delimiter: csv.delimiter },
        mm: { row: Array.from(mm.row), col: Array.from(mm.col), value: Array.from(mm.value) },
        message,
      };
    })()`) as { csv: unknown; mm: unknown; message: string };
    expect(read.csv).toEqual({ rows: 2, cols: 2, data: [1, 2, 3, null], header: ["x", "y, z"], delimiter: "\t" });
    expect(read.mm).toEqual({ row: [0, 0, 1], col: [0, 1, 0], value: [1, 3, 3] });
    expect(read.message).toBe("ParseError: page.csv, line 2, column 2: '\\x1b[31m' is not a number; a cell must be a number, or blank, NA or NaN for a missing entry");
  });

  test("parseCsvBlocks reads a stream of text in a browser, and svdStream takes its blocks", async () => {
    const read = await page.evaluate(`(async () => {
      const lib = await import("/dist/index.js");
      const text = Array.from({ length: 40 }, (_, i) => [i % 7, (i * i) % 5, 3 - (i % 3)].join(",")).join("\\n");
      const stream = () => new Blob([text]).stream().pipeThrough(new TextDecoderStream());
      const rows = [];
      for await (const block of lib.parseCsvBlocks(stream(), { blockRows: 16 })) rows.push(block.rows);
      const streamed = await lib.svdStream(() => lib.parseCsvBlocks(stream(), { blockRows: 16, reuse: true }), { k: 2, seed: 3 });
      const inMemory = lib.svd(lib.parseCsv(text), { k: 2, method: "randomized", seed: 3 });
      return { rows, streamed: Array.from(streamed.S), inMemory: Array.from(inMemory.S) };
    })()`) as { rows: number[]; streamed: number[]; inMemory: number[] };
    expect(read.rows).toEqual([16, 16, 8]);
    expect(read.streamed).toEqual(read.inMemory);
  });

  test("the page logged no console error, uncaught exception or failed request", () => {
    expect(problems).toEqual([]);
  });
});
