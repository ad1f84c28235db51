// test/browser/pool.test.ts loads this page from a server with and without cross-origin
// isolation. It runs the same calls as the test then runs in Node and reports everything it saw
// in window.poolResults (plain arrays, so the test can compare doubles exactly).
import { createPool, FactorisationError } from "/dist/index.js";
import { randomMatrix as random } from "/bench/random.mjs";

const LAB = [[0.3374, 0.6005, 0.1735], [3.3359, 0.0492, 1.8374], [2.9407, 0.5301, 2.262]];

async function run() {
  const results = { crossOriginIsolated: globalThis.crossOriginIsolated === true, hardwareConcurrency: navigator.hardwareConcurrency };
  const pool = createPool();
  const single = createPool({ threads: 1 });
  results.threads = pool.threads;
  results.singleThreads = single.threads;
  const svd = await pool.svd(random(120, 90, 3));
  results.svd = { S: Array.from(svd.S), U: Array.from(svd.U.data), V: Array.from(svd.V.data) };
  const sparse = { rows: 30, cols: 20, row: [0, 3, 7, 12, 29, 5, 18, 22, 9, 14], col: [1, 4, 19, 0, 7, 7, 11, 2, 15, 6], value: [1, -2, 3, 0.5, 4, -1, 2, 6, -3, 1.5] };
  const pca = await pool.pca(sparse, { k: 3, seed: 7 });
  results.pca = { components: Array.from(pca.components.data), singularValues: Array.from(pca.singularValues) };
  const losses = [];
  const stopped = await single.sgdFactorise(LAB, 2, { seed: 1, epochs: 1000, onEpoch: (e, loss) => { losses.push(loss); return e === 300 ? false : undefined; } });
  results.sgd = { U: Array.from(stopped.U.data), V: Array.from(stopped.V.data), loss: stopped.loss, epochs: stopped.epochs, losses };
  const controller = new AbortController();
  const long = pool.svd(random(700, 700, 4), { signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  try {
    await long;
    results.abort = "resolved";
  } catch (error) {
    results.abort = error instanceof FactorisationError ? error.code : String(error);
  }
  const after = await pool.svd(random(50, 40, 5), { vectors: "none" });
  results.after = Array.from(after.S);
  try {
    await pool.sgdFactorise(LAB, 9);
  } catch (error) {
    results.error = { code: error.code, message: error.message };
  }
  await Promise.all([pool.close(), single.close()]);
  return results;
}

run().then((results) => {
  window.poolResults = results;
  document.body.dataset.done = "yes";
}, (error) => {
  window.poolResults = { failed: `${error.name}: ${error.message}` };
  document.body.dataset.done = "yes";
});
