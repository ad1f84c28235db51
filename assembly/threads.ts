// Exports of the threaded build only (asconfig target `threads`; scripts/build.mjs adds this
// entry for it): the team's set-up, the helpers' loop, the board's layout for the host, and the
// block-stratified SGD (sgd-blocked.ts). The other builds never see this file, so they export
// exactly what index.ts does. docs/parallel.md describes the design, docs/abi.md the exports.
import { helperLoop } from "./jobs";
import { TEAM_BOARD_BYTES, TEAM_MAX_THREADS } from "./team";

export { teamInit, TEAM_BOARD_BYTES, TEAM_MAX_THREADS, TEAM_ABORT_OFFSET, TEAM_HOST_OFFSET } from "./team";
export { sgdBlockPlan, sgdDenseBlocked, sgdSparseBlocked, lossDenseBlocked, lossSparseBlocked } from "./sgd-blocked";

/**
 * A helper's life: joins the team on the board at `board` as thread `id` (1 ≤ id <
 * TEAM_MAX_THREADS) and runs its share of every job the leader posts; never returns (the host
 * ends the thread). Returns −i at once when argument i is out of range.
 */
export function workerLoop(board: usize, id: i32): i32 {
  if ((board & 63) != 0 || <u64>board + <u64>TEAM_BOARD_BYTES > (<u64>memory.size() << 16)) return -1;
  if (id < 1 || id >= TEAM_MAX_THREADS) return -2;
  helperLoop(board, id);
  return 0;
}
