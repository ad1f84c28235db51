// SGD options beyond the lab's defaults: warm start, onEpoch, tol, lambda, divergence.
import { describe, expect, test } from "vitest";
import { FactorisationError, reconstructionLoss, sgdFactorise, sgdFactoriseMasked, sgdFactoriseSparse, svd } from "../../src/index.js";
import { fixture, mat, maxAbsDiff, thrown } from "../helpers.js";

const lab = fixture("seed-cases.json");
const A = mat(3, 3, lab.A);
// Diverging runs on the same A by an independent transcription of the kernel's SGD and its
// divergence rule (scripts/reference/sgd_reference.py): with onEpoch (loss tracked), and without.
const [tracked, untracked] = fixture("sgd-reference.json").divergence;

describe("onEpoch", () => {
  test("is called once per epoch, in order, with the loss after that epoch", () => {
    const seen: [number, number][] = [];
    const r = sgdFactorise(A, 2, { seed: 3, epochs: 50, onEpoch: (e, loss) => void seen.push([e, loss]) });
    expect(seen.map(([e]) => e)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(seen[49][1]).toBe(r.loss);
    const short = sgdFactorise(A, 2, { seed: 3, epochs: 10 });
    expect(seen[9][1]).toBeCloseTo(reconstructionLoss(A, short.U, short.V), 13);
  });

  test("returning false stops exactly after that epoch, even inside a batch of epochs", () => {
    const stopped = sgdFactorise(A, 2, { seed: 9, epochs: 1000, onEpoch: (e) => (e === 137 ? false : undefined) });
    const straight = sgdFactorise(A, 2, { seed: 9, epochs: 137 });
    expect(stopped.epochs).toBe(137);
    expect(stopped.U.data).toEqual(straight.U.data);
    expect(stopped.V.data).toEqual(straight.V.data);
    expect(stopped.loss).toBeCloseTo(straight.loss, 14);
  });

  test("batches over a large problem still reach every epoch and the same factors", () => {
    const big = mat(40, 30, Array.from({ length: 1200 }, (_, i) => Math.sin(i) + 1));
    let calls = 0;
    const a = sgdFactorise(big, 5, { seed: 1, epochs: 30, onEpoch: () => void calls++ });
    const b = sgdFactorise(big, 5, { seed: 1, epochs: 30 });
    expect(calls).toBe(30);
    expect(a.U.data).toEqual(b.U.data);
  });

  test("the callback may call the library itself without disturbing the run", () => {
    const seen: number[] = [];
    const nested = sgdFactorise(A, 2, {
      seed: 12,
      epochs: 40,
      onEpoch: () => {
        seen.push(svd(A, { vectors: "none" }).S[0]);
        sgdFactorise(mat(30, 20, new Float64Array(600).fill(1)), 3, { seed: 1, epochs: 2 });
      },
    });
    const plain = sgdFactorise(A, 2, { seed: 12, epochs: 40 });
    expect(nested.U.data).toEqual(plain.U.data);
    expect(nested.loss).toBeCloseTo(plain.loss, 14);
    expect(new Set(seen)).toEqual(new Set([svd(A, { vectors: "none" }).S[0]]));
  });

  test("with a diverging run the callback sees every epoch before the divergence, and can stop first", () => {
    const losses: number[] = [];
    let error: unknown;
    try {
      sgdFactorise(A, tracked.rank, { seed: tracked.seed, lr: tracked.lr, epochs: tracked.epochs, onEpoch: (_e, l) => void losses.push(l) });
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(new RegExp(`^sgdFactorise diverged at epoch ${tracked.diverged_at}:`));
    expect(losses).toHaveLength(tracked.diverged_at - 1);
    expect(losses.every(Number.isFinite)).toBe(true);
    losses.forEach((l, i) => expect(Math.abs(l - tracked.losses_seen[i])).toBeLessThanOrEqual(1e-9 * tracked.losses_seen[i]));
    const stopped = sgdFactorise(A, 2, { seed: 1, lr: 0.3, epochs: 100, onEpoch: (e) => (e === 15 ? false : undefined) });
    expect(stopped.epochs).toBe(15);
    expect(Number.isFinite(stopped.loss)).toBe(true);
  });

  test("an exception thrown by the callback reaches the caller and the library keeps working", () => {
    expect(() => sgdFactorise(A, 2, { seed: 1, onEpoch: () => { throw new RangeError("stop here"); } })).toThrow("stop here");
    expect(sgdFactorise(A, 2, { seed: 1 }).loss).toBeLessThan(1);
  });
});

describe("tol", () => {
  test("stops once an epoch improves the loss by less than tol and reports the epochs run", () => {
    const losses: number[] = [];
    const r = sgdFactorise(A, 2, { seed: 4, epochs: 100000, tol: 1e-9, onEpoch: (_e, l) => void losses.push(l) });
    expect(r.epochs).toBeLessThan(100000);
    expect(r.epochs).toBe(losses.length);
    const n = losses.length;
    expect(losses[n - 2] - losses[n - 1]).toBeLessThan(1e-9);
    for (let i = 1; i < n - 1; i++) expect(losses[i - 1] - losses[i]).toBeGreaterThanOrEqual(1e-9);
    expect(r.loss).toBeLessThan(lab.eckart_young.rank2.loss + 1e-4);
  });

  test("tol = 0 runs every epoch", () => {
    expect(sgdFactorise(A, 2, { seed: 4, epochs: 321, tol: 0 }).epochs).toBe(321);
  });
});

describe("lambda (L2 regularisation)", () => {
  test("lambda = 0 is the lab's update bit for bit", () => {
    const a = sgdFactorise(A, 2, { seed: 11, lambda: 0 });
    const b = sgdFactorise(A, 2, { seed: 11 });
    expect(a.U.data).toEqual(b.U.data);
  });

  test("lambda > 0 follows U[r] += lr·(e·V[c] − λ·U[r]) and shrinks the factors", () => {
    // One epoch on a 1×1 problem by hand: u, v from the seeded start, then the update.
    const one = mat(1, 1, [2]);
    const start = sgdFactorise(one, 1, { seed: 5, epochs: 1, lr: 1e-300 });
    const [u0, v0] = [start.U.data[0], start.V.data[0]];
    const lr = 0.1;
    const lambda = 0.5;
    const e = 2 - u0 * v0;
    const u1 = u0 + lr * (e * v0 - lambda * u0);
    const v1 = v0 + lr * (e * u1 - lambda * v0);
    const r = sgdFactorise(one, 1, { seed: 5, epochs: 1, lr, lambda });
    expect(r.U.data[0]).toBeCloseTo(u1, 15);
    expect(r.V.data[0]).toBeCloseTo(v1, 15);
    const norm = (x: Float64Array) => Math.hypot(...x);
    const plain = sgdFactorise(A, 2, { seed: 2 });
    const reg = sgdFactorise(A, 2, { seed: 2, lambda: 0.1 });
    expect(norm(reg.U.data) + norm(reg.V.data)).toBeLessThan(norm(plain.U.data) + norm(plain.V.data));
  });
});

describe("agreement with a plain-JS reference of the lab's loop", () => {
  for (const k of [1, 2, 3, 8, 9]) {
    test(`12×10, rank ${k} (SIMD pairs, scalar tail, two accumulators)`, () => {
      const m = 12;
      const n = 10;
      const data = Array.from({ length: m * n }, (_, i) => Math.cos(i * 1.7) * 2);
      const U = Array.from({ length: m * k }, (_, i) => ((i * 7919) % 101) / 101);
      const V = Array.from({ length: n * k }, (_, i) => ((i * 104729) % 97) / 97);
      const mk = k;
      const r = sgdFactorise(mat(m, n, data), mk, { init: { U: mat(m, mk, U.slice(0, m * mk)), V: mat(n, mk, V.slice(0, n * mk)) }, epochs: 20, lr: 0.02 });
      const u = U.slice(0, m * mk);
      const v = V.slice(0, n * mk);
      for (let epoch = 0; epoch < 20; epoch++) {
        for (let row = 0; row < m; row++) {
          for (let c = 0; c < n; c++) {
            let dot = 0;
            for (let j = 0; j < mk; j++) dot += u[row * mk + j] * v[c * mk + j];
            const g = 0.02 * (data[row * n + c] - dot);
            for (let j = 0; j < mk; j++) {
              u[row * mk + j] += g * v[c * mk + j];
              v[c * mk + j] += g * u[row * mk + j];
            }
          }
        }
      }
      expect(maxAbsDiff(r.U.data, u)).toBeLessThan(1e-12);
      expect(maxAbsDiff(r.V.data, v)).toBeLessThan(1e-12);
    });
  }
});

describe("divergence", () => {
  test("lr = 1 on the lab matrix throws DIVERGED naming the epoch — no NaN factors", () => {
    let error: unknown;
    try {
      sgdFactorise(A, untracked.rank, { seed: untracked.seed, lr: untracked.lr });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FactorisationError);
    expect((error as FactorisationError).code).toBe("DIVERGED");
    expect((error as FactorisationError).message).toBe(
      `sgdFactorise diverged at epoch ${untracked.diverged_at}: the loss became non-finite with lr = ${untracked.lr}; try a smaller lr ` +
        `or lr "auto" (error.lastFinite holds the factors after epoch ${untracked.last_finite.epoch})`,
    );
  });

  test.each([["without", untracked], ["with", tracked]])("the error carries the last finite state (%s onEpoch), equal to the reference's", (_how, ref) => {
    const opts = ref === tracked ? { onEpoch: () => undefined } : {};
    const error = thrown(() => sgdFactorise(A, ref.rank, { seed: ref.seed, lr: ref.lr, epochs: ref.epochs, ...opts })) as FactorisationError;
    expect(error.code).toBe("DIVERGED");
    const last = error.lastFinite!;
    // The reference's last finite state: the epoch before the divergence, or earlier when that
    // epoch's factors are finite but their loss overflows (lr = 1: epoch 2 ends at 1e157).
    expect(last.epoch).toBe(ref.last_finite.epoch);
    expect(last.U.rows).toBe(3);
    expect(last.V.cols).toBe(2);
    expect(maxAbsDiff(last.U.data, ref.last_finite.U)).toBeLessThanOrEqual(1e-12 * Math.max(1, ...ref.last_finite.U.map(Math.abs)));
    expect(maxAbsDiff(last.V.data, ref.last_finite.V)).toBeLessThanOrEqual(1e-12 * Math.max(1, ...ref.last_finite.V.map(Math.abs)));
    expect(Math.abs(last.loss - ref.last_finite.loss)).toBeLessThanOrEqual(1e-12 * ref.last_finite.loss);
    // …and it is a state the library reaches: the run stopped there gives the same factors.
    if (last.epoch > 0) expect(sgdFactorise(A, ref.rank, { seed: ref.seed, lr: ref.lr, epochs: last.epoch }).U.data).toEqual(last.U.data);
  });

  test("masked and sparse runs detect it too, and with onEpoch the callback never sees a NaN", () => {
    const M = mat(3, 3, lab.mask);
    const losses: number[] = [];
    expect(() => sgdFactoriseMasked(A, M, 2, { seed: 1, lr: 5, onEpoch: (_e, l) => void losses.push(l) })).toThrow(/diverged at epoch/);
    expect(losses.every(Number.isFinite)).toBe(true);
    const entries = { rows: 2, cols: 2, row: [0, 1], col: [1, 0], value: [1e3, -1e3] };
    expect(() => sgdFactoriseSparse(entries, 1, { seed: 1, lr: 10 })).toThrow(/sgdFactoriseSparse diverged/);
  });

  test("the library works normally after a divergence", () => {
    expect(() => sgdFactorise(A, 2, { seed: 1, lr: 1 })).toThrow(FactorisationError);
    expect(sgdFactorise(A, 2, { seed: 1 }).loss).toBeLessThan(0.2);
  });
});

describe("warm start", () => {
  test("init is copied, not modified, and continuing a run equals running longer", () => {
    const first = sgdFactorise(A, 2, { seed: 8, epochs: 300 });
    const U = first.U.data.slice();
    const cont = sgdFactorise(A, 2, { init: { U: first.U, V: first.V }, epochs: 700 });
    expect(first.U.data).toEqual(U);
    const whole = sgdFactorise(A, 2, { seed: 8, epochs: 1000 });
    expect(maxAbsDiff(cont.U.data, whole.U.data)).toBe(0);
    expect(cont.seed).toBeUndefined();
  });

  test("nested arrays work as init, and one epoch matches the update worked by hand", () => {
    // (0,0): e = 0; (0,1): e = 1, u0 = 1.1, v1 = 1.11; (1,0): e = 2, u1 = 1.2, v0 = 1.24;
    // (1,1): e = 4 − 1.2·1.11 = 2.668, u1 = 1.2 + 0.2668·1.11, v1 = 1.11 + 0.2668·u1.
    const r = sgdFactorise([[1, 2], [3, 4]], 1, { init: { U: [[1], [1]], V: [[1], [1]] }, epochs: 1, lr: 0.1 });
    const u1 = 1.2 + 0.2668 * 1.11;
    expect(r.U.data[0]).toBeCloseTo(1.1, 14);
    expect(r.U.data[1]).toBeCloseTo(u1, 14);
    expect(r.V.data[0]).toBeCloseTo(1.24, 14);
    expect(r.V.data[1]).toBeCloseTo(1.11 + 0.2668 * u1, 14);
  });
});

describe('lr: "auto"', () => {
  const auto = fixture("sgd-reference.json").auto;

  test.each(auto.map((c: any) => [c.call, c]))("%s equals the reference transcription of the rule", (_call, c: any) => {
    const data = c.A ?? Array.from({ length: c.m * c.n }, (_, i) => 1 + ((Math.floor(i / c.n) * 7 + (i % c.n) * 3 + ((Math.floor(i / c.n) * (i % c.n)) % 5)) % 5));
    const r = sgdFactorise(mat(c.m, c.n, data), c.rank, { seed: c.seed, epochs: c.epochs, lr: "auto" });
    expect(r.lr).toBe(c.lr);
    const scale = Math.max(1, ...c.U.map(Math.abs), ...c.V.map(Math.abs));
    expect(maxAbsDiff(r.U.data, c.U)).toBeLessThanOrEqual(1e-12 * scale);
    expect(maxAbsDiff(r.V.data, c.V)).toBeLessThanOrEqual(1e-12 * scale);
    expect(Math.abs(r.loss - c.loss)).toBeLessThanOrEqual(1e-12 * c.loss);
  });

  /** Σ of the discarded σ² (Eckart–Young): no rank-k factorisation does better. */
  const optimum = (M: ReturnType<typeof mat>, k: number) => Array.from(svd(M, { vectors: "none" }).S.subarray(k)).reduce((t, x) => t + x * x, 0);

  test("0–255 pixels: lr 0.01 diverges at epoch 1; auto ends within 5 % of the Eckart–Young optimum", () => {
    // A 60×80 picture: a disc, a gradient and stripes, grey levels 0–255.
    const pixels = mat(60, 80, Array.from({ length: 4800 }, (_, i) => {
      const [y, x] = [Math.floor(i / 80), i % 80];
      const disc = (x - 25) ** 2 + (y - 30) ** 2 < 300 ? 200 : 0;
      return Math.min(255, Math.round(disc + x * 0.6 + ((Math.floor(x / 6) + Math.floor(y / 9)) % 2) * 30));
    }));
    expect(thrown(() => sgdFactorise(pixels, 5, { seed: 1 }))).toMatchObject({ code: "DIVERGED", message: expect.stringMatching(/at epoch 1:/) });
    const r = sgdFactorise(pixels, 5, { seed: 1, lr: "auto" });
    expect(r.loss / optimum(pixels, 5)).toBeLessThan(1.05);
    expect(r.loss).toBeCloseTo(reconstructionLoss(pixels, r.U, r.V), 6);
  });

  test("1–5 ratings, dense and sparse: auto converges where lr 0.01 diverges", () => {
    let s = 11;
    const rand = () => (s = (s * 48271) % 2147483647) / 2147483647;
    const [m, n, k] = [300, 200, 4];
    const P = Array.from({ length: m * k }, () => rand() * 2 - 1);
    const Q = Array.from({ length: n * k }, () => rand() * 2 - 1);
    const ratings = mat(m, n, Array.from({ length: m * n }, (_, i) => {
      let v = 3 + (rand() - 0.5) * 0.8;
      for (let t = 0; t < k; t++) v += P[Math.floor(i / n) * k + t] * Q[(i % n) * k + t];
      return Math.min(5, Math.max(1, Math.round(v)));
    }));
    expect(thrown(() => sgdFactorise(ratings, k, { seed: 2 }))).toMatchObject({ code: "DIVERGED" });
    const dense = sgdFactorise(ratings, k, { seed: 2, lr: "auto" });
    expect(dense.loss / optimum(ratings, k)).toBeLessThan(1.05);
    // The same entries as a coordinate list: the same rule, the same run (row-major order).
    const entries = { rows: m, cols: n, row: Array.from({ length: m * n }, (_, i) => Math.floor(i / n)), col: Array.from({ length: m * n }, (_, i) => i % n), value: ratings.data };
    const sparse = sgdFactoriseSparse(entries, k, { seed: 2, lr: "auto" });
    expect(sparse.U.data).toEqual(dense.U.data);
    expect(sparse.lr).toBe(dense.lr);
  });

  test("λ, tol and onEpoch keep their meaning in the data's units", () => {
    const big = mat(3, 3, lab.A.map((x: number) => x * 1024));
    const losses: number[] = [];
    const r = sgdFactorise(big, 2, { seed: 5, lr: "auto", epochs: 50, lambda: 0.5, onEpoch: (_e, l) => void losses.push(l) });
    const small = sgdFactorise(A, 2, { seed: 5, lr: "auto", epochs: 50, lambda: 0.5 / 1024, onEpoch: () => undefined });
    // A × 1024 is A × 4⁵: the same unit problem, so factors × 32 and losses × 1024².
    expect(r.U.data).toEqual(small.U.data.map((x) => x * 32));
    expect(losses[49]).toBe(r.loss);
    expect(r.loss).toBe(small.loss * 1024 ** 2);
    const stopped = sgdFactorise(big, 2, { seed: 5, lr: "auto", tol: 1e-3 * 1024 ** 2 });
    expect(stopped.epochs).toBe(sgdFactorise(A, 2, { seed: 5, lr: "auto", tol: 1e-3 }).epochs);
    expect(stopped.epochs).toBeLessThan(1000);
  });

  test("a given lr is reported back unchanged", () => {
    expect(sgdFactorise(A, 2, { seed: 1, epochs: 5, lr: 0.02 }).lr).toBe(0.02);
    expect(sgdFactorise(A, 2, { seed: 1, epochs: 5 }).lr).toBe(0.01);
  });
});

describe("NaN marks a missing entry", () => {
  const M = mat(3, 3, lab.mask);
  const withNaN = mat(3, 3, lab.A.map((x: number, i: number) => (lab.mask[i] ? x : NaN)));

  test("without a mask, the NaN entries are the hidden ones: the same run as with the lab's mask", () => {
    const masked = sgdFactoriseMasked(A, M, 2, { seed: 6 });
    expect(sgdFactoriseMasked(withNaN, null, 2, { seed: 6 }).U.data).toEqual(masked.U.data);
    expect(sgdFactoriseMasked(withNaN, undefined, 2, { seed: 6 }).V.data).toEqual(masked.V.data);
  });

  test("under a mask's zero, anything (NaN, Infinity) is ignored; an observed non-finite entry is named", () => {
    const masked = sgdFactoriseMasked(A, M, 2, { seed: 6 });
    const inf = mat(3, 3, lab.A.map((x: number, i: number) => (lab.mask[i] ? x : Infinity)));
    expect(sgdFactoriseMasked(withNaN, M, 2, { seed: 6 }).U.data).toEqual(masked.U.data);
    expect(sgdFactoriseMasked(inf, M, 2, { seed: 6 }).U.data).toEqual(masked.U.data);
    expect(() => sgdFactoriseMasked(inf, null, 2, { seed: 6 })).toThrow(
      new FactorisationError("NON_FINITE", "A[1][0] is Infinity but only NaN marks a missing entry; every observed entry must be finite"));
    const nanObserved = mat(3, 3, lab.A.map((x: number, i: number) => (i === 4 ? NaN : x)));
    expect(() => sgdFactoriseMasked(nanObserved, M, 2, { seed: 6 })).toThrow(
      new FactorisationError("NON_FINITE", "A[1][1] is NaN but M marks it observed; every observed entry must be finite"));
    expect(() => sgdFactoriseMasked(mat(2, 2, [NaN, NaN, NaN, NaN]), null, 1)).toThrow(
      new FactorisationError("SHAPE", "A has no observed entry (all 4 are NaN, which marks a missing entry without a mask); at least one is needed"));
  });
});
