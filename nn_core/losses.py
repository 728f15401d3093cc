"""The losses shown to the learner, each the mean over rows (and outputs) of a per-element loss.

Training itself always follows the article's update, which is gradient descent on ½·Σ(y − ŷ)²; these are what
the charts show. ``mean_abs_error`` is the article's ``np.average(np.abs(error))``, to the bit.
"""

import numpy as np

# Predictions are clipped this far from 0 and 1 before taking logs, so a saturated sigmoid
# (ŷ rounds to exactly 1.0 once z > 37) costs at most −log(1e-15) ≈ 34.5 per sample, never inf.
CE_EPS = 1e-15


def abs_error(y, y_hat):
    e = np.subtract(y, y_hat)
    return np.abs(e, out=e)  # in place: a sweep's errors are large, and a second array costs as much as the sum


def squared_error(y, y_hat):
    e = np.subtract(y, y_hat)
    return np.multiply(e, e, out=e)


def cross_entropy_terms(y, y_hat):
    """−[y·log p + (1 − y)·log(1 − p)], p = ŷ clipped. A term whose weight (y, or 1 − y) is 0 is 0, so it is not
    worked out: where the target is 0 or 1 (most tables) one logarithm is taken per row, not two. The bits are the
    same: the other term is never 0 (p is at least 1e-15 from 0 and 1), and adding a zero leaves it as it is."""
    shape = np.broadcast_shapes(np.shape(y), np.shape(y_hat))  # (one target may meet many predictions)
    p = np.clip(np.broadcast_to(y_hat, shape), CE_EPS, 1 - CE_EPS)  # a new array: worked on in place below
    surprise = np.zeros_like(p)
    np.log(p, out=surprise, where=y != 0)
    np.multiply(y, surprise, out=surprise)  # y·log p
    other = np.zeros_like(p)
    np.log1p(np.negative(p, out=p), out=other, where=y != 1)
    np.multiply(1 - y, other, out=other)  # (1 − y)·log(1 − p)
    surprise += other
    return np.negative(surprise, out=surprise)


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


BLOCK_FLOATS = 2**15  # predictions whose losses are worked out at once (256 KB)


def every_loss(y, y_hat):
    """Every loss of LOSS_NAMES for each network of each epoch, as ``per_network`` gives each: ŷ is epochs ×
    networks × rows × outputs, the result epochs × networks × LOSS_NAMES. A block of epochs at a time, so that
    the arrays in between stay small: a chunk's worth of them, taken afresh, cost more than the arithmetic."""
    step = max(1, BLOCK_FLOATS // max(1, y_hat[:1].size))
    return np.concatenate([_every_loss(y, y_hat[i : i + step]) for i in range(0, max(1, len(y_hat)), step)])


def _every_loss(y, y_hat):
    """``every_loss`` of one block, the error y − ŷ worked out once for the first two."""
    error = np.subtract(y, y_hat)
    losses = {"mse": np.multiply(error, error).mean(axis=(-2, -1)),
              "mae": np.abs(error, out=error).mean(axis=(-2, -1)),
              "cross_entropy": cross_entropy_terms(y, y_hat).mean(axis=(-2, -1))}
    return np.stack([losses[name] for name in LOSS_NAMES], axis=-1)


def per_network(name: str, y, y_hat):
    """The loss ``name`` of each network: y is rows × outputs (or networks × rows × outputs), ŷ is (… × networks ×
    rows × outputs); the result is (… × networks).

    Each network's terms are a contiguous block, summed by numpy's mean exactly as it sums one network's (the
    article's np.average), so a loss is the same bits alone or in a batch of any size.
    """
    return ELEMENTWISE[name](y, y_hat).mean(axis=(-2, -1))
