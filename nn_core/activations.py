"""Activation functions and their derivatives, written the article's way.

Each derivative takes the function's *output*, as the article's ``sigmoid(x, deriv=True)`` does:
σ'(z) = σ(z)·(1 − σ(z)) is computed from ŷ = σ(z), never from z.
"""

import numpy as np


def sigmoid(x, deriv=False):
    """σ(x) = 1 / (1 + e^(−x)); with deriv=True, x is σ's output and the slope x·(1 − x) is returned."""
    if deriv:
        return x * (1 - x)
    # For x < −709, e^(−x) overflows to inf and 1/(1 + inf) is exactly 0, the right answer:
    # the overflow is harmless, so it is silenced rather than clipped (clipping would change the bits).
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def tanh(x, deriv=False):
    """tanh(x); with deriv=True, x is tanh's output and the slope 1 − x² is returned."""
    if deriv:
        return 1 - x * x
    return np.tanh(x)


def relu(x, deriv=False):
    """max(0, x); with deriv=True, x is relu's output and the slope (1 where x > 0, else 0) is returned."""
    if deriv:
        return (x > 0).astype(float)
    return np.maximum(x, 0.0)


ACTIVATIONS = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu}
