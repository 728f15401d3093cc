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
    """−[y·log p + (1 − y)·log(1 − p)], p = ŷ clipped. Where the target is 1 that is −log p, where it is 0
    −log(1 − p) (taken as log1p(−p), exact near p = 0): most tables have only those, so each element takes one
    logarithm; any other target takes both, weighed. The elements of each kind are gathered into one contiguous run
    first: numpy's logarithm over a mask of rows (``where=``) took ten times as long as over a run. (The other term
    is never 0, as p is at least 1e-15 from 0 and 1, so leaving it out changes no bit.)"""
    y = np.asarray(y, dtype=float)
    shape = np.broadcast_shapes(y.shape, np.shape(y_hat))  # (one target may meet many predictions)
    if shape[len(shape) - y.ndim :] != y.shape:
        y = np.broadcast_to(y, shape)
    p = np.clip(np.broadcast_to(y_hat, shape), CE_EPS, 1 - CE_EPS)  # a new array, worked on in place below
    p = p.reshape(-1, y.size) if y.size else p.reshape(0, 0)
    targets = y.ravel()
    terms = np.empty_like(p)
    one, zero = targets == 1, targets == 0
    for where, log_likelihood in ((one, _log_p), (zero, _log_1_minus_p), (~(one | zero), None)):
        at = np.flatnonzero(where)
        if at.size:
            part = p[:, at]
            terms[:, at] = log_likelihood(part) if log_likelihood else _weighed(targets[at], part)
    return np.negative(terms, out=terms).reshape(shape)


def _log_p(p):
    return np.log(p, out=p)


def _log_1_minus_p(p):
    return np.log1p(np.negative(p, out=p), out=p)


def _weighed(y, p):
    """y·log p + (1 − y)·log(1 − p), for targets strictly between 0 and 1."""
    return np.multiply(y, np.log(p)) + np.multiply(1 - y, _log_1_minus_p(p))


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
