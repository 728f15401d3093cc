"""The live player's protocol: the server trains ahead of the screen and sends the browser chunks of frames.

While playing (``play``), the server trains about AHEAD_SECONDS ahead of the epoch on the learner's screen and sends
the new frames (epoch, weights, losses) in one message; the browser (static/live.js) plays them out on its own clock
and asks for the next chunk when less than PULL_SECONDS is left. ``stop(shown)`` then takes the run back to the epoch
the learner saw. Training to a target (``train_to``) goes the same way, as fast as it goes, a slice of
TRAIN_SLICE_SECONDS at a time, so the page counts up and the learner can stop it; a long one takes turns with the
other heavy runs of the server (trainer.py's ``Turns``), waiting in line between its turns. Pure: the player, the
network and the trainer that trains it (trainer.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from nn_core import NeuralNetwork
from nn_core.model import Frames
from nn_core.settings import MAX_EPOCHS

from ..views.playground import ROWS_DRAWN
from .trainer import ALONE

PLAY_SPEEDS = (10, 100, 1000, 5000, 20_000)  # epochs per second
DEFAULT_PLAY_SPEED = 1000
FRAMES_PER_SECOND = 30  # what the browser shows while playing (each frame: epoch, weights, loss)
AHEAD_SECONDS = 2.5  # how far training runs ahead of the screen while playing
PULL_SECONDS = 1.2  # the browser asks for more when less than this much is left: a chunk is about 1.3 s of frames,
# so a playing tab costs the server a rerun that often (its main cost), and a chunk may come up to a second late
# without the screen standing still
TRAIN_SLICE_SECONDS = 0.25  # training to a target gives the page a frame at least this often
MAX_FRAMES_KEPT = 240  # frames whose per-frame views are kept while playing (two chunks are about 75)
TRAIN_FRAMES = 64  # frames of one slice of training to a target, at most (its last epoch's comes on top)
PLAY_SLACK = 0.3  # seconds the trainer may wait to gather more of the class's chunks, when frames are still queued
STEP_AHEAD_WORK = 1000  # the next Step is trained ahead when it costs at most this many epochs of the article's
# network (a few ms): Steps of 1 to 1,000 epochs of it; a larger one waits for the server, as any click does
STEP_AHEAD_FRAMES = 32  # frames of a Step trained ahead, at most (the curve between its ends; its last epoch's on top)


@dataclass
class Chunk:
    """What one message to the browser's player holds: the frames to show, and whether to ask for more."""

    number: int
    epochs: np.ndarray
    params: np.ndarray  # frames × parameters
    slots: np.ndarray  # frames × the optimiser's own numbers (the server's views use them; the browser does not)
    losses: np.ndarray  # frames × LOSS_NAMES
    predictions: np.ndarray  # frames × (up to 8) rows: ŷ of the first rows, for the "each row" view
    seconds_per_frame: float  # 0: show the last frame at once (training to a target)
    more: bool  # the player should ask for the next chunk
    replace: bool = False  # the frames still queued in the browser are void (the run changed under them)


@dataclass
class Player:
    """Live training: "play" (at ``speed`` epochs per second, ahead of the screen) or "train" (to ``target``, or
    until the loss ``until`` is reached)."""

    mode: str | None = None
    speed: int = DEFAULT_PLAY_SPEED
    target: int = 0
    until: tuple[str, float] | None = None
    shown: int = 0  # the epoch on the learner's screen, as the browser last said (at shown_at, time.monotonic())
    shown_at: float = 0.0
    next_frame: int = 0  # the epoch of the next frame to show (frames stay evenly spaced across chunks)
    chunk: int = 0  # the number of the last chunk sent (the browser ignores a stale one)
    outbox: Chunk | None = None  # the next chunk for the browser
    last_sent: Chunk | None = None  # the last chunk the browser was sent (a room relays it)
    frames: tuple[np.ndarray, np.ndarray] | None = None  # epochs and states of the frames the browser may still be
    # playing (the views drawn per frame follow them: each row's share, the diagram's hover)
    frozen: dict = field(default_factory=dict)  # view -> the figure (and its label) a chart keeps while live (it
    # grows from frames), and its epoch
    ticket: object | None = None  # a long training's place in the line of the server's heavy runs (trainer.py)
    waiting: int | None = None  # training to a target waits for its turn: how many runs are ahead of it
    ahead: tuple | None = None  # the next Step, trained ahead: (what it was trained from, its chunk)

    @property
    def busy(self) -> bool:
        return self.mode is not None


def play(player: Player, net: NeuralNetwork, speed: int | None = None) -> None:
    stop(player, net)
    player.mode = "play"
    if speed is not None:
        player.speed = speed
    player.shown, player.shown_at = net.epoch, time.monotonic()
    player.next_frame = net.epoch


def train_to(player: Player, net: NeuralNetwork, target: int, until: tuple[str, float] | None = None) -> None:
    """Start training to ``target`` (as fast as it goes, a slice at a time: see ``next_chunk``), stopping early
    once the loss ``until`` = (loss, threshold) is reached."""
    stop(player, net)
    player.mode, player.target = "train", int(min(max(target, 0), MAX_EPOCHS))
    player.until = until
    player.shown = net.epoch


def stop(player: Player, net: NeuralNetwork, shown: int | None = None) -> None:
    """Stop live training. Playing ran ahead of the screen: the run goes back to the epoch the learner saw."""
    if player.mode == "play" and shown is not None and 0 <= shown < net.epoch:
        net.truncate(max(shown, player.shown))
    player.mode = None
    player.frozen = {}
    player.until = None
    _leave_line(player)


def _leave_line(player: Player) -> None:
    if player.ticket is not None:
        player.ticket.release()
    player.ticket, player.waiting = None, None


def _my_turn(player: Player, net: NeuralNetwork, trainer) -> bool:
    """Whether training to a target may train now: light work may; a heavy one waits its turn, up to a slice's time,
    keeping its place in the line from slice to slice (``player.waiting``: how many runs are ahead of it)."""
    if player.ticket is None:
        work = (player.target - net.epoch) * net.settings.work_per_epoch(net.architecture, len(net.inputs))
        player.ticket = trainer.ticket(object(), work)  # (a key of its own: no other run is this one)
    turn = player.ticket is None or player.ticket.wait(TRAIN_SLICE_SECONDS)
    player.waiting = None if turn else player.ticket.ahead()
    return turn


def screen_epoch(player: Player, net: NeuralNetwork) -> int | None:
    """About the epoch the browser shows while playing (from what it last said and the time since), else None."""
    if player.mode != "play":
        return None
    shown = player.shown + int(player.speed * max(0.0, time.monotonic() - player.shown_at))
    return min(shown, net.epoch)


def next_chunk(player: Player, net: NeuralNetwork, shown: int | None = None,
               clock=time.perf_counter, trainer=ALONE) -> Chunk | None:
    """Train the next piece of live training and return its frames, or None when there is nothing to do.
    ``trainer``: what trains it (trainer.py: the server's, which trains a whole class at once)."""
    if player.mode is None:
        return None
    if shown is not None:
        player.shown, player.shown_at = min(max(shown, player.shown), net.epoch), time.monotonic()
    if player.mode == "play":
        every = max(1, round(player.speed / FRAMES_PER_SECOND))
        todo = int(player.speed * AHEAD_SECONDS) - (net.epoch - player.shown)
        todo = max(0, min(todo, MAX_EPOCHS - net.epoch))
        frames = Frames(every, max(player.next_frame, net.epoch))
        queued = net.epoch > player.shown  # frames still to show: the trainer may take a moment to gather others'
        net.train(todo, frames=frames, together=partial(trainer.together, slack=PLAY_SLACK if queued else 0.0))
        player.next_frame = frames.next
        finished = net.stop is not None or net.epoch >= MAX_EPOCHS
        seconds = every / player.speed
    else:
        # The curve of every epoch this slice trains, at up to TRAIN_FRAMES evenly spaced epochs: the chart grows
        # along it (with the last frame alone, it would draw a straight line across the epochs in between).
        frames = Frames(1, net.epoch + 1, most=TRAIN_FRAMES)
        start = clock()
        todo = player.target - net.epoch
        reached = False
        turn = _my_turn(player, net, trainer)  # if not, this slice only says where it is in the line
        while turn and todo > 0 and net.stop is None and not reached and clock() - start < TRAIN_SLICE_SECONDS:
            # small pieces: the slice ends on time
            ran = net.train(min(todo, 5000), until=player.until, frames=frames, together=trainer.together)
            reached = player.until is not None and ran < min(todo, 5000) and net.stop is None
            todo = player.target - net.epoch
        frames.collect_now(net)
        finished = todo <= 0 or net.stop is not None or reached
        seconds = 0.0  # no pace: the browser draws the slice's frames at once
    if finished:
        player.mode = None
        _leave_line(player)
    player.chunk += 1
    if not frames.epochs:
        frames.collect_now(net)
    return chunk_of(net, player.chunk, np.array(frames.epochs), np.array(frames.states), np.array(frames.losses),
                    seconds, more=not finished)


def step_ahead(player: Player, net: NeuralNetwork, epochs: int) -> Chunk | None:
    """The frames of the next Step of ``epochs`` epochs, trained before it is asked for (on a copy: the run stays
    where it is). The browser shows them the moment Step is clicked, while the server makes the same Step, to the
    same numbers bit for bit. None while training live, once the run has stopped or reached its limit, and for a
    Step that costs more than STEP_AHEAD_WORK. Trained again only when the run or the Step's size changed."""
    if player.mode is not None or net.stop is not None or net.epoch >= MAX_EPOCHS:
        return None
    if epochs * net.settings.work_per_epoch(net.architecture, len(net.inputs)) > STEP_AHEAD_WORK:
        return None
    # What the Step starts from. (The network itself, not its id, which a new network may take once it is gone.)
    start = (net, net.epoch, net.learning_rate, net.state.tobytes(), epochs)
    if player.ahead is None or player.ahead[0] != start:
        copy = net.as_at(net.epoch)
        frames = Frames(1, net.epoch + 1, most=STEP_AHEAD_FRAMES)
        copy.train(epochs, frames=frames)
        frames.collect_now(copy)
        player.ahead = start, chunk_of(copy, 0, np.array(frames.epochs), np.array(frames.states),
                                       np.array(frames.losses), 0.0, more=False)
    return player.ahead[1]


def chunk_of(net: NeuralNetwork, number: int, epochs, states, losses, seconds_per_frame: float, more: bool) -> Chunk:
    """A chunk of frames of ``net``'s run (``states``: frames × the network's state), with each frame's predictions
    of the rows the "each row" view draws."""
    params, slots = states[:, : net.architecture.n_params], states[:, net.architecture.n_params :]
    rows = min(len(net.inputs), ROWS_DRAWN)
    predictions = net.predictions_for(params, net.inputs[:rows])[:, :, 0]  # frames × rows
    return Chunk(number, epochs, params, slots, losses, predictions, seconds_per_frame, more=more)


def send(player: Player) -> Chunk | None:
    """The chunk to send the browser in this run (taken from the outbox), remembering the frames it may still be
    playing, so that the views computed per frame follow them."""
    chunk, player.outbox = player.outbox, None
    if chunk is None:
        if player.mode is None:
            player.frames = None
        return None
    player.last_sent = chunk
    epochs, states = np.asarray(chunk.epochs), np.hstack([chunk.params, chunk.slots])
    if player.frames is not None and not chunk.replace:
        old_epochs, old_states = player.frames
        keep = (old_epochs >= player.shown) & (old_epochs < (epochs[0] if len(epochs) else np.inf))
        epochs, states = np.r_[old_epochs[keep], epochs], np.vstack([old_states[keep], states])
    player.frames = (epochs[-MAX_FRAMES_KEPT:], states[-MAX_FRAMES_KEPT:])
    return chunk


def frames_playing(player: Player) -> tuple[np.ndarray, np.ndarray] | None:
    """The frames live play is showing (epochs, the state at each frame), or None when the views show one state."""
    return player.frames if player.mode is not None else None
