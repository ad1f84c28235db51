// lowrank's benchmark suite. Every case first runs lowrank and each peer once and checks the
// answer (bench/verify.mjs: singular values against each other and against ‖A‖_F, residual and
// orthogonality of returned vectors; SGD losses recomputed, decreasing, and equal to the plain-JS
// loop's from the same start); a failed check fails the case, which is then not timed, and the
// run exits 1. Then R rounds (--rounds, default 5, 3 with --quick), each timing every
// implementation in turn (the order rotates from round to round) with Benchmark.js, or as one
// directly timed call when a call outlasts the round's budget; a time is the median of the
// per-round medians with their min–max, a ratio likewise from the per-round ratios.
// Labels say what each row times: lowrank's whole call (validation, copy in, kernel, copy
// out), the raw kernel export on data already in wasm memory (SGD "kernel only"), peers, the
// plain-JS SGD loop, and, when python3 has numpy, numpy.linalg.svd (LAPACK dgesdd) on one
// thread on the same bytes (bench/numpy_svd.py), whose ratio is lowrank / numpy.
//   npm run bench                 every case, peers up to 1024² (~15 min on an idle 2-core machine)
//   npm run bench -- --quick      peers up to 512², 3 short rounds (~3 min)
//   npm run bench -- --only sgd   cases whose id contains "sgd"
//   npm run bench -- --rounds 9   rounds per case (default 5; 3 with --quick)
//   npm run bench -- --save       write bench/results/latest.json + latest.svg (tracked; a whole
//                                 run only); without it results go to bench/results/local/ (untracked)
//   npm run bench -- --pool       bench/pool.mjs: createPool vs the synchronous API (thin SVD 1024²,
//                                 sparse SGD 1.2 M entries k 32), event-loop gap, abort latency
//   npm run bench -- --kernel     bench/kernel.mjs: svdDecompose through build/release.wasm's raw
//                                 exports (--rounds, --calls per round, default 7; --wasm FILE for
//                                 another build, e.g. a saved one for a before/after), the source
//                                 of docs/performance.md's SVD tables
import Benchmark from "benchmark";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as lowrank from "../dist/index.js";
import { InfoBytes, reserve, withKernel } from "../dist/kernel.js";
import { sgdDenseJs, sgdSparseJs } from "./baseline.mjs";
import { lineChartSvg } from "./chart.mjs";
import { NativeMatrix, probeNumpy } from "./native.mjs";
import { nested, peerSvd } from "./peers.mjs";
import { pcaCases, sparseSvdCase, streamCase } from "./sparse.mjs";
import { fmtRatio, fmtSpread, fmtTime, spread } from "./stats.mjs";
import {
  CheckFailure, Checks, EPS, SVD_TOL_FACTOR, checkSgd, checkSvd, checkValuesAgree, denseLoss, fro, orthogonalityError,
  sameBits, sparseLoss, svdResidual,
} from "./verify.mjs";
import { randomMatrix } from "./random.mjs";

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string", default: "" },
    rounds: { type: "string" },
    save: { type: "boolean", default: false },
    kernel: { type: "boolean", default: false },
    pool: { type: "boolean", default: false },
    calls: { type: "string", default: "7" },
    wasm: { type: "string" },
  },
});
/** Rounds per case: enough for a spread; --quick keeps a slow peer to 4 calls (1 checked + 3 timed). */
const rounds = Number(opts.rounds ?? (opts.quick && !opts.kernel ? 3 : 5));
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer; got ${opts.rounds}`);
const { quick, only, save } = opts;
if (save && only) throw new Error("--save records a whole run; drop --only (a partial run goes to bench/results/local/)");
const here = dirname(fileURLToPath(import.meta.url));
const outDir = save ? join(here, "results") : join(here, "results", "local");

if (opts.pool) {
  const { runPoolBench } = await import("./pool.mjs");
  await runPoolBench({ rounds, only, outDir });
  process.exit(process.exitCode ?? 0);
}

if (opts.kernel) {
  const { runKernelBench } = await import("./kernel.mjs");
  runKernelBench({ rounds, calls: Number(opts.calls), only, outDir, wasm: opts.wasm });
  process.exit(0);
}

/** Benchmark.js budget of one round of one implementation: stop after this many seconds… */
const ROUND_MAX_TIME = quick ? 0.1 : 0.5;
/** …and at least this many samples, unless one call already takes longer than the budget. */
const ROUND_MIN_SAMPLES = quick ? 3 : 5;
/** Benchmark.js' default minimum time of one sample (calls are repeated up to it). */
const MIN_SAMPLE_TIME = 0.05;
/** Peers are run on square matrices up to this size (a 1024² peer SVD takes 10–15 s a call). */
const PEERS_UP_TO = quick ? 512 : 1024;

const LAB = [[0.3374, 0.6005, 0.1735], [3.3359, 0.0492, 1.8374], [2.9407, 0.5301, 2.262]];

const numpy = probeNumpy();
const NATIVE_LABEL = "numpy.linalg.svd (LAPACK dgesdd, 1 thread, same bytes)";
const NATIVE_JOB = { none: "values", thin: "thin", full: "full" };

// ─── SVD cases ──────────────────────────────────────────────────────────────────────────────

/** An exact SVD case. `slowPeers`: why peers are left out of --quick although the shape is small. */
function svdCase(m, n, mode, target, slowPeers) {
  const A = randomMatrix(m, n);
  const kind = mode === "none" ? "values" : mode;
  const id = `svd-${kind}-${m}x${n}`;
  const withPeers = (Math.max(m, n) <= PEERS_UP_TO || m !== n) && !(quick && slowPeers);
  return {
    id,
    title: `${mode === "none" ? "values-only" : mode} SVD ${m}×${n}`,
    n: m === n ? n : undefined,
    target,
    open(body) {
      const impls = [{
        key: "lowrank",
        label: `lowrank svd(A, { vectors: "${mode}" }): validate, copy in, kernel, copy out`,
        fn: () => lowrank.svd(A, { vectors: mode }),
        check: (r, checks) => { checkSvd(checks, "lowrank", A, r, mode); return r.S; },
      }];
      const skipped = [];
      if (withPeers) {
        const rows = nested(A);
        for (const [name, peer] of Object.entries(peerSvd)) {
          if (!peer.modes.includes(mode)) { skipped.push(`${name} (no ${mode} mode)`); continue; }
          impls.push({
            key: name,
            label: peer.label?.(mode) ?? name,
            fn: () => peer.run(rows, mode),
            check: (raw, checks) => {
              const r = peer.extract(raw, mode);
              if (r.sorted) checks.note(name, "values came back unsorted (as documented); sorted, with U, V columns, outside the timing before the checks");
              checkSvd(checks, name, A, r, peer.returns?.(mode) ?? mode);
              return r.S;
            },
          });
        }
      } else {
        skipped.push(slowPeers && quick ? `peers (${slowPeers}; full run only)` : `peers (only up to ${PEERS_UP_TO}² square${quick ? " with --quick" : ""})`);
      }
      let native;
      if (numpy.ok) {
        native = new NativeMatrix(A, id);
        const job = NATIVE_JOB[mode];
        impls.push({
          key: "numpy",
          label: `${NATIVE_LABEL}${job === "values" ? ", compute_uv=False" : job === "full" ? ", full_matrices=True" : ""}`,
          native: { matrix: native, job },
          check: (r, checks) => checkNumpy(checks, A, r, native, mode),
        });
      }
      try {
        return body(impls, skipped);
      } finally {
        native?.dispose();
      }
    },
    /** Values of every implementation agree pairwise; values-only cases add lowrank's thin path (untimed). */
    verify(checked, checks) {
      const values = { ...checked };
      if (mode === "none") values["lowrank thin (untimed)"] = lowrank.svd(A, { vectors: "thin" }).S;
      checkValuesAgree(checks, A, values);
    },
  };
}

/** numpy's run, checked like the others: same bytes, one thread, its S here, residual and orthogonality from the helper. */
function checkNumpy(checks, A, r, native, mode) {
  checks.that("numpy", "read the same bytes (SHA-256)", r.sha256 === native.sha256, `helper read ${r.sha256}, wrote ${native.sha256}`);
  if (r.threads !== null) checks.that("numpy", "OpenBLAS on 1 thread", r.threads === 1, `OpenBLAS reports ${r.threads} threads`);
  const S = Float64Array.from(r.S);
  checkSvd(checks, "numpy", A, { S }, "none");
  if (mode !== "none") {
    const tol = SVD_TOL_FACTOR * Math.max(A.rows, A.cols) * EPS;
    const p = Math.min(A.rows, A.cols);
    const [ucols, vcols] = mode === "full" ? [A.rows, A.cols] : [p, p];
    checks.that("numpy", `U ${A.rows}×${ucols}, V ${A.cols}×${vcols}`, r.shape.U[1] === ucols && r.shape.V[1] === vcols, JSON.stringify(r.shape));
    checks.atMost("numpy", "‖A − UΣVᵀ‖_F / ‖A‖_F", r.residual, tol);
    checks.atMost("numpy", "max |UᵀU − I|, |VᵀV − I|", r.orthogonality, tol);
  }
  return S;
}

function randomizedCase() {
  // Rank 10 plus small noise, 2000×500.
  const [m, n, k] = [2000, 500, 10];
  const B = randomMatrix(m, k, 11);
  const C = randomMatrix(k, n, 13);
  const A = lowrank.reconstruct(B, lowrank.matrix(n, k, (() => {
    const t = new Float64Array(n * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) t[j * k + i] = C.data[i * n + j];
    return t;
  })()));
  const noise = randomMatrix(m, n, 17);
  for (let i = 0; i < A.data.length; i++) A.data[i] += 1e-6 * noise.data[i];
  return {
    id: "svd-randomized-2000x500-k10",
    title: "top-10 SVD 2000×500: randomized vs exact thin",
    target: { ratio: 10, over: "exact thin" },
    open: (body) => body([
      {
        key: "lowrank",
        label: "lowrank svd(A, { k: 10, method: \"randomized\" }): whole call",
        fn: () => lowrank.svd(A, { k, method: "randomized", seed: 1 }),
        check: (r) => r,
      },
      {
        key: "exact thin",
        label: "lowrank svd(A, { k: 10 }): exact thin, whole call",
        fn: () => lowrank.svd(A, { k }),
        check: (r) => r,
      },
    ], []),
    verify(checked, checks) {
      // The reference: every singular value of A from the exact values-only path (untimed),
      // itself checked against ‖A‖_F.
      const exact = lowrank.svd(A, { vectors: "none" });
      checkSvd(checks, "lowrank values (untimed)", A, exact, "none");
      const tol = SVD_TOL_FACTOR * Math.max(m, n) * EPS;
      let tail = 0;
      for (let i = k; i < exact.S.length; i++) tail += exact.S[i] ** 2;
      tail = Math.sqrt(tail); // ‖A − A_k‖_F, the Eckart–Young optimum
      for (const [who, r] of Object.entries(checked)) {
        // The randomized values lie within ‖A − QQᵀA‖₂ ≲ σ_{k+1} of the exact ones (Weyl);
        // the exact truncation within rounding.
        const slack = who === "lowrank" ? exact.S[k] : 0;
        checks.that(who, `U ${m}×${k}, S ${k}, V ${n}×${k}`, r.U.rows === m && r.U.cols === k && r.S.length === k && r.V.rows === n && r.V.cols === k,
          `U ${r.U.rows}×${r.U.cols}, S ${r.S.length}, V ${r.V.rows}×${r.V.cols}`);
        let worst = 0;
        for (let i = 0; i < k; i++) worst = Math.max(worst, Math.abs(r.S[i] - exact.S[i]));
        checks.atMost(who, "top-k values vs all exact values: max |Δσ| (allowed tol·σ₁ + σ_{k+1} for randomized)", worst, tol * exact.S[0] + slack);
        checks.atMost(who, "max |UᵀU − I|, |VᵀV − I|", Math.max(orthogonalityError(r.U), orthogonalityError(r.V)), tol);
        // Residual over the Eckart–Young optimum: randomized within 1 % of it, exact to rounding.
        const excess = Math.abs(svdResidual(A, r.U, r.S, r.V) - tail);
        checks.atMost(who, "|‖A − U_kΣ_kV_kᵀ‖_F − ‖A − A_k‖_F| (allowed tol·‖A‖_F, + 1 % of ‖A − A_k‖_F for randomized)", excess,
          (who === "lowrank" ? 0.01 * tail : 0) + tol * fro(A.data));
      }
    },
  };
}

// ─── SGD cases ──────────────────────────────────────────────────────────────────────────────

const f64At = (kx, ptr, count) => new Float64Array(kx.memory.buffer, ptr, count);
const i32At = (kx, ptr, count) => new Int32Array(kx.memory.buffer, ptr, count);
const concat = (a, b) => { const out = new Float64Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; };

/**
 * The three SGD rows from one start: lowrank's loss finite, equal to ‖A − UVᵀ‖² recomputed in
 * JS and below the start's; the plain-JS loop's factors and loss equal to lowrank's (rounding
 * aside); the kernel-only call's factors equal to lowrank's whole call, bit for bit.
 */
function verifySgd(checked, checks, lossOf, start) {
  const r = checked.lowrank;
  const js = checked["plain JS"];
  checkSgd(checks, "plain JS", lossOf, start, js);
  checkSgd(checks, "lowrank", lossOf, start, { U: r.U.data, V: r.V.data, loss: r.loss }, { name: "plain JS", ...js });
  checks.that("kernel only", "U, V = lowrank's whole call, bit for bit", sameBits(checked["kernel only"], concat(r.U.data, r.V.data)), "factors differ");
}

/**
 * A dense SGD case: lowrank's whole call, the sgdDense export on A already resident in wasm
 * memory (the case holds that workspace for all its rounds; lowrank's own calls lay out above
 * it), and the plain-JS loop from the same seeded start.
 */
function denseSgdCase({ id, title, A, m, n, k, epochs, lr, seed, whole, wholeLabel, target }) {
  const count = (m + n) * k;
  return {
    id, title, target,
    open: (body) => withKernel((kx) => {
      const [pa, puv, pinfo] = reserve([m * n * 8, count * 8, InfoBytes.SGD], `bench ${id}`);
      f64At(kx, pa, m * n).set(A);
      kx.fillUniform(puv, count, seed);
      const start = f64At(kx, puv, count).slice();
      const [U0, V0] = [start.subarray(0, m * k), start.subarray(m * k)];
      const [U, V] = [new Float64Array(m * k), new Float64Array(n * k)];
      const lossOf = (u, v) => denseLoss(A, m, n, k, u, v);
      return body([
        {
          key: "lowrank",
          label: wholeLabel,
          fn: whole,
          check: (r) => r,
        },
        {
          key: "kernel only",
          label: `kernel only: fillUniform + sgdDense export, ${epochs} epoch${epochs > 1 ? "s" : ""}, A resident (no validation, copies or loss)`,
          fn: () => { kx.fillUniform(puv, count, seed); return kx.sgdDense(pa, m, n, k, puv, puv + m * k * 8, epochs, lr, 0, 0, 0, pinfo); },
          check: (status, checks) => {
            checks.that("kernel only", "status OK", status === 0, `status ${status}`);
            return f64At(kx, puv, count).slice();
          },
        },
        {
          key: "plain JS",
          label: `plain JS loop: same start, ${epochs} epoch${epochs > 1 ? "s" : ""} (no validation, copies or loss)`,
          fn: () => { U.set(U0); V.set(V0); sgdDenseJs(A, m, n, k, U, V, epochs, lr); },
          check: () => ({ U: U.slice(), V: V.slice() }),
        },
      ], [], (checked, checks) => verifySgd(checked, checks, lossOf, { U: U0, V: V0 }));
    }),
    ratios: [["plain JS", "lowrank"], ["plain JS", "kernel only"]],
  };
}

function sgdEpochCase(m, n, k, target) {
  const A = randomMatrix(m, n, 7);
  const [epochs, lr, seed] = [1, 1e-4, 1];
  return denseSgdCase({
    id: `sgd-epoch-${m}x${n}-k${k}`,
    title: `SGD one epoch ${m}×${n} k=${k}`,
    A: A.data, m, n, k, epochs, lr, seed, target,
    whole: () => lowrank.sgdFactorise(A, k, { epochs, lr, seed }),
    wholeLabel: "lowrank sgdFactorise(): validate, copy A in, seeded start, 1 epoch, final loss, copy U, V out",
  });
}

function labCase() {
  return denseSgdCase({
    id: "lab-run",
    title: "the lab's whole run (3×3, k=2, 1000 epochs)",
    A: Float64Array.from(LAB.flat()), m: 3, n: 3, k: 2, epochs: 1000, lr: 0.01, seed: 1,
    whole: () => lowrank.sgdFactorise(LAB, 2, { seed: 1 }),
    wholeLabel: "lowrank sgdFactorise(LAB, 2): validate, copy in, seeded start, 1000 epochs, final loss, copy out",
    target: { absolute: 50e-6, note: "≤ 50 µs per call" },
  });
}

function maskedCase(m, n, k, fraction) {
  const A = randomMatrix(m, n, 3);
  const M = randomMatrix(m, n, 5);
  for (let i = 0; i < M.data.length; i++) M.data[i] = M.data[i] < fraction * 2 - 1 ? 1 : 0;
  const row = [];
  const col = [];
  const value = [];
  M.data.forEach((x, i) => { if (x) { row.push(Math.floor(i / n)); col.push(i % n); value.push(A.data[i]); } });
  const [r32, c32, v64] = [Int32Array.from(row), Int32Array.from(col), Float64Array.from(value)];
  const nnz = v64.length;
  const [epochs, lr, seed] = [1, 1e-4, 1];
  const count = (m + n) * k;
  const lossOf = (u, v) => sparseLoss(r32, c32, v64, k, u, v);
  return {
    id: `sgd-masked-${m}x${n}-k${k}-${fraction * 100}pct`,
    title: `masked SGD epoch ${fraction * 100} % of ${m}×${n} k=${k}`,
    open: (body) => withKernel((kx) => {
      const size = m * n;
      const [pa, pm, pr, pc, pv, puv, pinfo] = reserve([size * 8, size * 8, size * 4, size * 4, size * 8, count * 8, InfoBytes.SGD], "bench masked");
      f64At(kx, pa, size).set(A.data);
      f64At(kx, pm, size).set(M.data);
      const gathered = kx.gatherObserved(pa, pm, m, n, pr, pc, pv); // set-up, not timed
      kx.fillUniform(puv, count, seed);
      const start = f64At(kx, puv, count).slice();
      const [U0, V0] = [start.subarray(0, m * k), start.subarray(m * k)];
      const [U, V] = [new Float64Array(m * k), new Float64Array(n * k)];
      return body([
        {
          key: "lowrank",
          label: "lowrank sgdFactoriseMasked(): validate, copy A and M in, gather, seeded start, 1 epoch, final loss, copy out",
          fn: () => lowrank.sgdFactoriseMasked(A, M, k, { epochs, lr, seed }),
          check: (r) => r,
        },
        {
          key: "kernel only",
          label: "kernel only: fillUniform + sgdSparse export over the gathered entries, resident (no gather, copies or loss)",
          fn: () => { kx.fillUniform(puv, count, seed); return kx.sgdSparse(pr, pc, pv, gathered, m, n, k, puv, puv + m * k * 8, epochs, lr, 0, 0, 0, pinfo); },
          check: (status, checks) => {
            checks.that("kernel only", "gatherObserved lists the JS mask's entries in row-major order",
              gathered === nnz && sameBits(Float64Array.from(i32At(kx, pr, nnz)), Float64Array.from(r32)) && sameBits(Float64Array.from(i32At(kx, pc, nnz)), Float64Array.from(c32)),
              `${gathered} entries gathered, ${nnz} in the mask`);
            checks.that("kernel only", "status OK", status === 0, `status ${status}`);
            return f64At(kx, puv, count).slice();
          },
        },
        {
          key: "plain JS",
          label: "plain JS loop over the coordinate list: same start, 1 epoch (no copies or loss)",
          fn: () => { U.set(U0); V.set(V0); sgdSparseJs(r32, c32, v64, k, U, V, epochs, lr); },
          check: () => ({ U: U.slice(), V: V.slice() }),
        },
      ], [], (checked, checks) => verifySgd(checked, checks, lossOf, { U: U0, V: V0 }));
    }),
    ratios: [["plain JS", "lowrank"], ["plain JS", "kernel only"]],
  };
}

function callbackCase() {
  // The cost of onEpoch itself: the same run with the per-epoch loss tracked (tol = 1e-300
  // never stops it) with and without 1000 callbacks.
  const A = Float64Array.from(LAB.flat());
  const lossOf = (u, v) => denseLoss(A, 3, 3, 2, u, v);
  const checkRun = (who) => (r, checks) => {
    checks.that(who, "loss finite, 1000 epochs run", Number.isFinite(r.loss) && r.epochs === 1000, `loss ${r.loss}, epochs ${r.epochs}`);
    const again = lossOf(r.U.data, r.V.data);
    checks.atMost(who, "|reported loss − ‖A − UVᵀ‖² recomputed in JS| / loss", Math.abs(r.loss - again) / again, 1e-10);
    return r;
  };
  return {
    id: "lab-run-onEpoch",
    title: "lab run: onEpoch vs loss tracking alone",
    open: (body) => body([
      { key: "lowrank", label: "lowrank sgdFactorise(LAB, 2, { onEpoch }): 1000 callbacks, whole call", fn: () => lowrank.sgdFactorise(LAB, 2, { seed: 1, onEpoch: () => undefined }), check: checkRun("lowrank") },
      { key: "tracking, no callback", label: "the same with { tol: 1e-300 }: loss tracked every epoch, no callback", fn: () => lowrank.sgdFactorise(LAB, 2, { seed: 1, tol: 1e-300 }), check: checkRun("tracking, no callback") },
      { key: "no tracking", label: "the same with neither: one final loss", fn: () => lowrank.sgdFactorise(LAB, 2, { seed: 1 }), check: checkRun("no tracking") },
    ], []),
    verify(checked, checks) {
      const same = (a, b) => sameBits(a.U.data, b.U.data) && sameBits(a.V.data, b.V.data);
      checks.that("all three", "same U, V bit for bit (tracking and callbacks do not change the run)",
        same(checked.lowrank, checked["tracking, no callback"]) && same(checked.lowrank, checked["no tracking"]), "factors differ");
      const seen = [];
      const r = lowrank.sgdFactorise(LAB, 2, { seed: 1, onEpoch: (e, loss) => { seen.push([e, loss]); } });
      checks.that("onEpoch (untimed run)", "called once per epoch 1…1000 with a finite loss, the last = the returned loss",
        seen.length === 1000 && seen.every(([e, l], i) => e === i + 1 && Number.isFinite(l)) && seen[999][1] === r.loss,
        `${seen.length} calls, last ${JSON.stringify(seen.at(-1))}, returned loss ${r.loss}`);
    },
  };
}

// ─── the run ────────────────────────────────────────────────────────────────────────────────

const allCases = [
  labCase(),
  callbackCase(),
  sgdEpochCase(300, 300, 10),
  sgdEpochCase(1000, 1000, 16, { ratio: 3, over: "plain JS" }),
  sgdEpochCase(1000, 1000, 64, { ratio: 4, over: "plain JS" }),
  maskedCase(1000, 1000, 16, 0.1),
  ...[64, 256, 512, 1024].map((n) => svdCase(n, n, "thin", n === 512 ? { ratio: 8, over: "fastest peer" } : undefined)),
  svdCase(2000, 200, "thin", { ratio: 15, over: "ml-matrix" }),
  svdCase(200, 2000, "thin", { ratio: 15, over: "ml-matrix" }),
  svdCase(2000, 200, "full", undefined, "svd-js takes ~40 s a call with the full 2000×2000 U"),
  svdCase(512, 512, "none"),
  svdCase(1024, 1024, "none", { ratio: 4, over: "lowrank thin 1024²" }),
  randomizedCase(),
  sparseSvdCase(),
  streamCase(),
  ...pcaCases(randomMatrix, numpy),
];
const cases = allCases.filter((c) => c.id.includes(only));
if (cases.length === 0) throw new Error(`--only ${only} matches no case; ids: ${allCases.map((c) => c.id).join(", ")}`);

const memoryBytes = () => withKernel((kx) => kx.memory.buffer.byteLength);

/**
 * One round of one JS implementation: Benchmark.js samples, their median. A call longer than the
 * round's budget is one sample of one call, timed here with performance.now(): Benchmark.js
 * would make a second, untimed call per sample (its pretest of the compiled loop), which
 * doubled the cost of the 1–15 s peer calls for nothing.
 */
function benchRound(name, fn, callSeconds) {
  if (callSeconds > ROUND_MAX_TIME) {
    const start = performance.now();
    fn();
    return { median: (performance.now() - start) / 1000, samples: 1 };
  }
  const bench = new Benchmark(name, fn, {
    maxTime: ROUND_MAX_TIME,
    minSamples: ROUND_MIN_SAMPLES,
    // Start near the count that fills a sample, so a round does not re-calibrate from 1.
    initCount: Math.max(1, Math.floor(MIN_SAMPLE_TIME / Math.max(callSeconds, 1e-9))),
  });
  bench.run();
  if (bench.error) throw bench.error;
  const sample = [...bench.stats.sample].sort((a, b) => a - b);
  const mid = sample.length >> 1;
  return { median: sample.length % 2 ? sample[mid] : (sample[mid - 1] + sample[mid]) / 2, samples: sample.length };
}

function runCase(c) {
  const began = performance.now();
  return c.open((impls, skipped, verify = c.verify) => {
    // 1. Each implementation once: its answer is checked (this call is also the warm-up).
    const checks = new Checks();
    const checked = {};
    const callSeconds = {};
    for (const impl of impls) {
      const start = performance.now();
      let result;
      try {
        result = impl.native ? impl.native.matrix.verify(impl.native.job) : impl.fn();
      } catch (error) {
        throw new CheckFailure(impl.key, "call", `threw ${error?.message ?? error}`);
      }
      callSeconds[impl.key] = impl.native ? result.seconds : (performance.now() - start) / 1000;
      const value = impl.check(result, checks);
      if (value !== undefined) checked[impl.key] = value;
    }
    verify?.(checked, checks);
    const memoryBefore = memoryBytes(); // after a first call of every kind: growth from here is a leak

    // 2. R rounds; each times every implementation, starting one further along each round.
    const perRound = Object.fromEntries(impls.map((i) => [i.key, []]));
    const samples = Object.fromEntries(impls.map((i) => [i.key, 0]));
    for (let r = 0; r < rounds; r++) {
      for (let j = 0; j < impls.length; j++) {
        const impl = impls[(r + j) % impls.length];
        const t = impl.native
          ? impl.native.matrix.round(impl.native.job, ROUND_MAX_TIME, callSeconds[impl.key] > ROUND_MAX_TIME ? 1 : ROUND_MIN_SAMPLES)
          : benchRound(`${c.id} ${impl.key}`, impl.fn, callSeconds[impl.key]);
        perRound[impl.key].push(t.median);
        samples[impl.key] += Array.isArray(t.samples) ? t.samples.length : t.samples;
      }
    }
    const row = { id: c.id, title: c.title, n: c.n, skipped, verified: checks.summary(), notes: checks.notes, times: {} };
    for (const impl of impls) row.times[impl.key] = { label: impl.label, ...spread(perRound[impl.key]), samples: samples[impl.key] };

    // 3. Up to 1000 further lowrank calls (bounded in time) must not grow wasm memory.
    const lowrankFn = impls[0].fn;
    const calls = Math.max(1, Math.min(1000, Math.floor((quick ? 0.5 : 5) / row.times.lowrank.median)));
    for (let i = 0; i < calls; i++) lowrankFn();
    row.memory = { before: memoryBefore, after: memoryBytes(), calls: calls + samples.lowrank };

    // Ratios from the per-round times: peer / lowrank (how much faster lowrank is), and for
    // the native column lowrank / numpy (how much slower it is than LAPACK).
    const pairs = c.ratios ?? impls.filter((i) => i.key !== "lowrank" && !i.native).map((i) => [i.key, "lowrank"]);
    if (perRound.numpy) pairs.push(["lowrank", "numpy"]);
    row.ratios = pairs.map(([num, den]) => ({ num, den, ...spread(perRound[num].map((t, i) => t / perRound[den][i])) }));
    row.seconds = (performance.now() - began) / 1000;
    return row;
  });
}

function evaluateTarget(row, target, results) {
  if (target.absolute) return { ...target, achieved: row.times.lowrank.median, met: row.times.lowrank.median <= target.absolute };
  let achieved;
  if (target.over === "fastest peer") {
    // Per round, lowrank against the fastest peer of that round.
    const peers = row.ratios.filter((r) => r.den === "lowrank");
    achieved = peers.length ? spread(peers[0].rounds.map((_, i) => Math.min(...peers.map((p) => p.rounds[i])))) : undefined;
  } else if (target.over === "lowrank thin 1024²") {
    // Across two cases the rounds are not paired: the spread is the extremes of the two cases' round medians.
    const thin = results.find((r) => r.id === "svd-thin-1024x1024" && r.times)?.times.lowrank;
    const ours = row.times.lowrank;
    achieved = thin && { median: thin.median / ours.median, min: thin.min / ours.max, max: thin.max / ours.min };
  } else {
    achieved = row.ratios.find((r) => r.num === target.over && r.den === "lowrank");
  }
  return { ...target, achieved, met: achieved ? achieved.median >= target.ratio : undefined };
}

const ratioText = (r) => `×${fmtRatio(r.median)} (${fmtRatio(r.min)}–${fmtRatio(r.max)})`;

function printRow(row) {
  console.log(`\n${row.title}  [${row.id}, ${row.seconds.toFixed(0)} s with checks]`);
  for (const v of row.verified) console.log(`  ✓ ${v}`);
  for (const v of row.notes) console.log(`  · ${v}`);
  if (row.skipped.length) console.log(`  not run: ${row.skipped.join("; ")}`);
  const width = Math.max(...Object.values(row.times).map((t) => t.label.length));
  for (const t of Object.values(row.times)) {
    console.log(`  ${t.label.padEnd(width)}  ${fmtSpread(t)}`);
  }
  for (const r of row.ratios) console.log(`  ratio ${r.num} / ${r.den}: ${ratioText(r)}`);
  if (row.target) {
    const t = row.target;
    const status = t.met === undefined ? "not evaluated" : t.met ? "met" : "NOT met";
    console.log(t.absolute
      ? `  target ${t.note}: ${fmtTime(t.achieved)} median, ${status}`
      : `  target ≥ ${t.ratio}× ${t.over}: ${t.achieved ? ratioText(t.achieved) : "—"} ${status}`);
  }
  if (row.memory.after !== row.memory.before) console.log(`  MEMORY GREW ${row.memory.before} → ${row.memory.after} over ${row.memory.calls} calls`);
}

console.log(`lowrank bench: ${rounds} rounds per case, each implementation ≤ ${ROUND_MAX_TIME} s of Benchmark.js samples per round ` +
  `(at least ${ROUND_MIN_SAMPLES}; one directly timed call when a call is longer); times are median (min–max) of the per-round medians, ratios likewise ` +
  `from per-round ratios. Node ${process.version}, ${lowrank.simd ? "SIMD" : "scalar"} kernel.`);
console.log(numpy.ok
  ? `native column: numpy ${numpy.numpy} (numpy.linalg.svd = LAPACK dgesdd) via bench/numpy_svd.py, OPENBLAS/OMP/MKL_NUM_THREADS=1`
  : `native column skipped: ${numpy.why}`);

const results = [];
const failures = [];
for (const c of cases) {
  let row;
  try {
    row = runCase(c);
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    failures.push(`${c.id}: ${error.message}`);
    results.push({ id: c.id, title: c.title, failed: error.message });
    console.log(`\n${c.title}  [${c.id}]\n  ✗ CASE FAILED, not timed — ${error.message}`);
    continue;
  }
  if (c.target) row.target = evaluateTarget(row, c.target, results);
  results.push(row);
  printRow(row);
}

mkdirSync(outDir, { recursive: true });
const meta = {
  date: new Date().toISOString(), node: process.version, quick, only, rounds, simd: lowrank.simd,
  round: { maxTime: ROUND_MAX_TIME, minSamples: ROUND_MIN_SAMPLES },
  native: numpy.ok ? { numpy: numpy.numpy, threads: 1 } : { skipped: numpy.why },
  times: "seconds; median/min/max over rounds of each round's Benchmark.js median",
  ratios: "num / den per round, then median/min/max",
};
const jsonName = only ? "partial.json" : "latest.json";
const written = [join(outDir, jsonName)];
writeFileSync(written[0], JSON.stringify({ meta, results }, null, 2) + "\n");
const square = results.filter((r) => r.n && r.times && r.id.startsWith("svd-thin-"));
if (square.length > 1 && !only) {
  const names = [...new Set(square.flatMap((r) => Object.keys(r.times)))];
  const series = names.map((name) => ({
    name,
    points: square.filter((r) => r.times[name]).map((r) => [r.n, r.times[name].median, r.times[name].min, r.times[name].max]),
  }));
  written.push(join(outDir, "latest.svg"));
  writeFileSync(written[1], lineChartSvg(`thin SVD of an n×n matrix: median of ${rounds} rounds, min–max bars (log–log)`, series));
}
console.log(`\nwrote ${written.map((p) => relative(join(here, ".."), p)).join(" and ")}${save ? "" : " (untracked; --save writes bench/results/)"}`);
if (failures.length) {
  console.log(`\n${failures.length} case(s) FAILED verification:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  process.exitCode = 1;
}
