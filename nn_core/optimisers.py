"""Optimisers: backpropagation says which way is downhill; an optimiser turns that into the update.

    gradient descent (the article)   update = learning_rate · downhill

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


def _setting(values: np.ndarray):
    """One setting as Python code: one network's number, or the list of every network's."""
    flat = values.ravel().tolist()
    return repr(flat[0]) if len(flat) == 1 else repr(flat)


def optimiser_for(learning_rate) -> GradientDescent:
    """The optimiser for these settings (one value, or one per network)."""
    return GradientDescent(learning_rate)
