#!/usr/bin/env python3
"""Roots of the secular equations of divide-and-conquer merges, in high-precision arithmetic.

Usage (from the repository root; needs mpmath only):
  python3 scripts/reference/secular_equation.py              writes test/fixtures/secular-cases.json
  python3 scripts/reference/secular_equation.py --out DIR    writes DIR/secular-cases.json

What it computes. A merge of the divide-and-conquer bidiagonal SVD (Gu & Eisenstat 1995)
needs the singular values of the k x k arrow matrix M = [z; 0 diag(d_1 .. d_{k-1})] with
0 = d_0 < d_1 < ... and every z_j != 0: the roots sigma_0 < ... < sigma_{k-1} of
f(s) = 1 + sum_j z_j^2 / (d_j^2 - s^2), one in each (d_i, d_{i+1}) and the last in
(d_{k-1}, sqrt(d_{k-1}^2 + |z|^2)). The cases stress the solver in assembly/secular.ts: poles
nine decades apart and nine digits apart, weights down to 1e-7 (a root within ~1e-14 of its
pole), and many poles. Data: d and z are doubles from random.Random(seed) (the same stream in
every Python 3) through exact arithmetic, so the fixture is reproduced byte for byte.

How. Each root is bracketed by its two poles and found by bisection on f at WORKING_DIGITS
(f is increasing between poles), then checked as the square root of an eigenvalue of
diag(d)^2 + z z^T (mpmath.eigsy) at CHECK_DIGITS; both are rounded exactly to doubles
(fractions.Fraction) and must agree. Stored: sigma (the roots) and diff, row i holding
d_j^2 - sigma_i^2 for every j (from the 80-digit roots), all correctly rounded: the solver must
get these differences to a few ulps each, even where sigma_i is within an ulp of a pole.
"""

import argparse
import os
import random

import mpmath

from fixture_io import to_double, write_cases

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures"))

# Digits of the bisection; a root within 1e-14 relative of its pole still has ~60 digits left.
WORKING_DIGITS = 80
# Digits of the eigenvalue check.
CHECK_DIGITS = 100

SOURCE = (
    "Secular equations 1 + sum z_j^2/(d_j^2 - s^2) = 0 of divide-and-conquer merges "
    "(scripts/reference/secular_equation.py): d ascending with d_0 = 0, z all non-zero; sigma the "
    "k roots ascending, correctly rounded (bisection at 80 digits, checked by the eigenvalues of "
    "diag(d)^2 + z z^T at 100 digits)."
)


def signed(rng, lo, hi):
    """A double of random sign with |x| log-uniform in [lo, hi)."""
    with mpmath.workdps(30):
        x = mpmath.power(10, mpmath.log10(lo) + (mpmath.log10(hi) - mpmath.log10(lo)) * mpmath.mpf(rng.random()))
    return to_double(x if rng.random() < 0.5 else -x)


def make_case(name, seed, k, pole_range, weight_range, pairs=False):
    rng = random.Random(seed)
    poles = set()
    while len(poles) < k - 1:
        p = abs(signed(rng, *pole_range))
        poles.add(p)
        if pairs and len(poles) < k - 1:
            poles.add(to_double(mpmath.mpf(p) * (1 + mpmath.mpf(10) ** -9)))  # a pole nine digits away
    d = [0.0] + sorted(poles)
    z = [signed(rng, *weight_range) for _ in range(k)]
    return name, d, z


CASES = [
    make_case("two_poles", 1, 2, (0.5, 1.0), (0.1, 1.0)),
    make_case("random_8", 2, 8, (1e-2, 1.0), (0.1, 1.0)),
    make_case("wide_poles_16", 3, 16, (1e-9, 1.0), (1e-3, 1.0)),
    make_case("pole_pairs_12", 4, 12, (0.1, 1.0), (0.1, 1.0), pairs=True),
    make_case("small_weights_10", 5, 10, (0.1, 1.0), (1e-7, 1e-5)),
    make_case("many_poles_40", 6, 40, (1e-3, 2.0), (1e-2, 1.0)),
]


def secular(d, z2, s2):
    return 1 + mpmath.fsum(w / (dj * dj - s2) for dj, w in zip(d, z2))


def differences(d, roots):
    """Row i: d_j^2 - sigma_i^2 for every j, from the high-precision roots, rounded."""
    with mpmath.workdps(WORKING_DIGITS):
        return [[to_double(mpmath.mpf(dj) ** 2 - s * s) for dj in d] for s in roots]


def bisection_roots(d, z):
    with mpmath.workdps(WORKING_DIGITS):
        D = [mpmath.mpf(x) for x in d]
        Z2 = [mpmath.mpf(x) ** 2 for x in z]
        k = len(d)
        roots = []
        for i in range(k):
            lo = D[i] ** 2
            hi = D[i + 1] ** 2 if i + 1 < k else D[-1] ** 2 + mpmath.fsum(Z2)
            for _ in range(WORKING_DIGITS * 4):  # 4 bits per digit: far below the target width
                mid = (lo + hi) / 2
                if secular(D, Z2, mid) < 0:
                    lo = mid
                else:
                    hi = mid
            roots.append(mpmath.sqrt((lo + hi) / 2))
        return roots


def eigen_roots(d, z):
    with mpmath.workdps(CHECK_DIGITS):
        k = len(d)
        G = mpmath.matrix(k, k)
        for i in range(k):
            for j in range(k):
                G[i, j] = mpmath.mpf(z[i]) * mpmath.mpf(z[j]) + (mpmath.mpf(d[i]) ** 2 if i == j else 0)
        E = mpmath.eigsy(G, eigvals_only=True)
        return sorted(mpmath.sqrt(E[i]) for i in range(k))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=FIXTURES, help="output directory (default: test/fixtures)")
    args = parser.parse_args()
    cases = []
    for name, d, z in CASES:
        roots = bisection_roots(d, z)
        sigma = [to_double(v) for v in roots]
        check = [to_double(v) for v in eigen_roots(d, z)]
        assert sigma == check, (name, [(a, b) for a, b in zip(sigma, check) if a != b])
        assert all(d[i] < sigma[i] for i in range(len(d))), name
        cases.append({"name": name, "k": len(d), "d": d, "z": z, "sigma": sigma, "diff": differences(d, roots)})
        print("%-18s k = %2d  sigma from %r to %r (bisection and eigsy agree)" % (name, len(d), sigma[0], sigma[-1]))
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "secular-cases.json")
    write_cases(path, {"source": SOURCE, "generator": "scripts/reference/secular_equation.py"}, cases)
    print("wrote", path)


if __name__ == "__main__":
    main()
