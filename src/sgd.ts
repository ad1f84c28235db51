// SGD factorisation A ≈ U Vᵀ: dense (lab exercise 1), masked (exercise 3) and sparse
// (recommender data). Validation and marshalling here; every epoch runs in assembly/sgd.ts.
import { FactorisationError, describe } from "./errors.js";
import { type MaskInput, type Matrix, type MatrixInput, shapeOf, toMatrix } from "./matrix.js";
import { checkOptionNames, checkRank, finiteNumber, integerInRange, seedOption } from "./options.js";
import { checkCoordinates, copyInCoordinates } from "./entries.js";
import { copyInFinite, f64, type KernelExports, layoutBytes, reserve, SGD_INFO_DOUBLES, Status, withKernel } from "./kernel.js";

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

/** Observed entries of an m×n matrix as parallel arrays (coordinate / COO form), 0-based. */
export interface SparseEntries {
  rows: number;
  cols: number;
  row: ArrayLike<number>;
  col: ArrayLike<number>;
  value: ArrayLike<number>;
}

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
  m: number;
  n: number;
  k: number;
  run(kx: KernelExports, u: number, v: number, epochs: number, o: ParsedOptions, tol: number, history: number, info: number): number;
  loss(kx: KernelExports, u: number, v: number): number;
  /** Permutes the visiting order (sparse problems only). */
  shuffle?(kx: KernelExports, seed: number): void;
}

/**
 * The shared driver: start (seeded or warm), epochs in chunks between onEpoch calls, divergence
 * turned into DIVERGED, factors copied out. `extra` are the problem's own buffers (laid out
 * first); `load` copies its data in and returns the Problem.
 */
function runSgd(
  fn: string, m: number, n: number, k: number, entries: number, opts: unknown, extra: readonly number[],
  load: (kx: KernelExports, pointers: number[]) => Problem, sparse = false,
): SgdResult {
  const o = parseOptions(opts, m, n, k, fn, sparse);
  const factorDoubles = (m + n) * k;
  const tracking = o.onEpoch !== undefined || o.tol > 0;
  const chunk = o.onEpoch ? Math.max(1, Math.min(MAX_CHUNK_EPOCHS, o.epochs, Math.floor(CALLBACK_CHUNK_WORK / (entries * k)))) : o.epochs;
  const layout = [
    ...extra,
    factorDoubles * 8, // U then V, one block so the seeded stream fills U before V
    tracking ? (chunk + 1) * 8 : 0, // loss history of one chunk
    SGD_INFO_DOUBLES * 8,
    o.onEpoch ? factorDoubles * 8 : 0, // U, V at the start of the chunk, to stop exactly at an epoch
  ];
  if (layoutBytes(layout) > 2 ** 32) {
    throw new FactorisationError("TOO_LARGE", `${fn} on a ${m}×${n} problem with rank ${k} needs more than 4 GiB of workspace`);
  }
  return withKernel((kx) => {
    const pointers = reserve(layout, `${fn} (${m}×${n}, rank ${k})`);
    const [uv, history, info, snapshot] = pointers.slice(extra.length);
    const problem = load(kx, pointers);
    if (o.shuffle) problem.shuffle?.(kx, o.seed as number);
    const u = uv;
    const v = uv + m * k * 8;
    if (o.init) {
      copyInFinite(u, o.init.U.data, "init.U", k);
      copyInFinite(v, o.init.V.data, "init.V", k);
    } else {
      kx.fillUniform(uv, factorDoubles, o.seed as number);
    }
    let done = 0;
    let loss = NaN;
    let stopped = false;
    while (done < o.epochs && !stopped) {
      const batch = Math.min(o.epochs - done, chunk);
      if (o.onEpoch) f64(snapshot, factorDoubles).set(f64(uv, factorDoubles));
      const status = problem.run(kx, u, v, batch, o, o.tol, tracking ? history : 0, info);
      const [ran, divergedAt, lastLoss] = f64(info, SGD_INFO_DOUBLES);
      const diverged = status === Status.DIVERGED;
      // Epochs of this chunk whose loss is valid: all of them, or those before the divergence.
      const good = diverged ? divergedAt - 1 : ran;
      loss = lastLoss;
      if (o.onEpoch) {
        const losses = f64(history, good + 1).slice();
        for (let e = 1; e <= good; e++) {
          // The callback may call the library: its buffers are laid out above this call's.
          if (o.onEpoch(done + e, losses[e]) === false) {
            if (e < ran) {
              // Rerun from the chunk's start to stop exactly after epoch e: SGD is deterministic.
              f64(uv, factorDoubles).set(f64(snapshot, factorDoubles));
              problem.run(kx, u, v, e, o, 0, 0, info);
            }
            done += e;
            loss = losses[e];
            stopped = true;
            break;
          }
        }
        if (stopped) break;
      }
      if (diverged) {
        throw new FactorisationError(
          "DIVERGED",
          `${fn} diverged at epoch ${done + divergedAt}: the loss became non-finite with lr = ${o.lr}; try a smaller lr`,
        );
      }
      done += ran;
      if (ran < batch) stopped = true; // tol reached
    }
    if (!tracking) loss = problem.loss(kx, u, v);
    return {
      U: { rows: m, cols: k, data: f64(u, m * k).slice() },
      V: { rows: n, cols: k, data: f64(v, n * k).slice() },
      loss,
      epochs: done,
      seed: o.seed,
    };
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
    copyInFinite(pa, a.data, "A", n);
    return {
      m, n, k,
      run: (kx, u, v, epochs, o, tol, history, info) => kx.sgdDense(pa, m, n, k, u, v, epochs, o.lr, o.lambda, tol, history, info),
      loss: (kx, u, v) => kx.lossDense(pa, m, n, k, u, v),
    };
  });
}

function sparseProblem(m: number, n: number, k: number, nnz: number, rowIdx: number, colIdx: number, val: number): Problem {
  return {
    m, n, k,
    run: (kx, u, v, epochs, o, tol, history, info) =>
      kx.sgdSparse(rowIdx, colIdx, val, nnz, m, n, k, u, v, epochs, o.lr, o.lambda, tol, history, info),
    loss: (kx, u, v) => kx.lossSparse(rowIdx, colIdx, val, nnz, k, u, v),
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
    copyInFinite(pa, a.data, "A", n);
    copyInFinite(pm, mask.data, "M", n);
    const nnz = kx.gatherObserved(pa, pm, m, n, rowIdx, colIdx, val);
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
  if (entries === null || typeof entries !== "object") {
    throw new FactorisationError("SHAPE", `entries must be an object { rows, cols, row, col, value }; got ${describe(entries)}`);
  }
  const { rows: m, cols: n } = entries;
  for (const [value, name] of [[m, "entries.rows"], [n, "entries.cols"]] as const) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new FactorisationError("SHAPE", `${name} must be a positive integer; got ${describe(value)}`);
    }
  }
  const coordinates = checkCoordinates(entries, m, n);
  const { nnz } = coordinates;
  const k = checkRank(rank, m, n);
  return runSgd("sgdFactoriseSparse", m, n, k, nnz, opts, [nnz * 4, nnz * 4, nnz * 8], (_kx, [rowIdx, colIdx, val]) => {
    copyInCoordinates(coordinates, rowIdx, colIdx, val);
    return sparseProblem(m, n, k, nnz, rowIdx, colIdx, val);
  }, true);
}
