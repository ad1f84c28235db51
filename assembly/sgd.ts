// SGD matrix factorisation A ≈ U Vᵀ (the lab's algorithm, COMP6248 lab 1, and the
// masked / sparse form of Koren, Bell & Volinsky 2009, "Matrix factorization techniques
// for recommender systems", §"Learning algorithms"). U is m×k, V is n×k, row-major.
//
// Per visited entry (r, c): e = a − U[r]·V[c]; U[r] += lr·e·V[c]; V[c] += lr·e·U[r],
// the V update using the already updated U[r] exactly as the lab does. With λ > 0 the
// usual L2 form U[r] += lr·(e·V[c] − λ·U[r]), V[c] += lr·(e·U[r] − λ·V[c]).
import { dot, findNonFinite } from "./vector";
import { STATUS_OK, STATUS_DIVERGED, inMemory } from "./status";
import { stratifiedEpoch, stratifiedLoss } from "./sgd-blocked";
import { teamCheckAbort } from "./team";

// Layout of the info block (f64 slots) the caller passes to sgdDense / sgdSparse.
const INFO_EPOCHS_RUN: usize = 0;
const INFO_DIVERGED_AT: usize = 8;
const INFO_LAST_LOSS: usize = 16;
/** Bytes of the info block: epochs run, epoch of divergence (0 = none), last loss. */
export const SGD_INFO_BYTES: i32 = 24;

// The two row updates of one visited entry, fused into one pass over k: lane i of
// U[r] and V[c] depends only on lane i, so fusing changes no rounding.
// @ts-ignore: decorator
@inline function updateRows(ur: usize, vc: usize, k: i32, g: f64): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const gv = f64x2.splat(g);
    for (; i + 2 <= k; i += 2) {
      const o = <usize>i << 3;
      const un = f64x2.add(v128.load(ur + o), f64x2.mul(gv, v128.load(vc + o)));
      v128.store(ur + o, un);
      v128.store(vc + o, f64x2.add(v128.load(vc + o), f64x2.mul(gv, un)));
    }
  }
  for (; i < k; i++) {
    const o = <usize>i << 3;
    const un = load<f64>(ur + o) + g * load<f64>(vc + o);
    store<f64>(ur + o, un);
    store<f64>(vc + o, load<f64>(vc + o) + g * un);
  }
}

// The same with L2 shrinkage: U[r] += lr·(e·V[c] − λ·U[r]); V[c] += lr·(e·U[r] − λ·V[c]).
// @ts-ignore: decorator
@inline function updateRowsRegularised(ur: usize, vc: usize, k: i32, lr: f64, e: f64, lambda: f64): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lrv = f64x2.splat(lr);
    const ev = f64x2.splat(e);
    const lv = f64x2.splat(lambda);
    for (; i + 2 <= k; i += 2) {
      const o = <usize>i << 3;
      const u = v128.load(ur + o);
      const v = v128.load(vc + o);
      const un = f64x2.add(u, f64x2.mul(lrv, f64x2.sub(f64x2.mul(ev, v), f64x2.mul(lv, u))));
      v128.store(ur + o, un);
      v128.store(vc + o, f64x2.add(v, f64x2.mul(lrv, f64x2.sub(f64x2.mul(ev, un), f64x2.mul(lv, v)))));
    }
  }
  for (; i < k; i++) {
    const o = <usize>i << 3;
    const u = load<f64>(ur + o);
    const v = load<f64>(vc + o);
    const un = u + lr * (e * v - lambda * u);
    store<f64>(ur + o, un);
    store<f64>(vc + o, v + lr * (e * un - lambda * v));
  }
}

// One visited entry; returns the error before the update (its square feeds the
// divergence check at no extra cost).
// @ts-ignore: decorator
@inline function visit(target: f64, ur: usize, vc: usize, k: i32, lr: f64, lambda: f64): f64 {
  const e = target - dot(ur, vc, k);
  if (lambda == 0) updateRows(ur, vc, k, lr * e);
  else updateRowsRegularised(ur, vc, k, lr, e, lambda);
  return e;
}

/** One epoch over a dense row-major m×n A in row-major order; returns the sum of the squared
 *  errors seen. (Called one row at a time on the blocks of sgd-blocked.ts.) */
export function denseEpoch(a: usize, m: i32, n: i32, k: i32, u: usize, v: usize, lr: f64, lambda: f64): f64 {
  const rowBytes = <usize>k << 3;
  let sse = 0.0;
  let ap = a;
  let ur = u;
  for (let r = 0; r < m; r++) {
    let vc = v;
    for (let c = 0; c < n; c++) {
      const e = visit(load<f64>(ap), ur, vc, k, lr, lambda);
      sse += e * e;
      ap += 8;
      vc += rowBytes;
    }
    ur += rowBytes;
  }
  return sse;
}

/** One epoch over `nnz` coordinate entries in their order; returns the sum of squared errors. */
export function sparseEpoch(rowIdx: usize, colIdx: usize, val: usize, nnz: i32, k: i32, u: usize, v: usize, lr: f64, lambda: f64): f64 {
  const rowBytes = <usize>k << 3;
  let sse = 0.0;
  for (let t: usize = 0; t < <usize>nnz; t++) {
    const ur = u + <usize>load<i32>(rowIdx + (t << 2)) * rowBytes;
    const vc = v + <usize>load<i32>(colIdx + (t << 2)) * rowBytes;
    const e = visit(load<f64>(val + (t << 3)), ur, vc, k, lr, lambda);
    sse += e * e;
  }
  return sse;
}

/** ‖A − UVᵀ‖²_F over all m·n entries of a dense row-major A. Cost O(m·n·k). */
export function denseLoss(a: usize, m: i32, n: i32, k: i32, u: usize, v: usize): f64 {
  const rowBytes = <usize>k << 3;
  let sum = 0.0;
  let ap = a;
  let ur = u;
  for (let r = 0; r < m; r++) {
    let vc = v;
    for (let c = 0; c < n; c++) {
      const e = load<f64>(ap) - dot(ur, vc, k);
      sum += e * e;
      ap += 8;
      vc += rowBytes;
    }
    ur += rowBytes;
  }
  return sum;
}

/** Σ (value_t − U[row_t]·V[col_t])² over `nnz` coordinate entries (i32 indices). Cost O(nnz·k). */
export function sparseLoss(rowIdx: usize, colIdx: usize, val: usize, nnz: i32, k: i32, u: usize, v: usize): f64 {
  const rowBytes = <usize>k << 3;
  let sum = 0.0;
  for (let t: usize = 0; t < <usize>nnz; t++) {
    const ur = u + <usize>load<i32>(rowIdx + (t << 2)) * rowBytes;
    const vc = v + <usize>load<i32>(colIdx + (t << 2)) * rowBytes;
    const e = load<f64>(val + (t << 3)) - dot(ur, vc, k);
    sum += e * e;
  }
  return sum;
}

// One epoch of the run's problem: dense A (sparse false) or a coordinate list (values at a),
// in its order, or with blocks > 1 (threaded build only) in block strata (sgd-blocked.ts;
// offsets locate a list's blocks).
// @ts-ignore: decorator
@inline function epochOf(
  sparse: bool, a: usize, rowIdx: usize, colIdx: usize, nnz: i32, m: i32, n: i32, k: i32,
  u: usize, v: usize, lr: f64, lambda: f64, blocks: i32, offsets: usize,
): f64 {
  if (ASC_FEATURE_THREADS && blocks > 1) return stratifiedEpoch(sparse, a, rowIdx, colIdx, m, n, k, u, v, lr, lambda, blocks, offsets);
  return sparse ? sparseEpoch(rowIdx, colIdx, a, nnz, k, u, v, lr, lambda) : denseEpoch(a, m, n, k, u, v, lr, lambda);
}

/** The loss of the run's problem (as epochOf): in entry order, or summed per row block. */
// @ts-ignore: decorator
@inline export function lossOf(
  sparse: bool, a: usize, rowIdx: usize, colIdx: usize, nnz: i32, m: i32, n: i32, k: i32,
  u: usize, v: usize, blocks: i32, offsets: usize,
): f64 {
  if (ASC_FEATURE_THREADS && blocks > 1) return stratifiedLoss(sparse, a, rowIdx, colIdx, m, n, k, u, v, blocks, offsets);
  return sparse ? sparseLoss(rowIdx, colIdx, a, nnz, k, u, v) : denseLoss(a, m, n, k, u, v);
}

/**
 * The driver of every SGD export: runs up to `epochs` epochs of the problem (see epochOf).
 * `history` (0 = not wanted) receives epochs+1 losses: before the first epoch, then after
 * each. The exact loss is computed per epoch only when history or tol needs it.
 */
export function run(
  sparse: bool, a: usize, rowIdx: usize, colIdx: usize, nnz: i32, m: i32, n: i32, k: i32,
  u: usize, v: usize, epochs: i32, lr: f64, lambda: f64, tol: f64, history: usize, info: usize,
  blocks: i32 = 1, offsets: usize = 0,
): i32 {
  const tracking = history != 0 || tol > 0;
  let prev = 0.0;
  if (tracking) {
    prev = lossOf(sparse, a, rowIdx, colIdx, nnz, m, n, k, u, v, blocks, offsets);
    if (history != 0) store<f64>(history, prev);
  }
  store<f64>(info + INFO_DIVERGED_AT, 0);
  store<f64>(info + INFO_LAST_LOSS, tracking ? prev : NaN);
  let epoch = 0;
  while (epoch < epochs) {
    epoch++;
    if (ASC_FEATURE_THREADS) teamCheckAbort();
    const sse = epochOf(sparse, a, rowIdx, colIdx, nnz, m, n, k, u, v, lr, lambda, blocks, offsets);
    if (!isFinite(sse)) {
      store<f64>(info + INFO_EPOCHS_RUN, <f64>epoch);
      store<f64>(info + INFO_DIVERGED_AT, <f64>epoch);
      return STATUS_DIVERGED;
    }
    if (tracking) {
      const loss = lossOf(sparse, a, rowIdx, colIdx, nnz, m, n, k, u, v, blocks, offsets);
      if (!isFinite(loss)) {
        store<f64>(info + INFO_EPOCHS_RUN, <f64>epoch);
        store<f64>(info + INFO_DIVERGED_AT, <f64>epoch);
        return STATUS_DIVERGED;
      }
      if (history != 0) store<f64>(history + (<usize>epoch << 3), loss);
      store<f64>(info + INFO_LAST_LOSS, loss);
      const improvement = prev - loss;
      prev = loss;
      if (tol > 0 && improvement < tol) break;
    }
  }
  store<f64>(info + INFO_EPOCHS_RUN, <f64>epoch);
  // The error sum can stay finite while the last updates overflow a factor.
  if (findNonFinite(u, m * k) < m * k || findNonFinite(v, n * k) < n * k) {
    store<f64>(info + INFO_DIVERGED_AT, <f64>epoch);
    return STATUS_DIVERGED;
  }
  return STATUS_OK;
}

/**
 * Runs up to `epochs` SGD epochs on dense A (m×n, row-major), updating U (m×k) and
 * V (n×k) in place. Every entry is visited in row-major order (all m rows: the lab's
 * listing loops `range(rank)`, a bug its printed figures do not share).
 * lambda: L2 weight (0 = the lab's update bit for bit). tol > 0: stop once an epoch
 * improves the loss by less than tol. history: 0 or (epochs+1) f64 slots for the loss.
 * info: SGD_INFO_BYTES. Cost O(epochs·m·n·k), doubled when history or tol is used.
 * Preconditions: m, n, k, epochs ≥ 1; lr > 0, lambda ≥ 0, tol ≥ 0 finite; buffers 8-byte
 * aligned in memory. Returns STATUS_OK, STATUS_DIVERGED or −i for a bad argument i.
 */
export function sgdDense(
  a: usize, m: i32, n: i32, k: i32, u: usize, v: usize,
  epochs: i32, lr: f64, lambda: f64, tol: f64, history: usize, info: usize,
): i32 {
  const bad = denseRunArgs(a, m, n, k, u, v, epochs, lr, lambda, tol, history, info);
  return bad != 0 ? bad : run(false, a, 0, 0, 0, m, n, k, u, v, epochs, lr, lambda, tol, history, info);
}

/** sgdDense's argument checks (0, or −i for a bad argument i), shared with sgdDenseBlocked. */
export function denseRunArgs(
  a: usize, m: i32, n: i32, k: i32, u: usize, v: usize,
  epochs: i32, lr: f64, lambda: f64, tol: f64, history: usize, info: usize,
): i32 {
  if (m < 1) return -2;
  if (n < 1) return -3;
  if (!inMemory(a, (<u64>m * <u64>n) << 3)) return -1;
  const bad = checkRun(m, n, k, u, v, epochs, lr, lambda, tol, history, info);
  return bad != 0 ? bad - 3 : 0;
}

// The checks sgdDense and sgdSparse share, on their arguments from k on: 0 when all pass,
// else −(position of the bad one counted from k = 1).
function checkRun(m: i32, n: i32, k: i32, u: usize, v: usize, epochs: i32, lr: f64, lambda: f64, tol: f64, history: usize, info: usize): i32 {
  if (k < 1) return -1;
  if (!inMemory(u, (<u64>m * <u64>k) << 3)) return -2;
  if (!inMemory(v, (<u64>n * <u64>k) << 3)) return -3;
  if (epochs < 1) return -4;
  if (!(lr > 0) || !isFinite(lr)) return -5;
  if (!(lambda >= 0) || !isFinite(lambda)) return -6;
  if (!(tol >= 0) || !isFinite(tol)) return -7;
  if (history != 0 && !inMemory(history, (<u64>epochs + 1) << 3)) return -8;
  if (!inMemory(info, SGD_INFO_BYTES)) return -9;
  return 0;
}

/**
 * As sgdDense, but visiting only the `nnz` coordinate entries (rowIdx/colIdx: i32,
 * val: f64) in the given order; U is m×k and V n×k. Cost O(epochs·nnz·k).
 * Preconditions: as sgdDense, nnz ≥ 0, and every index in range (not checked: O(nnz)).
 */
export function sgdSparse(
  rowIdx: usize, colIdx: usize, val: usize, nnz: i32, m: i32, n: i32, k: i32, u: usize, v: usize,
  epochs: i32, lr: f64, lambda: f64, tol: f64, history: usize, info: usize,
): i32 {
  const bad = sparseRunArgs(rowIdx, colIdx, val, nnz, m, n, k, u, v, epochs, lr, lambda, tol, history, info);
  return bad != 0 ? bad : run(true, val, rowIdx, colIdx, nnz, m, n, k, u, v, epochs, lr, lambda, tol, history, info);
}

/** sgdSparse's argument checks (0, or −i for a bad argument i), shared with sgdSparseBlocked. */
export function sparseRunArgs(
  rowIdx: usize, colIdx: usize, val: usize, nnz: i32, m: i32, n: i32, k: i32, u: usize, v: usize,
  epochs: i32, lr: f64, lambda: f64, tol: f64, history: usize, info: usize,
): i32 {
  const list = listArgs(rowIdx, colIdx, val, nnz, m, n);
  if (list != 0) return list;
  const bad = checkRun(m, n, k, u, v, epochs, lr, lambda, tol, history, info);
  return bad != 0 ? bad - 6 : 0;
}

/** The checks of a coordinate list and its shape as arguments 1–6 (rowIdx, colIdx, val, nnz, m,
 *  n): 0, or −i for a bad argument i. */
export function listArgs(rowIdx: usize, colIdx: usize, val: usize, nnz: i32, m: i32, n: i32): i32 {
  if (nnz < 0) return -4;
  if (!inMemory(rowIdx, <u64>nnz << 2)) return -1;
  if (!inMemory(colIdx, <u64>nnz << 2)) return -2;
  if (!inMemory(val, <u64>nnz << 3)) return -3;
  if (m < 1) return -5;
  if (n < 1) return -6;
  return 0;
}

/**
 * ‖A − UVᵀ‖²_F over all m·n entries of a dense row-major A (U m×k, V n×k), written to out.
 * Cost O(m·n·k). Preconditions: m, n, k ≥ 0; buffers 8-byte aligned in memory. Returns
 * STATUS_OK or −i.
 */
export function lossDense(a: usize, m: i32, n: i32, k: i32, u: usize, v: usize, out: usize): i32 {
  return lossDenseIn(a, m, n, k, u, v, out, 1);
}

/** lossDense, summed per row block when blocks > 1 (lossDenseBlocked, threaded build). */
// @ts-ignore: decorator
@inline export function lossDenseIn(a: usize, m: i32, n: i32, k: i32, u: usize, v: usize, out: usize, blocks: i32): i32 {
  if (m < 0) return -2;
  if (n < 0) return -3;
  if (k < 0) return -4;
  if (!inMemory(a, (<u64>m * <u64>n) << 3)) return -1;
  if (!inMemory(u, (<u64>m * <u64>k) << 3)) return -5;
  if (!inMemory(v, (<u64>n * <u64>k) << 3)) return -6;
  if (!inMemory(out, 8)) return -7;
  store<f64>(out, lossOf(false, a, 0, 0, 0, m, n, k, u, v, blocks, 0));
  return STATUS_OK;
}

/**
 * Σ (value_t − U[row_t]·V[col_t])² over `nnz` coordinate entries (i32 indices, f64 values),
 * written to out. Cost O(nnz·k). Preconditions: nnz, k ≥ 0; indices in range (not checked);
 * buffers aligned in memory; U, V large enough for the indices. Returns STATUS_OK or −i.
 */
export function lossSparse(rowIdx: usize, colIdx: usize, val: usize, nnz: i32, k: i32, u: usize, v: usize, out: usize): i32 {
  return lossSparseIn(rowIdx, colIdx, val, nnz, k, u, v, out, 1, 0);
}

/** lossSparse, summed per row block of the plan at offsets when blocks > 1 (lossSparseBlocked). */
// @ts-ignore: decorator
@inline export function lossSparseIn(rowIdx: usize, colIdx: usize, val: usize, nnz: i32, k: i32, u: usize, v: usize, out: usize, blocks: i32, offsets: usize): i32 {
  if (nnz < 0) return -4;
  if (k < 0) return -5;
  if (!inMemory(rowIdx, <u64>nnz << 2)) return -1;
  if (!inMemory(colIdx, <u64>nnz << 2)) return -2;
  if (!inMemory(val, <u64>nnz << 3)) return -3;
  if (!inMemory(u, 0)) return -6;
  if (!inMemory(v, 0)) return -7;
  if (!inMemory(out, 8)) return -8;
  store<f64>(out, lossOf(true, val, rowIdx, colIdx, nnz, 0, 0, k, u, v, blocks, offsets));
  return STATUS_OK;
}

/**
 * Lists the observed entries of A (m×n) in row-major order, as coordinates (i32 rowIdx, colIdx)
 * and values (f64 val): those whose mask value is non-zero, or with mask = 0 (no mask) those
 * that are not NaN. Each output needs room for m·n entries. Cost O(m·n). Preconditions:
 * m, n ≥ 0; buffers aligned in memory. Returns the number listed (≥ 0), or −i for a bad
 * argument i.
 */
export function gatherObserved(a: usize, mask: usize, m: i32, n: i32, rowIdx: usize, colIdx: usize, val: usize): i32 {
  if (m < 0) return -3;
  if (n < 0) return -4;
  const cells = <u64>m * <u64>n;
  if (!inMemory(a, cells << 3)) return -1;
  if (mask != 0 && !inMemory(mask, cells << 3)) return -2;
  if (!inMemory(rowIdx, cells << 2)) return -5;
  if (!inMemory(colIdx, cells << 2)) return -6;
  if (!inMemory(val, cells << 3)) return -7;
  let count: usize = 0;
  let p: usize = 0;
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      const x = load<f64>(a + (p << 3));
      if (mask != 0 ? load<f64>(mask + (p << 3)) != 0 : x == x) {
        store<i32>(rowIdx + (count << 2), r);
        store<i32>(colIdx + (count << 2), c);
        store<f64>(val + (count << 3), x);
        count++;
      }
      p++;
    }
  }
  return <i32>count;
}
