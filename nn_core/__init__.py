"""Backprop Playground's engine: the article's neural network in pure numpy, then generalised.

Never imports streamlit or plotly (a test checks), so every part is testable and usable on its own.
"""

from .activations import ACTIVATIONS, relu, sigmoid, tanh
from .architecture import Architecture
from .batch import BatchResult, train_many
from .datasets import PRESETS, TrainingSet
from .errors import InputError
from .losses import LOSS_NAMES, LOSSES, cross_entropy, mean_abs_error, mean_squared_error
from .network import DIVERGENCE_LIMIT, Divergence, NeuralNetwork, Snapshot
from .trace import EpochTrace, LayerTrace

__all__ = [
    "ACTIVATIONS", "BatchResult", "DIVERGENCE_LIMIT", "LOSSES", "LOSS_NAMES", "PRESETS", "Architecture", "Divergence",
    "EpochTrace", "InputError", "LayerTrace", "NeuralNetwork", "Snapshot", "TrainingSet", "cross_entropy",
    "mean_abs_error", "mean_squared_error", "relu", "sigmoid", "tanh", "train_many",
]
