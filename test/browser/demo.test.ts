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
import { sampleImage } from "../../demo/sample.js";
import { matrix, reconstruct, svd } from "../../dist/index.js";
import { launch } from "./chromium.js";
const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));
/** The SVD and a 2000-epoch SGD run each take well under a second; this only bounds a hang. */
const WAIT_MS = 60_000;

let server: { url: string; close(): Promise<void> } | undefined;
let browser: Awaited<ReturnType<typeof launch>> | undefined;
let page: Page;
/** Everything the page reported as going wrong: console errors, uncaught exceptions, failed requests. */
const problems: string[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0 });
  browser = await launch({ width: 1180, height: 1000 });
  const { context } = browser;
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
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
    }
    // %2f is not a separator to the URL parser, so this reaches the server as ../ once decoded.
    expect((await fetch(`${origin}/demo/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(403);
    expect((await fetch(`${origin}/no-such-file.js`)).status).toBe(404);
  });
});

describe("demo page in Chromium", () => {
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
    const levels = await page.$eval("#svd-image", (el) => {
      const canvas = el as HTMLCanvasElement;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add(data[i]);
      return seen.size;
    });
    expect(levels).toBeGreaterThan(16);
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
    const dataUrl = await page.evaluate(() => {
      const canvas = document.createElement("canvas");
      canvas.width = 40;
      canvas.height = 30;
      const ctx = canvas.getContext("2d")!;
      const gradient = ctx.createLinearGradient(0, 0, 40, 30);
      gradient.addColorStop(0, "#c03");
      gradient.addColorStop(1, "#0a4");
      ctx.fillStyle = gradient;
      ctx.fillRect(0, 0, 40, 30);
      return canvas.toDataURL("image/png");
    });
    const buffer = Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
    await page.setInputFiles("#file", { name: "picked.png", mimeType: "image/png", buffer });
    await page.waitForFunction(() => document.getElementById("shape")?.textContent === "(30×40)", undefined, { timeout: WAIT_MS });
    const pixel = await page.$eval("#original", (el) => Array.from((el as HTMLCanvasElement).getContext("2d")!.getImageData(20, 15, 1, 1).data));
    expect(pixel[0]).toBe(pixel[1]);
    expect(pixel[1]).toBe(pixel[2]);
    await page.waitForSelector('body[data-ready="svd"]', { state: "attached", timeout: WAIT_MS });
    expect(await page.$eval("#k", (el) => Number((el as HTMLInputElement).max))).toBe(30);
    expect(await page.textContent("#image-info")).toBe("picked.png");
  });

  test("the page logged no console error, uncaught exception or failed request", () => {
    expect(problems).toEqual([]);
  });
});
