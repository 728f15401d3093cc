"""The losses shown to the learner. Each maps targets y and predictions ŷ to one number per row of a batch.

Training itself always follows the article's update, which is gradient descent on ½·Σ(y − ŷ)²;
these are what the charts show. Each averages over ``axis`` (default: the last).
``mean_abs_error`` is the article's ``np.average(np.abs(error))``.
"""

import numpy as np

# Predictions are clipped this far from 0 and 1 before taking logs, so a saturated sigmoid
# (ŷ rounds to exactly 1.0 once z > 37) costs at most −log(1e-15) ≈ 34.5 per sample, never inf.
_CE_EPS = 1e-15


def mean_abs_error(y, y_hat, axis=-1):
    """The article's error: mean |y − ŷ| over ``axis``."""
    return np.abs(y - y_hat).mean(axis=axis)


def mean_squared_error(y, y_hat, axis=-1):
    """Mean (y − ŷ)² over ``axis``."""
    e = y - y_hat
    return (e * e).mean(axis=axis)


def cross_entropy(y, y_hat, axis=-1):
    """Mean −[y·log ŷ + (1 − y)·log(1 − ŷ)] over ``axis`` (ŷ clipped to [1e-15, 1 − 1e-15])."""
    p = np.clip(y_hat, _CE_EPS, 1 - _CE_EPS)
    return -(y * np.log(p) + (1 - y) * np.log1p(-p)).mean(axis=axis)


LOSSES = {"mae": mean_abs_error, "mse": mean_squared_error, "cross_entropy": cross_entropy}
LOSS_NAMES = tuple(LOSSES)


def slope_wrt_z(loss: str, y, y_hat):
    """∂loss/∂z for a sigmoid output ŷ = σ(z), per sample (mean over the n samples of the last axis).

    Why cross-entropy suits a sigmoid: its slope is simply (ŷ − y)/n, with no ŷ(1 − ŷ) factor to vanish
    when the sigmoid saturates, while mean |error| and MSE carry that factor (the article's plateau).
    """
    n = np.shape(y_hat)[-1]
    sigmoid_slope = y_hat * (1 - y_hat)
    if loss == "mae":
        return np.sign(y_hat - y) * sigmoid_slope / n
    if loss == "mse":
        return 2 * (y_hat - y) * sigmoid_slope / n
    if loss == "cross_entropy":
        return (y_hat - y) / n
    raise ValueError(f"unknown loss {loss!r}")
