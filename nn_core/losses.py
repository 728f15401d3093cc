"""The losses shown to the learner, each the mean over rows (and outputs) of a per-element loss.

Training itself always follows the article's update, which is gradient descent on ½·Σ(y − ŷ)²; these are what
the charts show. ``mean_abs_error`` is the article's ``np.average(np.abs(error))``, to the bit.
"""

import numpy as np

# Predictions are clipped this far from 0 and 1 before taking logs, so a saturated sigmoid
# (ŷ rounds to exactly 1.0 once z > 37) costs at most −log(1e-15) ≈ 34.5 per sample, never inf.
_CE_EPS = 1e-15


def abs_error(y, y_hat):
    return np.abs(y - y_hat)


def squared_error(y, y_hat):
    e = y - y_hat
    return e * e


def cross_entropy_terms(y, y_hat):
    p = np.clip(y_hat, _CE_EPS, 1 - _CE_EPS)
    return -(y * np.log(p) + (1 - y) * np.log1p(-p))


ELEMENTWISE = {"mae": abs_error, "mse": squared_error, "cross_entropy": cross_entropy_terms}
LOSS_NAMES = tuple(ELEMENTWISE)


def mean_abs_error(y, y_hat):
    """The article's error: mean |y − ŷ| over the last axis."""
    return abs_error(y, y_hat).mean(axis=-1)


def mean_squared_error(y, y_hat):
    return squared_error(y, y_hat).mean(axis=-1)


def cross_entropy(y, y_hat):
    """Mean −[y·log ŷ + (1 − y)·log(1 − ŷ)] over the last axis (ŷ clipped to [1e-15, 1 − 1e-15])."""
    return cross_entropy_terms(y, y_hat).mean(axis=-1)


LOSSES = {"mae": mean_abs_error, "mse": mean_squared_error, "cross_entropy": cross_entropy}


def per_network(loss, y, y_hat):
    """``loss`` (one of LOSSES' functions) of each network: y is rows × outputs, ŷ is (… × rows × outputs × N).

    The rows and outputs are made the contiguous last axis before averaging, so every network's loss is summed
    in the same order whatever the number of networks.
    """
    y_hat = np.moveaxis(y_hat, -1, -3)  # … × N × rows × outputs
    flat = np.ascontiguousarray(y_hat).reshape(*y_hat.shape[:-2], y_hat.shape[-2] * y_hat.shape[-1])
    return loss(np.reshape(y, -1), flat)
