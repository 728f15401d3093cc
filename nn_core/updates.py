"""What training would do next from given weights, without doing it: the Playground's network diagram (each line's
next update), each row's share of it, and the optimiser page (backprop's update from weights set by hand).

Both run network.py's own feed_forward and backpropagation and the optimiser's step, for many weight vectors at once
(the frames live play shows). ``update_from`` is one full-batch step: the article's update, Xᵀ·((y − ŷ)·ŷ(1 − ŷ)).
``epoch_update`` is what the network's next epoch does as it trains: the same with the whole batch, and with online
training one update per row, in the epoch's own order, each from the weights the one before left.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import per_network
from .model import NeuralNetwork
from .network import Layers, backpropagation, feed_forward
from .trace import row_shares


@dataclass(frozen=True)
class Update:
    """What backpropagation makes of some weights on the network's table: the way down the error, per unit of
    learning rate, Xᵀ·((y − ŷ)·ŷ(1 − ŷ)) for every layer (network.backpropagation's ``downhill``), and the mean
    |error| those weights have. For N weight vectors at once (the rows of ``params``): error (N,), downhill
    (N × parameters), shares (N × rows × parameters)."""

    error: np.ndarray
    downhill: np.ndarray
    update: np.ndarray  # what the optimiser makes of downhill: the step each parameter would take
    shares: np.ndarray | None  # each row's part of downhill (see trace.row_shares), when asked for


def update_from(net: NeuralNetwork, states: np.ndarray, shares: bool = False, rows=None, epochs=None) -> Update:
    """One full-batch backpropagation step from ``states`` (one, or one per row: every parameter, then the
    optimiser's own numbers, which are 0 where only the parameters are given: weights set by hand), without applying
    it: network.py's own feed_forward and backpropagation, and the optimiser's step at the learning rate of each
    state's epoch (``epochs``; default: the rate in force now). ``rows``: whose shares to keep (indices; default
    every row): many frames of a large table need only the few rows a chart draws."""
    given = np.array(states, dtype=float, ndmin=2)
    p = np.zeros((len(given), net.state.shape[1]))
    p[:, : given.shape[1]] = given
    layers = Layers(net.architecture, p, len(net.inputs), batch=True)
    rates = net.learning_rate if epochs is None else [net.rate_at(int(e)) for e in epochs]
    with np.errstate(all="ignore"):
        feed_forward(layers, net.inputs)
        downhill = backpropagation(layers, net.inputs, net.outputs).copy()
        update = net.settings.optimiser(rates).step(downhill.copy(), layers.slots).copy()
        error = per_network("mae", net.outputs, layers[-1].a)
    parts = None
    if shares:
        keep = slice(None) if rows is None else np.asarray(rows, dtype=int)
        # row_shares takes the networks on the last axis: rows × … × networks
        last = lambda a: np.moveaxis(a, 0, -1)
        reads = [np.broadcast_to(net.inputs[keep][..., None], (*net.inputs[keep].shape, len(p)))]
        reads += [last(layer.a[:, keep]) for layer in layers[:-1]]
        parts = np.moveaxis(row_shares([(a, last(layer.delta[:, keep])) for a, layer in zip(reads, layers)],
                                       net.architecture.bias), -1, 0)
    return Update(error, downhill, update, parts)


def epoch_update(net: NeuralNetwork, states: np.ndarray, shares: bool = False, rows=None, epochs=None) -> Update:
    """What the next epoch of training does from each of ``states`` (see ``update_from`` for the arguments): with
    the whole batch, ``update_from`` itself. Online, each row's update in the order of the state's epoch: ``update``
    is the whole epoch's change of every parameter, ``downhill`` the sum of each row's own downhill (from the
    weights its turn found), ``shares`` each row's downhill, and ``error`` the mean |error| of every row at the
    epoch's start."""
    if net.settings.batch == "full":
        return update_from(net, states, shares, rows, epochs)
    given = np.array(states, dtype=float, ndmin=2)
    p = np.zeros((len(given), net.state.shape[1]))
    p[:, : given.shape[1]] = given
    epochs = [net.epoch] * len(p) if epochs is None else [int(e) for e in epochs]
    order = np.stack([net.row_order(e, 1)[0] for e in epochs])  # networks × rows: each state's epoch's order
    x, y, n_params = net.inputs, net.outputs, net.architecture.n_params
    start = p[:, :n_params].copy()
    optimiser = net.settings.optimiser([net.rate_at(e) for e in epochs])
    layers = Layers(net.architecture, p, 1, batch=True)
    downhill = np.zeros_like(start)
    parts = np.zeros((len(p), len(x), n_params)) if shares else None
    with np.errstate(all="ignore"):
        error = per_network("mae", y, feed_forward(Layers(net.architecture, p.copy(), len(x), batch=True), x))
        for turn in order.T:  # each state's next row, as network.train takes them
            x_row, y_row = layers.take(x, turn), layers.take(y, turn)
            feed_forward(layers, x_row)
            step = backpropagation(layers, x_row, y_row)
            downhill += step
            if shares:
                parts[np.arange(len(p)), turn] = step
            layers.params += optimiser.step(step, layers.slots)
    if shares and rows is not None:
        parts = parts[:, np.asarray(rows, dtype=int)]
    return Update(error, downhill, p[:, :n_params] - start, parts)
