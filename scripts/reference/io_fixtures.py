#!/usr/bin/env python3
"""Writes test/fixtures/io/: matrix files as numpy, scipy and Python's csv module write them,
and expected.json with the matrices they hold, as numpy and scipy read them back, and their
singular values (numpy.linalg.svd).

    python3 scripts/reference/io_fixtures.py      # numpy and scipy needed; the tests are not

The tests (test/host/io-fixtures.test.ts) read every file with lowrank's parseCsv /
parseMatrixMarket and with the CLI, and compare with expected.json. The expected values come
from numpy and scipy alone, never from lowrank: for the np.savetxt files the matrix that was
saved (np.loadtxt reads it back identically, checked below), for the Matrix Market files
scipy.io.mmread's dense matrix and its coordinate list in row-major order.
"""
import csv
import gzip
import io
import json
import math
from pathlib import Path

import numpy as np
import scipy
import scipy.io
import scipy.sparse as sp

OUT = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "io"
rng = np.random.default_rng(14)

# 5×4 with magnitudes from 1e-3 to 1e3 and both signs, so the files hold exponents and minus signs.
A = rng.standard_normal((5, 4)) * 10.0 ** rng.integers(-3, 4, size=(5, 4))
HEADER = ["alpha", "beta", "gamma", "delta"]


def with_singular_values(entry):
    """LAPACK's singular values (numpy's gesdd) of a matrix with no missing entry: what `lowrank svd` must print."""
    M = np.array([[np.nan if x is None else x for x in row] for row in entry["dense"]])
    if not np.isnan(M).any():
        entry["singularValues"] = np.linalg.svd(M, compute_uv=False).tolist()
    return entry


def dense_json(M):
    """Nested lists, None (JSON null) for NaN."""
    return [[None if math.isnan(x) else float(x) for x in row] for row in np.asarray(M, dtype=float)]


def savetxt(name, M, **kwargs):
    buf = io.StringIO()
    np.savetxt(buf, M, **kwargs)
    (OUT / name).write_text(buf.getvalue())
    # What numpy reads back; with the default '%.18e' that is exactly what was saved.
    back = np.loadtxt(OUT / name, delimiter=kwargs.get("delimiter"), skiprows=1 if kwargs.get("comments") == "" else 0)
    assert "fmt" in kwargs or np.array_equal(back, M, equal_nan=True), name
    return {"file": name, "kind": "dense", "rows": M.shape[0], "cols": M.shape[1], "dense": dense_json(back),
            "missing": int(np.isnan(back).sum())}


def mmwrite(name, M, **kwargs):
    buf = io.BytesIO()
    scipy.io.mmwrite(buf, M, **kwargs)
    (OUT / name).write_bytes(buf.getvalue())
    read = scipy.io.mmread(OUT / name)
    banner = buf.getvalue().decode().splitlines()[0].split()
    entry = {"file": name, "banner": {"format": banner[2], "field": banner[3], "symmetry": banner[4]},
             "rows": read.shape[0], "cols": read.shape[1]}
    if sp.issparse(read):
        coo = read.tocsr().tocoo()  # CSR order: row-major, each (row, col) once, the mirrored half included
        entry.update(kind="coordinates", row=coo.row.tolist(), col=coo.col.tolist(), value=coo.data.astype(float).tolist(),
                     dense=dense_json(read.toarray()))
    else:
        entry.update(kind="dense", dense=dense_json(read), missing=0)
    return entry


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    cases = [
        savetxt("savetxt-space.txt", A),  # numpy's default: '%.18e', one space
        savetxt("savetxt-comma.csv", A, delimiter=","),
        savetxt("savetxt-tab.tsv", A, delimiter="\t"),
        savetxt("savetxt-semicolon.csv", A, delimiter=";"),
        savetxt("savetxt-fixed-width.txt", A, fmt="%12.6g"),  # columns padded with runs of spaces, 6 digits
    ]
    # A header row: np.savetxt writes it after `comments` ('# ' by default, a comment line).
    cases.append({**savetxt("savetxt-header-comment.txt", A, header=" ".join(HEADER)), "header": None})
    cases.append({**savetxt("savetxt-header.csv", A, delimiter=",", header=",".join(HEADER), comments=""), "header": HEADER})
    with_nan = A.copy()
    with_nan[0, 1] = with_nan[3, 0] = with_nan[3, 3] = np.nan
    cases.append({**savetxt("savetxt-nan.csv", with_nan, delimiter=","), "firstMissing": {"line": 1, "column": 2}})

    # Python's csv module, quoting every cell (RFC 4180): header names holding the delimiter, a quote and a line break.
    names = ["plain", "has, comma", 'has "quotes"', "two\nlines"]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([[repr(float(x)) for x in row] for row in A])
    (OUT / "quoted.csv").write_text(buf.getvalue(), newline="")
    with open(OUT / "quoted.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == names and np.array_equal(np.array(rows[1:], dtype=float), A)
    cases.append({"file": "quoted.csv", "kind": "dense", "rows": 5, "cols": 4, "dense": dense_json(A), "missing": 0, "header": names})

    # The same CSV, gzip'ed (mtime 0: the same bytes on every run).
    csv_bytes = (OUT / "savetxt-comma.csv").read_bytes()
    (OUT / "savetxt-comma.csv.gz").write_bytes(gzip.compress(csv_bytes, mtime=0))
    assert gzip.decompress((OUT / "savetxt-comma.csv.gz").read_bytes()) == csv_bytes
    cases.append({**cases[1], "file": "savetxt-comma.csv.gz"})

    S = np.array([[4.5, 0, -1.25, 0], [0, 2, 0, 0], [-1.25, 0, 0, 3.75], [0, 0, 3.75, -6]])
    K = np.array([[0, 1.5, 0, -2], [-1.5, 0, 0.25, 0], [0, -0.25, 0, 0], [2, 0, 0, 0]])
    P = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]])
    Z = np.array([[3, 0, -7, 0, 12], [0, 0, 0, 5, 0], [-1, 2, 0, 0, 0]])
    cases += [
        mmwrite("dense.mtx", A),  # a dense array → 'matrix array real general'
        mmwrite("symmetric-array.mtx", S),  # a dense symmetric array → 'array real symmetric', lower triangle
        mmwrite("symmetric.mtx", sp.coo_matrix(S)),  # → 'coordinate real symmetric'
        mmwrite("skew.mtx", sp.coo_matrix(K)),  # → 'coordinate real skew-symmetric'
        mmwrite("pattern.mtx", sp.coo_matrix(P), field="pattern"),
        mmwrite("integer.mtx", sp.coo_matrix(Z)),  # an integer array → 'coordinate integer general'
    ]
    cases = [with_singular_values(case) for case in cases]
    expected = {"generator": f"scripts/reference/io_fixtures.py (numpy {np.__version__}, scipy {scipy.__version__})",
                "cases": cases}
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
