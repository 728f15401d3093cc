"""What can be proven about a network on its data: the sources of the sentences the app shows about it.

Every claim here is computed from the network and its table, never assumed from a preset's name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .losses import ELEMENTWISE
from .model import NeuralNetwork

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


def error_floor(net: NeuralNetwork, loss: str) -> float | None:
    """A value the ``loss`` can never go below for this network and table, or None if none is proven.

    The fixed rows contribute their loss at ŷ = 0.5 and every other row at least 0. It is computed as the mean of
    an array that is the loss's own per-element array with the other rows set to 0, so, floating point included,
    the real loss (the same mean over values at least as large) can never be smaller.
    """
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
    p = net.predictions_for((net.params if params is None else params)[:, None])[:, :, 0]
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
    from .network import feed_forward, layers_for

    p = (net.params if params is None else params).reshape(-1, 1).copy()
    row = net.layer_outputs_for(x, p[:, 0])[0][:1]
    layers, _ = layers_for(net.architecture, p, 1)
    with np.errstate(all="ignore"):
        feed_forward(layers, row)
    last = layers[-1]
    reads = row[0] if len(layers) == 1 else layers[-2].output[0, :, 0]
    return OutputUnit(reads.copy(), last.weights[:, 0, 0].copy(), None if last.bias is None else float(last.bias[0, 0]),
                      float(last.z[0, 0, 0]), float(last.output[0, 0, 0]))


def output_sums(net: NeuralNetwork, x) -> np.ndarray:
    """The output unit's weighted sum z for each row of x: where each row sits on the output's sigmoid."""
    from .network import feed_forward, layers_for

    x = np.asarray(x, dtype=float)
    layers, _ = layers_for(net.architecture, net.params.reshape(-1, 1).copy(), len(x))
    with np.errstate(all="ignore"):
        feed_forward(layers, x)
    return layers[-1].z[:, 0, 0].copy()
