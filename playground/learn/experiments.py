"""Computations behind the Experiments page: pure functions of a network, no Streamlit. Results keep only what
the page draws (thinned curves), so that a session's memory stays small whatever it runs."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nn_core import PRESETS, BatchResult, NeuralNetwork, Settings, TrainingSet, train_many

from ..views.plot import thin

SAVED_POINTS = 800  # a saved run keeps its loss curves thinned to this many points


def learning_rate_sweep(net: NeuralNetwork, low: float, high: float, count: int, epochs: int,
                        progress=None) -> BatchResult:
    """``count`` copies of the learner's network (its starting settings), learning rates spaced evenly in log
    scale from low to high."""
    rates = np.geomspace(low, high, count)
    return train_many(net.data, [replace(net.settings, learning_rate=float(r)) for r in rates], epochs,
                      progress=progress)


def best_run(result: BatchResult) -> int | None:
    """The network with the lowest final error among those whose final error is where every epoch left it: each one
    that trained them all, or stopped at a fixed point, where it would stay (None: every network stopped early, when
    its numbers stopped being finite or a weight passed the safety limit)."""
    early = result.stopped("diverged") | result.stopped("weight_limit")
    final = np.where(early, np.inf, result.final_error)
    return int(np.argmin(final)) if np.isfinite(final).any() else None


def initialisation_spread(net: NeuralNetwork, seeds: int, epochs: int, progress=None) -> BatchResult:
    """The learner's network from random starts with seeds 1 … ``seeds``."""
    return train_many(net.data, [replace(net.settings, init="random", seed=k) for k in range(1, seeds + 1)], epochs,
                      progress=progress)


@dataclass(frozen=True)
class Landscape:
    grid_a: np.ndarray
    grid_b: np.ndarray
    loss: np.ndarray  # len(grid_b) × len(grid_a)
    path: np.ndarray  # the training path in the two weights, one row per stored sample


def loss_landscape(net: NeuralNetwork, a: int, b: int, loss: str = "mae", resolution: int = 41,
                   margin: float = 2.0) -> Landscape:
    """The loss over parameters a and b (all others at their current values), around the path training took."""
    _, samples = net.weight_samples()
    path = samples[:, [a, b]]
    lo, hi = path.min(axis=0) - margin, path.max(axis=0) + margin
    grid_a, grid_b = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    aa, bb = np.meshgrid(grid_a, grid_b)
    params = np.repeat(net.params[None], aa.size, axis=0)  # one parameter vector per grid point
    params[:, a], params[:, b] = aa.ravel(), bb.ravel()
    values = net.losses_for(params, loss).reshape(aa.shape)
    step = max(1, len(path) // 400)
    return Landscape(grid_a, grid_b, values, np.vstack([path[::step], path[-1]]))


@dataclass(frozen=True)
class SavedRun:
    name: str
    epochs: np.ndarray
    losses: np.ndarray  # the losses of LOSS_NAMES per kept epoch


def saved_run(net: NeuralNetwork, name: str) -> SavedRun:
    h = net.history.losses
    e, v, _, _ = thin(h.epochs, h.values, max_points=SAVED_POINTS)
    return SavedRun(name, np.array(e), np.array(v))


@dataclass(frozen=True)
class XorRuns:
    epochs: dict  # "single"/"hidden" -> epochs of the thinned curve
    errors: dict  # "single"/"hidden" -> mean |error| there
    final: dict  # "single"/"hidden" -> mean |error| of the final weights
    predictions: dict  # "single"/"hidden" -> ŷ for the eight corners
    inputs: np.ndarray
    outputs: np.ndarray


XOR_SETTINGS = {"single": Settings(bias=True), "hidden": Settings(bias=True, hidden=(4,), init="random", seed=1)}


def xor_side_by_side(epochs: int) -> XorRuns:
    """The same XOR data and epochs: one layer (cannot) against one hidden layer of 4 (can)."""
    xor = TrainingSet(PRESETS["xor"].inputs, PRESETS["xor"].outputs)
    runs = {}
    for name, settings in XOR_SETTINGS.items():
        net = NeuralNetwork(xor, settings=settings)
        net.train(epochs)
        e, v, _, _ = thin(net.epoch_list, net.error_history, max_points=SAVED_POINTS)
        runs[name] = (np.array(e), np.array(v), net.current_loss(), net.predict(xor.inputs)[:, 0])
    return XorRuns(*({k: r[i] for k, r in runs.items()} for i in range(4)), xor.inputs, xor.outputs)

