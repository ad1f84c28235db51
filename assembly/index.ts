// The lowrank kernel: one module, no imports, no allocation. The host owns all linear
// memory from heapBase() upwards (it grows memory itself) and passes byte addresses;
// every export states its buffers and preconditions, checks its integer arguments and
// pointers in every build, and returns a status (status.ts; −i for a bad argument i).
// The ABI is described in docs/abi.md.
export { STATUS_OK, STATUS_DIVERGED, STATUS_NO_CONVERGENCE, STATUS_NON_FINITE, STATUS_OVERFLOW } from "./status";
export { fillUniform, fillNormal, shuffleEntries } from "./random";
export { sgdDense, sgdSparse, gatherObserved, lossDense, lossSparse, SGD_INFO_BYTES } from "./sgd";
export { orthonormalise, orthonormaliseWorkspaceBytes } from "./qr";
export { scaleToSafeRange, unscaleSingularValues, largestMagnitude } from "./scaling";
export { svdWorkspaceBytes, svdDecompose, SVD_INFO_BYTES } from "./svd";
export {
  multiply, multiplyAdd, multiplyTransposed, multiplyTransposedLeft, productWorkspaceBytes, scaleColumns, firstNonFinite, scaleBy,
  euclideanNorm,
} from "./dense";
export { compressCoordinates, transposeCompressed, sumDuplicates, sparseMultiplyTransposed, sparseMultiply, sparseWorkspaceBytes } from "./sparse";
export { standardiseColumns, standardiseCompressed, alignSigns } from "./columns";

/** First byte the host may use: everything below holds the module's static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~<usize>15;
}

/** ABI version; bumped whenever an export's signature, a buffer layout or a status changes. */
export const ABI_VERSION: i32 = 3;
