"""A run's histories as CSV: the losses of every kept epoch, and the weights at every kept sample, every number
written so that it reads back to the same bits."""

from __future__ import annotations

import io

import numpy as np

from nn_core import LOSS_NAMES, NeuralNetwork


def _csv(columns: list[str], rows: np.ndarray) -> str:
    out = io.StringIO()
    np.savetxt(out, rows, delimiter=",", fmt="%.17g", header=",".join(columns), comments="")
    return out.getvalue()


def losses_csv(net: NeuralNetwork) -> str:
    """Every kept epoch's losses: one line per epoch (per bucket of epochs after 32,768)."""
    h = net.history.losses
    return _csv(["epoch", *LOSS_NAMES], np.column_stack([h.epochs, h.values]))


def weights_csv(net: NeuralNetwork) -> str:
    """The kept weight samples, ending with the weights now."""
    epochs, values = net.weight_samples()
    return _csv(["epoch", *net.parameter_names()], np.column_stack([epochs, values]))
