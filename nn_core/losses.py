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
    """−[y·log p + (1 − y)·log(1 − p)], p = ŷ clipped (see ``CrossEntropy``)."""
    y = np.asarray(y, dtype=float)
    shape = np.broadcast_shapes(y.shape, np.shape(y_hat))  # (one target may meet many predictions)
    if shape[len(shape) - y.ndim :] != y.shape:
        y = np.broadcast_to(y, shape)
    return CrossEntropy(y).terms(np.broadcast_to(y_hat, shape))


class CrossEntropy:
    """The cross-entropy's terms against the targets y, for predictions of y's shape (with any axes before).

    Where the target is 1 the term −[y·log p + (1 − y)·log(1 − p)] is −log p, where it is 0 −log(1 − p) (taken as
    log1p(−p), exact near p = 0): most tables have only those, so each element takes one logarithm; any other target
    takes both, weighed. (The other term is never 0, as p is at least 1e-15 from 0 and 1, so leaving it out changes
    no bit.) The targets are sorted by kind once, and the elements of each kind are gathered into one contiguous run
    before their logarithm is taken: numpy's logarithm over a mask (``where=``) took ten times as long."""

    def __init__(self, y):
        self.y = np.asarray(y, dtype=float)
        targets = self.y.ravel()
        one, zero = targets == 1, targets == 0
        self.kinds = [(np.flatnonzero(one), _log_p), (np.flatnonzero(zero), _log_1_minus_p)]
        other = ~(one | zero)
        self.others, self.other_targets = np.flatnonzero(other), targets[other]

    def terms(self, y_hat):
        p = np.clip(y_hat, CE_EPS, 1 - CE_EPS)  # a new array
        flat = p.reshape(-1, self.y.size) if self.y.size else p.reshape(0, 0)
        terms = np.empty_like(flat)
        for at, log_likelihood in self.kinds:
            if at.size:
                terms[:, at] = log_likelihood(flat[:, at])
        if self.others.size:
            terms[:, self.others] = _weighed(self.other_targets, flat[:, self.others])
        return np.negative(terms, out=terms).reshape(p.shape)


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


BLOCK_FLOATS = 2**14  # predictions whose losses are worked out at once (128 KB: see every_loss)


def every_loss(y, y_hat):
    """Every loss of LOSS_NAMES for each network of each epoch, as ``per_network`` gives each: ŷ is epochs ×
    networks × rows × outputs, the result epochs × networks × LOSS_NAMES. A block of epochs at a time, so that
    the arrays in between stay small: a chunk's worth of them, taken afresh, cost more than the arithmetic (past
    128 KB an array is fresh memory from the system, a page fault every 4 KB)."""
    y = np.asarray(y, dtype=float)
    if y_hat.shape[y_hat.ndim - y.ndim :] != y.shape:
        y = np.broadcast_to(y, y_hat.shape[1:])
    cross_entropy = CrossEntropy(y)
    losses = np.empty((*y_hat.shape[:-2], len(LOSS_NAMES)))
    step = max(1, BLOCK_FLOATS // max(1, y_hat[:1].size))
    for i in range(0, len(y_hat), step):
        block, out = y_hat[i : i + step], losses[i : i + step]
        error = np.subtract(y, block)  # worked out once for the first two
        out[..., LOSS_NAMES.index("mse")] = _mean(np.multiply(error, error))
        out[..., LOSS_NAMES.index("mae")] = _mean(np.abs(error, out=error))
        out[..., LOSS_NAMES.index("cross_entropy")] = _mean(cross_entropy.terms(block))
    return losses


def _mean(terms):
    """Each network's mean of its terms (the last two axes), bit for bit as numpy's mean takes it. numpy sums fewer
    than 8 numbers one after the other (more, pairwise): a network of fewer than 8 terms (the article's 6 rows) has
    its sum made here across all networks at once, a term at a time: numpy's reduction over a few numbers at a time
    took five times as long (2.1 ms a chunk of a sweep of 500 networks, against 0.45)."""
    n = terms.shape[-2] * terms.shape[-1]
    if not 0 < n < 8:
        return np.add.reduce(terms, axis=(-2, -1)) / n
    each = terms.reshape(*terms.shape[:-2], n)
    total = each[..., 0].copy()
    for k in range(1, n):
        total += each[..., k]
    return total / n


def per_network(name: str, y, y_hat):
    """The loss ``name`` of each network: y is rows × outputs (or networks × rows × outputs), ŷ is (… × networks ×
    rows × outputs); the result is (… × networks).

    Each network's terms are summed in the order numpy's mean sums one network's (the article's np.average; see
    ``_mean``), so a loss is the same bits alone or in a batch of any size.
    """
    return _mean(ELEMENTWISE[name](y, y_hat))
