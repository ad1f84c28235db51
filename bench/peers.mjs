// Adapters for the SVDs a user would otherwise pick, each called the way its docs say, on
// nested arrays built once outside the timed function. Wide input: ml-matrix transposes
// itself (autoTranspose); svd-js and numeric assume m ≥ n, so the adapter transposes first
// (the transpose is timed: a user has to do it too).
//
// Each peer has `run` (timed: returns the library's own result object) and `extract` (not
// timed: turns that object into { S, U?, V? } as flat row-major matrices for bench/verify.mjs,
// undoing the adapter's transpose). svd-js documents its values as "not necessarily ordered":
// extract sorts them (and the vector columns with them), which the timing does not include.
import { Matrix as MlMatrix, SVD as MlSVD } from "ml-matrix";
import numeric from "numeric";
import { SVD as svdJs } from "svd-js";

export const nested = (M) => Array.from({ length: M.rows }, (_, r) => Array.from(M.data.subarray(r * M.cols, (r + 1) * M.cols)));
const transpose = (rows) => rows[0].map((_, c) => rows.map((row) => row[c]));
const flat = (rows, cols = rows[0].length) => {
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => { for (let c = 0; c < cols; c++) data[r * cols + c] = row[c]; });
  return { rows: rows.length, cols, data };
};

/** Sorts S descending and permutes the columns of U and V (n×p) the same way. */
function sortDescending(S, U, V) {
  const order = Array.from(S, (_, i) => i).sort((a, b) => S[b] - S[a]);
  if (order.every((o, i) => o === i)) return { S: Float64Array.from(S), U, V };
  const permute = (M) => {
    if (!M) return M;
    const out = new Float64Array(M.data.length);
    for (let r = 0; r < M.rows; r++) {
      for (let c = 0; c < M.cols; c++) out[r * M.cols + c] = M.data[r * M.cols + (c < order.length ? order[c] : c)];
    }
    return { ...M, data: out };
  };
  return { S: Float64Array.from(order, (i) => S[i]), U: permute(U), V: permute(V), sorted: true };
}

/**
 * Peer SVDs. `modes` lists the vectors each can give: "none" (values only), "thin", "full".
 * `label(mode)` says what the timed call computes when that differs from the mode's name;
 * `returns(mode)` which vectors come back (checked whenever they do), the mode itself by default.
 */
export const peerSvd = {
  "ml-matrix": {
    modes: ["none", "thin"],
    label: () => "ml-matrix: new SVD(new Matrix(rows), { autoTranspose: true })",
    run: (rows, mode) => new MlSVD(new MlMatrix(rows), {
      computeLeftSingularVectors: mode !== "none",
      computeRightSingularVectors: mode !== "none",
      autoTranspose: true,
    }),
    extract: (svd, mode) => {
      const S = Float64Array.from(svd.diagonal);
      if (mode === "none") return { S };
      const mat = (M) => ({ rows: M.rows, cols: M.columns, data: Float64Array.from(M.to1DArray()) });
      return { S, U: mat(svd.leftSingularVectors), V: mat(svd.rightSingularVectors) };
    },
  },
  "svd-js": {
    modes: ["none", "thin", "full"],
    label: (mode) => `svd-js: SVD(rows${mode === "none" ? ", false, false" : mode === "full" ? ", 'f'" : ""}), transposed first when wide`,
    run: (rows, mode) => {
      const wide = rows.length < rows[0].length;
      // 'f' gives the full U of the tall matrix; its V is always square: with the swap below
      // that is full U and V of A either way.
      const withu = mode === "full" ? "f" : mode !== "none";
      return { wide, r: svdJs(wide ? transpose(rows) : rows, withu, mode !== "none") };
    },
    extract: ({ wide, r }, mode) => {
      if (mode === "none") return sortDescending(r.q);
      const [U, V] = [flat(r.u), flat(r.v)];
      return sortDescending(r.q, wide ? V : U, wide ? U : V);
    },
  },
  numeric: {
    modes: ["none", "thin"],
    label: (mode) => `numeric: numeric.svd(rows), transposed first when wide${mode === "none" ? " (no values-only mode: computes U, V too)" : ""}`,
    returns: () => "thin",
    run: (rows) => {
      const wide = rows.length < rows[0].length;
      return { wide, r: numeric.svd(wide ? transpose(rows) : rows) };
    },
    // Its U and V are returned even for a values-only row, so they are checked there too.
    extract: ({ wide, r }) => {
      const [U, V] = [flat(r.U), flat(r.V)];
      return sortDescending(r.S, wide ? V : U, wide ? U : V);
    },
  },
};
