"""Many networks trained at once, vectorised over networks: learning-rate and initialisation sweeps.

All networks share the data and the architecture; each has its own learning rate and starting weights.
One epoch of all of them costs a handful of numpy calls, so a sweep of 1,000 networks runs hundreds of
times faster than 1,000 separate runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .architecture import Architecture
from .datasets import TrainingSet
from .errors import InputError
from .kernels import train_layered
from .network import DIVERGENCE_LIMIT, check_learning_rate, initial_parameters

MAX_NETWORKS = 10_000
MAX_CELLS = 20_000_000  # networks × epochs in the returned error history (160 MB of float64)


@dataclass(frozen=True)
class BatchResult:
    """The outcome of ``train_many``: row i belongs to network i.

    weights: final parameters (networks × P, in ``Architecture.parameter_names`` order); NaN for a network
        that diverged (see ``diverged_at``).
    error_history: the article's mean |error| per epoch (networks × epochs); NaN from a network's divergence on.
    diverged_at: the epoch each network diverged at (its update sent a weight past ±1000 or to inf), or -1.
    """

    architecture: Architecture
    learning_rates: np.ndarray
    seeds: list[int | None]
    weights: np.ndarray
    error_history: np.ndarray
    diverged_at: np.ndarray

    @property
    def final_error(self) -> np.ndarray:
        return self.error_history[:, -1] if self.error_history.shape[1] else np.full(len(self.weights), np.nan)


def train_many(inputs, outputs=None, *, learning_rates, epochs: int, bias=False, hidden=(), activation="sigmoid",
               init=0.5, seeds=None, progress=None) -> BatchResult:
    """Train one network per learning rate (and/or per seed) on the same data, all at once.

    ``learning_rates`` is one rate or a list; ``seeds`` a list of seeds for init="random" (an initialisation
    sweep). With both lists they must have the same length; a single rate is shared by every seed.
    """
    data = inputs if isinstance(inputs, TrainingSet) else TrainingSet(inputs, outputs)
    arch = Architecture(data.inputs.shape[1], data.outputs.shape[1], hidden, bias, activation)
    rates = np.array([check_learning_rate(r) for r in np.atleast_1d(np.asarray(learning_rates, dtype=object))])
    seed_list = list(seeds) if seeds is not None else [None]
    n = max(len(rates), len(seed_list))
    if len(rates) not in (1, n) or len(seed_list) not in (1, n):
        raise InputError("learning_rates and seeds must have the same length (or one of them a single value)")
    if not 1 <= n <= MAX_NETWORKS:
        raise InputError(f"train between 1 and {MAX_NETWORKS:,} networks at once")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise InputError("epochs must be a whole number ≥ 0")
    if n * epochs > MAX_CELLS:
        raise InputError(f"networks × epochs is {n * epochs:,}; the limit is {MAX_CELLS:,}")
    rates = np.broadcast_to(rates, n).copy()
    seed_list = seed_list * n if len(seed_list) == 1 else seed_list
    if isinstance(init, str):  # one random start per seed
        params = np.stack([initial_parameters(arch, init, s) for s in seed_list])
    else:
        params = np.tile(initial_parameters(arch, init, None), (n, 1))

    history = np.empty((n, epochs))
    diverged_at = np.full(n, -1)
    alive_rates = rates.copy()
    # Chunks keep the per-chunk records small (a fresh 20 MB buffer costs more in page faults than training).
    chunk = int(max(1, min(1024, 2**18 // n)))
    done = 0
    while done < epochs:
        m = min(chunk, epochs - done)
        errors, size = train_layered(data.inputs, data.outputs, params, arch, alive_rates, m, mode="sweep")
        history[:, done : done + m] = errors.T
        bad = ~(size <= DIVERGENCE_LIMIT)  # epochs × networks; the negation also catches NaN
        for i in np.flatnonzero(bad.any(axis=0) & (diverged_at < 0)):
            first = int(np.argmax(bad[:, i]))
            diverged_at[i] = done + first
            history[i, done + first + 1 :] = np.nan
            alive_rates[i] = 0.0  # a dead network stops moving; its row is NaN from here on
            params[i] = np.nan
        done += m
        if progress is not None:
            progress(done, epochs)
    for i in np.flatnonzero(diverged_at >= 0):
        history[i, diverged_at[i] + 1 :] = np.nan
    return BatchResult(arch, rates, seed_list, params, history, diverged_at)
