// createPool in Node, against the built package (dist/): the workers load dist/pool-worker.js
// and the threaded kernel build exactly as a user's do. Oracles: the synchronous API (the SVD is
// bit-identical on any team; SGD on a team of one is too), and for SGD on larger teams an
// independent JavaScript transcription of the block-stratified schedule (dsgd-reference.ts).
import { execFileSync } from "node:child_process";
import { isMainThread } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createPool, FactorisationError, type Matrix, pca, type Pool, sgdFactorise, sgdFactoriseMasked, sgdFactoriseSparse, svd, svdFactorise,
} from "../../dist/index.js";
import { randomMatrix } from "../../bench/random.mjs";
import { dsgdDense, dsgdSparse } from "./dsgd-reference.js";

/** Seeded xorshift32 entries in [−1, 1) (bench/random.mjs). */
const random = (m: number, n: number, seed: number): Matrix => randomMatrix(m, n, seed);

/** A seeded coordinate list of a rank-3 m×n matrix plus noise. */
function entries(m: number, n: number, nnz: number, seed: number) {
  const B = random(m, 3, seed);
  const C = random(n, 3, seed + 1);
  const row = new Int32Array(nnz);
  const col = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  let s = seed + 2;
  for (let t = 0; t < nnz; t++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    row[t] = s % m;
    col[t] = Math.floor(s / m) % n;
    value[t] = B.data[row[t] * 3] * C.data[col[t] * 3] + B.data[row[t] * 3 + 1] * C.data[col[t] * 3 + 1] + B.data[row[t] * 3 + 2] * C.data[col[t] * 3 + 2];
  }
  return { rows: m, cols: n, row, col, value };
}

/** Every element the same double (NaN and −0 included): Object.is, element by element. */
function identical(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const LAB = [[0.3374, 0.6005, 0.1735], [3.3359, 0.0492, 1.8374], [2.9407, 0.5301, 2.262]];

const pools: Pool[] = [];
const open = (threads: number) => {
  const pool = createPool({ threads });
  pools.push(pool);
  return pool;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe("SVD on a team equals the synchronous svd bit for bit", () => {
  // Shapes chosen so that every split path runs: gemm in the blocked bidiagonalisation's trailing
  // update (≥ 128 columns), its matrix–vector passes, the divide-and-conquer merges (N ≥ 128) and
  // the blocked QR / WY products of the tall path, the wide path through Aᵀ, full bases, values
  // only (dqds: unsplit, but after a split bidiagonalisation); reflectRows is split only for
  // N < 128 with long rows (900×100 thin, 120×600 full: each fails when a reflector chunk is
  // skipped). The rotations' split (rotateRowPairs) needs 2¹⁶ element pairs, which the QR
  // iteration no longer reaches since divide and conquer makes the vectors from N = 128.
  // Each case on a fresh pool: a leader whose helpers are slow to take chunks (a loaded machine)
  // runs alone for a while after its first window of jobs (team.ts), and a pool in that state
  // would not split at all. The first window is always split, so every case's first jobs run
  // on the team. The 1024×640 case is large enough that a race between the threads' shares
  // (e.g. one packing block for all) shows.
  const cases: [number, number, "thin" | "full" | "none"][] = [[1024, 640, "thin"], [300, 300, "thin"], [700, 200, "thin"], [200, 520, "thin"], [260, 200, "full"], [330, 310, "none"], [900, 100, "thin"], [120, 600, "full"]];
  for (const threads of [1, 2, 3]) {
    test(`threads ${threads}: S, U and V are the same doubles`, async () => {
      for (const [m, n, vectors] of cases) {
        const pool = open(threads);
        expect(pool.threads).toBe(threads);
        const A = random(m, n, m + n);
        const got = await pool.svd(A, { vectors });
        await pool.close();
        const want = svd(A, { vectors });
        expect(identical(got.S, want.S), `${m}×${n} ${vectors} S`).toBe(true);
        if (vectors !== "none") {
          expect(got.U!.rows).toBe(want.U!.rows);
          expect(identical(got.U!.data, want.U!.data), `${m}×${n} ${vectors} U`).toBe(true);
          expect(identical(got.V!.data, want.V!.data), `${m}×${n} ${vectors} V`).toBe(true);
        }
      }
    });
  }

  test("svdFactorise and the randomized method too; the caller's matrix is neither changed nor detached", async () => {
    const pool = open(2);
    const A = random(240, 180, 5);
    const before = A.data.slice();
    const lab = await pool.svdFactorise(A, 7);
    const want = svdFactorise(A, 7);
    expect(identical(lab.S.data, want.S.data) && identical(lab.U.data, want.U.data) && identical(lab.V.data, want.V.data)).toBe(true);
    const r = await pool.svd(A, { k: 5, method: "randomized", seed: 3 });
    expect(identical(r.S, svd(A, { k: 5, method: "randomized", seed: 3 }).S)).toBe(true);
    expect(A.data.length).toBe(before.length);
    expect(identical(A.data, before)).toBe(true);
  });

  // The bound on the difference from the synchronous call is 0 for every function on the pool:
  // each split product computes every entry with the same operations in the same order.
  test("pca (dense exact, dense randomized, sparse) and svd of a sparse coordinate list equal the synchronous calls bit for bit", async () => {
    const pool = open(2);
    const X = random(400, 180, 71);
    const E = entries(500, 300, 20_000, 72);
    const same = (a: { components: Matrix; scores: Matrix; singularValues: Float64Array; mean: Float64Array; explainedVarianceRatio: Float64Array },
      b: typeof a) => identical(a.components.data, b.components.data) && identical(a.scores.data, b.scores.data)
      && identical(a.singularValues, b.singularValues) && identical(a.mean, b.mean) && identical(a.explainedVarianceRatio, b.explainedVarianceRatio);
    expect(same(await pool.pca(X, { k: 6 }), pca(X, { k: 6 })), "dense exact").toBe(true);
    expect(same(await pool.pca(X, { k: 6, scale: true, method: "randomized", seed: 3 }), pca(X, { k: 6, scale: true, method: "randomized", seed: 3 })), "dense randomized").toBe(true);
    expect(same(await pool.pca(E, { k: 5, seed: 4 }), pca(E, { k: 5, seed: 4 })), "sparse").toBe(true);
    const got = await pool.svd(E, { k: 5, seed: 5 });
    const want = svd(E, { k: 5, seed: 5 });
    expect(identical(got.S, want.S) && identical(got.U.data, want.U.data) && identical(got.V.data, want.V.data), "sparse svd").toBe(true);
    // The caller's typed arrays are copied, never detached.
    expect(E.value.length).toBe(20_000);
    // Errors as the synchronous calls: too few rows for pca, a sparse svd without method 'randomized'.
    await expect(pool.pca([[1, 2, 3]])).rejects.toMatchObject({ code: "SHAPE", message: (() => { try { pca([[1, 2, 3]]); } catch (e) { return (e as Error).message; } })() });
    await expect(pool.svd(E, { method: "exact" })).rejects.toMatchObject({ code: "OPTION" });
  });

  test("an ml-matrix-like input (rows, columns, get) is read on the caller's thread", async () => {
    const pool = open(2);
    const A = random(150, 130, 73);
    const like = { rows: A.rows, columns: A.cols, get: (i: number, j: number) => A.data[i * A.cols + j] };
    expect(identical((await pool.svd(like)).S, svd(A).S)).toBe(true);
  });
});

describe("SGD", () => {
  test("threads 1 reproduces the synchronous functions bit for bit (dense, masked, sparse shuffled; onEpoch losses too)", async () => {
    const pool = open(1);
    const seen: number[] = [];
    const mine: number[] = [];
    const a = await pool.sgdFactorise(LAB, 2, { seed: 1, onEpoch: (_e, loss) => void mine.push(loss) });
    const b = sgdFactorise(LAB, 2, { seed: 1, onEpoch: (_e, loss) => void seen.push(loss) });
    expect(identical(a.U.data, b.U.data) && identical(a.V.data, b.V.data)).toBe(true);
    expect([a.loss, a.epochs, a.seed]).toEqual([b.loss, b.epochs, b.seed]);
    expect(identical(mine, seen)).toBe(true);
    const M = [[1, 1, 1], [0, 1, 1], [1, 0, 1]];
    const c = await pool.sgdFactoriseMasked(LAB, M, 2, { seed: 2, lambda: 0.01 });
    const d = sgdFactoriseMasked(LAB, M, 2, { seed: 2, lambda: 0.01 });
    expect(identical(c.U.data, d.U.data) && c.loss === d.loss).toBe(true);
    const E = entries(60, 40, 900, 3);
    const e = await pool.sgdFactoriseSparse(E, 4, { seed: 4, epochs: 30, shuffle: true, lr: 0.05 });
    const f = sgdFactoriseSparse(E, 4, { seed: 4, epochs: 30, shuffle: true, lr: 0.05 });
    expect(identical(e.U.data, f.U.data) && identical(e.V.data, f.V.data) && e.loss === f.loss).toBe(true);
  });

  test("threads 1, main's SGD semantics: lr 'auto' (result.lr), NaN as missing without a mask, DIVERGED with lastFinite, all bit for bit", async () => {
    const pool = open(1);
    const A = random(40, 30, 81).data.map((x) => 200 * x + 100); // pixel-sized values: lr 0.01 would diverge
    const big = { rows: 40, cols: 30, data: A };
    const seen: number[] = [];
    const mine: number[] = [];
    const a = await pool.sgdFactorise(big, 3, { seed: 1, epochs: 50, lr: "auto", onEpoch: (_e, loss) => void mine.push(loss) });
    const b = sgdFactorise(big, 3, { seed: 1, epochs: 50, lr: "auto", onEpoch: (_e, loss) => void seen.push(loss) });
    expect(identical(a.U.data, b.U.data) && identical(a.V.data, b.V.data) && a.loss === b.loss).toBe(true);
    expect(identical(mine, seen)).toBe(true);
    expect(mine[49]).toBe(a.loss); // onEpoch's losses are in the data's units, as the result's
    expect(a.lr).toBe(b.lr);
    const holes = { rows: 40, cols: 30, data: A.map((x, i) => (i % 7 === 3 ? NaN : x)) };
    const c = await pool.sgdFactoriseMasked(holes, undefined, 3, { seed: 2, epochs: 40, lr: "auto" });
    const d = sgdFactoriseMasked(holes, undefined, 3, { seed: 2, epochs: 40, lr: "auto" });
    expect(identical(c.U.data, d.U.data) && identical(c.V.data, d.V.data) && c.loss === d.loss && c.lr === d.lr).toBe(true);
    const E = entries(60, 40, 900, 82);
    const e = await pool.sgdFactoriseSparse(E, 4, { seed: 3, epochs: 30, shuffle: true, lr: "auto" });
    const f = sgdFactoriseSparse(E, 4, { seed: 3, epochs: 30, shuffle: true, lr: "auto" });
    expect(identical(e.U.data, f.U.data) && identical(e.V.data, f.V.data) && e.loss === f.loss && e.lr === f.lr).toBe(true);
    const diverged = await pool.sgdFactorise(big, 3, { seed: 4, epochs: 50, lr: 0.01 }).catch((error: FactorisationError) => error);
    let want: FactorisationError | undefined;
    try {
      sgdFactorise(big, 3, { seed: 4, epochs: 50, lr: 0.01 });
    } catch (error) {
      want = error as FactorisationError;
    }
    expect(diverged).toBeInstanceOf(FactorisationError);
    expect([(diverged as FactorisationError).code, (diverged as FactorisationError).message]).toEqual([want!.code, want!.message]);
    const got = (diverged as FactorisationError).lastFinite!;
    const last = want!.lastFinite!;
    expect([got.epoch, got.loss]).toEqual([last.epoch, last.loss]);
    expect(identical(got.U.data, last.U.data) && identical(got.V.data, last.V.data)).toBe(true);
  });

  test("threads 2: lr 'auto' picks the synchronous step, NaN marks missing entries, DIVERGED carries finite lastFinite factors", async () => {
    const pool = open(2);
    const A = random(60, 50, 83).data.map((x) => 200 * x + 100);
    const holes = { rows: 60, cols: 50, data: A.map((x, i) => (i % 5 === 1 ? NaN : x)) };
    const r = await pool.sgdFactoriseMasked(holes, null, 3, { seed: 5, epochs: 60, lr: "auto" });
    const s = sgdFactoriseMasked(holes, null, 3, { seed: 5, epochs: 60, lr: "auto" });
    expect(r.lr).toBe(s.lr);
    expect(Math.abs(r.loss - s.loss) / s.loss).toBeLessThan(0.05);
    const error = await pool.sgdFactorise({ rows: 60, cols: 50, data: A }, 3, { seed: 6, epochs: 50, lr: 0.01 }).catch((e: FactorisationError) => e);
    expect((error as FactorisationError).code).toBe("DIVERGED");
    const last = (error as FactorisationError).lastFinite!;
    expect([last.U.rows, last.U.cols, last.V.rows]).toEqual([60, 3, 50]);
    expect(last.U.data.every(Number.isFinite) && last.V.data.every(Number.isFinite) && Number.isFinite(last.loss)).toBe(true);
  });

  for (const threads of [2, 3]) {
    test(`threads ${threads}: block strata exactly as the independent transcription (dense and sparse)`, async () => {
      const pool = open(threads);
      const A = random(23, 17, 9);
      const k = 5;
      const start = random(23 + 17, k, 10);
      const U0 = start.data.slice(0, 23 * k).map((x) => (x + 1) / 2);
      const V0 = start.data.slice(23 * k).map((x) => (x + 1) / 2);
      const init = { U: { rows: 23, cols: k, data: U0 }, V: { rows: 17, cols: k, data: V0 } };
      const got = await pool.sgdFactorise(A, k, { init, epochs: 40, lr: 0.02 });
      const want = dsgdDense(A.data, 23, 17, k, U0, V0, 40, 0.02, threads);
      expect(identical(got.U.data, want.U) && identical(got.V.data, want.V)).toBe(true);
      expect(got.loss).toBe(want.loss);
      // Not the sequential order: the oracle would be too weak if the two coincided.
      expect(identical(got.U.data, sgdFactorise(A, k, { init, epochs: 40, lr: 0.02 }).U.data)).toBe(false);

      const E = entries(50, 31, 700, 11);
      const k2 = 9; // ≥ 8: the dot product's two-accumulator path
      const s2 = random(81, k2, 12);
      const U1 = s2.data.slice(0, 50 * k2).map((x) => (x + 1) / 2);
      const V1 = s2.data.slice(50 * k2).map((x) => (x + 1) / 2);
      const init2 = { U: { rows: 50, cols: k2, data: U1 }, V: { rows: 31, cols: k2, data: V1 } };
      const sparse = await pool.sgdFactoriseSparse(E, k2, { init: init2, epochs: 25, lr: 0.03 });
      const ref = dsgdSparse(50, 31, E.row, E.col, E.value, k2, U1, V1, 25, 0.03, threads);
      expect(identical(sparse.U.data, ref.U) && identical(sparse.V.data, ref.V)).toBe(true);
      expect(sparse.loss).toBe(ref.loss);
    });
  }

  test("threads 2: the same seed gives bit-identical results, on the same pool and on another", async () => {
    const E = entries(400, 300, 30_000, 21);
    const one = open(2);
    const two = open(2);
    const a = await one.sgdFactoriseSparse(E, 8, { seed: 5, epochs: 15, shuffle: true });
    const b = await one.sgdFactoriseSparse(E, 8, { seed: 5, epochs: 15, shuffle: true });
    const c = await two.sgdFactoriseSparse(E, 8, { seed: 5, epochs: 15, shuffle: true });
    expect(identical(a.U.data, b.U.data) && identical(a.U.data, c.U.data) && identical(a.V.data, c.V.data)).toBe(true);
    expect(a.loss === b.loss && a.loss === c.loss).toBe(true);
  });

  test("threads 2 and 3: the loss after the same epochs is within 3 % of the sequential order's", async () => {
    const E = entries(500, 400, 40_000, 31);
    const sequential = sgdFactoriseSparse(E, 6, { seed: 6, epochs: 30, lr: 0.02 });
    for (const threads of [2, 3]) {
      const r = await open(threads).sgdFactoriseSparse(E, 6, { seed: 6, epochs: 30, lr: 0.02 });
      expect(Math.abs(r.loss - sequential.loss) / sequential.loss, `threads ${threads}: ${r.loss} vs ${sequential.loss}`).toBeLessThan(0.03);
    }
    const A = random(150, 120, 41);
    const dense = sgdFactorise(A, 4, { seed: 7, epochs: 60, lr: 0.005 });
    const pooled = await open(2).sgdFactorise(A, 4, { seed: 7, epochs: 60, lr: 0.005 });
    expect(Math.abs(pooled.loss - dense.loss) / dense.loss).toBeLessThan(0.03);
  });

  test("onEpoch runs on the caller's thread; false stops at exactly that epoch, with that epoch's factors", async () => {
    for (const threads of [1, 2]) {
      const pool = open(threads);
      const epochs: number[] = [];
      const onMain: boolean[] = [];
      const stopped = await pool.sgdFactoriseSparse(entries(80, 60, 3000, 51), 4, {
        seed: 8, epochs: 400, onEpoch: (e) => {
          epochs.push(e);
          onMain.push(isMainThread);
          return e === 137 ? false : undefined;
        },
      });
      expect(stopped.epochs).toBe(137);
      expect(epochs).toEqual(Array.from({ length: 137 }, (_, i) => i + 1));
      expect(onMain.every(Boolean)).toBe(true);
      // The same run asked for 137 epochs outright gives the same factors and loss.
      const straight = await pool.sgdFactoriseSparse(entries(80, 60, 3000, 51), 4, { seed: 8, epochs: 137 });
      expect(identical(stopped.U.data, straight.U.data) && identical(stopped.V.data, straight.V.data)).toBe(true);
      expect(stopped.loss).toBe(straight.loss);
    }
  });

  test("a callback that throws rejects its call with that error; the pool goes on", async () => {
    const pool = open(2);
    const boom = new Error("from the callback");
    await expect(pool.sgdFactorise(LAB, 2, { seed: 1, onEpoch: (e) => { if (e === 3) throw boom; } })).rejects.toBe(boom);
    const next = await pool.sgdFactorise(LAB, 2, { seed: 1, epochs: 10 });
    expect(next.epochs).toBe(10);
  });
});

describe("errors inside workers", () => {
  test("bad input, RANK and DIVERGED reject that call only, with the synchronous API's code and message", async () => {
    const pool = open(2);
    const ok = pool.svd(random(50, 40, 1), { vectors: "none" });
    const sync = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        return error as FactorisationError;
      }
      throw new Error("expected a throw");
    };
    const cases: [() => Promise<unknown>, () => unknown][] = [
      [() => pool.svd([[1, 2], [3]]), () => svd([[1, 2], [3]])],
      [() => pool.svd([[1, NaN]]), () => svd([[1, NaN]])],
      [() => pool.sgdFactorise(LAB, 4), () => sgdFactorise(LAB, 4)],
      [() => pool.sgdFactorise(LAB, 2, { lr: 5, seed: 1 }), () => sgdFactorise(LAB, 2, { lr: 5, seed: 1 })],
      [() => pool.sgdFactoriseSparse({ rows: 2, cols: 2, row: [0, 2], col: [0, 1], value: [1, 2] }, 1), () => sgdFactoriseSparse({ rows: 2, cols: 2, row: [0, 2], col: [0, 1], value: [1, 2] }, 1)],
      [() => pool.svd(LAB, { vectorz: "thin" } as never), () => svd(LAB, { vectorz: "thin" } as never)],
    ];
    const rejected = await Promise.allSettled(cases.map(([p]) => p()));
    rejected.forEach((outcome, i) => {
      const want = sync(cases[i][1]);
      expect(outcome.status).toBe("rejected");
      const got = (outcome as PromiseRejectedResult).reason;
      expect(got).toBeInstanceOf(FactorisationError);
      expect([got.code, got.message]).toEqual([want.code, want.message]);
    });
    expect((await ok).S.length).toBe(40);
    expect(rejected.map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(["SHAPE", "NON_FINITE", "RANK", "DIVERGED", "SHAPE", "OPTION"]);
  });

  test("options the pool checks itself: createPool's threads, signal, non-data option values", async () => {
    expect(() => createPool({ threads: 0 })).toThrow(/threads must be an integer in \[1, 256\]; got 0/);
    expect(() => createPool({ thread: 2 } as never)).toThrow(/unknown option 'thread'/);
    const pool = open(1);
    await expect(pool.svd(LAB, { signal: "stop" } as never)).rejects.toMatchObject({ code: "OPTION", message: 'signal must be an AbortSignal; got "stop" (string)' });
    await expect(pool.svd(LAB, { k: () => 2 } as never)).rejects.toMatchObject({ code: "OPTION" });
    await expect(pool.svdFactorise(LAB, 2, { k: 2 } as never)).rejects.toMatchObject({ code: "OPTION", message: expect.stringContaining("unknown option 'k'") });
  });
});

describe("cancellation and close", () => {
  let pool: Pool;
  beforeAll(() => {
    pool = open(2);
  });

  test("an aborted running call rejects with ABORTED and the pool serves the next call", async () => {
    const controller = new AbortController();
    const running = pool.svd(random(900, 900, 3), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toMatchObject({ name: "FactorisationError", code: "ABORTED" });
    const A = random(120, 100, 4);
    expect(identical((await pool.svd(A)).S, svd(A).S)).toBe(true);
  });

  test("a signal aborted before the call, and an aborted queued call, reject; the calls around them do not", async () => {
    const before = new AbortController();
    before.abort();
    await expect(pool.svd(LAB, { signal: before.signal })).rejects.toMatchObject({ code: "ABORTED" });
    const queued = new AbortController();
    const first = pool.svd(random(200, 200, 5), { vectors: "none" });
    const second = pool.svd(random(200, 200, 6), { vectors: "none", signal: queued.signal });
    const third = pool.svd(random(200, 200, 7), { vectors: "none" });
    queued.abort();
    await expect(second).rejects.toMatchObject({ code: "ABORTED" });
    expect(identical((await first).S, svd(random(200, 200, 5), { vectors: "none" }).S)).toBe(true);
    expect(identical((await third).S, svd(random(200, 200, 7), { vectors: "none" }).S)).toBe(true);
  });

  test("an SGD run aborted while the worker waits for onEpoch's verdict, and one aborted mid-epochs", async () => {
    const controller = new AbortController();
    const call = pool.sgdFactorise(LAB, 2, { seed: 1, epochs: 100_000, signal: controller.signal, onEpoch: (e) => { if (e === 5) controller.abort(); } });
    await expect(call).rejects.toMatchObject({ code: "ABORTED" });
    const late = new AbortController();
    const long = pool.sgdFactoriseSparse(entries(2000, 1500, 200_000, 61), 16, { seed: 2, epochs: 10_000, signal: late.signal });
    setTimeout(() => late.abort(), 100);
    await expect(long).rejects.toMatchObject({ code: "ABORTED" });
    expect((await pool.sgdFactorise(LAB, 2, { seed: 1, epochs: 5 })).epochs).toBe(5);
  });

  test("many concurrent calls on one pool: each gets its own answer (no crosstalk)", async () => {
    const shared = open(2);
    const inputs = Array.from({ length: 12 }, (_, i) => random(60 + 10 * i, 50 + 7 * i, 100 + i));
    const vectors = (i: number) => (i % 3 === 0 ? "thin" : "none");
    const calls = inputs.map((A, i) => (i % 3 === 2 ? shared.sgdFactorise(A, 3, { seed: i, epochs: 20 }) : shared.svd(A, { vectors: vectors(i) })));
    const results = await Promise.all(calls);
    results.forEach((r, i) => {
      if (i % 3 === 2) {
        const s = r as Awaited<ReturnType<Pool["sgdFactorise"]>>;
        expect(s.U.rows).toBe(inputs[i].rows);
        expect(Number.isFinite(s.loss)).toBe(true);
      } else {
        expect(identical((r as Awaited<ReturnType<Pool["svd"]>>).S, svd(inputs[i], { vectors: vectors(i) }).S), `call ${i}`).toBe(true);
      }
    });
  });

  test("close() rejects the running and the queued calls with ABORTED, and every later call", async () => {
    const closing = createPool({ threads: 2 });
    const running = expect(closing.svd(random(700, 700, 8))).rejects.toMatchObject({ code: "ABORTED" });
    const queued = expect(closing.sgdFactorise(LAB, 2)).rejects.toMatchObject({ code: "ABORTED" });
    await new Promise((r) => setTimeout(r, 30));
    await closing.close();
    await running;
    await queued;
    await expect(closing.svd(LAB)).rejects.toMatchObject({ code: "ABORTED", message: "svd: the pool is closed" });
  });

  test("a Node script that closes its pool (or leaves it idle) exits by itself; -e scripts and V8 flags (Liftoff only) work", () => {
    const script = (close: boolean) => `
      import { createPool } from ${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)};
      const pool = createPool({ threads: 2 });
      const r = await pool.svd([[3, 0], [0, 4]], { vectors: "none" });
      console.log(r.S.join(","));
      ${close ? "await pool.close();" : ""}`;
    for (const close of [true, false]) {
      for (const flags of [[], ["--liftoff", "--no-wasm-tier-up"]]) {
        const out = execFileSync(process.execPath, [...flags, "--input-type=module", "-e", script(close)], { encoding: "utf8", timeout: 30_000 });
        expect(out.trim()).toBe("4,3");
      }
    }
  });
});
