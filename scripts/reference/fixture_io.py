"""Shared by the mpmath reference scripts: exact rounding to doubles and the fixtures' layout.

to_double(x): the double nearest to an mpmath number (ties to even), subnormals and zero
included, through fractions.Fraction (whose float() is correctly rounded) rather than mpmath's
own float(). write_cases(path, head, cases): JSON with the `head` keys first and one case per
line, numbers as Python's repr (the shortest string that round-trips), checked by parsing back.
"""

import json
from fractions import Fraction

import mpmath


def to_double(x):
    """The double nearest to the mpf x (ties to even), subnormals and zero included."""
    sign, man, exp, _ = mpmath.mpf(x)._mpf_  # (man_exp would drop the sign)
    assert man or not exp, "finite values only"
    value = Fraction(int(man)) * (Fraction(2) ** int(exp))
    return float(-value if sign else value)  # Fraction -> float is correctly rounded, subnormals too


def write_cases(path, head, cases):
    """One case per line after the head's keys."""
    lines = ["{"]
    for key, value in head.items():
        lines.append("  %s: %s," % (json.dumps(key), json.dumps(value, ensure_ascii=False)))
    lines.append('  "cases": [')
    body = [json.dumps(c, allow_nan=False, separators=(", ", ": ")) for c in cases]
    lines.append(",\n".join("    " + b for b in body))
    lines.append("  ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)
    with open(path, "w") as f:
        f.write(text)
