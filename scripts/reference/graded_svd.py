#!/usr/bin/env python3
"""Singular values of graded upper-bidiagonal matrices, to full relative accuracy.

Usage (from the repository root; needs mpmath only):
  python3 scripts/reference/graded_svd.py              writes test/fixtures/svd-graded.json
  python3 scripts/reference/graded_svd.py --out DIR    writes DIR/svd-graded.json

What it computes. Upper-bidiagonal n x n matrices whose entries fall (or rise) geometrically
over up to 300 decades. Every bidiagonal determines its singular values to high relative
accuracy (Demmel & Kahan 1990, "Accurate singular values of bidiagonal matrices"), so the
QR iteration (LAPACK dbdsqr) finds even the 1e-300 ones to a few ulps, while divide and
conquer (LAPACK dbdsdc) only guarantees ~eps * s_max. Given as dense matrices, the bidiagonal
is its own bidiagonalisation (every Householder vector is zero), so these are the test of
assembly/svd.ts's choice to take the values from the QR iteration (docs/algorithms.md).

Entries. Row-graded B = diag(g) * B1 (d_i = g_i u_i, e_i = g_i v_i) with g_i = 10^(-D i/(n-1))
and column-graded B = B1 * diag(g) (d_i = u_i g_i, e_i = v_i g_{i+1}) with g rising to 1,
where u_i, v_i are +-[0.5, 1.5) from random.Random(seed) (Mersenne Twister: the same stream in
every Python 3). Each entry is the double nearest to the exact mpmath product (rounded through
fractions.Fraction), so the fixture is reproduced byte for byte on any machine.

How. The singular values of B are the positive eigenvalues of the 2n x 2n Golub-Kahan
tridiagonal (zero diagonal, off-diagonal d_0, e_0, d_1, ..., d_{n-1}); the number of them
below x is the number of negative pivots of its LDL^T shifted by x, minus n (Sturm count).
Each value is isolated by bisection on log x at STURM_DIGITS decimal digits until the bracket
is narrower than 2^-120 relative, and rounded exactly to a double. Check: mpmath.svd_r at
SVD_DIGITS (its accuracy is absolute, 10^-digits * s_max, which covers 1e-300 values with a
margin of ~100 digits) must give the same doubles for every case.
"""

import argparse
import os
import random

import mpmath

from fixture_io import to_double, write_cases
from graded_bidiagonals import singular_values  # the check: mpmath.svd_r of the dense bidiagonal

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures"))

# Working precision of the Sturm bisection: the pivots of a Golub-Kahan matrix are relatively
# accurate (Demmel & Kahan 1990, §6), so 60 digits are far more than the 2^-120 target needs.
STURM_DIGITS = 60
# The bracket of each value is narrowed to this relative width (well below a double's 2^-53).
RELATIVE_WIDTH = mpmath.mpf(2) ** -120
# Precision of the check by mpmath.svd_r, whose error is ~10^-digits * s_max.
SVD_DIGITS = 420

SOURCE = (
    "Graded upper-bidiagonal matrices (scripts/reference/graded_svd.py): row-graded "
    "B = diag(g) B1 and column-graded B = B1 diag(g), g geometric over `decades` decades, B1 "
    "bidiagonal with entries +-[0.5, 1.5). d: diagonal, e: superdiagonal (row-major dense A has d "
    "on the diagonal and e just above it). S: the true singular values of the stored doubles, "
    "correctly rounded (Sturm bisection on the Golub-Kahan matrix at 60 digits, checked by "
    "mpmath.svd_r at 420 digits)."
)

# (name, n, decades, grading, seed)
# Orders below and above assembly/svd.ts's DC_MIN_ORDER = 128 (the sizes from which the vectors
# come from divide and conquer).
CASES = [
    ("row_graded_30_300_decades", 30, 300, "rows", 1),
    ("row_graded_100_300_decades", 100, 300, "rows", 2),
    ("column_graded_60_300_decades", 60, 300, "columns", 3),
    ("row_graded_80_20_decades", 80, 20, "rows", 4),
    ("row_graded_130_300_decades", 130, 300, "rows", 5),
    ("column_graded_160_300_decades", 160, 300, "columns", 6),
    ("row_graded_140_20_decades", 140, 20, "rows", 7),
]


def entries(n, decades, grading, seed):
    """d (n doubles) and e (n - 1 doubles) of one case."""
    rng = random.Random(seed)

    def unit():
        return (1 if rng.random() < 0.5 else -1) * (0.5 + rng.random())

    u = [unit() for _ in range(n)]
    v = [unit() for _ in range(n - 1)]
    with mpmath.workdps(40):
        if grading == "rows":
            g = [mpmath.power(10, -mpmath.mpf(decades) * i / (n - 1)) for i in range(n)]
            d = [to_double(g[i] * u[i]) for i in range(n)]
            e = [to_double(g[i] * v[i]) for i in range(n - 1)]
        else:
            g = [mpmath.power(10, -mpmath.mpf(decades) * (n - 1 - i) / (n - 1)) for i in range(n)]
            d = [to_double(u[i] * g[i]) for i in range(n)]
            e = [to_double(v[i] * g[i + 1]) for i in range(n - 1)]
    return d, e


def below(off_squared, x):
    """Number of singular values below x > 0: negative pivots of (Golub-Kahan - x I), minus n."""
    q = -x
    negative = 1 if q < 0 else 0
    for b2 in off_squared:
        if q == 0:
            q = -x * mpmath.eps
        q = -x - b2 / q
        if q < 0:
            negative += 1
    return negative - (len(off_squared) + 1) // 2


def sturm_values(d, e):
    """All singular values, descending, by bisection on log x with Sturm counts."""
    n = len(d)
    with mpmath.workdps(STURM_DIGITS):
        off = []
        for i in range(n):
            off.append(mpmath.mpf(d[i]) ** 2)
            if i < n - 1:
                off.append(mpmath.mpf(e[i]) ** 2)
        top = 2 * max(abs(mpmath.mpf(x)) for x in d + e) + 1
        floor = mpmath.mpf(10) ** -400
        assert below(off, floor) == 0 and below(off, top) == n
        values = []
        for k in range(n):  # the k-th smallest: the x where the count passes k
            lo, hi = floor, top
            while hi - lo > RELATIVE_WIDTH * lo:
                mid = mpmath.sqrt(lo * hi)
                if below(off, mid) > k:
                    hi = mid
                else:
                    lo = mid
            values.append((lo + hi) / 2)
        return sorted(values, reverse=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=FIXTURES, help="output directory (default: test/fixtures)")
    args = parser.parse_args()
    cases = []
    for name, n, decades, grading, seed in CASES:
        d, e = entries(n, decades, grading, seed)
        S = [to_double(v) for v in sturm_values(d, e)]
        check = [to_double(v) for v in singular_values(d, e, SVD_DIGITS)]
        assert S == check, (name, [(a, b) for a, b in zip(S, check) if a != b][:3])
        assert all(S[i] > S[i + 1] > 0 for i in range(n - 1)), name
        cases.append({"name": name, "n": n, "decades": decades, "grading": grading, "d": d, "e": e, "S": S})
        print("%-30s n = %3d  S from %r down to %r (Sturm and svd_r agree)" % (name, n, S[0], S[-1]))
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "svd-graded.json")
    write_cases(path, {"source": SOURCE, "generator": "scripts/reference/graded_svd.py"}, cases)
    print("wrote", path)


if __name__ == "__main__":
    main()
