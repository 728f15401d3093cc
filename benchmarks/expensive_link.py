"""The most expensive share link the app accepts: 1,000 rows, one hidden unit with a bias, 500,000 epochs (the
replay limit, scenario.MAX_REPLAY_WORK). benchmarks/load.py opens it in a class at play, bench_core.py times its
replay by the engine alone."""

import base64
import json
import zlib

import numpy as np

EPOCHS = 500_000


def expensive_link(epochs: int = EPOCHS) -> str:
    """The link, run to ``epochs`` (written without the settings an older commit does not know, at their
    defaults)."""
    rng = np.random.default_rng(26)
    rows = [[*map(float, rng.integers(0, 2, 3)), float(rng.integers(0, 2))] for _ in range(1000)]
    d = {"version": 1, "rows": rows, "preset": None, "learning_rate": 1.0, "bias": True, "hidden": [1],
         "activation": "sigmoid", "init": "random", "seed": 7, "batch": "full", "target_epochs": epochs,
         "loss": "mae", "ui": {}, "run": {"epoch": epochs, "events": []}}
    text = json.dumps(d, separators=(",", ":"), sort_keys=True)
    return "1." + base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).decode().rstrip("=")
