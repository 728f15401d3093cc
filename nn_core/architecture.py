"""The shape of a network, and how its parameters are laid out in one flat vector.

Every parameter of a network lives in one flat float array, layer after layer: that layer's weight
matrix (inputs × outputs, row by row), then its bias vector if it has one. Layers are views into that
array, so one copy of it is a complete snapshot of the network, and updating a view updates the network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .errors import InputError

MAX_HIDDEN_LAYERS = 4
MAX_UNITS = 64


@dataclass(frozen=True)
class Architecture:
    n_inputs: int
    n_outputs: int = 1
    hidden: tuple[int, ...] = ()
    bias: bool = False
    activation: str = "sigmoid"  # the hidden layers'; the output layer is always a sigmoid

    def __post_init__(self):
        try:
            hidden = tuple(int(h) for h in self.hidden)
        except (TypeError, ValueError):
            raise InputError(f"hidden must be a list of layer sizes, got {self.hidden!r}") from None
        if len(hidden) > MAX_HIDDEN_LAYERS:
            raise InputError(f"hidden: at most {MAX_HIDDEN_LAYERS} hidden layers")
        if any(not 1 <= h <= MAX_UNITS for h in hidden):
            raise InputError(f"hidden: each hidden layer needs 1 to {MAX_UNITS} units, got {list(hidden)}")
        if not isinstance(self.activation, str) or self.activation not in ACTIVATIONS:
            raise InputError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {self.activation!r}")
        object.__setattr__(self, "hidden", hidden)
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

    def activation_of(self, layer_index: int) -> str:
        return "sigmoid" if layer_index == len(self.hidden) else self.activation

    def split(self, params: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """Views (weights, bias or None) of each layer in ``params``; params is (P,) or (networks, P)."""
        lead = params.shape[:-1]
        views, at = [], 0
        for i, o in self.layer_shapes:
            w = params[..., at : at + i * o].reshape(*lead, i, o)
            at += i * o
            b = None
            if self.bias:
                b = params[..., at : at + o]
                at += o
            views.append((w, b))
        return views

    def parameter_names(self) -> list[str]:
        """A name per parameter, in layout order: w1..wn for the article's net, else w[layer](i→j), b[layer](j)."""
        if not self.hidden:
            names = [f"w{i + 1}" if self.n_outputs == 1 else f"w{i + 1},{j + 1}"
                     for i in range(self.n_inputs) for j in range(self.n_outputs)]
            return names + (["b"] if self.bias and self.n_outputs == 1 else
                            [f"b{j + 1}" for j in range(self.n_outputs)] if self.bias else [])
        names = []
        for k, (i, o) in enumerate(self.layer_shapes, start=1):
            names += [f"W{k}[{a + 1}→{c + 1}]" for a in range(i) for c in range(o)]
            if self.bias:
                names += [f"b{k}[{c + 1}]" for c in range(o)]
        return names
