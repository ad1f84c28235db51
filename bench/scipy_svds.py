#!/usr/bin/env python3
"""The native column of `npm run bench -- --only sparse`: scipy.sparse.linalg.svds (ARPACK) on the
coordinate list the JS benchmark wrote, one process per round so rounds interleave with lowrank.

    python3 bench/scipy_svds.py FILE M N NNZ K verify
    python3 bench/scipy_svds.py FILE M N NNZ K time MAX_TIME MIN_SAMPLES

FILE holds NNZ little-endian int32 rows, then NNZ int32 columns, then NNZ float64 values (the
Int32Array / Float64Array lowrank is given, in that order). The matrix is built once with
scipy.sparse.coo_matrix(...).tocsr(), which sums duplicate coordinates as lowrank does, outside
the timing; each timed call is svds(A, k=K) with the default solver (ARPACK), tol=0 and a fixed
starting vector (random_state=0). Run it with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
MKL_NUM_THREADS=1 (bench/native.mjs does): ARPACK's sparse products are single-threaded anyway.

verify: one call; prints JSON with the SHA-256 of the bytes read, the K singular values
(descending), the residuals max_i ‖A v_i − σ_i u_i‖ / σ_1 and max |UᵀU − I|, |VᵀV − I|, and the
peak of what a second call allocates (MiB, tracemalloc: numpy arrays and Python objects).
time: one untimed warm-up call, then calls until MAX_TIME seconds have passed and at least
MIN_SAMPLES were made; prints JSON with the median and every sample (seconds, perf_counter).
"""
import hashlib
import json
import tracemalloc
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from timing import timing


def load(path, m, n, nnz):
    raw = open(path, "rb").read()
    if len(raw) != nnz * 16:
        sys.exit(f"scipy_svds.py: {path} has {len(raw)} bytes; {nnz} coordinates take {nnz * 16}")
    row = np.frombuffer(raw, dtype="<i4", count=nnz)
    col = np.frombuffer(raw, dtype="<i4", count=nnz, offset=4 * nnz)
    val = np.frombuffer(raw, dtype="<f8", count=nnz, offset=8 * nnz)
    return raw, sp.coo_matrix((val, (row, col)), shape=(m, n)).tocsr()


def run(a, k):
    u, s, vt = svds(a, k=k, tol=0, random_state=0)
    order = np.argsort(s)[::-1]
    return u[:, order], s[order], vt[order]


def verify(raw, a, k):
    start = time.perf_counter()
    u, s, vt = run(a, k)
    seconds = time.perf_counter() - start
    # A second call under tracemalloc (numpy reports its arrays to it): the peak of what svds allocates.
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    run(a, k)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    residual = np.max(np.linalg.norm(a @ vt.T - u * s, axis=0)) / s[0]
    orthogonality = max(np.abs(u.T @ u - np.eye(k)).max(), np.abs(vt @ vt.T - np.eye(k)).max())
    return {
        "scipy": scipy.__version__,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "nnz_summed": int(a.nnz),
        "seconds": seconds,
        "S": [float(x) for x in s],
        "residual": float(residual),
        "orthogonality": float(orthogonality),
        "extra_mib": peak / 2**20,
    }


def main(argv):
    if len(argv) < 7 or argv[6] not in ("verify", "time"):
        sys.exit(__doc__)
    path, m, n, nnz, k, what = argv[1], int(argv[2]), int(argv[3]), int(argv[4]), int(argv[5]), argv[6]
    raw, a = load(path, m, n, nnz)
    out = verify(raw, a, k) if what == "verify" else timing(lambda: run(a, k), float(argv[7]), int(argv[8]))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
