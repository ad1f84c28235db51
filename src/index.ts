/**
 * lowrank — low-rank matrix factorisation (SGD, masked / sparse SGD, SVD) on an
 * AssemblyScript SIMD WebAssembly kernel. Every function is synchronous: the kernel is
 * inlined, and compiled on the first call that needs it.
 * @packageDocumentation
 */
import { kernelBuild } from "./kernel.js";

export { releaseMemory } from "./kernel.js";

export { FactorisationError, type FactorisationErrorCode, type LastFinite } from "./errors.js";
export { matrix, toArray, type DenseMatrixInput, type MaskInput, type Matrix, type MatrixInput, type MatrixLike } from "./matrix.js";
export {
  sgdFactorise, sgdFactoriseMasked, sgdFactoriseSparse,
  type SgdOptions, type SparseSgdOptions, type SgdResult, type SparseEntries,
} from "./sgd.js";
export { reconstruct, reconstructionLoss } from "./reconstruct.js";
export { rmse, type HeldOutEntries } from "./evaluate.js";
export { svd, svdFactorise, type SvdOptions, type SvdResult, type SvdValues, type SvdVectors } from "./svd.js";
export {
  parseCsv, parseCsvBlocks, type CsvBlock, type CsvBlockOptions, type CsvMatrix, type CsvOptions, type TextPieces,
} from "./io/csv.js";
export {
  isMatrixMarket, parseMatrixMarket, type MatrixMarketBanner, type MatrixMarketMatrix, type MatrixMarketOptions,
} from "./io/matrix-market.js";
export { ParseError, type ParseFix, type ParsedCoordinates, type ParsedDense } from "./io/text.js";
export { pca, type PcaOptions, type PcaResult } from "./pca.js";
export { svdStream, type BlockReader, type SvdStreamOptions } from "./svd-stream.js";
export { createPool, type AbortSignalLike, type Pool, type PoolCallOptions, type PoolOptions } from "./pool.js";

/** True when the SIMD kernel runs; false when the host rejected SIMD and the scalar build runs. */
export const simd: boolean = kernelBuild().simd;
