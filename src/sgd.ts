// SGD factorisation A ≈ U Vᵀ: dense (lab exercise 1), masked (exercise 3) and sparse
// (recommender data). Validation and marshalling here; every epoch runs in assembly/sgd.ts.
import { FactorisationError, describe } from "./errors.js";
import { type MaskInput, type Matrix, type MatrixInput, shapeOf, toMatrix } from "./matrix.js";
import { checkOptionNames, checkRank, finiteNumber, integerInRange, seedOption } from "./options.js";
import { type SparseEntries, checkSparseEntries, copyInCoordinates } from "./entries.js";
import { type KernelExports, check, copyIn, copyOut, f64, InfoBytes, reserve, Status, withKernel } from "./kernel.js";

/** Options shared by {@link sgdFactorise}, {@link sgdFactoriseMasked} and {@link sgdFactoriseSparse}. */
export interface SgdOptions {
  /** Passes over the entries; a positive integer. Default 1000 (the lab's). */
  epochs?: number;
  /** Learning rate, finite and > 0. Default 0.01 (the lab's). */
  lr?: number;
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
}

export type { SparseEntries } from "./entries.js";

const SGD_OPTION_NAMES = ["epochs", "lr", "seed", "init", "lambda", "tol", "onEpoch"];
const SPARSE_OPTION_NAMES = [...SGD_OPTION_NAMES, "shuffle"];

/** Work per chunk of epochs between onEpoch calls (entries × rank); keeps callbacks < 5 % of the time. */
const CALLBACK_CHUNK_WORK = 200_000;
/** Upper bound on epochs per chunk, which bounds the loss-history buffer. */
const MAX_CHUNK_EPOCHS = 4096;

interface ParsedOptions {
  epochs: number;
  lr: number;
  seed: number | undefined;
  init: { U: Matrix; V: Matrix } | undefined;
  lambda: number;
  tol: number;
  onEpoch: ((epoch: number, loss: number) => void | false) | undefined;
  shuffle: boolean;
}

function parseOptions(opts: unknown, m: number, n: number, k: number, fn: string, sparse: boolean): ParsedOptions {
  const o = checkOptionNames(opts, sparse ? SPARSE_OPTION_NAMES : SGD_OPTION_NAMES, fn);
  if (o.shuffle !== undefined && typeof o.shuffle !== "boolean") {
    throw new FactorisationError("OPTION", `shuffle must be a boolean; got ${describe(o.shuffle)}`);
  }
  const shuffle = o.shuffle === true;
  const epochs = integerInRange(o.epochs, "epochs", 1000, 1, 2 ** 31 - 1);
  const lr = finiteNumber(o.lr, "lr", 0.01, true);
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
  return { epochs, lr, seed, init, lambda, tol, onEpoch: o.onEpoch as ParsedOptions["onEpoch"], shuffle };
}

/** How one problem (dense, masked or sparse) talks to the kernel, once its data is in wasm memory. */
interface Problem {
  /** The kernel functions behind run and loss, for error messages. */
  runs: "sgdDense" | "sgdSparse";
  losses: "lossDense" | "lossSparse";
  /** Runs up to `epochs` epochs from U, V at u, v; returns the kernel's status. */
  run(kx: KernelExports, u: number, v: number, epochs: number, o: ParsedOptions, tol: number, history: number, info: number): number;
  /** Writes the loss of U, V over the problem's entries to `out`; returns the kernel's status. */
  loss(kx: KernelExports, u: number, v: number, out: number): number;
  /** Permutes the visiting order (sparse problems only). */
  shuffle?(kx: KernelExports, seed: number): number;
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
  /** U, V at the start of a chunk, to stop exactly at an epoch (0 without onEpoch). */
  snapshot: number;
  /** Scratch for one loss. */
  loss: number;
}

/**
 * Plans an SGD run: epochs per chunk between onEpoch calls, and the layout of the driver's
 * buffers after the problem's `extra` ones.
 */
function planSgd(m: number, n: number, k: number, entries: number, o: ParsedOptions): { chunk: number; tracking: boolean; layout: number[] } {
  const factorDoubles = (m + n) * k;
  const tracking = o.onEpoch !== undefined || o.tol > 0;
  const chunk = o.onEpoch ? Math.max(1, Math.min(MAX_CHUNK_EPOCHS, o.epochs, Math.floor(CALLBACK_CHUNK_WORK / (entries * k)))) : o.epochs;
  const layout = [factorDoubles * 8, tracking ? (chunk + 1) * 8 : 0, InfoBytes.SGD, o.onEpoch ? factorDoubles * 8 : 0, 8];
  return { chunk, tracking, layout };
}

/**
 * The chunked epochs between onEpoch calls: runs `o.epochs` (or fewer when tol or a callback
 * stops the run) and returns how many ran and the last loss; a callback's `false` inside a chunk
 * rolls back to the chunk's start and reruns to exactly that epoch (SGD is deterministic).
 * Throws DIVERGED after the callbacks have seen every epoch before the divergence.
 */
function runEpochs(kx: KernelExports, fn: string, problem: Problem, o: ParsedOptions, b: SgdBuffers, u: number, v: number,
  factorDoubles: number, chunk: number, tracking: boolean): { epochs: number; loss: number } {
  let done = 0;
  let loss = NaN;
  while (done < o.epochs) {
    const batch = Math.min(o.epochs - done, chunk);
    if (o.onEpoch) f64(b.snapshot, factorDoubles).set(f64(b.uv, factorDoubles));
    const status = problem.run(kx, u, v, batch, o, o.tol, tracking ? b.history : 0, b.info);
    check(problem.runs, status, { what: fn });
    const { ran, divergedAt, lastLoss } = readInfo(b.info);
    const diverged = status === Status.DIVERGED;
    // Epochs of this chunk whose loss is valid: all of them, or those before the divergence.
    const good = diverged ? divergedAt - 1 : ran;
    loss = lastLoss;
    if (o.onEpoch) {
      const losses = f64(b.history, good + 1).slice();
      for (let e = 1; e <= good; e++) {
        // The callback may call the library: its buffers are laid out above this call's.
        if (o.onEpoch(done + e, losses[e]) === false) {
          if (e < ran) {
            f64(b.uv, factorDoubles).set(f64(b.snapshot, factorDoubles));
            check(problem.runs, problem.run(kx, u, v, e, o, 0, 0, b.info), { what: fn });
          }
          return { epochs: done + e, loss: losses[e] };
        }
      }
    }
    if (diverged) {
      throw new FactorisationError(
        "DIVERGED",
        `${fn} diverged at epoch ${done + divergedAt}: the loss became non-finite with lr = ${o.lr}; try a smaller lr`,
      );
    }
    done += ran;
    if (ran < batch) break; // tol reached
  }
  return { epochs: done, loss };
}

/**
 * The shared driver of the three SGD functions: options, plan, start (seeded or warm), the
 * chunked epochs, and the factors copied out. `extra` are the problem's own buffers (laid out
 * first); `load` copies its data in and returns the Problem.
 */
function runSgd(
  fn: string, m: number, n: number, k: number, entries: number, opts: unknown, extra: readonly number[],
  load: (kx: KernelExports, pointers: number[]) => Problem, sparse = false,
): SgdResult {
  const o = parseOptions(opts, m, n, k, fn, sparse);
  const factorDoubles = (m + n) * k;
  return withKernel((kx) => {
    const { chunk, tracking, layout } = planSgd(m, n, k, entries, o); // InfoBytes is read from the module
    const pointers = reserve([...extra, ...layout], `${fn} (${m}×${n}, rank ${k})`);
    const [uv, history, info, snapshot, lossOut] = pointers.slice(extra.length);
    const b: SgdBuffers = { uv, history, info, snapshot, loss: lossOut };
    const problem = load(kx, pointers);
    if (o.shuffle) check("shuffleEntries", problem.shuffle!(kx, o.seed as number), { what: fn });
    const u = uv;
    const v = uv + m * k * 8;
    if (o.init) {
      copyIn(u, o.init.U.data, "init.U", k);
      copyIn(v, o.init.V.data, "init.V", k);
    } else {
      check("fillUniform", kx.fillUniform(uv, factorDoubles, o.seed as number), { what: fn });
    }
    const result = runEpochs(kx, fn, problem, o, b, u, v, factorDoubles, chunk, tracking);
    let loss = result.loss;
    if (!tracking) {
      check(problem.losses, problem.loss(kx, u, v, b.loss), { what: fn });
      loss = f64(b.loss, 1)[0];
    }
    return { U: copyOut(u, m, k), V: copyOut(v, n, k), loss, epochs: result.epochs, seed: o.seed };
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
  const a = toMatrix(A, "A");
  const { rows: m, cols: n } = a;
  const k = checkRank(rank, m, n);
  return runSgd("sgdFactorise", m, n, k, m * n, opts, [m * n * 8], (_kx, [pa]) => {
    copyIn(pa, a.data, "A", n);
    return {
      runs: "sgdDense",
      losses: "lossDense",
      run: (kx, u, v, epochs, o, tol, history, info) => kx.sgdDense(pa, m, n, k, u, v, epochs, o.lr, o.lambda, tol, history, info),
      loss: (kx, u, v, out) => kx.lossDense(pa, m, n, k, u, v, out),
    };
  });
}

function sparseProblem(m: number, n: number, k: number, nnz: number, rowIdx: number, colIdx: number, val: number): Problem {
  return {
    runs: "sgdSparse",
    losses: "lossSparse",
    run: (kx, u, v, epochs, o, tol, history, info) =>
      kx.sgdSparse(rowIdx, colIdx, val, nnz, m, n, k, u, v, epochs, o.lr, o.lambda, tol, history, info),
    loss: (kx, u, v, out) => kx.lossSparse(rowIdx, colIdx, val, nnz, k, u, v, out),
    shuffle: (kx, seed) => kx.shuffleEntries(rowIdx, colIdx, val, nnz, seed),
  };
}

/**
 * Matrix completion by masked SGD — lab exercise 3: as {@link sgdFactorise}, but only entries
 * with M[r][c] non-zero / true take part, visited in row-major order. `loss` is over the observed
 * entries; use {@link reconstructionLoss} for the full matrix. Same results as
 * {@link sgdFactoriseSparse} given the observed entries in row-major order.
 *
 * Cost O(m·n) to list the observed entries, then O(epochs·nnz·rank).
 * @throws FactorisationError as sgdFactorise, and SHAPE when M's shape differs or nothing is observed.
 */
export function sgdFactoriseMasked(A: MatrixInput, M: MaskInput, rank: number, opts?: SgdOptions): SgdResult {
  const a = toMatrix(A, "A");
  const mask = toMatrix(M, "M", true);
  const { rows: m, cols: n } = a;
  if (mask.rows !== m || mask.cols !== n) {
    throw new FactorisationError("SHAPE", `M must have the same shape as A (${shapeOf(a)}); got ${shapeOf(mask)}`);
  }
  const k = checkRank(rank, m, n);
  const size = m * n;
  // A, mask, then the observed entries as coordinates (at most m·n of them).
  // The chunk size between callbacks is planned for m·n entries, an upper bound on nnz.
  return runSgd("sgdFactoriseMasked", m, n, k, size, opts, [size * 8, size * 8, size * 4, size * 4, size * 8], (kx, p) => {
    const [pa, pm, rowIdx, colIdx, val] = p;
    copyIn(pa, a.data, "A", n);
    copyIn(pm, mask.data, "M", n);
    const nnz = kx.gatherObserved(pa, pm, m, n, rowIdx, colIdx, val);
    if (nnz < 0) check("gatherObserved", nnz, { what: "sgdFactoriseMasked" });
    if (nnz === 0) {
      throw new FactorisationError("SHAPE", `M has no observed entry (all ${size} are 0/false); at least one is needed`);
    }
    return sparseProblem(m, n, k, nnz, rowIdx, colIdx, val);
  });
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
  const coordinates = checkSparseEntries(entries);
  const { m, n, nnz } = coordinates;
  const k = checkRank(rank, m, n);
  return runSgd("sgdFactoriseSparse", m, n, k, nnz, opts, [nnz * 4, nnz * 4, nnz * 8], (_kx, [rowIdx, colIdx, val]) => {
    copyInCoordinates(coordinates, rowIdx, colIdx, val);
    return sparseProblem(m, n, k, nnz, rowIdx, colIdx, val);
  }, true);
}
