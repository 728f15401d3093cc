"""What the learner does to a session: plain functions, testable without Streamlit.

There is one way to put a scenario in force (``open_scenario``), one way to change the settings
(``change_settings``: the learning rate is a change within the run, anything else starts it again) and one way to
stop live training (``stop``).
"""

from __future__ import annotations

from dataclasses import replace

from nn_core import InputError, NeuralNetwork, Scenario, Settings, TrainingSet
from nn_core.settings import MAX_EPOCHS, check_weight

from ..learn.experiments import saved_run
from ..live import player
from .session import MAX_GUESSES, MAX_HAND_PATH, MAX_SAVED_RUNS, Dropped, Session


# -- putting things in force ------------------------------------------------------------------------------------
def open_scenario(s: Session, scenario: Scenario, progress=None, waiting=None) -> None:
    """Put a whole scenario in force (a link, a file, a lesson, a reload): its network with its run rebuilt, the
    epoch it showed (rewound, if it was), a fresh table in the editor, the widgets set from it. ``progress(done,
    total)`` while it trains, ``waiting(ahead)`` while a long run waits for its turn (see ``rebuilt``); either may
    raise to give up, leaving the session as it was."""
    stop(s)
    shown = scenario.ui.get("rewind")
    network = rebuilt(s.trainer, scenario, progress, waiting)
    s.scenario = scenario.with_changes(ui={k: v for k, v in scenario.ui.items() if k != "rewind"})
    s.network = network
    start_editor(s, scenario.data)
    _restart_views(s)
    if isinstance(shown, int) and not isinstance(shown, bool) and 0 <= shown < s.network.epoch:
        s.rewind = shown
    s.widgets_stale = True


def rebuilt(trainer, scenario: Scenario, progress=None, waiting=None) -> NeuralNetwork:
    """The scenario's network with its run rebuilt by ``trainer`` (live/trainer.py): a long run takes turns with
    the server's other heavy runs (``waiting(ahead)`` is called while it waits), and identical runs (one link opened
    by a whole class) share their turn and are trained once."""
    key = (scenario.data.rows(), scenario.settings, scenario.run)
    with trainer.turn(key, scenario.replay_work(), waiting) as turn:
        return scenario.network(progress=progress, together=turn.together)


def follow_run(s: Session, scenario: Scenario, network: NeuralNetwork) -> None:
    """Put in force a run built elsewhere (a room's, see rooms/): the views keep their zoom when it is this run
    further on, and the table starts afresh only when the data changed."""
    stop(s)
    s.dropped = None
    same_run = s.network.continues(network.epoch, network.events) and s.scenario.data == scenario.data \
        and s.scenario.settings == scenario.settings
    if scenario.data != s.scenario.data:
        start_editor(s, scenario.data)
    s.scenario, s.network = scenario, network
    if not same_run:
        _restart_views(s)
    s.widgets_stale = True


def start_editor(s: Session, base: TrainingSet | tuple[tuple[str, ...], ...]) -> None:
    """The table's editor starts afresh from ``base`` (a table put in force, or the learner's cells): a new editor in
    the browser, with none of the old one's edits, even when it starts from the same cells (the page makes the
    version part of the editor's identity)."""
    s.editor_base, s.editor_version = base, s.editor_version + 1


def change_data(s: Session, data: TrainingSet, preset: str | None) -> None:
    """The learner edited the table or chose a dataset: training starts again on it."""
    _restart(s, s.scenario.with_changes(data=data, preset=preset), "pg.reset_data")


def change_settings(s: Session, settings: Settings) -> None:
    """New settings. A new learning rate is a change within the run (recorded at this epoch: links and rewinds
    replay it); anything else starts the run again."""
    old = s.scenario.settings
    if replace(old, learning_rate=settings.learning_rate) == settings:
        if settings.learning_rate != s.network.learning_rate:
            go_on_from_shown(s)  # a new rate from the epoch on screen
        s.network.learning_rate = settings.learning_rate
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
    came after the epoch shown (the learner changes the past they are looking at: see ``go_on_from_shown``)."""
    stop(s, shown)
    go_on_from_shown(s)
    s.network.set_parameter(index, value)


def change_view(s: Session, **view) -> None:
    """View settings (target epochs, loss shown, hidden controls): nothing about the run changes."""
    s.scenario = s.scenario.with_changes(**view)


def _restart(s: Session, scenario: Scenario, notice: str) -> None:
    stop(s)
    trained = s.network.epoch > 0
    s.network = NeuralNetwork(scenario.data, settings=scenario.settings)
    s.scenario = scenario.with_changes(settings=s.network.settings)  # with the seed it drew, if it had to
    _restart_views(s)
    if trained and s.notice is None:
        s.notice = (notice, {})


def _restart_views(s: Session) -> None:
    s.run_id += 1
    s.rewind = None
    s.dropped = None


# -- rewinding -----------------------------------------------------------------------------------------------------
def go_on_from_shown(s: Session) -> None:
    """The learner goes on from the epoch on screen (training, a new rate, a weight set by hand): a run rewound to an
    earlier epoch drops what came after it, and keeps the record that rebuilds it (``Dropped``) for one undo."""
    net = s.network
    if s.rewind is not None and s.rewind < net.epoch and not s.player.busy:
        s.dropped = Dropped(s.rewind, net.epoch, tuple(net.events))
        net.truncate(s.rewind)
    s.rewind = None


def undo_drop(s: Session, progress=None) -> None:
    """Bring back the epochs going on from a rewound epoch dropped (this branch's own epochs go instead), and show
    the epoch it went on from, as before. The dropped run is rebuilt from its record: from the epoch it went on from
    when this branch made no change there, else from the start."""
    dropped = s.dropped
    if dropped is None:
        return
    stop(s)
    s.dropped = None
    net = s.network
    net.truncate(min(dropped.at, net.epoch))
    if net.continues(dropped.epoch, dropped.events):
        net.follow(dropped.epoch, dropped.events, progress)
    else:
        net.replay(dropped.epoch, dropped.events, progress)
    s.rewind = dropped.at if dropped.at < net.epoch else None


# -- training ------------------------------------------------------------------------------------------------------
def step(s: Session, epochs: int) -> int:
    stop(s)
    go_on_from_shown(s)
    return s.network.train(int(epochs), together=s.trainer.together)


def reset(s: Session) -> None:
    """Back to epoch 0, keeping the learning rate in force now (the run starts again from it)."""
    stop(s)
    s.scenario = s.scenario.with_changes(learning_rate=s.network.learning_rate)
    s.network = NeuralNetwork(s.scenario.data, settings=s.scenario.settings)
    _restart_views(s)


def play(s: Session, speed: int | None = None) -> None:
    stop(s)
    go_on_from_shown(s)
    player.play(s.player, s.network, speed)


def train_to(s: Session, target: int, until: tuple[str, float] | None = None) -> None:
    """Start training to ``target`` (live, a slice at a time), or until the loss ``until`` is reached, from the
    epoch on screen."""
    stop(s)
    go_on_from_shown(s)
    player.train_to(s.player, s.network, target, until)


def run_until(s: Session, loss: str, threshold: float) -> None:
    """Train (live, a slice at a time) until the loss is below ``threshold`` or the run reaches its limit."""
    train_to(s, MAX_EPOCHS, (loss, threshold))


def stop(s: Session, shown: int | None = None) -> None:
    player.stop(s.player, s.network, shown)


def next_chunk(s: Session, shown: int | None = None) -> player.Chunk | None:
    """Train the next piece of live training (the browser shows epoch ``shown``) and return its frames."""
    return player.next_chunk(s.player, s.network, shown, trainer=s.trainer)


# -- practice --------------------------------------------------------------------------------------------------------
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


def save_run(s: Session, name: str) -> bool:
    """Keep the run's loss curves under ``name``; True when the oldest saved run made room for it."""
    s.saved_runs[name] = saved_run(s.network, name)
    if len(s.saved_runs) > MAX_SAVED_RUNS:
        s.saved_runs.pop(next(iter(s.saved_runs)))
        return True
    return False
