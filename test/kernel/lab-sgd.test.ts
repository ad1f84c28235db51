// Lab exercises 1 and 3 (SGD and masked SGD) against test/fixtures/seed-cases.json: the six
// fully specified runs step for step, and the distribution over 200 random starts.
import { describe, expect, test } from "vitest";
import { reconstructionLoss, sgdFactorise, sgdFactoriseMasked, sgdFactoriseSparse } from "../../src/index.js";
import { fixture, mat, maxAbsDiff, median } from "../helpers.js";

const lab = fixture("seed-cases.json");
const A = mat(3, 3, lab.A);
const M = mat(3, 3, lab.mask);
const sigma3sq: number = lab.eckart_young.rank2.loss; // 0.121911, Eckart–Young optimum for rank 2

/** Σ (A − U0 V0ᵀ)² over the entries the mask keeps (all without one), by a plain loop: the epoch-0 loss. */
function startLoss(U0: number[], V0: number[], mask?: number[]): number {
  let loss = 0;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      if (mask && !mask[r * 3 + c]) continue;
      const e = lab.A[r * 3 + c] - (U0[r * 2] * V0[c * 2] + U0[r * 2 + 1] * V0[c * 2 + 1]);
      loss += e * e;
    }
  }
  return loss;
}

describe("the six fully specified runs (given U0, V0)", () => {
  for (const run of lab.runs) {
    test(`${run.variant} run from start ${run.init_index}`, () => {
      const losses: number[] = [];
      const init = { U: mat(3, 2, run.U0), V: mat(3, 2, run.V0) };
      const opts = { init, epochs: 1000, lr: 0.01, onEpoch: (_e: number, loss: number) => void losses.push(loss) };
      const result = run.variant === "plain" ? sgdFactorise(A, 2, opts) : sgdFactoriseMasked(A, M, 2, opts);
      expect(result.epochs).toBe(1000);
      expect(maxAbsDiff(result.U.data, run.U)).toBeLessThan(1e-9);
      expect(maxAbsDiff(result.V.data, run.V)).toBeLessThan(1e-9);
      expect(result.loss).toBeCloseTo(run.loss_observed, 9);
      expect(reconstructionLoss(A, result.U, result.V)).toBeCloseTo(run.loss_full, 9);
      const history = run.variant === "plain" ? run.loss_full_history : run.loss_observed_history;
      for (const [epoch, loss] of Object.entries(history) as [string, number][]) {
        const ours = epoch === "0" ? startLoss(run.U0, run.V0, run.variant === "plain" ? undefined : lab.mask) : losses[Number(epoch) - 1];
        expect(Math.abs(ours - loss)).toBeLessThan(1e-9);
      }
      expect(losses).toHaveLength(1000);
    });
  }
});

describe("exercise 1: rank-2 SGD over 200 seeds", () => {
  const losses = Array.from({ length: 200 }, (_, seed) => sgdFactorise(A, 2, { seed }).loss);

  test("no start beats the Eckart–Young optimum σ₃²", () => {
    expect(sigma3sq).toBeCloseTo(0.121911, 6);
    expect(Math.min(...losses)).toBeGreaterThanOrEqual(sigma3sq - 1e-9);
  });

  test("the median is at the lab's figure (≤ 0.1235) and the first 20 starts all leave the saddle", () => {
    expect(median(losses)).toBeLessThanOrEqual(0.1235);
    expect(Math.max(...losses.slice(0, 20))).toBeLessThanOrEqual(0.5);
  });

  test("the loss reported is ‖A − UVᵀ‖²_F of the factors returned", () => {
    const r = sgdFactorise(A, 2, { seed: 7 });
    expect(r.loss).toBeCloseTo(reconstructionLoss(A, r.U, r.V), 12);
    expect(r.U.rows).toBe(3);
    expect(r.U.cols).toBe(2);
    expect(r.V.rows).toBe(3);
    expect(r.seed).toBe(7);
  });
});

describe("reproducibility", () => {
  test("same seed ⇒ bitwise identical U and V", () => {
    const a = sgdFactorise(A, 2, { seed: 42 });
    const b = sgdFactorise(A, 2, { seed: 42 });
    expect(Buffer.from(a.U.data.buffer)).toEqual(Buffer.from(b.U.data.buffer));
    expect(Buffer.from(a.V.data.buffer)).toEqual(Buffer.from(b.V.data.buffer));
    expect(a.loss).toBe(b.loss);
  });

  test("different seeds give different factors", () => {
    const a = sgdFactorise(A, 2, { seed: 1 });
    const b = sgdFactorise(A, 2, { seed: 2 });
    expect(maxAbsDiff(a.U.data, b.U.data)).toBeGreaterThan(1e-3);
  });

  test("without a seed every run draws a fresh one and reports it", () => {
    const a = sgdFactorise(A, 2, { epochs: 1 });
    const b = sgdFactorise(A, 2, { epochs: 1 });
    expect(a.seed).not.toBe(b.seed);
    const again = sgdFactorise(A, 2, { epochs: 1, seed: a.seed });
    expect(again.U.data).toEqual(a.U.data);
  });

  test("the seeded start is uniform on [0, 1): epochs = 1 from seed 0 moves it only slightly", () => {
    const { U, V } = sgdFactorise(A, 2, { seed: 0, epochs: 1, lr: 1e-12 });
    for (const x of [...U.data, ...V.data]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe("exercise 3: masked SGD over 200 seeds", () => {
  const runs = Array.from({ length: 200 }, (_, seed) => sgdFactoriseMasked(A, M, 2, { seed }));
  const observed = runs.map((r) => r.loss);
  const full = runs.map((r) => reconstructionLoss(A, r.U, r.V));

  test("the observed entries are fitted (median loss ≤ 1e-3)", () => {
    expect(median(observed)).toBeLessThanOrEqual(1e-3);
  });

  test("the full-matrix loss median lies in the simulated band (p10 1.03 … p90 2.63)", () => {
    const sim = lab.simulation.masked_loss_full;
    expect(median(full)).toBeGreaterThanOrEqual(sim.p10);
    expect(median(full)).toBeLessThanOrEqual(sim.p90);
    expect(Math.min(...full)).toBeGreaterThanOrEqual(sim.min * 0.9);
  });

  test("masked SGD equals sparse SGD on the observed entries in row-major order", () => {
    const entries = { rows: 3, cols: 3, row: [0, 0, 0, 1, 1, 2, 2], col: [0, 1, 2, 1, 2, 0, 2], value: [] as number[] };
    entries.value = entries.row.map((r, t) => lab.A[r * 3 + entries.col[t]]);
    const dense = sgdFactoriseMasked(A, M, 2, { seed: 5 });
    const sparse = sgdFactoriseSparse(entries, 2, { seed: 5 });
    expect(sparse.U.data).toEqual(dense.U.data);
    expect(sparse.V.data).toEqual(dense.V.data);
    expect(sparse.loss).toBe(dense.loss);
  });

  test("a boolean mask is the same as a 0/1 mask", () => {
    const bools = lab.mask.map((x: number) => x === 1);
    const B = [bools.slice(0, 3), bools.slice(3, 6), bools.slice(6, 9)];
    expect(sgdFactoriseMasked(A, B, 2, { seed: 3 }).U.data).toEqual(sgdFactoriseMasked(A, M, 2, { seed: 3 }).U.data);
  });
});
