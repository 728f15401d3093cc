"""One epoch of training with every intermediate number kept: what the Backprop page shows.

For the article's network the stages are exactly the article's figures:
Xw (Σxᵢwᵢ per row), ŷ = σ(Xw), error y − ŷ, σ'(ŷ) = ŷ(1 − ŷ), delta, Xᵀ·delta, old w → new w.
A hidden-layer network has the same stages for each layer, from the output back to the first layer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .architecture import Architecture
from .losses import mean_abs_error


@dataclass(frozen=True)
class LayerTrace:
    index: int  # 1 = the first layer (fed by X)
    activation: str
    inputs: np.ndarray  # what the layer reads: X for the first layer, the layer below's outputs otherwise
    weights: np.ndarray  # before the update
    bias: np.ndarray | None
    z: np.ndarray  # inputs·weights (+ bias): the article's Σxᵢwᵢ
    outputs: np.ndarray  # activation(z); ŷ for the last layer
    blame: np.ndarray  # what this layer's outputs are blamed for: y − ŷ for the last layer
    slope: np.ndarray  # activation'(outputs), e.g. ŷ(1 − ŷ)
    delta: np.ndarray  # blame · slope
    gradient: np.ndarray  # inputsᵀ·delta (the article's Xᵀ·delta)
    bias_gradient: np.ndarray | None
    new_weights: np.ndarray  # weights + learning_rate · gradient
    new_bias: np.ndarray | None


@dataclass(frozen=True)
class EpochTrace:
    epoch: int
    learning_rate: float
    targets: np.ndarray
    layers: list[LayerTrace]  # first layer first

    @property
    def prediction(self) -> np.ndarray:
        return self.layers[-1].outputs

    @property
    def error(self) -> np.ndarray:
        return self.layers[-1].blame

    @property
    def mean_abs_error(self) -> float:
        return float(mean_abs_error(self.targets.ravel(), self.prediction.ravel()))


def trace_step(arch: Architecture, params: np.ndarray, x: np.ndarray, y: np.ndarray, learning_rate: float,
               epoch: int) -> EpochTrace:
    views = arch.split(params)
    names = [arch.activation_of(k) for k in range(len(views))]
    with np.errstate(over="ignore", invalid="ignore"):
        ins, zs, outs = [], [], []
        a = x
        for (w, b), name in zip(views, names):
            z = np.dot(a, w) + (b if b is not None else 0.0)
            ins.append(a)
            zs.append(z)
            a = ACTIVATIONS[name](z)
            outs.append(a)
        traces = []
        blame = y - a
        for k in range(len(views) - 1, -1, -1):
            w, b = views[k]
            slope = ACTIVATIONS[names[k]](outs[k], deriv=True)
            delta = blame * slope
            gradient = np.dot(ins[k].T, delta)
            bias_gradient = delta.sum(axis=0) if b is not None else None
            traces.append(LayerTrace(
                k + 1, names[k], ins[k], w.copy(), None if b is None else b.copy(), zs[k], outs[k], blame, slope,
                delta, gradient, bias_gradient, w + learning_rate * gradient,
                None if b is None else b + learning_rate * bias_gradient))
            blame = np.dot(delta, w.T)
    return EpochTrace(epoch, learning_rate, y, traces[::-1])
