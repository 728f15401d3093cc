"""Workshop tools: guided lessons, presenter mode, and controls a teacher can hide."""

from __future__ import annotations

from dataclasses import dataclass

from nn_core import PRESETS
from nn_core.scenario import Scenario

HIDEABLE = ("preset", "data", "learning_rate", "settings", "step", "train", "play", "speed", "reset", "run_until",
            "rewind")
PRESENTER_HIDES = frozenset({"speed", "run_until", "settings"})  # fewer controls on a shared screen
PRESENTER_CHART_FONT = 17  # px: chart text to match the page's 20 px type on a projector (charts use 12)


_XOR = PRESETS["xor"].rows()


@dataclass(frozen=True)
class Lesson:
    key: str  # strings: "lesson.<key>.title" and "lesson.<key>.text"
    scenario: Scenario


LESSONS = (
    Lesson("article", Scenario()),
    Lesson("bias", Scenario()),
    Lesson("xor_fails", Scenario(rows=_XOR, preset="xor", bias=True)),
    Lesson("xor_hidden", Scenario(rows=_XOR, preset="xor", bias=True, hidden=(4,), init="random", seed=1)),
    Lesson("too_fast", Scenario(learning_rate=1000.0)),
)
LESSON_KEYS = tuple(lesson.key for lesson in LESSONS)


def lesson(key: str) -> Lesson:
    return next(item for item in LESSONS if item.key == key)


PRESENTER_CSS = """
<style>
html { font-size: 20px; }
.stApp, .stApp p, .stApp label, .stApp span, .stApp li { color: #000 !important; }
h1 { font-size: 2.6rem !important; }
[data-testid="stMetricValue"] { font-size: 2.2rem !important; font-weight: 700; }
.stApp [data-testid="stCaptionContainer"] { color: #1e293b !important; font-size: 0.95rem; }
</style>
"""
