"""Core speed and memory, measured side by side in one run against the article's program restated in the project's
own words (tests/core/reference.py's ArticlesProgram: the article's floating-point operations in the article's order,
in a class whose loop calls a forward and a backward pass and appends each epoch's error to a list, as the article's
does; it gives the article's numbers bit for bit).

    .venv/bin/python benchmarks/bench_core.py [--against REV]   # REV: another commit's nn_core, side by side

Reports ratios (the machines are shared and noisy: each timing is the best of several repeats, and the
article's loop is timed in the same run). Not a test: nothing here asserts a time.
"""

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nn_core import PRESETS, NeuralNetwork, Settings, TrainingSet, train_many  # noqa: E402
from tests.core.reference import ArticlesProgram  # noqa: E402  (the article's program, restated: the baseline)

ARTICLE = PRESETS["article"]


def best_of(repeats, fn):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def load_other(rev: str):
    """nn_core's NeuralNetwork as it was at commit ``rev`` (a temporary git worktree), importable beside this one."""
    import subprocess
    import tempfile

    tree = Path(tempfile.mkdtemp(prefix="bench-core-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT, check=True, capture_output=True)
    mine = {k: v for k, v in sys.modules.items() if k == "nn_core" or k.startswith("nn_core.")}
    for k in mine:
        del sys.modules[k]
    sys.path.insert(0, str(tree))
    try:
        import nn_core as other

        return other.NeuralNetwork, tree
    finally:
        sys.path.remove(str(tree))
        for k in [k for k in sys.modules if k == "nn_core" or k.startswith("nn_core.")]:
            del sys.modules[k]
        sys.modules.update(mine)


def main(repeats: int = 7) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", metavar="REV", help="also time nn_core at this commit, side by side")
    args = parser.parse_args()
    x, y = np.array(ARTICLE.inputs, dtype=float), np.array(ARTICLE.outputs, dtype=float)
    runs = {"article loop": lambda: ArticlesProgram(x, y).run(25000),
            "nn_core": lambda: NeuralNetwork(x, y).train(25000)}
    if args.against:
        Other, tree = load_other(args.against)
        runs[f"nn_core at {args.against}"] = lambda: Other(x, y).train(25000)
    # Interleave them so that machine noise hits all alike; each figure is the best of ``repeats``.
    best = {name: float("inf") for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            t = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - t)
    weights, errors = ArticlesProgram(x, y).run(25000)
    ours = NeuralNetwork(x, y)
    ours.train(25000)
    identical = np.array_equal(weights, ours.weights) and np.array_equal(errors, ours.error_history)
    ta = best["article loop"]
    for name, t in best.items():
        print(f"single network, 25,000 epochs, {name}: {t * 1e3:.1f} ms ({25000 / t:,.0f} epochs/s): "
              f"{ta / t:.2f}x the article's loop")
    print(f"identical numbers (weights and error history, bit for bit): {identical}")

    n_nets, epochs = 500, 2000
    data = TrainingSet(x, y)
    settings = [Settings(learning_rate=float(r)) for r in np.linspace(0.01, 10, n_nets)]
    times = []
    for _ in range(3):
        t = time.perf_counter()
        train_many(data, settings, epochs)
        times.append(time.perf_counter() - t)
    per_batch = min(times) / (n_nets * epochs)
    print(f"batched, {n_nets:,} networks x {epochs:,} epochs: {min(times):.2f} s ({1 / per_batch:,.0f} "
          f"network-epochs/s): {ta / 25000 / per_batch:.0f}x the article's epochs/s")

    tracemalloc.start()
    nn = NeuralNetwork(x, y)
    t1 = time.perf_counter()
    nn.train(1_000_000)
    t1 = time.perf_counter() - t1
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"1,000,000 epochs: {t1:.1f} s; history {nn.history.nbytes() / 2**20:.2f} MB; "
          f"memory held after {current / 2**20:.2f} MB, peak while training {peak / 2**20:.2f} MB")
    xor = PRESETS["xor"]
    hidden = NeuralNetwork(xor.inputs, xor.outputs, Settings(hidden=(16,), bias=True, init="random", seed=1))
    hidden.train(1_000_000)
    print(f"1,000,000 epochs, hidden layer of 16: history {hidden.history.nbytes() / 2**20:.2f} MB")
    if args.against:
        import subprocess

        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False,
                       capture_output=True)


if __name__ == "__main__":
    main()
