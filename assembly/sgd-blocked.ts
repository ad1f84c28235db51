// Block-stratified SGD for the threaded build: DSGD (Gemulla, Nijkamp, Haas & Sismanis 2011,
// "Large-scale matrix factorization with distributed stochastic gradient descent", KDD §4)
// with the block grid of LIBMF (Chin, Zhuang, Juan & Lin 2015, "A fast parallel SGD for matrix
// factorization in shared memory systems", RecSys). The rows and the columns are cut into P
// blocks each; an epoch is P sub-epochs, and in sub-epoch s the P blocks (i, (i + s) mod P) —
// which share no row and no column, so no two threads ever update the same row of U or V — are
// visited at once, block i by thread i mod T. Inside a block the entries keep their order (a
// coordinate list's, or row-major for dense A). The schedule is fixed (LIBMF's is dynamic), so
// a run depends on P alone: the same seed and P give bit-identical factors on any machine, and
// P = 1 is the sequential order exactly. Losses are summed per row block, in block order.
import { denseEpoch, denseLoss, denseRunArgs, listArgs, lossDenseIn, lossSparseIn, run, sparseEpoch, sparseLoss, sparseRunArgs } from "./sgd";
import { STATUS_OK, inMemory } from "./status";
import { JOB_SGD_EPOCH, JOB_SGD_LOSS, TEAM_MAX_THREADS, jobArg, jobInt, jobPtr, setJobArgs, shareResult, teamActive, teamCheckAbort } from "./team";
import { teamRun } from "./jobs";

// Job arguments of both SGD jobs (JOB_SGD_EPOCH, JOB_SGD_LOSS).
const ARG_SPARSE = 0;
const ARG_A = 1; // dense A, or the list's values
const ARG_ROWS = 2;
const ARG_COLS = 3;
const ARG_M = 4;
const ARG_N = 5;
const ARG_K = 6;
const ARG_U = 7;
const ARG_V = 8;
const ARG_LR = 9;
const ARG_LAMBDA = 10;
const ARG_BLOCKS = 11;
const ARG_OFFSETS = 12;
const ARG_SUB = 13; // the sub-epoch s

// First row (or column) of block b of `size` cut evenly into P (a dense matrix's blocks).
// @ts-ignore: decorator
@inline function cut(size: i32, b: i32, blocks: i32): i32 {
  return <i32>((<i64>size * <i64>b) / <i64>blocks);
}

// A valid block count: blocks > 1 needs the board of a team (teamInit) for its jobs.
// @ts-ignore: decorator
@inline function validBlocks(blocks: i32): bool {
  return blocks >= 1 && blocks <= TEAM_MAX_THREADS && (blocks == 1 || teamActive());
}

// Stores the arguments of both jobs, in the order of the ARG_* slots (lr, lambda and s are the
// epoch's; a loss leaves them 0).
function setArgs(sparse: bool, a: usize, rowIdx: usize, colIdx: usize, m: i32, n: i32, k: i32, u: usize, v: usize,
  lr: f64, lambda: f64, blocks: i32, offsets: usize, s: i32): void {
  setJobArgs(sparse ? 1 : 0, <f64>a, <f64>rowIdx, <f64>colIdx, m, n, k, <f64>u, <f64>v, lr, lambda, blocks, <f64>offsets, s);
}

// The sum of the P per-block results of the last job, in block order.
function sumResults(blocks: i32): f64 {
  let sum = 0.0;
  for (let i = 0; i < blocks; i++) sum += load<f64>(shareResult(i));
  return sum;
}

/** One epoch in P sub-epochs (sgd.ts's run calls it for blocks > 1); returns the sum of the
 *  squared errors seen. offsets: the plan of a coordinate list (sgdBlockPlan). */
export function stratifiedEpoch(sparse: bool, a: usize, rowIdx: usize, colIdx: usize, m: i32, n: i32, k: i32, u: usize, v: usize, lr: f64, lambda: f64, blocks: i32, offsets: usize): f64 {
  let sse = 0.0;
  for (let s = 0; s < blocks; s++) {
    teamCheckAbort();
    setArgs(sparse, a, rowIdx, colIdx, m, n, k, u, v, lr, lambda, blocks, offsets, s);
    teamRun(JOB_SGD_EPOCH, blocks);
    sse += sumResults(blocks);
  }
  return sse;
}

/** The loss over all entries, summed per row block (each block row's entries in order). */
export function stratifiedLoss(sparse: bool, a: usize, rowIdx: usize, colIdx: usize, m: i32, n: i32, k: i32, u: usize, v: usize, blocks: i32, offsets: usize): f64 {
  setArgs(sparse, a, rowIdx, colIdx, m, n, k, u, v, 0, 0, blocks, offsets, 0);
  teamRun(JOB_SGD_LOSS, blocks);
  return sumResults(blocks);
}

/** Chunk i of a sub-epoch s: the block (i, (i + s) mod P). */
export function epochShare(i: i32): void {
  const blocks = jobInt(ARG_BLOCKS);
  const s = jobInt(ARG_SUB);
  const k = jobInt(ARG_K);
  const rowBytes = <usize>k << 3;
  const j = (i + s) % blocks;
  let sse = 0.0;
  if (jobInt(ARG_SPARSE) != 0) {
    const at = jobPtr(ARG_OFFSETS) + (<usize>(i * blocks + j) << 2);
    const lo = <usize>load<i32>(at);
    const count = load<i32>(at, 4) - <i32>lo;
    sse = sparseEpoch(jobPtr(ARG_ROWS) + (lo << 2), jobPtr(ARG_COLS) + (lo << 2), jobPtr(ARG_A) + (lo << 3), count, k, jobPtr(ARG_U), jobPtr(ARG_V), jobArg(ARG_LR), jobArg(ARG_LAMBDA));
  } else {
    const m = jobInt(ARG_M);
    const n = jobInt(ARG_N);
    const c0 = cut(n, j, blocks);
    const cols = cut(n, j + 1, blocks) - c0;
    const vc = jobPtr(ARG_V) + <usize>c0 * rowBytes;
    // Row by row: row r of the block is A[r][c0..c1), contiguous.
    for (let r = cut(m, i, blocks), end = cut(m, i + 1, blocks); r < end; r++) {
      const a = jobPtr(ARG_A) + ((<usize>r * <usize>n + <usize>c0) << 3);
      sse += denseEpoch(a, 1, cols, k, jobPtr(ARG_U) + <usize>r * rowBytes, vc, jobArg(ARG_LR), jobArg(ARG_LAMBDA));
    }
  }
  store<f64>(shareResult(i), sse);
}

/** Chunk i of a loss: block row i, all its entries. */
export function lossShare(i: i32): void {
  const blocks = jobInt(ARG_BLOCKS);
  const k = jobInt(ARG_K);
  let sum = 0.0;
  if (jobInt(ARG_SPARSE) != 0) {
    const at = jobPtr(ARG_OFFSETS);
    const lo = <usize>load<i32>(at + (<usize>(i * blocks) << 2));
    const count = load<i32>(at + (<usize>((i + 1) * blocks) << 2)) - <i32>lo;
    sum = sparseLoss(jobPtr(ARG_ROWS) + (lo << 2), jobPtr(ARG_COLS) + (lo << 2), jobPtr(ARG_A) + (lo << 3), count, k, jobPtr(ARG_U), jobPtr(ARG_V));
  } else {
    const m = jobInt(ARG_M);
    const n = jobInt(ARG_N);
    const r0 = cut(m, i, blocks);
    sum = denseLoss(jobPtr(ARG_A) + ((<usize>r0 * <usize>n) << 3), cut(m, i + 1, blocks) - r0, n, k, jobPtr(ARG_U) + ((<usize>r0 * <usize>k) << 3), jobPtr(ARG_V));
  }
  store<f64>(shareResult(i), sum);
}

// Cuts 0..size−1 (rows or columns) into P runs of about nnz/P entries each: count[x] (the
// entries in row/column x, in blockOf on entry) is replaced by the block of x. A run closes
// once the entries so far reach its share (b + 1)·nnz/P, so each block holds at least its share
// (except the last) and exceeds it by less than one row's entries.
function balancedCuts(blockOf: usize, size: i32, nnz: i32, blocks: i32): void {
  let seen: u64 = 0;
  let b = 0;
  for (let x = 0; x < size; x++) {
    const p = blockOf + (<usize>x << 2);
    seen += <u64>load<i32>(p);
    store<i32>(p, b);
    while (b < blocks - 1 && seen * <u64>blocks >= <u64>(b + 1) * <u64>nnz) b++;
  }
}

/**
 * The plan of block-stratified SGD over a coordinate list: cuts the m rows and n columns into
 * `blocks` runs holding about nnz/blocks entries each, reorders the list in place so that
 * block (i, j) (rows of run i, columns of run j) is contiguous — blocks in row-major order,
 * each keeping its entries' relative order (a stable counting sort) — and writes its bounds:
 * block (i, j) is entries [offsets[i·P + j], offsets[i·P + j + 1]) (blocks² + 1 i32).
 * scratch: 16·nnz + 4·(m + n) bytes, 8-aligned. Cost O(nnz + m + n + blocks²).
 * Preconditions: nnz ≥ 0; m, n ≥ 1; 1 ≤ blocks ≤ TEAM_MAX_THREADS; indices in range (not
 * checked). Returns STATUS_OK or −i for a bad argument i.
 */
export function sgdBlockPlan(rowIdx: usize, colIdx: usize, val: usize, nnz: i32, m: i32, n: i32, blocks: i32, offsets: usize, scratch: usize): i32 {
  const list = listArgs(rowIdx, colIdx, val, nnz, m, n);
  if (list != 0) return list;
  if (blocks < 1 || blocks > TEAM_MAX_THREADS) return -7;
  const cells = blocks * blocks;
  if (!inMemory(offsets, (<u64>cells + 1) << 2)) return -8;
  if (!inMemory(scratch, (<u64>nnz << 4) + ((<u64>m + <u64>n) << 2))) return -9;
  const count = <usize>nnz;
  const valOut = scratch;
  const rowOut = valOut + (count << 3);
  const colOut = rowOut + (count << 2);
  const rowBlock = colOut + (count << 2);
  const colBlock = rowBlock + (<usize>m << 2);
  memory.fill(rowBlock, 0, (<usize>m + <usize>n) << 2);
  for (let t: usize = 0; t < count; t++) {
    const r = rowBlock + (<usize>load<i32>(rowIdx + (t << 2)) << 2);
    store<i32>(r, load<i32>(r) + 1);
    const c = colBlock + (<usize>load<i32>(colIdx + (t << 2)) << 2);
    store<i32>(c, load<i32>(c) + 1);
  }
  balancedCuts(rowBlock, m, nnz, blocks);
  balancedCuts(colBlock, n, nnz, blocks);
  // Counting sort by block: sizes, then starts, then a stable scatter.
  memory.fill(offsets, 0, (<usize>cells + 1) << 2);
  for (let t: usize = 0; t < count; t++) {
    const b = blockOfEntry(rowIdx, colIdx, t, rowBlock, colBlock, blocks);
    const p = offsets + ((<usize>b + 1) << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  for (let b = 0; b < cells; b++) {
    const p = offsets + ((<usize>b + 1) << 2);
    store<i32>(p, load<i32>(p) + load<i32>(p - 4));
  }
  for (let t: usize = 0; t < count; t++) {
    const p = offsets + (<usize>blockOfEntry(rowIdx, colIdx, t, rowBlock, colBlock, blocks) << 2);
    const to = <usize>load<i32>(p);
    store<i32>(p, <i32>to + 1);
    store<i32>(rowOut + (to << 2), load<i32>(rowIdx + (t << 2)));
    store<i32>(colOut + (to << 2), load<i32>(colIdx + (t << 2)));
    store<f64>(valOut + (to << 3), load<f64>(val + (t << 3)));
  }
  // Each start was advanced to the next block's start: shift them back one place.
  for (let b = cells; b > 0; b--) store<i32>(offsets + (<usize>b << 2), load<i32>(offsets + (<usize>(b - 1) << 2)));
  store<i32>(offsets, 0);
  memory.copy(val, valOut, count << 3);
  memory.copy(rowIdx, rowOut, count << 2);
  memory.copy(colIdx, colOut, count << 2);
  return STATUS_OK;
}

// @ts-ignore: decorator
@inline function blockOfEntry(rowIdx: usize, colIdx: usize, t: usize, rowBlock: usize, colBlock: usize, blocks: i32): i32 {
  const i = load<i32>(rowBlock + (<usize>load<i32>(rowIdx + (t << 2)) << 2));
  const j = load<i32>(colBlock + (<usize>load<i32>(colIdx + (t << 2)) << 2));
  return i * blocks + j;
}

/**
 * sgdSparse over a list planned by sgdBlockPlan (same `blocks`, its `offsets`), in block
 * strata: same arguments and statuses, plus blocks (argument 16) and offsets (17). blocks > 1
 * needs a team (teamInit); the blocks of a sub-epoch run on its threads.
 */
export function sgdSparseBlocked(
  rowIdx: usize, colIdx: usize, val: usize, nnz: i32, m: i32, n: i32, k: i32, u: usize, v: usize,
  epochs: i32, lr: f64, lambda: f64, tol: f64, history: usize, info: usize, blocks: i32, offsets: usize,
): i32 {
  const bad = sparseRunArgs(rowIdx, colIdx, val, nnz, m, n, k, u, v, epochs, lr, lambda, tol, history, info);
  if (bad != 0) return bad;
  if (!validBlocks(blocks)) return -16;
  if (!inMemory(offsets, (<u64>blocks * <u64>blocks + 1) << 2)) return -17;
  return run(true, val, rowIdx, colIdx, nnz, m, n, k, u, v, epochs, lr, lambda, tol, history, info, blocks, offsets);
}

/** sgdDense in block strata (blocks × blocks even cuts of A): sgdDense's arguments and
 *  statuses, plus blocks (argument 13). */
export function sgdDenseBlocked(
  a: usize, m: i32, n: i32, k: i32, u: usize, v: usize,
  epochs: i32, lr: f64, lambda: f64, tol: f64, history: usize, info: usize, blocks: i32,
): i32 {
  const bad = denseRunArgs(a, m, n, k, u, v, epochs, lr, lambda, tol, history, info);
  if (bad != 0) return bad;
  if (!validBlocks(blocks)) return -13;
  return run(false, a, 0, 0, 0, m, n, k, u, v, epochs, lr, lambda, tol, history, info, blocks, 0);
}

/** lossSparse summed per block row of a plan (the loss sgdSparseBlocked reports): lossSparse's
 *  arguments, plus blocks (9) and offsets (10). */
export function lossSparseBlocked(rowIdx: usize, colIdx: usize, val: usize, nnz: i32, k: i32, u: usize, v: usize, out: usize, blocks: i32, offsets: usize): i32 {
  if (!validBlocks(blocks)) return -9;
  if (!inMemory(offsets, (<u64>blocks * <u64>blocks + 1) << 2)) return -10;
  return lossSparseIn(rowIdx, colIdx, val, nnz, k, u, v, out, blocks, offsets);
}

/** lossDense summed per block row (the loss sgdDenseBlocked reports): lossDense's arguments,
 *  plus blocks (8). */
export function lossDenseBlocked(a: usize, m: i32, n: i32, k: i32, u: usize, v: usize, out: usize, blocks: i32): i32 {
  if (!validBlocks(blocks)) return -8;
  return lossDenseIn(a, m, n, k, u, v, out, blocks);
}
