"""Rooms: everyone in the room follows the presenter's run.

A presenter creates a room. What the room carries is what a share link carries — the data, the settings, the view
and the run up to the epoch on the presenter's screen — plus the frames on that screen: while the presenter plays,
each chunk of frames its browser plays, and when it stands still, the one frame it shows. Nothing else of the
presenter's session (saved runs, experiments, language, files) ever goes into a room.

A follower polls the room's version (a small fragment on a timer, POLL_SECONDS: about 4 ms of the server when
nothing changed) and
- relays the presenter's newest frames to its browser at once: live.js plays them at the moment the presenter's
  screen shows them (the epoch, the weights, the loss, the chart), without asking its server for anything more;
- redraws its page with the room's run in force (its own network and every view) a moment later: after
  QUIET_SECONDS of stillness for the same run further on, at once for anything else, each follower at its own moment
  within SPREAD_SECONDS. A page costs about 50 ms of a core; 50 followers redrawing at the same instant would hold
  everyone's next frames back by seconds.
The run a follower puts in force is trained once per process for all its followers (``Mirror``: the same run
further on trains only the missing epochs); each follower takes a copy, so what it does next is its own. A follower
that changes anything itself has detached (to experiment); one click puts it back in the room.

Where rooms live: in the server process (``LocalRooms``: nothing to install), or in Redis when ROOMS_REDIS_URL is
set (``RedisRooms``: a key per room with a TTL, pub/sub for the changes), so that a presenter and its students may
sit on different replicas. Either way there is one registry per process (``registry()``, a Streamlit resource),
never module-level state. A room ends when its presenter ends it, or ROOM_TTL_SECONDS after the presenter's page
last said it was there (it says so every HEARTBEAT_SECONDS while open): the grace period of a dropped connection.
"""

from __future__ import annotations

import copy
import json
import os
import random
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import numpy as np
import streamlit as st

from nn_core import LOSS_NAMES, InputError, NeuralNetwork, Run, Scenario

from .live import chunk_json
from .session import Chunk, Session, chunk_of

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


@dataclass
class Seat:
    """This session's place in a room: presenting it, or following it (``following`` False once detached)."""

    code: str
    presenting: bool
    following: bool = True
    version: int = 0  # presenter: the last version sent; follower: the last version seen
    published: tuple | None = None  # presenter: what the last broadcast carried (to send only changes)
    chunk: int = 0  # presenter: the number of the last chunk of frames sent to the room
    recent: tuple | None = None  # presenter: (the last chunk sent while playing, when its first frame showed)
    too_big: bool = False  # presenter: the run cannot be put in a link, so the room does not follow it
    applied: int = -1  # follower: the version whose run is in force here
    due: float | None = None  # follower: when to put the room's newest run in force (time.monotonic())
    further: bool = False  # follower: the newest run is the one in force further on (its frames say all of it)
    spread: float = field(default_factory=random.random)  # follower: its place in SPREAD_SECONDS
    relay: dict | None = None  # follower: what live.js plays now ({"version", "chunk", "delay"}), if anything
    view: dict = field(default_factory=dict)  # follower: the view in force (tab, rewind, log scale, lesson)
    mark: tuple = field(default_factory=tuple)  # follower: the run as the room left it (to notice its own changes)


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
        import redis

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


# -- the room's run, trained once per process -----------------------------------------------------------------------
class Mirror:
    """The room's run as this process last put it in force: followers take a copy, so that the epochs a presenter
    adds are trained once here, not once per follower."""

    def __init__(self):
        self.lock = threading.Lock()
        self.scenario: Scenario | None = None
        self.network: NeuralNetwork | None = None

    def network_for(self, scenario: Scenario) -> NeuralNetwork:
        with self.lock:
            net, run = self.network, scenario.run
            if net is not None and same_setup(self.scenario, scenario) and net.continues(run.epoch, run.events):
                net.follow(run.epoch, run.events)
            else:
                net = scenario.network()
            self.scenario, self.network = scenario, net
            return copy.deepcopy(net)


def same_setup(a: Scenario | None, b: Scenario) -> bool:
    """The same table and settings: runs that may be one another further on."""
    return a is not None and a.data == b.data and a.settings == b.settings


# -- the presenter --------------------------------------------------------------------------------------------------
def publish(s: Session, rooms: Rooms, view: dict, chunk: Chunk | None) -> bool:
    """Send the room what the presenter's screen shows now, if that changed. ``chunk``: the frames its browser was
    sent in this run, if any. False if the run cannot be put in a room (too large for a link)."""
    seat, net, player = s.room, s.network, s.player
    shown = min(player.shown, net.epoch) if player.mode == "play" else net.epoch
    run = Run(shown, tuple(e for e in net.events if e.epoch <= shown))
    try:
        link = replace(s.scenario.with_changes(ui={}), run=run).to_link()  # the run, none of the session's view
    except InputError:
        return False
    playing = player.mode is not None
    key = (link, json.dumps(view, sort_keys=True), playing)
    if key == seat.published and chunk is None:
        return True
    now = rooms.clock()
    if chunk is not None:
        # Its first frame reaches the presenter's screen once the frames before it have played.
        lead = (int(chunk.epochs[0]) - shown) / max(player.speed, 1) if chunk.seconds_per_frame and len(chunk.epochs) \
            else 0.0
        first_at = now + min(MAX_LEAD_SECONDS, max(0.0, lead))  # (until it is merged with the chunk before)
        sent = chunk
        if playing and seat.recent is not None and _continues(seat.recent[0], chunk):
            # The chunk before goes too: a follower whose poll came after two broadcasts still gets every frame.
            before, first_at = seat.recent
            sent = replace(chunk, epochs=np.r_[before.epochs, chunk.epochs], params=np.vstack([before.params,
                           chunk.params]), losses=np.vstack([before.losses, chunk.losses]),
                           predictions=np.vstack([before.predictions, chunk.predictions]))
        newest_at = now + min(MAX_LEAD_SECONDS, max(0.0, lead))
        seat.recent = (chunk, newest_at) if playing else None
        frames = dict(chunk_json(sent), first_at=first_at, newest_at=newest_at)
    elif not playing:
        seat.recent = None
        losses = np.array([[net.current_loss(name) for name in LOSS_NAMES]])
        still = chunk_of(net, 0, np.array([net.epoch]), net.params[None, :], losses, 0.0, more=False)
        frames = dict(chunk_json(still), first_at=now)
    else:
        frames = None  # playing, and no new frames in this run: followers keep playing the ones they have
    seat.version += 1
    seat.published = key
    rooms.publish(seat.code, RoomState(seat.version, link, view, frames, playing))
    return True


def _continues(before: Chunk, chunk: Chunk) -> bool:
    """Two chunks of one play at one speed, the second after the first."""
    return bool(before.seconds_per_frame == chunk.seconds_per_frame > 0 and len(before.epochs) and len(chunk.epochs)
                and int(before.epochs[-1]) < int(chunk.epochs[0]))


# -- a follower -----------------------------------------------------------------------------------------------------
def mark_of(s) -> tuple:
    """The session's run and what it shows, to notice that the learner changed something (and so detached)."""
    return (s.network, s.network.epoch, len(s.network.events), s.scenario, s.rewind, s.player.mode)


def same(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x is y or (type(x) is type(y) and x == y) for x, y in zip(a, b))


def poll(s, rooms: Rooms, now: float) -> tuple[str | None, RoomState | None]:
    """One tick of a follower: (what to do, the room's state). "ended": the room is gone; "detached": the learner
    changed something; "apply": put the room's run in force and redraw the page; "relay": new frames for the
    browser (``seat.relay``); None: nothing new."""
    seat = s.room
    state = rooms.latest(seat.code)
    if state is None:
        return "ended", None
    if not seat.following:
        return None, state
    if seat.mark and not same(seat.mark, mark_of(s)):
        seat.following, seat.relay = False, None
        return "detached", state
    if state.version != seat.version:
        seat.version = state.version
        seat.further = only_further_on(s, rooms, state)
        # Frames show the change at once; the page is redrawn a moment later, each follower at its own moment.
        seat.due = now + seat.spread * SPREAD_SECONDS + (QUIET_SECONDS if seat.further else 0.0)
        if state.frames is not None:
            seat.relay = {"version": state.version, "chunk": state.frames,
                          "delay": state.frames.get("first_at", 0.0) - rooms.clock()}
            return "relay", state
    waiting = seat.applied != state.version and seat.due is not None and now >= seat.due
    if waiting and not (state.playing and seat.further):  # while playing, frames stream: no redraw needed
        return "apply", state
    return None, state


def only_further_on(s, rooms: Rooms, state: RoomState) -> bool:
    """The room shows this session's run further on, in the same view: its frames say all that changed."""
    try:
        scenario = rooms.scenario(state.link)
    except InputError:
        return False
    sc = s.scenario
    return (s.room.applied >= 0 and state.view == s.room.view and same_setup(sc, scenario)
            and (sc.target_epochs, sc.loss) == (scenario.target_epochs, scenario.loss)
            and s.network.continues(scenario.run.epoch, scenario.run.events))
