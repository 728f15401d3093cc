"""The code, line by line: the engine's own functions as the app runs them, stepped through for one epoch of the
learner's network, with the value of every variable a line touches, there and then.

The listing is read from nn_core's source (``inspect``), so it is always the code that runs. The walk runs that code:
one epoch of ``network.train`` from the learner's state at the chosen epoch, under a tracer (``sys.settrace``) that
notes each line as it executes and, for the step on screen, what the line's names hold once it has run. Pure Python
(no Streamlit); views/code_listing.py turns it into HTML.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
import textwrap
from dataclasses import dataclass, field, replace

import numpy as np

from nn_core import NeuralNetwork, activations, network, optimisers
from nn_core.network import Layers, Record

MAX_STEPS = 4000  # an online epoch of 64 rows through a hidden layer is about 2,300 lines


@dataclass(frozen=True)
class Function:
    """One function of the listing: where its source is, and its lines as (line number in its file, text)."""

    name: str
    path: str  # e.g. "nn_core/network.py"
    lines: tuple[tuple[int, str], ...]
    code: object  # the function's code object (what the tracer sees)


def _function(fn, module) -> Function:
    fn = inspect.unwrap(fn)
    source, first = inspect.getsourcelines(fn)
    text = textwrap.dedent("".join(source)).splitlines()
    path = "nn_core/" + module.__name__.rsplit(".", 1)[-1] + ".py"
    return Function(fn.__qualname__, path, tuple(zip(range(first, first + len(text)), text)), fn.__code__)


def listing(net: NeuralNetwork) -> list[Function]:
    """The functions one epoch of ``net`` runs, in reading order: train, feed_forward, backpropagation, the
    optimiser's step, then the activations and their slopes."""
    kinds = []
    for k in range(len(net.architecture.hidden) + 1):
        kind = activations.ACTIVATIONS[net.architecture.activation_of(k)]
        if kind not in kinds:
            kinds.append(kind)
    optimiser = type(net.settings.optimiser())
    functions = [_function(network.train, network), _function(network.feed_forward, network),
                 _function(network.backpropagation, network), _function(optimiser.step, optimisers)]
    for kind in kinds:
        functions += [_function(kind.function, activations), _function(kind.slope, activations)]
    return functions


# What each line of the listing does, in the learner's language: strings "code.n.<name>", keyed by the line's code
# (its comment left out); an optimiser's lines by its rule's name and their place (``note_of``). A test walks every
# kind of network and checks that every line that runs has its note.
NOTES = {
    "params, slots = layers.params, layers.slots": "train_start",
    "for epoch in range(epochs):": "epoch_loop",
    "y_hat = feed_forward(layers, x)": "predict_all",
    "if row_order is None:": "batch_or_online",
    "downhill = backpropagation(layers, x, y)": "downhill",
    "params += optimiser.step(downhill, slots)": "update",
    "for rows in row_order[epoch].T:": "row_loop",
    "x_row, y_row = row_layers.take(x, rows), row_layers.take(y, rows)": "take_row",
    "feed_forward(row_layers, x_row)": "forward_row",
    "downhill = backpropagation(row_layers, x_row, y_row)": "downhill_row",
    "record.keep(epoch, y_hat, layers.state)": "keep",
    "a = x": "a_is_x",
    "for layer in layers:": "layer_loop",
    "z = layer.dot(a, layer.weights, layer.z)": "weighted_sum",
    "if layer.bias is not None:": "if_bias",
    "z += layer.bias": "add_bias",
    "a = layer.squash(z, layer.a)": "squash",
    "return a": "return_a",
    "blame = np.subtract(y, layers[-1].a, layers[-1].blame)": "error",
    "for layer in reversed(layers):": "back_loop",
    "slope = layer.slope(layer.a, layer.slope_)": "slope",
    "delta = np.multiply(blame, slope, layer.delta)": "delta",
    "reads = x if layer.below is None else layer.below.a": "reads",
    "layer.dot(reads.mT, delta, layer.downhill)": "layer_downhill",
    "layer.dot(layer.ones, delta, layer.downhill_bias)": "bias_downhill",
    "if layer.below is not None:": "if_below",
    "blame = layer.dot(delta, layer.weights.mT, layer.below.blame)": "chain_rule",
    "return layers.downhill": "return_downhill",
    "out = np.negative(z, out)": "sigmoid_negative",
    "np.exp(out, out)": "sigmoid_exp",
    "np.add(ONE, out, out)": "sigmoid_add",
    "return np.divide(ONE, out, out)": "sigmoid_divide",
    "out = np.subtract(ONE, a, out)": "sigmoid_one_minus",
    "return np.multiply(a, out, out)": "sigmoid_times",
    "return np.tanh(z, out)": "tanh",
    "out = np.multiply(a, a, out)": "tanh_square",
    "return np.subtract(ONE, out, out)": "tanh_one_minus",
    "return np.maximum(z, ZERO, out=out)": "relu",
    "if out is None:": "relu_no_out",
    "return (a > ZERO).astype(float)": "relu_slope",
    "return np.greater(a, ZERO, out=out, casting=\"unsafe\")": "relu_slope",
}

# The Backprop page's stage that shows a line's numbers: (the stage for the article's kind of network, the stage
# for a network with a hidden layer, "this"/"below"/"last" for which layer's). A line of an activation shares the
# stage of the line that called it.
STAGES = {
    "predict_all": ("yhat", "forward", "last"), "weighted_sum": ("xw", "forward", "this"),
    "add_bias": ("xw", "forward", "this"), "squash": ("yhat", "forward", "this"),
    "error": ("error", "back", "last"), "slope": ("slope", "back", "this"), "delta": ("delta", "back", "this"),
    "layer_downhill": ("gradient", "back", "this"), "bias_downhill": ("gradient", "back", "this"),
    "chain_rule": (None, "back", "below"), "update": ("update", "back", "last"),
}


def note_of(function: Function, number: int) -> str | None:
    """The note of line ``number`` of ``function``, or None: an engine line's by its code (NOTES); an optimiser's
    by the rule's name and the line's place in its step ("gradient_descent_3"), so a new rule brings its own notes
    in the strings alone."""
    if function.name.endswith(".step"):
        rule = re.sub(r"(?<!^)(?=[A-Z])", "_", function.name.split(".")[0]).lower()
        return f"{rule}_{number - function.lines[0][0]}"
    return NOTES.get(split_comment(dict(function.lines)[number])[0].strip())


@dataclass(frozen=True)
class Step:
    """One line as it ran: which function and line, the note of the line, the layer it worked on (1-based, or
    None), the row an online update was reading (1-based: the first row of the epoch's order is 1; 0 before the
    first), and (for the step on screen) the values of the names it touched, after it ran."""

    function: str
    line: int
    note: str | None
    layer: int | None
    row: int
    values: tuple[tuple[str, object], ...] = ()


@dataclass
class Walk:
    """One epoch's run of the engine's code, step by step (``steps``), with the values of step ``shown``."""

    epoch: int
    steps: list[Step] = field(default_factory=list)
    shown: int = 0
    cut: bool = False  # the epoch had more than MAX_STEPS lines: the walk stops there
    new_state: np.ndarray | None = None  # the network's state after the epoch, as the walk's own run left it


def walk(net: NeuralNetwork, epoch: int, shown: int) -> Walk:
    """Run one epoch of ``net`` from its state at ``epoch`` through the engine's own ``train``, noting every line
    of the listing's functions, and the values of the names on line number ``shown`` (0-based) after it ran."""
    functions = {f.code: f for f in listing(net)}
    expressions = {f.code: _expressions(f) for f in functions.values()}
    state = net.state_at(epoch)[None].copy()
    layers = Layers(net.architecture, state, len(net.inputs))
    order = net.row_order(epoch, 1)
    row_layers = None if order is None else Layers(net.architecture, state, 1)
    layer_numbers = {id(layer): k for group in (layers, row_layers or []) for k, layer in enumerate(group, start=1)}
    result = Walk(epoch, shown=shown)
    pending: dict[int, int] = {}  # frame id -> the index of its step that waits for its values

    rows = [0]  # the online row being read

    def note_values(frame):
        index = pending.pop(id(frame), None)
        if index is not None and index == shown:
            values = _evaluate(expressions[frame.f_code].get(result.steps[index].line, ()), frame)
            result.steps[index] = replace(result.steps[index], values=values)

    def local_trace(frame, event, arg):
        if event in ("line", "return"):
            note_values(frame)
        if event == "line":
            if len(result.steps) >= MAX_STEPS:
                result.cut = True
                sys.settrace(None)
                return None
            note = note_of(functions[frame.f_code], frame.f_lineno)
            rows[0] += note == "take_row"
            caller = frame if "layer" in frame.f_locals else frame.f_back  # an activation: its caller's layer
            layer = layer_numbers.get(id(caller.f_locals.get("layer")))
            pending[id(frame)] = len(result.steps)
            result.steps.append(Step(functions[frame.f_code].name, frame.f_lineno, note, layer, rows[0]))
        return local_trace

    def global_trace(frame, event, arg):
        return local_trace if frame.f_code in functions else None

    optimiser = net.settings.optimiser(net.rate_at(epoch))
    before = sys.gettrace()
    sys.settrace(global_trace)
    try:
        with np.errstate(all="ignore"):
            network.train(layers, net.inputs, net.outputs, optimiser, 1, Record(state, len(net.inputs),
                          net.outputs.shape[1], 1), row_layers, None if order is None else order[:, None, :])
    finally:
        sys.settrace(before)
    result.new_state = state[0].copy()
    return result


def _expressions(function: Function) -> dict[int, tuple[str, ...]]:
    """For each line of ``function``, the names and attribute chains it reads or writes (``z``, ``layer.weights``),
    in the order they appear, each once."""
    tree = ast.parse("\n".join(text for _, text in function.lines))
    first = function.lines[0][0]
    found: dict[int, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)) and _chain(node):
            names = found.setdefault(first + node.lineno - 1, [])
            names.append((node.col_offset, ast.unparse(node)))
    return {line: tuple(dict.fromkeys(text for _, text in sorted(names))) for line, names in found.items()}


def _chain(node) -> bool:
    """A name or a chain of attributes on a name (``layer.weights``), not a call's target such as ``np.dot``."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _evaluate(expressions, frame) -> tuple[tuple[str, object], ...]:
    """The numbers among ``expressions`` as they are in ``frame`` now: arrays (copied) and plain numbers; the same
    array under two names is shown once, under the first."""
    values, seen = [], []
    for text in expressions:
        try:
            value = eval(text, frame.f_globals, frame.f_locals)  # the engine's own source, never user text
        except Exception:  # a name not bound yet on this line (assigned further on): nothing to show
            continue
        if isinstance(value, bool) or not isinstance(value, (np.ndarray, int, float, np.number)):
            continue
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "fiu" or not value.size or any(
                    np.shares_memory(v, value) and v.size == value.size for v in seen):
                continue  # (reads.mT beside reads, layer.z beside z: the same numbers again)
            seen.append(value)
            value = value.copy()
        values.append((text, value))
    return tuple(values)


def stage_for(walk: Walk, index: int, stages, online: bool) -> int | None:
    """The number (1-based) of the Backprop page's stage (``stages``, see backprop.stages_for) that shows the numbers
    of step ``index``'s line, or None. A line of an activation shares the stage of the line that called it; online,
    only the first row's update is on that page."""
    steps = walk.steps[: index + 1]
    step = next((st for st in reversed(steps) if st.note in STAGES or st.function not in _ACTIVATION_NAMES), None)
    if step is None or step.note not in STAGES or (online and step.row != 1):
        return None
    article, layered, which = STAGES[step.note]
    last = max((s.layer or 0 for s in stages), default=0)
    if not last:  # the article's kind of network: one stage per step of the article's figures
        return next((n for n, stage in enumerate(stages, start=1) if stage.key == article), None)
    layer = {"this": step.layer, "below": (step.layer or 1) - 1, "last": last}[which]
    key = layered if layered == "forward" else "output" if layer == last else "backward"
    return next((n for n, stage in enumerate(stages, start=1) if stage.key == key and stage.layer == layer), None)


def first_step_of_an_epoch(walk: Walk) -> int:
    """Where the next epoch's walk starts again after Step trained one: its first prediction."""
    return next((i for i, step in enumerate(walk.steps) if step.note == "predict_all"), 0)


_ACTIVATION_NAMES = {f.__name__ for kind in activations.ACTIVATIONS.values() for f in (kind.function, kind.slope)}


def split_comment(text: str) -> tuple[str, str]:
    """A source line's code and its comment (from a # outside quotes)."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return text[:i], text[i:]
    return text, ""
