"""One trainer per server process: every session's training goes through it, and a whole class trains as one batch.

A session asks for a chunk of training with nn_core's ``train_together`` contract (``Trainer.together``: what
``NeuralNetwork.train``, ``replay`` and ``follow`` take as ``together``) and waits; its thread holds nothing, so the
other sessions' reruns go on meanwhile. The trainer's own thread gathers what every session asked for, groups the
networks that can share a call (one architecture, row count, batch mode and optimiser: nn_core's ``run_together``)
and trains each group as one batch, where each network's numbers are exactly the ones it gets alone, bit for bit.

Identical runs are trained once. Chunks asked for at the same point of the same run (the same data, shape, state,
epoch and learning rate: a room, fifty tabs of one link, a class pressing Play on the article's network) share one
network's stretch; and what a round trains past what a session asked for is kept, so that its next chunk (or an
identical session's) comes from there without training. What is kept is bounded (CACHE_BYTES, the least recently
used goes first, and none for longer than KEEP_SECONDS unused).

Heavy work (a run costing more than HEAVY_WORK: a long replay, Train to 1,000,000, a sweep) takes turns (turns.py);
light work (a Step, live play's chunks) never waits for a turn, and a heavy run trains one chunk per round, so a
round stays short.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from nn_core.model import NeuralNetwork, Stretch, run_together, train_together
from nn_core.network import Layers, Record

from .turns import HEAVY_AT_ONCE, TURN_SECONDS, Ticket, Turn, Turns

CACHE_BYTES = 32 * 2**20  # stretches kept for identical runs and for each session's next chunk
KEEP_SECONDS = 30.0  # a stretch no one asked for in this long is dropped: identical runs come at about one time
ROUND_FLOATS = 2**20  # what one group's record may hold in one round (8 MB)
GROUP_FLOATS = 2**20  # what the networks of one call keep of one pass over the rows (8 MB; see nn_core/batch.py)
ROUND_WORK = 4_000_000  # a group's epochs in one round are cut to about this many multiply-adds (some 40 ms here)
HEAVY_WORK = 400_000  # a run costing more than this (Scenario.replay_work's units, ~2 s here) takes turns


# -- the trainer ---------------------------------------------------------------------------------------------------
@dataclass
class _Request:
    """One network's chunk, asked for by a session: ``epochs`` epochs from the run's point ``key``."""

    key: tuple
    shape: tuple
    net: NeuralNetwork
    epochs: int
    due: float  # when the trainer must start on it (live play leaves a little slack, to gather more)
    done: threading.Event = field(default_factory=threading.Event)
    stretch: Stretch | None = None
    error: BaseException | None = None


class Trainer:
    """Trains every session's chunks in a thread of its own (see the module)."""

    def __init__(self, cache_bytes: int = CACHE_BYTES, heavy_at_once: int = HEAVY_AT_ONCE,
                 turn_seconds: float = TURN_SECONDS):
        self._lock = threading.Condition()
        self._pending: list[_Request] = []
        self._kept = Kept(cache_bytes)
        self.turns = Turns(heavy_at_once, turn_seconds)
        self.counts = {"asked": 0, "kept": 0, "trained": 0, "rounds": 0}  # chunks asked, served from what was kept,
        # networks trained (after identical ones were merged), rounds: what the benchmarks report
        self._thread = threading.Thread(target=self._forever, name="trainer", daemon=True)
        self._thread.start()

    def together(self, nets: list[NeuralNetwork], epochs: int, untils=None, frames=None,
                 slack: float = 0.0) -> list[tuple[int, bool]]:
        """``train_together``'s contract, served by the trainer's thread; each network may keep fewer epochs than
        asked (its next chunk goes on from there). ``slack``: seconds the trainer may wait to gather more work."""
        n = len(nets)
        untils, frames = untils or [None] * n, frames or [None] * n
        asked = [self._ask(net, epochs, slack) if net.stop is None else None for net in nets]
        results = []
        for net, request, until, kept_frames in zip(nets, asked, untils, frames):
            if request is None:
                results.append((0, False))
                continue
            request.done.wait()
            if request.error is not None:
                raise request.error
            results.append(net.take(request.stretch.head(epochs), until, kept_frames))
        return results

    @contextmanager
    def turn(self, key, work: int, waiting=None):
        """Heavy work trains in turns (see ``Turns``): yields its ``Turn`` once it is its turn. ``key`` names the run
        (identical runs share a turn); ``work`` is its cost (Settings.work_per_epoch's units); ``waiting(ahead)`` is
        called while it waits, every WAIT_SECONDS, and may raise to give up its place."""
        ticket = self.ticket(key, work)
        try:
            turn = Turn(self.together, ticket, waiting)
            turn.pause()
            yield turn
        finally:
            if ticket is not None:
                ticket.release()

    def ticket(self, key, work: int) -> Ticket | None:
        """A place in the line of heavy runs for the run ``key`` costing ``work``, or None: light work needs none."""
        return self.turns.ticket(key) if work > HEAVY_WORK else None

    # -- the trainer's thread --------------------------------------------------------------------------------------
    def _ask(self, net: NeuralNetwork, epochs: int, slack: float) -> _Request:
        key = point_of(net)
        request = _Request(key, shape_of(net), net, epochs, time.monotonic() + slack)
        with self._lock:
            self.counts["asked"] += 1
            kept = self._kept.get(key)
            if kept is not None:
                self.counts["kept"] += 1
                self._serve(request, kept)
                return request
            self._pending.append(request)
            self._lock.notify()
        return request

    def _forever(self) -> None:
        while True:
            with self._lock:
                while True:
                    now = time.monotonic()
                    self._kept.drop_unused(now - KEEP_SECONDS)
                    due = min((r.due for r in self._pending), default=None)
                    if due is not None and due <= now:
                        break
                    # wake for the next request due, or when the oldest stretch kept is to go (its memory with it)
                    oldest = self._kept.oldest_use()
                    goes = now if oldest is None else oldest  # (nothing kept: look again in KEEP_SECONDS)
                    wake = goes + KEEP_SECONDS if due is None else min(due, goes + KEEP_SECONDS)
                    self._lock.wait(max(wake - now, 0.01))
                batch, self._pending = self._pending, []
            self._round(batch)

    def _round(self, batch: list[_Request]) -> None:
        """Train what ``batch`` asks for: each point of a run once, the networks of one shape together."""
        at: dict[tuple, list[_Request]] = {}
        with self._lock:
            for request in batch:
                kept = self._kept.get(request.key)  # (trained by a round that ended after it was asked for)
                if kept is None:
                    at.setdefault(request.key, []).append(request)
                else:
                    self.counts["kept"] += 1
                    self._serve(request, kept)
        shapes: dict[tuple, list[tuple]] = {}
        for key, requests in at.items():
            shapes.setdefault(requests[0].shape, []).append(key)
        for keys in shapes.values():
            for part in _parts(keys, at):
                self._train(part, at)
        with self._lock:
            self.counts["rounds"] += 1

    def _train(self, keys: list[tuple], at: dict[tuple, list[_Request]]) -> None:
        nets = [at[key][0].net for key in keys]
        epochs = min(max(r.epochs for key in keys for r in at[key]), _most_epochs(nets))
        try:
            stretches = run_together(nets, epochs)
        except BaseException as error:  # (never leave a session waiting: it gets the error to raise)
            for key in keys:
                for request in at[key]:
                    request.error = error
                    request.done.set()
            return
        with self._lock:
            self.counts["trained"] += len(nets)
            for key, stretch in zip(keys, stretches):
                self._kept.put(key, stretch)
                for request in at[key]:
                    self._serve(request, stretch)

    def _serve(self, request: _Request, stretch: Stretch) -> None:
        """Give a request its stretch, keeping what comes after its chunk: where its next chunk will start."""
        rest = stretch.rest(request.epochs)
        if rest is not None:
            self._kept.put(point_after(request.key, rest), rest)
        request.stretch = stretch
        request.done.set()


def _parts(keys: list[tuple], at: dict) -> list[list[tuple]]:
    """The networks of one shape, a call's worth at a time: what one pass over the rows keeps stays GROUP_FLOATS."""
    net = at[keys[0]][0].net
    per_network = len(net.inputs) * sum(net.architecture.sizes[1:]) * Layers.ARRAYS_PER_UNIT
    size = max(1, GROUP_FLOATS // per_network)
    return [keys[i : i + size] for i in range(0, len(keys), size)]


def _most_epochs(nets: list[NeuralNetwork]) -> int:
    """How many epochs the networks of one call train in one round: what their record holds, and about ROUND_WORK."""
    net = nets[0]
    fit = Record.epochs_that_fit(len(nets), net.outputs.size, net.state.shape[1], ROUND_FLOATS)
    work = len(nets) * net.architecture.epoch_work(len(net.inputs))
    return max(16, min(fit, ROUND_WORK // work))


# -- a run's point -------------------------------------------------------------------------------------------------
def shape_of(net: NeuralNetwork) -> tuple:
    """What networks must share to train in one call (nn_core's run_together)."""
    return net.architecture, len(net.inputs), net.settings.batch, type(net.optimiser).__name__, net.settings.momentum


def point_of(net: NeuralNetwork) -> tuple:
    """Everything a network's next epochs depend on: its run (data, shape, the online row order's seed) and where
    it stands in it (its learning rate, epoch and state, to the bit)."""
    seed = net.settings.seed if net.settings.batch == "online" else None
    run = (shape_of(net), data_digest(net), seed, net.learning_rate)
    return run, net.epoch, net.state.tobytes()


def point_after(key: tuple, rest: Stretch) -> tuple:
    """The point of the same run where ``rest`` starts."""
    return key[0], rest.first, np.ascontiguousarray(rest.states[0]).tobytes()


def data_digest(net: NeuralNetwork) -> bytes:
    data = hashlib.blake2b(digest_size=16)
    for table in (net.inputs, net.outputs):
        data.update(str(table.shape).encode())
        data.update(np.ascontiguousarray(table, dtype=float).tobytes())
    return data.digest()


class Kept:
    """Stretches by the point of the run they start from, at most ``limit`` bytes, the least recently used going
    first."""

    def __init__(self, limit: int):
        self.limit, self.bytes = limit, 0
        self._stretches: OrderedDict[tuple, Stretch] = OrderedDict()
        self._used: dict[tuple, float] = {}  # when each was last put or asked for (time.monotonic())

    def get(self, key: tuple) -> Stretch | None:
        stretch = self._stretches.get(key)
        if stretch is not None:
            self._stretches.move_to_end(key)
            self._used[key] = time.monotonic()
        return stretch

    def oldest_use(self) -> float | None:
        """When the least recently used stretch was last used (None: none is kept)."""
        return self._used[next(iter(self._stretches))] if self._stretches else None

    def drop_unused(self, since: float) -> None:
        """Drop the stretches not used since ``since``: the least recently used come first."""
        while self._stretches:
            key = next(iter(self._stretches))
            if self._used[key] >= since:
                return
            self._drop(key)

    def _drop(self, key: tuple) -> None:
        self.bytes -= _size(self._stretches.pop(key))
        del self._used[key]

    def put(self, key: tuple, stretch: Stretch) -> None:
        """Keep ``stretch`` (its own copy: a part of a longer one would keep all of it)."""
        if stretch.states.base is not None:
            stretch = Stretch(stretch.first, stretch.states.copy(), stretch.losses.copy(), stretch.kept, stretch.stop)
        if key in self._stretches:
            self._drop(key)
        self._stretches[key] = stretch
        self._used[key] = time.monotonic()
        self.bytes += _size(stretch)
        while self.bytes > self.limit:
            self._drop(next(iter(self._stretches)))


def _size(stretch: Stretch) -> int:
    return stretch.states.nbytes + stretch.losses.nbytes


# -- outside a server ---------------------------------------------------------------------------------------------
class OnServer:
    """The server process's one trainer (``process_trainer``), found when it is used: a session refers to this, not
    to the trainer itself, whose memory (what it keeps) is the server's, not the session's."""

    def together(self, nets, epochs, untils=None, frames=None, slack: float = 0.0):
        return process_trainer().together(nets, epochs, untils, frames, slack)

    def turn(self, key, work: int, waiting=None):
        return process_trainer().turn(key, work, waiting)

    def ticket(self, key, work: int) -> Ticket | None:
        return process_trainer().ticket(key, work)


ON_SERVER = OnServer()


class Alone:
    """Training in the caller's own thread, with nothing to share it with (a script, a test): ``Trainer``'s
    interface, nn_core's own ``train_together``."""

    @staticmethod
    def together(nets, epochs, untils=None, frames=None, slack: float = 0.0):
        return train_together(nets, epochs, untils, frames)

    @contextmanager
    def turn(self, key, work: int, waiting=None):
        yield Turn(train_together, None)

    @staticmethod
    def ticket(key, work: int) -> None:
        return None


ALONE = Alone()


@st.cache_resource
def process_trainer() -> Trainer:
    """The server process's one trainer (its thread starts with it)."""
    return Trainer()
