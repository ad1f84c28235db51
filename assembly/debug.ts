// Exports compiled into the debug builds only (scripts/build.mjs adds this entry for them):
// the abort handler that keeps those builds free of imports, and knobs that let the tests
// reach states no input reaches in reasonable time. Never part of release or scalar.

let abortMessagePtr: usize = 0;
let abortFilePtr: usize = 0;
let abortLineNumber: u32 = 0;
let abortColumnNumber: u32 = 0;

/**
 * The debug builds' `abort` (asconfig `use: abort=assembly/debug/onAbort`): records where a
 * failed assertion fired, then traps, so the host sees a WebAssembly.RuntimeError (and the
 * instance is discarded) exactly as for any other trap, with no `env.abort` import needed.
 */
export function onAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  abortMessagePtr = changetype<usize>(message);
  abortFilePtr = changetype<usize>(fileName);
  abortLineNumber = line;
  abortColumnNumber = column;
  unreachable();
}

/** Where the last failed assertion fired: [message, file] as string pointers (UTF-16, byte
 *  length at ptr − 4), then line and column, written as four u32 at `out`. */
export function debugAbortInfo(out: usize): void {
  store<u32>(out, <u32>abortMessagePtr);
  store<u32>(out, <u32>abortFilePtr, 4);
  store<u32>(out, abortLineNumber, 8);
  store<u32>(out, abortColumnNumber, 12);
}

/** Fails a kernel assertion unless x ≠ 0, so tests can check what the debug abort records. */
export function debugAssert(x: i32): void {
  assert(x != 0, "debugAssert: x must be non-zero");
}

/** Traps unconditionally (`unreachable`), so tests can check that the wrapper recovers. */
export function debugTrap(): void {
  unreachable();
}

export { setIterationLimitFactor as debugSetIterationLimitFactor } from "./bidiagonal-qr";
export { setSecularIterationLimit as debugSetSecularIterationLimit } from "./secular";
export { divideConquerCounts as debugDivideConquerCounts } from "./divide-conquer";

// The small routines themselves, for unit tests against independent references
// (test/debug/routines.test.ts): dlartg, dlas2, dlasv2 and one dbdsqr sweep of each kind; the
// secular equation of a divide-and-conquer merge (test/debug/divide-conquer.test.ts).
export { givens as debugGivens, twoByTwoValues as debugTwoByTwoValues, twoByTwoSvd as debugTwoByTwoSvd } from "./rotations";
export {
  zeroShiftSweepDown as debugZeroShiftSweepDown, zeroShiftSweepUp as debugZeroShiftSweepUp,
  shiftedSweepDown as debugShiftedSweepDown, shiftedSweepUp as debugShiftedSweepUp,
} from "./bidiagonal-qr";

// dqds on a bidiagonal the test passes (test/debug/dqds.test.ts, against mpmath tables):
// bidiagonalValues(n, d, e, work) with work = dqdsScratch(n) doubles.
export { bidiagonalValues as debugBidiagonalValues } from "./dqds";
export { secularRoots as debugSecularRoots } from "./secular";

// The bidiagonalisation and its orthogonal factors, for the dorgbr/dormbr test
// (test/debug/orthogonal-factors.test.ts): dormbr has no caller in the driver yet.
export { bidiagonaliseBlocked as debugBidiagonalise, bidiagPanelDoubles as debugBidiagPanelDoubles } from "./bidiagonal";
export {
  formU as debugFormU, formV as debugFormV, applyBidiagonalQ as debugApplyBidiagonalQ,
  applyBidiagonalP as debugApplyBidiagonalP, orthogonalWorkDoubles as debugOrthogonalWorkDoubles,
} from "./orthogonal";
