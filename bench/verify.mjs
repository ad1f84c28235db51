// The checks every benchmark case runs once, before any timing, on the result of lowrank and
// of every peer: a wrong answer fails the case (CheckFailure names the implementation and the
// check). Plain JS on purpose: the checker must not share code with what it checks.
//
// SVD bounds are the test suite's (test/svd.test.ts): a backward-stable SVD has
// ‖A − UΣVᵀ‖ and ‖UᵀU − I‖ of a small multiple of max(m, n)·ε, and by Weyl's inequality each
// |σᵢ − σ̃ᵢ| ≤ ‖ΔA‖₂, so values are compared normwise, against σ₁.

export const EPS = 2 ** -52;
/** SVD tolerance factor: the test suite's 30·max(m, n)·ε (Golub–Reinsch peers fit too). */
export const SVD_TOL_FACTOR = 30;
/**
 * Two SGD runs from the same start that differ only in summation order (SIMD dot products with
 * two accumulators against a sequential JS loop) agree to rounding: measured here, identical for
 * the lab's 1000 epochs (k = 2) and ≤ 5e-16 of the largest entry after one epoch of 1000×1000
 * at k = 16 and 64. 1e-9 leaves room for other hosts; a wrong update (a missed row, a stale U
 * row) is off by far more.
 */
export const SGD_AGREEMENT_TOL = 1e-9;
/** The loss a run reports against ‖A − UVᵀ‖² recomputed here: the same sum in another order. */
export const LOSS_RECOMPUTE_TOL = 1e-10;

export class CheckFailure extends Error {
  constructor(who, check, detail) {
    super(`${who}: ${check} FAILED: ${detail}`);
    this.who = who;
    this.check = check;
  }
}

const e = (x) => x.toExponential(1);

/** Records passed checks as short text, and throws on the first failed one. */
export class Checks {
  constructor() {
    this.passed = [];
    this.notes = [];
  }
  /** Something worth saying that is not a pass or a failure. */
  note(who, text) {
    this.notes.push(`${who}: ${text}`);
  }
  /** Asserts value ≤ bound; `what` names the measured quantity. */
  atMost(who, what, value, bound) {
    if (!(value <= bound)) throw new CheckFailure(who, what, `${e(value)} > allowed ${e(bound)}`);
    this.passed.push({ who, what, value, bound });
  }
  /** Asserts a condition with a sentence that says what failed. */
  that(who, what, ok, detail) {
    if (!ok) throw new CheckFailure(who, what, detail);
    this.passed.push({ who, what });
  }
  /** One line per distinct check: who passed it and the worst measured/allowed ratio. */
  summary() {
    const by = new Map();
    for (const p of this.passed) {
      const s = by.get(p.what) ?? { who: [], worst: 0, worstWho: "", bounded: false };
      if (!s.who.includes(p.who)) s.who.push(p.who);
      if (p.bound !== undefined) {
        s.bounded = true;
        const ratio = p.bound > 0 ? p.value / p.bound : 0;
        if (ratio >= s.worst) [s.worst, s.worstWho] = [ratio, p.who];
      }
      by.set(p.what, s);
    }
    return [...by].map(([what, s]) =>
      `${what} [${s.who.join(", ")}]${s.bounded ? `: worst ${s.worst < 1e-3 ? s.worst.toExponential(1) : s.worst.toFixed(3)} of allowed${s.who.length > 1 ? ` (${s.worstWho})` : ""}` : ""}`);
  }
}

/** Frobenius norm of an array (entries here are O(1): no scaling needed). */
export function fro(x) {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/**
 * max |QᵀQ − I| over the columns of Q (rows×cols, row-major). The columns are first copied out
 * as contiguous rows, then eight at a time are dotted with every later one, so each pass over
 * the others serves eight entries of QᵀQ (a full 2000×2000 U takes seconds, not tens of them).
 */
export function orthogonalityError(Q) {
  const { rows: m, cols: c } = Q;
  const T = new Float64Array(c * m);
  for (let r = 0; r < m; r++) for (let j = 0; j < c; j++) T[j * m + r] = Q.data[r * c + j];
  const dot = (x, y) => { let s = 0; for (let i = 0; i < m; i++) s += T[x + i] * T[y + i]; return s; };
  let worst = 0;
  const entry = (a, b, s) => { worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0))); };
  let a0 = 0;
  for (; a0 + 8 <= c; a0 += 8) {
    const o = a0 * m;
    for (let b = a0; b < c; b++) {
      const ob = b * m;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let i = 0; i < m; i++) {
        const x = T[ob + i];
        s0 += T[o + i] * x; s1 += T[o + m + i] * x; s2 += T[o + 2 * m + i] * x; s3 += T[o + 3 * m + i] * x;
        s4 += T[o + 4 * m + i] * x; s5 += T[o + 5 * m + i] * x; s6 += T[o + 6 * m + i] * x; s7 += T[o + 7 * m + i] * x;
      }
      const sums = [s0, s1, s2, s3, s4, s5, s6, s7];
      for (let t = 0; t < 8 && a0 + t <= b; t++) entry(a0 + t, b, sums[t]);
    }
  }
  for (let a = a0; a < c; a++) for (let b = a; b < c; b++) entry(a, b, dot(a * m, b * m));
  return worst;
}

/** ‖A − U diag(S) Vᵀ‖_F using the first S.length columns of U and V. */
export function svdResidual(A, U, S, V) {
  const { rows: m, cols: n } = A;
  const r = S.length;
  const Vt = new Float64Array(r * n); // the first r columns of V as rows
  for (let j = 0; j < n; j++) for (let p = 0; p < r; p++) Vt[p * n + j] = V.data[j * V.cols + p];
  const acc = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < m; i++) {
    acc.set(A.data.subarray(i * n, (i + 1) * n));
    for (let p = 0; p < r; p++) {
      const w = U.data[i * U.cols + p] * S[p];
      if (w === 0) continue;
      const vt = p * n;
      for (let j = 0; j < n; j++) acc[j] -= w * Vt[vt + j];
    }
    for (let j = 0; j < n; j++) s += acc[j] * acc[j];
  }
  return Math.sqrt(s);
}

const allFinite = (x) => { for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false; return true; };

/**
 * One SVD result on its own: S has min(m, n) finite values, descending and ≥ 0, whose 2-norm
 * is ‖A‖_F (Σσᵢ² = ‖A‖_F², a check that needs no other implementation); where U and V are
 * returned, their shapes, ‖A − UΣVᵀ‖_F ≤ tol·‖A‖_F and ‖UᵀU − I‖, ‖VᵀV − I‖ ≤ tol.
 * `expect` says which vectors must be there: "none", "thin" or "full".
 */
export function checkSvd(checks, who, A, r, expect) {
  const { rows: m, cols: n } = A;
  const p = Math.min(m, n);
  const tol = SVD_TOL_FACTOR * Math.max(m, n) * EPS;
  const S = r.S;
  checks.that(who, "S: min(m, n) finite values", S.length === p && allFinite(S), `${S.length} values (expected ${p}), finite: ${allFinite(S)}`);
  let bad = -1;
  for (let i = p - 1; i >= 0; i--) if (S[i] < 0 || (i > 0 && S[i] > S[i - 1])) bad = i;
  checks.that(who, "S descending, ≥ 0", bad < 0, `S[${bad - 1}] = ${S[bad - 1]}, S[${bad}] = ${S[bad]}`);
  const normA = fro(A.data);
  checks.atMost(who, "|‖S‖₂ − ‖A‖_F| / ‖A‖_F", Math.abs(fro(S) - normA) / normA, tol);
  if (expect === "none") return;
  const { U, V } = r;
  checks.that(who, `${expect} U, V returned`, U && V, "no vectors returned");
  const ucols = expect === "full" ? m : p;
  const vcols = expect === "full" ? n : p;
  checks.that(who, `U ${m}×${ucols}, V ${n}×${vcols}`, U.rows === m && U.cols === ucols && V.rows === n && V.cols === vcols,
    `U ${U.rows}×${U.cols}, V ${V.rows}×${V.cols}`);
  checks.that(who, "U, V finite", allFinite(U.data) && allFinite(V.data), "a NaN or ±Infinity in U or V");
  checks.atMost(who, "‖A − UΣVᵀ‖_F / ‖A‖_F", svdResidual(A, U, S, V) / normA, tol);
  checks.atMost(who, "max |UᵀU − I|, |VᵀV − I|", Math.max(orthogonalityError(U), orthogonalityError(V)), tol);
}

/**
 * Singular values of every pair of implementations agree: max |σᵢ − σ̃ᵢ| ≤ tol·σ₁ (Weyl).
 * `values` maps a name to S (only the first min(lengths) values are compared).
 */
export function checkValuesAgree(checks, A, values) {
  const tol = SVD_TOL_FACTOR * Math.max(A.rows, A.cols) * EPS;
  const names = Object.keys(values);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const [x, y] = [values[names[i]], values[names[j]]];
      let worst = 0;
      for (let t = 0; t < Math.min(x.length, y.length); t++) worst = Math.max(worst, Math.abs(x[t] - y[t]));
      const s1 = Math.max(x[0], y[0]);
      checks.atMost(`${names[i]} vs ${names[j]}`, "singular values agree, max |Δσ| / σ₁", worst / s1, tol);
    }
  }
}

/** ‖A − UVᵀ‖²_F over all entries of A (m×n), U m×k, V n×k, all flat row-major. */
export function denseLoss(A, m, n, k, U, V) {
  let s = 0;
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      let dot = 0;
      for (let j = 0; j < k; j++) dot += U[r * k + j] * V[c * k + j];
      s += (A[r * n + c] - dot) ** 2;
    }
  }
  return s;
}

/** Σ (value − U[row]·V[col])² over coordinate entries. */
export function sparseLoss(row, col, value, k, U, V) {
  let s = 0;
  for (let t = 0; t < value.length; t++) {
    let dot = 0;
    for (let j = 0; j < k; j++) dot += U[row[t] * k + j] * V[col[t] * k + j];
    s += (value[t] - dot) ** 2;
  }
  return s;
}

/** Largest |x − y| / max(1, max |y|): relative to the factors' scale. */
export function maxRelDiff(x, y) {
  let scale = 1;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
  let worst = x.length === y.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(x.length, y.length); i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst / scale;
}

/** Bit-for-bit equality of two Float64Arrays (NaN never equal). */
export function sameBits(x, y) {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i]) || Number.isNaN(x[i])) return false;
  return true;
}

/**
 * An SGD run against the loss recomputed here and against another run from the same start:
 * the reported loss finite and equal to ‖A − UVᵀ‖² of the returned factors, below the start's
 * loss, and the factors equal to `other`'s within SGD_AGREEMENT_TOL.
 * `lossOf(U, V)` is the objective; `start` = { U, V }; `result` = { U, V, loss? } (without a
 * reported loss, only the recomputed one is checked); `other` = { name, U, V }.
 */
export function checkSgd(checks, who, lossOf, start, result, other) {
  const recomputed = lossOf(result.U, result.V);
  if (result.loss !== undefined) {
    checks.that(who, "loss finite", Number.isFinite(result.loss), `loss ${result.loss}`);
    checks.atMost(who, "|reported loss − ‖A − UVᵀ‖² recomputed in JS| / loss", Math.abs(result.loss - recomputed) / recomputed, LOSS_RECOMPUTE_TOL);
  } else {
    checks.that(who, "loss finite", Number.isFinite(recomputed), `loss ${recomputed}`);
  }
  const before = lossOf(start.U, start.V);
  checks.that(who, "loss decreased from the start", recomputed < before, `loss ${recomputed} ≥ start's ${before}`);
  if (other) {
    checks.atMost(`${who} vs ${other.name}`, "same start ⇒ same U, V (max |Δ| / max |entry|)",
      Math.max(maxRelDiff(result.U, other.U), maxRelDiff(result.V, other.V)), SGD_AGREEMENT_TOL);
    const otherLoss = lossOf(other.U, other.V);
    checks.atMost(`${who} vs ${other.name}`, "same start ⇒ same loss (relative)", Math.abs(recomputed - otherLoss) / recomputed, SGD_AGREEMENT_TOL);
  }
}
