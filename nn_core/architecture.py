"""The shape of a network, and how its parameters are laid out in one flat array.

Every parameter of a network lives in one flat float array, layer after layer: that layer's weight matrix
(inputs × outputs, row by row), then its bias vector if it has one. Layers are views into that array, so one copy
of it is a complete snapshot of the network, and updating a view updates the network.

Many networks trained together (a sweep, a class) stack their flat arrays as the rows of one (networks × parameters)
array: the networks axis is the *first* axis everywhere in the engine, so that each network's numbers are a block of
their own, which numpy's matmul multiplies exactly as it would multiply that network alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .errors import InputError

# What the engine can build at all; what a learner can ask for is narrower (settings.py).
ENGINE_MAX_LAYERS = 4
ENGINE_MAX_UNITS = 64


@dataclass(frozen=True)
class Architecture:
    n_inputs: int
    n_outputs: int = 1
    hidden: tuple[int, ...] = ()
    bias: bool = False
    activation: str = "sigmoid"  # the hidden layers'; the output layer is always a sigmoid

    def __post_init__(self):
        hidden = tuple(self.hidden)
        if len(hidden) > ENGINE_MAX_LAYERS or not all(
                isinstance(h, (int, np.integer)) and 1 <= h <= ENGINE_MAX_UNITS for h in hidden):
            raise InputError(f"hidden: up to {ENGINE_MAX_LAYERS} layers of 1 to {ENGINE_MAX_UNITS} units")
        if self.activation not in ACTIVATIONS:
            raise InputError(f"activation must be one of {', '.join(ACTIVATIONS)}")
        object.__setattr__(self, "hidden", tuple(int(h) for h in hidden))
        object.__setattr__(self, "bias", bool(self.bias))

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.n_inputs, *self.hidden, self.n_outputs)

    @property
    def layer_shapes(self) -> list[tuple[int, int]]:
        return list(zip(self.sizes, self.sizes[1:]))

    @property
    def n_weights(self) -> int:
        """Weights only (no biases)."""
        return sum(i * o for i, o in self.layer_shapes)

    @property
    def n_params(self) -> int:
        return sum(i * o + (o if self.bias else 0) for i, o in self.layer_shapes)

    def epoch_work(self, rows: int) -> int:
        """What one epoch on ``rows`` rows costs, roughly (multiply-adds per row and parameter): the unit the
        engine's limits are counted in, so that they hold whatever the table's size and the network's shape."""
        return rows * (self.n_params + 1)

    def activation_of(self, layer_index: int) -> str:
        return "sigmoid" if layer_index == len(self.hidden) else self.activation

    def split(self, params: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """Views (weights, bias or None) of each layer of ``params``.

        params (P,) gives weights (inputs × outputs) and bias (outputs,); a stack of networks (N, P) gives
        (N × inputs × outputs) and (N × outputs).
        """
        lead = params.shape[:-1]
        views, at = [], 0
        for i, o in self.layer_shapes:
            w = params[..., at : at + i * o].reshape(*lead, i, o, copy=False)
            at += i * o
            b = None
            if self.bias:
                b = params[..., at : at + o]
                at += o
            views.append((w, b))
        return views

    def weight_mask(self) -> np.ndarray:
        """True for each parameter that is a weight, False for a bias."""
        mask = np.zeros(self.n_params, dtype=bool)
        for w, _ in self.split(np.arange(self.n_params)):
            mask[w.ravel()] = True
        return mask

    def parameter_names(self) -> list[str]:
        """A name per parameter, in layout order: w1..wn (and b) for one layer, else W1[i→j] and b1[j]."""
        if not self.hidden:
            names = [f"w{i + 1}" if self.n_outputs == 1 else f"w{i + 1},{j + 1}"
                     for i in range(self.n_inputs) for j in range(self.n_outputs)]
            if self.bias:
                names += ["b"] if self.n_outputs == 1 else [f"b{j + 1}" for j in range(self.n_outputs)]
            return names
        names = []
        for k, (i, o) in enumerate(self.layer_shapes, start=1):
            names += [f"W{k}[{a + 1}→{c + 1}]" for a in range(i) for c in range(o)]
            if self.bias:
                names += [f"b{k}[{c + 1}]" for c in range(o)]
        return names
