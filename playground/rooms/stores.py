"""Where rooms' states are kept: in this process (``MemoryStore``) or in Redis (``RedisStore``), shared by replicas.

A store knows a room's owner only as the hash of its presenter's secret (registry.py hands it that), and changes a
room only for that hash, compared in constant time: in Python with hmac.compare_digest, in Redis inside the same
Lua script that makes the change, so that no other writer comes between the check and the write.

In Redis, the hash bp:room:<code> holds the room's owner and its last broadcast (with a TTL), and each broadcast is
also published on the channel of the same name. One thread per process listens, and keeps the rooms that someone
here follows up to date, so a follower's poll reads memory, not Redis. Everything read back, stored or heard, is
checked (schema.RoomState.from_json); a state that fails is dropped with one log line (log lines of one kind are
held to a few a minute: server/log_limits.py), and its followers keep the last good one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Protocol

import redis

from nn_core import InputError

from .schema import RoomState, same_owner

ROOM_TTL_SECONDS = 180.0
ENDED_SECONDS = 60.0  # an ended room's last broadcast stays this long: its followers learn that it ended
CHECK_SECONDS = 5.0  # RedisStore reads a followed room again at least this often (a missed message, an expiry)
MAX_FOLLOWED = 256  # rooms whose last broadcast a RedisStore keeps for its followers here
SENT, REOPENED, TAKEN = "sent", "reopened", "taken"  # write: done; the room had gone and is open again; not ours
ALIVE, GONE = "alive", "gone"  # keep: still there; gone (a write opens it again), or TAKEN
LOG = logging.getLogger("playground.rooms")


class Store(Protocol):
    def claim(self, code: str, state: RoomState) -> bool:
        """Open the room ``code`` with ``state`` (its owner inside) if no room has that code."""

    def write(self, code: str, state: RoomState, ttl: float) -> str:
        """Keep and broadcast ``state`` for ``ttl`` seconds if the room is its owner's or has gone: SENT, REOPENED
        or TAKEN."""

    def keep(self, code: str, owner: str) -> str:
        """Keep the owner's room ROOM_TTL_SECONDS more: ALIVE, GONE or TAKEN."""

    def latest(self, code: str) -> RoomState | None:
        """The room's last broadcast, or None if there is no such room (any more)."""

    def gone(self, code: str) -> bool:
        """The room ended, expired or was never here (its followers here may let its network go)."""


class MemoryStore:
    def __init__(self, clock=time.time):
        self.clock = clock
        self._lock = threading.Lock()
        self._rooms: dict[str, tuple[RoomState, float]] = {}  # code -> (last broadcast, ends at)

    def claim(self, code, state):
        with self._lock:
            self._drop_ended()
            if code in self._rooms:
                return False
            self._rooms[code] = (state, self.clock() + ROOM_TTL_SECONDS)
            return True

    def write(self, code, state, ttl):
        with self._lock:
            self._drop_ended()
            entry = self._rooms.get(code)
            if entry is not None and not same_owner(entry[0].owner, state.owner):
                return TAKEN
            self._rooms[code] = (state, self.clock() + ttl)
            return SENT if entry is not None else REOPENED

    def keep(self, code, owner):
        with self._lock:
            self._drop_ended()
            entry = self._rooms.get(code)
            if entry is None:
                return GONE
            if not same_owner(entry[0].owner, owner):
                return TAKEN
            self._rooms[code] = (entry[0], self.clock() + ROOM_TTL_SECONDS)
            return ALIVE

    def latest(self, code):
        with self._lock:
            entry = self._rooms.get(code)
        if entry is None or entry[1] < self.clock():
            return None
        return entry[0]

    def gone(self, code):
        state = self.latest(code)
        return state is None or state.ended

    def _drop_ended(self):
        now = self.clock()
        for code in [c for c, (_, ends) in self._rooms.items() if ends < now]:
            del self._rooms[code]


# The owner's check and the change in one script (Redis runs a script alone): a constant-time comparison, since
# Lua's own == stops at the first byte that differs. Redis's Lua has the bit library.
_SAME = """
local function same(a, b)
  if type(a) ~= "string" or #a ~= #b then return false end
  local d = 0
  for i = 1, #a do d = bit.bor(d, bit.bxor(string.byte(a, i), string.byte(b, i))) end
  return d == 0
end
local owner = redis.call("HGET", KEYS[1], "owner")
"""
_CLAIM = """
if redis.call("EXISTS", KEYS[1]) == 1 then return 0 end
redis.call("HSET", KEYS[1], "owner", ARGV[1], "state", ARGV[2])
redis.call("EXPIRE", KEYS[1], ARGV[3])
return 1
"""
_WRITE = _SAME + """
if owner and not same(owner, ARGV[1]) then return 0 end
redis.call("HSET", KEYS[1], "owner", ARGV[1], "state", ARGV[2])
redis.call("EXPIRE", KEYS[1], ARGV[3])
redis.call("PUBLISH", KEYS[1], ARGV[2])
if owner then return 1 end
return 2
"""
_KEEP = _SAME + """
if not owner then return 0 end
if not same(owner, ARGV[1]) then return -1 end
redis.call("EXPIRE", KEYS[1], ARGV[2])
return 1
"""


class RedisStore:
    PREFIX = "bp:room:"

    def __init__(self, url: str, clock=time.time):
        self.clock = clock
        self.client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=3, socket_connect_timeout=3,
                                           health_check_interval=30)
        # (redis-py runs each by its hash, and sends it again to a Redis that restarted and forgot it)
        self._claim, self._write, self._keep = (self.client.register_script(s) for s in (_CLAIM, _WRITE, _KEEP))
        self._lock = threading.Lock()
        self._followed: OrderedDict[str, tuple[RoomState | None, float]] = OrderedDict()  # code -> (state, read at)
        self._listener = threading.Thread(target=self._listen, name="rooms-redis", daemon=True)
        self._listener.start()

    def claim(self, code, state):
        return bool(self._claim(keys=[self.PREFIX + code], args=[state.owner, state.to_json(), int(ROOM_TTL_SECONDS)]))

    def write(self, code, state, ttl):
        done = self._write(keys=[self.PREFIX + code], args=[state.owner, state.to_json(), int(ttl)])
        if done:
            with self._lock:
                if code in self._followed:  # its followers here see it now, not when the message comes back
                    self._followed[code] = (state, self.clock())
        return {0: TAKEN, 1: SENT}.get(done, REOPENED)

    def keep(self, code, owner):
        kept = self._keep(keys=[self.PREFIX + code], args=[owner, int(ROOM_TTL_SECONDS)])
        return {1: ALIVE, 0: GONE}.get(kept, TAKEN)

    def latest(self, code):
        now = self.clock()
        with self._lock:
            entry = self._followed.get(code)
        if entry is not None and now - entry[1] < CHECK_SECONDS:
            return entry[0]
        owner, text = self.client.hmget(self.PREFIX + code, ["owner", "state"])
        state = None if text is None else _checked(text, code, "stored state")
        if state is not None and state.owner != owner:
            LOG.warning("room %s: a stored state of another owner than the room's was dropped", code)
            state = None
        if text is not None and state is None and entry is not None:
            state = entry[0]  # a damaged state: its followers keep the last good one
        with self._lock:
            if state is not None or code in self._followed:  # (a code that names no room is not remembered)
                self._followed[code] = (state, now)
                self._followed.move_to_end(code)
                while len(self._followed) > MAX_FOLLOWED:
                    self._followed.popitem(last=False)
        return state

    def gone(self, code):
        entry = self._followed.get(code)
        return entry is None or entry[0] is None or entry[0].ended

    def _listen(self):
        while True:
            try:
                pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(self.PREFIX + "*")
                for message in pubsub.listen():
                    self._heard(str(message.get("channel", ""))[len(self.PREFIX):], message.get("data"))
            except Exception:  # a lost connection: listen again in a moment (polls read Redis meanwhile)
                time.sleep(1.0)

    def _heard(self, code: str, text) -> None:
        """A broadcast on the room's channel: kept for the room's followers here, if it is the room's."""
        with self._lock:
            if code not in self._followed:
                return  # only rooms someone here follows (every replica hears every room)
        state = _checked(text, code, "message")
        if state is None:
            return
        with self._lock:
            old = self._followed.get(code, (None, 0.0))[0]
            if old is not None and old.owner != state.owner:
                self._followed[code] = (old, float("-inf"))  # not the owner we know: read the room itself next
            elif old is None or state.version >= old.version:
                self._followed[code] = (state, self.clock())


def _checked(text, code: str, what: str) -> RoomState | None:
    try:
        return RoomState.from_json(text)
    except InputError as e:
        LOG.warning("room %s: a %s that is no room's was dropped (%s)", code, what, e)
        return None
