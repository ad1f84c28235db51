#!/usr/bin/env python3
"""References for lowrank's sparse truncated SVD and PCA: test/fixtures/sparse-pca.json.

Usage (from the repository root; numpy and scipy):
  python3 scripts/reference/sparse_pca.py            writes test/fixtures/sparse-pca.json
  python3 scripts/reference/sparse_pca.py --out DIR  writes DIR/sparse-pca.json instead

Every matrix comes from numpy.random.default_rng with the seed written beside it; running the
script twice on the same numpy/scipy build gives the same JSON (a different LAPACK/ARPACK build
moves the references in the last bits only: every test tolerance is far above that).

Cases
  sparse_svd   a 300x200 sparse matrix (5 % non-zero) with rows and columns scaled by 0.96^i
               and 0.96^j, so its top 4 singular values are separated by 8 % or more, given as a coordinate list in shuffled order with duplicates:
               40 entries split into two parts listed separately, and one coordinate listed
               as +x and -x (an explicit zero once summed). The oracle sums duplicates as
               scipy's coo_matrix.tocsr() does and takes the top 4 singular triplets from
               scipy.sparse.linalg.svds (ARPACK, tol=0), checked against numpy.linalg.svd of
               the dense matrix (LAPACK dgesdd).
  pca_dense    an 80x12 dense matrix with column means and scales of different sizes and one
               constant column: PCA by numpy's SVD of the centred matrix (what scikit-learn's
               PCA computes), plain and with every column scaled to unit sample variance.
  pca_lowrank  a 200x30 matrix of rank 5 plus column means: centred rank 5, top 5 components.
  pca_sparse   a 240x40 sparse matrix of exactly rank 4 (each row a multiple of one of 4 sparse
               prototype rows; 30 % of the entries non-zero), coordinates with duplicates:
               centred rank 4 (the mean is in the prototypes' span), top 4 components, plain and scaled.

PCA conventions (scikit-learn's PCA, written out here with numpy, since sklearn is not needed):
  mean = X.mean(axis=0); Xc = X - mean; with scale, Xc /= std(ddof=1) (1 for a constant
  column, as StandardScaler.scale_); U, S, Vt = numpy.linalg.svd(Xc, full_matrices=False);
  signs by svd_flip(u_based_decision=False) (scikit-learn >= 1.5): each row of Vt is negated,
  with the matching column of U, when its entry of largest |value| (the first such) is negative;
  components = Vt[:k].T; scores = U[:, :k] * S[:k]; explained_variance = S^2 / (m - 1);
  explained_variance_ratio = explained_variance / (sum of the n column variances of Xc, ddof=1).

JSON: matrices as row-major flat lists (repr floats), coordinates as int lists, shapes beside.
"""

import argparse
import json
import os

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import svds

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures"))


def flat(M):
    return [float(x) for x in np.asarray(M, dtype=np.float64).ravel(order="C")]


def coordinates_with_duplicates(A, rng, split=40):
    """A (scipy sparse) as a shuffled coordinate list; `split` entries listed as two parts, and one
    new coordinate listed as +x and -x. Summing duplicates gives A back (to rounding of the split)."""
    coo = A.tocoo()
    row, col, val = list(coo.row), list(coo.col), list(coo.data)
    for t in rng.choice(len(val), size=split, replace=False):
        part = float(val[t]) * float(rng.uniform(0.2, 0.8))
        rest = float(val[t]) - part
        val[t] = part
        row.append(row[t])
        col.append(col[t])
        val.append(rest)
    occupied = set(zip(coo.row.tolist(), coo.col.tolist()))
    free = next((i, j) for i in range(A.shape[0]) for j in range(A.shape[1]) if (i, j) not in occupied)
    row += [free[0], free[0]]
    col += [free[1], free[1]]
    val += [1.5, -1.5]
    order = rng.permutation(len(val))
    row = [int(row[t]) for t in order]
    col = [int(col[t]) for t in order]
    val = [float(val[t]) for t in order]
    summed = sp.coo_matrix((val, (row, col)), shape=A.shape).tocsr()  # scipy sums duplicates
    return {"rows": A.shape[0], "cols": A.shape[1], "row": row, "col": col, "value": val}, summed


def svd_flip_v(U, Vt):
    """scikit-learn's svd_flip(u_based_decision=False): largest |entry| of each row of Vt positive."""
    idx = np.argmax(np.abs(Vt), axis=1)
    signs = np.sign(Vt[np.arange(Vt.shape[0]), idx])
    signs[signs == 0] = 1.0
    return U * signs, Vt * signs[:, None]


def pca_reference(X, k, scale):
    m = X.shape[0]
    mean = X.mean(axis=0)
    Xc = X - mean
    divisor = np.ones(X.shape[1])
    if scale:
        std = Xc.std(axis=0, ddof=1)
        divisor = np.where(std > 0, std, 1.0)
        Xc = Xc / divisor
    U, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    U, Vt = svd_flip_v(U, Vt)
    total = float(Xc.var(axis=0, ddof=1).sum())
    ev = S**2 / (m - 1)
    return {
        "scale": scale,
        "k": k,
        "mean": flat(mean),
        "std": flat(divisor),
        "components": flat(Vt[:k].T),
        "scores": flat(U[:, :k] * S[:k]),
        "singular_values": flat(S[:k]),
        "explained_variance": flat(ev[:k]),
        "explained_variance_ratio": flat(ev[:k] / total),
        "total_variance": total,
        "all_singular_values": flat(S),
    }


def sparse_svd_case():
    rng = np.random.default_rng(15001)
    m, n, k = 300, 200, 4
    R = sp.random(m, n, density=0.05, random_state=rng, data_rvs=rng.standard_normal, format="csr")
    A = sp.diags(0.96 ** np.arange(m)) @ R @ sp.diags(0.96 ** np.arange(n))
    entries, summed = coordinates_with_duplicates(A.tocsr(), rng)
    dense = summed.toarray()
    u, s, vt = svds(summed, k=k, tol=0, random_state=np.random.default_rng(1))
    order = np.argsort(s)[::-1]
    u, s, vt = u[:, order], s[order], vt[order]
    S_all = np.linalg.svd(dense, compute_uv=False)
    gap = np.max(np.abs(S_all[:k] - s)) / S_all[0]
    assert gap < 1e-12, f"svds and dgesdd disagree by {gap}"
    # Singular vectors are defined up to sign: make each U column's largest |entry| positive.
    signs = np.sign(u[np.argmax(np.abs(u), axis=0), np.arange(k)])
    u, vt = u * signs, vt * signs[:, None]
    return {
        "notes": "top-4 triplets by scipy.sparse.linalg.svds (ARPACK, tol=0) of the coordinate list with duplicates summed (coo_matrix.tocsr); S_all by numpy.linalg.svd of the dense matrix; U columns signed so their largest |entry| is positive",
        "seed": 15001,
        "entries": entries,
        "nnz_summed": int(summed.nnz),
        "k": k,
        "S": flat(s),
        "U": flat(u),
        "V": flat(vt.T),
        "S_all": flat(S_all),
    }


def pca_dense_case():
    rng = np.random.default_rng(15002)
    m, n = 80, 12
    X = rng.standard_normal((m, n)) @ rng.standard_normal((n, n))
    X = X * (10.0 ** rng.uniform(-2, 2, n)) + rng.uniform(-50, 50, n)
    X[:, 7] = 3.25  # a constant column: variance 0, scale 1
    return {
        "notes": "numpy PCA of the centred matrix (scikit-learn's conventions, see the script's docstring)",
        "seed": 15002, "m": m, "n": n, "X": flat(X),
        "plain": pca_reference(X, n, False),
        "scaled": pca_reference(X, n, True),
    }


def pca_lowrank_case():
    rng = np.random.default_rng(15003)
    m, n, r = 200, 30, 5
    X = (rng.standard_normal((m, r)) * [40, 20, 9, 4, 2]) @ rng.standard_normal((r, n)) + rng.uniform(-5, 5, n)
    return {
        "notes": "rank-5 data plus column means; numpy PCA of the centred matrix, top 5",
        "seed": 15003, "m": m, "n": n, "X": flat(X), "plain": pca_reference(X, r, False),
    }


def pca_sparse_case():
    rng = np.random.default_rng(15004)
    m, n, r = 240, 40, 4
    prototypes = sp.random(r, n, density=0.3, random_state=rng, data_rvs=rng.standard_normal).toarray()
    weights = rng.uniform(0.5, 2.0, m)
    B = np.zeros((m, r))
    B[np.arange(m), np.arange(m) % r] = weights
    X = sp.csr_matrix(B @ prototypes)
    entries, summed = coordinates_with_duplicates(X, rng, split=60)
    # The +x/-x pair sums to an explicit zero: the matrix is still X, of rank 4.
    dense = summed.toarray()
    k = r  # X's rows span the 4 prototypes and so does the mean: the centred rank is 4
    return {
        "notes": "sparse X of rank 4 as a coordinate list with duplicates; numpy PCA of the dense, centred matrix, top 4 (centred rank 4)",
        "seed": 15004, "m": m, "n": n, "entries": entries,
        "plain": pca_reference(dense, k, False),
        "scaled": pca_reference(dense, k, True),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=FIXTURES)
    args = parser.parse_args()
    doc = {
        "meta": {
            "generator": "scripts/reference/sparse_pca.py",
            "oracle": f"numpy {np.__version__} (LAPACK dgesdd), scipy {scipy.__version__} (ARPACK svds)",
        },
        "sparse_svd": sparse_svd_case(),
        "pca_dense": pca_dense_case(),
        "pca_lowrank": pca_lowrank_case(),
        "pca_sparse": pca_sparse_case(),
    }
    path = os.path.join(args.out, "sparse-pca.json")
    with open(path, "w") as f:
        f.write(json.dumps(doc, allow_nan=False, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
