"""One learner's state, kept in ``st.session_state`` (never in module globals), and the actions on it.

The actions are plain functions of a ``Session`` so they can be tested without Streamlit running.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from nn_core import InputError, NeuralNetwork, TrainingSet
from nn_core.scenario import Scenario

MAX_TARGET_EPOCHS = 1_000_000
STEP_SIZES = (1, 10, 100, 1000, 10_000)
PLAY_SPEEDS = (10, 100, 1000, 5000, 20_000)  # epochs per second
DEFAULT_PLAY_SPEED = 1000
PLAY_INTERVAL = 0.05  # seconds between live updates (the browser's timer): at most 20 a second
MAX_TICK_SECONDS = 0.25  # a late tick never tries to catch up more than this much training


@dataclass
class Session:
    """Everything one browser tab has: the scenario in force, its network and what the views show."""

    scenario: Scenario
    network: NeuralNetwork
    playing: bool = False
    play_speed: int = DEFAULT_PLAY_SPEED
    last_tick: float | None = None
    log_scale: bool = False  # the loss chart's y axis
    rewind_follows: bool = True  # the rewind slider follows the live epoch until the learner moves it
    notice: str | None = None  # a one-time message key for the next run (e.g. "training restarted")
    link_checked: str | None = None  # the share link already applied (or rejected) in this session
    widgets_stale: bool = True  # the settings widgets must be set from the scenario before they are drawn
    editor_rows: tuple | None = None  # the table the data editor started from (its edits are relative to it)
    saved_runs: dict = field(default_factory=dict)  # name -> SavedRun, at most MAX_SAVED_RUNS
    experiments: dict = field(default_factory=dict)  # the Experiments page's last results, by experiment
    lesson: str | None = None  # the guided lesson in progress, shown at the top of the Playground

    @classmethod
    def start(cls, scenario: Scenario | None = None) -> Session:
        scenario = scenario or Scenario()
        return cls(scenario, scenario.network())


def apply_scenario(session: Session, new: Scenario) -> str | None:
    """Put ``new`` in force. Returns the notice key if training had to restart, else None.

    Only the learning rate (and view settings) can change without a restart: the data, the architecture and
    the starting weights define the run.
    """
    old = session.scenario
    restart_fields = ("rows", "bias", "hidden", "activation", "init", "seed")
    restart = any(getattr(old, f) != getattr(new, f) for f in restart_fields)
    session.scenario = new
    if restart:
        session.network = new.network()
        session.playing = False
        session.rewind_follows = True
        return "pg.reset_data" if old.rows != new.rows else "pg.reset_settings"
    if new.learning_rate != session.network.learning_rate:
        session.network.learning_rate = new.learning_rate
    return None


def rows_from_table(values) -> TrainingSet:
    """The edited table (a list of rows, cells possibly None/NaN/text) as a TrainingSet, or InputError."""
    return TrainingSet.from_rows(values)


def step(session: Session, epochs: int) -> int:
    session.playing = False
    session.rewind_follows = True  # training moves the views back to the live epoch
    return session.network.train(int(epochs))


def train_to(session: Session, target: int, progress=None) -> int:
    session.playing = False
    session.rewind_follows = True
    target = int(min(max(target, 0), MAX_TARGET_EPOCHS))
    return session.network.train(max(0, target - session.network.epoch), progress=progress)


def reset(session: Session) -> None:
    session.playing = False
    session.rewind_follows = True
    session.network.reset()


def play_tick(session: Session, now: float | None = None) -> int:
    """One live-training update: advance by play_speed × the time since the last tick (at most 0.25 s worth)."""
    now = time.monotonic() if now is None else now
    elapsed = PLAY_INTERVAL if session.last_tick is None else min(now - session.last_tick, MAX_TICK_SECONDS)
    session.last_tick = now
    epochs = max(1, round(session.play_speed * elapsed))
    done = session.network.train(epochs)
    if session.network.diverged or session.network.epoch >= MAX_TARGET_EPOCHS * 10:
        session.playing = False
    return done


def toggle_play(session: Session) -> None:
    session.playing = not session.playing
    session.rewind_follows = True
    session.last_tick = None


def view_params(session: Session, epoch: int | None) -> tuple[int, np.ndarray]:
    """The epoch the views show and the parameters there (the live ones unless rewound)."""
    net = session.network
    if epoch is None or epoch >= net.epoch:
        return net.epoch, net.params.copy()
    epoch = max(0, int(epoch))
    return epoch, net.params_at(epoch)


def parse_weights(text: str, count: int) -> list[float]:
    """Typed starting weights: ``count`` comma-separated numbers, or InputError naming the bad one."""
    parts = [p.strip() for p in str(text).replace(";", ",").split(",") if p.strip()]
    if len(parts) != count:
        raise InputError(f"type {count} numbers separated by commas (got {len(parts)})")
    values = []
    for i, p in enumerate(parts, start=1):
        try:
            v = float(p)
        except ValueError:
            raise InputError(f"starting weight {i}: {p[:20]!r} is not a number") from None
        if not np.isfinite(v) or abs(v) > 1000:
            raise InputError(f"starting weight {i} must be a number from -1000 to 1000")
        values.append(v)
    return values
