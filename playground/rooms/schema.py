"""What a room carries (``RoomState``), and the check that everything read back is that and nothing else.

Across replicas a room's broadcasts travel through Redis, which anyone who reaches it could write to: so a state
read from Redis is a stranger's text until ``RoomState.from_json`` has checked every field (its type, its size,
finite numbers) and the frames inside (typed arrays that decode, of one length per frame, epochs that go up). A
state that fails is refused whole with an InputError; nothing past this module reads an unchecked field.

A room is named by its code, and owned by the presenter's secret: ``owner`` is its hash (SHA-256), which is stored
with the room and travels with every broadcast; the secret itself stays in the presenter's session.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import secrets
from dataclasses import dataclass

import numpy as np

from nn_core import LOSS_NAMES, InputError
from nn_core.scenario import MAX_LINK_CHARS

MAX_STATE_CHARS = 512 * 1024
MAX_FRAMES = 2_000  # frames in one broadcast (two chunks of live play carry about 75)
MAX_VERSION = 2**53  # what JSON numbers hold exactly
VIEW_FIELDS = {"tab": str, "rewind": int, "log": bool, "lesson": str}  # (tab and lesson: names, checked on use)
MAX_NAME_CHARS = 40
ARRAYS = {"epochs": "i4", "params": "f8", "losses": "f8", "predictions": "f8"}  # live.chunk_json's typed arrays
TIMES = ("first_at", "newest_at")  # time.time() values: when the presenter's screen shows the first, the newest frame


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def owner_of(secret: str) -> str:
    """The room's public name for its presenter's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_owner(a: str, b: str) -> bool:
    """Compared in constant time: how long it takes says nothing of how much of a stored hash a guess matched."""
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class RoomState:
    """One broadcast of the presenter's screen. ``frames``: live.js's chunk form (live.chunk_json) and
    ``first_at``, the time (time.time()) its first frame is on the presenter's screen. ``ended``: the presenter
    ended the room (its last broadcast)."""

    version: int
    link: str  # the presenter's scenario and run, as a share link (nn_core.Scenario.to_link)
    view: dict  # tab (the Playground view), rewind (an epoch or None), log (log scale), lesson
    frames: dict | None
    playing: bool
    owner: str = ""  # the hash of the presenter's secret
    ended: bool = False

    def to_json(self) -> str:
        return json.dumps({"version": self.version, "link": self.link, "view": self.view, "frames": self.frames,
                           "playing": self.playing, "owner": self.owner, "ended": self.ended},
                          separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_json(cls, text) -> RoomState:
        """The state in ``text``, every field checked; InputError (saying what is wrong) for anything else."""
        if not isinstance(text, str) or len(text) > MAX_STATE_CHARS:
            raise InputError("room: the state is not text of at most 512 KB")
        try:
            d = json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise InputError("room: the state is not JSON") from None
        if not isinstance(d, dict) or set(d) != {"version", "link", "view", "frames", "playing", "owner", "ended"}:
            raise InputError("room: the state's fields are not a room's")
        version, link, owner = d["version"], d["link"], d["owner"]
        if not _whole(version) or not 0 <= version < MAX_VERSION:
            raise InputError("room: the version is not a whole number")
        if not isinstance(link, str) or len(link) > MAX_LINK_CHARS:
            raise InputError("room: the link is not a link")
        if not isinstance(owner, str) or len(owner) != 64 or any(c not in "0123456789abcdef" for c in owner):
            raise InputError("room: the owner is not a hash")
        if not isinstance(d["playing"], bool) or not isinstance(d["ended"], bool):
            raise InputError("room: playing and ended are not true or false")
        return cls(version, link, _view(d["view"]), None if d["frames"] is None else _frames(d["frames"]),
                   d["playing"], owner, d["ended"])


def _no_constant(name: str):
    raise ValueError(name)  # NaN and Infinity are no JSON


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _view(view) -> dict:
    if not isinstance(view, dict) or not set(view) <= set(VIEW_FIELDS):
        raise InputError("room: the view's fields are not a view's")
    for name, value in view.items():
        kind = VIEW_FIELDS[name]
        if value is None and name in ("rewind", "lesson"):
            continue
        if (not _whole(value) or value < 0) if kind is int else not isinstance(value, kind):
            raise InputError(f"room: the view's {name} is not a {kind.__name__}")
        if kind is str and len(value) > MAX_NAME_CHARS:
            raise InputError(f"room: the view's {name} is too long")
    return view


def _frames(frames) -> dict:
    """live.chunk_json's fields with the types it writes; arrays that decode to whole frames, all finite."""
    fields = {"number", "seconds_per_frame", "more", "replace", *ARRAYS, *TIMES}
    if not isinstance(frames, dict) or not set(fields) - {"newest_at"} <= set(frames) <= fields:
        raise InputError("room: the frames' fields are not a chunk's")
    if not _whole(frames["number"]) or not 0 <= frames["number"] < MAX_VERSION:
        raise InputError("room: the chunk's number is not a whole number")
    for name in ("seconds_per_frame", *TIMES):
        value = frames.get(name, 0.0)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
            raise InputError(f"room: the frames' {name} is not a time")
    if not isinstance(frames["more"], bool) or not isinstance(frames["replace"], bool):
        raise InputError("room: the frames' more and replace are not true or false")
    arrays = {name: _array(frames[name], dtype, name) for name, dtype in ARRAYS.items()}
    count = len(arrays["epochs"])
    if count > MAX_FRAMES or len(arrays["losses"]) != count * len(LOSS_NAMES):
        raise InputError("room: the frames' epochs and losses do not agree")
    for name in ("params", "predictions"):
        if count == 0 and len(arrays[name]) or count and len(arrays[name]) % count:
            raise InputError(f"room: the frames' {name} are not as many for every frame")
    epochs = arrays["epochs"]
    if count and (epochs[0] < 0 or np.any(np.diff(epochs) <= 0)):
        raise InputError("room: the frames' epochs do not go up")
    return frames


def _array(spec, dtype: str, name: str) -> np.ndarray:
    """A plotly.js typed array ({"dtype", "bdata": base64}, one dimension) as numpy reads it; all finite."""
    if not isinstance(spec, dict) or set(spec) != {"dtype", "bdata"} or spec["dtype"] != dtype \
            or not isinstance(spec["bdata"], str):
        raise InputError(f"room: the frames' {name} are not a typed array of {dtype}")
    try:
        raw = base64.b64decode(spec["bdata"], validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"room: the frames' {name} are not base64") from None
    if len(raw) % int(dtype[1]):
        raise InputError(f"room: the frames' {name} end in the middle of a number")
    values = np.frombuffer(raw, dtype="<" + dtype)
    if dtype.startswith("f") and not np.all(np.isfinite(values)):
        raise InputError(f"room: the frames' {name} are not all finite")
    return values


def fits(frames: dict, parameters: int, rows: int) -> bool:
    """The frames are of a network with ``parameters`` parameters and a table of ``rows`` rows drawn (the run in the
    same broadcast's link): what live.js needs to draw them."""
    count = len(base64.b64decode(frames["epochs"]["bdata"])) // 4
    widths = [len(base64.b64decode(frames[name]["bdata"])) // 8 // max(count, 1) for name in ("params", "predictions")]
    return count == 0 or widths == [parameters, rows]
