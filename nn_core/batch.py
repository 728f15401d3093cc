"""Many networks trained at once on the same data: learning-rate sweeps and random starts.

They run network.py's ``train`` on one batch of networks (networks on the first axis), so a sweep of 200 networks
costs a few times one network, and each network follows exactly the path it would follow alone, bit for bit, with
its own row order (online) and the same stop rule (stops.py): one that stops is held where it stopped, as a single
network stays there. A sweep keeps only what its charts draw: each network's mean |error| per epoch, thinned to a
few hundred points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .datasets import TrainingSet
from .errors import InputError
from .history import Downsampled
from .losses import per_network
from .network import Layers, Record, predict, train
from .settings import MAX_EPOCHS, Settings
from .stops import Stop, first_stops, online_fixed_point

MAX_NETWORKS = 500
MAX_WORK = 2_000_000_000  # networks × epochs × Architecture.epoch_work(rows) in one call: 10 to 25 s here
_GROUP_FLOATS = 2**20  # what the networks trained together keep of one pass over the rows (8 MB)
_CHUNK_FLOATS = 2**20  # what one chunk of a sweep records (8 MB): long chunks, few looks at the stop rule
CURVE_POINTS = 256  # buckets kept per network's error curve (see history.Downsampled)


@dataclass(frozen=True)
class BatchResult:
    """The outcome of ``train_many``; network i is column i of ``errors`` and row i of the rest.

    errors: each network's mean |error| per epoch (the article's error history), thinned: ``errors.epochs`` are
        the buckets' first epochs, ``errors.values`` the exact errors there, ``errors.lows``/``highs`` each bucket's
        range. NaN after a network stopped.
    weights: final parameters (networks × P), in ``Architecture.parameter_names`` order.
    final_error: the mean |error| of the final weights.
    stops: why each network stopped by itself (stops.py), or None.
    """

    settings: list[Settings]
    learning_rates: np.ndarray
    seeds: list[int | None]
    epochs: int
    errors: Downsampled
    starts: np.ndarray  # the starting parameters (networks × P)
    weights: np.ndarray
    final_error: np.ndarray
    stops: list[Stop | None]

    def stopped(self, kind: str) -> np.ndarray:
        """Which networks training stopped by itself for ``kind`` (stops.py): "diverged" (numbers no longer finite),
        "weight_limit" (a weight past the safety limit) or "fixed_point" (an update changed nothing)."""
        return np.array([s is not None and s.kind == kind for s in self.stops])


def train_many(data: TrainingSet, settings: list[Settings], epochs: int, progress=None) -> BatchResult:
    """Train one network per entry of ``settings`` for ``epochs`` epochs, all at once.

    The settings may differ in learning rate and starting weights (init, seed) only: the networks share the data
    and the architecture. With online training each network visits the rows in its own seed's order.
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
    common = _shared(first)
    if any(_shared(s) != common for s in settings):
        raise InputError("the networks of one sweep differ only in their learning rate and starting weights")
    per_network_epoch = arch.epoch_work(rows)
    if n * epochs * per_network_epoch > MAX_WORK:
        most = MAX_WORK // (n * per_network_epoch)
        raise InputError(f"{n:,} networks × {epochs:,} epochs is too much work for this network on {rows:,} rows; "
                         f"at most {most:,} epochs with {n:,} networks", "sweep_work",
                         networks=f"{n:,}", epochs=f"{epochs:,}", rows=f"{rows:,}", most=f"{most:,}")
    # Networks are trained a group at a time, so that what one pass over the rows keeps stays small (see
    # network.Layers) however many rows and hidden units there are; each network's path is the same either way.
    group = max(1, _GROUP_FLOATS // (rows * sum(arch.sizes[1:]) * Layers.ARRAYS_PER_UNIT))
    parts = []
    for a in range(0, n, group):
        size = min(group, n - a)
        report = None if progress is None else (
            lambda done, _total, a=a, size=size: progress((a * epochs + done * size) // n, epochs))
        parts.append(_train_group(data, settings[a : a + size], epochs, arch, report))
    if len(parts) == 1:
        return parts[0]
    join = lambda name, stack=np.concatenate: stack([getattr(p, name) for p in parts])
    return BatchResult(settings, join("learning_rates"), [s.seed for s in settings], epochs,
                       Downsampled.side_by_side([p.errors for p in parts]), join("starts", np.vstack),
                       join("weights", np.vstack), join("final_error"), [s for p in parts for s in p.stops])


def _train_group(data: TrainingSet, settings: list[Settings], epochs: int, arch, progress) -> BatchResult:
    """``train_many`` for one group of networks."""
    n, rows = len(settings), len(data.inputs)
    rates = np.array([s.learning_rate for s in settings])
    optimiser = settings[0].optimiser(rates)
    n_params = arch.n_params
    state = np.zeros((n, n_params * (1 + optimiser.slots_per_parameter)))
    state[:, :n_params] = [s.initial_parameters(arch) for s in settings]
    starts = state[:, :n_params].copy()
    # Every network's own copy of the targets (networks × rows × outputs): numpy takes y − ŷ of one table shared by
    # every network in short runs, a table's length at a time; laid out for each network it is one long run (500
    # networks of the article's table: 3.6 µs an epoch against 1.0, and a chunk's errors 1.45 ms against 0.95).
    targets = np.broadcast_to(data.outputs, (n, *data.outputs.shape)).copy()
    layers = Layers(arch, state, rows, batch=True)  # (the networks axis even for one: the targets have it)
    online = settings[0].batch == "online"
    row_layers = Layers(arch, state, 1, batch=True) if online else None

    errors = Downsampled(n, CURVE_POINTS)
    stops: list[Stop | None] = [None] * n
    held = np.zeros(n, dtype=bool)  # networks that stopped: held at the state where they stopped
    chunk = min(epochs, Record.epochs_that_fit(n, data.outputs.size, state.shape[1], _CHUNK_FLOATS))
    # One Record for every chunk, each recording over the last: fresh memory costs a page fault every 4 KB as it is
    # first written (keeping 500 networks took 9.1 ns a network-epoch in a new Record per chunk, 3.6 in one reused).
    record = Record(state, rows, data.outputs.shape[1], chunk)
    done = 0
    while done < epochs:
        k = min(chunk, epochs - done)
        order = np.stack([s.row_order(done, k, rows) for s in settings], axis=1) if online else None
        record.states[0] = state  # where this chunk starts
        with np.errstate(all="ignore"):
            train(layers, data.inputs, targets, optimiser, k, record, row_layers, order)
            chunk_errors = per_network("mae", targets, record.predictions[:k])  # k × networks
        states = record.states[: k + 1]
        confirm = None if order is None else (lambda i, e, order=order, states=states: online_fixed_point(
            arch, settings[i].optimiser(), states[e, i], data.inputs, data.outputs, order[e, i]))
        kept, found = first_stops(states, n_params, np.full(n, done), rates, confirm)
        newly = ~held & np.array([f is not None for f in found])
        for i in np.flatnonzero(newly):
            stops[i] = found[i]
            chunk_errors[kept[i] + 1 :, i] = np.nan  # the stopped network's error curve ends where it stopped
        chunk_errors[:, held] = np.nan
        state[newly] = states[kept[newly], np.flatnonzero(newly)]
        state[held] = states[0, held]  # a network that stopped stands still
        held |= newly
        errors.append(chunk_errors)
        done += k
        if progress is not None:
            progress(done, epochs)
    with np.errstate(all="ignore"):
        final = per_network("mae", data.outputs, predict(arch, state[:, :n_params], data.inputs))
    return BatchResult(settings, rates, [s.seed for s in settings], epochs, errors, starts, state[:, :n_params].copy(),
                       final, stops)


_OWN = ("learning_rate", "init", "seed")  # what each network of a sweep may have of its own
_SHARED = tuple(name for name in Settings.field_names() if name not in _OWN)


def _shared(settings: Settings) -> tuple:
    """What every network of a sweep must have in common: everything but the learning rate and the start."""
    return tuple(getattr(settings, name) for name in _SHARED)
