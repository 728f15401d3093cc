"""Where rooms live, and who may change them.

Rooms live in the server process (a ``MemoryStore``: nothing to install), or in Redis when ROOMS_REDIS_URL is set (a
``RedisStore``), so that a presenter and its students may sit on different replicas (stores.py). Either way there
is one registry per process (``registry()``, a Streamlit resource), never module-level state.

A room belongs to its presenter: it is created with the secret of the presenter's seat (state/session.Seat), and
only that secret may publish to it, keep it alive or end it. The registry hands its stores the secret's hash
(schema.owner_of), never the secret; they compare it with the room's in constant time. A room ends when its
presenter ends it (its last broadcast then says so, and stays ENDED_SECONDS for the followers to see), or
ROOM_TTL_SECONDS after the presenter's page last said it was there (it says so every HEARTBEAT_SECONDS while open):
the grace period of a dropped connection. A room that expired or was lost (a Redis restart) while its presenter is
still there opens again under the same code at the presenter's next broadcast or heartbeat, unless the code names
another room by then (TAKEN); its followers wait MISSING_SECONDS for it before they take it for ended.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import replace

import streamlit as st

from nn_core import Scenario

from .mirror import Mirror
from .schema import RoomState, owner_of
from .stores import (  # noqa: F401 (what a room's users read here)
    ALIVE,
    CHECK_SECONDS,
    ENDED_SECONDS,
    GONE,
    REOPENED,
    ROOM_TTL_SECONDS,
    SENT,
    TAKEN,
    MemoryStore,
    RedisStore,
    Store,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: a code is read off a projector
CODE_LENGTH = 6
HEARTBEAT_SECONDS = 15.0  # how often an open presenter page says it is still there
# A follower whose room is missing waits this long for it to come back (the presenter's next heartbeat reopens it)
# before it takes the room for ended.
MISSING_SECONDS = 2 * HEARTBEAT_SECONDS + CHECK_SECONDS
POLL_SECONDS = 0.5  # how often a follower looks at the room's version
QUIET_SECONDS = 2.0  # the same run further on is put in force once the presenter has been still this long
SPREAD_SECONDS = 2.0  # followers put a run in force at moments spread over this long, not all in one burst
MAX_LEAD_SECONDS = 3.0  # how far ahead of now a chunk may say its first frame is shown


def normal_code(text) -> str | None:
    """A room code as typed (any case, spaces, dashes) in its normal form, or None if it cannot be one."""
    code = "".join(str(text or "")[:40].split()).replace("-", "").upper()
    return code if len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code) else None


class Rooms:
    """The rooms this process knows (in ``store``), who may change them, and what their followers here share (a
    Mirror per room, decoded links)."""

    def __init__(self, store: Store, clock=time.time):
        self.store, self.clock = store, clock
        self._lock = threading.Lock()
        self._mirrors: dict[str, Mirror] = {}
        self._scenarios: OrderedDict[str, Scenario] = OrderedDict()

    def create(self, secret: str) -> str:
        """A new room of the seat holding ``secret``: its code."""
        state = RoomState(0, "", {}, None, False, owner_of(secret))
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if self.store.claim(code, state):
                return code
        raise RuntimeError("no free room code")  # 32⁶ codes: only a store that refuses everything gets here

    def publish(self, code: str, secret: str, state: RoomState) -> str:
        """Broadcast ``state`` to the room if ``secret`` is its presenter's: SENT, REOPENED (it had expired or was
        lost, and is open again) or TAKEN (the code names another room now: nothing was sent)."""
        return self.store.write(code, replace(state, owner=owner_of(secret), ended=False), ROOM_TTL_SECONDS)

    def alive(self, code: str, secret: str) -> str:
        """The presenter is still there: ALIVE (the room lives ROOM_TTL_SECONDS more), GONE or TAKEN."""
        return self.store.keep(code, owner_of(secret))

    def end(self, code: str, secret: str, version: int) -> bool:
        """End the room if ``secret`` is its presenter's: its last broadcast (``version``) says that it ended."""
        ended = RoomState(version, "", {}, None, False, owner_of(secret), ended=True)
        return self.store.write(code, ended, ENDED_SECONDS) != TAKEN

    def latest(self, code: str) -> RoomState | None:
        """The room's last broadcast (``ended`` once it ended), or None if there is no such room (any more)."""
        return self.store.latest(code)

    def mirror(self, code: str) -> Mirror:
        with self._lock:
            for gone in [c for c in self._mirrors if c != code and self.store.gone(c)]:
                del self._mirrors[gone]  # a room that ended takes its network with it
            return self._mirrors.setdefault(code, Mirror())

    def scenario(self, link: str) -> Scenario:
        """The scenario in a room's link, decoded once per process (every follower here asks for the same one)."""
        with self._lock:
            if link in self._scenarios:
                self._scenarios.move_to_end(link)
                return self._scenarios[link]
        scenario = Scenario.from_link(link)
        with self._lock:
            self._scenarios[link] = scenario
            while len(self._scenarios) > 32:
                self._scenarios.popitem(last=False)
        return scenario


def local_rooms(clock=time.time) -> Rooms:
    """Rooms in this process's memory: one `streamlit run` serves the presenter and the students."""
    return Rooms(MemoryStore(clock), clock)


def redis_rooms(url: str, clock=time.time) -> Rooms:
    """Rooms in the Redis at ``url``, shared by every replica that uses it."""
    return Rooms(RedisStore(url, clock), clock)


@st.cache_resource(show_spinner=False)
def _registry(redis_url: str) -> Rooms:
    return redis_rooms(redis_url) if redis_url else local_rooms()


def registry() -> Rooms:
    """This process's rooms: in Redis when ROOMS_REDIS_URL is set, else in memory."""
    return _registry(os.environ.get("ROOMS_REDIS_URL", ""))
