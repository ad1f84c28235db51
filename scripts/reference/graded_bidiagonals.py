#!/usr/bin/env python3
"""Singular values of graded and awkward upper bidiagonal matrices, in high-precision arithmetic.

Usage (from the repository root; needs mpmath only):
  python3 scripts/reference/graded_bidiagonals.py              writes test/fixtures/dqds-bidiagonals.json
  python3 scripts/reference/graded_bidiagonals.py --out DIR    writes DIR/dqds-bidiagonals.json

What it computes. Upper bidiagonal matrices (diagonal d, superdiagonal e) whose singular values
dqds must deliver to high *relative* accuracy (Demmel & Kahan 1990; Fernando & Parlett 1994):
singular values graded from 1 down to 1e-300 with the small ones at the bottom, at the top, and
in random positions; superdiagonals larger than the diagonal; values near underflow and overflow;
an exact zero singular value; a split (a zero superdiagonal); a cluster; the all-ones bidiagonal
(closed form 2 cos(k pi / (2n + 1))); and a random O(1) one with mixed signs. The entries are
made here (decimal literals or seeded formulas, every one a double) and stored as doubles.

How. As svd_regressions.py: every double goes into mpmath exactly, mpmath.svd_r (Golub &
Reinsch) runs at WORKING_DIGITS and again at CHECK_DIGITS, the two must agree to far below a
double's precision relative to each value (svd_r's splitting test is absolute, in ||B||, so a
value 1e-300 next to 1 needs well over 300 + 17 digits), and the values are rounded exactly to
doubles. A second route checks them: the square roots of the eigenvalues of B^T B formed exactly
(mpmath.eigsy), and the closed form where there is one.
"""

import argparse
import math
import os
import random

import mpmath

from fixture_io import to_double, write_cases

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures"))

# 700 digits leave ~380 digits below the smallest value (1e-300 of the largest) for svd_r's
# absolute tolerance; the check run at 800 must agree to AGREEMENT relative to each value.
WORKING_DIGITS = 700
CHECK_DIGITS = 800
AGREEMENT = mpmath.mpf(2) ** -200

SOURCE = (
    "Upper bidiagonal matrices (d diagonal, e superdiagonal) for the values-only SVD path (dqds): "
    "graded from 1 down to 1e-300 in three orders, superdiagonal-dominant, near underflow and "
    "overflow, an exact zero value, a split, a cluster, the all-ones closed form, a random one. "
    "S: the true singular values of the stored doubles, descending, correctly rounded to doubles."
)


def graded(n, decades, ratio):
    """d_k = 10^(-decades k/(n-1)), e_k = ratio * d_k (as doubles): small values at the bottom."""
    d = [10.0 ** (-decades * k / (n - 1)) for k in range(n)]
    return d, [ratio * d[k] for k in range(n - 1)]


def cases():
    out = []
    d, e = graded(24, 300, 0.5)
    out.append(("graded_down_24", d, e))
    out.append(("graded_up_24", d[::-1], e[::-1]))
    d, e = graded(21, 300, 1.0)
    out.append(("graded_down_unit_ratio_21", [(-1) ** k * x for k, x in enumerate(d)], e))
    # Superdiagonal dominant: e_k = 7 * 10^(-15 (k + 1/2)), d_k = 10^(-15 k).
    n = 20
    out.append(("graded_superdiagonal_dominant_20", [10.0 ** (-15 * k) for k in range(n)],
                [7 * 10.0 ** (-15 * k - 7.5) for k in range(n - 1)]))
    # Random order: diagonal exponents 0..-300 shuffled, each superdiagonal a random fraction of
    # its smaller neighbour (so the values stay graded, 1 to 1e-300, in random positions).
    rng = random.Random(20261212)
    n = 30
    d = [10.0 ** (-300 * k / (n - 1)) for k in range(n)]
    rng.shuffle(d)
    e = [rng.choice((1, -1)) * rng.uniform(0.05, 1) * min(d[k], d[k + 1]) for k in range(n - 1)]
    out.append(("graded_random_order_30", d, e))
    # Absolute scale: 100 decades just above underflow, and 100 decades near overflow.
    d, e = graded(16, 100, 0.5)
    out.append(("graded_near_underflow_16", [x * 1e-208 for x in d], [x * 1e-208 for x in e]))
    out.append(("graded_near_overflow_16", [x * 1e300 for x in d], [x * 1e300 for x in e]))
    # Exact zero singular value (a zero on the diagonal), and a split.
    rng = random.Random(7)
    d = [rng.uniform(0.5, 2) for _ in range(15)]
    d[7] = 0.0
    out.append(("zero_diagonal_15", d, [rng.uniform(0.5, 2) for _ in range(14)]))
    d = [rng.uniform(-2, 2) for _ in range(12)]
    e = [rng.uniform(-2, 2) for _ in range(11)]
    e[5] = 0.0
    out.append(("split_12", d, e))
    # A cluster: diagonal 1, superdiagonal 1e-8.
    out.append(("cluster_20", [1.0] * 20, [1e-8] * 19))
    out.append(("ones_40", [1.0] * 40, [1.0] * 39))
    rng = random.Random(11)
    out.append(("random_40", [rng.uniform(-1, 1) for _ in range(40)], [rng.uniform(-1, 1) for _ in range(39)]))
    return out


def singular_values(d, e, digits):
    n = len(d)
    with mpmath.workdps(digits):
        M = mpmath.matrix(n, n)
        for i in range(n):
            M[i, i] = mpmath.mpf(d[i])
            if i < n - 1:
                M[i, i + 1] = mpmath.mpf(e[i])
        S = mpmath.svd_r(M, compute_uv=False)
        return sorted((+abs(S[i]) for i in range(n)), reverse=True)


def gram_values(d, e, digits):
    """sqrt of the eigenvalues of the tridiagonal B^T B, formed exactly (mpmath.eigsy)."""
    n = len(d)
    with mpmath.workdps(digits):
        G = mpmath.matrix(n, n)
        for i in range(n):
            G[i, i] = mpmath.mpf(d[i]) ** 2 + (mpmath.mpf(e[i - 1]) ** 2 if i > 0 else 0)
            if i < n - 1:
                G[i, i + 1] = G[i + 1, i] = mpmath.mpf(d[i]) * mpmath.mpf(e[i])
        E = mpmath.eigsy(G, eigvals_only=True)
        return sorted((mpmath.sqrt(max(E[i], 0)) for i in range(n)), reverse=True)


def closed_form(name, n):
    if name == "ones_40":
        with mpmath.workdps(CHECK_DIGITS):
            return [2 * mpmath.cos(k * mpmath.pi / (2 * n + 1)) for k in range(1, n + 1)]
    return None


def compute(name, d, e):
    assert all(isinstance(x, float) and math.isfinite(x) for x in d + e), name
    work = singular_values(d, e, WORKING_DIGITS)
    check = singular_values(d, e, CHECK_DIGITS)
    with mpmath.workdps(CHECK_DIGITS):
        for w, c in zip(work, check):
            if c == 0:
                assert abs(w) <= check[0] * mpmath.mpf(10) ** (-WORKING_DIGITS // 2), (name, w)
            else:
                assert abs(w - c) / c <= AGREEMENT, (name, mpmath.nstr(w, 30), mpmath.nstr(c, 30))
    S = [to_double(v) if abs(v) > check[0] * mpmath.mpf(10) ** (-WORKING_DIGITS // 2) else 0.0 for v in check]
    assert S == [to_double(v) if v != 0 else 0.0 for v in work] or name == "zero_diagonal_15", name
    # The Gram route squares the values: at CHECK_DIGITS it resolves 1e-600 of ||B||^2 only
    # to about 200 digits, plenty for the double they round to.
    gram = gram_values(d, e, CHECK_DIGITS)
    small = check[0] * mpmath.mpf(10) ** (-WORKING_DIGITS // 2)
    assert S == [to_double(v) if v > small else 0.0 for v in gram], (name, S, [to_double(v) for v in gram])
    exact = closed_form(name, len(d))
    if exact is not None:
        assert S == [to_double(v) for v in exact], name
    return {"name": name, "n": len(d), "d": d, "e": e, "S": S}


def write(path, out):
    head = {"source": SOURCE, "generator": "scripts/reference/graded_bidiagonals.py",
            "precision": "mpmath.svd_r at %d decimal digits, checked at %d digits and by the eigenvalues "
                         "of B^T B (mpmath.eigsy)" % (WORKING_DIGITS, CHECK_DIGITS)}
    write_cases(path, head, out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=FIXTURES, help="output directory (default: test/fixtures)")
    args = parser.parse_args()
    out = []
    for name, d, e in cases():
        case = compute(name, d, e)
        out.append(case)
        print("%-34s n = %2d  S from %.3g down to %.3g" % (name, case["n"], case["S"][0], case["S"][-1]))
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "dqds-bidiagonals.json")
    write(path, out)
    print("wrote", path)


if __name__ == "__main__":
    main()
