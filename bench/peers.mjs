// Adapters for the SVDs a user would otherwise pick, each called the way its docs say, on
// nested arrays built once outside the timed function. Wide input: ml-matrix transposes
// itself (autoTranspose); svd-js and numeric assume m ≥ n, so the adapter transposes first
// (the transpose is timed: a user has to do it too).
import { Matrix as MlMatrix, SVD as MlSVD } from "ml-matrix";
import numeric from "numeric";
import { SVD as svdJs } from "svd-js";

export const nested = (M) => Array.from({ length: M.rows }, (_, r) => Array.from(M.data.subarray(r * M.cols, (r + 1) * M.cols)));
const transpose = (rows) => rows[0].map((_, c) => rows.map((row) => row[c]));

/** Peer SVD functions: (nestedRows, { vectors }) → anything (the result is discarded). */
export const peerSvd = {
  "ml-matrix": (rows, { vectors }) => {
    const svd = new MlSVD(new MlMatrix(rows), {
      computeLeftSingularVectors: vectors,
      computeRightSingularVectors: vectors,
      autoTranspose: true,
    });
    return svd.diagonal;
  },
  "svd-js": (rows, { vectors }) => {
    const tall = rows.length >= rows[0].length ? rows : transpose(rows);
    return svdJs(tall, vectors, vectors).q;
  },
  numeric: (rows) => {
    const tall = rows.length >= rows[0].length ? rows : transpose(rows);
    return numeric.svd(tall).S; // numeric has no values-only mode
  },
};
