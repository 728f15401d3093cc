"""What one browser tab has: the scenario in force, its network, the live player and what the views show.

Plain data (no Streamlit): the actions that change it are in actions.py, and widgets.py keeps it in Streamlit's
session state, one per tab.
"""

from __future__ import annotations

import random
import secrets
from copy import deepcopy
from dataclasses import dataclass, field

import numpy as np

from nn_core import NeuralNetwork, Scenario, TrainingSet

from ..live.player import Player
from ..live.trainer import ALONE
from .pace import Pace

MAX_SAVED_RUNS = 10
MAX_HAND_PATH = 200  # the hand-set points an attempt keeps (the first, where the race starts, always stays)
MAX_GUESSES = 100


@dataclass
class Seat:
    """This session's place in a room: presenting it, or following it (``following`` False once detached).
    ``owner`` names the room (a hash of its presenter's secret, rooms/schema.py): a follower leaves when the code
    comes to name another room. ``secret`` is the presenter's own: only a seat holding it may publish to the room,
    keep it alive or end it. It never leaves the server."""

    code: str
    presenting: bool
    owner: str = ""
    secret: str | None = field(default=None, repr=False)  # presenter only
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
    missing_since: float | None = None  # follower: when the room was first found missing (it may come back)


@dataclass
class Ballot:
    """This tab's part in a room's guesses (rooms/poll.py): who it is to the room (a random name, never shown), and
    as a presenter the question it asked (and the run it asked about), as a student the answers it sent, when it sent
    them (sends are rate-limited) and what the last send got."""

    student: str = field(default_factory=lambda: secrets.token_hex(8))
    asked: object | None = None  # presenter: the question in force (rooms.poll.Poll), revealed or not
    asked_run: object | None = None  # presenter: the scenario and run it was asked about (nn_core.Scenario)
    answers: dict = field(default_factory=dict)  # student: question id -> the answer sent (the latest few)
    sends: list = field(default_factory=list)  # student: when the latest sends were made (time.monotonic())
    said: tuple | None = None  # student: what the last send got, (strings key, values), for its question id


@dataclass
class Practice:
    """What the learner does rather than watches: weights set by hand (and backprop raced from where they started),
    guesses made before a value is revealed, the line of the code page on screen, the edge of the network
    diagram being edited, and a Backprop stage to bring into view."""

    hand: tuple[float, ...] | None = None  # the weights set by hand on the optimiser page (None: not yet)
    path: list[tuple[float, ...]] = field(default_factory=list)  # this attempt's hand-set points, from its start
    race: object | None = None  # the last race of backprop from the attempt's start (learn/hand.Race)
    guesses: dict = field(default_factory=dict)  # question -> (guess, true value), at most MAX_GUESSES
    code_step: int = 0  # which line of the code page's walk through one epoch (code_walk.walk)
    edge: int | None = None  # the parameter whose edge was clicked in the network diagram
    scrolls: int = 0  # counts the requests to bring something into view (each one scrolls once)
    focus: tuple[int, int, int] | None = None  # (Backprop stage number, epoch, request) the code page asks to show


@dataclass(frozen=True)
class Dropped:
    """What going on from a rewound epoch dropped: the run's later epochs, kept as the record that rebuilds them (its
    epoch and changes: a few numbers however long it ran), so that one undo can bring them back."""

    at: int  # the epoch the run went on from
    epoch: int  # how far the dropped run had gone
    events: tuple  # every change of the dropped run (model.Event), before ``at`` and after it


@dataclass
class Session:
    """Everything one browser tab has. The run itself (epoch, weights, changes) lives in ``network``."""

    scenario: Scenario
    network: NeuralNetwork
    run_id: int = 0  # changes when the run restarts: the charts then forget a zoom
    player: Player = field(default_factory=Player)
    rewind: int | None = None  # the epoch the views show when the learner rewinds; None: the live epoch
    dropped: Dropped | None = None  # the later epochs the last going on from a rewound epoch dropped (one undo)
    log_scale: bool = False
    notice: tuple[str, dict] | None = None  # a message for the next run of the page: (strings key, values)
    table_problem: tuple[str, dict] | None = None  # why the table's last edit was refused (until a valid one)
    import_problem: tuple[dict, TrainingSet] | None = None  # why the last CSV file was refused, and the table it left
    # in force: the data panel says why while that table is in force
    settings_problem: tuple[str, dict] | None = None  # why the last settings change was refused (likewise)
    link_seen: str | None = None  # the share link already opened (or refused) in this tab
    link_made: tuple | None = None  # (what it was made from, the run's link or None, why not): made once per change
    reconnect_checked: bool = False  # whether the tab was asked if it lost an earlier session (panels/links.py)
    widgets_stale: bool = True  # the settings widgets must be set from the scenario before they are drawn
    advanced_held: bool = False  # the advanced settings' widgets hold values (drawn, or set from the run) that their
    # section, closed, lets go of (panels/settings.py)
    # What the table's editor starts from: a table put in force (shown as its numbers' text), or the cells as the
    # learner left them, readable or not, once the editor took in a large edit (panels/data_table.py). The browser's
    # edits are relative to it.
    editor_base: TrainingSet | tuple[tuple[str, ...], ...] | None = None
    editor_version: int = 0  # counts the editor's starts (actions.start_editor): part of the editor's identity
    table_editing: bool = False  # the learner opened the table's editor (until then it shows as text)
    saved_runs: dict = field(default_factory=dict)  # name -> SavedRun (learn/experiments.py)
    experiments: dict = field(default_factory=dict)  # the Experiments page's last results
    lesson: str | None = None
    presenter_count: int = 0  # times presenter mode was turned on (each time, the sidebar closes once)
    student_view: bool = False  # opened from a link or file that hides controls: the page is a student's
    practice: Practice = field(default_factory=Practice)
    room: Seat | None = None  # presenting or following a room (rooms/)
    room_link_seen: str | None = None  # the ?room= code already joined (or refused) in this tab
    trainer: object = ALONE  # what trains this tab's runs: the server's one trainer (live/trainer.py), or Alone
    drawn_widgets: frozenset = frozenset()  # the ids of the widgets the last completed run drew (server/internals.py)
    page_shown: str | None = None  # the page the last whole run drew (its url path), to count page switches
    # How often this tab may do what a person never does at this pace (state/pace.py): try room codes that name no
    # room (guessing others'), start rooms, switch pages, and send values that no control allows (refused).
    code_guesses: Pace = field(default_factory=lambda: Pace(free=3, first=2.0, longest=60.0, every=60.0))
    rooms_started: Pace = field(default_factory=lambda: Pace(free=3, first=30.0, longest=600.0, every=300.0))
    page_switches: Pace = field(default_factory=lambda: Pace(free=10, first=0.5, longest=4.0, every=1.0))
    refusals: Pace = field(default_factory=lambda: Pace(free=20, first=0.5, longest=8.0, every=10.0))
    ballot: Ballot = field(default_factory=Ballot)  # a room's guesses: asked as a presenter, answered as a student

    @classmethod
    def start(cls, scenario: Scenario | None = None, trainer=ALONE) -> Session:
        """A new tab's session: the scenario (the article's by default) at epoch 0."""
        scenario = scenario or Scenario()
        return cls(scenario, NeuralNetwork(scenario.data, settings=scenario.settings), editor_base=scenario.data,
                   trainer=trainer)

    def shown(self) -> tuple[int, np.ndarray]:
        """The epoch the views show and the parameters there (the live ones unless the learner rewound)."""
        net = self.network
        if self.rewind is None or self.player.busy or self.rewind >= net.epoch:
            return net.epoch, net.params.copy()
        return self.rewind, net.params_at(self.rewind)

    def run_shown(self) -> NeuralNetwork:
        """The run as the views show it: the network itself, or, rewound, a copy of it ending at the epoch shown
        (what the exports describe)."""
        epoch, _ = self.shown()
        if epoch == self.network.epoch:
            return self.network
        run = deepcopy(self.network)
        run.truncate(epoch)
        return run

    def share_scenario(self, ui: dict) -> Scenario:
        """The scenario with this tab's run and view (``ui``, with the epoch shown when rewound): what a share link
        or a file carries."""
        epoch, _ = self.shown()
        if epoch != self.network.epoch:
            ui = {**ui, "rewind": epoch}
        return self.scenario.with_changes(ui=ui).with_run_of(self.network)
