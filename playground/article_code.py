"""The article's code, line by line: its listing, the order in which one epoch runs through it, and the value of every
variable at each step, read from the learner's own network (the same trace the Backprop page shows). Pure data and
HTML built from it (no Streamlit)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from nn_core import EpochTrace, NeuralNetwork

from .matrices import matrix_html


@dataclass(frozen=True)
class Line:
    code: str  # "" for a blank line
    comment: str | None = None  # the strings key of the comment above it ("code.c.…")
    name: str | None = None  # how the steps refer to it


LINES = (
    Line("import numpy as np", "code.c.numpy"),
    Line(""),
    Line("inputs = np.array([[0, 1, 0], [0, 1, 1], [0, 0, 0], [1, 0, 0], [1, 1, 1], [1, 0, 1]])", "code.c.inputs",
         "inputs"),
    Line("outputs = np.array([[0], [0], [0], [1], [1], [1]])", "code.c.outputs", "outputs"),
    Line(""),
    Line("class NeuralNetwork:"),
    Line("    def __init__(self, inputs, outputs):"),
    Line("        self.inputs = inputs"),
    Line("        self.outputs = outputs"),
    Line("        self.weights = np.array([[.50], [.50], [.50]])", "code.c.weights", "weights"),
    Line("        self.error_history = []", "code.c.history"),
    Line("        self.epoch_list = []"),
    Line(""),
    Line("    def sigmoid(self, x, deriv=False):", "code.c.sigmoid"),
    Line("        if deriv == True:"),
    Line("            return x * (1 - x)", "code.c.slope", "slope"),
    Line("        return 1 / (1 + np.exp(-x))", None, "squash"),
    Line(""),
    Line("    def feed_forward(self):"),
    Line("        self.hidden = self.sigmoid(np.dot(self.inputs, self.weights))", "code.c.feed_forward",
         "feed_forward"),
    Line(""),
    Line("    def backpropagation(self):"),
    Line("        self.error = self.outputs - self.hidden", "code.c.error", "error"),
    Line("        delta = self.error * self.sigmoid(self.hidden, deriv=True)", "code.c.delta", "delta"),
    Line("        self.weights += np.dot(self.inputs.T, delta)", "code.c.update", "update"),
    Line(""),
    Line("    def train(self, epochs=25000):", "code.c.train"),
    Line("        for epoch in range(epochs):", None, "loop"),
    Line("            self.feed_forward()", None, "call_forward"),
    Line("            self.backpropagation()", None, "call_backward"),
    Line("            self.error_history.append(np.average(np.abs(self.error)))", "code.c.error_history",
         "error_history"),
    Line("            self.epoch_list.append(epoch)", None, "epoch_list"),
    Line(""),
    Line("    def predict(self, new_input):", "code.c.predict"),
    Line("        prediction = self.sigmoid(np.dot(new_input, self.weights))"),
    Line("        return prediction"),
    Line(""),
    Line("NN = NeuralNetwork(inputs, outputs)", "code.c.create", "create"),
    Line("NN.train()", "code.c.call_train", "call_train"),
    Line("print(NN.predict(np.array([[1, 1, 0]])), ' - Correct: ', 1)", "code.c.example"),
)


@dataclass(frozen=True)
class Step:
    """One moment of the run: the line being executed, what its variables hold there (labels and value keys, see
    ``variable``), the Backprop stage showing the same numbers, and a note (strings "code.step.<note>")."""

    line: str
    variables: tuple[tuple[str, str], ...] = ()
    stage: str | None = None
    note: str | None = None


STEPS = (
    Step("inputs", (("inputs", "X"),), "inputs"),
    Step("outputs", (("outputs", "y"),), "inputs"),
    Step("create", (), None, "create"),
    Step("weights", (("self.weights", "start"),), None, "weights"),
    Step("call_train", (), None, "call_train"),
    Step("loop", (("epoch", "epoch"), ("self.weights", "w")), "inputs", "loop"),
    Step("call_forward", (), None, "call_forward"),
    Step("feed_forward", (("np.dot(self.inputs, self.weights)", "Xw"),), "xw", "dot"),
    Step("squash", (("x", "Xw"), ("1 / (1 + np.exp(-x))", "yhat")), "yhat", "squash"),
    Step("feed_forward", (("self.hidden", "yhat"),), "yhat", "hidden"),
    Step("call_backward", (), None, "call_backward"),
    Step("error", (("self.error", "error"),), "error"),
    Step("delta", (("self.hidden", "yhat"),), None, "slope_call"),
    Step("slope", (("x", "yhat"), ("x * (1 - x)", "slope")), "slope", "slope"),
    Step("delta", (("delta", "delta"),), "delta"),
    Step("update", (("np.dot(self.inputs.T, delta)", "gradient"),), "gradient", "gradient"),
    Step("update", (("self.weights", "new"),), "update", "update"),
    Step("error_history", (("np.average(np.abs(self.error))", "mean_error"),), None, "history"),
    Step("epoch_list", (("epoch", "epoch"),), None, "epoch_list"),
)
LOOP_STEP = next(i for i, step in enumerate(STEPS) if step.line == "loop")  # where the next epoch starts again


def line_number(name: str, lines=LINES) -> int:
    """The 1-based line of the listing as shown, comments counted (each comment is one line above its code)."""
    number = 0
    for line in lines:
        number += 1 + (line.comment is not None)
        if line.name == name:
            return number
    raise KeyError(name)


def fits(net: NeuralNetwork) -> bool:
    """The article's code describes this network exactly: one layer, no bias, one update per epoch from every row
    (the learning rate is shown as the one thing it adds)."""
    return not net.architecture.hidden and not net.architecture.bias and net.settings.batch == "full"


def variable(key: str, net: NeuralNetwork, trace: EpochTrace) -> tuple[np.ndarray, list[str] | None] | int:
    """A variable's value at the trace's epoch, shaped as on the Backprop page (the weights as a row w1 w2 w3), or
    the epoch itself."""
    layer = trace.layers[0]
    w_names = [f"w{i + 1}" for i in range(layer.weights.shape[0])]
    values = {
        "X": (layer.inputs, [f"x{i + 1}" for i in range(layer.inputs.shape[1])]),
        "y": (trace.targets, ["y"]),
        "start": (net.initial_params[None], w_names),
        "w": (layer.weights.T, w_names),
        "Xw": (layer.z, ["Xw"]),
        "yhat": (layer.outputs, ["ŷ"]),
        "error": (layer.blame, ["y − ŷ"]),
        "slope": (layer.slope, ["ŷ(1−ŷ)"]),
        "delta": (layer.delta, ["δ"]),
        "gradient": (layer.downhill.T, [f"Δw{i + 1}" for i in range(layer.weights.shape[0])]),
        "new": (layer.new_weights.T, w_names),
        "mean_error": (np.array([[trace.mean_abs_error]]), ["mean |y − ŷ|"]),
    }
    return trace.epoch if key == "epoch" else values[key]


def listing_html(translate, current: int | None, inline: str = "") -> str:
    """The listing as HTML: numbered lines, comments in the learner's language, the current step's line marked
    (``current``: its 1-based number) and followed by ``inline`` (the values there, already HTML). ``translate``:
    strings key -> text (strings.t)."""
    out, number = [], 0
    for line in LINES:
        indent = line.code[: len(line.code) - len(line.code.lstrip())] if line.code else ""
        if line.comment is not None:
            number += 1
            out.append(_line(number, f'<span class="c">{html.escape(indent + "# " + translate(line.comment))}</span>'))
        number += 1
        marked = number == current
        out.append(_line(number, html.escape(line.code) or "&nbsp;", marked))
        if marked and inline:
            out.append(f'<div class="code-values">{inline}</div>')
    return f'<div class="code-listing">{"".join(out)}</div>'


def _line(number: int, body: str, marked: bool = False) -> str:
    cls = "code-line now" if marked else "code-line"
    arrow = "▶" if marked else ""
    return f'<div class="{cls}"><span class="n">{arrow}{number}</span><span class="t">{body}</span></div>'


def line_of(name: str) -> Line:
    return next(line for line in LINES if line.name == name)


def values_html(step: Step, net: NeuralNetwork, trace: EpochTrace) -> str:
    """The step's variables as tables (shaped and tinted as on the Backprop page); the epoch as a number."""
    parts = []
    for label, key in step.variables:
        value = variable(key, net, trace)
        if isinstance(value, int):
            parts.append(f'<div class="bp-cell"><span class="code-var">{html.escape(label)} = {value:,}</span></div>')
            continue
        values, columns = value
        tint = len(values) == len(trace.targets) and len(values) > 1
        table = matrix_html(values, column_names=columns, row_tint=tint, caption=label)
        parts.append(f'<div class="bp-cell">{table}</div>')
    return "".join(parts)


CODE_CSS = """
<style>
/* The step buttons and the current line stay in view while the listing scrolls under them (the wrapper Streamlit
   puts around the keyed row is what can stick: the row itself is exactly as tall as it). */
[data-testid="stLayoutWrapper"]:has(> .st-key-code_controls) { position: sticky; top: 3.75rem; z-index: 10;
  background: #fff; padding: 0.35rem 0; border-bottom: 1px solid #e2e8f0; }
@media (max-width: 640px) {  /* on a phone the bar that stays in view is only the buttons and the line's number */
  .st-key-code_line code { display: none; }
  [data-testid="stLayoutWrapper"]:has(> .st-key-code_controls) { top: 3.2rem; padding: 0.2rem 0; }
}
.code-note { margin: 0 0 0.4rem 0; font-family: "Source Sans", "Source Sans Pro", sans-serif; color: #334155; }
.code-listing { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.86rem; line-height: 1.5;
                background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 0.5rem; padding: 0.5rem 0;
                overflow-x: auto; }
.code-line { display: flex; white-space: pre; padding: 0 0.75rem 0 0; }
.code-line .n { display: inline-block; min-width: 3.2em; padding-right: 0.9em; text-align: right; color: #64748b;
                user-select: none; }
.code-line .c { color: #166534; }
.code-line.now { background: #fef3c7; box-shadow: inset 4px 0 0 #b45309; }
.code-line.now .n { color: #7c2d12; font-weight: 700; }
.code-values { margin: 0.25rem 0 0.5rem 4.1em; padding: 0.4rem 0.6rem; border-left: 3px solid #b45309;
               background: #fffbeb; white-space: normal; }
.code-var { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: 600; }
</style>
"""
