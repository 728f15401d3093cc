"""What learning by doing (issue 13) costs the server: the diagnosis on every page run, the update and each row's
share computed per frame while playing, the race, the error surface, and the figures' size on the wire.

    .venv/bin/python benchmarks/bench_learn_by_doing.py

Each timing is the best of several repeats (the machines are shared and noisy). Not a test: nothing asserts a time.
"""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nn_core import PRESETS, NeuralNetwork, Settings, TrainingSet
from nn_core.analysis import diagnose
from nn_core.updates import update_from
from playground.learn import hand as hand_set
from playground.live.component import figure_json
from playground.views.plot import Frames
from playground.views.training_charts import own_rows, shares_figure

ARTICLE = PRESETS["article"]
BIG = TrainingSet.from_rows([[i % 7, (i * 3) % 5, i % 2, i % 2] for i in range(1000)])  # the row limit


def best(fn, repeats=5) -> float:
    """Best wall time of ``repeats`` calls, in ms."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    article = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    big = NeuralNetwork(BIG)
    hidden = NeuralNetwork(BIG, settings=Settings(hidden=(16,), bias=True, init="random", seed=1))
    frames = 72  # two chunks of live play at 30 frames per second: what the shares view computes per redraw
    print("what                                              article (6 rows)   1,000 rows   1,000 rows, 16 hidden")
    for label, fn in (
        ("diagnose (every Playground page run)", lambda n: diagnose(n)),
        ("update and each row's share, one state", lambda n: update_from(n, n.params, shares=True)),
        (f"update and 11 rows' shares, {frames} frames", lambda n: update_from(
            n, np.repeat(n.params[None], frames, axis=0), shares=True, rows=own_rows(len(n.inputs)))),
    ):
        print(f"{label:50s}" + "".join(f"{best(lambda n=n, fn=fn: fn(n)):14.2f} ms" for n in (article, big, hidden)))
    hand = np.array([1.0, -1.0, 0.5])
    print(f"{'error surface, 41 × 41 points':50s}" + "".join(
        f"{best(lambda n=n: hand_set.surface(n, hand, 0, 1, [hand[:2]])):14.2f} ms" for n in (article, big)))
    print(f"{'race: backprop from the start, 25,000 epochs':50s}" + "".join(
        f"{best(lambda n=n: hand_set.race(n, tuple(hand)), repeats=2):14.0f} ms" for n in (article, big)))

    result = hand_set.race(article, tuple(hand))
    kept = result.path.nbytes + result.errors.nbytes
    print(f"\na race keeps {kept / 1024:.0f} KB per session (a thinned path and the error of every epoch)")

    names = ["w₁", "w₂", "w₃"]
    per_frame = update_from(article, np.repeat(article.params[None], frames, axis=0), shares=True)
    labels = [f"row {r + 1}" for r in range(6)]
    still = shares_figure(names, per_frame.shares[0], labels, y_title="share", total_label="sum")
    live = shares_figure(names, per_frame.shares[0], labels, y_title="share", total_label="sum",
                         frames=Frames(np.arange(frames), list(per_frame.shares), list(per_frame.downhill)))
    print(f"the shares view's figure: {len(figure_json(still)):,} bytes; while playing, with {frames} frames: "
          f"{len(figure_json(live)):,} bytes (sent about every 0.6 s)")


if __name__ == "__main__":
    main()
