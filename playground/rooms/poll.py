"""A room-wide guess: the presenter asks the class to guess a number the network is about to show, every student
answers on their own screen, the presenter's screen shows the spread of the answers as they come in, and the reveal
shows the true value, which every student then sees beside their own guess.

Three questions, each about the run ``epochs`` further on from the epoch on the presenter's screen:
- "prediction": ŷ for one row of the table (an answer from 0 to 1);
- "weight": one weight (any number within ±WEIGHT_LIMIT);
- "below": will the error (the loss the page shows) be below a value? (an answer of 1, yes, or 0, no).
The truth is read from the network itself once it has trained that far (``truth``), never worked out beforehand: the
value it shows (ŷ, the weight, or the error, whose yes or no is ``Poll.yes``).

A question travels between replicas as JSON (ballots.py keeps it); what comes back from there is checked like any
foreign input (``Poll.from_json``). Pure: no Streamlit.
"""

from __future__ import annotations

import json
import math
import re
import secrets
from dataclasses import asdict, dataclass, replace

import numpy as np

from nn_core import LOSS_NAMES, InputError, NeuralNetwork
from nn_core.settings import MAX_EPOCHS
from nn_core.stops import WEIGHT_LIMIT

KINDS = ("prediction", "weight", "below")
EPOCHS = (1, 10, 100, 1_000, 10_000)  # how far ahead a question may look
MAX_ANSWERS = 500  # answers one question keeps (a class; a flood of sessions gets no further)
MAX_ROWS = 1_000
MAX_PARAMS = 1_000
BINS = 10
_LABEL = re.compile(r"[\[\]0-9., \-eE+wbW₀-₉→\u00a0]{0,80}")  # a row "[1, 0, 1]" or a weight's name "w₁", "W1[2→3]"


@dataclass(frozen=True)
class Poll:
    """One question to the room. ``subject``: the row (0-based), the parameter (its index) or the error's threshold;
    ``label``: how the students read the row or the weight; ``start``/``target``: the epoch on the presenter's
    screen when asked, and the epoch the answer is about. Revealed: ``truth``, the value the network shows at epoch
    ``truth_epoch`` (the target, or where training stopped by itself before it)."""

    id: str
    kind: str
    subject: float
    label: str
    start: int
    target: int
    loss: str = "mae"
    revealed: bool = False
    truth: float | None = None
    truth_epoch: int | None = None

    def bounds(self) -> tuple[float, float]:
        """The answers this question takes."""
        return {"prediction": (0.0, 1.0), "weight": (-WEIGHT_LIMIT, WEIGHT_LIMIT), "below": (0.0, 1.0)}[self.kind]

    def accepts(self, value) -> bool:
        """A student's answer as sent: a finite number within the bounds (0 or 1 for a yes/no question)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return False
        low, high = self.bounds()
        return low <= value <= high and (self.kind != "below" or value in (0, 1))

    @property
    def yes(self) -> bool | None:
        """A revealed "below" question: whether the error was below the value (None before the reveal)."""
        return None if self.truth is None else self.truth < self.subject

    def right_answer(self) -> float | None:
        """The answer a student should have given: the value shown, or 1/0 for yes/no."""
        return None if self.truth is None else float(self.yes) if self.kind == "below" else self.truth

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text) -> Poll:
        """A question as stored by another replica, checked field by field (InputError when it is not one)."""
        try:
            d = json.loads(text)
            poll = cls(str(d["id"]), str(d["kind"]), float(d["subject"]), str(d["label"]), int(d["start"]),
                       int(d["target"]), str(d["loss"]), bool(d["revealed"]),
                       None if d["truth"] is None else float(d["truth"]),
                       None if d["truth_epoch"] is None else int(d["truth_epoch"]))
        except (ValueError, KeyError, TypeError):
            raise InputError("poll: a damaged question") from None
        if not _valid(poll):
            raise InputError("poll: a damaged question")
        return poll


def is_question_id(text) -> bool:
    return isinstance(text, str) and re.fullmatch(r"[0-9a-f]{12}", text) is not None


def _valid(p: Poll) -> bool:
    subject_ok = {"prediction": lambda v: v == int(v) and 0 <= v < MAX_ROWS,
                  "weight": lambda v: v == int(v) and 0 <= v < MAX_PARAMS,
                  "below": lambda v: 0 < v <= 1}
    return (is_question_id(p.id) and p.kind in KINDS and math.isfinite(p.subject)
            and subject_ok[p.kind](p.subject) and _LABEL.fullmatch(p.label) is not None
            and 0 <= p.start <= p.target <= MAX_EPOCHS and p.loss in LOSS_NAMES
            and (p.truth is None or math.isfinite(p.truth))
            and (p.truth_epoch is None or 0 <= p.truth_epoch <= MAX_EPOCHS))


def ask(kind: str, subject: float, label: str, start: int, epochs: int, loss: str = "mae") -> Poll:
    """A new question (a new id: the answers to an earlier one are not its answers)."""
    if kind not in KINDS or epochs not in EPOCHS:
        raise InputError("poll: not a question this page asks")
    poll = Poll(secrets.token_hex(6), kind, float(subject), label, int(start), min(int(start) + epochs, MAX_EPOCHS),
                loss)
    if not _valid(poll):
        raise InputError("poll: not a question this page asks")
    return poll


def truth(poll: Poll, net: NeuralNetwork) -> Poll:
    """The question revealed: its value read from ``net``, which has trained as far as it could towards the target
    (its epoch: the target, or where training stopped by itself before it). The parameters are the network's own at
    that epoch (its history, when it trained past it)."""
    epoch = min(net.epoch, poll.target)
    params = net.params_at(epoch)
    if poll.kind == "prediction":
        row = int(poll.subject)
        value = float(net.predictions_for(params, net.inputs[row : row + 1])[0, 0, 0])
    elif poll.kind == "weight":
        value = float(params[int(poll.subject)])
    else:
        value = float(net.losses_for(params, poll.loss)[0])
    return replace(poll, revealed=True, truth=value, truth_epoch=epoch)


@dataclass(frozen=True)
class Spread:
    """The answers so far, counted into bins: ``edges`` (bins + 1 numbers; a yes/no question has the bins no, yes)."""

    count: int
    edges: np.ndarray
    counts: np.ndarray


def spread(poll: Poll, answers) -> Spread:
    """How the answers spread: ten equal bins over what a prediction can be (0 to 1), over the answers' own range
    (and the truth's, once revealed) for a weight; no and yes for a yes/no question."""
    values = np.asarray([a for a in answers if poll.accepts(a)], dtype=float)
    if poll.kind == "below":  # no, yes
        edges = np.array([-0.5, 0.5, 1.5])
    elif poll.kind == "prediction":
        edges = np.linspace(0.0, 1.0, BINS + 1)
    else:
        ends = values if poll.truth is None else np.r_[values, poll.truth]  # the truth drawn among them
        low, high = (float(ends.min()), float(ends.max())) if ends.size else (-1.0, 1.0)
        if high - low < 1e-9:
            low, high = low - 0.5, high + 0.5
        edges = np.linspace(low, high, BINS + 1)
    counts, _ = np.histogram(values, bins=edges)
    return Spread(len(values), edges, counts)
