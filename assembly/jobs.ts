// The threaded build's jobs: what a thread of the team (team.ts) runs for a chunk it claimed,
// by job kind, and the claiming loops of the leader and of a helper. Each splittable routine
// posts its job through teamRun; its share runs the routine itself on the chunk's part.
import { gemvRowsShare, gemvTransposedShare } from "./blas";
import { gemmShare } from "./gemm";
import { reflectShare } from "./reflectors";
import { rotatePairShare, rotateShare } from "./rotations";
import { epochShare, lossShare } from "./sgd-blocked";
import {
  JOB_GEMM, JOB_GEMV_ROWS, JOB_GEMV_TRANSPOSED, JOB_REFLECT, JOB_ROTATE, JOB_ROTATE_PAIR, JOB_SGD_EPOCH, JOB_SGD_LOSS, helperAwait, helperJoin, jobChunks,
  jobKind, teamClaim, teamDone, teamFork, teamJoin,
} from "./team";

// Chunk c of `chunks` of a job of `kind`, on thread `thread` (0 = the leader).
function runChunk(kind: i32, c: i32, chunks: i32, thread: i32): void {
  switch (kind) {
    case JOB_GEMM: gemmShare(c, chunks, thread); break;
    case JOB_GEMV_ROWS: gemvRowsShare(c, chunks); break;
    case JOB_GEMV_TRANSPOSED: gemvTransposedShare(c, chunks); break;
    case JOB_ROTATE: rotateShare(c, chunks); break;
    case JOB_ROTATE_PAIR: rotatePairShare(c, chunks); break;
    case JOB_REFLECT: reflectShare(c, chunks); break;
    case JOB_SGD_EPOCH: epochShare(c); break;
    case JOB_SGD_LOSS: lossShare(c); break;
    default: unreachable();
  }
}

/** Leader: runs a job of `kind` (arguments set with setJobArg) in `chunks` chunks on the team,
 *  claiming chunks itself until none is left, and returns when all are done. */
export function teamRun(kind: i32, chunks: i32): void {
  teamFork(kind, chunks);
  for (let c = teamClaim(); c >= 0; c = teamClaim()) {
    runChunk(kind, c, chunks, 0);
    teamDone();
  }
  teamJoin();
}

/** Helper `id` on the board at `board`: claims chunks of every job posted from now on; never returns. */
export function helperLoop(board: usize, id: i32): void {
  let seen = helperJoin(board, id);
  while (true) {
    seen = helperAwait(seen);
    for (let c = teamClaim(); c >= 0; c = teamClaim()) {
      runChunk(jobKind(), c, jobChunks(), id);
      teamDone();
    }
  }
}
