// SGD factorisation A ≈ U Vᵀ: dense (lab exercise 1), masked (exercise 3) and sparse
// (recommender data). Validation and marshalling here; every epoch runs in assembly/sgd.ts.
import { FactorisationError, type LastFinite, describe } from "./errors.js";
import { type MaskInput, type Matrix, type MatrixInput, shapeOf, toMatrix } from "./matrix.js";
import { checkOptionNames, checkRank, finiteNumber, integerInRange, seedOption } from "./options.js";
import { type SparseEntries, checkSparseEntries, copyInCoordinates } from "./entries.js";
import { type KernelExports, check, copyIn, copyOut, f64, i32, InfoBytes, reserve, Status, teamExports, teamThreads, withKernel } from "./kernel.js";

/** Options shared by {@link sgdFactorise}, {@link sgdFactoriseMasked} and {@link sgdFactoriseSparse}. */
export interface SgdOptions {
  /** Passes over the entries; a positive integer. Default 1000 (the lab's). */
  epochs?: number;
  /**
   * Learning rate, finite and > 0, or `"auto"`: the data are scaled to unit RMS (by a power of
   * four, so exactly), the step is chosen from their shape (min(0.01, 2·m·n / (nnz·(m + n))):
   * about one over the entries per row or column) and everything is scaled back — so 0–255
   * pixels or 1–5 ratings converge as well as the lab's matrix does. Default 0.01 (the lab's).
   */
  lr?: number | "auto";
  /** Integer in [0, 2^53) for the uniform[0,1) start (xoshiro256**); same seed ⇒ same result. Default: fresh random. */
  seed?: number;
  /** Warm start instead of the random one: U m×rank and V n×rank (copied, never modified). */
  init?: { U: MatrixInput; V: MatrixInput };
  /** L2 weight λ ≥ 0 on U and V rows: U[r] += lr·(e·V[c] − λ·U[r]). Default 0, the lab's update bit for bit. */
  lambda?: number;
  /** Stop once an epoch improves the loss by less than `tol` (≥ 0). Default 0: run every epoch. */
  tol?: number;
  /** Called after each epoch (1-based) with the loss at that point; return `false` to stop there. */
  onEpoch?: (epoch: number, loss: number) => void | false;
}

/** Options of {@link sgdFactoriseSparse}: the common ones and the visiting order. */
export interface SparseSgdOptions extends SgdOptions {
  /**
   * Visit the entries in a seeded random order (a Fisher–Yates permutation of the given order,
   * drawn once per run from `seed`) instead of the given order. Default false.
   */
  shuffle?: boolean;
}

/** What an SGD run returns. */
export interface SgdResult {
  /** m×rank left factor. */
  U: Matrix;
  /** n×rank right factor. */
  V: Matrix;
  /** ‖A − UVᵀ‖²_F over the entries that took part (all of A, or the observed ones). */
  loss: number;
  /** Epochs actually run (fewer than asked when `tol` or `onEpoch` stopped the run). */
  epochs: number;
  /** The seed of the random start (and of the shuffle), so the run can be repeated; undefined with `init` and no shuffle. */
  seed?: number;
  /** The learning rate in the data's units: `lr` as given, or the one `"auto"` chose. */
  lr: number;
}

export type { SparseEntries } from "./entries.js";

/** The option names of sgdFactorise and sgdFactoriseMasked (a pool checks them before posting a call). */
export const SGD_OPTION_NAMES = ["epochs", "lr", "seed", "init", "lambda", "tol", "onEpoch"];
/** The option names of sgdFactoriseSparse. */
export const SPARSE_OPTION_NAMES = [...SGD_OPTION_NAMES, "shuffle"];

/** Work per chunk of epochs between onEpoch calls (entries × rank); keeps callbacks < 5 % of the time. */
const CALLBACK_CHUNK_WORK = 200_000;

/**
 * How a run reports the losses of its epochs and learns where to stop, one chunk of epochs at a
 * time. The synchronous functions make one from `onEpoch`; a pool's leader worker makes one that
 * hands each chunk to the caller's thread and waits for its verdict (src/pool-worker.ts).
 */
export interface EpochObserver {
  /** Entries × rank per chunk of epochs between two calls of `observe`. */
  chunkWork: number;
  /**
   * The losses (data units) after epochs first, first + 1, … (losses.length of them, all finite).
   * Returns c in [1, losses.length] to stop after the c-th of them (the factors are rolled back
   * to it), or 0 to go on.
   */
  observe(first: number, losses: Float64Array): number;
}

/** What a run does besides its options (internal: the public functions pass none). */
export interface RunControl {
  /** Replaces the per-epoch callback (opts.onEpoch must then be absent). */
  observer?: EpochObserver;
}

/** The observer of a synchronous run: onEpoch for every epoch of a chunk, stopping at the first `false`. */
function callbackObserver(onEpoch: (epoch: number, loss: number) => void | false): EpochObserver {
  return {
    chunkWork: CALLBACK_CHUNK_WORK,
    observe(first, losses) {
      for (let e = 0; e < losses.length; e++) {
        // The callback may call the library: its buffers are laid out above this call's.
        if (onEpoch(first + e, losses[e]) === false) return e + 1;
      }
      return 0;
    },
  };
}
/** Upper bound on epochs per chunk, which bounds the loss-history buffer. */
const MAX_CHUNK_EPOCHS = 4096;

/** lr "auto": the largest step it chooses (the lab's), and the factor of the shape rule. */
const AUTO_LR_MAX = 0.01;
const AUTO_LR_SPREAD = 2;
/** lr "auto" scales the data by a power of four between 4^±AUTO_SCALE_EXPONENT (2^±1000): its
 *  square root and its inverse are then exact doubles too. */
const AUTO_SCALE_EXPONENT = 500;

interface ParsedOptions {
  epochs: number;
  lr: number | "auto";
  seed: number | undefined;
  init: { U: Matrix; V: Matrix } | undefined;
  lambda: number;
  tol: number;
  observer: EpochObserver | undefined;
  shuffle: boolean;
}

function parseOptions(opts: unknown, m: number, n: number, k: number, fn: string, sparse: boolean, control: RunControl): ParsedOptions {
  const o = checkOptionNames(opts, sparse ? SPARSE_OPTION_NAMES : SGD_OPTION_NAMES, fn);
  if (o.shuffle !== undefined && typeof o.shuffle !== "boolean") {
    throw new FactorisationError("OPTION", `shuffle must be a boolean; got ${describe(o.shuffle)}`);
  }
  const shuffle = o.shuffle === true;
  const epochs = integerInRange(o.epochs, "epochs", 1000, 1, 2 ** 31 - 1);
  const lr = o.lr === "auto" ? "auto" : finiteNumber(o.lr, "lr", 0.01, true);
  const lambda = finiteNumber(o.lambda, "lambda", 0, false);
  const tol = finiteNumber(o.tol, "tol", 0, false);
  if (o.onEpoch !== undefined && typeof o.onEpoch !== "function") {
    throw new FactorisationError("OPTION", `onEpoch must be a function; got ${describe(o.onEpoch)}`);
  }
  let init: ParsedOptions["init"];
  if (o.init !== undefined) {
    const given = o.init as { U?: unknown; V?: unknown } | null;
    if (given === null || typeof given !== "object" || !("U" in given) || !("V" in given)) {
      throw new FactorisationError("OPTION", `init must be an object { U, V }; got ${describe(o.init)}`);
    }
    const U = toMatrix(given.U, "init.U");
    const V = toMatrix(given.V, "init.V");
    if (U.rows !== m || U.cols !== k) {
      throw new FactorisationError("SHAPE", `init.U must be ${m}×${k} (rows of A × rank); got ${shapeOf(U)}`);
    }
    if (V.rows !== n || V.cols !== k) {
      throw new FactorisationError("SHAPE", `init.V must be ${n}×${k} (columns of A × rank); got ${shapeOf(V)}`);
    }
    init = { U, V };
  }
  const seed = init === undefined || shuffle || o.seed !== undefined ? seedOption(o.seed) : undefined;
  const onEpoch = o.onEpoch as ((epoch: number, loss: number) => void | false) | undefined;
  const observer = control.observer ?? (onEpoch ? callbackObserver(onEpoch) : undefined);
  return { epochs, lr, seed, init, lambda, tol, observer, shuffle };
}

/** How one problem (dense, masked or sparse) talks to the kernel, once its data is in wasm memory. */
interface Problem {
  /** The kernel functions behind run and loss, for error messages. */
  runs: "sgdDense" | "sgdSparse" | "sgdDenseBlocked" | "sgdSparseBlocked";
  losses: "lossDense" | "lossSparse" | "lossDenseBlocked" | "lossSparseBlocked";
  /** The observed values in wasm memory (all of A, or the listed entries) and how many. */
  values: number;
  count: number;
  /** Runs up to `epochs` epochs from U, V at u, v with the step's lr and λ; returns the kernel's status. */
  run(kx: KernelExports, u: number, v: number, epochs: number, step: Step, tol: number, history: number, info: number): number;
  /** Writes the loss of U, V over the problem's entries to `out`; returns the kernel's status. */
  loss(kx: KernelExports, u: number, v: number, out: number): number;
  /** Permutes the visiting order (sparse problems only). */
  shuffle?(kx: KernelExports, seed: number): number;
  /** Lays the entries out in block strata, after any shuffle (blocked sparse problems only). */
  plan?(kx: KernelExports): number;
}

/** The SGD info block: epochs run, epoch of divergence (0 = none), last loss (assembly/sgd.ts). */
interface SgdInfo {
  ran: number;
  divergedAt: number;
  lastLoss: number;
}

function readInfo(info: number): SgdInfo {
  const [ran, divergedAt, lastLoss] = f64(info, 3);
  return { ran, divergedAt, lastLoss };
}

/** Buffers of the driver, after the problem's own. */
interface SgdBuffers {
  /** U then V, one block so the seeded stream fills U before V. */
  uv: number;
  /** Loss history of one chunk of epochs (0 when no callback or tol needs it). */
  history: number;
  info: number;
  /** U, V at the start of a chunk: to stop exactly at an epoch, and to recover the last finite state. */
  snapshot: number;
  /** Scratch for one loss or norm. */
  scalar: number;
}

/**
 * What the kernel runs: the data divided by `scale` (1, or a power of four for lr "auto"), and
 * lr, λ and tol in those units. Losses in the data's units are the kernel's times scale².
 */
interface Step {
  scale: number;
  lr: number;
  lambda: number;
  tol: number;
}

/**
 * The step of a run: the options as given, or for lr "auto" the data's RMS rounded to a power
 * of four as the scale and a step from the shape (about one over the entries per row or
 * column, at most the lab's 0.01): an epoch then moves a factor row by O(1) in unit data.
 * Measured (docs/algorithms.md): 0–255 pixels and 1–5 ratings end within 1–3 % of the
 * Eckart–Young optimum in the default 1000 epochs, where lr 0.01 diverges.
 */
function chooseStep(kx: KernelExports, fn: string, problem: Problem, m: number, n: number, o: ParsedOptions, scalar: number): Step {
  if (o.lr !== "auto") return { scale: 1, lr: o.lr, lambda: o.lambda, tol: o.tol };
  check("euclideanNorm", kx.euclideanNorm(problem.values, problem.count, scalar), { what: fn });
  const rms = f64(scalar, 1)[0] / Math.sqrt(problem.count);
  const exponent = rms > 0 ? Math.max(-AUTO_SCALE_EXPONENT, Math.min(AUTO_SCALE_EXPONENT, Math.round(Math.log2(rms) / 2))) : 0;
  const scale = 4 ** exponent;
  const lr = Math.min(AUTO_LR_MAX, (AUTO_LR_SPREAD * m * n) / (problem.count * (m + n)));
  return { scale, lr, lambda: o.lambda / scale, tol: o.tol / (scale * scale) };
}

/** Copies U, V out in the data's units (times √scale, exact for a power of four). */
function copyOutFactors(kx: KernelExports, fn: string, uv: number, m: number, n: number, k: number, step: Step): { U: Matrix; V: Matrix } {
  if (step.scale !== 1) check("scaleBy", kx.scaleBy(uv, (m + n) * k, Math.sqrt(step.scale)), { what: fn });
  return { U: copyOut(uv, m, k), V: copyOut(uv + m * k * 8, n, k) };
}

/** One SGD run's context: the kernel, the problem, its buffers, sizes and step. */
interface Run {
  kx: KernelExports;
  fn: string;
  problem: Problem;
  b: SgdBuffers;
  m: number;
  n: number;
  k: number;
  step: Step;
}

/**
 * Plans an SGD run: epochs per chunk between onEpoch calls, and the layout of the driver's
 * buffers after the problem's own.
 */
function planSgd(m: number, n: number, k: number, entries: number, o: ParsedOptions): { chunk: number; tracking: boolean; layout: number[] } {
  const factorDoubles = (m + n) * k;
  const watched = o.observer !== undefined;
  const tracking = watched || o.tol > 0;
  const chunk = watched ? Math.max(1, Math.min(MAX_CHUNK_EPOCHS, o.epochs, Math.floor(o.observer!.chunkWork / (entries * k)))) : o.epochs;
  const layout = [factorDoubles * 8, tracking ? (chunk + 1) * 8 : 0, InfoBytes.SGD, factorDoubles * 8, 8];
  return { chunk, tracking, layout };
}

/** The loss of the factors now in wasm memory, in the data's units. */
function currentLoss(r: Run): number {
  check(r.problem.losses, r.problem.loss(r.kx, r.b.uv, r.b.uv + r.m * r.k * 8, r.b.scalar), { what: r.fn });
  return f64(r.b.scalar, 1)[0] * r.step.scale * r.step.scale;
}

/** Restores U, V from the chunk's start and reruns `epochs` of its epochs: SGD is deterministic. */
function rerun(r: Run, epochs: number): void {
  const factorDoubles = (r.m + r.n) * r.k;
  f64(r.b.uv, factorDoubles).set(f64(r.b.snapshot, factorDoubles));
  if (epochs > 0) check(r.problem.runs, r.problem.run(r.kx, r.b.uv, r.b.uv + r.m * r.k * 8, epochs, r.step, 0, 0, r.b.info), { what: r.fn });
}

/**
 * The chunked epochs between onEpoch calls: runs `o.epochs` (or fewer when tol or a callback
 * stops the run) and returns how many ran and the last loss (data units, NaN when not tracked);
 * a callback's `false` inside a chunk rolls back to the chunk's start and reruns to exactly that
 * epoch. A divergence throws DIVERGED after the callbacks have seen every epoch before it,
 * carrying the state after the last finite epoch (rerun from the chunk's start).
 */
function runEpochs(r: Run, o: ParsedOptions, chunk: number, tracking: boolean): { epochs: number; loss: number } {
  const { b, problem } = r;
  const factorDoubles = (r.m + r.n) * r.k;
  const u = b.uv;
  const v = b.uv + r.m * r.k * 8;
  const units = r.step.scale * r.step.scale;
  let done = 0;
  let loss = NaN;
  while (done < o.epochs) {
    const batch = Math.min(o.epochs - done, chunk);
    f64(b.snapshot, factorDoubles).set(f64(b.uv, factorDoubles));
    const status = problem.run(r.kx, u, v, batch, r.step, r.step.tol, tracking ? b.history : 0, b.info);
    check(problem.runs, status, { what: r.fn });
    const { ran, divergedAt, lastLoss } = readInfo(b.info);
    const diverged = status === Status.DIVERGED;
    // Epochs of this chunk whose loss is valid: all of them, or those before the divergence.
    const good = diverged ? divergedAt - 1 : ran;
    loss = lastLoss * units;
    if (o.observer && good > 0) {
      const losses = f64(b.history + 8, good).map((x) => x * units);
      const e = o.observer.observe(done + 1, losses);
      if (e > 0) {
        if (e < ran) rerun(r, e);
        return { epochs: done + e, loss: losses[e - 1] };
      }
    }
    if (diverged) {
      // The last epoch whose loss is finite: usually the one before, but finite factors can
      // have a loss that overflows, so step back (to the chunk's start at most).
      let back = divergedAt - 1;
      rerun(r, back);
      let lastLoss = currentLoss(r);
      while (!Number.isFinite(lastLoss) && back > 0) {
        rerun(r, --back);
        lastLoss = currentLoss(r);
      }
      const lastFinite: LastFinite = { ...copyOutFactors(r.kx, r.fn, b.uv, r.m, r.n, r.k, r.step), loss: lastLoss, epoch: done + back };
      const lr = o.lr === "auto" ? `lr "auto" (${r.step.lr / r.step.scale} in the data's units)` : `lr = ${o.lr}`;
      throw new FactorisationError(
        "DIVERGED",
        `${r.fn} diverged at epoch ${done + divergedAt}: the loss became non-finite with ${lr}; try a smaller lr` +
          `${o.lr === "auto" ? "" : ' or lr "auto"'} (error.lastFinite holds the factors after epoch ${lastFinite.epoch})`,
        lastFinite,
      );
    }
    done += ran;
    if (ran < batch) break; // tol reached
  }
  return { epochs: done, loss };
}

/**
 * The shared driver of the three SGD functions: options, plan, start (seeded or warm), the
 * step (lr "auto" scales the data), the chunked epochs, and the factors copied out. `extra` are
 * the problem's own buffers (laid out first); `load` copies its data in and returns the Problem.
 */
function runSgd(
  fn: string, m: number, n: number, k: number, entries: number, opts: unknown, extra: readonly number[],
  load: (kx: KernelExports, pointers: number[]) => Problem, sparse: boolean, control: RunControl,
): SgdResult {
  const o = parseOptions(opts, m, n, k, fn, sparse, control);
  const factorDoubles = (m + n) * k;
  return withKernel((kx) => {
    const { chunk, tracking, layout } = planSgd(m, n, k, entries, o); // InfoBytes is read from the module
    const pointers = reserve([...extra, ...layout], `${fn} (${m}×${n}, rank ${k})`);
    const [uv, history, info, snapshot, scalar] = pointers.slice(extra.length);
    const b: SgdBuffers = { uv, history, info, snapshot, scalar };
    const problem = load(kx, pointers);
    if (o.shuffle) check("shuffleEntries", problem.shuffle!(kx, o.seed as number), { what: fn });
    const step = chooseStep(kx, fn, problem, m, n, o, scalar);
    if (step.scale !== 1) check("scaleBy", kx.scaleBy(problem.values, problem.count, 1 / step.scale), { what: fn });
    // After the step: lr "auto" then sums the data in the synchronous order, whatever the team.
    if (problem.plan) check("sgdBlockPlan", problem.plan(kx), { what: fn });
    if (o.init) {
      copyIn(uv, o.init.U.data, "init.U", k);
      copyIn(uv + m * k * 8, o.init.V.data, "init.V", k);
      if (step.scale !== 1) check("scaleBy", kx.scaleBy(uv, factorDoubles, 1 / Math.sqrt(step.scale)), { what: fn });
    } else {
      check("fillUniform", kx.fillUniform(uv, factorDoubles, o.seed as number), { what: fn });
    }
    const r: Run = { kx, fn, problem, b, m, n, k, step };
    const result = runEpochs(r, o, chunk, tracking);
    const loss = tracking ? result.loss : currentLoss(r);
    return { ...copyOutFactors(kx, fn, uv, m, n, k, step), loss, epochs: result.epochs, seed: o.seed, lr: step.lr / step.scale };
  });
}

/**
 * Factorises A (m×n) as U Vᵀ with U m×rank and V n×rank by SGD — lab exercise 1. Each epoch
 * visits every entry in row-major order: e = A[r,c] − U[r]·V[c]; U[r] += lr·e·V[c];
 * V[c] += lr·e·U[r] (with the updated U[r]). All m rows are visited: the lab's listing loops
 * `range(rank)`, a bug its printed figures do not share. U, V start uniform[0,1) like torch.rand.
 *
 * Cost O(epochs·m·n·rank) time (×2 with `onEpoch` or `tol`, which need the loss per epoch),
 * O((m+n)·rank + m·n) memory.
 * @throws FactorisationError SHAPE, NON_FINITE, RANK, OPTION, TOO_LARGE, DIVERGED.
 */
export function sgdFactorise(A: MatrixInput, rank: number, opts?: SgdOptions): SgdResult {
  return sgdFactoriseWith(A, rank, opts, {});
}

/** sgdFactorise with a RunControl (a pool's leader worker). */
export function sgdFactoriseWith(A: MatrixInput, rank: number, opts: SgdOptions | undefined, control: RunControl): SgdResult {
  const a = toMatrix(A, "A");
  const { rows: m, cols: n } = a;
  const k = checkRank(rank, m, n);
  const blocks = strata(m, n);
  return runSgd("sgdFactorise", m, n, k, m * n, opts, [m * n * 8], (_kx, [pa]) => {
    copyIn(pa, a.data, "A", n);
    return denseProblem(m, n, k, pa, blocks);
  }, false, control);
}

/**
 * Blocks per side of the strata when this thread leads a team (a pool's leader worker): one per
 * thread, at most one per row and column; 1 (the sequential order) otherwise.
 */
function strata(m: number, n: number): number {
  return Math.min(teamThreads(), m, n);
}

function denseProblem(m: number, n: number, k: number, a: number, blocks: number): Problem {
  if (blocks === 1) {
    return {
      runs: "sgdDense",
      losses: "lossDense",
      values: a,
      count: m * n,
      run: (kx, u, v, epochs, step, tol, history, info) => kx.sgdDense(a, m, n, k, u, v, epochs, step.lr, step.lambda, tol, history, info),
      loss: (kx, u, v, out) => kx.lossDense(a, m, n, k, u, v, out),
    };
  }
  return {
    runs: "sgdDenseBlocked",
    losses: "lossDenseBlocked",
    values: a,
    count: m * n,
    run: (kx, u, v, epochs, step, tol, history, info) =>
      teamExports(kx).sgdDenseBlocked(a, m, n, k, u, v, epochs, step.lr, step.lambda, tol, history, info, blocks),
    loss: (kx, u, v, out) => teamExports(kx).lossDenseBlocked(a, m, n, k, u, v, out, blocks),
  };
}

/** Buffers of a sparse problem's block plan (sgdBlockPlan): blocks² + 1 offsets, then scratch. */
function planLayout(blocks: number, m: number, n: number, maxEntries: number): number[] {
  return blocks === 1 ? [] : [(blocks * blocks + 1) * 4, 16 * maxEntries + 4 * (m + n)];
}

function sparseProblem(m: number, n: number, k: number, nnz: number, rowIdx: number, colIdx: number, val: number,
  blocks: number, plan: number[]): Problem {
  const shuffle = (kx: KernelExports, seed: number) => kx.shuffleEntries(rowIdx, colIdx, val, nnz, seed);
  if (blocks === 1) {
    return {
      runs: "sgdSparse",
      losses: "lossSparse",
      values: val,
      count: nnz,
      run: (kx, u, v, epochs, step, tol, history, info) =>
        kx.sgdSparse(rowIdx, colIdx, val, nnz, m, n, k, u, v, epochs, step.lr, step.lambda, tol, history, info),
      loss: (kx, u, v, out) => kx.lossSparse(rowIdx, colIdx, val, nnz, k, u, v, out),
      shuffle,
    };
  }
  const [offsets, scratch] = plan;
  return {
    runs: "sgdSparseBlocked",
    losses: "lossSparseBlocked",
    values: val,
    count: nnz,
    run: (kx, u, v, epochs, step, tol, history, info) =>
      teamExports(kx).sgdSparseBlocked(rowIdx, colIdx, val, nnz, m, n, k, u, v, epochs, step.lr, step.lambda, tol, history, info, blocks, offsets),
    loss: (kx, u, v, out) => teamExports(kx).lossSparseBlocked(rowIdx, colIdx, val, nnz, k, u, v, out, blocks, offsets),
    shuffle,
    plan: (kx) => teamExports(kx).sgdBlockPlan(rowIdx, colIdx, val, nnz, m, n, blocks, offsets, scratch),
  };
}

/**
 * Matrix completion by masked SGD — lab exercise 3: as {@link sgdFactorise}, but only entries
 * with M[r][c] non-zero / true take part, visited in row-major order. Without a mask (M null or
 * undefined) the entries of A that are NaN are the missing ones; under a mask, entries it hides
 * are ignored whatever they hold (NaN included). `loss` is over the observed entries; use
 * {@link reconstructionLoss} for the full matrix. Same results as {@link sgdFactoriseSparse}
 * given the observed entries in row-major order.
 *
 * Cost O(m·n) to list the observed entries, then O(epochs·nnz·rank).
 * @throws FactorisationError as sgdFactorise; SHAPE when M's shape differs or nothing is
 *   observed; NON_FINITE for an observed entry that is not finite.
 */
export function sgdFactoriseMasked(A: MatrixInput, M: MaskInput | null | undefined, rank: number, opts?: SgdOptions): SgdResult {
  return sgdFactoriseMaskedWith(A, M, rank, opts, {});
}

/** sgdFactoriseMasked with a RunControl (a pool's leader worker). */
export function sgdFactoriseMaskedWith(
  A: MatrixInput, M: MaskInput | null | undefined, rank: number, opts: SgdOptions | undefined, control: RunControl,
): SgdResult {
  const a = toMatrix(A, "A");
  const mask = M === null || M === undefined ? undefined : toMatrix(M, "M", true);
  const { rows: m, cols: n } = a;
  if (mask && (mask.rows !== m || mask.cols !== n)) {
    throw new FactorisationError("SHAPE", `M must have the same shape as A (${shapeOf(a)}); got ${shapeOf(mask)}`);
  }
  const k = checkRank(rank, m, n);
  const size = m * n;
  const fn = "sgdFactoriseMasked";
  const blocks = strata(m, n);
  // A, mask, then the observed entries as coordinates (at most m·n of them), and a block plan.
  // The chunk size between callbacks is planned for m·n entries, an upper bound on nnz.
  const layout = [size * 8, mask ? size * 8 : 0, size * 4, size * 4, size * 8, ...planLayout(blocks, m, n, size)];
  return runSgd(fn, m, n, k, size, opts, layout, (kx, p) => {
    const [pa, pm, rowIdx, colIdx, val] = p;
    // A is checked after the gather: only the observed entries must be finite.
    copyIn(pa, a.data, "A", n, 0, false);
    if (mask) copyIn(pm, mask.data, "M", n);
    const nnz = kx.gatherObserved(pa, mask ? pm : 0, m, n, rowIdx, colIdx, val);
    if (nnz < 0) check("gatherObserved", nnz, { what: fn });
    if (nnz === 0) {
      throw new FactorisationError("SHAPE", mask
        ? `M has no observed entry (all ${size} are 0/false); at least one is needed`
        : `A has no observed entry (all ${size} are NaN, which marks a missing entry without a mask); at least one is needed`);
    }
    const bad = kx.firstNonFinite(val, nnz);
    if (bad < 0) check("firstNonFinite", bad, { what: fn });
    if (bad < nnz) {
      const [r, c] = [i32(rowIdx, nnz)[bad], i32(colIdx, nnz)[bad]];
      const where = mask ? "M marks it observed" : "only NaN marks a missing entry";
      throw new FactorisationError("NON_FINITE", `A[${r}][${c}] is ${a.data[r * n + c]} but ${where}; every observed entry must be finite`);
    }
    return sparseProblem(m, n, k, nnz, rowIdx, colIdx, val, blocks, p.slice(5));
  }, false, control);
}

/**
 * Matrix completion from observed entries given as a sparse coordinate list (recommender
 * data): entry t is (row[t], col[t]) = value[t], 0-based, visited in the given order each
 * epoch (or, with `shuffle`, in one seeded random order). Duplicates are allowed and each
 * occurrence is visited (it weighs that entry more).
 * `loss` is over the given entries.
 *
 * Cost O(epochs·nnz·rank) time and O(nnz + (rows+cols)·rank) memory.
 * @throws FactorisationError SHAPE for mismatched lengths, out-of-range or non-integer
 *   indices or no entry; NON_FINITE, RANK, OPTION, TOO_LARGE, DIVERGED as sgdFactorise.
 */
export function sgdFactoriseSparse(entries: SparseEntries, rank: number, opts?: SparseSgdOptions): SgdResult {
  return sgdFactoriseSparseWith(entries, rank, opts, {});
}

/** sgdFactoriseSparse with a RunControl (a pool's leader worker). */
export function sgdFactoriseSparseWith(entries: SparseEntries, rank: number, opts: SparseSgdOptions | undefined, control: RunControl): SgdResult {
  const coordinates = checkSparseEntries(entries);
  const { m, n, nnz } = coordinates;
  const k = checkRank(rank, m, n);
  const blocks = strata(m, n);
  const layout = [nnz * 4, nnz * 4, nnz * 8, ...planLayout(blocks, m, n, nnz)];
  return runSgd("sgdFactoriseSparse", m, n, k, nnz, opts, layout, (_kx, p) => {
    const [rowIdx, colIdx, val] = p;
    copyInCoordinates(coordinates, rowIdx, colIdx, val);
    return sparseProblem(m, n, k, nnz, rowIdx, colIdx, val, blocks, p.slice(3));
  }, true, control);
}
