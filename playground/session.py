"""One learner's state, and the only module that touches ``st.session_state``.

A ``Session`` is what one browser tab has: the scenario in force, its network, the live player and what the views
show. Its actions are plain functions (testable without Streamlit); there is one way to put a scenario in force
(``open_scenario``) and one way to stop playing (``stop``). The bottom of the module is the whole of the app's
contact with ``st.session_state``: the session itself and the widget values, by their keys.

Live play (``play``/``next_chunk``): the server trains about a second ahead of the screen and sends the browser
the new frames (epoch, weights, loss) in one message; the browser plays them out on its own clock and asks for
the next chunk when it runs low. ``stop(shown)`` then truncates the run to the epoch the learner saw. Training to
a target uses the same path, as fast as it goes, in slices of a quarter of a second, so the page shows it counting
up and the learner can stop it (keeping what was trained).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from nn_core import InputError, NeuralNetwork, Scenario, Settings, TrainingSet
from nn_core.model import Frames
from nn_core.settings import MAX_EPOCHS, check_weight

if TYPE_CHECKING:
    from .rooms import Seat

STEP_SIZES = (1, 10, 100, 1000, 10_000)
PLAY_SPEEDS = (10, 100, 1000, 5000, 20_000)  # epochs per second
DEFAULT_PLAY_SPEED = 1000
FRAMES_PER_SECOND = 30  # what the browser shows while playing (each frame: epoch, weights, loss)
AHEAD_SECONDS = 1.2  # how far training runs ahead of the screen while playing
PULL_SECONDS = 0.6  # the browser asks for more when less than this much is left
TRAIN_SLICE_SECONDS = 0.25  # training to a target gives the page a frame at least this often
MAX_SAVED_RUNS = 10
ROWS_DRAWN = 8  # the "each row" view draws the first 8 rows
MAX_HAND_PATH = 200  # the hand-set points an attempt keeps (the first, where the race starts, always stays)
MAX_GUESSES = 100


@dataclass
class Player:
    """Live training: "play" (at ``speed`` epochs per second, ahead of the screen) or "train" (to ``target``)."""

    mode: str | None = None
    speed: int = DEFAULT_PLAY_SPEED
    target: int = 0
    shown: int = 0  # the epoch on the learner's screen, as the browser last said (at shown_at, time.monotonic())
    shown_at: float = 0.0
    next_frame: int = 0  # the epoch of the next frame to show (frames stay evenly spaced across chunks)
    chunk: int = 0  # the number of the last chunk sent (the browser ignores a stale one)
    frozen: dict = field(default_factory=dict)  # view -> the figure the chart keeps while live (see training.py)


@dataclass
class Chunk:
    """What one message to the browser's player holds: the frames to show, and whether to ask for more."""

    number: int
    epochs: np.ndarray
    params: np.ndarray  # frames × parameters
    losses: np.ndarray  # frames × LOSS_NAMES
    predictions: np.ndarray  # frames × (up to 8) rows: ŷ of the first rows, for the "each row" view
    seconds_per_frame: float  # 0: show the last frame at once (training to a target)
    more: bool  # the player should ask for the next chunk
    replace: bool = False  # the frames still queued in the browser are void (the run changed under them)


@dataclass
class Practice:
    """What the learner does rather than watches: weights set by hand (and backprop raced from where they started),
    guesses made before a value is revealed, the step of the article's code on screen, the edge of the network
    diagram being edited, and a Backprop stage to bring into view."""

    hand: tuple[float, ...] | None = None  # the weights set by hand on the optimiser page (None: not yet)
    path: list[tuple[float, ...]] = field(default_factory=list)  # this attempt's hand-set points, from its start
    race: object | None = None  # the last race of backprop from the attempt's start (optimiser.Race)
    guesses: dict = field(default_factory=dict)  # question -> (guess, true value), at most MAX_GUESSES
    code_step: int = 0  # which step of the article's code (article_code.STEPS)
    edge: int | None = None  # the parameter whose edge was clicked in the network diagram
    scrolls: int = 0  # counts the requests to bring something into view (each one scrolls once)
    focus: tuple[str, int, int] | None = None  # (Backprop stage, epoch, request) to show, asked for by the code page


@dataclass
class Session:
    """Everything one browser tab has. The run itself (epoch, weights, changes) lives in ``network``."""

    scenario: Scenario
    network: NeuralNetwork
    run_id: int = 0  # changes when the run restarts: the charts then forget a zoom
    player: Player = field(default_factory=Player)
    rewind: int | None = None  # the epoch the views show when the learner rewinds; None: the live epoch
    log_scale: bool = False
    notice: tuple[str, dict] | None = None  # a message for the next run of the page: (strings key, values)
    table_problem: tuple[str, dict] | None = None  # why the table's last edit was refused (until a valid one)
    import_problem: tuple[dict, TrainingSet] | None = None  # why the last CSV file was refused, and the table it left
    # in force: the data panel says why while that table is in force
    settings_problem: tuple[str, dict] | None = None  # why the last settings change was refused (likewise)
    link_seen: str | None = None  # the share link already opened (or refused) in this tab
    reconnect_checked: bool = False  # whether the tab was asked if it lost an earlier session (links.read_url)
    widgets_stale: bool = True  # the settings widgets must be set from the scenario before they are drawn
    editor_base: TrainingSet | None = None  # the table the data editor started from (its edits are relative)
    editor_version: int = 0  # part of the editor's key: a new one starts afresh from editor_base
    saved_runs: dict = field(default_factory=dict)  # name -> SavedRun (experiments.py)
    experiments: dict = field(default_factory=dict)  # the Experiments page's last results
    lesson: str | None = None
    outbox: Chunk | None = None  # the next chunk of frames for the browser's player
    until: tuple[str, float] | None = None  # training to a target stops early once this loss is reached
    presenter_count: int = 0  # times presenter mode was turned on (each time, the sidebar closes once)
    student_view: bool = False  # opened from a link or file that hides controls: the page is a student's
    practice: Practice = field(default_factory=Practice)
    frames_sent: tuple[np.ndarray, np.ndarray] | None = None  # epochs and parameters of the frames the browser may
    # still be playing (views drawn per frame: each row's share, the diagram's hover)
    diagnosis_seen: tuple | None = None  # what the Playground's diagnosis panel last showed of the running network
    last_chunk: Chunk | None = None  # the last frames sent to the browser's player (a room relays them)
    room: Seat | None = None  # presenting or following a room (rooms.py)
    room_link_seen: str | None = None  # the ?room= code already joined (or refused) in this tab

    @classmethod
    def start(cls, scenario: Scenario | None = None) -> Session:
        scenario = scenario or Scenario()
        return cls(scenario, NeuralNetwork(scenario.data, settings=scenario.settings), editor_base=scenario.data)

    def share_scenario(self, ui: dict) -> Scenario:
        """The scenario with this tab's run and view: what a share link or a file carries."""
        return self.scenario.with_changes(ui=ui).with_run_of(self.network)


# -- putting things in force ------------------------------------------------------------------------------------
def open_scenario(s: Session, scenario: Scenario, progress=None) -> None:
    """Put a whole scenario in force (a link, a file, a lesson, a reload): its network with its run rebuilt, a fresh
    table in the editor, the widgets set from it."""
    stop(s)
    s.scenario = scenario
    s.network = scenario.network(progress=progress)
    s.editor_base, s.editor_version = scenario.data, s.editor_version + 1
    _restart_views(s)
    s.widgets_stale = True


def follow_run(s: Session, scenario: Scenario, network: NeuralNetwork) -> None:
    """Put in force a run built elsewhere (a room's, see rooms.py): the views keep their zoom when it is this run
    further on, and the table starts afresh only when the data changed."""
    stop(s)
    same_run = s.network.continues(network.epoch, network.events) and s.scenario.data == scenario.data \
        and s.scenario.settings == scenario.settings
    if scenario.data != s.scenario.data:
        s.editor_base, s.editor_version = scenario.data, s.editor_version + 1
    s.scenario, s.network = scenario, network
    if not same_run:
        _restart_views(s)
    s.widgets_stale = True


def change_data(s: Session, data: TrainingSet, preset: str | None) -> None:
    """The learner edited the table or chose a dataset: training starts again on it."""
    _restart(s, s.scenario.with_changes(data=data, preset=preset), "pg.reset_data")


def change_settings(s: Session, settings: Settings) -> None:
    """New settings. A new learning rate is a change within the run; anything else starts the run again."""
    old = s.scenario.settings
    if replace(old, learning_rate=settings.learning_rate) == settings:
        set_learning_rate(s, settings.learning_rate)
        return
    scenario = s.scenario.with_changes(settings=settings)
    if settings.hidden and not old.hidden and isinstance(settings.init, float):
        # Equal starting weights give every hidden unit the same job forever: start from random weights instead.
        scenario = scenario.with_changes(init="random", seed=settings.seed if settings.seed is not None else 1)
        s.widgets_stale = True
        s.notice = ("pg.init_hidden_note", {})
    _restart(s, scenario, "pg.reset_settings")


def restart_with(s: Session, settings: Settings) -> None:
    """Start the run again from epoch 0 with ``settings``, even if only the learning rate differs (a one-click fix:
    a rate that saturated or blew up the weights must not go on from where it left them)."""
    _restart(s, s.scenario.with_changes(settings=settings), "pg.reset_settings")
    s.widgets_stale = True


def set_weight(s: Session, index: int, value: float, shown: int | None = None) -> None:
    """A weight typed by hand mid-run (the network diagram). The run goes on from the epoch on screen with it: a
    change recorded at that epoch, so share links and rewinding replay it exactly. A rewound run first drops what
    came after the epoch shown (the learner changes the past they are looking at)."""
    stop(s, shown)
    if s.rewind is not None and s.rewind < s.network.epoch:
        s.network.truncate(s.rewind)
    s.rewind = None
    s.network.set_parameter(index, value)


def set_learning_rate(s: Session, rate: float) -> None:
    s.network.learning_rate = rate  # recorded as a change at this epoch: links and rewinds replay it
    s.scenario = s.scenario.with_changes(learning_rate=rate) if s.network.epoch == 0 else s.scenario


def change_view(s: Session, **view) -> None:
    """View settings (target epochs, loss shown, hidden controls): nothing about the run changes."""
    s.scenario = s.scenario.with_changes(**view)


def _restart(s: Session, scenario: Scenario, notice: str) -> None:
    stop(s)
    trained = s.network.epoch > 0
    s.scenario = scenario
    s.network = NeuralNetwork(scenario.data, settings=scenario.settings)
    s.scenario = scenario.with_changes(settings=s.network.settings)  # with the seed it drew, if it had to
    _restart_views(s)
    if trained and s.notice is None:
        s.notice = (notice, {})


def _restart_views(s: Session) -> None:
    s.run_id += 1
    s.rewind = None


# -- training ------------------------------------------------------------------------------------------------------
def step(s: Session, epochs: int) -> int:
    stop(s)
    s.rewind = None  # training brings the views back to the live epoch
    return s.network.train(int(epochs))


def reset(s: Session) -> None:
    stop(s)
    s.network.reset()
    s.scenario = s.scenario.with_changes(learning_rate=s.network.learning_rate)
    _restart_views(s)


def run_until(s: Session, loss: str, threshold: float) -> None:
    """Train (live, a slice at a time) until the loss is below ``threshold`` or the run reaches its limit."""
    train_to(s, MAX_EPOCHS)
    s.until = (loss, threshold)


def play(s: Session, speed: int | None = None) -> None:
    stop(s)
    s.player.mode = "play"
    if speed is not None:
        s.player.speed = speed
    s.player.shown, s.player.shown_at = s.network.epoch, time.monotonic()
    s.player.next_frame = s.network.epoch
    s.rewind = None


def train_to(s: Session, target: int) -> None:
    """Start training to ``target`` (as fast as it goes, a slice at a time: see ``next_chunk``)."""
    stop(s)
    s.player.mode, s.player.target = "train", int(min(max(target, 0), MAX_EPOCHS))
    s.player.shown = s.network.epoch
    s.rewind = None


def stop(s: Session, shown: int | None = None) -> None:
    """Stop live training. Playing ran ahead of the screen: the run goes back to the epoch the learner saw."""
    p = s.player
    if p.mode == "play" and shown is not None and 0 <= shown < s.network.epoch:
        s.network.truncate(max(shown, p.shown))
    p.mode = None
    p.frozen = {}
    s.until = None


def next_chunk(s: Session, shown: int | None = None, clock=time.perf_counter) -> Chunk | None:
    """Train the next piece of live training and return its frames, or None when there is nothing to do."""
    p, net = s.player, s.network
    if p.mode is None:
        return None
    if shown is not None:
        p.shown, p.shown_at = min(max(shown, p.shown), net.epoch), time.monotonic()
    if p.mode == "play":
        every = max(1, round(p.speed / FRAMES_PER_SECOND))
        todo = int(p.speed * AHEAD_SECONDS) - (net.epoch - p.shown)
        todo = max(0, min(todo, MAX_EPOCHS - net.epoch))
        frames = Frames(every, max(p.next_frame, net.epoch))
        net.train(todo, frames=frames)
        p.next_frame = frames.next
        finished = net.stop is not None or net.epoch >= MAX_EPOCHS
        seconds = every / p.speed
    else:
        frames = Frames(1, 0)
        start = clock()
        todo = p.target - net.epoch
        reached = False
        while todo > 0 and net.stop is None and not reached and clock() - start < TRAIN_SLICE_SECONDS:
            ran = net.train(min(todo, 5000), until=s.until)  # small pieces: the slice ends on time
            reached = s.until is not None and ran < min(todo, 5000) and net.stop is None
            todo = p.target - net.epoch
        frames.collect_now(net)
        finished = todo <= 0 or net.stop is not None or reached
        seconds = 0.0
    if finished:
        p.mode = None
    p.chunk += 1
    if not frames.epochs:
        frames.collect_now(net)
    return chunk_of(net, p.chunk, np.array(frames.epochs), np.array(frames.params), np.array(frames.losses), seconds,
                    more=not finished)


def chunk_of(net: NeuralNetwork, number: int, epochs, params, losses, seconds_per_frame: float, more: bool) -> Chunk:
    """A chunk of frames of ``net``'s run, with each frame's predictions of the rows the "each row" view draws."""
    rows = min(len(net.inputs), ROWS_DRAWN)
    predictions = net.predictions_for(params.T, net.inputs[:rows])[:, 0, :].T  # frames × rows
    return Chunk(number, epochs, params, losses, predictions, seconds_per_frame, more=more)


def set_hand(s: Session, values) -> None:
    """Weights set by hand on the optimiser page (checked like any typed weight); the attempt's path grows."""
    values = tuple(float(v) for v in values)
    if len(values) != s.network.architecture.n_params:
        raise InputError(f"set {s.network.architecture.n_params} values by hand, got {len(values)}")
    for v in values:
        check_weight(v)
    p = s.practice
    if not p.path or len(p.path[0]) != len(values):
        p.path, p.race = [values], None
    elif p.path[-1] != values:
        p.path.append(values)
        if len(p.path) > MAX_HAND_PATH:
            del p.path[1]  # the start stays: the race begins there
    p.hand = values


def new_attempt(s: Session) -> None:
    """Start a new attempt from the weights set now: the path and the race begin again here."""
    p = s.practice
    p.path, p.race = ([p.hand] if p.hand else []), None


def remember_guess(s: Session, question: tuple, guess: float, truth: float) -> None:
    guesses = s.practice.guesses
    guesses[question] = (float(guess), float(truth))
    while len(guesses) > MAX_GUESSES:
        guesses.pop(next(iter(guesses)))


def save_run(s: Session, name: str):
    from .experiments import saved_run

    s.saved_runs[name] = saved_run(s.network, name)
    if len(s.saved_runs) > MAX_SAVED_RUNS:
        s.saved_runs.pop(next(iter(s.saved_runs)))
        return True
    return False


def parse_weights(text: str, count: int) -> tuple[float, ...]:
    """Typed starting weights: ``count`` comma-separated numbers, or InputError naming the bad one."""
    parts = [p.strip() for p in str(text)[:2000].replace(";", ",").split(",") if p.strip()]
    if len(parts) != count:
        raise InputError(f"type {count} numbers separated by commas (got {len(parts)})")
    values = []
    for i, p in enumerate(parts, start=1):
        try:
            values.append(float(p))
        except ValueError:
            raise InputError(f"starting weight {i} is not a number") from None
    return Settings(init=tuple(values)).init  # checks each value's range


# -- the Streamlit side: the only code that touches st.session_state ------------------------------------------------
SESSION_KEY = "playground_session"


def current() -> Session:
    """This browser tab's session, created on first use."""
    import streamlit as st

    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = Session.start()
    return st.session_state[SESSION_KEY]


def widget(key: str, default=None):
    """A widget's value by its key (what the browser last sent), or ``default`` if it has none."""
    import streamlit as st

    return st.session_state.get(key, default)


def set_widget(key: str, value) -> None:
    """Set a widget's value from the code (before the widget is drawn in this run, or from a callback)."""
    import streamlit as st

    st.session_state[key] = value


def forget_widget(key: str) -> None:
    import streamlit as st

    st.session_state.pop(key, None)


def checked_widget(s: Session, key: str, ok, fallback) -> None:
    """Before a widget is drawn: give it ``fallback`` (the session's own value) if it has none yet; and if the value
    a client sent is not one the app allows (a hostile client can send anything, past the browser's limits), put
    ``fallback`` back and say so."""
    try:
        value = widget(key)
        valid = value is None or bool(ok(value))
    except Exception:  # a value Streamlit itself cannot read back: as invalid as any
        value, valid = None, False
    if not valid:
        import streamlit as st

        from .strings import t

        forget_widget(key)
        st.toast(t("pg.value_refused"), icon="ℹ️")  # now: the page's message line has already been drawn
    if value is None or not valid:
        set_widget(key, fallback)


# -- what a client sends, checked before Streamlit reads it ----------------------------------------------------------
# Streamlit reads each widget's value with that widget's own deserializer, which trusts the browser: a value of the
# wrong kind (text for a number, a list for a choice, NaN for a whole number) raises inside Streamlit before any code
# of the app runs, and since the value stays, every later run of the tab fails the same way. So every value a client
# sends is tried first, as it arrives: one that its widget cannot read is dropped (the widget keeps its last valid
# value) and the page says so. Values that can be read are checked by the app itself (checked_widget, callbacks).
_SAME_KIND = {"double_value": {"double_value", "int_value"}}  # a number input of whole numbers sends int_value
_NOT_TRIED = {"file_uploader_state_value", "chat_input_value"}  # reading these has effects: Streamlit checks them
_NUMBERS = {"double_value", "int_value", "double_array_value", "int_array_value"}
MAX_EVENTS_PER_MESSAGE = 8


def refuse_unreadable_widget_values() -> None:
    """Once per server process: check every widget value a client sends before Streamlit reads it (see above)."""
    from streamlit.runtime.state.session_state import SessionState

    original = SessionState.set_widgets_from_proto
    if getattr(original, "checks_values", False):
        return

    def set_widgets_from_proto(state, widget_states):
        kept, refused = _readable(state._new_widget_state.widget_metadata, widget_states)
        if refused:
            s = state._old_state.get(SESSION_KEY)
            if isinstance(s, Session):
                s.notice = ("pg.value_refused", {})
        return original(state, kept)

    set_widgets_from_proto.checks_values = True
    SessionState.set_widgets_from_proto = set_widgets_from_proto
    # This run's values arrived before the check was in place (the first run of the server's first session): the
    # widgets have not been drawn yet, so none of those values can have been read; start them afresh.
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.session_state._state._new_widget_state.states.clear()


def _readable(metadata: dict, widget_states):
    """(the widget states whose widget can read them, how many were dropped). A state for a widget this session
    never drew (a browser reconnecting to a restarted server sends its old ones) is dropped quietly."""
    from streamlit.proto.WidgetStates_pb2 import WidgetStates
    from streamlit.runtime.state.common import unpack_widget_state_value

    kept, refused = WidgetStates(), 0
    for state in widget_states.widgets:
        meta = metadata.get(state.id)
        if meta is None:
            continue
        kind = state.WhichOneof("value")
        readable = kind is None or kind in _SAME_KIND.get(meta.value_type, {meta.value_type})
        if readable and kind is not None and kind not in _NOT_TRIED:
            sent = unpack_widget_state_value(state)
            try:
                value = meta.deserializer(sent)
                if kind in _NUMBERS:  # a number past the widget's limits would silently become its default
                    readable = _same_numbers(meta.serializer(value), sent)
                elif kind == "json_trigger_value":  # a component's events: {"event": name, "value": …} each
                    readable = _events(value)
            except Exception:  # whatever a widget raises on a value it cannot read
                readable = False
        if readable:
            kept.widgets.append(state)
        else:
            refused += 1
    return kept, refused


def _same_numbers(read, sent) -> bool:
    read, sent = np.atleast_1d(np.asarray(read, dtype=float)), np.atleast_1d(np.asarray(sent, dtype=float))
    return read.shape == sent.shape and bool(np.all(read == sent))


def _events(value) -> bool:
    """A component's events as a browser sends them: one or a few (each runs a callback), each named."""
    events = value if isinstance(value, list) else [value]
    return len(events) <= MAX_EVENTS_PER_MESSAGE and all(
        isinstance(e, dict) and isinstance(e.get("event"), str) for e in events)
