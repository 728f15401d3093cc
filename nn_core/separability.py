"""Can one layer (a single hyperplane) separate the data at all? Decided exactly, before training.

The rows with target ≥ 0.5 are the positives. A single sigmoid unit can classify every row correctly iff
there are weights w (and a bias b, if the network has one) with w·x + b > 0 on every positive and < 0 on every
negative. Flipping the negatives' sign makes this "p·v > 0 for every point p", and by Gordan's theorem that
fails exactly when 0 lies in the convex hull of the points. So the test is the minimum-norm point of a convex
hull (Wolfe's algorithm), and the answer is then *proved* in exact rational arithmetic: either the
witness v separates every row, or a few rows are shown to mix to exactly 0.

Without a bias an all-zero row can never be classified (w·0 = 0, so ŷ = σ(0) = 0.5 whatever w is): such
rows are reported apart as ``stuck_rows`` and the question is asked of the others — that is the article's
matrix, whose [0, 0, 0] row is the reason its error never falls below 0.5/6 ≈ 0.0833.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np


@dataclass(frozen=True)
class Separability:
    separable: bool
    bias: bool
    witness: tuple[float, ...] | None  # weights (then bias) that separate, when separable
    stuck_rows: tuple[int, ...]  # 0-based rows that are all zero (only without a bias)
    mixed_rows: tuple[int, ...]  # when not separable: rows whose blend proves it (0-based)


def linear_separability(inputs, outputs, bias: bool) -> Separability:
    x = np.asarray(inputs, dtype=float)
    y = np.asarray(outputs, dtype=float).reshape(len(x), -1)[:, 0]
    sign = np.where(y >= 0.5, 1.0, -1.0)
    stuck: tuple[int, ...] = ()
    rows = np.arange(len(x))
    if bias:
        x = np.hstack([x, np.ones((len(x), 1))])
    else:
        zero = ~x.any(axis=1)
        stuck = tuple(int(i) for i in rows[zero])
        x, sign, rows = x[~zero], sign[~zero], rows[~zero]
    if len(x) == 0:
        return Separability(True, bias, (0.0,) * (x.shape[1]), stuck, ())
    points = x * sign[:, None]
    # Rows that are the same point say the same thing: deduplicate before the search.
    unique, first = np.unique(points, axis=0, return_index=True)
    v, corral = _min_norm_point(unique)
    if _separates_exactly(points, v):
        return Separability(True, bias, tuple(float(c) for c in v), stuck, ())
    chosen = [int(rows[first[i]]) for i in corral]
    if _mixes_to_zero_exactly(unique[corral]):
        return Separability(False, bias, None, stuck, tuple(sorted(chosen)))
    # Floating point left the answer unproved (not seen at these sizes); fall back to the float verdict.
    return Separability(bool(np.linalg.norm(v) > 1e-9), bias, None, stuck, tuple(sorted(chosen)))


def _min_norm_point(points: np.ndarray, max_iter: int = 1000) -> tuple[np.ndarray, list[int]]:
    """Wolfe's algorithm: the point of conv(points) nearest the origin, and the few points it blends."""
    norms = np.einsum("ij,ij->i", points, points)
    corral = [int(np.argmin(norms))]
    weights = np.array([1.0])
    x = points[corral[0]].copy()
    tol = 1e-12 * max(1.0, float(norms.max()))
    for _ in range(max_iter):
        j = int(np.argmin(points @ x))
        if x @ x - points[j] @ x <= tol or j in corral:
            break
        corral.append(j)
        weights = np.append(weights, 0.0)
        while True:  # the minor cycle: move to the affine minimiser, dropping points that leave the hull
            p = points[corral]
            alpha = _affine_min(p)
            if (alpha > tol).all():
                weights = alpha
                break
            mask = alpha <= tol
            theta = min(1.0, float(np.min(weights[mask] / (weights[mask] - alpha[mask]))))
            weights = theta * alpha + (1 - theta) * weights
            keep = weights > tol
            corral = [c for c, k in zip(corral, keep) if k]
            weights = weights[keep] / weights[keep].sum()
        x = weights @ points[corral]
    return x, corral


def _affine_min(p: np.ndarray) -> np.ndarray:
    """Coefficients (summing to 1) of the point of the affine hull of p's rows nearest the origin."""
    k = len(p)
    m = np.zeros((k + 1, k + 1))
    m[:k, :k] = p @ p.T
    m[:k, k] = m[k, :k] = 1.0
    rhs = np.zeros(k + 1)
    rhs[k] = 1.0
    sol = np.linalg.lstsq(m, rhs, rcond=None)[0]
    return sol[:k]


def _separates_exactly(points: np.ndarray, v: np.ndarray) -> bool:
    if not np.all(np.isfinite(v)) or not np.any(v):
        return False
    fv = [Fraction(float(c)) for c in v]
    return all(sum(Fraction(float(a)) * b for a, b in zip(p, fv)) > 0 for p in points)


def _mixes_to_zero_exactly(p: np.ndarray) -> bool:
    """Is 0 a convex combination of the rows of p? Solved exactly over the rationals (p has ≤ d + 1 rows)."""
    k, d = p.shape
    # Unknowns λ₁..λ_k: Σ λᵢ pᵢ = 0 (d equations) and Σ λᵢ = 1. Solve by exact Gaussian elimination.
    rows = [[Fraction(float(p[i, j])) for i in range(k)] + [Fraction(0)] for j in range(d)]
    rows.append([Fraction(1)] * k + [Fraction(1)])
    solution = _solve_exact(rows, k)
    if solution is None:
        return False
    return all(v >= 0 for v in solution)


def _solve_exact(rows: list[list[Fraction]], n: int) -> list[Fraction] | None:
    """One solution of the linear system (free variables set to 0), or None if inconsistent."""
    rows = [r[:] for r in rows]
    pivots, r = [], 0
    for c in range(n):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [v / rows[r][c] for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        pivots.append(c)
        r += 1
    if any(all(v == 0 for v in row[:n]) and row[n] != 0 for row in rows):
        return None
    solution = [Fraction(0)] * n
    for i, c in enumerate(pivots):
        solution[c] = rows[i][n]
    return solution
