#!/usr/bin/env python3
"""The native column of `npm run bench`: numpy.linalg.svd (LAPACK dgesdd) on the bytes the
JS benchmark wrote, one process per round so rounds interleave with the JS implementations.

    python3 bench/numpy_svd.py FILE M N JOB verify
    python3 bench/numpy_svd.py FILE M N JOB time MAX_TIME MIN_SAMPLES

FILE holds M*N little-endian float64, row-major (the Float64Array lowrank is given). JOB is
`thin` (full_matrices=False), `full` (full_matrices=True), `values` (compute_uv=False) or `pca`
(what scikit-learn's PCA computes: the column means subtracted, the thin SVD of the centred
matrix, signs by svd_flip(u_based_decision=False), scores U·S).
Run it with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 for one thread
(bench/run.mjs does); `verify` reports the thread count OpenBLAS says it uses, when it can.

verify: one call; prints JSON with the SHA-256 of the bytes read (bench/run.mjs compares it
with its own), the singular values, and for thin/full the relative residual
‖A − UΣVᵀ‖_F/‖A‖_F and max |UᵀU − I|, |VVᵀ − I| (bounds are applied by bench/verify.mjs).
time: one untimed warm-up call, then calls until MAX_TIME seconds have passed and at least
MIN_SAMPLES were made; prints JSON with the median and every sample (seconds, perf_counter).
"""
import ctypes
import glob
import hashlib
import json
import os
import sys
import time

import numpy as np

from timing import timing


def load(path, m, n):
    raw = open(path, "rb").read()
    if len(raw) != m * n * 8:
        sys.exit(f"numpy_svd.py: {path} has {len(raw)} bytes; a {m}x{n} float64 matrix has {m * n * 8}")
    return raw, np.frombuffer(raw, dtype="<f8").reshape(m, n).copy()


def svd(a, job):
    if job == "values":
        return np.linalg.svd(a, compute_uv=False)
    if job == "pca":
        mean = a.mean(axis=0)
        u, s, vt = np.linalg.svd(a - mean, full_matrices=False)
        idx = np.argmax(np.abs(vt), axis=1)
        signs = np.where(vt[np.arange(vt.shape[0]), idx] < 0, -1.0, 1.0)
        return mean, u * (s * signs), s, vt * signs[:, None]
    return np.linalg.svd(a, full_matrices=(job == "full"))


def lapack_name():
    try:
        lapack = np.__config__.CONFIG["Build Dependencies"]["lapack"]
        return " ".join(x for x in (lapack.get("name"), lapack.get("version")) if x)
    except Exception:
        return "unknown"


def openblas_threads():
    """Threads the OpenBLAS bundled in numpy's wheel uses, or None if it cannot be asked."""
    here = os.path.dirname(np.__file__)
    for lib in glob.glob(os.path.join(here, "..", "numpy.libs", "*openblas*")) + glob.glob(os.path.join(here, ".dylibs", "*openblas*")):
        try:
            handle = ctypes.CDLL(lib)
        except OSError:
            continue
        for name in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads64_", "openblas_get_num_threads"):
            fn = getattr(handle, name, None)
            if fn is not None:
                return int(fn())
    return None


def verify(raw, a, job):
    start = time.perf_counter()
    out = svd(a, job)
    seconds = time.perf_counter() - start
    result = {
        "numpy": np.__version__,
        "lapack": lapack_name(),
        "threads": openblas_threads(),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "seconds": seconds,
    }
    if job == "values":
        s = out
    elif job == "pca":
        mean, scores, s, vt = out
        m = a.shape[0]
        result["mean"] = [float(x) for x in mean]
        result["components"] = [float(x) for x in vt.T.ravel()]
        result["scores_head"] = [float(x) for x in scores[:5].ravel()]
        result["explained_variance"] = [float(x) for x in s**2 / (m - 1)]
    else:
        u, s, vt = out
        p = len(s)
        norm = np.linalg.norm(a)
        result["residual"] = float(np.linalg.norm(a - (u[:, :p] * s) @ vt[:p, :]) / norm)
        result["orthogonality"] = float(max(
            np.abs(u.T @ u - np.eye(u.shape[1])).max(),
            np.abs(vt @ vt.T - np.eye(vt.shape[0])).max(),
        ))
        result["shape"] = {"U": list(u.shape), "V": [vt.shape[1], vt.shape[0]]}
    result["S"] = [float(x) for x in s]
    return result


def main(argv):
    if len(argv) < 6 or argv[4] not in ("thin", "full", "values", "pca") or argv[5] not in ("verify", "time"):
        sys.exit(__doc__)
    path, m, n, job, what = argv[1], int(argv[2]), int(argv[3]), argv[4], argv[5]
    raw, a = load(path, m, n)
    if what == "verify":
        out = verify(raw, a, job)
    else:
        out = timing(lambda: svd(a, job), float(argv[6]), int(argv[7]))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
