"""One epoch's updates with every intermediate number kept: what the Backprop page and the code page show.

It runs network.py's ``feed_forward`` and ``backpropagation`` and the optimiser's ``step`` for one network, as
training does, and keeps what each layer computed. For the article's network the stages are exactly the article's
figures: Xw (Σxᵢwᵢ per row), ŷ = σ(Xw), error y − ŷ, σ'(ŷ) = ŷ(1 − ŷ), delta, Xᵀ·delta, old w → new w. A hidden
layer has the same stages for each layer. The whole batch makes one update per epoch; online training makes one per
row, in the epoch's order, each from the weights the one before left.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .architecture import Architecture
from .losses import mean_abs_error
from .network import Layers, backpropagation, feed_forward


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
    downhill: np.ndarray  # inputsᵀ·delta (the article's Xᵀ·delta)
    downhill_bias: np.ndarray | None  # 1ᵀ·delta
    update: np.ndarray  # what the optimiser made of downhill (the article: learning_rate · Xᵀ·delta)
    update_bias: np.ndarray | None
    new_weights: np.ndarray  # weights + update
    new_bias: np.ndarray | None


@dataclass(frozen=True)
class UpdateTrace:
    """One update: from every row (the whole batch), or from one row (online)."""

    rows: np.ndarray  # the rows it read (0-based)
    targets: np.ndarray
    layers: list[LayerTrace]  # first layer first
    new_state: np.ndarray  # the parameters and the optimiser's own numbers after it

    @property
    def downhill(self) -> np.ndarray:
        """Every parameter's inputsᵀ·delta (1ᵀ·delta for a bias), in the network's layout order."""
        return _in_layout((layer.downhill, layer.downhill_bias) for layer in self.layers)

    @property
    def update(self) -> np.ndarray:
        return _in_layout((layer.update, layer.update_bias) for layer in self.layers)

    @property
    def new_params(self) -> np.ndarray:
        return _in_layout((layer.new_weights, layer.new_bias) for layer in self.layers)

    @property
    def row_shares(self) -> np.ndarray:
        """Each of its rows' part of every parameter's downhill (rows × parameters, see ``row_shares``)."""
        return row_shares([(layer.inputs, layer.delta) for layer in self.layers], self.layers[0].bias is not None)


@dataclass(frozen=True)
class EpochTrace:
    epoch: int
    optimiser: object  # the optimiser that made the updates (optimisers.py), with its settings at this epoch
    learning_rate: float
    targets: np.ndarray  # every row's
    predictions: np.ndarray  # every row's ŷ from the epoch's starting weights (its point on the error curve)
    updates: list[UpdateTrace]  # one (the whole batch), or one per row in the epoch's order (online)
    rows: np.ndarray | None = None  # online training: the epoch's row order

    @property
    def layers(self) -> list[LayerTrace]:
        """The epoch's first update, layer by layer (the whole epoch's, with the whole batch; online, the first row's:
        see ``updates`` for the others)."""
        return self.updates[0].layers

    @property
    def mean_abs_error(self) -> float:
        """The mean |y − ŷ| of every row from the epoch's starting weights: the error curve's value at this epoch."""
        return float(mean_abs_error(self.targets.ravel(), self.predictions.ravel()))

    @property
    def new_params(self) -> np.ndarray:
        """Every parameter after the epoch's last update: the next epoch's."""
        return self.updates[-1].new_params


def _in_layout(layers) -> np.ndarray:
    """Each layer's (weights, bias or None) as one vector, in the network's layout order (Architecture.split's
    inverse)."""
    return np.concatenate([part.ravel() for weights, bias in layers for part in (weights, bias) if part is not None])


def row_shares(layers, bias: bool) -> np.ndarray:
    """Each row's part of every parameter's downhill: rows × parameters (× networks), in the parameters' layout
    order.

    ``layers``: for each layer, what it reads a (rows × inputs, × networks) and its delta (rows × units, × ...).
    Row r adds aᵣᵢ·δᵣⱼ to the weight from i to j and δᵣⱼ to the bias of j; summed over the rows that is the
    layer's aᵀ·delta (1ᵀ·delta). So a row whose input i is 0 adds nothing to the weights leaving i.
    """
    parts = []
    for a, delta in layers:
        products = a[:, :, None] * delta[:, None, :]  # rows × inputs × units (× networks)
        parts.append(products.reshape(len(a), -1, *delta.shape[2:]))
        if bias:
            parts.append(delta)
    return np.concatenate(parts, axis=1)


def trace_epoch(arch: Architecture, optimiser, state: np.ndarray, x: np.ndarray, y: np.ndarray, epoch: int,
                row_order: np.ndarray | None = None) -> EpochTrace:
    """Every number of the updates of ``epoch`` from ``state`` (parameters then the optimiser's own numbers)."""
    state = np.array(state, dtype=float, ndmin=2)
    with np.errstate(all="ignore"):
        predictions = feed_forward(Layers(arch, state.copy(), len(x)), x).copy()
        batches = [np.arange(len(x))] if row_order is None else [np.array([r]) for r in row_order[0]]
        updates = [_update(arch, optimiser, state, x[rows], y[rows], rows) for rows in batches]
    return EpochTrace(epoch, optimiser, float(optimiser.learning_rate[0, 0]), y, predictions, updates,
                      None if row_order is None else row_order[0])


def _update(arch: Architecture, optimiser, state: np.ndarray, x: np.ndarray, y: np.ndarray,
            rows: np.ndarray) -> UpdateTrace:
    """One update from ``state`` (1 × state, moved in place) on the rows x, y, with each layer's numbers kept."""
    layers = Layers(arch, state, len(x))
    before = [(layer.weights.copy(), None if layer.bias is None else layer.bias[0].copy()) for layer in layers]
    feed_forward(layers, x)
    backpropagation(layers, x, y)
    kept = [(layer.downhill.copy(), None if layer.bias is None else layer.downhill_bias[0].copy())
            for layer in layers]
    update = optimiser.step(layers.downhill, layers.slots)
    traces = []
    for k, (layer, (w, b), (dw, db), (uw, ub)) in enumerate(zip(layers, before, kept, arch.split(update[0].copy()))):
        traces.append(LayerTrace(
            k + 1, arch.activation_of(k), x if k == 0 else layers[k - 1].a.copy(), w, b, layer.z.copy(),
            layer.a.copy(), layer.blame.copy(), layer.slope_.copy(), layer.delta.copy(), dw, db, uw, ub,
            w + uw, None if b is None else b + ub))
    layers.params += update
    return UpdateTrace(rows, y, traces, state[0].copy())
