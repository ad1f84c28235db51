// Rebuilding a matrix from its factors, and the loss that measures the rebuild.
import { FactorisationError, describe } from "./errors.js";
import { type Matrix, type MatrixInput, shapeOf, toMatrix } from "./matrix.js";
import { check, copyIn, copyOut, f64, reserve, withKernel } from "./kernel.js";

function factors(U: MatrixInput, V: MatrixInput): { u: Matrix; v: Matrix } {
  const u = toMatrix(U, "U");
  const v = toMatrix(V, "V");
  if (u.cols !== v.cols) {
    throw new FactorisationError("SHAPE", `U and V must have the same number of columns (the rank); got ${shapeOf(u)} and ${shapeOf(v)}`);
  }
  return { u, v };
}

// S as the diagonal it stands for: a vector of k values, or a k×k diagonal matrix (svdFactorise's S).
function diagonal(S: unknown, k: number): Float64Array {
  if (S !== null && typeof S === "object" && ("data" in S || (typeof (S as ArrayLike<unknown>).length === "number" &&
      typeof (S as ArrayLike<unknown>)[0] === "object"))) {
    const s = toMatrix(S, "S");
    if (s.rows !== k || s.cols !== k) throw new FactorisationError("SHAPE", `S must be ${k}×${k} to match the rank of U and V; got ${shapeOf(s)}`);
    const d = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const x = s.data[i * k + j];
        if (i === j) d[i] = x;
        else if (x !== 0) throw new FactorisationError("SHAPE", `S must be diagonal; S[${i}][${j}] is ${x}`);
      }
    }
    return d;
  }
  if (S === null || typeof S !== "object" || typeof (S as ArrayLike<unknown>).length !== "number") {
    throw new FactorisationError("SHAPE", `S must be a vector of ${k} singular values or a ${k}×${k} diagonal matrix; got ${describe(S)}`);
  }
  const values = S as ArrayLike<unknown>;
  if (values.length !== k) throw new FactorisationError("SHAPE", `S must have ${k} values to match the rank of U and V; got ${values.length}`);
  const d = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const x = values[i];
    if (typeof x !== "number") throw new FactorisationError("NON_FINITE", `S[${i}] must be a finite number; got ${describe(x)}`);
    d[i] = x;
  }
  return d;
}

/**
 * Rebuilds A ≈ U Vᵀ (U m×k, V n×k), or A ≈ U diag(S) Vᵀ when S is given as k values or a k×k
 * diagonal matrix (the form svd and svdFactorise return). Returns a new m×n matrix.
 * Cost O(m·n·k).
 * @throws FactorisationError SHAPE when the shapes disagree, NON_FINITE for NaN/±Infinity in
 *   the factors or when the product overflows the double range.
 */
export function reconstruct(U: MatrixInput, V: MatrixInput): Matrix;
export function reconstruct(U: MatrixInput, S: ArrayLike<number> | MatrixInput, V: MatrixInput): Matrix;
export function reconstruct(U: MatrixInput, SV: unknown, V?: MatrixInput): Matrix {
  const withS = arguments.length >= 3;
  const { u, v } = factors(U, (withS ? V : SV) as MatrixInput);
  const s = withS ? diagonal(SV, u.cols) : undefined;
  const m = u.rows;
  const n = v.rows;
  const k = u.cols;
  return withKernel((kx) => {
    const [pu, pv, ps, out, work] = reserve([m * k * 8, n * k * 8, k * 8, m * n * 8, kx.productWorkspaceBytes(m, n, k) >>> 0], `reconstruct (${m}×${n}, rank ${k})`);
    copyIn(pu, u.data, "U", k);
    copyIn(pv, v.data, "V", k);
    if (s) {
      copyIn(ps, s, "S", 0);
      check("scaleColumns", kx.scaleColumns(pu, m, k, ps), { what: "reconstruct" });
    }
    check("multiplyTransposed", kx.multiplyTransposed(pu, pv, m, n, k, out, work), { what: "reconstruct" });
    const bad = kx.firstNonFinite(out, m * n);
    if (bad < 0) check("firstNonFinite", bad, { what: "reconstruct" });
    if (bad < m * n) {
      throw new FactorisationError(
        "NON_FINITE",
        `the product overflows the double range at [${Math.floor(bad / n)}][${bad % n}]; scale the factors down`,
      );
    }
    return copyOut(out, m, n);
  });
}

/**
 * ‖A − U Vᵀ‖²_F, the squared Frobenius norm of the residual over every entry of A (m×n), with
 * U m×k and V n×k. Cost O(m·n·k), no m×n temporary. +Infinity when the loss exceeds the
 * double range.
 * @throws FactorisationError SHAPE when the shapes disagree, NON_FINITE for NaN/±Infinity in
 *   the inputs or when U Vᵀ itself overflows.
 */
export function reconstructionLoss(A: MatrixInput, U: MatrixInput, V: MatrixInput): number {
  const a = toMatrix(A, "A");
  const { u, v } = factors(U, V);
  if (u.rows !== a.rows || v.rows !== a.cols) {
    throw new FactorisationError(
      "SHAPE",
      `U and V must be ${a.rows}×k and ${a.cols}×k for a ${shapeOf(a)} A; got ${shapeOf(u)} and ${shapeOf(v)}`,
    );
  }
  const { rows: m, cols: n } = a;
  const k = u.cols;
  return withKernel((kx) => {
    const [pa, pu, pv, out] = reserve([m * n * 8, m * k * 8, n * k * 8, 8], `reconstructionLoss (${m}×${n}, rank ${k})`);
    copyIn(pa, a.data, "A", n);
    copyIn(pu, u.data, "U", k);
    copyIn(pv, v.data, "V", k);
    check("lossDense", kx.lossDense(pa, m, n, k, pu, pv, out), { what: "reconstructionLoss" });
    const loss = f64(out, 1)[0];
    // +Infinity is an honest answer (the loss exceeds the double range); NaN (∞ − ∞ inside a
    // product that overflowed both ways) is not.
    if (Number.isNaN(loss)) {
      throw new FactorisationError("NON_FINITE", "U Vᵀ overflows the double range, so the loss is undefined; scale the factors down");
    }
    return loss;
  });
}
