"""Activation functions and their slopes, for whole arrays at once, computed the article's way.

Each writes into ``out`` when given one (the training loop reuses its arrays epoch after epoch) and follows the
article's order of operations, so the bits are the article's: ``sigmoid`` is ``1 / (1 + np.exp(-z))``, and its
slope is taken from its *output*, as the article's ``sigmoid(x, deriv=True)`` does: σ'(z) = a·(1 − a), a = σ(z).

The training loop calls them under ``np.errstate(all="ignore")``: for z < −709, e^(−z) overflows to inf and
1/(1 + inf) is exactly 0, the right answer, so the overflow is silenced rather than clipped (clipping would
change the bits). ``activate`` is the same for callers outside the loop.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# 1 and 0 as read-only 0-d arrays: numpy converts a Python 1.0 afresh at every call, which on these small
# arrays costs as much as the arithmetic itself (one of the reasons the article's loop is slow).
ONE = np.array(1.0)
ZERO = np.array(0.0)
ONE.setflags(write=False)
ZERO.setflags(write=False)


def sigmoid(z, out=None):
    """σ(z) = 1 / (1 + e^(−z))."""
    out = np.negative(z, out)
    np.exp(out, out)
    np.add(ONE, out, out)
    return np.divide(ONE, out, out)


def sigmoid_slope(a, out=None):
    """σ'(z) from σ's output a: a·(1 − a)."""
    out = np.subtract(ONE, a, out)
    return np.multiply(a, out, out)


def tanh(z, out=None):
    return np.tanh(z, out)


def tanh_slope(a, out=None):
    """tanh'(z) from tanh's output a: 1 − a·a."""
    out = np.multiply(a, a, out)
    return np.subtract(ONE, out, out)


def relu(z, out=None):
    """max(0, z)."""
    return np.maximum(z, ZERO, out=out)


def relu_slope(a, out=None):
    """relu'(z) from relu's output a: 1 where a > 0, else 0."""
    if out is None:
        return (a > ZERO).astype(float)
    return np.greater(a, ZERO, out=out, casting="unsafe")


class Activation(NamedTuple):
    name: str
    function: object  # (z, out=None) -> activation(z)
    slope: object  # (a, out=None) -> activation'(z), from the activation's output a


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_slope),
    "tanh": Activation("tanh", tanh, tanh_slope),
    "relu": Activation("relu", relu, relu_slope),
}


def activate(name: str, z) -> np.ndarray:
    """The activation ``name`` of z, for any caller (e.g. σ(z) for the Sigmoid page): never warns."""
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        return ACTIVATIONS[name].function(z.reshape(-1)).reshape(z.shape)


def activation_slope(name: str, a) -> np.ndarray:
    """The activation's slope at the point where it outputs a (e.g. a(1 − a) for the sigmoid)."""
    a = np.asarray(a, dtype=float)
    return ACTIVATIONS[name].slope(a.reshape(-1)).reshape(a.shape)
