// createPool in headless Chromium (test/browser/chromium.ts), from pool-page.html: on a page
// that is not cross-origin isolated (no SharedArrayBuffer: one ordinary worker, threads 1) and
// on one that is (the team of workers over shared memory). What the page computes must equal
// the synchronous library in Node: the SVD and a sparse pca bit for bit, the SGD run that onEpoch
// stopped at epoch 300 bit for bit (on the lone worker the pool reruns it to that epoch).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
// @ts-expect-error plain JS module without type declarations
import { startServer } from "../../scripts/serve-demo.mjs";
import { pca, sgdFactorise, svd, type Matrix } from "../../dist/index.js";
import { randomMatrix } from "../../bench/random.mjs";
import { launch } from "./chromium.js";

const WAIT_MS = 60_000;
const LAB = [[0.3374, 0.6005, 0.1735], [3.3359, 0.0492, 1.8374], [2.9407, 0.5301, 2.262]];

const random = (m: number, n: number, seed: number): Matrix => randomMatrix(m, n, seed);

interface PageResults {
  failed?: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  threads: number;
  singleThreads: number;
  svd: { S: number[]; U: number[]; V: number[] };
  pca: { components: number[]; singularValues: number[] };
  sgd: { U: number[]; V: number[]; loss: number; epochs: number; losses: number[] };
  abort: string;
  after: number[];
  error: { code: string; message: string };
}

let browser: Awaited<ReturnType<typeof launch>> | undefined;
const servers: { url: string; close(): Promise<void> }[] = [];
beforeAll(async () => {
  browser = await launch({ width: 800, height: 600 });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function resultsOf(isolated: boolean): Promise<{ results: PageResults; problems: string[] }> {
  const server = await startServer({ port: 0, isolated });
  servers.push(server);
  const page: Page = await browser!.context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(new URL("/test/browser/pool-page.html", server.url).href);
  await page.waitForSelector('body[data-done="yes"]', { state: "attached", timeout: WAIT_MS });
  const results = (await page.evaluate(() => (window as unknown as { poolResults: unknown }).poolResults)) as PageResults;
  await page.close();
  return { results, problems };
}

function expectSameAsNode(r: PageResults): void {
  expect(r.failed).toBeUndefined();
  const A = random(120, 90, 3);
  const want = svd(A);
  expect(r.svd.S).toEqual(Array.from(want.S));
  expect(r.svd.U).toEqual(Array.from(want.U!.data));
  expect(r.svd.V).toEqual(Array.from(want.V!.data));
  const sparse = { rows: 30, cols: 20, row: [0, 3, 7, 12, 29, 5, 18, 22, 9, 14], col: [1, 4, 19, 0, 7, 7, 11, 2, 15, 6], value: [1, -2, 3, 0.5, 4, -1, 2, 6, -3, 1.5] };
  const p = pca(sparse, { k: 3, seed: 7 });
  expect(r.pca.components).toEqual(Array.from(p.components.data));
  expect(r.pca.singularValues).toEqual(Array.from(p.singularValues));
  const losses: number[] = [];
  sgdFactorise(LAB, 2, { seed: 1, epochs: 300, onEpoch: (_e, loss) => void losses.push(loss) });
  const straight = sgdFactorise(LAB, 2, { seed: 1, epochs: 300 });
  expect(r.sgd.epochs).toBe(300);
  expect(r.sgd.losses).toEqual(losses);
  expect(r.sgd.U).toEqual(Array.from(straight.U.data));
  expect(r.sgd.V).toEqual(Array.from(straight.V.data));
  expect(r.sgd.loss).toBe(straight.loss);
  expect(r.abort).toBe("ABORTED");
  expect(r.after).toEqual(Array.from(svd(random(50, 40, 5), { vectors: "none" }).S));
  expect(r.error).toEqual({ code: "RANK", message: "rank must be an integer in [1, 3] for a 3×3 matrix; got 9" });
}

describe("createPool in Chromium", () => {
  test("a page that is not cross-origin isolated: no shared memory, one worker, threads 1, the same results", async () => {
    const { results, problems } = await resultsOf(false);
    expect(results.crossOriginIsolated).toBe(false);
    expect(results.threads).toBe(1);
    expect(results.singleThreads).toBe(1);
    expectSameAsNode(results);
    expect(problems).toEqual([]);
  });

  test("a cross-origin isolated page (npm run demo's headers): a team of navigator.hardwareConcurrency threads, the same results", async () => {
    const { results, problems } = await resultsOf(true);
    expect(results.crossOriginIsolated).toBe(true);
    expect(results.threads).toBe(results.hardwareConcurrency);
    expect(results.singleThreads).toBe(1);
    expectSameAsNode(results);
    expect(problems).toEqual([]);
  });
});
