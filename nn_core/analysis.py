"""What can be proven about a network on its data: the sources of the sentences the app shows about it.

Every claim here is computed from the network and its table, never assumed from a preset's name.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from .losses import ELEMENTWISE, per_network
from .model import NeuralNetwork
from .network import Layers, backpropagation, feed_forward
from .separability import linear_separability
from .trace import row_shares

SATURATED = 1e-4  # a slope ŷ(1 − ŷ) below this barely moves a prediction (σ' is at most 0.25)


def fixed_rows(net: NeuralNetwork) -> np.ndarray:
    """The rows whose prediction is exactly 0.5 whatever the weights (0-based).

    An all-zero row gives z = 0·W = 0 in the first layer when there is no bias. With no hidden layer, ŷ = σ(0) = 0.5.
    Hidden tanh or ReLU units then output tanh(0) = relu(0) = 0, so every later z is 0 too and ŷ = 0.5 again.
    Hidden sigmoid units output σ(0) = 0.5, not 0, so with them the row is not fixed.
    """
    arch = net.architecture
    if arch.bias or (arch.hidden and arch.activation == "sigmoid"):
        return np.array([], dtype=int)
    return np.flatnonzero(~net.inputs.any(axis=1))


_FLOORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # network -> {loss: its floor}: a run's table and
# shape never change, and a page asks for the floor at every rerun


def error_floor(net: NeuralNetwork, loss: str) -> float | None:
    """A value the ``loss`` can never go below for this network and table, or None if none is proven.

    The fixed rows contribute their loss at ŷ = 0.5 and every other row at least 0. It is computed as the mean of
    an array that is the loss's own per-element array with the other rows set to 0, so, floating point included,
    the real loss (the same mean over values at least as large) can never be smaller.
    """
    floors = _FLOORS.setdefault(net, {})
    if loss not in floors:
        floors[loss] = _floor(net, loss)
    return floors[loss]


def _floor(net: NeuralNetwork, loss: str) -> float | None:
    rows = fixed_rows(net)
    if not rows.size:
        return None
    y = net.outputs
    terms = np.zeros_like(y)
    terms[rows] = ELEMENTWISE[loss](y[rows], np.full_like(y[rows], 0.5))
    floor = float(terms.reshape(-1).mean())
    return floor if floor > 0 else None


@dataclass(frozen=True)
class Saturation:
    rows: tuple[int, ...]  # 0-based rows predicted on the wrong side where the sigmoid is flat
    largest_slope: float  # the largest ŷ(1 − ŷ) among them


def saturated_rows(net: NeuralNetwork, params: np.ndarray | None = None) -> Saturation | None:
    """Rows whose prediction is on the wrong side of 0.5 and so close to 0 or 1 that ŷ(1 − ŷ) < SATURATED: each
    update moves them by a tiny amount, so training crawls (the article's "the network stops learning")."""
    p = net.predictions_for(net.params if params is None else params)[0]
    slope = p * (1 - p)
    wrong = (np.abs(net.outputs - p) > 0.5) & (slope < SATURATED)
    rows = np.flatnonzero(wrong.any(axis=1))
    if not rows.size:
        return None
    return Saturation(tuple(int(r) for r in rows), float(slope[rows].max()))


@dataclass(frozen=True)
class OutputUnit:
    """How the output unit reaches its prediction for one input: ŷ = σ(Σ inputsᵢ·weightsᵢ + bias)."""

    inputs: np.ndarray  # what it reads: the features without a hidden layer, else the hidden units' outputs
    weights: np.ndarray
    bias: float | None
    z: float  # the weighted sum, as training computes it
    prediction: float

    @property
    def terms(self) -> np.ndarray:
        """Each input times its weight: the parts that add up (with the bias) to z."""
        return self.inputs * self.weights


def output_unit(net: NeuralNetwork, x, params: np.ndarray | None = None) -> OutputUnit:
    """The output unit's reading of input ``x`` (one row), under ``params`` (default: the current weights)."""
    p = np.array(net.params if params is None else params, dtype=float, ndmin=2)
    row = net.layer_outputs_for(x, p[0])[0][:1]
    layers = Layers(net.architecture, p, 1)
    with np.errstate(all="ignore"):
        feed_forward(layers, row)
    last = layers[-1]
    reads = row[0] if len(layers) == 1 else layers[-2].a[0]
    bias = None if last.bias is None else float(last.bias[0, 0])
    return OutputUnit(reads.copy(), last.weights[:, 0].copy(), bias, float(last.z[0, 0]), float(last.a[0, 0]))


def output_sums(net: NeuralNetwork, x) -> np.ndarray:
    """The output unit's weighted sum z for each row of x: where each row sits on the output's sigmoid."""
    x = np.asarray(x, dtype=float)
    layers = Layers(net.architecture, net.params[None].copy(), len(x))
    with np.errstate(all="ignore"):
        feed_forward(layers, x)
    return layers[-1].z[:, 0].copy()


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


def symmetric_units(net: NeuralNetwork, params: np.ndarray | None = None) -> tuple[tuple[int, ...], ...]:
    """Groups of hidden units (0-based) with identical weights in and out (and bias): every update treats them
    alike, so they stay identical forever and the layer works like fewer units (equal starting weights do this)."""
    arch = net.architecture
    if len(arch.hidden) != 1:
        return ()
    (w_in, b_in), (w_out, _) = arch.split(net.params if params is None else np.asarray(params, dtype=float))
    columns = [np.r_[w_in[:, j], [] if b_in is None else [b_in[j]], w_out[j]] for j in range(arch.hidden[0])]
    groups: dict[bytes, list[int]] = {}
    for j, column in enumerate(columns):
        groups.setdefault(column.tobytes(), []).append(j)
    return tuple(tuple(g) for g in groups.values() if len(g) > 1)


@dataclass(frozen=True)
class Cause:
    """A reason the network's error stops falling, read from the network and its table.

    kind: "diverged" (training stopped: its numbers stopped being finite; value: the learning rate), "weight_limit"
    (training stopped: a weight passed the safety limit; value: the learning rate), "saturated" (rows on the wrong
    side where the sigmoid is flat; value: their largest slope), "zero_rows" (all-zero rows without a bias predict
    0.5 forever; value: the error floor), "not_separable" (no straight cut separates the 1s from the 0s, so one
    layer cannot; rows: a few rows that prove it) or "symmetric" (hidden units that stay identical; units)."""

    kind: str
    rows: tuple[int, ...] = ()
    units: tuple[tuple[int, ...], ...] = ()
    value: float | None = None


def diagnose(net: NeuralNetwork) -> list[Cause]:
    """Every cause that holds for the network as it is now, most urgent first. Each is a fact about the network:
    none is guessed from the data's preset or the settings' names."""
    causes = []
    if net.stop is not None and net.stop.kind in ("diverged", "weight_limit"):
        causes.append(Cause(net.stop.kind, value=net.stop.learning_rate))
    stuck = saturated_rows(net)
    if stuck is not None:
        causes.append(Cause("saturated", rows=stuck.rows, value=stuck.largest_slope))
    floor = error_floor(net, "mae")
    if floor is not None:  # rows stuck at 0.5 whose target is not 0.5: the error can never fall below the floor
        rows = fixed_rows(net)
        rows = rows[(net.outputs[rows] != 0.5).any(axis=1)]
        causes.append(Cause("zero_rows", rows=tuple(int(r) for r in rows), value=floor))
    if not net.architecture.hidden:
        verdict = linear_separability(net.inputs, net.outputs, bias=net.architecture.bias)
        if not verdict.separable:
            causes.append(Cause("not_separable", rows=verdict.mixed_rows))
    units = symmetric_units(net)
    if units:
        causes.append(Cause("symmetric", units=units))
    return causes
