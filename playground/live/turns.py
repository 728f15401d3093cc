"""Heavy work takes turns: HEAVY_AT_ONCE runs at a time per server process (a process trains on one core: Python's
lock), each for TURN_SECONDS while others wait; the rest wait in line with their place to show, and can leave it.
Identical heavy runs (one link opened by a whole class) are one run in the line and share its turn. A place not
asked about for ABANDONED_SECONDS is given up (its tab went away)."""

from __future__ import annotations

import threading
import time

HEAVY_AT_ONCE = 1  # heavy runs training at once in one process
TURN_SECONDS = 2.0  # how long a heavy run trains before one waiting gets its turn
WAIT_SECONDS = 0.25  # how often one waiting for its turn hears its place in line (and can leave)
ABANDONED_SECONDS = 10.0  # a place in line not asked about for this long is given up (its tab went away)


class Turn:
    """Work that takes turns: ``together`` trains a chunk of it when it is its turn; work done elsewhere (a sweep)
    calls ``pause`` between its chunks. Light work (no ticket) never waits."""

    def __init__(self, together, ticket: Ticket | None, waiting=None):
        self._together, self.ticket, self.waiting = together, ticket, waiting

    def pause(self) -> None:
        """Wait until it is this work's turn (at once for light work), saying how many runs are ahead meanwhile."""
        while self.ticket is not None and not self.ticket.wait(WAIT_SECONDS):
            if self.waiting is not None:
                self.waiting(self.ticket.ahead())

    def together(self, nets, epochs, untils=None, frames=None):
        self.pause()
        return self._together(nets, epochs, untils, frames)


class Turns:
    """A line of heavy runs: the first ``at_once`` runs of the line train (identical runs, one key, count once); one
    that has trained ``turn_seconds`` while others wait goes to the back of the line at its next chunk."""

    def __init__(self, at_once: int, turn_seconds: float):
        self.at_once, self.turn_seconds = at_once, turn_seconds
        self._changed = threading.Condition()
        self._line: list[Ticket] = []

    def ticket(self, key) -> Ticket:
        """A place at the back of the line for the run ``key``."""
        ticket = Ticket(self, key)
        with self._changed:
            self._line.append(ticket)
        return ticket

    def _keys(self) -> list:
        keys = []
        for ticket in self._line:
            if ticket.key not in keys:
                keys.append(ticket.key)
        return keys

    def _drop_abandoned(self, now: float) -> None:
        gone = [t for t in self._line if now - t.seen > ABANDONED_SECONDS]
        for ticket in gone:
            self._line.remove(ticket)
        if gone:
            self._changed.notify_all()


class Ticket:
    """A heavy run's place in the line (``Turns``)."""

    def __init__(self, turns: Turns, key):
        self.turns, self.key = turns, key
        self.seen = time.monotonic()  # when it last asked for its turn
        self.since: float | None = None  # when its current turn began

    def ahead(self) -> int:
        """How many runs must train before this one (0: it is training)."""
        with self.turns._changed:
            keys = self.turns._keys()
            return max(0, keys.index(self.key) - self.turns.at_once + 1) if self.key in keys else 0

    def wait(self, timeout: float) -> bool:
        """Whether it is this run's turn, waiting up to ``timeout`` seconds for it."""
        turns = self.turns
        end = time.monotonic() + timeout
        with turns._changed:
            while True:
                now = self.seen = time.monotonic()
                turns._drop_abandoned(now)
                if self not in turns._line:  # given up for lost, and asked again: back in line
                    turns._line.append(self)
                keys = turns._keys()
                mine = keys.index(self.key) < turns.at_once
                if mine and self.since is not None and now - self.since > turns.turn_seconds \
                        and len(keys) > turns.at_once:
                    self._to_the_back()  # its turn is over while others wait
                    turns._changed.notify_all()
                    continue
                if mine:
                    if self.since is None:
                        self.since = now
                    return True
                self.since = None
                if now >= end:
                    return False
                turns._changed.wait(end - now)

    def _to_the_back(self) -> None:
        line = self.turns._line
        same = [t for t in line if t.key == self.key]
        for ticket in same:
            line.remove(ticket)
            ticket.since = None
        line.extend(same)

    def release(self) -> None:
        with self.turns._changed:
            if self in self.turns._line:
                self.turns._line.remove(self)
            self.turns._changed.notify_all()
