"""The article's neural network as the app runs it: feed forward, backpropagation, train, predict.

    ŷ        = σ(X·w)                   feed_forward
    error    = y − ŷ                    backpropagation
    delta    = error · ŷ(1 − ŷ)
    downhill = Xᵀ·delta                 (the way down the error: minus the gradient of ½·Σ(y − ŷ)²)
    w       += learning_rate · downhill     train (the optimiser, optimisers.py, turns downhill into the update)

With the article's settings these are the article's operations in the article's order, so every number is the
article's to the last bit. A hidden layer repeats the steps layer by layer: forward from X to ŷ, then back from the
output, where each layer's downhill is (what it reads)ᵀ·delta and the blame it hands to the layer below is delta·Wᵀ
(the chain rule).

One network's arrays have the article's shapes (X: rows × features, w: features × 1, ŷ: rows × 1). Many networks can
train at once (a sweep, a whole class): their arrays carry the networks on a first axis, and where one network's
matrix product is ``np.dot``, theirs is ``np.matmul``, which makes the very same BLAS call for each network's own
matrices: a network's numbers are the same bits alone or among others.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS
from .architecture import Architecture


def feed_forward(layers: Layers, x: np.ndarray) -> np.ndarray:
    """ŷ for every row of x: each layer weighs what it reads, adds its bias and squashes the sum."""
    a = x
    for layer in layers:
        z = layer.dot(a, layer.weights, layer.z)  # z = a·W: Σᵢ aᵢ·wᵢ for every row and unit
        if layer.bias is not None:
            z += layer.bias  # … + b
        a = layer.squash(z, layer.a)  # a = σ(z); the last layer's a is ŷ
    return a


def backpropagation(layers: Layers, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """How far each parameter should move to lower the error, per unit of learning rate (shaped like the
    parameters), from the predictions ``feed_forward`` just made."""
    blame = np.subtract(y, layers[-1].a, layers[-1].blame)  # error = y − ŷ
    for layer in reversed(layers):
        slope = layer.slope(layer.a, layer.slope_)  # σ′ = ŷ(1 − ŷ), read from the output
        delta = np.multiply(blame, slope, layer.delta)  # delta = error · σ′
        reads = x if layer.below is None else layer.below.a
        layer.dot(reads.mT, delta, layer.downhill)  # downhill = Xᵀ·delta
        if layer.bias is not None:
            layer.dot(layer.ones, delta, layer.downhill_bias)  # a bias reads 1 on every row: 1ᵀ·delta
        if layer.below is not None:
            blame = layer.dot(delta, layer.weights.mT, layer.below.blame)  # delta·Wᵀ: the chain rule
    return layers.downhill


def train(layers: Layers, x: np.ndarray, y: np.ndarray, optimiser, epochs: int, record: Record,
          row_layers: Layers | None = None, row_order: np.ndarray | None = None) -> None:
    """``epochs`` epochs of feed forward + backpropagation; the optimiser makes each update.

    ``record`` keeps each epoch's predictions (made before its update, as the article's error history is) and the
    state after it. Online training (``row_order``: epochs × networks × rows) updates once per row instead, the rows
    in that order, through ``row_layers`` (the same networks, set up for one row).
    """
    params, slots = layers.params, layers.slots
    for epoch in range(epochs):
        y_hat = feed_forward(layers, x)  # this epoch's predictions
        if row_order is None:  # the article: one update from every row at once
            downhill = backpropagation(layers, x, y)
            params += optimiser.step(downhill, slots)  # w += learning_rate · downhill
        else:  # online: one update per row
            for rows in row_order[epoch].T:  # each network's next row
                x_row, y_row = row_layers.take(x, rows), row_layers.take(y, rows)
                feed_forward(row_layers, x_row)
                downhill = backpropagation(row_layers, x_row, y_row)
                params += optimiser.step(downhill, slots)
        record.keep(epoch, y_hat, layers.state)


def predict(arch: Architecture, params: np.ndarray, x: np.ndarray) -> np.ndarray:
    """ŷ for new rows x (rows × features) under each network of ``params`` (networks × parameters): networks × rows
    × outputs."""
    return forward_pass(arch, params, x, batch=True)[-1].a.copy()


# -- the pieces ------------------------------------------------------------------------------------------------
def forward_pass(arch: Architecture, params: np.ndarray, x: np.ndarray, batch: bool = False) -> Layers:
    """The layers of the networks ``params`` (one vector, or networks × parameters) after feed_forward over the rows
    x, every layer's numbers kept (z, a: what the Predict and Sigmoid pages show). A sigmoid that saturates
    overflows in e^(−z) on the way, harmlessly (activations.py): silenced here as in training."""
    layers = Layers(arch, np.array(params, dtype=float, ndmin=2), len(x), batch)
    with np.errstate(all="ignore"):
        feed_forward(layers, x)
    return layers


class Layer:
    """One layer: its weights and bias (views of the parameters), and the numbers of its last pass over a batch of
    rows (rows × units; networks × rows × units for many), kept to be reused epoch after epoch (allocating them
    afresh would cost as much as the arithmetic) and to be shown (the Backprop page, the code page)."""

    __slots__ = ("weights", "bias", "dot", "squash", "slope", "below", "z", "a", "blame", "slope_", "delta", "ones",
                 "downhill", "downhill_bias")

    def __init__(self, weights, bias, downhill, downhill_bias, activation: str, rows: tuple, below: Layer | None):
        self.weights, self.bias, self.below = weights, bias, below  # below: the layer that feeds this one
        self.downhill, self.downhill_bias = downhill, downhill_bias
        # One network's product (np.dot's own code, without np.dot's check for other array types on every call),
        # or each network's.
        self.dot = np.ndarray.dot if weights.ndim == 2 else np.matmul
        self.squash, self.slope = ACTIVATIONS[activation].function, ACTIVATIONS[activation].slope
        shape = (*rows, weights.shape[-1])
        self.z, self.a, self.blame, self.slope_, self.delta = (np.empty(shape) for _ in range(5))
        self.ones = None if bias is None else np.ones((1, rows[-1]))


class Layers(list):
    """The layers of N networks whose state (networks × values) holds every parameter, then the optimiser's own
    numbers (``slots``); set up for batches of ``rows`` rows. ``downhill`` is laid out like the parameters (networks
    × parameters), and each layer's weights and downhill are views of them. One network's layers have the article's
    shapes, unless ``batch``: then even one network's arrays carry the networks axis."""

    ARRAYS_PER_UNIT = 5  # a layer keeps z, a, blame, slope and delta: 5 floats per network, row and unit

    def __init__(self, arch: Architecture, state: np.ndarray, rows: int, batch: bool = False):
        super().__init__()
        n_params = arch.n_params
        self.architecture, self.rows = arch, rows
        self.state, self.params, self.slots = state, state[:, :n_params], state[:, n_params:]
        self.downhill = np.empty_like(self.params)
        self.batch = batch or len(state) > 1
        params, downhill = (self.params, self.downhill) if self.batch else (self.params[0], self.downhill[0])
        shape = (len(state), rows) if self.batch else (rows,)
        below = None
        for k, ((w, b), (dw, db)) in enumerate(zip(arch.split(params), arch.split(downhill))):
            below = Layer(w, _per_row(b), dw, _per_row(db), arch.activation_of(k), shape, below)
            self.append(below)

    def take(self, table: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Row ``rows[i]`` of ``table`` for network i (online training: each network its own row), as a batch of one
        row (per network). ``table`` is shared (rows × columns) or each network's own (networks × rows × columns)."""
        one = table[rows] if table.ndim == 2 else table[np.arange(len(rows)), rows]
        return one[:, None, :] if self.batch else one


def _per_row(bias: np.ndarray | None) -> np.ndarray | None:
    """A layer's biases (units, or networks × units) as a view that adds to every row's sums."""
    return None if bias is None else bias[..., None, :]


CHUNK_FLOATS = 2**18  # what one chunk of training may record (2 MB), whatever the table's size


class Record:
    """What ``train`` keeps of each of ``epochs`` epochs of N networks: the predictions each epoch started from
    (its error), and the state (parameters and optimiser slots) after each epoch, ``states[0]`` being the start."""

    def __init__(self, state: np.ndarray, rows: int, outputs: int, epochs: int):
        n = len(state)
        self.predictions = np.empty((epochs, n, rows, outputs))
        self.states = np.empty((epochs + 1, *state.shape))
        self.states[0] = state

    def keep(self, epoch: int, predictions: np.ndarray, state: np.ndarray) -> None:
        self.predictions[epoch] = predictions
        self.states[epoch + 1] = state

    @staticmethod
    def epochs_that_fit(networks: int, predictions: int, state: int, floats: int = CHUNK_FLOATS) -> int:
        """How many epochs one Record of ``networks`` networks holds in about ``floats`` floats (16 to 16,384: each
        chunk has a cost of its own, its losses and its look at the stop rule, which long chunks share out)."""
        return int(min(16_384, max(16, floats // (networks * (predictions + state)))))


class Scratch:
    """A record that keeps nothing: training that only needs where it ends (re-simulating a past epoch)."""

    def keep(self, epoch: int, predictions: np.ndarray, state: np.ndarray) -> None:
        pass


ROW_ORDER_BLOCK = 1024  # epochs whose row orders are drawn together


def row_order(seed: int, first_epoch: int, epochs: int, rows: int) -> np.ndarray:
    """The order in which online training visits the rows in each of ``epochs`` epochs from ``first_epoch``: a
    fresh shuffle per epoch (epochs × rows), drawn from the seed and the epoch alone, so any epoch can be replayed
    on its own."""
    first_block, last_block = first_epoch // ROW_ORDER_BLOCK, (first_epoch + epochs) // ROW_ORDER_BLOCK
    blocks = [np.random.default_rng([seed, b]).permuted(np.tile(np.arange(rows), (ROW_ORDER_BLOCK, 1)), axis=1)
              for b in range(first_block, last_block + 1)]
    start = first_epoch - first_block * ROW_ORDER_BLOCK
    return np.concatenate(blocks)[start : start + epochs]
