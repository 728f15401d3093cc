"""When training stops by itself: one rule for a network alone and for each network of a sweep or a class.

Training stops only where going on is provably useless or unsafe, never on a guess:
- "fixed_point": an update left the whole state (every parameter, and the optimiser's velocity) exactly as it was,
  so every later update would too. Applied: the run ends after it.
- "weight_limit": an update took a parameter past ±WEIGHT_LIMIT. The numbers are still finite and true, so the
  update is applied, and the run ends there: far past anything learning needs, and the next steps could overflow.
- "diverged": an update made a number that is not finite (inf or NaN): the arithmetic itself blew up. Not applied:
  the network stays at its last finite state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .architecture import Architecture
from .network import Layers, Scratch, train

WEIGHT_LIMIT = 1e6


@dataclass(frozen=True)
class Stop:
    """Why training ended by itself, at the update of ``epoch`` (made at ``learning_rate``); see the module."""

    kind: str
    epoch: int
    learning_rate: float


def first_stops(states: np.ndarray, n_params: int, first_epochs: np.ndarray, rates: np.ndarray,
                confirm_fixed_point=None) -> tuple[np.ndarray, list[Stop | None]]:
    """For each network of a chunk of training, how many of its epochs to keep and why it stopped (or None).

    states: epochs + 1 × networks × state (states[0] the chunk's start); the first n_params values of a state are
    the parameters. first_epochs, rates: each network's epoch at the chunk's start and its learning rate in it.
    ``confirm_fixed_point(network, i)``: whether the i-th epoch of the chunk, which left the network's state
    unchanged, is a fixed point (online training: it is only if each row's update changed nothing); None: every
    such epoch is.
    """
    epochs, n = len(states) - 1, states.shape[1]
    not_finite, over, unchanged = _conditions(states[:-1], states[1:], n_params)
    kept = np.full(n, epochs)
    found: list[Stop | None] = [None] * n
    for network in np.flatnonzero((not_finite | over | unchanged).any(axis=0)):
        for i in np.flatnonzero(not_finite[:, network] | over[:, network] | unchanged[:, network]):
            i = int(i)
            if not_finite[i, network]:
                kept[network], kind = i, "diverged"
            elif over[i, network]:
                kept[network], kind = i + 1, "weight_limit"
            elif confirm_fixed_point is None or confirm_fixed_point(network, i):
                kept[network], kind = i + 1, "fixed_point"
            else:
                continue
            found[network] = Stop(kind, int(first_epochs[network]) + i, float(rates[network]))
            break
    return kept, found


def _conditions(before: np.ndarray, after: np.ndarray, n_params: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where (epochs × networks) an update made a number that is not finite, took a parameter past the limit (NaN
    counts as past it: not finite comes first in ``first_stops``), or left the state unchanged. Each is looked for in
    the whole chunk at once first, and worked out state by state only where it may be: a chunk rarely holds any, and
    the test state by state (a reduction over a few numbers each) took nearly as long as the chunk's training (34 ms
    a chunk of a sweep of 500 networks, against 0.5 ms now)."""
    shape = after.shape[:2]
    with np.errstate(over="ignore", invalid="ignore"):
        finite = bool(np.isfinite(after.sum()))  # the sum is finite only if every number is (or it overflowed)
    not_finite = np.zeros(shape, dtype=bool) if finite else ~np.isfinite(after).all(axis=2)
    params = after[..., :n_params]
    inside = finite and params.min(initial=np.inf) >= -WEIGHT_LIMIT and params.max(initial=-np.inf) <= WEIGHT_LIMIT
    over = np.zeros(shape, dtype=bool) if inside else ~(np.abs(params) <= WEIGHT_LIMIT).all(axis=2)
    unchanged = after[..., 0] == before[..., 0]  # only where the first number stayed can the whole state have
    if unchanged.any():
        unchanged[unchanged] = (after[unchanged] == before[unchanged]).all(axis=1)
    return not_finite, over, unchanged


def online_fixed_point(arch: Architecture, optimiser, state: np.ndarray, x: np.ndarray, y: np.ndarray,
                       rows: np.ndarray) -> bool:
    """Whether an online epoch that left ``state`` unchanged is a fixed point: its rows' updates (in the order
    ``rows``) might have cancelled out, so it is one only if each of them alone changed nothing."""
    s = np.array(state, dtype=float, ndmin=2)
    for row in rows:
        before = s.copy()
        with np.errstate(all="ignore"):
            train(Layers(arch, s, 1), x[row : row + 1], y[row : row + 1], optimiser, 1, Scratch())
        if not np.array_equal(before, s):
            return False
    return True
