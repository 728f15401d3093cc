"""Core speed and memory, measured side by side in one run against the article's program restated in the project's
own words (tests/core/reference.py's ArticlesProgram: the article's floating-point operations in the article's order,
in a class whose loop calls a forward and a backward pass and appends each epoch's error to a list, as the article's
does; it gives the article's numbers bit for bit).

    .venv/bin/python benchmarks/bench_core.py [--against TREE ...] [--link-epochs N]

TREE: another commit (checked out in a temporary git worktree) or the directory of another checkout; its nn_core is
timed beside this one's, figure by figure. Reported, for each tree:
- one network, the article's 25,000 epochs: the time, and how many times faster than the article's loop;
- 500 networks × 2,000 epochs trained at once (a learning-rate sweep): network-epochs per second, and how many
  times the article's loop's epochs per second;
- the replay of the most expensive link the app accepts (benchmarks/expensive_link.py: 1,000 rows, one hidden unit
  with a bias, 500,000 epochs; ``--link-epochs`` replays a shorter stretch of the same run).
Then this tree's memory: what 1,000,000 epochs keep.

Each time is the best of several runs, the trees taking turns, and is given both as CPU time of this process
(``time.process_time``: what a shared machine's other work steals counts less) and as wall time. Only the ratios
of one run compare: the machines are shared and noisy. Not a test: nothing here asserts a time.
benchmarks/floors.py measures how far these two ratios could go at all: an epoch's numpy calls with nothing around
them, with BLAS products (as here) or with products in a fixed order of numpy's own multiplies and adds.
"""

import argparse
import importlib
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nn_core  # noqa: E402
from benchmarks.expensive_link import EPOCHS as LINK_EPOCHS  # noqa: E402
from benchmarks.expensive_link import expensive_link  # noqa: E402
from nn_core import PRESETS, NeuralNetwork, Settings, scenario  # noqa: E402
from tests.core.reference import ArticlesProgram  # noqa: E402  (the article's program, restated: the baseline)

ARTICLE = PRESETS["article"]
SWEEP_NETWORKS, SWEEP_EPOCHS = 500, 2_000


class Clock:
    """The best CPU and wall time of a piece of work, over the runs it is given."""

    def __init__(self):
        self.cpu = self.wall = float("inf")

    def time(self, work):
        cpu, wall = time.process_time(), time.perf_counter()
        result = work()
        self.cpu = min(self.cpu, time.process_time() - cpu)
        self.wall = min(self.wall, time.perf_counter() - wall)
        return result


def engine_of(tree: str | None):
    """(nn_core, nn_core.scenario) of another tree (a commit or a directory), imported beside this one's; this
    tree's own for None. Returns the temporary worktree to remove, if one was made."""
    if tree is None:
        return (nn_core, scenario), None
    made = None
    path = Path(tree)
    if not path.is_dir():
        made = Path(tempfile.mkdtemp(prefix="bench-core-")) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(made), tree], cwd=ROOT, check=True,
                       capture_output=True)
        path = made
    mine = {k: v for k, v in sys.modules.items() if k == "nn_core" or k.startswith("nn_core.")}
    for k in mine:
        del sys.modules[k]
    sys.path.insert(0, str(path))
    try:
        return (importlib.import_module("nn_core"), importlib.import_module("nn_core.scenario")), made
    finally:
        sys.path.remove(str(path))
        for k in [k for k in sys.modules if k == "nn_core" or k.startswith("nn_core.")]:
            del sys.modules[k]
        sys.modules.update(mine)


def replay(engine, scenarios, link: str):
    """Open a share link as the app does (Scenario.network, written out: an older tree's imports its
    NeuralNetwork when called, which here would be this tree's)."""
    opened = scenarios.Scenario.from_link(link)
    net = engine.NeuralNetwork(opened.data, settings=opened.settings)
    net.replay(opened.run.epoch, opened.run.events)
    return net


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", metavar="TREE", action="append", default=[],
                        help="also time the nn_core of this commit or checkout directory, side by side (repeatable)")
    parser.add_argument("--link-epochs", type=int, default=LINK_EPOCHS, metavar="N",
                        help=f"epochs of the expensive link to replay (default {LINK_EPOCHS:,}; 0: skip it)")
    parser.add_argument("--repeats", type=int, default=7, help="runs of the single network per tree (best taken)")
    args = parser.parse_args()
    trees, made = {"nn_core (this tree)": engine_of(None)[0]}, []
    for tree in args.against:
        engine, worktree = engine_of(tree)
        trees[f"nn_core at {tree}"] = engine
        made += [worktree] if worktree else []
    try:
        measure(trees, args)
    finally:
        for worktree in made:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False,
                           capture_output=True)


def measure(trees: dict, args) -> None:
    x, y = np.array(ARTICLE.inputs, dtype=float), np.array(ARTICLE.outputs, dtype=float)

    # One network: the article's loop and each tree, taking turns, so that machine noise hits all alike.
    article = Clock()
    single = {name: Clock() for name in trees}
    for _ in range(args.repeats):
        article.time(lambda: ArticlesProgram(x, y).run(25000))
        for name, (engine, _) in trees.items():
            single[name].time(lambda engine=engine: engine.NeuralNetwork(x, y).train(25000))
    print(f"single network, 25,000 epochs, article loop: {article.cpu * 1e3:.1f} ms CPU "
          f"({article.wall * 1e3:.1f} ms wall)")
    for name, clock in single.items():
        print(f"single network, 25,000 epochs, {name}: {clock.cpu * 1e3:.1f} ms CPU ({clock.wall * 1e3:.1f} ms wall):"
              f" {article.cpu / clock.cpu:.2f}x the article's loop (wall: {article.wall / clock.wall:.2f}x)")
    weights, errors = ArticlesProgram(x, y).run(25000)
    ours = NeuralNetwork(x, y)
    ours.train(25000)
    identical = np.array_equal(weights, ours.weights) and np.array_equal(errors, ours.error_history)
    print(f"identical numbers (weights and error history, bit for bit): {identical}")

    # A sweep: network-epochs per second against the article loop's epochs per second.
    rates = np.linspace(0.01, 10, SWEEP_NETWORKS)
    sweeps = {name: Clock() for name in trees}
    finals = {}
    for _ in range(3):
        for name, (engine, _) in trees.items():
            data = engine.TrainingSet(x, y)
            settings = [engine.Settings(learning_rate=float(r)) for r in rates]
            result = sweeps[name].time(lambda engine=engine, data=data, settings=settings:
                                       engine.train_many(data, settings, SWEEP_EPOCHS))
            finals[name] = result.final_error
    work = SWEEP_NETWORKS * SWEEP_EPOCHS
    for name, clock in sweeps.items():
        print(f"batched, {SWEEP_NETWORKS:,} networks x {SWEEP_EPOCHS:,} epochs, {name}: {clock.cpu:.3f} s CPU "
              f"({clock.wall:.3f} s wall; {work / clock.cpu:,.0f} network-epochs/s): "
              f"{article.cpu / 25000 * work / clock.cpu:.0f}x the article's epochs/s "
              f"(wall: {article.wall / 25000 * work / clock.wall:.0f}x)")
    same = all(np.array_equal(f, finals["nn_core (this tree)"]) for f in finals.values())
    print(f"every tree's sweep ends at the same errors, bit for bit: {same}")

    if args.link_epochs:
        link = expensive_link(args.link_epochs)
        for name, (engine, scenarios) in trees.items():
            clock = Clock()
            net = clock.time(lambda engine=engine, scenarios=scenarios: replay(engine, scenarios, link))
            print(f"replay of the expensive link (1,000 rows, a hidden unit with a bias, {args.link_epochs:,} epochs),"
                  f" {name}: {clock.cpu:.1f} s CPU ({clock.wall:.1f} s wall); mean |error| {net.current_loss():.6f}")

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


if __name__ == "__main__":
    main()
