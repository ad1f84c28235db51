#!/usr/bin/env python3
"""Singular values of the SVD regression matrices, in high-precision arithmetic.

Usage (from the repository root; needs mpmath only):
  python3 scripts/reference/svd_regressions.py              writes test/fixtures/svd-regressions.json
  python3 scripts/reference/svd_regressions.py --out DIR    writes DIR/svd-regressions.json

What it computes. Six small matrices that each once broke, or nearly broke, a risky path of
assembly/svd.ts (dlarfg's rescaling of a subnormal column, tall and wide; a zero on the
bidiagonal's diagonal; subnormal entries; entries near overflow; entries spanning forty
decades). The matrices are data (found with a scratch harness while the kernel was built);
this script computes their singular values as the exactly rounded doubles of the true
singular values of the stored double matrix.

How. Every double is converted to mpmath exactly, and mpmath.svd_r (Golub & Reinsch 1970,
"Singular value decomposition and least squares solutions", Numer. Math. 14, via EISPACK
svd.f) runs at WORKING_DIGITS decimal digits. Its splitting test neglects an off-diagonal e
when |e| + ||B|| == ||B||, so a singular value is only accurate to about 10^-digits * s_max
absolutely: a singular value 5e-310 next to s_max = 1 needs well over 310 + 17 digits to be
right to the last bit (50 digits, the precision these values were first computed at, are not
enough in principle). The script therefore computes everything twice, at WORKING_DIGITS and at
CHECK_DIGITS, and asserts that the two agree to far better than a double's precision and
round to the same doubles; then checks them against a second route (square roots of the
eigenvalues of the exactly formed Gram matrix, mpmath.eigsy) and, where the structure gives
one, a closed form. Rounding to double is done exactly (through fractions.Fraction, whose
float() is correctly rounded, subnormals included), not by mpmath's own float().
"""

import argparse
import os

import mpmath

from fixture_io import to_double, write_cases

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures"))

# Decimal digits of the run that is written, and of the run that checks it. 800 digits leave
# ~470 digits of margin below the smallest singular value relative to s_max (5e-310 / 1).
WORKING_DIGITS = 800
CHECK_DIGITS = 1000
# The two runs must agree to this relative difference (far below a double's 2^-53).
AGREEMENT = mpmath.mpf(2) ** -200

SOURCE = (
    "Matrices found while building assembly/svd.ts (scratch harness, 2026-11-29). Each guards a "
    "risky path: dlarfg's rescaling of a subnormal column (tall and wide), a zero on the "
    "bidiagonal's diagonal, subnormal and near-overflow entries, and a matrix spanning forty "
    "decades (its tiny singular value is only accurate to ~eps*S0 in double precision, which the "
    "normwise tolerance allows). S: the true singular values of the stored double matrix, "
    "correctly rounded to doubles."
)

# (name, m, n, row-major entries as written in the fixture; JSON.parse and float() agree on them)
CASES = [
    ("dlarfg_rescale_subnormal_column_3x2", 3, 2, ["1", "0", "0", "3e-310", "0", "4e-310"]),
    ("dlarfg_rescale_wide_2x3", 2, 3, ["1", "0", "0", "0", "3e-310", "4e-310"]),
    ("bidiagonal_zero_diagonal_5x5", 5, 5, [
        "1", "1", "0", "0", "0",
        "0", "0", "1", "0", "0",
        "0", "0", "1", "1", "0",
        "0", "0", "0", "0", "1",
        "0", "0", "0", "0", "1",
    ]),
    ("subnormal_entries_3x2", 3, 2, ["1e-320", "2e-320", "-3e-320", "4e-320", "5e-320", "0"]),
    ("near_overflow_2x2", 2, 2, ["1.7e308", "0", "0", "-1e308"]),
    ("forty_decades_4x4_worst_backward_error", 4, 4, [
        "-49093499743680455000", "2.1165293955977322e-7", "-5.563916311673647e-9", "1087740.1966579312",
        "15.50912513606826", "-5.920862552309777e-12", "-1.7980809385164133e-16", "-8.736326374205634e-18",
        "144057.15432063438", "107610129.48051453", "72759209116749380000", "-13.105855599740934",
        "14182040399.149092", "-11736063109218.643", "1.329058149538914e-7", "-7.047447553744207e-17",
    ]),
]


def singular_values(A, m, n, digits):
    """Singular values (descending, min(m, n) of them) of the double matrix A at `digits`."""
    with mpmath.workdps(digits):
        M = mpmath.matrix(m, n)
        for i in range(m):
            for j in range(n):
                M[i, j] = mpmath.mpf(A[i * n + j])  # exact: every double is an mpf
        # svd_r wants m >= n for its bidiagonalisation; the values of A^T are those of A.
        if m < n:
            M = M.T
        S = mpmath.svd_r(M, compute_uv=False)
        values = sorted((abs(S[i]) for i in range(min(m, n))), reverse=True)
        return [+v for v in values]


def gram_singular_values(A, m, n, digits):
    """Second, independent route: square roots of the eigenvalues of the smaller Gram matrix
    (A^T A or A A^T, formed exactly: at these precisions every product and sum of doubles is
    exact) by mpmath.eigsy (symmetric tridiagonal QL). Its tolerance is also absolute, in
    ||A||^2, which CHECK_DIGITS covers for every case here (s_min^2 / s_max^2 >= 1e-620)."""
    with mpmath.workdps(digits):
        X = [[mpmath.mpf(A[i * n + j]) for j in range(n)] for i in range(m)]
        if m < n:
            X = [list(col) for col in zip(*X)]
            m, n = n, m
        G = mpmath.matrix(n, n)
        for i in range(n):
            for j in range(n):
                G[i, j] = mpmath.fsum(X[r][i] * X[r][j] for r in range(m))
        E = mpmath.eigsy(G, eigvals_only=True)
        values = sorted((mpmath.sqrt(max(E[i], 0)) for i in range(n)), reverse=True)
        return values


def closed_form(name, A):
    """Exact singular values where the structure gives them (mpf at CHECK_DIGITS), else None."""
    with mpmath.workdps(CHECK_DIGITS):
        if name in ("dlarfg_rescale_subnormal_column_3x2", "dlarfg_rescale_wide_2x3"):
            # Orthogonal columns (rows): 1, and the 2-norm of the two subnormal entries.
            a, b = mpmath.mpf(A[3] or A[4]), mpmath.mpf(A[5])
            return [mpmath.mpf(1), mpmath.sqrt(a * a + b * b)]
        if name == "near_overflow_2x2":
            return [mpmath.mpf(abs(A[0])), mpmath.mpf(abs(A[3]))]
        if name == "bidiagonal_zero_diagonal_5x5":
            # Blocks: row 0 x cols {0,1} = [1 1] -> sqrt 2; rows {1,2} x cols {2,3} = [[1,0],[1,1]]
            # -> golden ratio and its inverse; rows {3,4} x col 4 = [1;1] -> sqrt 2; rank 4 -> 0.
            phi = (1 + mpmath.sqrt(5)) / 2
            return [phi, mpmath.sqrt(2), mpmath.sqrt(2), 1 / phi, mpmath.mpf(0)]
    return None


def compute_case(name, m, n, literals):
    A = [float(s) for s in literals]
    assert len(A) == m * n, name
    work = singular_values(A, m, n, WORKING_DIGITS)
    check = singular_values(A, m, n, CHECK_DIGITS)
    S = [to_double(v) for v in work]
    worst = mpmath.mpf(0)
    with mpmath.workdps(CHECK_DIGITS):
        top = check[0]
        for w, c in zip(work, check):
            # Relative agreement; a value that is exactly zero in truth comes out at ~10^-digits * s_max.
            gap = abs(w - c) / (abs(c) if abs(c) > top * mpmath.mpf(10) ** (-WORKING_DIGITS // 2) else top)
            worst = max(worst, gap)
            assert gap <= AGREEMENT, (name, mpmath.nstr(w, 30), mpmath.nstr(c, 30))
    assert S == [to_double(v) for v in check], name
    gram = [to_double(v) for v in gram_singular_values(A, m, n, CHECK_DIGITS)[:min(m, n)]]
    assert S == gram, (name, S, gram)
    exact = closed_form(name, A)
    if exact is not None:
        assert S == [to_double(v) for v in exact], (name, S)
    assert all(S[i] >= S[i + 1] >= 0 for i in range(len(S) - 1)), name
    return {"name": name, "m": m, "n": n, "A": A, "S": S}, worst


def write(path, cases):
    head = {"source": SOURCE, "generator": "scripts/reference/svd_regressions.py",
            "precision": "mpmath.svd_r at %d decimal digits, checked against %d digits"
                         % (WORKING_DIGITS, CHECK_DIGITS)}
    write_cases(path, head, cases)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=FIXTURES, help="output directory (default: test/fixtures)")
    args = parser.parse_args()
    cases = []
    for name, m, n, literals in CASES:
        case, worst = compute_case(name, m, n, literals)
        cases.append(case)
        print("%-42s S = %s  (runs at %d and %d digits agree to %s relative)"
              % (name, case["S"], WORKING_DIGITS, CHECK_DIGITS, mpmath.nstr(worst, 3)))
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "svd-regressions.json")
    write(path, cases)
    print("wrote", path)


if __name__ == "__main__":
    main()
