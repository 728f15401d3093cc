"""Guided lessons: each is a scenario and a text (strings "lesson.<key>.title" and "lesson.<key>.text")."""

from __future__ import annotations

from dataclasses import dataclass

from nn_core import PRESETS, Scenario, Settings, TrainingSet

_XOR = TrainingSet(PRESETS["xor"].inputs, PRESETS["xor"].outputs)


@dataclass(frozen=True)
class Lesson:
    key: str
    scenario: Scenario


LESSONS = (
    Lesson("article", Scenario()),
    Lesson("bias", Scenario()),
    Lesson("xor_fails", Scenario(data=_XOR, preset="xor", settings=Settings(bias=True))),
    Lesson("xor_hidden", Scenario(data=_XOR, preset="xor",
                                  settings=Settings(bias=True, hidden=(4,), init="random", seed=1))),
    Lesson("too_fast", Scenario(settings=Settings(learning_rate=1000.0))),
)
LESSON_KEYS = tuple(item.key for item in LESSONS)


def lesson(key: str) -> Lesson:
    return next((item for item in LESSONS if item.key == key), LESSONS[0])
