#!/usr/bin/env python3
"""Reference vectors for the kernel's seeded generators (assembly/random.ts), transcribed
independently from the published algorithms.

Usage (from the repository root; needs mpmath only):
  python3 scripts/reference/rng.py              writes test/fixtures/rng-vectors.json
  python3 scripts/reference/rng.py --out DIR    writes DIR/rng-vectors.json

References (the authority is the published C code, transcribed here with Python ints masked
to 64 bits, not the kernel's AssemblyScript):
  * xoshiro256**: D. Blackman & S. Vigna, "Scrambled linear pseudorandom number generators",
    ACM TOMS 47(4), 2021 (arXiv:1805.01407), and their reference xoshiro256starstar.c
    (https://prng.di.unimi.it/). The authors recommend seeding the state with splitmix64.
  * splitmix64: G. L. Steele, D. Lea & C. H. Flood, "Fast splittable pseudorandom number
    generators", OOPSLA 2014; reference splitmix64.c by S. Vigna (same site).
  * Uniform doubles: the same site's recipe (x >> 11) * 2^-53, 53 random bits in [0, 1).
  * Normal doubles: G. E. P. Box & M. E. Muller, "A note on the generation of random normal
    deviates", Ann. Math. Statist. 29(2), 1958: from u1 in (0, 1], u2 in [0, 1),
    sqrt(-2 ln u1) * (cos 2 pi u2, sin 2 pi u2).
  * Shuffle: Fisher-Yates, D. E. Knuth, TAOCP vol. 2, sec. 3.4.2, Algorithm P, with
    j = floor(u * (i + 1)) for a 53-bit uniform u.

Before writing, the transcription is checked against published test vectors: the outputs of
splitmix64.c and xoshiro256starstar.c recorded in rust-random/rngs (rand_xoshiro/src/
splitmix64.rs and xoshiro256starstar.rs, "produced with the reference implementation").

What the kernel adds, and is mirrored here: fillUniform(seed) seeds the state with splitmix64
from seed; fillNormal from seed ^ NORMAL_SEED_XOR; shuffleEntries from seed ^ SHUFFLE_SEED_XOR
(so a run's start, test matrix and visiting order are independent streams). Seeds are integers
in [0, 2^53) (passed to the kernel as doubles).

Normal doubles: the kernel evaluates log, cos and sin with AssemblyScript's own Math (musl
ports), whose last bit may differ from the correctly rounded value. This script rounds every
step as the kernel does (u1 = 1 - u exactly, -2*log, sqrt, 2*pi*u2, the products, in IEEE
double) but takes log, cos and sin correctly rounded (mpmath at 60 digits, with a check that
the result is not within reach of a rounding boundary), so the fixture does not depend on the
libm of the machine that made it. Tests allow NORMAL_TOLERANCE_ULPS for normals; uniforms and
permutations must match exactly.
"""

import argparse
import json
import math
import os
from fractions import Fraction

import mpmath

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures"))

MASK = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15   # splitmix64's increment (2^64 / golden ratio, odd)
NORMAL_SEED_XOR = 0x9E6C63D0676A9A99   # fillNormal's stream offset (assembly/random.ts)
SHUFFLE_SEED_XOR = 0xD1B54A32D192ED03  # shuffleEntries' stream offset (assembly/random.ts)
TWO_PI = 6.283185307179586             # the double nearest 2*pi, as in the kernel
TWO_POW_M53 = 2.0 ** -53
NORMAL_TOLERANCE_ULPS = 4
MAX_SEED = 2 ** 53 - 1

# Published vectors (rust-random/rngs, rand_xoshiro; made with the reference C code).
SPLITMIX64_VECTOR_SEED = 1477776061723855037
SPLITMIX64_VECTOR = [
    1985237415132408290, 2979275885539914483, 13511426838097143398, 8488337342461049707,
    15141737807933549159, 17093170987380407015, 16389528042912955399, 13177319091862933652,
    10841969400225389492, 17094824097954834098,
]
XOSHIRO256SS_VECTOR_STATE = (1, 2, 3, 4)
XOSHIRO256SS_VECTOR = [
    11520, 0, 1509978240, 1215971899390074240, 1216172134540287360, 607988272756665600,
    16172922978634559625, 8476171486693032832, 10595114339597558777, 2904607092377533576,
]


# --------------------------------------------------------------------------------------------
# the published generators
# --------------------------------------------------------------------------------------------

class SplitMix64:
    """splitmix64.c: x += gamma; z = x; two xor-shift-multiply rounds; a final xor-shift."""

    def __init__(self, seed):
        self.x = seed & MASK

    def next(self):
        self.x = (self.x + GOLDEN_GAMMA) & MASK
        z = self.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256StarStar:
    """xoshiro256starstar.c: output rotl(s1 * 5, 7) * 9, then the linear engine step."""

    def __init__(self, state):
        self.s = [v & MASK for v in state]
        assert any(self.s), "the all-zero state is a fixed point"

    @classmethod
    def seeded(cls, seed):
        """State = the first four outputs of splitmix64 seeded with `seed` (the authors' advice)."""
        sm = SplitMix64(seed)
        return cls([sm.next() for _ in range(4)])

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result


def check_published_vectors():
    sm = SplitMix64(SPLITMIX64_VECTOR_SEED)
    assert [sm.next() for _ in SPLITMIX64_VECTOR] == SPLITMIX64_VECTOR, "splitmix64 vector"
    xs = Xoshiro256StarStar(XOSHIRO256SS_VECTOR_STATE)
    assert [xs.next() for _ in XOSHIRO256SS_VECTOR] == XOSHIRO256SS_VECTOR, "xoshiro256** vector"


# --------------------------------------------------------------------------------------------
# the kernel's three uses
# --------------------------------------------------------------------------------------------

def unit53(x):
    """(x >> 11) * 2^-53: exact in double, in [0, 1)."""
    return float(x >> 11) * TWO_POW_M53


def uniform(seed, count):
    g = Xoshiro256StarStar.seeded(seed)
    return [unit53(g.next()) for _ in range(count)]


def to_fraction(y):
    """The exact rational value of a finite mpf (mpmath's man_exp drops the sign: use _mpf_)."""
    sign, man, exp, _ = y._mpf_
    assert man or not exp, "finite values only"
    value = Fraction(int(man)) * Fraction(2) ** int(exp)
    return -value if sign else value


def correctly_rounded(fn, x):
    """fn(x) rounded to the nearest double, with a guard that 60 digits decide the rounding."""
    with mpmath.workdps(60):
        exact = to_fraction(fn(mpmath.mpf(x)))
        r = float(exact)
        # The neighbouring midpoint must be far (relative 1e-40) from y, or 60 digits might not decide.
        below, above = math.nextafter(r, -math.inf), math.nextafter(r, math.inf)
        for other in (below, above):
            mid = (Fraction(r) + Fraction(other)) / 2
            assert abs(exact - mid) > abs(mid) * Fraction(1, 10 ** 40), (fn, x)
        return r


def normal(seed, count):
    """Box-Muller pairs as the kernel rounds them; the odd last draw keeps only the cosine."""
    g = Xoshiro256StarStar.seeded(seed ^ NORMAL_SEED_XOR)
    out = []
    while len(out) < count:
        u1 = 1.0 - unit53(g.next())    # exact; in (0, 1]
        u2 = unit53(g.next())
        radius = math.sqrt(-2.0 * correctly_rounded(mpmath.log, u1))
        angle = TWO_PI * u2
        out.append(radius * correctly_rounded(mpmath.cos, angle))
        if len(out) < count:
            out.append(radius * correctly_rounded(mpmath.sin, angle))
    return out


def normal_libm(seed, count):
    """The same with this machine's libm, only to report how far libm results fall."""
    g = Xoshiro256StarStar.seeded(seed ^ NORMAL_SEED_XOR)
    out = []
    while len(out) < count:
        u1 = 1.0 - unit53(g.next())
        u2 = unit53(g.next())
        radius = math.sqrt(-2.0 * math.log(u1))
        angle = TWO_PI * u2
        out.append(radius * math.cos(angle))
        if len(out) < count:
            out.append(radius * math.sin(angle))
    return out


def shuffle_permutation(seed, n):
    """Fisher-Yates from the top: for i = n-1 .. 1, j = floor(u * (i+1)) (double arithmetic as
    the kernel: u * (i+1) rounded, then truncated), swap entries i and j. Returns perm with
    perm[t] = the original index of the entry that ends at position t."""
    g = Xoshiro256StarStar.seeded(seed ^ SHUFFLE_SEED_XOR)
    perm = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(unit53(g.next()) * float(i + 1))
        assert 0 <= j <= i
        perm[i], perm[j] = perm[j], perm[i]
    return perm


def ulps_apart(a, b):
    if a == b:
        return 0
    return abs(a - b) / math.ulp(max(abs(a), abs(b)))


# --------------------------------------------------------------------------------------------
# the fixture
# --------------------------------------------------------------------------------------------

RAW_SEEDS = [0, 1, MAX_SEED]
RAW_COUNT = 16
UNIFORM_SEEDS = [0, 1, 42, MAX_SEED]
UNIFORM_COUNT = 16
NORMAL_RUNS = [(0, 16), (0, 15), (1, 16), (7, 5), (MAX_SEED, 16), (MAX_SEED, 1)]
SHUFFLE_SEEDS = [0, 1, 12345, MAX_SEED]
SHUFFLE_SIZES = [1, 2, 3, 5, 10, 33]


def build():
    check_published_vectors()
    streams = {"uniform": 0, "normal": NORMAL_SEED_XOR, "shuffle": SHUFFLE_SEED_XOR}
    raw = []
    for name, offset in streams.items():
        for seed in RAW_SEEDS:
            g = Xoshiro256StarStar.seeded(seed ^ offset)
            state = [str(v) for v in g.s]
            raw.append({"stream": name, "seed": seed, "state_seed": str(seed ^ offset), "state": state,
                        "u64": [str(g.next()) for _ in range(RAW_COUNT)]})
    uniforms = [{"seed": s, "count": UNIFORM_COUNT, "values": uniform(s, UNIFORM_COUNT)} for s in UNIFORM_SEEDS]
    normals = []
    worst_libm = 0
    for seed, count in NORMAL_RUNS:
        values = normal(seed, count)
        worst_libm = max(worst_libm, max(ulps_apart(a, b) for a, b in zip(values, normal_libm(seed, count))))
        normals.append({"seed": seed, "count": count, "values": values})
    shuffles = [{"seed": s, "n": n, "perm": shuffle_permutation(s, n)} for s in SHUFFLE_SEEDS for n in SHUFFLE_SIZES]
    doc = {
        "generator": "scripts/reference/rng.py",
        "references": {
            "xoshiro256**": "Blackman & Vigna, Scrambled linear pseudorandom number generators, ACM TOMS 47(4) 2021; xoshiro256starstar.c",
            "splitmix64": "Steele, Lea & Flood, Fast splittable pseudorandom number generators, OOPSLA 2014; splitmix64.c",
            "box_muller": "Box & Muller, Ann. Math. Statist. 29(2), 1958",
            "fisher_yates": "Knuth, TAOCP vol. 2, sec. 3.4.2, Algorithm P",
        },
        "conventions": {
            "seed": "integer in [0, 2^53), passed to fillUniform / fillNormal / shuffleEntries as a double",
            "raw": "xoshiro256** seeded by splitmix64 from state_seed = seed ^ the stream's offset "
                   "(uniform 0, normal 0x9E6C63D0676A9A99, shuffle 0xD1B54A32D192ED03): the state "
                   "s0..s3 after seeding and the first u64 outputs, as decimal strings",
            "uniform": "fillUniform(out, count, seed): (x >> 11) * 2^-53 per output; compare exactly",
            "normal": "fillNormal(out, count, seed): Box-Muller on pairs (u1 = 1 - uniform, u2 = uniform), "
                      "cos then sin; an odd count ends with a cosine. log/cos/sin correctly rounded here; "
                      "compare within tolerance_ulps",
            "shuffle": "shuffleEntries on n entries: perm[t] is the original index of the entry at position t "
                       "after the shuffle (row, col and value permuted in step); compare exactly",
        },
        "tolerance_ulps": NORMAL_TOLERANCE_ULPS,
        "raw": raw,
        "uniform": uniforms,
        "normal": normals,
        "shuffle": shuffles,
    }
    return doc, worst_libm


def write(path, doc):
    """Readable JSON: one record per line."""
    parts = ["{"]
    keys = list(doc)
    for i, key in enumerate(keys):
        value = doc[key]
        comma = "," if i < len(keys) - 1 else ""
        if isinstance(value, list):
            rows = ",\n".join("    " + json.dumps(r, allow_nan=False, separators=(", ", ": ")) for r in value)
            parts.append('  %s: [\n%s\n  ]%s' % (json.dumps(key), rows, comma))
        else:
            parts.append("  %s: %s%s" % (json.dumps(key), json.dumps(value, separators=(", ", ": ")), comma))
    parts.append("}")
    text = "\n".join(parts) + "\n"
    assert json.loads(text) == doc
    with open(path, "w") as f:
        f.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=FIXTURES, help="output directory (default: test/fixtures)")
    args = parser.parse_args()
    doc, worst_libm = build()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "rng-vectors.json")
    write(path, doc)
    print("published splitmix64 and xoshiro256** vectors reproduced")
    print("this machine's libm normals are within %.3g ulp of the correctly rounded ones" % worst_libm)
    print("wrote", path)


if __name__ == "__main__":
    main()
