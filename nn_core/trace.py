"""One epoch's update with every intermediate number kept: what the Backprop page shows.

It runs network.py's ``feed_forward`` and ``backpropagation`` once, for one network, and keeps what each layer
computed. For the article's network the stages are exactly the article's figures: Xw (Σxᵢwᵢ per row), ŷ = σ(Xw),
error y − ŷ, σ'(ŷ) = ŷ(1 − ŷ), delta, Xᵀ·delta, old w → new w. A hidden layer has the same stages for each layer.
Online training updates once per row: its trace is the epoch's first update, from the first row in its order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .architecture import Architecture
from .losses import mean_abs_error
from .network import backpropagation, feed_forward, layers_for


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
    rows: np.ndarray | None = None  # online training: the epoch's row order (the trace is its first row's update)

    @property
    def prediction(self) -> np.ndarray:
        return self.layers[-1].outputs

    @property
    def error(self) -> np.ndarray:
        return self.layers[-1].blame

    @property
    def mean_abs_error(self) -> float:
        return float(mean_abs_error(self.targets.ravel(), self.prediction.ravel()))

    @property
    def gradient(self) -> np.ndarray:
        """Every parameter's inputsᵀ·delta (Σ delta for a bias), in the network's layout order: the update per unit
        of learning rate."""
        return _in_layout((layer.gradient, layer.bias_gradient) for layer in self.layers)

    @property
    def row_shares(self) -> np.ndarray:
        """Each training row's part of every parameter's update (rows × parameters, see ``row_shares``)."""
        return row_shares([(layer.inputs, layer.delta) for layer in self.layers], self.layers[0].bias is not None)

    @property
    def new_params(self) -> np.ndarray:
        """Every parameter after this update, in the network's layout order."""
        return _in_layout((layer.new_weights, layer.new_bias) for layer in self.layers)


def _in_layout(layers) -> np.ndarray:
    """Each layer's (weights, bias or None) as one vector, in the network's layout order (Architecture.split's
    inverse)."""
    return np.concatenate([part for weights, bias in layers for part in (weights.ravel(), bias) if part is not None])


def row_shares(layers, bias: bool) -> np.ndarray:
    """Each row's part of every parameter's update per unit of learning rate: rows × parameters (× networks), in
    the parameters' layout order.

    ``layers``: for each layer, what it reads a (rows × inputs, × networks) and its delta (rows × units, × ...).
    Row r adds aᵣᵢ·δᵣⱼ to the weight from i to j and δᵣⱼ to the bias of j; summed over the rows that is the
    layer's aᵀ·delta (Σ delta). So a row whose input i is 0 adds nothing to the weights leaving i.
    """
    parts = []
    for a, delta in layers:
        products = a[:, :, None] * delta[:, None, :]  # rows × inputs × units (× networks)
        parts.append(products.reshape(len(a), -1, *delta.shape[2:]))
        if bias:
            parts.append(delta)
    return np.concatenate(parts, axis=1)


def trace_step(arch: Architecture, params: np.ndarray, x: np.ndarray, y: np.ndarray, learning_rate: float,
               epoch: int, rows: np.ndarray | None = None) -> EpochTrace:
    if rows is not None:  # online: the first update of the epoch reads one row
        x, y = x[rows[:1]], y[rows[:1]]
    layers, update = layers_for(arch, params.reshape(-1, 1).copy(), len(x))
    with np.errstate(all="ignore"):
        feed_forward(layers, x)
        backpropagation(layers, x, y[..., None])
        traces = []
        for k, layer in enumerate(layers):
            w, b = layer.weights[..., 0], None if layer.bias is None else layer.bias[..., 0]
            step = learning_rate * layer.weight_update[..., 0]
            new = w + step
            bias_step = None if layer.bias_update is None else learning_rate * layer.bias_update[..., 0]
            traces.append(LayerTrace(
                k + 1, arch.activation_of(k), x if k == 0 else layers[k - 1].output[..., 0].copy(), w.copy(),
                None if b is None else b.copy(), layer.z[..., 0].copy(), layer.output[..., 0].copy(),
                layer.blame[..., 0].copy(), layer.slope[..., 0].copy(), layer.delta[..., 0].copy(),
                layer.weight_update[..., 0].copy(), None if b is None else layer.bias_update[..., 0].copy(), new,
                None if b is None else b + bias_step))
    return EpochTrace(epoch, learning_rate, y, traces, rows)
