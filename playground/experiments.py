"""Computations behind the Experiments page: pure functions of a network or scenario, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_core import LOSSES, PRESETS, NeuralNetwork, train_many
from nn_core.batch import BatchResult

MAX_SAVED_RUNS = 10
SAVED_POINTS = 800  # a saved run keeps its loss curve thinned to this many points: bounded memory


def learning_rate_sweep(net: NeuralNetwork, low: float, high: float, count: int, epochs: int, seed: int | None,
                        progress=None) -> BatchResult:
    """``count`` copies of the learner's network, learning rates spaced evenly in log scale from low to high."""
    rates = np.geomspace(low, high, count)
    arch = net.architecture
    init = net.init
    return train_many(net.data, learning_rates=rates, epochs=epochs, bias=arch.bias, hidden=arch.hidden,
                      activation=arch.activation, init=init, seeds=[seed if init == "random" else None],
                      progress=progress)


def best_run(result: BatchResult) -> int | None:
    """The network with the lowest final error that did not diverge (None if all diverged)."""
    final = np.where(result.diverged_at >= 0, np.inf, result.final_error)
    return int(np.argmin(final)) if np.isfinite(final).any() else None


def initialisation_spread(net: NeuralNetwork, seeds: int, epochs: int, progress=None) -> BatchResult:
    arch = net.architecture
    return train_many(net.data, learning_rates=net.learning_rate, epochs=epochs, bias=arch.bias,
                      hidden=arch.hidden, activation=arch.activation, init="random", seeds=list(range(1, seeds + 1)),
                      progress=progress)


@dataclass(frozen=True)
class Landscape:
    grid_a: np.ndarray
    grid_b: np.ndarray
    loss: np.ndarray  # len(grid_b) × len(grid_a)
    path: np.ndarray  # the training path in the two weights, one row per stored sample


def loss_landscape(net: NeuralNetwork, a: int, b: int, loss: str = "mae", resolution: int = 41,
                   margin: float = 2.0) -> Landscape:
    """The loss over weights a and b (all others at their current values), around the path training took."""
    samples = np.vstack([net.history.params.values, net.params])
    path = samples[:, [a, b]]
    lo = path.min(axis=0) - margin
    hi = path.max(axis=0) + margin
    grid_a = np.linspace(lo[0], hi[0], resolution)
    grid_b = np.linspace(lo[1], hi[1], resolution)
    aa, bb = np.meshgrid(grid_a, grid_b)
    params = np.tile(net.params, (aa.size, 1))
    params[:, a], params[:, b] = aa.ravel(), bb.ravel()
    y_hat = net.predictions_for(params).reshape(aa.size, -1)  # grid points × (rows · outputs)
    values = LOSSES[loss](net.outputs.ravel(), y_hat).reshape(aa.shape)
    step = max(1, len(path) // 400)
    return Landscape(grid_a, grid_b, values, np.vstack([path[::step], path[-1]]))


@dataclass(frozen=True)
class SavedRun:
    name: str
    epochs: np.ndarray
    losses: np.ndarray  # mean |error|, MSE, cross-entropy per kept epoch


def save_run(net: NeuralNetwork, name: str) -> SavedRun:
    from .figures import thin

    h = net.history.losses
    e, v, _, _ = thin(h.epochs, h.values, max_points=SAVED_POINTS)
    return SavedRun(name, np.asarray(e).copy(), np.asarray(v).copy())


def xor_side_by_side(epochs: int, seed: int = 1) -> dict[str, NeuralNetwork]:
    """The same XOR data and epochs: one layer (cannot) against one hidden layer of 4 (can)."""
    xor = PRESETS["xor"]
    single = NeuralNetwork(xor.inputs, xor.outputs, bias=True)
    hidden = NeuralNetwork(xor.inputs, xor.outputs, bias=True, hidden=(4,), init="random", seed=seed)
    single.train(epochs)
    hidden.train(epochs)
    return {"single": single, "hidden": hidden}
