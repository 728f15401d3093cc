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

A room's broadcasts are published with the presenter seat's secret: only the presenter's own session can change
its room (registry.py). A follower leaves when the room ends, or when its code comes to name another room; a room
that is missing (expired, or lost with Redis) may come back at its presenter's next heartbeat, so its followers
wait MISSING_SECONDS for it, keeping what they show. Frames that do not fit the run they come with (another
network's width, another table's rows) are dropped: the page keeps the last good state.

Where rooms live: registry.py; what a broadcast may hold: schema.py; the run trained once per process for its
followers: mirror.py.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import numpy as np

from nn_core import LOSS_NAMES, InputError, Run

from ..live.component import chunk_json
from ..live.player import Chunk, chunk_of
from ..state.session import Session
from ..views.playground import ROWS_DRAWN
from .mirror import same_setup
from .registry import MAX_LEAD_SECONDS, MISSING_SECONDS, QUIET_SECONDS, SENT, SPREAD_SECONDS, Rooms
from .schema import RoomState, fits

LOG = logging.getLogger("playground.rooms")


# -- the presenter --------------------------------------------------------------------------------------------------
def publish(s: Session, rooms: Rooms, view: dict, chunk: Chunk | None) -> str | None:
    """Send the room what the presenter's screen shows now, if that changed. ``chunk``: the frames its browser was
    sent in this run, if any. What the registry answered (SENT, REOPENED, TAKEN), or None if the run cannot be put
    in a room (too large for a link)."""
    seat, net, player = s.room, s.network, s.player
    shown = min(player.shown, net.epoch) if player.mode == "play" else net.epoch
    run = Run(shown, tuple(e for e in net.events if e.epoch <= shown))
    try:
        link = replace(s.scenario.with_changes(ui={}), run=run).to_link()  # the run, none of the session's view
    except InputError:
        return None
    playing = player.mode is not None
    key = (link, json.dumps(view, sort_keys=True), playing)
    if key == seat.published and chunk is None:
        return SENT
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
                           chunk.params]), slots=np.vstack([before.slots, chunk.slots]),
                           losses=np.vstack([before.losses, chunk.losses]),
                           predictions=np.vstack([before.predictions, chunk.predictions]))
        newest_at = now + min(MAX_LEAD_SECONDS, max(0.0, lead))
        seat.recent = (chunk, newest_at) if playing else None
        frames = dict(chunk_json(sent), first_at=first_at, newest_at=newest_at)
    elif not playing:
        seat.recent = None
        losses = np.array([[net.current_loss(name) for name in LOSS_NAMES]])
        still = chunk_of(net, 0, np.array([net.epoch]), net.state.copy(), losses, 0.0, more=False)
        frames = dict(chunk_json(still), first_at=now)
    else:
        frames = None  # playing, and no new frames in this run: followers keep playing the ones they have
    seat.version += 1
    seat.published = key
    return rooms.publish(seat.code, seat.secret, RoomState(seat.version, link, view, frames, playing))


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
    """One tick of a follower: (what to do, the room's state). "ended": the room is gone; "missing": it is not
    there now, and may come back; "detached": the learner changed something; "apply": put the room's run in force
    and redraw the page; "relay": new frames for the browser (``seat.relay``); None: nothing new."""
    seat = s.room
    state = rooms.latest(seat.code)
    if state is not None and (state.ended or state.owner != seat.owner):
        return "ended", None
    if state is None:
        seat.missing_since = now if seat.missing_since is None else seat.missing_since
        return ("missing" if now - seat.missing_since < MISSING_SECONDS else "ended"), None
    seat.missing_since = None
    if not seat.following:
        return None, state
    if seat.mark and not same(seat.mark, mark_of(s)):
        seat.following, seat.relay = False, None
        return "detached", state
    if state.version != seat.version:
        scenario = _scenario(rooms, state.link)
        if state.frames is not None and not (scenario and fits(state.frames, scenario.architecture.n_params,
                                                                min(len(scenario.data.inputs), ROWS_DRAWN))):
            LOG.warning("room %s: frames that do not fit the room's run were dropped", seat.code)
            return None, None  # the page keeps the last good state
        seat.version = state.version
        seat.further = scenario is not None and only_further_on(s, scenario, state)
        # Frames show the change at once; the page is redrawn a moment later, each follower at its own moment.
        seat.due = now + seat.spread * SPREAD_SECONDS + (QUIET_SECONDS if seat.further else 0.0)
        if state.frames is not None:
            # (bounded: another replica's clock, or a forged time, must not hold the frames back for long)
            delay = min(MAX_LEAD_SECONDS, max(-60.0, state.frames["first_at"] - rooms.clock()))
            seat.relay = {"version": state.version, "chunk": state.frames, "delay": delay}
            return "relay", state
    waiting = seat.applied != state.version and seat.due is not None and now >= seat.due
    if waiting and not (state.playing and seat.further):  # while playing, frames stream: no redraw needed
        return "apply", state
    return None, state


def _scenario(rooms: Rooms, link: str):
    try:
        return rooms.scenario(link)
    except InputError:
        return None


def only_further_on(s, scenario, state: RoomState) -> bool:
    """The room shows this session's run further on, in the same view: its frames say all that changed."""
    sc = s.scenario
    return (s.room.applied >= 0 and state.view == s.room.view and same_setup(sc, scenario)
            and (sc.target_epochs, sc.loss) == (scenario.target_epochs, scenario.loss)
            and s.network.continues(scenario.run.epoch, scenario.run.events))
