"""Guided lessons: each is a scenario and a text (strings "lesson.<key>.title" and "lesson.<key>.text"), and for the
key moments a question to guess before seeing (strings "lesson.<key>.question"), answered by training the lesson's
own network."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nn_core import PRESETS, NeuralNetwork, Scenario, Settings, TrainingSet
from nn_core.analysis import error_floor

_XOR = TrainingSet(PRESETS["xor"].inputs, PRESETS["xor"].outputs)
ARTICLE_EPOCHS = 25_000


def _zero_row_after_training(net: NeuralNetwork) -> float:
    net.train(ARTICLE_EPOCHS)
    return float(net.predict([[0, 0, 0]])[0, 0])


def _floor(net: NeuralNetwork) -> float:
    return error_floor(net, "mae")


def _error_after_training(net: NeuralNetwork) -> float:
    net.train(ARTICLE_EPOCHS)
    return net.current_loss("mae")


@dataclass(frozen=True)
class Lesson:
    key: str
    scenario: Scenario
    answer: Callable[[NeuralNetwork], float] | None = None  # the question's answer, from the lesson's network

    def answer_now(self) -> float:
        """The answer to the lesson's question, from a fresh network of the lesson's scenario."""
        return self.answer(NeuralNetwork(self.scenario.data, settings=self.scenario.settings))


LESSONS = (
    Lesson("article", Scenario(), _zero_row_after_training),
    Lesson("bias", Scenario(), _floor),
    Lesson("xor_fails", Scenario(data=_XOR, preset="xor", settings=Settings(bias=True)), _error_after_training),
    Lesson("xor_hidden", Scenario(data=_XOR, preset="xor",
                                  settings=Settings(bias=True, hidden=(4,), init="random", seed=1)),
           _error_after_training),
    Lesson("too_fast", Scenario(settings=Settings(learning_rate=1000.0))),
)
LESSON_KEYS = tuple(item.key for item in LESSONS)


def lesson(key: str) -> Lesson:
    return next((item for item in LESSONS if item.key == key), LESSONS[0])
