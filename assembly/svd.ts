// Singular value decomposition A = U diag(S) Vᵀ of a dense row-major m×n matrix: the driver,
// after LAPACK dgesvd — scale into the safe range (scaling.ts), QR first when tall (qr.ts),
// Householder bidiagonalisation (bidiagonal.ts), explicit factors (orthogonal.ts), implicit QR
// on the bidiagonal with signs and order (bidiagonal-qr.ts) or, for the vectors of large
// bidiagonals, divide and conquer as in dgesdd (divide-conquer.ts) — and for the values alone,
// dqds (dqds.ts) — then unscaling. docs/algorithms.md, "SVD".
//
// Layout. The kernel always works on a tall M×N matrix B (M ≥ N): B = A when m ≥ n, B = Aᵀ
// when m < n (then A = V_B S U_Bᵀ, so the two factors swap on output). B is held transposed,
// one contiguous row per column of B, so that the left reflectors of QR and bidiagonalisation
// and the reflectors that build U are all contiguous dot/axpy passes. U and V are held as Uᵀ
// and Vᵀ (one contiguous row per singular vector), so every Givens rotation of the QR
// iteration is an f64x2 pass over two contiguous rows; they are transposed once at the end.
import { STATUS_OK, STATUS_NO_CONVERGENCE, STATUS_NON_FINITE, inMemory } from "./status";
import { INFO_OVERFLOW_LOG2, scaleIntoSafeRange, unscaleValues } from "./scaling";
import { extractR, householderQr, multiplyByQ } from "./qr";
import { bidiagPanelDoubles, bidiagonaliseBlocked } from "./bidiagonal";
import { applyBidiagonalP, applyBidiagonalQ, formU, formV, orthogonalWorkDoubles } from "./orthogonal";
import { bidiagonalQr, bidiagonalQrScratch, makeNonNegative, sortDescending } from "./bidiagonal-qr";
import { bidiagonalValues } from "./dqds";
import { findNonFinite, put, rowOf, transpose } from "./vector";
import { bidiagonalSvdDc, divideConquerDoubles } from "./divide-conquer";
import { SMALL_BLOCKS } from "./constants";

/** Bytes of the SVD info block: unconverged superdiagonals (NO_CONVERGENCE), log₂ σ₁ (OVERFLOW). */
export const SVD_INFO_BYTES: i32 = 16;
/** dgesvd's crossover (ilaenv ispec 6): when m ≥ 1.6·n, QR first and bidiagonalise the n×n R,
 *  because bidiagonalising R and applying Q afterwards is cheaper than bidiagonalising A. */
const QR_CROSSOVER: f64 = 1.6;
/** Smallest N for which the vectors come from divide and conquer instead of the QR iteration.
 *  dgesdd uses it from N > 25 (dbdsdc's SMLSIZ), but here it also pays a dqds values pass
 *  (for relative accuracy) and its products run on a 128-bit SIMD kernel, so it wins later.
 *  Measured with Q and P applied by dormbr (callgrind instructions per call of thin square
 *  uniform matrices, steady state, divide and conquer against the QR iteration): +67 % at
 *  N = 40, +8 % at 64, −3 % at 80, −6 % at 90, −10 % at 100 (500×100: −12 %). (Before dormbr,
 *  wall clock: ±5 % at 80–100, −5 % at 128, −20 % at 300, hence 128 then.)
 *  The debug-blocked build uses 3, so that the tests take divide and conquer on small shapes. */
const DC_MIN_ORDER: i32 = SMALL_BLOCKS ? 3 : 80;

// ---------------------------------------------------------------------------------------------
// Workspace plan (byte offsets from `work`), shared by svdWorkspaceBytes and svdDecompose

let planB: usize = 0; // Bᵀ: N rows of M (only when m ≥ n; else B is `a` itself)
let planR: usize = 0; // Rᵀ: N×N (QR path only)
let planU: usize = 0; // Uᵀ: kU rows of M (vectors only)
let planV: usize = 0; // Vᵀ: N×N (vectors only)
let planD: usize = 0; // d, e, tauq, taup, tau of QR: N each; the bidiagonal QR's scratch
let planZ: usize = 0; // bidiagonalisation scratch: M + N
let planP: usize = 0; // blocked bidiagonalisation panels, later the blocks of reflectors (shared)
let planC: usize = 0; // divide and conquer's small regions (divideConquerDoubles), when planDc
let planEnd: usize = 0;
let planDc: bool = false; // vectors by divide and conquer (else the QR iteration)

// Doubles → bytes, rounded up to 16 bytes so every region starts v128-aligned.
// @ts-ignore: decorator
@inline function region(doubles: u64): u64 {
  return ((doubles + 1) & ~(<u64>1)) << 3;
}

// Lays the regions out one after another, each only when this shape and job use it.
function planWorkspace(m: i32, n: i32, job: i32): void {
  const bigM = <u64>max(m, n);
  const bigN = <u64>min(m, n);
  const useQr = bigN > 0 && useQrFirst(<i32>bigM, <i32>bigN);
  const rowsU: u64 = job == 2 ? bigM : bigN;
  let offset: u64 = 0;
  planB = <usize>offset;
  offset += m >= n ? region(bigM * bigN) : 0;
  planR = <usize>offset;
  offset += useQr ? region(bigN * bigN) : 0;
  planU = <usize>offset;
  offset += job != 0 ? region(rowsU * bigM) : 0;
  planV = <usize>offset;
  offset += job != 0 ? region(bigN * bigN) : 0;
  planD = <usize>offset;
  offset += region(5 * bigN + bidiagonalQrScratch(<i32>bigN));
  planZ = <usize>offset;
  offset += region(bigM + bigN);
  planP = <usize>offset;
  offset += bigN > 0 ? region(max(bidiagPanelDoubles(useQr ? <i32>bigN : <i32>bigM, <i32>bigN), reflectorDoubles(bigM, bigN, useQr, job))) : 0;
  planC = <usize>offset;
  // Its four N² arrays are Uᵀ, Vᵀ and the outputs u, v (dead until the end).
  planDc = job != 0 && bigN >= <u64>DC_MIN_ORDER;
  if (planDc) offset += region(divideConquerDoubles(<i32>bigN));
  // Saturate instead of wrapping: the host then fails to reserve it and reports TOO_LARGE.
  planEnd = offset > <u64>0xFFFFFFF0 ? <usize>0xFFFFFFF0 : <usize>offset;
}

// Blocked QR, dorgbr and dormqr (qr.ts, orthogonal.ts): their reflector blocks, used after the
// bidiagonalisation's panels are done with, share planP. Every call has at most rowsU ≥ N
// rows and reflectors at most M long, and the scratch grows with both.
function reflectorDoubles(bigM: u64, bigN: u64, useQr: bool, job: i32): u64 {
  if (!useQr && job == 0) return 0;
  return orthogonalWorkDoubles(job == 2 ? <i32>bigM : <i32>bigN, <i32>bigM);
}

// @ts-ignore: decorator
@inline function useQrFirst(bigM: i32, bigN: i32): bool {
  return bigM >= <i32>(QR_CROSSOVER * <f64>bigN);
}

// Writes the n×n identity.
function setIdentity(x: usize, n: i32): void {
  memory.fill(x, 0, (<usize>n * <usize>n) << 3);
  for (let i = 0; i < n; i++) put(rowOf(x, i, n), i, 1.0);
}

/** Bytes of scratch that svdDecompose needs for an m×n input and this job (16-byte multiple).
 *  With M = max(m, n), N = min(m, n), kU = (job == 2 ? M : N), in doubles each rounded up to
 *  even: M·N (only if m ≥ n) + N² (only if M ≥ 1.6·N) + [kU·M + N² if job ≠ 0] + 9N + 6 + M
 *  + N + max(panels, blocks): panels = 64·(W + N) + 192 + P(N, W, 64) if N ≥ 128 (the
 *  bidiagonalisation's, W = N after a QR else M); blocks = 32·M + 1024 + 32·kU + max of
 *  P(kU, 32, M), P(kU, M, 32), P(32, 32, M) when job ≠ 0 or M ≥ 1.6·N (compact WY), with P the
 *  product kernel's packing (gemmPackDoubles); + [divideConquerDoubles(N) ≈ 17N + P(N, N, N)
 *  if job ≠ 0 and N ≥ DC_MIN_ORDER: its N² arrays are Uᵀ, Vᵀ and, borrowed, the outputs u and
 *  v]; saturated at 2³² − 16. Preconditions: m, n ≥ 0, job ∈ {0, 1, 2}; 0 for an empty
 *  matrix or a bad argument. */
export function svdWorkspaceBytes(m: i32, n: i32, job: i32): usize {
  if (min(m, n) <= 0 || job < 0 || job > 2) return 0;
  planWorkspace(m, n, job);
  return planEnd;
}

/**
 * SVD of the row-major m×n matrix at a: A = U diag(S) Vᵀ (LAPACK dgesvd's method; the vectors
 * of a bidiagonal with N ≥ DC_MIN_ORDER by divide and conquer, as dgesdd).
 * job 0: singular values only (no vector work at all); 1: thin, U m×p, V n×p; 2: full, U m×m,
 * V n×n; p = min(m, n). a may be overwritten. s: p doubles out, descending, ≥ 0. u, v: row-major
 * outputs (ignored for job 0). work: svdWorkspaceBytes(m, n, job) bytes, 16-aligned. info:
 * SVD_INFO_BYTES. No buffer may overlap another; entries of a must be finite.
 * Returns STATUS_OK; STATUS_NON_FINITE when the bidiagonal came out non-finite (outputs
 * meaningless); STATUS_NO_CONVERGENCE when the bidiagonal QR (dqds for job 0) exceeded its cap
 * (info[0] = the number of superdiagonals not converged; outputs finite but not a valid SVD); STATUS_OVERFLOW
 * when σ₁ exceeds the double range (info[1] = log₂ σ₁; s holds the values scaled down); or −i
 * when argument i is out of range.
 */
export function svdDecompose(a: usize, m: i32, n: i32, job: i32, s: usize, u: usize, v: usize, work: usize, info: usize): i32 {
  if (m < 0) return -2;
  if (n < 0) return -3;
  if (job < 0 || job > 2) return -4;
  const bigN = min(m, n);
  const cells = <u64>m * <u64>n;
  if (!inMemory(a, cells << 3)) return -1;
  if (!inMemory(s, <u64>bigN << 3)) return -5;
  if (job != 0 && !inMemory(u, (job == 2 ? <u64>m * <u64>m : <u64>m * <u64>bigN) << 3)) return -6;
  if (job != 0 && !inMemory(v, (job == 2 ? <u64>n * <u64>n : <u64>n * <u64>bigN) << 3)) return -7;
  if ((work & 15) != 0 || !inMemory(work, <u64>svdWorkspaceBytes(m, n, job))) return -8;
  if (!inMemory(info, SVD_INFO_BYTES)) return -9;
  store<f64>(info, 0);
  store<f64>(info + INFO_OVERFLOW_LOG2, 0);
  if (bigN == 0) {
    if (job == 2) {
      setIdentity(u, m);
      setIdentity(v, n);
    }
    return STATUS_OK;
  }
  const wide = m < n;
  const bigM = max(m, n);
  planWorkspace(m, n, job);
  const d = work + planD;
  const e = d + (<usize>bigN << 3);
  const tauq = e + (<usize>bigN << 3);
  const taup = tauq + (<usize>bigN << 3);
  const tauQr = taup + (<usize>bigN << 3);
  const rot = tauQr + (<usize>bigN << 3);
  const z = work + planZ;
  // Bᵀ row-major: A itself when A is wide (B = Aᵀ), else a transposed copy of A.
  let bt = a;
  if (!wide) {
    bt = work + planB;
    transpose(a, m, n, bt);
  }
  const factor = scaleIntoSafeRange(bt, <usize>bigM * <usize>bigN);
  const useQr = useQrFirst(bigM, bigN);
  // The matrix that gets bidiagonalised: R (N×N) after a QR, else B (M×N).
  let w = bt;
  let ldw = bigM;
  let rowsW = bigM;
  if (useQr) {
    householderQr(bt, bigM, bigM, bigN, tauQr, work + planP);
    w = work + planR;
    ldw = bigN;
    rowsW = bigN;
    extractR(bt, bigM, bigN, w);
  }
  bidiagonaliseBlocked(w, ldw, rowsW, bigN, d, e, tauq, taup, z, work + planP);
  // Finite input keeps the bidiagonal finite after scaling; check rather than iterate on NaN.
  if (findNonFinite(d, bigN) < bigN || findNonFinite(e, bigN - 1) < bigN - 1) return STATUS_NON_FINITE;

  const vectors = job != 0;
  const rowsU = job == 2 ? bigM : bigN;
  const ut = work + planU;
  const vt = work + planV;
  // The bidiagonal's SVD. Values only: dqds (sorted, ≥ 0); the τ's and the rotation scratch
  // are dead once B is bidiagonal, so its dqdsScratch(N) = 5N + 8 doubles start at tauq (7N + 6
  // are there). Vectors from DC_MIN_ORDER up, dgesdd's way: the bidiagonal's own vectors by
  // divide and conquer into Uᵀ and Vᵀ (its N² scratch arrays borrowed from the outputs u and
  // v, written only at the end), its values from dqds too (so every job gives the same
  // values), then Q and P applied to them (dormbr). Below DC_MIN_ORDER, or when divide and
  // conquer fails (−1), dgesvd's way: Q and P formed (dorgbr) and the QR iteration's rotations
  // applied to them.
  let unconverged = -1;
  if (!vectors) {
    unconverged = bidiagonalValues(bigN, d, e, tauq);
  } else {
    if (planDc) unconverged = bidiagonalSvdDc(bigN, d, e, ut, bigM, bigM, vt, u, v, work + planC);
    if (unconverged >= 0) {
      // U = Q·diag(U_B, I) (the identity rows only for job 2 without a QR first; multiplyByQ
      // makes its own), V = P·V_B.
      const rowsQ = useQr ? bigN : rowsU;
      for (let r = bigN; r < rowsQ; r++) {
        memory.fill(rowOf(ut, r, bigM), 0, <usize>bigM << 3);
        put(rowOf(ut, r, bigM), r, 1);
      }
      applyBidiagonalQ(ut, bigM, rowsQ, w, ldw, rowsW, bigN, tauq, work + planP);
      applyBidiagonalP(vt, bigN, bigN, w, ldw, bigN, taup, work + planP);
    } else {
      formV(w, ldw, bigN, vt, taup, work + planP);
      formU(w, ldw, rowsW, bigN, ut, bigM, useQr ? bigN : rowsU, tauq, work + planP);
      unconverged = bidiagonalQr(bigN, d, e, vt, bigN, bigN, ut, bigM, rowsW, rot);
      makeNonNegative(bigN, d, vt, bigN, bigN);
      sortDescending(bigN, d, vt, bigN, bigN, ut, bigM, rowsW);
    }
    if (useQr) multiplyByQ(ut, bigM, rowsU, bigN, bt, tauQr, work + planP);
  }
  memory.copy(s, d, <usize>bigN << 3);
  if (vectors) {
    // A = B when tall; A = Bᵀ = V_B S U_Bᵀ when wide, so the factors trade places.
    transpose(ut, rowsU, bigM, wide ? v : u);
    transpose(vt, bigN, bigN, wide ? u : v);
  }
  if (unconverged > 0) {
    store<f64>(info, <f64>unconverged);
    return STATUS_NO_CONVERGENCE;
  }
  return unscaleValues(s, bigN, factor, info);
}
