"""Where rooms live, and what a room carries.

A room's state is one broadcast of the presenter's screen (``RoomState``). Rooms live in the server process
(``LocalRooms``: nothing to install), or in Redis when ROOMS_REDIS_URL is set (``RedisRooms``: a key per room with a
TTL, pub/sub for the changes), so that a presenter and its students may sit on different replicas. Either way there
is one registry per process (``registry()``, a Streamlit resource), never module-level state. A room ends when its
presenter ends it, or ROOM_TTL_SECONDS after the presenter's page last said it was there (it says so every
HEARTBEAT_SECONDS while open): the grace period of a dropped connection.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import redis
import streamlit as st

from nn_core import InputError, Scenario

from .mirror import Mirror

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: a code is read off a projector
CODE_LENGTH = 6
# A room outlives its presenter's last sign of life by this much: a presenter's tab hidden behind slides for long has
# its timers slowed to one a minute by the browser, and must not lose its room for that.
ROOM_TTL_SECONDS = 180.0
HEARTBEAT_SECONDS = 15.0  # how often an open presenter page says it is still there
POLL_SECONDS = 0.5  # how often a follower looks at the room's version
QUIET_SECONDS = 2.0  # the same run further on is put in force once the presenter has been still this long
SPREAD_SECONDS = 2.0  # followers put a run in force at moments spread over this long, not all in one burst
CHECK_SECONDS = 5.0  # RedisRooms reads a followed room again at least this often (a missed message, an expiry)
MAX_STATE_CHARS = 512 * 1024
MAX_LEAD_SECONDS = 3.0  # how far ahead of now a chunk may say its first frame is shown


def normal_code(text) -> str | None:
    """A room code as typed (any case, spaces, dashes) in its normal form, or None if it cannot be one."""
    code = "".join(str(text or "")[:40].split()).replace("-", "").upper()
    return code if len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code) else None


@dataclass(frozen=True)
class RoomState:
    """One broadcast of the presenter's screen. ``frames``: live.js's chunk form (live.chunk_json) and
    ``first_at``, the time (time.time()) its first frame is on the presenter's screen."""

    version: int
    link: str  # the presenter's scenario and run, as a share link (nn_core.Scenario.to_link)
    view: dict  # tab (the Playground view), rewind (an epoch or None), log (log scale), lesson
    frames: dict | None
    playing: bool

    def to_json(self) -> str:
        return json.dumps({"version": self.version, "link": self.link, "view": self.view, "frames": self.frames,
                           "playing": self.playing}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> RoomState:
        if not isinstance(text, str) or len(text) > MAX_STATE_CHARS:
            raise InputError("room: the state is too large")
        try:
            d = json.loads(text)
            state = cls(int(d["version"]), str(d["link"]), dict(d["view"]),
                        None if d["frames"] is None else dict(d["frames"]), bool(d["playing"]))
        except (ValueError, KeyError, TypeError):
            raise InputError("room: a damaged state") from None
        return state


# -- the registry ---------------------------------------------------------------------------------------------------
class Rooms:
    """The rooms this process knows, and what their followers here share (a Mirror per room, decoded links)."""

    def __init__(self, clock=time.time):
        self.clock = clock
        self._lock = threading.Lock()
        self._mirrors: dict[str, Mirror] = {}
        self._scenarios: OrderedDict[str, Scenario] = OrderedDict()

    # what a backend provides
    def _claim(self, code: str, state: RoomState) -> bool:
        raise NotImplementedError

    def publish(self, code: str, state: RoomState) -> None:
        raise NotImplementedError

    def alive(self, code: str) -> bool:
        """The presenter is still there: the room lives on for ROOM_TTL_SECONDS. False if it had already ended."""
        raise NotImplementedError

    def latest(self, code: str) -> RoomState | None:
        """The room's last broadcast, or None if there is no such room (any more)."""
        raise NotImplementedError

    def end(self, code: str) -> None:
        raise NotImplementedError

    # shared by both
    def create(self, state: RoomState) -> str:
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if self._claim(code, state):
                return code
        raise RuntimeError("no free room code")  # 32⁶ codes: only a registry that refuses everything gets here

    def mirror(self, code: str) -> Mirror:
        with self._lock:
            for gone in [c for c in self._mirrors if c != code and self._gone(c)]:
                del self._mirrors[gone]  # a room that ended takes its network with it
            return self._mirrors.setdefault(code, Mirror())

    def _gone(self, code: str) -> bool:
        return False

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


class LocalRooms(Rooms):
    """Rooms in this process's memory: one `streamlit run` serves the presenter and the students."""

    def __init__(self, clock=time.time):
        super().__init__(clock)
        self._rooms: dict[str, tuple[RoomState, float]] = {}  # code -> (last broadcast, ends at)

    def _claim(self, code, state):
        with self._lock:
            self._drop_ended()
            if code in self._rooms:
                return False
            self._rooms[code] = (state, self.clock() + ROOM_TTL_SECONDS)
            return True

    def publish(self, code, state):
        with self._lock:
            if code in self._rooms:
                self._rooms[code] = (state, self.clock() + ROOM_TTL_SECONDS)

    def alive(self, code):
        with self._lock:
            self._drop_ended()
            if code not in self._rooms:
                return False
            self._rooms[code] = (self._rooms[code][0], self.clock() + ROOM_TTL_SECONDS)
            return True

    def latest(self, code):
        with self._lock:
            entry = self._rooms.get(code)
        if entry is None or entry[1] < self.clock():
            return None
        return entry[0]

    def end(self, code):
        with self._lock:
            self._rooms.pop(code, None)

    def _gone(self, code):
        entry = self._rooms.get(code)
        return entry is None or entry[1] < self.clock()

    def _drop_ended(self):
        now = self.clock()
        for code in [c for c, (_, ends) in self._rooms.items() if ends < now]:
            del self._rooms[code]


class RedisRooms(Rooms):
    """Rooms in Redis, shared by every replica: the key bp:room:<code> holds the last broadcast (with a TTL), and each
    broadcast is also published on the channel of the same name. One thread per process listens and keeps the rooms
    that someone here follows up to date, so a follower's poll reads memory, not Redis."""

    PREFIX = "bp:room:"

    def __init__(self, url: str, clock=time.time):
        super().__init__(clock)
        self.client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=3, socket_connect_timeout=3,
                                           health_check_interval=30)
        self._followed: dict[str, tuple[RoomState | None, float]] = {}  # code -> (last broadcast, read at)
        self._listener = threading.Thread(target=self._listen, name="rooms-redis", daemon=True)
        self._listener.start()

    def _claim(self, code, state):
        return bool(self.client.set(self.PREFIX + code, state.to_json(), nx=True, ex=int(ROOM_TTL_SECONDS)))

    def publish(self, code, state):
        text = state.to_json()
        pipe = self.client.pipeline()
        pipe.set(self.PREFIX + code, text, xx=True, ex=int(ROOM_TTL_SECONDS))
        pipe.publish(self.PREFIX + code, text)
        pipe.execute()

    def alive(self, code):
        return bool(self.client.expire(self.PREFIX + code, int(ROOM_TTL_SECONDS)))

    def latest(self, code):
        now = self.clock()
        with self._lock:
            entry = self._followed.get(code)
        if entry is not None and now - entry[1] < CHECK_SECONDS:
            return entry[0]
        text = self.client.get(self.PREFIX + code)
        state = _parse(text) if text else None
        with self._lock:
            self._followed[code] = (state, now)
        return state

    def end(self, code):
        self.client.delete(self.PREFIX + code)
        with self._lock:
            self._followed.pop(code, None)

    def _gone(self, code):
        entry = self._followed.get(code)
        return entry is None or entry[0] is None

    def _listen(self):
        while True:
            try:
                pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(self.PREFIX + "*")
                for message in pubsub.listen():
                    code = str(message.get("channel", ""))[len(self.PREFIX):]
                    state = _parse(message.get("data"))
                    with self._lock:
                        if code in self._followed and state is not None:  # only rooms someone here follows
                            old = self._followed[code][0]
                            if old is None or state.version >= old.version:
                                self._followed[code] = (state, self.clock())
            except Exception:  # a lost connection: listen again in a moment (polls read Redis meanwhile)
                time.sleep(1.0)


def _parse(text) -> RoomState | None:
    try:
        return RoomState.from_json(text)
    except InputError:
        return None


@st.cache_resource(show_spinner=False)
def _registry(redis_url: str) -> Rooms:
    return RedisRooms(redis_url) if redis_url else LocalRooms()


def registry() -> Rooms:
    """This process's rooms: in Redis when ROOMS_REDIS_URL is set, else in memory."""
    return _registry(os.environ.get("ROOMS_REDIS_URL", ""))
