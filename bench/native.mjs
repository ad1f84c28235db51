// The native column: numpy.linalg.svd (LAPACK dgesdd) through bench/numpy_svd.py, on one
// thread, on the same bytes as lowrank. Each round is one child process (numpy imported, one
// untimed warm-up call, then timed calls), so rounds interleave with the JS implementations.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { endianness, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const HELPER = join(HERE, "numpy_svd.py");
const SVDS_HELPER = join(HERE, "scipy_svds.py");
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

function call(args, helper = HELPER) {
  const r = spawnSync(PYTHON, [helper, ...args], { env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`bench/${helper.split("/").pop()} ${args.slice(1).join(" ")} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

/** { ok: true, scipy } when python3 imports scipy.sparse.linalg.svds; else { ok: false, why }. */
export function probeScipy() {
  const numpy = probeNumpy();
  if (!numpy.ok) return numpy;
  const r = spawnSync(PYTHON, ["-c", "import scipy, scipy.sparse.linalg; print(scipy.__version__)"], { env, encoding: "utf8" });
  if (r.status !== 0) return { ok: false, why: `${PYTHON} cannot import scipy (${r.stderr.trim().split("\n").pop()})` };
  return { ok: true, scipy: r.stdout.trim() };
}

/** A coordinate list written once for bench/scipy_svds.py: int32 rows, int32 columns, float64 values. */
export class NativeCoordinates {
  constructor(entries, k, name) {
    this.entries = entries;
    this.k = k;
    const parts = [entries.row, entries.col, entries.value].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const hash = createHash("sha256");
    for (const p of parts) hash.update(p);
    this.sha256 = hash.digest("hex");
    this.path = join(tempDir(), `${name}.coo`);
    writeFileSync(this.path, Buffer.concat(parts));
    this.args = [this.path, entries.rows, entries.cols, entries.value.length, k].map(String);
  }
  /** One svds call: S, SHA-256 of the bytes read, residual, orthogonality, extra memory. */
  verify() {
    return call([...this.args, "verify"], SVDS_HELPER);
  }
  /** One round: { median, samples } in seconds. */
  round(_job, maxTime, minSamples) {
    return call([...this.args, "time", maxTime, minSamples].map(String), SVDS_HELPER);
  }
  dispose() {
    rmSync(this.path, { force: true });
  }
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
