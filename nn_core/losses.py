"""The losses shown to the learner, each the mean over rows (and outputs) of a per-element loss.

Training itself always follows the article's update, which is gradient descent on ½·Σ(y − ŷ)²; these are what
the charts show. ``mean_abs_error`` is the article's ``np.average(np.abs(error))``, to the bit.
"""

import numpy as np

# Predictions are clipped this far from 0 and 1 before taking logs, so a saturated sigmoid
# (ŷ rounds to exactly 1.0 once z > 37) costs at most −log(1e-15) ≈ 34.5 per sample, never inf.
_CE_EPS = 1e-15


def abs_error(y, y_hat):
    e = np.subtract(y, y_hat)
    return np.abs(e, out=e)  # in place: a sweep's errors are large, and a second array costs as much as the sum


def squared_error(y, y_hat):
    e = np.subtract(y, y_hat)
    return np.multiply(e, e, out=e)


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


def per_network(name: str, y, y_hat):
    """The loss ``name`` of each network: y is rows × outputs, ŷ is (… × rows × outputs × N); the result is (… × N).

    The networks stay the last axis, so each numpy call runs along all of them at once (a sweep of 500 networks on
    6 rows is 6 long loops, not 500 × … short ones). Each network's terms are summed in exactly the order numpy's
    mean sums one network's contiguous errors (the article's np.average), so a loss is the same bits alone or in
    a sweep of any size.
    """
    *outer, rows, outputs, networks = np.shape(y_hat)
    terms = ELEMENTWISE[name](np.reshape(y, (-1, 1)), np.reshape(y_hat, (*outer, rows * outputs, networks)))
    return numpy_order_sum(terms) / terms.shape[-2]


def numpy_order_sum(x):
    """Σ over axis −2 of x (… × n × N), adding in the order numpy adds a contiguous run of n float64 (its pairwise
    summation: one by one below 8, then 8 running sums, halves above 128), for every column at once."""
    n = x.shape[-2]
    if n < 8:
        total = x[..., 0, :].copy()
        for i in range(1, n):
            total += x[..., i, :]
        return total
    if n <= 128:
        r = x[..., :8, :].copy()
        whole = n - n % 8
        for i in range(8, whole, 8):
            r += x[..., i : i + 8, :]
        total = ((r[..., 0, :] + r[..., 1, :]) + (r[..., 2, :] + r[..., 3, :])) + \
                ((r[..., 4, :] + r[..., 5, :]) + (r[..., 6, :] + r[..., 7, :]))
        for i in range(whole, n):
            total += x[..., i, :]
        return total
    half = n // 2 - (n // 2) % 8
    return numpy_order_sum(x[..., :half, :]) + numpy_order_sum(x[..., half:, :])
