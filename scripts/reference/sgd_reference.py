#!/usr/bin/env python3
"""Reference SGD runs on the lab's matrix, from a plain-Python transcription of the update.

Usage (from the repository root; needs mpmath only, through rng.py):
  python3 scripts/reference/sgd_reference.py              writes test/fixtures/sgd-reference.json
  python3 scripts/reference/sgd_reference.py --out DIR    writes DIR/sgd-reference.json

What it computes. The SGD of COMP6248 lab 1 (Koren, Bell & Volinsky 2009, "Matrix
factorization techniques for recommender systems", sec. "Learning algorithms"; the lab's
listing visiting all m rows), as src/sgd.ts and assembly/sgd.ts document it:
  * start: U (m x k) then V (n x k), row-major, filled in one block by fillUniform(seed), i.e.
    xoshiro256** seeded by splitmix64 (transcribed in rng.py from the published code);
  * each epoch visits every entry in row-major order: e = A[r,c] - U[r].V[c];
    U[r] += lr*(e*V[c] - lambda*U[r]); V[c] += lr*(e*U[r] - lambda*V[c]) with the updated U[r]
    (lambda = 0: U[r] += (lr*e)*V[c], V[c] += (lr*e)*U[r], the lab's update bit for bit);
  * loss = sum over entries of (A[r,c] - U[r].V[c])^2.
Every operation is one IEEE double operation in the kernel's order (Python floats are IEEE
doubles and Python never fuses a multiply-add; neither does WebAssembly). The dot product
follows the kernel's lanes (assembly/vector.ts): the SIMD build sums even and odd terms in two
lanes (four lanes once k >= 8) and adds the lanes at the end; the scalar build sums in order.
For k <= 3 the two orders are the same sum, so one reference serves every build.

Divergence is defined as the kernel defines it (assembly/sgd.ts, run()): epoch e diverges
when the sum of squared errors met during epoch e is not finite, or, when the loss is tracked
(an onEpoch callback or tol > 0), when the loss after epoch e is not finite; at the end of a
batch of epochs a non-finite factor entry also diverges, at the batch's last epoch. src/sgd.ts
runs epochs in batches only with onEpoch (planned as in runSgd) and reports the epoch counted
from the start of the run; onEpoch sees the losses of the epochs before the divergence.

Checked before writing: the transcription reproduces the six fully specified runs of
seed-cases.json (made independently with numpy by generate.py) to 1e-12.
"""

import argparse
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures"))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
import rng  # noqa: E402  (the independent xoshiro256** / splitmix64 transcription)

# src/sgd.ts: epochs between onEpoch calls (CALLBACK_CHUNK_WORK, MAX_CHUNK_EPOCHS).
CALLBACK_CHUNK_WORK = 200_000
MAX_CHUNK_EPOCHS = 4096
# Agreement demanded with generate.py's numpy runs (README of seed-cases: ~1e-12).
RUNS_TOLERANCE = 1e-12


class Diverged(Exception):
    def __init__(self, epoch):
        super().__init__("diverged at epoch %d" % epoch)
        self.epoch = epoch


def dot(x, y, simd):
    """x.y in the kernel's order (assembly/vector.ts `dot`)."""
    k = len(x)
    if not simd:
        s = 0.0
        for i in range(k):
            s += x[i] * y[i]
        return s
    i = 0
    a0, a1 = 0.0, 0.0
    if k >= 8:
        b0, b1 = 0.0, 0.0
        while i + 4 <= k:
            a0 += x[i] * y[i]
            a1 += x[i + 1] * y[i + 1]
            b0 += x[i + 2] * y[i + 2]
            b1 += x[i + 3] * y[i + 3]
            i += 4
        a0, a1 = a0 + b0, a1 + b1
    while i + 2 <= k:
        a0 += x[i] * y[i]
        a1 += x[i + 1] * y[i + 1]
        i += 2
    s = a0 + a1
    while i < k:
        s += x[i] * y[i]
        i += 1
    return s


def visit(a, u, v, lr, lam, simd):
    """One entry: the error before the update; u and v (lists) updated in place."""
    e = a - dot(u, v, simd)
    if lam == 0:
        g = lr * e
        for i in range(len(u)):
            un = u[i] + g * v[i]
            u[i] = un
            v[i] = v[i] + g * un
    else:
        for i in range(len(u)):
            ui, vi = u[i], v[i]
            un = ui + lr * (e * vi - lam * ui)
            u[i] = un
            v[i] = vi + lr * (e * un - lam * vi)
    return e


def loss(entries, U, V, simd):
    total = 0.0
    for r, c, a in entries:
        e = a - dot(U[r], V[c], simd)
        total += e * e
    return total


def kernel_run(entries, U, V, epochs, lr, lam, tracking, simd, history=None):
    """assembly/sgd.ts run(): returns the epochs run; raises Diverged with the epoch counted
    from the start of this call. With tracking, `history` (a list) receives the loss before
    the first epoch and after each finite one, as the kernel's history buffer does."""
    if tracking:
        history.append(loss(entries, U, V, simd))
    epoch = 0
    while epoch < epochs:
        epoch += 1
        sse = 0.0
        for r, c, a in entries:
            e = visit(a, U[r], V[c], lr, lam, simd)
            sse += e * e
        if not math.isfinite(sse):
            raise Diverged(epoch)
        if tracking:
            current = loss(entries, U, V, simd)
            if not math.isfinite(current):
                raise Diverged(epoch)
            history.append(current)
    if not all(math.isfinite(x) for row in U + V for x in row):
        raise Diverged(epoch)
    return epoch


def start(m, n, k, seed):
    """fillUniform(U then V, (m + n) * k doubles, seed), split into rows."""
    flat = rng.uniform(seed, (m + n) * k)
    U = [flat[r * k:(r + 1) * k] for r in range(m)]
    V = [flat[(m + c) * k:(m + c + 1) * k] for c in range(n)]
    return U, V


def sgd_factorise(A, m, n, k, seed, epochs=1000, lr=0.01, lam=0.0, on_epoch=False, simd=True, mask=None):
    """src/sgd.ts sgdFactorise (or sgdFactoriseMasked with a mask): returns a dict with the
    start, the factors, the loss and the losses onEpoch would see; on divergence, the epoch
    src/sgd.ts names in its error and the losses onEpoch saw before it."""
    entries = [(r, c, A[r * n + c]) for r in range(m) for c in range(n) if mask is None or mask[r * n + c]]
    U, V = start(m, n, k, seed)
    U0 = [x for row in U for x in row]
    V0 = [x for row in V for x in row]
    if on_epoch:
        chunk = max(1, min(MAX_CHUNK_EPOCHS, epochs, CALLBACK_CHUNK_WORK // (len(entries) * k)))
    else:
        chunk = epochs
    done = 0
    seen = []
    while done < epochs:
        batch = min(epochs - done, chunk)
        history = []
        try:
            ran = kernel_run(entries, U, V, batch, lr, lam, on_epoch, simd, history)
        except Diverged as d:
            # onEpoch is called for the epochs of the batch before the divergence, then it throws.
            seen.extend(history[1:d.epoch])
            return {"U0": U0, "V0": V0, "diverged_at": done + d.epoch, "losses_seen": seen}
        seen.extend(history[1:])
        done += ran
    final = seen[-1] if on_epoch else loss(entries, U, V, simd)
    return {"U0": U0, "V0": V0, "U": [x for row in U for x in row], "V": [x for row in V for x in row],
            "loss": final, "losses_seen": seen, "diverged_at": None}


def last_finite(A, m, n, k, seed, diverged_at, **kw):
    """The state error.lastFinite carries: the same run stopped after the last epoch before
    diverged_at whose loss is finite (the epoch before the divergence can end with finite
    factors whose loss overflows); chunking changes no arithmetic, so straight runs give it."""
    entries = [(r, c, A[r * n + c]) for r in range(m) for c in range(n)]
    for epoch in range(diverged_at - 1, -1, -1):
        if epoch == 0:
            U, V = start(m, n, k, seed)
            state = {"epoch": 0, "U": [x for row in U for x in row], "V": [x for row in V for x in row],
                     "loss": loss(entries, U, V, True)}
        else:
            run = both_builds(A, m, n, k, seed, **dict(kw, on_epoch=False, epochs=epoch))
            state = {"epoch": epoch, "U": run["U"], "V": run["V"], "loss": run["loss"]}
        if math.isfinite(state["loss"]):
            return state
    raise AssertionError("no finite state")


def auto_step(values, m, n):
    """lr "auto" as src/sgd.ts documents it: scale = 4^round(log2(rms) / 2), exact; the step
    min(0.01, 2mn / (nnz (m + n))) in the scaled units."""
    rms = math.sqrt(sum(x * x for x in values) / len(values))
    exponent = max(-500, min(500, round(math.log2(rms) / 2))) if rms > 0 else 0
    return 4.0 ** exponent, min(0.01, 2.0 * m * n / (len(values) * (m + n)))


def auto_run(A, m, n, k, seed, epochs):
    """sgdFactorise(A, k, { seed, epochs, lr: "auto" }): the lab's SGD on A / scale with the auto
    step, the factors times sqrt(scale) and the loss times scale^2 (all exact scalings)."""
    scale, lr = auto_step(A, m, n)
    scaled = [x / scale for x in A]
    run = both_builds(scaled, m, n, k, seed, epochs=epochs, lr=lr)
    root = math.sqrt(scale)
    return {"scale": scale, "lr_scaled": lr, "lr": lr / scale, "U": [x * root for x in run["U"]],
            "V": [x * root for x in run["V"]], "loss": run["loss"] * scale * scale}


def check_against_numpy_runs(seed_cases):
    """The six runs of seed-cases.json (numpy, generate.py) from their given U0, V0."""
    A, m, n = seed_cases["A"], seed_cases["m"], seed_cases["n"]
    worst = 0.0
    for run in seed_cases["runs"]:
        mask = run["mask"]
        entries = [(r, c, A[r * n + c]) for r in range(m) for c in range(n) if mask is None or mask[r * n + c]]
        k = len(run["U0"]) // m
        U = [run["U0"][r * k:(r + 1) * k] for r in range(m)]
        V = [run["V0"][c * k:(c + 1) * k] for c in range(n)]
        kernel_run(entries, U, V, 1000, 0.01, 0.0, False, True)
        full = [(r, c, A[r * n + c]) for r in range(m) for c in range(n)]
        got = [x for row in U + V for x in row]
        want = run["U"] + run["V"]
        dev = max(abs(p - q) for p, q in zip(got, want))
        dev = max(dev, abs(loss(full, U, V, True) - run["loss_full"]), abs(loss(entries, U, V, True) - run["loss_observed"]))
        assert dev <= RUNS_TOLERANCE, (run["init_index"], run["variant"], dev)
        worst = max(worst, dev)
    return len(seed_cases["runs"]), worst


def both_builds(A, m, n, k, seed, **kw):
    """The run for the SIMD dot order; asserts the scalar order gives the same bits."""
    simd = sgd_factorise(A, m, n, k, seed, simd=True, **kw)
    scalar = sgd_factorise(A, m, n, k, seed, simd=False, **kw)
    assert simd == scalar, "dot orders differ for this rank: record both builds"
    return simd


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=FIXTURES, help="output directory (default: test/fixtures)")
    args = parser.parse_args()
    with open(os.path.join(FIXTURES, "seed-cases.json")) as f:
        seed_cases = json.load(f)
    count, worst = check_against_numpy_runs(seed_cases)
    print("reproduces the %d numpy runs of seed-cases.json to %.3g" % (count, worst))
    A, m, n = seed_cases["A"], seed_cases["m"], seed_cases["n"]

    lab = both_builds(A, m, n, 2, 1)
    assert lab["diverged_at"] is None
    # test/sgd-options.test.ts, onEpoch: sgdFactorise(A, 2, { seed: 1, lr: 0.3, epochs: 100, onEpoch })
    tracked = both_builds(A, m, n, 2, 1, epochs=100, lr=0.3, on_epoch=True)
    # test/sgd-options.test.ts, divergence: sgdFactorise(A, 2, { seed: 1, lr: 1 }) (no loss tracking)
    untracked = both_builds(A, m, n, 2, 1, lr=1.0)
    assert tracked["diverged_at"] is not None and untracked["diverged_at"] is not None
    tracked_last = last_finite(A, m, n, 2, 1, tracked["diverged_at"], lr=0.3)
    untracked_last = last_finite(A, m, n, 2, 1, untracked["diverged_at"], lr=1.0)
    # lr "auto" on 0-255 pixels (8x6, the scale binds) and on 1-5 ratings (150x120, the step
    # rule binds: 2mn / (nnz (m + n)) < 0.01); both A's are integer formulas, no randomness.
    pixels = [float((37 * r * r + 91 * c + 13 * r * c) % 256) for r in range(8) for c in range(6)]
    ratings = [float(1 + (r * 7 + c * 3 + (r * c) % 5) % 5) for r in range(150) for c in range(120)]
    auto_pixels = auto_run(pixels, 8, 6, 2, 3, 1000)
    auto_ratings = auto_run(ratings, 150, 120, 3, 4, 3)

    doc = {
        "generator": "scripts/reference/sgd_reference.py",
        "description": "Plain-Python transcription of the lab's SGD as src/sgd.ts and assembly/sgd.ts "
                       "document it (start from fillUniform(seed): U then V, row-major; row-major visits; "
                       "V update with the updated U row); the same bits for the SIMD and scalar dot orders "
                       "at rank 2. A is seed-cases.json's A.",
        "A": A, "m": m, "n": n,
        "lab_run": {
            "call": "sgdFactorise(A, 2, { seed: 1 })",
            "rank": 2, "seed": 1, "epochs": 1000, "lr": 0.01,
            "U0": lab["U0"], "V0": lab["V0"], "U": lab["U"], "V": lab["V"], "loss": lab["loss"],
        },
        "divergence": [
            {
                "call": "sgdFactorise(A, 2, { seed: 1, lr: 0.3, epochs: 100, onEpoch })",
                "rank": 2, "seed": 1, "epochs": 100, "lr": 0.3, "loss_tracked": True,
                "diverged_at": tracked["diverged_at"], "losses_seen": tracked["losses_seen"],
                "last_finite": tracked_last,
            },
            {
                "call": "sgdFactorise(A, 2, { seed: 1, lr: 1 })",
                "rank": 2, "seed": 1, "epochs": 1000, "lr": 1.0, "loss_tracked": False,
                "diverged_at": untracked["diverged_at"],
                "last_finite": untracked_last,
            },
        ],
        "auto": [
            dict({"call": "sgdFactorise(pixels 8x6, 2, { seed: 3, lr: 'auto' })", "m": 8, "n": 6, "rank": 2, "seed": 3,
                  "epochs": 1000, "A": pixels}, **auto_pixels),
            dict({"call": "sgdFactorise(ratings 150x120, 3, { seed: 4, epochs: 3, lr: 'auto' })", "m": 150, "n": 120,
                  "rank": 3, "seed": 4, "epochs": 3, "A_formula": "1 + (7r + 3c + (r*c) % 5) % 5"}, **auto_ratings),
        ],
    }
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "sgd-reference.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, allow_nan=False)
        f.write("\n")
    print("lab run (seed 1): loss %r" % lab["loss"])
    print("lr 0.3 with onEpoch diverges at epoch %d; lr 1 without at epoch %d"
          % (tracked["diverged_at"], untracked["diverged_at"]))
    print("wrote", path)


if __name__ == "__main__":
    main()
