// The native column: numpy.linalg.svd (LAPACK dgesdd) through bench/numpy_svd.py, on one
// thread, on the same bytes as lowrank. Each round is one child process (numpy imported, one
// untimed warm-up call, then timed calls), so rounds interleave with the JS implementations.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { endianness, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HELPER = join(dirname(fileURLToPath(import.meta.url)), "numpy_svd.py");
const PYTHON = "python3";
/** One thread for whichever BLAS numpy links: OpenBLAS, an OpenMP build, or MKL. */
const ONE_THREAD = { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
const env = { ...process.env, ...ONE_THREAD };

/** { ok: true, numpy } when python3 imports numpy; else { ok: false, why }. */
export function probeNumpy() {
  if (endianness() !== "LE") return { ok: false, why: "this host is big-endian; bench/numpy_svd.py reads little-endian float64" };
  const r = spawnSync(PYTHON, ["-c", "import numpy; print(numpy.__version__)"], { env, encoding: "utf8" });
  if (r.error) return { ok: false, why: `${PYTHON} not found (${r.error.code ?? r.error.message})` };
  if (r.status !== 0) return { ok: false, why: `${PYTHON} cannot import numpy (${r.stderr.trim().split("\n").pop()})` };
  return { ok: true, numpy: r.stdout.trim() };
}

let dir;
function tempDir() {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), "lowrank-bench-"));
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return dir;
}

function call(args) {
  const r = spawnSync(PYTHON, [HELPER, ...args], { env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`bench/numpy_svd.py ${args.slice(1).join(" ")} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

/** A matrix written once as raw little-endian float64 (the bytes of A.data) for the helper. */
export class NativeMatrix {
  constructor(A, name) {
    this.A = A;
    const bytes = new Uint8Array(A.data.buffer, A.data.byteOffset, A.data.byteLength);
    this.sha256 = createHash("sha256").update(bytes).digest("hex");
    this.path = join(tempDir(), `${name}.f64`);
    writeFileSync(this.path, bytes);
  }
  /** job: "thin" | "full" | "values". One call: S, SHA-256 of the bytes read, residual, orthogonality, threads. */
  verify(job) {
    return call([this.path, this.A.rows, this.A.cols, job, "verify"].map(String));
  }
  /** One round: { median, samples } in seconds. */
  round(job, maxTime, minSamples) {
    return call([this.path, this.A.rows, this.A.cols, job, "time", maxTime, minSamples].map(String));
  }
  dispose() {
    rmSync(this.path, { force: true });
  }
}
