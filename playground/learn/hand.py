"""You are the optimiser: the numbers behind the page where the learner sets the weights by hand. Pure functions of
the network (no Streamlit); the error, the update and the surface all come from nn_core, and the race is a network
trained like any other, of which only a thinned path is kept."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nn_core import NeuralNetwork

from ..views.plot import thin

RACE_EPOCHS = 25_000
PATH_POINTS = 400  # points of backprop's path kept for the chart
SURFACE_POINTS = 41  # grid points per axis of the error surface
MARGIN = 1.5  # how far the surface reaches beyond the points it shows


@dataclass(frozen=True)
class Race:
    """Backprop from the learner's starting point: its path (thinned) and its mean |error| after every epoch."""

    start: tuple[float, ...]
    learning_rate: float
    path: np.ndarray  # points × parameters (the start first, the end last)
    errors: np.ndarray  # errors[e]: mean |error| after e epochs (e = 0 … epochs)

    @property
    def epochs(self) -> int:
        return len(self.errors) - 1

    def caught_up(self, error: float) -> int | None:
        """The first epoch at which backprop's error is at most ``error``, or None if it never got there."""
        hit = np.flatnonzero(self.errors <= error)
        return int(hit[0]) if hit.size else None


def race(net: NeuralNetwork, start, epochs: int = RACE_EPOCHS) -> Race:
    """Backprop trained from ``start`` (every parameter), on the network's data at its current learning rate."""
    runner = NeuralNetwork(net.data, settings=replace(net.settings, init=tuple(float(v) for v in start),
                                                      learning_rate=net.learning_rate))
    runner.train(epochs)
    sample_epochs, params = runner.weight_samples()
    kept, _, _, _ = thin(sample_epochs, np.zeros(len(sample_epochs)), max_points=PATH_POINTS)
    path = np.vstack([params[np.searchsorted(sample_epochs, kept)], runner.params])
    errors = np.r_[runner.error_history, runner.current_loss()]  # exact per epoch (history keeps 32,768 epochs)
    return Race(tuple(start), net.learning_rate, path, errors)


@dataclass(frozen=True)
class Surface:
    grid_a: np.ndarray
    grid_b: np.ndarray
    error: np.ndarray  # len(grid_b) × len(grid_a)


def surface(net: NeuralNetwork, params, a: int, b: int, points) -> Surface:
    """The mean |error| over parameters a and b, the others held at ``params``, on a window around ``points``
    (rows of (a, b) values: the learner's point, their path, backprop's path)."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    low, high = points.min(axis=0), points.max(axis=0)
    pad = np.maximum(MARGIN, 0.1 * (high - low))
    grid_a = np.linspace(low[0] - pad[0], high[0] + pad[0], SURFACE_POINTS)
    grid_b = np.linspace(low[1] - pad[1], high[1] + pad[1], SURFACE_POINTS)
    aa, bb = np.meshgrid(grid_a, grid_b)
    stack = np.repeat(np.asarray(params, dtype=float)[None], aa.size, axis=0)  # one vector per grid point
    stack[:, a], stack[:, b] = aa.ravel(), bb.ravel()
    return Surface(grid_a, grid_b, net.losses_for(stack, "mae").reshape(aa.shape))


def arrow_scale(step, span) -> float:
    """How much to lengthen backprop's step so that its arrow can be seen: to a sixth of the window at least."""
    length = float(np.hypot(*step))
    if length == 0:
        return 1.0
    return float(max(1.0, min(1000.0, np.ceil(span / 6 / length))))
