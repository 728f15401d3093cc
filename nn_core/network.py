"""The article's neural network — feed forward, backpropagation, train, predict — and the code the app runs.

With the article's settings (no hidden layer, no bias, weights 0.5, learning rate 1) one epoch is the article's
code, operation for operation, so every number is the article's to the last bit:

    ŷ      = σ(X·w)                     feed_forward
    error  = y − ŷ                      backpropagation
    delta  = error · ŷ(1 − ŷ)
    w     += learning_rate · Xᵀ·delta   train: once per epoch ("online": once per row)

A hidden layer repeats these steps layer by layer: forward from X to ŷ, then back from the output, where each
layer's delta is its blame times its slope, its update is its inputsᵀ·delta, and the blame it hands down is
delta·Wᵀ (the chain rule). The same code trains many networks at once on the same data (a sweep, every point of
a loss landscape): arrays carry the networks on their last axis (architecture.py says why), and a single network
is simply one column.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from .activations import ACTIVATIONS
from .architecture import Architecture


def feed_forward(layers: list[Layer], x: np.ndarray) -> np.ndarray:
    """ŷ for every row of x: each layer's z = a·W (+ b), then a = activation(z), from the inputs to the output."""
    a = x
    for layer in layers:
        if a.ndim == 2:  # the training inputs, shared by every network: one matrix product serves them all
            np.dot(a, layer.matrix, layer.z_matrix)  # z = X·w: Σᵢ xᵢwᵢ for every row, unit and network
        else:
            np.einsum("rin,ion->ron", a, layer.weights, out=layer.z)
        if layer.bias is not None:
            layer.z += layer.bias
        a = layer.activation(layer.z, layer.output)  # ŷ = σ(z)
    return a


def backpropagation(layers: list[Layer], x: np.ndarray, y: np.ndarray) -> None:
    """Each parameter's update per unit of learning rate (the article's Xᵀ·delta, for every layer), from the pass
    ``feed_forward`` just made. Fills every layer's weight_update and bias_update (views of one array shaped like
    the parameters, see ``layers_for``)."""
    output = layers[-1]
    blame = np.subtract(y, output.output, output.blame)  # error = y − ŷ
    for layer in reversed(layers):
        layer.activation_slope(layer.output, layer.slope)  # ŷ(1 − ŷ): the sigmoid's slope, from its output
        delta = np.multiply(blame, layer.slope, layer.delta)  # delta = error · ŷ(1 − ŷ)
        below = layer.below
        if below is None:  # the first layer reads the inputs
            np.dot(x.T, layer.delta_matrix, layer.weight_update_matrix)  # Xᵀ·delta
        else:
            np.einsum("rin,ron->ion", below.output, delta, out=layer.weight_update)
        if layer.bias_update is not None:  # a bias is a weight on an input that is always 1: Σ delta over rows
            # Summed row after row (accumulate), so that one network and many add in the same order.
            np.copyto(layer.bias_update, np.add.accumulate(delta, axis=0, out=layer.bias_sums)[-1])
        if below is not None:
            blame = np.einsum("ron,ion->rin", delta, layer.weights, out=below.blame)  # delta·Wᵀ: the chain rule


def train(params: np.ndarray, x: np.ndarray, y: np.ndarray, learning_rates: np.ndarray, epochs: int,
          arch: Architecture, record: Record | None = None, row_order: np.ndarray | None = None) -> None:
    """Run ``epochs`` epochs of feed forward + backpropagation, moving ``params`` (parameters × networks) in place.

    ``record`` keeps each epoch's predictions (made before its update, as the article's error history does) and
    the parameters after every epoch. ``row_order`` (online training, epochs × rows): each epoch, the rows update
    the weights one at a time, in this order.
    """
    targets = y[..., None]  # broadcast over the networks axis
    scale = not np.all(learning_rates == 1.0)  # the article's rate 1 skips a multiplication (and keeps its bits)
    layers, update = layers_for(arch, params, len(x))
    if row_order is not None:
        one_row, update = layers_for(arch, params, 1)
    if record is None:
        record = Record(arch, len(x), 1, params.shape[1])  # a scratch record, rewritten every epoch
        rows = zip(range(epochs), repeat(record.predictions[0]), repeat(record.params[1]))
    else:
        rows = zip(range(epochs), record.predictions, record.params[1:])
    for e, predictions, params_after in rows:
        layers[-1].output = predictions  # the output layer writes ŷ straight into the record
        if row_order is None:  # the article: one update from the whole table
            feed_forward(layers, x)
            backpropagation(layers, x, targets)
            if scale:
                np.multiply(update, learning_rates, update)
            np.add(params, update, params)  # w += learning_rate · Xᵀ·delta
        else:  # online: the error of the epoch's starting weights, then one update per row
            feed_forward(layers, x)
            for r in row_order[e]:
                feed_forward(one_row, x[r : r + 1])
                backpropagation(one_row, x[r : r + 1], targets[r : r + 1])
                if scale:
                    np.multiply(update, learning_rates, update)
                np.add(params, update, params)
        np.copyto(params_after, params)


def predict(arch: Architecture, params: np.ndarray, x: np.ndarray) -> np.ndarray:
    """ŷ for new rows x (rows × features) under each network of ``params``: (rows × outputs × networks)."""
    layers, _ = layers_for(arch, params, len(x))
    with np.errstate(all="ignore"):
        return feed_forward(layers, x)


# -- the pieces ------------------------------------------------------------------------------------------------
class Layer:
    """One layer of N networks: its weights and bias (views into the parameters) and the numbers of its last
    pass over a batch of rows (rows × units × N each), kept to be reused epoch after epoch (allocating them afresh
    would cost as much as the arithmetic) and to be shown (the Backprop page)."""

    __slots__ = ("weights", "matrix", "bias", "activation", "activation_slope", "below", "z", "z_matrix", "output",
                 "blame", "slope", "delta", "delta_matrix", "weight_update", "weight_update_matrix", "bias_update",
                 "bias_sums")

    def __init__(self, weights, bias, activation: str, rows: int, weight_update, bias_update, below: Layer | None):
        n_in, units, n = weights.shape
        self.weights, self.bias, self.below = weights, bias, below  # below: the layer feeding this one, if any
        self.matrix = weights.reshape(n_in, units * n)  # the same numbers as one matrix: the networks side by side
        self.activation, self.activation_slope = ACTIVATIONS[activation].function, ACTIVATIONS[activation].slope
        self.z, self.output, self.blame, self.slope, self.delta = (np.empty((rows, units, n)) for _ in range(5))
        self.z_matrix, self.delta_matrix = self.z.reshape(rows, units * n), self.delta.reshape(rows, units * n)
        self.weight_update, self.bias_update = weight_update, bias_update
        self.weight_update_matrix = weight_update.reshape(n_in, units * n)
        self.bias_sums = None if bias is None else np.empty((rows, units, n))


def layers_for(arch: Architecture, params: np.ndarray, rows: int) -> tuple[list[Layer], np.ndarray]:
    """The layers of the networks whose parameters are the columns of ``params`` (parameters × networks), set up
    for ``rows`` rows; and the array their updates go to, laid out like ``params``."""
    update = np.empty_like(params)
    layers, below = [], None
    for k, ((w, b), (wu, bu)) in enumerate(zip(arch.split(params), arch.split(update))):
        below = Layer(w, b, arch.activation_of(k), rows, wu, bu, below)
        layers.append(below)
    return layers, update


class Record:
    """What ``train`` keeps of each of ``epochs`` epochs for N networks."""

    def __init__(self, arch: Architecture, rows: int, epochs: int, n: int):
        self.predictions = np.empty((epochs, rows, arch.n_outputs, n))  # ŷ at the start of each epoch
        self.params = np.empty((epochs + 1, arch.n_params, n))  # params[0]: the start; params[e + 1]: after e


ROW_ORDER_BLOCK = 1024  # epochs whose row orders are drawn together


def row_order(seed: int, first_epoch: int, epochs: int, rows: int) -> np.ndarray:
    """The order in which online training visits the rows in each of ``epochs`` epochs from ``first_epoch``: a
    fresh shuffle per epoch, drawn from the seed and the epoch alone, so any epoch can be replayed on its own."""
    first_block, last_block = first_epoch // ROW_ORDER_BLOCK, (first_epoch + epochs) // ROW_ORDER_BLOCK
    blocks = [np.random.default_rng([seed, b]).permuted(np.tile(np.arange(rows), (ROW_ORDER_BLOCK, 1)), axis=1)
              for b in range(first_block, last_block + 1)]
    start = first_epoch - first_block * ROW_ORDER_BLOCK
    return np.concatenate(blocks)[start : start + epochs]
