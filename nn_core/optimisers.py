"""Optimisers: backpropagation says which way is downhill; an optimiser turns that into the update.

    gradient descent (the article)   update = learning_rate · downhill
    momentum                          v ← momentum · v + downhill;   update = learning_rate · v

An optimiser holds its settings for N networks at once (one per network, as N × 1 columns, so each network of a
sweep or a class can have its own), and may keep numbers of its own per parameter (``slots``) in the networks'
state, beside the parameters, so that a snapshot of the state is a complete snapshot of training: rewinding, share
links and exports replay it exactly. The learning rate may change during a run (the learner's choice, recorded as a
change); the rule itself may not.
"""

from __future__ import annotations

import numpy as np


class GradientDescent:
    """The article's rule: every parameter moves by learning_rate · downhill."""

    slots_per_parameter = 0

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    @property
    def learning_rate(self) -> np.ndarray:
        """One learning rate per network (networks × 1)."""
        return self._rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self._rate = np.array(value, dtype=float).reshape(-1, 1)
        self._scales = not np.all(self._rate == 1.0)

    def step(self, downhill: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """The update of every parameter (networks × parameters)."""
        if self._scales:
            return np.multiply(self._rate, downhill)  # learning_rate · downhill
        return downhill  # a learning rate of 1 changes no bit: the update is downhill itself

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_setting(self._rate)})"


class Momentum(GradientDescent):
    """Gradient descent that keeps going: each parameter's velocity v adds up its downhill steps, each older one
    weighed down by one more factor of ``momentum`` (0 < momentum < 1), and the parameter moves by
    learning_rate · v. The velocity is the optimiser's own number per parameter, kept in the state (``slots``)."""

    slots_per_parameter = 1

    def __init__(self, learning_rate, momentum):
        super().__init__(learning_rate)
        self.momentum = np.array(momentum, dtype=float).reshape(-1, 1)

    def step(self, downhill: np.ndarray, slots: np.ndarray) -> np.ndarray:
        velocity = np.multiply(self.momentum, slots, out=slots)  # v ← momentum · v …
        velocity += downhill  # … + downhill
        return super().step(velocity, slots)  # learning_rate · v

    def __repr__(self) -> str:
        return f"Momentum({_setting(self._rate)}, momentum={_setting(self.momentum)})"


def _setting(values: np.ndarray):
    """One setting as Python code: one network's number, or the list of every network's."""
    flat = values.ravel().tolist()
    return repr(flat[0]) if len(flat) == 1 else repr(flat)


def optimiser_for(learning_rate, momentum=0.0) -> GradientDescent:
    """The optimiser for these settings (one value, or one per network): plain gradient descent when the momentum
    is 0 (no velocity kept), else momentum."""
    if not np.any(momentum):
        return GradientDescent(learning_rate)
    return Momentum(learning_rate, momentum)
