// The second round's cases past dense, in-memory matrices (issue 15), in bench/run.mjs's case
// protocol: the randomised SVD of a 100 000 × 50 000 sparse matrix against scipy's svds (ARPACK,
// one thread) with its peak extra memory; svdStream of a 200 000 × 100 matrix made block by block,
// in a process of its own whose peak memory is measured; PCA against numpy's centred SVD.
//   npm run bench -- --only sparse    the sparse SVD        --only stream    svdStream
//   npm run bench -- --only pca       both PCA cases
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as lowrank from "../dist/index.js";
import { ratingsMatrix, streamRow } from "./matrices.mjs";
import { NativeCoordinates, NativeMatrix, probeScipy } from "./native.mjs";
import { orthogonalityError } from "./verify.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const MiB = 2 ** 20;

/** bench/child.mjs: a measurement in a process of its own (its peak resident set is the call's). */
function child(args) {
  const r = spawnSync(process.execPath, [join(HERE, "child.mjs"), ...args.map(String)], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`bench/child.mjs ${args[0]} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

/** ‖A v_i − σ_i u_i‖ / σ₁, the largest over i, with A a coordinate list (a plain loop). */
function sparseResidual(e, U, S, V) {
  const k = S.length;
  const av = new Float64Array(e.rows * k);
  for (let t = 0; t < e.value.length; t++) {
    const r = e.row[t] * k;
    const c = e.col[t] * k;
    for (let j = 0; j < k; j++) av[r + j] += e.value[t] * V.data[c + j];
  }
  let worst = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < e.rows; i++) s += (av[i * k + j] - S[j] * U.data[i * k + j]) ** 2;
    worst = Math.max(worst, Math.sqrt(s));
  }
  return worst / S[0];
}

export function sparseSvdCase() {
  const [m, n, nnz, k] = [100_000, 50_000, 2_000_000, 10];
  let e;
  return {
    id: "sparse-svd-100000x50000-k10",
    title: `randomised SVD, k = ${k}, of a ${m}×${n} sparse matrix with ${nnz / 1e6} M entries vs scipy's svds`,
    target: { ratio: 1, over: "scipy svds" },
    open(body) {
      e = ratingsMatrix(m, n, nnz);
      const scipy = probeScipy();
      const impls = [
        {
          key: "lowrank",
          label: "lowrank svd(entries, { k: 10, seed: 1 }): validate, copy in, CSR, 6 sparse products, copy out",
          fn: () => lowrank.svd(e, { k, seed: 1 }),
          check: (r, checks) => {
            // The same call in a fresh process: its peak resident set above the one before the call.
            const fresh = child(["sparse", m, n, nnz, k, 1, "verify"]);
            checks.atMost("lowrank", "peak resident memory of the call above the process's before it, fresh process (MiB; target ≤ 250)", fresh.extraMiB, 250);
            checks.that("lowrank", "the fresh process computed the same values", fresh.S.every((s, i) => s === r.S[i]), `${fresh.S} vs ${Array.from(r.S)}`);
            checks.note("lowrank", `fresh process: ${fresh.startMiB.toFixed(0)} MiB resident with the input built, peak ${fresh.peakMiB.toFixed(0)} MiB`);
            return r;
          },
        },
        {
          key: "lowrank q=4",
          label: "lowrank svd(entries, { k: 10, seed: 1, powerIterations: 4 }): 10 sparse products, more accurate",
          fn: () => lowrank.svd(e, { k, seed: 1, powerIterations: 4 }),
          check: (r) => r,
        },
      ];
      const skipped = [];
      let native;
      if (scipy.ok) {
        native = new NativeCoordinates(e, k, "sparse-svd");
        impls.push({
          key: "scipy svds",
          label: `scipy ${scipy.scipy} sparse.linalg.svds(A, k=10, tol=0) (ARPACK, 1 thread, same coordinates summed by coo.tocsr() untimed)`,
          native: { matrix: native, job: "svds" },
          check: (r, checks) => {
            checks.that("scipy svds", "read the same bytes (SHA-256)", r.sha256 === native.sha256, `helper read ${r.sha256}, wrote ${native.sha256}`);
            checks.atMost("scipy svds", "max ‖A vᵢ − σᵢ uᵢ‖ / σ₁", r.residual, 1e-10);
            checks.note("scipy svds", `peak memory svds allocates: ${r.extra_mib.toFixed(0)} MiB (tracemalloc)`);
            return { S: Float64Array.from(r.S) };
          },
        });
      } else {
        skipped.push(`scipy svds (${scipy.why})`);
      }
      try {
        return body(impls, skipped);
      } finally {
        native?.dispose();
        e = undefined;
      }
    },
    verify(checked, checks) {
      const exact = checked["scipy svds"]?.S;
      for (const who of ["lowrank", "lowrank q=4"]) {
        const r = checked[who];
        checks.atMost(who, "max |UᵀU − I|, |VᵀV − I|", Math.max(orthogonalityError(r.U), orthogonalityError(r.V)), 1e-12);
        const residual = sparseResidual(e, r.U, r.S, r.V);
        checks.note(who, `max ‖A vᵢ − σᵢ uᵢ‖ / σ₁ = ${residual.toExponential(1)} (a randomised sketch's residual, not rounding)`);
        if (!exact) continue;
        // Rayleigh–Ritz values from a subspace never exceed the true ones; how close they come
        // depends on the spectrum's decay and the power iterations.
        const below = r.S.every((s, i) => s <= exact[i] * (1 + 1e-12));
        checks.that(who, "every value ≤ svds' (Rayleigh–Ritz lower bounds)", below, `S ${Array.from(r.S)} vs ${Array.from(exact)}`);
        const rel = Array.from(r.S, (s, i) => (exact[i] - s) / exact[i]);
        checks.atMost(who, "σ₁ relative error against svds", rel[0], 1e-6);
        checks.note(who, `relative error of σ₁ … σ₁₀ against svds: ${rel.map((x) => x.toExponential(0)).join(" ")}`);
      }
    },
    ratios: [["scipy svds", "lowrank"], ["lowrank q=4", "lowrank"]],
  };
}

/** svdStream in a process of its own (bench/child.mjs), driven like the native helpers. */
class StreamProcess {
  constructor(m, n, k, block, seed) {
    this.args = ["stream", m, n, k, block, seed];
  }
  verify() {
    return child([...this.args, "verify"]);
  }
  round(_job, maxTime, minSamples) {
    return child([...this.args, "time", maxTime, minSamples]);
  }
}

export function streamCase() {
  const [m, n, k, block, seed] = [200_000, 100, 10, 1000, 1];
  const matrixBytes = m * n * 8;
  let A;
  const child = new StreamProcess(m, n, k, block, seed);
  return {
    id: "stream-svd-200000x100-k10",
    title: `svdStream, k = ${k}, of a ${m}×${n} matrix made ${block} rows at a time (a process of its own) vs the in-memory randomised SVD`,
    open(body) {
      A = { rows: m, cols: n, data: new Float64Array(m * n) };
      for (let r = 0; r < m; r++) streamRow(r, n, A.data, r * n);
      try {
        return body([
          {
            key: "lowrank",
            label: "lowrank svd(A, { k: 10, method: 'randomized', seed: 1 }): A (153 MiB) in memory, whole call",
            fn: () => lowrank.svd(A, { k, method: "randomized", seed }),
            check: (r) => r,
          },
          {
            key: "svdStream",
            label: `lowrank svdStream(readBlocks, { k: 10, seed: 1 }) in a child process: blocks of ${block} rows made on each of the 7 passes (generation included)`,
            native: { matrix: child, job: "stream" },
            check: (r, checks) => {
              checks.that("svdStream", "readBlocks called once per pass: 2q + 3 = 7", r.passes === 7, `${r.passes} passes`);
              checks.atMost("svdStream", `peak resident memory of the whole process (MiB; the matrix alone is ${(matrixBytes / MiB).toFixed(0)} MiB)`, r.peakMiB, matrixBytes / MiB);
              checks.note("svdStream", `process resident ${r.startMiB.toFixed(0)} MiB before the call, peak ${r.peakMiB.toFixed(0)} MiB`);
              return r;
            },
          },
        ], []);
      } finally {
        A = undefined;
      }
    },
    verify(checked, checks) {
      const mem = checked.lowrank;
      const streamed = checked.svdStream;
      const bound = m * 2 ** -52 * mem.S[0];
      checks.atMost("svdStream", "max |S − S_in-memory| (allowed m·ε·σ₁)", Math.max(...streamed.S.map((s, i) => Math.abs(s - mem.S[i]))), bound);
      checks.atMost("svdStream", "first 5 rows of U vs in-memory: max |Δ|", Math.max(...streamed.U0.map((u, i) => Math.abs(u - mem.U.data[i]))), 1e-10);
    },
    ratios: [["svdStream", "lowrank"]],
  };
}

/** PCA of X (m×n) against numpy's centred SVD: dense exact to 1e-10, randomised on low-rank data to 1e-8. */
function pcaCase({ id, title, X, k, opts, tol, label, numpy }) {
  const { rows: m, cols: n } = X;
  return {
    id,
    title,
    open(body) {
      const impls = [{ key: "lowrank", label, fn: () => lowrank.pca(X, { k, ...opts }), check: (r) => r }];
      let native;
      if (numpy.ok) {
        native = new NativeMatrix(X, id);
        impls.push({
          key: "numpy",
          label: "numpy: X − mean, numpy.linalg.svd(full_matrices=False) (LAPACK dgesdd, 1 thread), svd_flip, scores U·S",
          native: { matrix: native, job: "pca" },
          check: (r, checks) => {
            checks.that("numpy", "read the same bytes (SHA-256)", r.sha256 === native.sha256, `helper read ${r.sha256}, wrote ${native.sha256}`);
            return r;
          },
        });
      }
      try {
        return body(impls, numpy.ok ? [] : [`numpy (${numpy.why})`]);
      } finally {
        native?.dispose();
      }
    },
    verify(checked, checks) {
      const ours = checked.lowrank;
      const ref = checked.numpy;
      if (!ref) return;
      const rel = (a, b) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]))) / Math.max(...b.map(Math.abs));
      const p = Math.min(m, n);
      const components = ref.components.filter((_, i) => i % p < k);
      const head = ref.scores_head.filter((_, i) => i % p < k);
      checks.atMost("lowrank", "components vs numpy (relative to the largest)", rel(ours.components.data, components), tol);
      checks.atMost("lowrank", "explained variance vs numpy", rel(ours.explainedVariance, ref.explained_variance.slice(0, k)), tol);
      checks.atMost("lowrank", "scores, first 5 rows, vs numpy", rel(ours.scores.data.subarray(0, 5 * k), head), tol);
      checks.atMost("lowrank", "mean vs numpy", rel(ours.mean, ref.mean), tol);
    },
  };
}

export function pcaCases(randomMatrix, numpy) {
  const [m, n] = [2000, 200];
  const dense = randomMatrix(m, n, 21);
  for (let i = 0; i < dense.data.length; i++) dense.data[i] = dense.data[i] * (1 + (i % n) / 10) + (i % n) - 50;
  // Rank 10 plus column means: B (m×10) · C (10×n) with decaying column weights.
  const B = randomMatrix(m, 10, 23);
  const C = randomMatrix(10, n, 29);
  const lowRank = { rows: m, cols: n, data: new Float64Array(m * n) };
  for (let i = 0; i < m; i++) {
    for (let t = 0; t < 10; t++) {
      const b = B.data[i * 10 + t] * 2 ** -t;
      for (let j = 0; j < n; j++) lowRank.data[i * n + j] += b * C.data[t * n + j];
    }
    for (let j = 0; j < n; j++) lowRank.data[i * n + j] += j;
  }
  return [
    pcaCase({ id: "pca-exact-2000x200", title: "PCA 2000×200, all 200 components (exact) vs numpy's centred SVD", X: dense, k: n, opts: {}, tol: 1e-10,
      label: "lowrank pca(X): centre in wasm memory, exact thin SVD, signs, scores", numpy }),
    pcaCase({ id: "pca-randomized-2000x200-rank10", title: "randomised PCA, k = 10, of 2000×200 rank-10 data vs numpy's full centred SVD", X: lowRank, k: 10,
      opts: { method: "randomized", seed: 1 }, tol: 1e-8, label: "lowrank pca(X, { k: 10, method: 'randomized', seed: 1 })", numpy }),
  ];
}
