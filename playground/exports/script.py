"""A standalone numpy script that reproduces the learner's run, bit for bit, for every architecture.

The script carries the engine's own code (nn_core/activations.py, the Architecture class, nn_core/optimisers.py
and nn_core/network.py, whose top is the article's algorithm) rather than a re-statement of it: a re-statement
that sums in another order drifts by rounding, and a chaotic run (a hidden layer at a high learning rate) turns
that into a different result. After the engine's code come the learner's data, starting weights and changes, and
the run.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np

from nn_core import NeuralNetwork, architecture

ENGINE = Path(architecture.__file__).parent


def _module(name: str) -> str:
    """A module of nn_core without its package-relative imports (their names are defined in the script)."""
    text = (ENGINE / f"{name}.py").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith(("from .", "from __future__")))


def _array(a) -> str:
    return "np.array(" + repr(np.asarray(a).tolist()) + ")"


ENGINE_HEADER = """from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np


class InputError(ValueError):
    pass"""


def engine_sections() -> list[tuple[str, str]]:
    """The engine's own code, in the order it must run: (what it is, its source)."""
    return [
        ("header", ENGINE_HEADER),
        ("activations", "# ---- nn_core/activations.py " + "-" * 82 + "\n" + _module("activations")),
        ("architecture", "# ---- nn_core/architecture.py (the network's shape) " + "-" * 58 + "\n"
         f"ENGINE_MAX_LAYERS, ENGINE_MAX_UNITS = {architecture.ENGINE_MAX_LAYERS}, {architecture.ENGINE_MAX_UNITS}"
         "\n\n\n" + inspect.getsource(architecture.Architecture)),
        ("optimisers", "# ---- nn_core/optimisers.py: from downhill to the update " + "-" * 53 + "\n"
         + _module("optimisers")),
        ("network", "# ---- nn_core/network.py: the article's algorithm, the code the app runs " + "-" * 36 + "\n"
         + _module("network")),
    ]


def run_sections(net: NeuralNetwork) -> list[tuple[str, str]]:
    """The learner's run after the engine's code: its data, its settings and changes, the training, the result."""
    arch, settings = net.architecture, net.settings
    events = [(e.epoch, e.kind, e.value, e.index) for e in net.events]
    order = f"row_order({settings.seed}, start, epochs, len(inputs))[:, None, :]" if settings.batch == "online" \
        else "None"
    return [
        ("data", f"""inputs = {_array(net.inputs)}
outputs = {_array(net.outputs)}"""),
        ("settings", f"""arch = Architecture({arch.n_inputs}, {arch.n_outputs}, hidden={arch.hidden!r}, \
bias={arch.bias!r}, activation={arch.activation!r})
optimiser = {net.settings.optimiser()!r}
state = np.zeros((1, {net.state.shape[1]}))  # this one network: every parameter, then the optimiser's own numbers
state[0, :{arch.n_params}] = {_array(net.initial_params)}
# What you changed on the way: (epoch, "rate", new learning rate) or (epoch, "weight", value, parameter).
changes = {events!r}
EPOCHS = {net.epoch}"""),
        ("training", f"""layers, row_layers = Layers(arch, state, len(inputs)), Layers(arch, state, 1)
start = 0
for epoch, kind, value, index in [*changes, (EPOCHS, "end", None, None)]:
    epochs = epoch - start
    if epochs:
        with np.errstate(all="ignore"):
            train(layers, inputs, outputs, optimiser, epochs, Scratch(), row_layers, row_order={order})
    start = epoch
    if kind == "rate":
        optimiser.learning_rate = value
    elif kind == "weight":
        state[0, index] = value
params = state[0, :{arch.n_params}]"""),
    ]


def reproduction_script(net: NeuralNetwork) -> str:
    arch, settings = net.architecture, net.settings
    docstring = f'''"""Backprop Playground run, reproduced with numpy only: running this script gives the app's weights
bit for bit (with the numpy version the app ran, {np.__version__}).

Network: {" → ".join(str(s) for s in arch.sizes)} units, bias {"on" if arch.bias else "off"}, hidden activation \
{arch.activation}, {"full-batch" if settings.batch == "full" else "online (one row per update)"} updates,
trained for {net.epoch:,} epochs. The engine's own code comes first; your run is at the end.
"""'''
    engine = "\n\n\n".join(code for _, code in engine_sections())
    run = "\n\n".join(code for _, code in run_sections(net))
    return f'''{docstring}

{engine}


# ---- your run ----------------------------------------------------------------------------------------------------
{run}

np.set_printoptions(precision=17)
for name, value in zip(arch.parameter_names(), params):
    print(f"{{name}}: {{float(value)!r}}")
print("predict([1, 1, 0]):", repr(float(predict(arch, params, np.array([[1.0, 1.0, 0.0]]))[0, 0, 0])))
'''
