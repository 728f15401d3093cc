"""Training history in bounded memory.

A ``Downsampled`` series keeps one bucket per epoch until it holds ``capacity`` buckets; then neighbouring
buckets merge in pairs and each bucket covers twice as many epochs. Bucket k always starts at epoch
k·width and keeps the exact value at that epoch, plus (optionally) the min and max over its epochs, so a
plot keeps the curve's shape however long training runs. Memory never exceeds capacity × columns × 3 floats.
"""

from __future__ import annotations

import numpy as np


class Downsampled:
    """A series of rows (one per epoch, ``n_cols`` numbers each) kept in at most ``capacity`` buckets."""

    def __init__(self, n_cols: int, capacity: int, envelope: bool = True):
        if capacity < 2 or capacity % 2:
            raise ValueError("capacity must be an even number ≥ 2")
        self.n_cols, self.capacity, self.envelope = n_cols, capacity, envelope
        self.width = 1  # epochs per bucket, a power of two
        self.count = 0  # buckets in use
        self.total = 0  # rows appended
        size = min(capacity, 256)
        self._value = np.empty((size, n_cols))
        self._lo = np.empty((size, n_cols)) if envelope else None
        self._hi = np.empty((size, n_cols)) if envelope else None

    # -- reading --------------------------------------------------------------------------------------
    @property
    def epochs(self) -> np.ndarray:
        """The epoch at which each bucket starts (its value is exact there)."""
        return np.arange(self.count) * self.width

    @property
    def values(self) -> np.ndarray:
        return self._value[: self.count]

    @property
    def lows(self) -> np.ndarray:
        return self._lo[: self.count] if self.envelope else self.values

    @property
    def highs(self) -> np.ndarray:
        return self._hi[: self.count] if self.envelope else self.values

    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self._value, self._lo, self._hi) if a is not None)

    def latest_sample_at_or_before(self, epoch: int) -> tuple[int, np.ndarray]:
        k = min(epoch // self.width, self.count - 1)
        return k * self.width, self._value[k]

    @classmethod
    def side_by_side(cls, parts: list[Downsampled]) -> Downsampled:
        """The columns of several series that were appended the same number of rows, as one series."""
        first = parts[0]
        if any(p.total != first.total or p.capacity != first.capacity or p.envelope != first.envelope
               for p in parts):
            raise ValueError("only series of the same length and kind can be joined")
        joined = cls(sum(p.n_cols for p in parts), first.capacity, first.envelope)
        joined.width, joined.count, joined.total = first.width, first.count, first.total
        columns = lambda name: np.hstack([getattr(p, name)[: first.count] for p in parts])
        joined._value = columns("_value")
        if first.envelope:
            joined._lo, joined._hi = columns("_lo"), columns("_hi")
        return joined

    # -- writing --------------------------------------------------------------------------------------
    def append(self, rows: np.ndarray) -> None:
        rows = np.asarray(rows, dtype=float).reshape(-1, self.n_cols)
        while len(rows):
            filled = self.total % self.width
            if filled:  # top up the last, partly filled bucket
                k = min(self.width - filled, len(rows))
                part, rows = rows[:k], rows[k:]
                if self.envelope:
                    last = self.count - 1
                    np.minimum(self._lo[last], part.min(axis=0), out=self._lo[last])
                    np.maximum(self._hi[last], part.max(axis=0), out=self._hi[last])
                self.total += k
                continue
            if self.count == self.capacity:
                self._halve()
                continue
            n_new = min(self.capacity - self.count, -(-len(rows) // self.width))
            take = min(len(rows), n_new * self.width)
            part, rows = rows[:take], rows[take:]
            self._grow(self.count + n_new)
            new = slice(self.count, self.count + n_new)
            self._value[new] = part[:: self.width]
            if self.envelope:
                self._lo[new] = _per_bucket(np.min, part, self.width)
                self._hi[new] = _per_bucket(np.max, part, self.width)
            self.count += n_new
            self.total += take

    def truncate(self, total: int, tail: np.ndarray | None = None) -> None:
        """Keep only the first ``total`` rows, as if no more had been appended. ``tail`` gives the kept rows of the
        last, now partly filled bucket, from which its envelope is recomputed (needed when it has one)."""
        if not 0 <= total <= self.total:
            raise ValueError("can only truncate to a shorter series")
        self.count = -(-total // self.width)
        self.total = total
        partial = total % self.width
        if self.envelope and partial:
            tail = np.asarray(tail, dtype=float).reshape(-1, self.n_cols)
            if len(tail) != partial:
                raise ValueError("tail must hold the rows of the last, partly filled bucket")
            self._lo[self.count - 1] = tail.min(axis=0)
            self._hi[self.count - 1] = tail.max(axis=0)

    def _grow(self, needed: int) -> None:
        size = len(self._value)
        if needed <= size:
            return
        while size < needed:
            size = min(2 * size, self.capacity)

        def grown(a):
            b = np.empty((size, self.n_cols))
            b[: self.count] = a[: self.count]
            return b

        self._value = grown(self._value)
        if self.envelope:
            self._lo, self._hi = grown(self._lo), grown(self._hi)

    def _halve(self) -> None:
        """Merge neighbouring buckets in pairs: the width doubles, the count halves (count is even here)."""
        half = self.count // 2
        self._value[:half] = self._value[0 : self.count : 2]
        if self.envelope:
            self._lo[:half] = np.minimum(self._lo[0 : self.count : 2], self._lo[1 : self.count : 2])
            self._hi[:half] = np.maximum(self._hi[0 : self.count : 2], self._hi[1 : self.count : 2])
        self.count, self.width = half, self.width * 2


def _per_bucket(reduce, rows: np.ndarray, width: int) -> np.ndarray:
    """``reduce`` (np.min or np.max) of each run of ``width`` rows, the last run possibly shorter. (The rows seen as
    runs × width × columns: numpy's reduceat, which walks one bucket and one column at a time, took half a
    sweep's time.)"""
    whole = len(rows) // width * width
    out = reduce(rows[:whole].reshape(-1, width, rows.shape[1]), axis=1)
    if whole < len(rows):
        out = np.vstack([out, reduce(rows[whole:], axis=0, keepdims=True)])
    return out


LOSS_CAPACITY = 32_768  # exact loss at every epoch for the first 32,768 epochs (the article needs 25,000)
PARAM_CAPACITY = 2_048  # weight samples; any other epoch is re-simulated from the nearest one


class History:
    """What a network remembers of its past, in bounded memory.

    - ``losses``: the three losses (mean |error|, MSE, cross-entropy) of every epoch's predictions.
    - ``params``: the weights at bucket starts. The weights at any other epoch are recomputed exactly by re-running
      training from the nearest sample (``NeuralNetwork.params_at``), so the learner can rewind to any epoch.
    """

    def __init__(self, n_losses: int, n_params: int):
        self.losses = Downsampled(n_losses, LOSS_CAPACITY, envelope=True)
        self.params = Downsampled(n_params, PARAM_CAPACITY, envelope=False)

    def nbytes(self) -> int:
        return self.losses.nbytes() + self.params.nbytes()
