"""What a sweep that is its networks alone, bit for bit, can cost at least: the order in which np.dot sums (this
machine's BLAS), and what its per-network calls take.

    .venv/bin/python benchmarks/blas_order.py

A network alone takes its two products (X·w forward, Xᵀ·delta backward) from np.dot, as the article's loop does, so
its numbers are the BLAS library's: the order of its sums, and whether it fuses a multiply and an add (FMA), are the
kernel's own, chosen for this processor at run time. This prints, for random 6 × 3 tables:
- how often the plainest numpy sums (x₁w₁ + x₂w₂ + x₃w₃ left to right; the rows one after the other, or in pairs
  four at a time) give np.dot's bits, with any inputs and with inputs whose products are exact (0, ±1, 2, ½, as the
  article's and most tables' are, where no FMA can change a bit);
- the time of one network's np.dot, and of the products of 500 networks as np.matmul makes them (a BLAS call per
  network: what keeps each network of a sweep its own bits), per epoch, beside the article's loop's epoch: the
  products alone bound how many times the article's epochs per second a sweep of 500 can reach.
Not a test: nothing here asserts.
"""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.core.reference import ArticlesProgram

CASES, NETWORKS = 2000, 500


def rows_one_by_one(p):
    total = p[0].copy()
    for row in p[1:]:
        total = total + row
    return total


def rows_in_pairs(p):
    """((0 + (p₀ + p₁)) + (p₂ + p₃)) + … four rows at a time, then the rest one by one."""
    total, i = np.zeros(p.shape[1:]), 0
    while i + 4 <= len(p):
        total = total + (p[i] + p[i + 1])
        total = total + (p[i + 2] + p[i + 3])
        i += 4
    for row in p[i:]:
        total = total + row
    return total


def agreement(draw_inputs, rng) -> tuple[float, float, float]:
    forward = one_by_one = pairs = 0
    for _ in range(CASES):
        x, w, delta = draw_inputs(rng), rng.uniform(-3, 3, (3, 1)), rng.uniform(-1, 1, (6, 1))
        p = x * w[:, 0]
        forward += np.array_equal(np.dot(x, w)[:, 0], (p[:, 0] + p[:, 1]) + p[:, 2])
        downhill = np.dot(x.T, delta)[:, 0]
        one_by_one += np.array_equal(downhill, rows_one_by_one(x * delta))
        pairs += np.array_equal(downhill, rows_in_pairs(x * delta))
    return forward / CASES, one_by_one / CASES, pairs / CASES


def best_cpu(work, repeats=5, number=2000) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.process_time()
        for _ in range(number):
            work()
        best = min(best, (time.process_time() - t) / number)
    return best


def main() -> None:
    rng = np.random.default_rng(0)
    for name, draw in (("any inputs in [-2, 2]", lambda r: r.uniform(-2, 2, (6, 3))),
                       ("inputs 0, ±1, 2, ½", lambda r: r.choice([0.0, 1.0, -1.0, 2.0, 0.5], (6, 3)))):
        forward, one_by_one, pairs = agreement(draw, rng)
        print(f"{name}: np.dot's bits from numpy's sums, forward left to right {forward:.0%}; backward rows one by "
              f"one {one_by_one:.0%}, in pairs four at a time {pairs:.0%}")
    x, y = np.array(ArticlesProgram().x), np.array(ArticlesProgram().y)
    article = best_cpu(lambda: ArticlesProgram(x, y).run(100), number=20) / 100
    w, z, delta, g = np.full((3, 1), 0.5), np.empty((6, 1)), np.full((6, 1), 0.1), np.empty((3, 1))
    alone = best_cpu(lambda: (x.dot(w, z), x.T.dot(delta, g)), number=20000)
    ws, zs, deltas, gs = (np.full((NETWORKS, *a.shape), 0.5) for a in (w, z, delta, g))
    stacked = best_cpu(lambda: (np.matmul(x, ws, zs), np.matmul(x.mT, deltas, gs)), number=200)
    print(f"the article's loop: {article * 1e6:.2f} us an epoch (CPU)")
    print(f"one network's two products (np.dot): {alone * 1e6:.2f} us an epoch")
    print(f"{NETWORKS} networks' two products (np.matmul, a BLAS call each): {stacked * 1e6:.1f} us an epoch, "
          f"{stacked / NETWORKS * 1e9:.0f} ns a network: a sweep of {NETWORKS} cannot pass "
          f"{article * NETWORKS / stacked:.0f}x the article's epochs/s, before any other step of an epoch")


if __name__ == "__main__":
    main()
