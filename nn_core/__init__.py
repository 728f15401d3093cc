"""Backprop Playground's engine: the article's neural network in pure numpy, then generalised.

network.py is the article's algorithm (feed forward, backpropagation, train, predict), and the code that runs for
one network, a sweep, a class, a trace or a prediction; optimisers.py turns backpropagation's downhill into updates;
model.py is a network being trained, with its history and the stop rule (stops.py). Never
imports streamlit or plotly (a test checks), so every part is testable and usable on its own.
"""

from .activations import ACTIVATIONS, activate, activation_slope
from .architecture import Architecture
from .batch import BatchResult, train_many
from .datasets import PRESETS, TrainingSet
from .errors import InputError
from .losses import LOSS_NAMES, LOSSES
from .model import Event, NeuralNetwork
from .optimisers import GradientDescent
from .scenario import Run, Scenario
from .settings import Settings
from .stops import Stop
from .table_file import TableFile, read_table, table_csv
from .trace import EpochTrace, LayerTrace, UpdateTrace

__all__ = [
    "ACTIVATIONS", "LOSSES", "LOSS_NAMES", "PRESETS", "Architecture", "BatchResult", "EpochTrace", "Event",
    "GradientDescent", "InputError", "LayerTrace", "NeuralNetwork", "Run", "Scenario", "Settings", "Stop",
    "TableFile", "TrainingSet", "UpdateTrace", "activate", "activation_slope", "read_table", "table_csv",
    "train_many",
]
