// The team of the threaded build (asconfig target `threads`): one instance of the module per
// thread over one shared linear memory. The thread that runs an export is the leader; the
// others are helpers parked in workerLoop (threads.ts). For work worth splitting, the leader
// posts a job on a board in shared memory — a kind, its arguments and a number of chunks. Each
// thread owns a fixed run of the chunks (thread t the t-th of T equal runs, so it works on the
// same part of a matrix job after job and finds it in its own cache) and claims them one by one
// from its own atomic counter; a thread whose run is done takes chunks from the others' (work
// stealing), and the leader finally waits for the chunks others claimed. A helper that the OS
// has not scheduled claims nothing and the leader takes its chunks, so a loaded machine slows a
// job down to one thread's speed, never stalls it. Waits spin briefly, then sleep in memory.atomic.wait32 (the futex pattern; Drepper,
// "Futexes are tricky", 2011). Module globals are per instance, so per-thread state is a global
// and everything a job needs is on the board or in the caller's buffers: nothing per call lives
// in static memory. In the other builds ASC_FEATURE_THREADS is false: teamSize() is 1,
// teamSplits() is false and all of this compiles away, so release and scalar import nothing.

// Board layout (byte offsets from the board, 64-aligned). The words every thread polls sit on
// their own 64-byte line, apart from the job's description, which is written once per job, and
// each thread's claim counter has a line of its own.
const GENERATION: usize = 0; // i32: the current job's number; parked helpers wait for it to change
const DONE: usize = 4; // i32: chunks of the current job finished
const KIND: usize = 64; // i32: the job's kind (JOB_*)
const CHUNKS: usize = 68; // i32: chunks of the job
const ABORT: usize = 72; // i32: set by the host to stop the running call (teamCheckAbort)
const THREADS: usize = 76; // i32: threads in the team (written by teamInit)
/** Byte offset of the board's abort word: the host stores a non-zero i32 there to stop the
 *  running call at its leader's next check, and zero before the next call. */
export const TEAM_ABORT_OFFSET: i32 = <i32>ABORT;
/** Byte offset of 16 i32 words (to byte 191) that the host's JavaScript uses to hand control
 *  back and forth within one call (the pool's onEpoch verdicts); the kernel never touches them. */
export const TEAM_HOST_OFFSET: i32 = 128;
const MAX_ARGS: i32 = 20;
const ARGS: usize = 192; // MAX_ARGS f64: the job's arguments (pointers and sizes are exact in f64)
/** Largest team; also the most chunks whose results a job can leave (one slot each). */
export const TEAM_MAX_THREADS: i32 = 256;
const RESULTS: usize = ARGS + (<usize>MAX_ARGS << 3); // TEAM_MAX_THREADS f64: one result per chunk
// TEAM_MAX_THREADS claim counters, one per 64-byte line: i64 generation << 32 | chunks of the
// thread's run not yet claimed.
const CLAIMS: usize = (RESULTS + (<usize>TEAM_MAX_THREADS << 3) + 63) & ~63;
/** Bytes of the board the host reserves (zeroed: fresh memory) for a team; 64-byte multiple. */
export const TEAM_BOARD_BYTES: i32 = <i32>(CLAIMS + (<usize>TEAM_MAX_THREADS << 6));

// Job kinds: the splittable routines (jobs.ts maps each to its share).
export const JOB_GEMM: i32 = 1;
export const JOB_GEMV_ROWS: i32 = 2;
export const JOB_GEMV_TRANSPOSED: i32 = 3;
export const JOB_ROTATE: i32 = 4;
export const JOB_REFLECT: i32 = 5;
export const JOB_SGD_EPOCH: i32 = 6;
export const JOB_SGD_LOSS: i32 = 7;
export const JOB_ROTATE_PAIR: i32 = 8;

/** Chunks per thread of a split job: enough that a thread descheduled or slowed by the machine's
 *  other work leaves only a small tail, few enough that claiming (one atomic exchange, ≈ 50 ns)
 *  costs nothing beside a chunk (≥ a few µs at the split thresholds). */
const CHUNKS_PER_THREAD: i32 = 4;
/** Busy-wait iterations before a thread sleeps: ≈ 0.1–0.3 ms here. Sleeping is dear — on the
 *  development VM a wait/notify round trip between two threads took 71 µs against 0.5 µs
 *  spinning — so a thread spins through the gaps between the jobs of a sweep or a panel and
 *  through a helper's chunk, and sleeps only through the long sequential phases of a call. */
const SPIN_LIMIT: i32 = 1 << 18;
/** Busy-wait iterations of the leader waiting for chunks that helpers claimed (≈ 30–60 µs): a
 *  chunk's tail on a free core mostly ends within it. */
const JOIN_SPINS: i32 = 1 << 16;
/** A join that waits longer than this (1 ms, in ns) for a helper's chunk is a stall: the helper
 *  was preempted holding it (on a free core a chunk takes µs to tens of µs). */
const STALL_NS: i64 = 1_000_000;
/** Jobs per window of the stall count. */
const WINDOW_JOBS: i32 = 64;
/** Stalls in a window beyond which the leader runs alone for a while: at ≥ 1 ms each, 8 stalls
 *  cost more than the window's 64 jobs can gain. The leader also runs alone for a while after a
 *  window in which the helpers ran less than a quarter of their fair share of the chunks (they
 *  were seldom running). Not half: on two free cores a helper that slept through a sequential
 *  phase wakes ≈ 70 µs into the next jobs and the leader takes part of its share meanwhile, so
 *  with half the rule fired on an idle machine and the thin 1024² SVD ran on one thread
 *  (pool 1.19 s against svd 1.16 s; with a quarter 0.60–0.68 s, while one CPU-bound process
 *  beside it still sends the leader alone: pool ≈ svd). */
const STALL_LIMIT: i32 = 8;
/** Splittable calls the leader then runs alone before trying the team again: several ms of
 *  work, long against the window that detects a stall. */
const ALONE_CALLS: i32 = 2048;

/** Per instance: the board and team size this thread belongs to (leader: set by teamInit). */
let board: usize = 0;
let leaderThreads: i32 = 1;
/** Per instance: this thread is running shares (the leader between teamFork and teamJoin; a
 *  helper always). A share calls the routine it splits on its own part, which then neither
 *  splits again nor checks for an abort: a trap must never leave a job half-run. */
let sharing = false;
/** Leader: how a window of WINDOW_JOBS jobs went — jobs, joins stalled on a helper that was
 *  preempted holding a chunk, chunks posted and chunks the leader ran itself — and, after a
 *  window where the team did not help, how many splittable calls still run on the leader alone. */
let windowJobs: i32 = 0;
let windowStalls: i32 = 0;
let windowChunks: i32 = 0;
let windowMine: i32 = 0;
let alone: i32 = 0;
/** Per instance: the generation of the job this thread works on, and this thread's index. */
let working: i32 = 0;
let self: i32 = 0;

/** Threads that share this call's work: 1 unless this instance leads a team. */
// @ts-ignore: decorator
@inline export function teamSize(): i32 {
  return ASC_FEATURE_THREADS ? leaderThreads : 1;
}

/**
 * Makes this instance the leader of a team of `threads` on the board at `at` (the host
 * zeroes the board once and starts threads − 1 helpers in workerLoop). Returns 0, or −i when
 * argument i is out of range.
 */
export function teamInit(at: usize, threads: i32): i32 {
  if ((at & 63) != 0 || <u64>at + <u64>TEAM_BOARD_BYTES > (<u64>memory.size() << 16)) return -1;
  if (threads < 1 || threads > TEAM_MAX_THREADS) return -2;
  board = at;
  leaderThreads = threads;
  if (ASC_FEATURE_THREADS) atomic.store<i32>(at + THREADS, threads);
  return 0;
}

/** Whether this instance leads a team (teamInit was called): the board exists. */
// @ts-ignore: decorator
@inline export function teamActive(): bool {
  return board != 0;
}

/** Traps (an `unreachable`, which unwinds the whole call into the host as a RuntimeError)
 *  when the host has asked the running call to stop; the host then reports ABORTED. Only the
 *  leader between jobs traps, so no job is ever left half-run. */
// @ts-ignore: decorator
@inline export function teamCheckAbort(): void {
  if (ASC_FEATURE_THREADS) {
    if (!sharing && board != 0 && atomic.load<i32>(board + ABORT) != 0) unreachable();
  }
}

/** Whether the leader should split a job of `work` units: a team exists, no share is running
 *  and the work pays for the fork–join (`minWork` units). Also the leader's abort check, made
 *  at every splittable routine. */
// @ts-ignore: decorator
@inline export function teamSplits(work: u64, minWork: u64): bool {
  if (!ASC_FEATURE_THREADS || sharing) return false;
  teamCheckAbort();
  if (leaderThreads == 1 || work < minWork) return false;
  if (alone > 0) {
    alone--;
    return false;
  }
  return true;
}

/** Chunks to cut a job of `units` indivisible parts into: CHUNKS_PER_THREAD per thread, at most
 *  one per unit (and at most TEAM_MAX_THREADS, the result slots). */
// @ts-ignore: decorator
@inline export function teamChunks(units: i32): i32 {
  return max(1, min(units, min(leaderThreads * CHUNKS_PER_THREAD, TEAM_MAX_THREADS)));
}

/** Argument i of the current job. */
// @ts-ignore: decorator
@inline export function jobArg(i: i32): f64 {
  return load<f64>(board + ARGS + (<usize>i << 3));
}

/** Argument i of the current job as a pointer or size. */
// @ts-ignore: decorator
@inline export function jobPtr(i: i32): usize {
  return <usize>load<f64>(board + ARGS + (<usize>i << 3));
}

/** Argument i of the current job as an i32. */
// @ts-ignore: decorator
@inline export function jobInt(i: i32): i32 {
  return <i32>load<f64>(board + ARGS + (<usize>i << 3));
}

/** Leader: sets argument i of the next job (before teamFork). */
// @ts-ignore: decorator
@inline export function setJobArg(i: i32, x: f64): void {
  store<f64>(board + ARGS + (<usize>i << 3), x);
}

/** Leader: sets the arguments 0–13 of the next job at once (pointers and sizes are exact in f64). */
export function setJobArgs(
  a0: f64, a1: f64, a2: f64, a3: f64, a4: f64, a5: f64 = 0, a6: f64 = 0,
  a7: f64 = 0, a8: f64 = 0, a9: f64 = 0, a10: f64 = 0, a11: f64 = 0, a12: f64 = 0, a13: f64 = 0,
): void {
  const p = board + ARGS;
  store<f64>(p, a0);
  store<f64>(p, a1, 8);
  store<f64>(p, a2, 16);
  store<f64>(p, a3, 24);
  store<f64>(p, a4, 32);
  store<f64>(p, a5, 40);
  store<f64>(p, a6, 48);
  store<f64>(p, a7, 56);
  store<f64>(p, a8, 64);
  store<f64>(p, a9, 72);
  store<f64>(p, a10, 80);
  store<f64>(p, a11, 88);
  store<f64>(p, a12, 96);
  store<f64>(p, a13, 104);
}

/** The slot where chunk c leaves its result (e.g. a partial sum). */
// @ts-ignore: decorator
@inline export function shareResult(c: i32): usize {
  return board + RESULTS + (<usize>c << 3);
}

/** The kind of the job this thread has claimed a chunk of. */
// @ts-ignore: decorator
@inline export function jobKind(): i32 {
  return load<i32>(board + KIND);
}

/** The number of chunks of the job this thread has claimed a chunk of. */
// @ts-ignore: decorator
@inline export function jobChunks(): i32 {
  return load<i32>(board + CHUNKS);
}

/** First item of chunk c of `total` items cut into `chunks`, at multiples of `align` (c = chunks gives total). */
// @ts-ignore: decorator
@inline export function shareStart(total: i32, chunks: i32, c: i32, align: i32): i32 {
  if (c >= chunks) return total;
  const units = (<i64>total + align - 1) / align;
  return <i32>min<i64>(<i64>total, ((units * c) / chunks) * align);
}

// Spins, then sleeps, until the i32 at p differs from `value`; returns the new value.
function awaitChange(p: usize, value: i32, spins: i32): i32 {
  let now = atomic.load<i32>(p);
  for (let i = 0; now == value && i < spins; i++) now = atomic.load<i32>(p);
  while (now == value) {
    atomic.wait<i32>(p, value, -1);
    now = atomic.load<i32>(p);
  }
  return now;
}

// The claim counter of thread t, and the first chunk of its run (of `chunks` among `threads`).
// @ts-ignore: decorator
@inline function claimWord(t: i32): usize {
  return board + CLAIMS + (<usize>t << 6);
}

// @ts-ignore: decorator
@inline function runStart(chunks: i32, threads: i32, t: i32): i32 {
  return <i32>((<i64>chunks * <i64>t) / <i64>threads);
}

/**
 * Leader: posts a job of `kind` in `chunks` chunks (its arguments already set with setJobArg)
 * and wakes the helpers; the leader then claims chunks itself (teamClaim) and calls teamJoin.
 * With a team of one the leader simply claims every chunk.
 */
export function teamFork(kind: i32, chunks: i32): void {
  if (ASC_FEATURE_THREADS) {
    sharing = true;
    const generation = atomic.load<i32>(board + GENERATION) + 1;
    working = generation;
    store<i32>(board + KIND, kind);
    store<i32>(board + CHUNKS, chunks);
    atomic.store<i32>(board + DONE, 0);
    const threads = leaderThreads;
    for (let t = 0; t < threads; t++) {
      const run = runStart(chunks, threads, t + 1) - runStart(chunks, threads, t);
      atomic.store<i64>(claimWord(t), (<i64>generation << 32) | <i64>run);
    }
    atomic.store<i32>(board + GENERATION, generation);
    if (threads > 1) atomic.notify(board + GENERATION, threads - 1);
  }
}

/** Claims the next chunk of the job this thread works on: its index, or −1 when none is left
 *  (or the job is over). First from this thread's own run, from its last chunk down; then from
 *  the other threads' runs in turn. */
export function teamClaim(): i32 {
  if (ASC_FEATURE_THREADS) {
    const threads = load<i32>(board + THREADS);
    const chunks = load<i32>(board + CHUNKS);
    for (let i = 0; i < threads; i++) {
      const t = (self + i) % threads;
      const p = claimWord(t);
      while (true) {
        const word = atomic.load<i64>(p);
        const left = <i32>(word & 0xffffffff);
        if (<i32>(word >>> 32) != working || left == 0) break;
        if (atomic.cmpxchg<i64>(p, word, word - 1) == word) {
          if (self == 0) windowMine++;
          return runStart(chunks, threads, t) + left - 1;
        }
      }
    }
  }
  return -1;
}

/** Reports a claimed chunk finished (the last one wakes the leader). */
export function teamDone(): void {
  if (ASC_FEATURE_THREADS) {
    const done = atomic.add<i32>(board + DONE, 1) + 1;
    if (done == load<i32>(board + CHUNKS)) atomic.notify(board + DONE, 1);
  }
}

/** Leader: waits until every chunk of the posted job is finished. */
export function teamJoin(): void {
  if (ASC_FEATURE_THREADS) {
    const p = board + DONE;
    const chunks = load<i32>(board + CHUNKS);
    let done = atomic.load<i32>(p);
    for (let i = 0; done != chunks && i < JOIN_SPINS; i++) done = atomic.load<i32>(p);
    let stalled = false;
    while (done != chunks) {
      if (atomic.wait<i32>(p, done, STALL_NS) == AtomicWaitResult.TIMED_OUT) stalled = true;
      done = atomic.load<i32>(p);
    }
    sharing = false;
    // A machine with fewer free cores than the team: a helper gets preempted holding a chunk and
    // such a job waits for the OS to run it again (a time slice: ms). Then run alone a while.
    // So does one where the helpers are seldom running when a job comes and the leader ends up
    // taking most of their chunks: they then only burn the CPU time the leader needs.
    if (stalled) windowStalls++;
    windowChunks += chunks;
    if (++windowJobs == WINDOW_JOBS) {
      const helped = windowChunks - windowMine;
      const fair = windowChunks - windowChunks / leaderThreads;
      if (windowStalls > STALL_LIMIT || helped * 4 < fair) alone = ALONE_CALLS;
      windowJobs = 0;
      windowStalls = 0;
      windowChunks = 0;
      windowMine = 0;
    }
  }
}

/** Helper `id`: joins the team on the board at `at` (workerLoop, threads.ts); returns the job
 *  generation to wait past. */
export function helperJoin(at: usize, id: i32): i32 {
  board = at;
  self = id;
  sharing = true;
  return atomic.load<i32>(at + GENERATION);
}

/** Helper: waits for a job after generation `seen` and makes it this thread's; returns its
 *  generation. */
export function helperAwait(seen: i32): i32 {
  working = awaitChange(board + GENERATION, seen, SPIN_LIMIT);
  return working;
}
