#!/usr/bin/env python3
"""Reference tables for the SVD's small routines: dlartg, dlas2, dlasv2 and one dbdsqr sweep of
each kind, from references independent of lowrank's kernel.

Usage (from the repository root; needs scipy and mpmath):
  python3 scripts/reference/small_routines.py              writes test/fixtures/small-routines.json
  python3 scripts/reference/small_routines.py --out DIR    writes DIR/small-routines.json

What it computes, and from which reference (test/debug/routines.test.ts reads the tables):

  * givens: LAPACK dlartg itself, as scipy.linalg.lapack.dlartg (scipy's bundled LAPACK; the
    version is recorded in the fixture and must be 3.10 or later, whose dlartg is Anderson's
    safe-scaling one: E. Anderson, "Algorithm 978: Safe scaling in the Level 1 BLAS", ACM TOMS
    44(1), 2017), and the exact c = |f|/sqrt(f^2 + g^2), s = sign(f) g/sqrt(...),
    r = sign(f) sqrt(...) (with dlartg's conventions for f = 0 and g = 0) correctly rounded.
  * two_by_two: the exact SVD of [f g; 0 h] in mpmath (EXACT_BITS, checked at CHECK_BITS): the
    singular values from the closed form, the right singular vector from the eigenvector of
    the exactly formed A^T A, the left one as A v / |A v|. The pair (u, v) of each singular
    value is only defined up to a common sign, so the signs are resolved the way dlasv2 fixes
    them (see dlasv2_signs below); then ssmax and ssmin are the diagonal of L A R computed
    exactly, so ssmax * ssmin = f * h. dlas2's values are |ssmin|, |ssmax|.
  * sweeps: one zero-shift QR sweep (J. Demmel & W. Kahan, "Accurate singular values of
    bidiagonal matrices", SIAM J. Sci. Stat. Comput. 11(5), 1990, section 3) and one shifted
    Golub-Kahan step (G. H. Golub & C. F. Van Loan, Matrix Computations, 4th ed., section
    8.6.2), each in dbdsqr's formulation and both directions, transcribed here in exact
    arithmetic (mpmath at SWEEP_BITS, checked at CHECK_BITS): its rounding-free counterpart.
    The transcription is checked, not trusted: the recorded rotations, applied to B as
    dbdsqr's caller applies them to U and V, must reproduce the output bidiagonal (an exact
    orthogonal equivalence, nothing outside the bidiagonal), and the zero-shift sweep must
    equal the shifted one run with shift 0 (Demmel & Kahan's claim for exact arithmetic).
    Each comparison the test makes must be fair to a double run: every quantity of an exact
    zero-shift sweep is 0 or a normal double (its relative accuracy holds barring underflow,
    check_in_range), and the shifted sweeps run only where rounding cannot steer the chase's
    output (a shift that is not a singular value to 1e-400, none on huge_offdiagonals, graded
    blocks only in dbdsqr's direction and with compare_rotations false: see sweep_inputs).

Every output is the exactly rounded double of the exact value (through fractions.Fraction,
svd_regressions.to_double), and each case says what it tests.
"""

import argparse
import math
import os
import random
import sys

import mpmath
import scipy
import scipy.linalg.lapack as lapack

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures"))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
import rng  # noqa: E402  (rng.write: the fixtures' JSON layout, one record a line)
from svd_regressions import to_double  # noqa: E402  (exact rounding to double)

# Precisions in bits. Any sum or difference of two doubles is exact with 2,100 bits, a product
# of two with 2,200: at EXACT_BITS the 2x2 formulas below only round in sqrt and division, each
# to a relative 2^-6000 (f^2/(s1^2 - f^2) <= 2^4200 at worst, so the right singular vector keeps
# 1,800 bits). SWEEP_BITS: a sweep on a bidiagonal spanning 1e+-300 cancels at most ~2^2000 in
# one step, so 4000 bits keep each entry to ~2^-2000 relative. Every table is computed again
# at CHECK_BITS and must round to the same doubles.
EXACT_BITS = 6000
SWEEP_BITS = 4000
CHECK_BITS = 8000
# The shifted sweep run with shift 0, to check the zero-shift one against (see sweep_table).
PLAIN_BITS = 12000

# dlasv2's EPS = dlamch('EPS') = 2^-53: g "dominates" when fl(|f|/|g|) < EPS.
DLAMCH_EPS = 2.0 ** -53
# The normal range of doubles [dlamch 'S', 1/'S'].
SAFE_MIN = 2.0 ** -1022
SAFE_MAX = 2.0 ** 1023


def mpf(x):
    return mpmath.mpf(x)  # exact for every double


def sign1(x):
    """Fortran SIGN(1, x) for an mpf or a double (a negative zero counts as negative)."""
    return -1 if (x < 0 or (x == 0 and math.copysign(1.0, float(x)) < 0)) else 1


# --------------------------------------------------------------------------------------------
# dlartg
# --------------------------------------------------------------------------------------------

GIVENS_CASES = [
    # (f, g, what it tests)
    (0.0, 0.0, "f = g = 0: no rotation, r = 0"),
    (3.0, 0.0, "g = 0: c = 1, s = 0, r = f"),
    (-3.0, 0.0, "g = 0 with f < 0: r = f keeps its sign"),
    (0.0, 4.0, "f = 0: c = 0, s = sign(g), r = |g|"),
    (0.0, -4.0, "f = 0, g < 0: s = -1, r = |g| > 0"),
    (-0.0, 2.0, "f = -0 counts as f = 0"),
    (2.0, -0.0, "g = -0 counts as g = 0"),
    (3.0, 4.0, "3-4-5, both positive"),
    (-3.0, 4.0, "f < 0: r < 0, c > 0, s < 0"),
    (3.0, -4.0, "g < 0: s < 0"),
    (-3.0, -4.0, "both negative"),
    (1.0, 1.0, "equal: c = s = 1/sqrt 2"),
    (1.0, 1e-10, "|f| >> |g|: s ~ g/f"),
    (1e-10, 1.0, "|f| << |g|: c ~ f/g"),
    (1.0, 1e-17, "g below half an ulp of f: r = f, c = 1, s = g"),
    (1.0, 1e-200, "g below rtmin = 2^-511: the scaled branch"),
    (1e-200, -1.0, "f below rtmin: the scaled branch, c tiny"),
    (1.4916681462400413e-154, 1.0, "f = rtmin exactly: not > rtmin, so the scaled branch"),
    (1.4916681462400415e-154, 1.0, "f one ulp above rtmin: the unscaled branch"),
    (1.0, 4.7403759540545887e153, "g = rtmax: not < rtmax, so the scaled branch"),
    (4.740375954054588e153, 1.0, "f just below rtmax: the unscaled branch"),
    (1e-160, 1e-160, "both below rtmin: f^2 + g^2 would underflow"),
    (1e154, -1e154, "both above rtmax: f^2 + g^2 would lose range"),
    (1e300, 1e300, "near 1e300: f^2 + g^2 would overflow"),
    (-1e300, 2e299, "near 1e300, f < 0"),
    (1.2e308, 1e308, "max(|f|, |g|) above safmax = 2^1022: the scale is clamped to safmax"),
    (1e300, 1e-300, "ratio 1e600: s underflows to 0"),
    (-1e-300, 1e300, "ratio 1e-600: c underflows to 0"),
    (5e-324, 5e-324, "smallest subnormals: r = sqrt 2 * 2^-1074 rounds to 2^-1074"),
    (1e-310, 3e-310, "subnormal f and g"),
    (-4e-320, 3e-320, "subnormal, f < 0"),
    (1e-310, 1.0, "subnormal f beside a normal g"),
    (1.0, -1e-310, "subnormal g beside a normal f"),
    (5e-324, 1e-300, "subnormal beside a tiny normal"),
    (2.2250738585072014e-308, 2.2250738585072014e-308, "both at safmin = 2^-1022"),
]


def random_givens_cases(count, seed):
    """Random f, g: magnitudes log-uniform over 1e-300 .. 1e300, random signs."""
    gen = random.Random(seed)
    cases = []
    for i in range(count):
        f = gen.choice([-1, 1]) * 10.0 ** gen.uniform(-300, 300)
        g = gen.choice([-1, 1]) * 10.0 ** gen.uniform(-300, 300) if i % 2 else f * gen.uniform(-3, 3)
        cases.append((f, g, "random (seed %d, #%d)%s" % (seed, i, "" if i % 2 else ": |g| within 3|f|")))
    return cases


def exact_givens(f, g, bits):
    """dlartg's c, s, r in exact arithmetic (one rounding to `bits` in sqrt and the quotients)."""
    with mpmath.workprec(bits):
        F, G = mpf(f), mpf(g)
        if G == 0:
            return mpf(1), mpf(0), F
        if F == 0:
            return mpf(0), mpf(sign1(g)), abs(G)
        h = mpmath.sqrt(F * F + G * G)
        r = h if sign1(f) > 0 else -h
        return abs(F) / h, G / r, r


def givens_table():
    rows = []
    for f, g, what in GIVENS_CASES + random_givens_cases(12, 11):
        c, s, r = (float(x) for x in lapack.dlartg(f, g))
        exact = [to_double(x) for x in exact_givens(f, g, EXACT_BITS)]
        check = [to_double(x) for x in exact_givens(f, g, CHECK_BITS)]
        assert exact == check, (f, g)
        rows.append({"what": what, "f": f, "g": g, "lapack": [c, s, r], "exact": exact})
    return rows


# --------------------------------------------------------------------------------------------
# dlas2 / dlasv2: the exact SVD of [f g; 0 h]
# --------------------------------------------------------------------------------------------

TWO_BY_TWO_CASES = [
    # (f, g, h, what it tests)
    (0.0, 0.0, 0.0, "the zero matrix: values 0, identity rotations"),
    (3.0, 0.0, 2.0, "g = 0, |f| > |h|: diagonal, identity rotations"),
    (2.0, 0.0, -3.0, "g = 0, |h| > |f|: diagonal, the swap (rotations by 90 degrees)"),
    (2.0, 0.0, 2.0, "g = 0, f = h: equal singular values"),
    (0.0, 3.0, 4.0, "f = 0: ssmin = 0 (dlas2's fhmn = 0 branch), swap"),
    (3.0, 4.0, 0.0, "h = 0: ssmin = 0"),
    (0.0, 5.0, 0.0, "f = h = 0, g != 0: g alone (fa/ga = 0 < eps)"),
    (0.0, -5.0, 0.0, "f = h = 0, g < 0"),
    (1.0, 2.0, 3.0, "generic, |h| > |f| (swap)"),
    (3.0, 2.0, 1.0, "generic, |f| > |h|"),
    (2.0, 3.0, 1.0, "|g| largest but not dominant (pmax = 2 inside gasmal)"),
    (2.0, 1.0, 2.0, "f = h: dlasv2's l = 0 branch (r = |m|)"),
    (2.0, 1.0, -2.0, "f = -h: l = 0, ssmin < 0"),
    (1.0, 1e-200, 0.5, "|f| >> |g|: m^2 underflows (mm = 0), l != 0"),
    (1.0, 1e-200, 1.0, "f = h and g tiny: mm = 0 and l = 0, t = +-2"),
    (-1.0, 1e-200, 1.0, "f = -h and g tiny: mm = 0, l = 0, f < 0"),
    (1.0, 1e-8, 0.99999999, "f ~ h, g tiny: nearly equal values, well-separated only by g"),
    (1.0, 1e17, 0.5, "g dominates (fa/ga < eps, gasmal false), ha <= 1"),
    (1e3, 1e20, 2e3, "g dominates, swap and ha > 1: ssmin = fa/(ga/ha)"),
    (-1.0, 1e17, -0.5, "g dominates, f and h negative"),
    (1.0, -1e17, 0.5, "g dominates, g negative"),
    (1.0, 4503599627370496.0, 0.5, "fa/ga = 2^-52 = 2 eps: just not dominant (gasmal)"),
    (1.0, 18014398509481984.0, 0.5, "fa/ga = 2^-54 < eps: dominant"),
    (-1.0, 9007199254740992.0, 0.5, "fa/ga = 2^-53 = eps, not below it: gasmal, so csr > 0 "
     "(had g dominated, csr = f/g < 0)"),
    (-1.0, 9007199254740994.0, 0.5, "fa/ga just below eps: g dominates, so snr > 0 and csr = f/g < 0"),
    (1e300, 1e300, 1e300, "near 1e300: no overflow"),
    (1.2e308, 1e308, 1e307, "near the overflow threshold: ssmax ~ 1.56e308, f^2 and g^2 far out of range"),
    (1e-300, 1e-300, 1e-300, "near 1e-300: no underflow of the values"),
    (1e300, 1.0, 1e-300, "values 1e300 and 1e-300: ratio 1e600"),
    (1e-300, 1.0, 1e300, "the same, swapped"),
    (3e-320, 5e-320, 1e-320, "subnormal entries"),
    (1e-310, 1.0, 1e-310, "subnormal f, h beside g = 1: g dominates, ssmin underflows"),
    (1.0, 1e-310, 0.5, "subnormal g"),
    (1e-160, 1e160, 1e-160, "dlas2's au = fhmx/ga underflows to 0 (the product branch)"),
]


def random_two_by_two_cases():
    """Every sign pattern of two base cases (one without, one with the swap), and random ones."""
    cases = []
    for base in [(3.0, 1.25, 0.75), (0.75, 1.25, 3.0), (1e-3, 7.0, 2e-3)]:
        for signs in range(8):
            sf, sg, sh = (-1 if signs & 1 else 1), (-1 if signs & 2 else 1), (-1 if signs & 4 else 1)
            f, g, h = sf * base[0], sg * base[1], sh * base[2]
            cases.append((f, g, h, "signs %+d %+d %+d of (%r, %r, %r)" % ((sf, sg, sh) + base)))
    gen = random.Random(22)
    for i in range(12):
        f, g, h = (gen.choice([-1, 1]) * 10.0 ** gen.uniform(-20, 20) for _ in range(3))
        cases.append((f, g, h, "random (seed 22, #%d): magnitudes 1e-20 .. 1e20" % i))
    return cases


def dlasv2_signs(f, g, h):
    """Which components dlasv2 makes positive (its branches, decided in double precision as it
    decides them): when |h| > |f| it swaps f and h and returns snl > 0, snr > 0; otherwise
    csl > 0, csr > 0; when g dominates (|g| > max(|f|, |h|) and fl(fa/ga) < eps) csl > 0,
    snr > 0. These signs follow from its formulas (crt = 2/l > 0, clt = (crt + srt m)/a > 0
    since srt has the sign of m; in the g-dominant branch clt = srt = 1)."""
    fa, ha, ga = abs(f), abs(h), abs(g)
    swap = ha > fa
    if swap:
        fa, ha = ha, fa
    if ga == 0:
        return None  # diagonal: identity (or the swap), handled by the caller
    if ga > fa and fa / ga < DLAMCH_EPS:
        return ("csl", "snr")
    return ("snl", "snr") if swap else ("csl", "csr")


def exact_two_by_two(f, g, h, bits):
    """[ssmin, ssmax, snr, csr, snl, csl] (dlasv2's order) of [f g; 0 h], exact to `bits`."""
    with mpmath.workprec(bits):
        F, G, H = mpf(f), mpf(g), mpf(h)
        A = [[F, G], [mpf(0), H]]
        if F == 0 and G == 0 and H == 0:
            u, v = (mpf(1), mpf(0)), (mpf(1), mpf(0))
        elif G == 0:
            # Diagonal: dlasv2 returns the identity, or (when |h| > |f|) the 90-degree pair.
            u = v = (mpf(0), mpf(1)) if abs(h) > abs(f) else (mpf(1), mpf(0))
        else:
            fa, ha = abs(F), abs(H)
            s1 = (mpmath.sqrt((fa + ha) ** 2 + G * G) + mpmath.sqrt((fa - ha) ** 2 + G * G)) / 2
            # Eigenvector of A^T A = [f^2, fg; fg, g^2 + h^2] for s1^2: two parallel forms, the
            # longer one has the less cancellation.
            p = (F * G, s1 * s1 - F * F)
            q = (s1 * s1 - G * G - H * H, F * G)
            w = p if abs(p[0]) + abs(p[1]) >= abs(q[0]) + abs(q[1]) else q
            n = mpmath.sqrt(w[0] ** 2 + w[1] ** 2)
            v = (w[0] / n, w[1] / n)
            Av = (F * v[0] + G * v[1], H * v[1])
            n = mpmath.sqrt(Av[0] ** 2 + Av[1] ** 2)
            u = (Av[0] / n, Av[1] / n)
            positive = dlasv2_signs(f, g, h)
            comp = {"csl": u[0], "snl": u[1], "csr": v[0], "snr": v[1]}
            for name in positive:
                assert comp[name] != 0, (f, g, h, name)
            if comp[positive[0]] < 0:
                u = (-u[0], -u[1])
            if comp[positive[1]] < 0:
                v = (-v[0], -v[1])
        csl, snl, csr, snr = u[0], u[1], v[0], v[1]
        L = [[csl, snl], [-snl, csl]]
        R = [[csr, -snr], [snr, csr]]
        LA = [[sum(L[i][k] * A[k][j] for k in range(2)) for j in range(2)] for i in range(2)]
        D = [[sum(LA[i][k] * R[k][j] for k in range(2)) for j in range(2)] for i in range(2)]
        scale = max(abs(D[0][0]), abs(D[1][1]), mpf(2) ** -1100)
        assert abs(D[0][1]) <= scale * mpf(2) ** (40 - bits) and abs(D[1][0]) <= scale * mpf(2) ** (40 - bits), (f, g, h)
        assert abs(D[0][0]) >= abs(D[1][1]), (f, g, h)
        return [D[1][1], D[0][0], snr, csr, snl, csl]


def two_by_two_table():
    rows = []
    for f, g, h, what in TWO_BY_TWO_CASES + random_two_by_two_cases():
        exact = [to_double(x) for x in exact_two_by_two(f, g, h, EXACT_BITS)]
        check = [to_double(x) for x in exact_two_by_two(f, g, h, CHECK_BITS)]
        assert exact == check, (f, g, h)
        with mpmath.workprec(EXACT_BITS):
            # The values checked another way: ssmax * ssmin = det A = f h, ssmax^2 + ssmin^2 = |A|_F^2.
            s = exact_two_by_two(f, g, h, EXACT_BITS)
            F, G, H = mpf(f), mpf(g), mpf(h)
            assert s[0] * s[1] == F * H or abs(s[0] * s[1] - F * H) <= abs(F * H) * mpf(2) ** (30 - EXACT_BITS)
            total = F * F + G * G + H * H
            assert abs(s[0] ** 2 + s[1] ** 2 - total) <= total * mpf(2) ** (30 - EXACT_BITS)
        ssmin, ssmax, snr, csr, snl, csl = exact
        rows.append({"what": what, "f": f, "g": g, "h": h, "ssmin": ssmin, "ssmax": ssmax,
                     "snr": snr, "csr": csr, "snl": snl, "csl": csl})
    return rows


# --------------------------------------------------------------------------------------------
# dbdsqr sweeps, in exact arithmetic
# --------------------------------------------------------------------------------------------

def exact_givens_mp(F, G):
    """exact_givens on mpf inputs at the current precision."""
    if G == 0:
        return mpf(1), mpf(0), F
    if F == 0:
        return mpf(0), mpf(1 if G > 0 else -1), abs(G)
    h = mpmath.sqrt(F * F + G * G)
    r = h if F > 0 else -h
    return abs(F) / h, G / r, r


def sweep(kind, direction, d, e, ll, m, shift, bits, trace=None):
    """One sweep on d[ll..m], e[ll..m-1] (the double inputs, copied), in dbdsqr's formulation
    with exact rotations. Returns (d, e, rc, rs, lc, ls) as mpf lists; rotation j turns rows
    ll + j, ll + j + 1, and the up sweeps store -sin as dbdsqr does (loops 130 and 150).
    trace, if given, receives (f, g, c, s, r) of every rotation."""
    with mpmath.workprec(bits):
        d = [mpf(x) for x in d]
        e = [mpf(x) for x in e]
        one, zero = mpf(1), mpf(0)
        count = m - ll
        rc, rs, lc, ls = ([None] * count for _ in range(4))

        def rot(f, g):
            c, s, r = exact_givens_mp(f, g)
            if trace is not None:
                trace.append((f, g, c, s, r))
            return c, s, r

        if kind == "zero" and direction == "down":
            cs, oldcs, oldsn = one, one, zero
            for i in range(ll, m):
                cs, sn, r = rot(d[i] * cs, e[i])
                if i > ll:
                    e[i - 1] = oldsn * r
                oldcs, oldsn, d[i] = rot(oldcs * r, d[i + 1] * sn)
                rc[i - ll], rs[i - ll], lc[i - ll], ls[i - ll] = cs, sn, oldcs, oldsn
            hh = d[m] * cs
            d[m], e[m - 1] = hh * oldcs, hh * oldsn
        elif kind == "zero":
            cs, oldcs, oldsn = one, one, zero
            for i in range(m, ll, -1):
                cs, sn, r = rot(d[i] * cs, e[i - 1])
                if i < m:
                    e[i] = oldsn * r
                oldcs, oldsn, d[i] = rot(oldcs * r, d[i - 1] * sn)
                j = i - 1 - ll
                rc[j], rs[j], lc[j], ls[j] = cs, -sn, oldcs, -oldsn
            hh = d[ll] * cs
            d[ll], e[ll] = hh * oldcs, hh * oldsn
        elif direction == "down":
            S = mpf(shift)
            f = (abs(d[ll]) - S) * (sign1(d[ll]) + S / d[ll])
            g = e[ll]
            for i in range(ll, m):
                cosr, sinr, r = rot(f, g)
                if i > ll:
                    e[i - 1] = r
                f = cosr * d[i] + sinr * e[i]
                e[i] = cosr * e[i] - sinr * d[i]
                g = sinr * d[i + 1]
                d[i + 1] = cosr * d[i + 1]
                cosl, sinl, d[i] = rot(f, g)
                f = cosl * e[i] + sinl * d[i + 1]
                d[i + 1] = cosl * d[i + 1] - sinl * e[i]
                if i < m - 1:
                    g = sinl * e[i + 1]
                    e[i + 1] = cosl * e[i + 1]
                rc[i - ll], rs[i - ll], lc[i - ll], ls[i - ll] = cosr, sinr, cosl, sinl
            e[m - 1] = f
        else:
            S = mpf(shift)
            f = (abs(d[m]) - S) * (sign1(d[m]) + S / d[m])
            g = e[m - 1]
            for i in range(m, ll, -1):
                cosr, sinr, r = rot(f, g)
                if i < m:
                    e[i] = r
                f = cosr * d[i] + sinr * e[i - 1]
                e[i - 1] = cosr * e[i - 1] - sinr * d[i]
                g = sinr * d[i - 1]
                d[i - 1] = cosr * d[i - 1]
                cosl, sinl, d[i] = rot(f, g)
                f = cosl * e[i - 1] + sinl * d[i - 1]
                d[i - 1] = cosl * d[i - 1] - sinl * e[i - 1]
                if i > ll + 1:
                    g = sinl * e[i - 2]
                    e[i - 2] = cosl * e[i - 2]
                j = i - 1 - ll
                rc[j], rs[j], lc[j], ls[j] = cosr, -sinr, cosl, -sinl
            e[ll] = f
        return d, e, rc, rs, lc, ls


def check_equivalence(direction, d0, e0, out, ll, m, bits):
    """The recorded rotations applied as bidiagonalQr applies them must turn B into B':
    chasing down, U^T's rows turn by the left rotations and V^T's by the right ones, j = 0
    first, so B' = Gl B Gr^T; chasing up, U^T turns by the right ones and V^T by the left
    ones, j = count - 1 first (rotateRows backward), so B' = Gr B Gl^T with the same rule.
    Checked at `bits` on the block ll..m: every entry of B' off its bidiagonal is zero."""
    d, e, rc, rs, lc, ls = out
    with mpmath.workprec(bits):
        n = m - ll + 1
        B = [[mpf(0)] * n for _ in range(n)]
        for i in range(n):
            B[i][i] = mpf(d0[ll + i])
            if i < n - 1:
                B[i][i + 1] = mpf(e0[ll + i])
        order = range(n - 1) if direction == "down" else range(n - 2, -1, -1)
        left, right = ((lc, ls), (rc, rs)) if direction == "down" else ((rc, rs), (lc, ls))
        for j in order:
            # rows j, j+1 of the left factor: x <- c x + s y, y <- c y - s x (applyGivens)
            c, s = left[0][j], left[1][j]
            for k in range(n):
                x, y = B[j][k], B[j + 1][k]
                B[j][k], B[j + 1][k] = c * x + s * y, c * y - s * x
        for j in order:
            # B <- B Gr^T: columns j, j+1 turn the same way
            c, s = right[0][j], right[1][j]
            for k in range(n):
                x, y = B[k][j], B[k][j + 1]
                B[k][j], B[k][j + 1] = c * x + s * y, c * y - s * x
        norm = max(abs(B[i][k]) for i in range(n) for k in range(n))
        tol = norm * mpf(2) ** (100 - bits)
        for i in range(n):
            for k in range(n):
                want = d[ll + i] if k == i else e[ll + i] if k == i + 1 else 0
                assert abs(B[i][k] - want) <= tol, ("equivalence", direction, i, k)


def check_in_range(name, trace, values):
    """Demmel & Kahan's relative accuracy holds barring underflow: every quantity of the exact
    zero-shift sweep (each rotation's f, g, c, s, r and every output) must be 0 or a normal
    double, so that a relative comparison with the kernel's double run is fair."""
    for q in [q for t in trace for q in t] + [q for part in values for q in part]:
        assert q == 0 or SAFE_MIN <= abs(q) <= SAFE_MAX, (name, mpmath.nstr(q, 5))


def graded(n, top, bottom, gen):
    """Row-graded: d falling geometrically from ~top to ~bottom with random factors and signs,
    each e_i a random multiple of |d_i| (so B = diag(d) times a well-conditioned bidiagonal)."""
    ratio = (bottom / top) ** (1.0 / (n - 1))
    d = [gen.choice([-1, 1]) * top * ratio ** i * gen.uniform(0.5, 2) for i in range(n)]
    e = [gen.choice([-1, 1]) * abs(d[i]) * gen.uniform(0.25, 1) for i in range(n - 1)]
    return d, e


# The runs on each input: (kind, direction, shift[, flag]), shift "dbdsqr" for the one dbdsqr
# would use; ROTATIONS_UNDETERMINED marks a shifted run whose rotations rounding can steer.
ROTATIONS_UNDETERMINED = "rotations undetermined"
ALL_RUNS = [("zero", "down", 0.0), ("zero", "up", 0.0), ("shifted", "down", "dbdsqr"), ("shifted", "up", "dbdsqr")]


def sweep_inputs():
    """(name, what, d, e, ll, m, runs) of every bidiagonal the sweeps run on."""
    gen = random.Random(33)
    u = lambda lo, hi: gen.uniform(lo, hi)  # noqa: E731
    sg = lambda: gen.choice([-1, 1])  # noqa: E731
    cases = []
    d = [u(-1, 1) for _ in range(6)]
    e = [u(-1, 1) for _ in range(5)]
    cases.append(("random_6", "random entries in (-1, 1), the whole 6x6", d, e, 0, 5, ALL_RUNS))
    # The same matrix scaled by 2^+-997 (exactly): the exact sweep scales with it, the kernel's
    # rotations all take dlartg's scaled branch.
    cases.append(("random_6_times_2^997", "random_6 scaled by 2^997 (entries ~1e300): no overflow",
                  [x * 2.0 ** 997 for x in d], [x * 2.0 ** 997 for x in e], 0, 5, ALL_RUNS))
    cases.append(("random_6_times_2^-997", "random_6 scaled by 2^-997 (entries ~1e-300): no underflow",
                  [x * 2.0 ** -997 for x in d], [x * 2.0 ** -997 for x in e], 0, 5, ALL_RUNS))
    d = [sg() * u(0.5, 2) for _ in range(2)]
    cases.append(("two_by_two", "the shortest sweep: one rotation pair on a 2x2", d, [u(-1, 1)], 0, 1, ALL_RUNS))
    d = [u(-1, 1) for _ in range(8)]
    e = [u(-1, 1) for _ in range(7)]
    cases.append(("sub_block", "the block d[2..5] of an 8x8: nothing outside it may change", d, e, 2, 5, ALL_RUNS))
    d, e = graded(48, 1.0, 1e-300, gen)
    # dbdsqr chases a block from its larger end: down here, up on the mirror image below. Its
    # shifted chase keeps B' right normwise, but from the fourth step on its rotations differ
    # from the exact chase's by O(1) (the rounding of each step's small entries steers the
    # next rotation): dbdsqr never runs it (shift 0 when smin/smax < 0.01/n), and the test
    # compares only d and e (ROTATIONS_UNDETERMINED).
    cases.append(("graded_down", "row-graded 48x48, |d| from 1 down to 1e-300 (dbdsqr chases it down; its "
                  "shift, 1e-300 beside d[0] = 1, is 0 for dbdsqr but not for the sweep)", d, e, 0, 47,
                  [("zero", "down", 0.0), ("zero", "up", 0.0), ("shifted", "down", "dbdsqr", ROTATIONS_UNDETERMINED)]))
    cases.append(("graded_up", "graded_down mirrored (d reversed, e reversed): |d| from 1e-300 up to 1 "
                  "(dbdsqr chases it up)", d[::-1], e[::-1], 0, 47,
                  [("zero", "up", 0.0), ("zero", "down", 0.0), ("shifted", "up", "dbdsqr", ROTATIONS_UNDETERMINED)]))
    d = [sg() * u(0.5, 2) for _ in range(6)]
    e = [sg() * 10.0 ** u(-220, -180) for _ in range(5)]
    # dbdsqr's shift here is a singular value to ~1e-400 (a perfect shift): the chase would
    # then hinge on (f, g) ~ 1e-200 that rounding swamps. Half the smallest |d| is a fair shift.
    half_min = min(abs(x) for x in d) / 2
    cases.append(("tiny_offdiagonals", "|e| ~ 1e-200 (below dlartg's rtmin): nearly converged; "
                  "shift min|d|/2, not dbdsqr's perfect one", d, e, 0, 5,
                  [("zero", "down", 0.0), ("zero", "up", 0.0), ("shifted", "down", half_min), ("shifted", "up", half_min)]))
    d = [sg() * u(0.5, 2) * 1e140 for _ in range(6)]
    e = [sg() * u(0.5, 2) * 1e180 for _ in range(5)]
    # No shifted sweep here: the singular values span 1e180 .. 1e-60, so dbdsqr would sweep with
    # shift 0 (smin/smax < 0.01/n), and a shifted chase on it turns by angles that rounding
    # cannot determine (its (f, g) fall 1e40 below the entries they are made from): each step
    # stays backward stable, but the double and the exact chase part after the first one.
    cases.append(("huge_offdiagonals", "|e| ~ 1e180 (above dlartg's rtmax) beside |d| ~ 1e140", d, e, 0, 5,
                  [("zero", "down", 0.0), ("zero", "up", 0.0)]))
    d = [u(-1, 1) for _ in range(6)]
    e = [u(-1, 1) for _ in range(5)]
    d[2] = 0.0
    cases.append(("zero_diagonal", "d[2] = 0 inside the block (dlartg's f = 0 case; the zero-shift "
                  "sweep moves the zero to the end)", d, e, 0, 5, ALL_RUNS))
    return cases


def shift_for(direction, d, e, ll, m, bits):
    """dbdsqr's shift: the smaller singular value of the 2x2 at the end the sweep starts from
    (exact, rounded to double; the sweep takes it as an input, so any double is fair)."""
    if direction == "down":
        f, g, h = d[m - 1], e[m - 1], d[m]
    else:
        f, g, h = d[ll], e[ll], d[ll + 1]
    return to_double(abs(exact_two_by_two(f, g, h, bits)[0]))


def sweep_table():
    rows = []
    for name, what, d, e, ll, m, runs in sweep_inputs():
        for kind, direction, shift, *flags in runs:
            if shift == "dbdsqr":
                shift = shift_for(direction, d, e, ll, m, EXACT_BITS)
            trace = []
            out = sweep(kind, direction, d, e, ll, m, shift, SWEEP_BITS, trace)
            values = out
            check = sweep(kind, direction, d, e, ll, m, shift, CHECK_BITS)
            rounded = [[to_double(x) for x in part] for part in values]
            assert rounded == [[to_double(x) for x in part] for part in check], (name, kind, direction)
            check_equivalence(direction, d, e, values, ll, m, SWEEP_BITS)
            row = {"name": "%s %s %s" % (name, kind, direction), "what": what, "kind": kind,
                   "direction": direction, "ll": ll, "m": m, "shift": shift, "d": d, "e": e}
            if kind == "shifted":
                row["compare_rotations"] = ROTATIONS_UNDETERMINED not in flags
            if kind == "zero":
                check_in_range(name, trace, values)
                if all(x != 0 for x in d[ll:m + 1] + e[ll:m]):
                    check_zero_shift_is_shift_zero(name, direction, d, e, ll, m, values)
            od, oe, rc, rs, lc, ls = rounded
            row["out"] = {"d": od, "e": oe, "rc": rc, "rs": rs, "lc": lc, "ls": ls}
            rows.append(row)
    return rows


def check_zero_shift_is_shift_zero(name, direction, d, e, ll, m, values):
    """Demmel & Kahan: in exact arithmetic the zero-shift sweep on an unreduced bidiagonal is
    the shifted one with shift 0 (bidiagonal and rotations alike). (With a zero inside, B^T B
    is singular, its QR factor not unique, and the zero-shift sweep moves the zero to the end
    instead.) The shifted form cancels: run it at PLAIN_BITS."""
    plain = sweep("shifted", direction, d, e, ll, m, 0.0, PLAIN_BITS)
    with mpmath.workprec(PLAIN_BITS):
        for a_part, b_part in zip(values, plain):
            for a, b in zip(a_part, b_part):
                assert abs(a - b) <= (abs(a) + abs(b)) * mpf(2) ** (200 - SWEEP_BITS), (name, direction)


# --------------------------------------------------------------------------------------------

def lapack_version():
    major, minor, patch = lapack.ilaver()
    assert (major, minor) >= (3, 10), "scipy's LAPACK %d.%d.%d predates dlartg's safe scaling" % (major, minor, patch)
    return "%d.%d.%d" % (major, minor, patch)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=FIXTURES, help="output directory (default: test/fixtures)")
    args = parser.parse_args()
    version = lapack_version()
    doc = {
        "source": "Independent references for the kernel's dlartg, dlas2, dlasv2 and dbdsqr sweeps "
                  "(scripts/reference/small_routines.py): LAPACK's dlartg through scipy, and exact "
                  "values from mpmath, every one the correctly rounded double.",
        "generator": "scripts/reference/small_routines.py",
        "lapack": "LAPACK %s (scipy %s, scipy.linalg.lapack.dlartg)" % (version, scipy.__version__),
        "precision": "mpmath: 2x2 SVD at %d bits, sweeps at %d bits, each checked at %d bits"
                     % (EXACT_BITS, SWEEP_BITS, CHECK_BITS),
        "givens": givens_table(),
        "two_by_two": two_by_two_table(),
        "sweeps": sweep_table(),
    }
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "small-routines.json")
    rng.write(path, doc)
    print("LAPACK %s; %d dlartg cases, %d 2x2 cases, %d sweeps" % (version, len(doc["givens"]), len(doc["two_by_two"]), len(doc["sweeps"])))
    print("wrote", path)


if __name__ == "__main__":
    main()
