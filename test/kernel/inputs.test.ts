// Inputs users already hold: ml-matrix's Matrix (the real package), { rows, cols, data } with any
// numeric array, nested typed-array rows — each the same matrix as a Float64Array Matrix, and
// never modified.
import { Matrix as MlMatrix } from "ml-matrix";
import { describe, expect, test } from "vitest";
import { sgdFactorise, svd } from "../../src/index.js";
import { fixture, mat } from "../helpers.js";

const lab = fixture("seed-cases.json");
const A = mat(3, 3, lab.A);
const reference = sgdFactorise(A, 2, { seed: 9, epochs: 200 });
const rows = [0, 1, 2].map((r) => lab.A.slice(r * 3, r * 3 + 3) as number[]);

describe("every form of the same matrix gives the same run", () => {
  test.each([
    ["ml-matrix Matrix", () => new MlMatrix(rows)],
    ["an object with rows, columns and get() only", () => ({ rows: 3, columns: 3, get: (r: number, c: number) => lab.A[r * 3 + c] })],
    ["{ rows, cols, data } with a plain array", () => ({ rows: 3, cols: 3, data: [...lab.A] })],
    ["nested Float64Array rows", () => rows.map((r) => Float64Array.from(r))],
  ])("%s", (_name, make) => {
    const input = make();
    const r = sgdFactorise(input as never, 2, { seed: 9, epochs: 200 });
    expect(r.U.data).toEqual(reference.U.data);
    expect(svd(input as never, { vectors: "none" }).S).toEqual(svd(A, { vectors: "none" }).S);
  });

  test("Float32Array / Int32Array data: the float32 / integer values, converted exactly", () => {
    const f32 = Float32Array.from(lab.A);
    const asF64 = mat(3, 3, Array.from(f32));
    expect(sgdFactorise({ rows: 3, cols: 3, data: f32 }, 2, { seed: 9, epochs: 200 }).U.data)
      .toEqual(sgdFactorise(asF64, 2, { seed: 9, epochs: 200 }).U.data);
    const ints = Int32Array.from([3, 1, 4, 1, 5, 9]);
    expect(svd({ rows: 2, cols: 3, data: ints }, { vectors: "none" }).S).toEqual(svd(mat(2, 3, [3, 1, 4, 1, 5, 9]), { vectors: "none" }).S);
  });

  test("none of them is modified", () => {
    const ml = new MlMatrix(rows);
    const plain = { rows: 3, cols: 3, data: [...lab.A] };
    sgdFactorise(ml, 2, { seed: 1, epochs: 10, lr: "auto" });
    sgdFactorise(plain, 2, { seed: 1, epochs: 10 });
    expect(ml.to2DArray()).toEqual(rows);
    expect(plain.data).toEqual(lab.A);
  });
});
