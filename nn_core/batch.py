"""Many networks trained at once on the same data: learning-rate sweeps and random starts.

They run network.py's ``train`` with one column of parameters per network, so a sweep of 200 networks costs a few
times one network, and each network follows exactly the path it would follow alone, with the same stop rule
(model.py): one that diverges is frozen at its last finite weights, as a single network stops there. A sweep keeps
only what its charts draw: each network's mean |error| per epoch, thinned to a few hundred points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .datasets import TrainingSet
from .errors import InputError
from .history import Downsampled
from .losses import per_network
from .model import WEIGHT_LIMIT
from .network import Record, predict, train
from .settings import MAX_EPOCHS, Settings, check_learning_rate

MAX_NETWORKS = 500
MAX_WORK = 2_000_000_000  # networks × epochs × Architecture.epoch_work(rows) in one call: 10 to 25 s here
_GROUP_BYTES = 8 * 2**20  # what the networks trained together keep of one pass over the rows
_LAYER_ARRAYS = 7  # arrays a layer keeps per row, unit and network (network.Layer)
CURVE_POINTS = 256  # buckets kept per network's error curve (see history.Downsampled)
_CHUNK_FLOATS = 2**18


@dataclass(frozen=True)
class BatchResult:
    """The outcome of ``train_many``; network i is column i of ``errors`` and row i of the rest.

    errors: each network's mean |error| per epoch (the article's error history), thinned: ``errors.epochs`` are
        the buckets' first epochs, ``errors.values`` the exact errors there, ``errors.lows``/``highs`` each bucket's
        range. NaN from a network's divergence on.
    weights: final parameters (networks × P), in ``Architecture.parameter_names`` order.
    final_error: the mean |error| of the final weights.
    diverged_at: the epoch whose update diverged (it was not applied), or -1.
    stalled: the last update left the network's weights exactly as they were (a fixed point).
    """

    settings: list[Settings]
    learning_rates: np.ndarray
    seeds: list[int | None]
    epochs: int
    errors: Downsampled
    starts: np.ndarray  # the starting parameters (networks × P)
    weights: np.ndarray
    final_error: np.ndarray
    diverged_at: np.ndarray
    stalled: np.ndarray


def train_many(data: TrainingSet, settings: list[Settings], epochs: int, progress=None) -> BatchResult:
    """Train one network per entry of ``settings`` for ``epochs`` epochs, all at once.

    The settings may differ in learning rate and starting weights (init, seed) only: the networks share the data,
    the architecture and the row order of online training (that of the first entry's seed).
    """
    n = len(settings)
    if not 1 <= n <= MAX_NETWORKS:
        raise InputError(f"train between 1 and {MAX_NETWORKS:,} networks at once")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or not 0 <= epochs <= MAX_EPOCHS:
        raise InputError(f"epochs must be a whole number from 0 to {MAX_EPOCHS:,}")
    settings = [s.resolved() for s in settings]
    first = settings[0]
    rows = len(data.inputs)
    first.check_rows(rows)
    arch = first.architecture(data.inputs.shape[1], data.outputs.shape[1])
    if any(_shared(s) != _shared(first) for s in settings):
        raise InputError("the networks of one sweep differ only in their learning rate and starting weights")
    per_network_epoch = arch.epoch_work(rows)
    if n * epochs * per_network_epoch > MAX_WORK:
        most = MAX_WORK // (n * per_network_epoch)
        raise InputError(f"{n:,} networks × {epochs:,} epochs is too much work for this network on {rows:,} rows; "
                         f"at most {most:,} epochs with {n:,} networks", "sweep_work",
                         networks=f"{n:,}", epochs=f"{epochs:,}", rows=f"{rows:,}", most=f"{most:,}")
    rates = np.array([check_learning_rate(s.learning_rate) for s in settings])
    # Networks are trained a group at a time, so that what one pass over the rows keeps stays small (see
    # network.Layer) however many rows and hidden units there are; each network's path is the same either way.
    group = max(1, _GROUP_BYTES // (rows * sum(arch.sizes[1:]) * _LAYER_ARRAYS * 8))
    parts = []
    for a in range(0, n, group):
        size = min(group, n - a)
        report = None if progress is None else (
            lambda done, _total, a=a, size=size: progress((a * epochs + done * size) // n, epochs))
        parts.append(_train_group(data, settings[a : a + size], rates[a : a + size], epochs, arch, first, report))
    if len(parts) == 1:
        return parts[0]
    join = lambda name, stack=np.concatenate: stack([getattr(p, name) for p in parts])
    return BatchResult(settings, rates, [s.seed for s in settings], epochs,
                       Downsampled.side_by_side([p.errors for p in parts]), join("starts", np.vstack),
                       join("weights", np.vstack), join("final_error"), join("diverged_at"), join("stalled"))


def _train_group(data: TrainingSet, settings: list[Settings], rates: np.ndarray, epochs: int, arch, first: Settings,
                 progress) -> BatchResult:
    """``train_many`` for one group of networks (``first``: the whole sweep's first settings, whose seed orders
    the rows of online training)."""
    n = len(settings)
    params = np.stack([s.initial_parameters(arch) for s in settings], axis=1)  # parameters × networks
    starts = params.T.copy()

    errors = Downsampled(n, CURVE_POINTS)
    diverged_at = np.full(n, -1)
    stalled = np.zeros(n, dtype=bool)
    frozen = params.copy()  # the last finite weights of every diverged network
    rows = len(data.inputs)
    chunk = int(max(1, min(1024, _CHUNK_FLOATS // (n * (data.outputs.size + arch.n_params)))))
    done = 0
    while done < epochs:
        k = min(chunk, epochs - done)
        record = Record(arch, rows, k, n)
        record.params[0] = params
        order = first.row_order(done, k, rows)
        live = np.where(diverged_at < 0, rates, 0.0)  # a diverged network stands still
        with np.errstate(all="ignore"):
            train(params, data.inputs, data.outputs, live, k, arch, record, order)
            chunk_errors = per_network("mae", data.outputs, record.predictions)  # k × networks
        blown = ~(np.abs(record.params[1:]) <= WEIGHT_LIMIT).all(axis=1)  # k × networks; NaN counts as blown
        for i in np.flatnonzero(blown.any(axis=0) & (diverged_at < 0)):
            first_bad = int(np.argmax(blown[:, i]))
            diverged_at[i] = done + first_bad
            frozen[:, i] = record.params[first_bad, :, i]
            chunk_errors[first_bad + 1 :, i] = np.nan
        dead = diverged_at >= 0
        chunk_errors[:, dead & (diverged_at < done)] = np.nan
        params[:, dead] = frozen[:, dead]
        stalled = (record.params[-1] == record.params[-2]).all(axis=0) & ~dead
        errors.append(chunk_errors)
        done += k
        if progress is not None:
            progress(done, epochs)
    final = np.full(n, np.nan)
    alive = diverged_at < 0
    if alive.any():
        with np.errstate(all="ignore"):
            final[alive] = per_network("mae", data.outputs, predict(arch, params[:, alive], data.inputs))
    return BatchResult(settings, rates, [s.seed for s in settings], epochs, errors, starts, params.T.copy(), final,
                       diverged_at, stalled)


_OWN = ("learning_rate", "init", "seed")  # what each network of a sweep may have of its own


def _shared(settings: Settings) -> tuple:
    """What every network of a sweep must have in common: everything but the learning rate and the start."""
    return tuple(getattr(settings, name) for name in Settings.field_names() if name not in _OWN)
