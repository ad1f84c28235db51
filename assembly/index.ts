// The lowrank kernel: one module, no imports, no allocation. The host owns all linear
// memory from heapBase() upwards (it grows memory itself) and passes byte addresses;
// every export documents its buffers. The ABI is described in docs/abi.md.
export { fillUniform, fillNormal, shuffleEntries } from "./random";
export { sgdDense, sgdSparse, gatherObserved, lossDense, lossSparse, SGD_INFO_BYTES } from "./sgd";
export { householderQr, formQ } from "./qr";
export { svdWorkspaceBytes, svdDecompose } from "./svd";
export { multiply, multiplyTransposed, multiplyTransposedLeft, scaleColumns, firstNonFinite } from "./dense";

/** First byte the host may use: everything below holds the module's static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~<usize>15;
}

/** ABI version; bumped whenever an export's signature or a buffer layout changes. */
export const ABI_VERSION: i32 = 1;
