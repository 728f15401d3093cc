"""The Backprop page's content: one epoch's update as a list of stages, in the article's order.

Pure data (no Streamlit): each stage has a title, a formula, a sentence, and the matrices it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_core import EpochTrace


@dataclass(frozen=True)
class Headline:
    """The one number of a stage a learner can guess before seeing it: strings "bp.guess.<key>" with ``values``."""

    key: str
    values: dict
    value: float


@dataclass(frozen=True)
class Stage:
    key: str  # the strings catalog key stem: "bp.<key>.title" and "bp.<key>.text"
    latex: str
    matrices: list[tuple[str, np.ndarray, list[str] | None]]  # (caption key, values, column names)
    layer: int | None = None  # which layer (1 = first), for hidden-layer networks
    headline: Headline | None = None  # what "guess before you see" asks for (None: nothing to guess)
    after: tuple[str, dict] | None = None  # the stage that makes the new weights: whose weights they are (strings)


def _row(x) -> str:
    return "[" + ", ".join(f"{v:g}" for v in x) + "]"


_ACT_LATEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}
_SLOPE_LATEX = {"sigmoid": r"a\,(1-a)", "tanh": r"1-a^2", "relu": r"[a>0]"}


def _cols(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{j + 1}" for j in range(n)]


def article_stages(trace: EpochTrace, k: int = 0) -> list[Stage]:
    """The eight stages of the article's figures, for a network without a hidden layer: of the epoch's update
    (``k``: which one, online)."""
    update = trace.updates[k]
    (layer,) = update.layers
    bias = layer.bias is not None
    x_cols = _cols("x", layer.inputs.shape[1])
    w = layer.weights
    plus_b = " + b" if bias else ""
    weights = [("bp.cap.weights", w.T, _cols("w", w.shape[0]))]
    if bias:
        weights.append(("bp.cap.bias", layer.bias[None], ["b"]))
    new = [("bp.cap.update", np.hstack([w, layer.update, layer.new_weights]), ["w", "Δw", "w′"])]
    if bias:
        new.append(("bp.cap.bias_update", np.array([[layer.bias[0], layer.update_bias[0], layer.new_bias[0]]]),
                       ["b", "Δb", "b′"]))
    row = {"row": 1, "x": _row(layer.inputs[0])}  # the guesses are about the first row and the first weight
    return [
        Stage("inputs", r"X,\; y,\; w", [("bp.cap.x", layer.inputs, x_cols),
                                          ("bp.cap.y", update.targets, ["y"]), *weights]),
        Stage("xw", r"\textstyle\sum_i x_i w_i" + plus_b + r" = X\cdot w" + plus_b, [("bp.cap.z", layer.z, ["Xw"])],
              headline=Headline("xw", row, float(layer.z[0, 0]))),
        Stage("yhat", r"\hat y = \sigma(Xw" + plus_b + r") = \frac{1}{1 + e^{-(Xw" + plus_b + ")}}",
              [("bp.cap.yhat", layer.outputs, ["ŷ"])], headline=Headline("yhat", row, float(layer.outputs[0, 0]))),
        Stage("error", r"\text{error} = y - \hat y", [("bp.cap.error", layer.blame, ["y − ŷ"])],
              headline=Headline("error", row, float(layer.blame[0, 0]))),
        Stage("slope", r"\sigma'(\hat y) = \hat y\,(1 - \hat y)", [("bp.cap.slope", layer.slope, ["ŷ(1−ŷ)"])],
              headline=Headline("slope", row, float(layer.slope[0, 0]))),
        Stage("delta", r"\delta = \text{error}\cdot \hat y\,(1-\hat y)", [("bp.cap.delta", layer.delta, ["δ"])],
              headline=Headline("delta", row, float(layer.delta[0, 0]))),
        Stage("gradient", r"X^{\top}\cdot\delta", [("bp.cap.gradient", layer.downhill.T, _cols("Δw", w.shape[0]))]
              + ([("bp.cap.bias_gradient", layer.downhill_bias[None], ["Σδ"])] if bias else []),
              headline=Headline("gradient", {}, float(layer.downhill[0, 0]))),
        Stage("update", update_latex(trace, "w", r"X^{\top}\delta")
              + (r",\quad " + update_latex(trace, "b", r"\textstyle\sum\delta") if bias else ""), new,
              headline=Headline("update", {"rate": f"{trace.learning_rate:g}"}, float(layer.new_weights[0, 0])),
              after=whose_weights(trace, k)),
    ]


def layered_stages(trace: EpochTrace, k: int = 0) -> list[Stage]:
    """Forward through every layer, then backward from the output: the chain rule, one layer at a time (of the
    epoch's update ``k``, online)."""
    update = trace.updates[k]
    stages = [Stage("inputs", r"X,\; y", [("bp.cap.x", update.layers[0].inputs, _cols("x", update.layers[0]
                                                                                          .inputs.shape[1])),
                                           ("bp.cap.y", update.targets, ["y"])])]
    last = len(update.layers)
    for layer in update.layers:
        k, act = layer.index, _ACT_LATEX[layer.activation]
        a_in = "X" if k == 1 else f"a_{{{k - 1}}}"
        b = f" + b_{{{k}}}" if layer.bias is not None else ""
        units = _cols("h", layer.z.shape[1]) if k < last else ["ŷ"]
        stages.append(Stage("forward", rf"z_{{{k}}} = {a_in}\cdot W_{{{k}}}{b},\quad a_{{{k}}} = {act}(z_{{{k}}})",
                            [("bp.cap.z", layer.z, units), ("bp.cap.a", layer.outputs, units)], layer=k,
                            headline=Headline("forward", {"row": 1, "unit": units[0]}, float(layer.outputs[0, 0]))))
    for layer in reversed(update.layers):
        k = layer.index
        a_in = "X" if k == 1 else f"a_{{{k - 1}}}"
        units = _cols("h", layer.z.shape[1]) if k < last else ["ŷ"]
        blame = (r"\text{error} &= y - \hat y" if k == last
                 else rf"\text{{blame}}_{{{k}}} &= \delta_{{{k + 1}}}\cdot W_{{{k + 1}}}^{{\top}}")
        stages.append(Stage(
            "backward" if k < last else "output",
            # One step per line, so that the formula fits beside its matrices.
            r"\begin{aligned}" + blame + rf"\\ \delta_{{{k}}} &= \text{{blame}}\cdot {_SLOPE_LATEX[layer.activation]}"
            r"\\ " + update_latex(trace, f"W_{{{k}}}", rf"{a_in}^{{\top}}\delta_{{{k}}}", aligned=True)
            + r"\end{aligned}",
            [("bp.cap.blame", layer.blame, units), ("bp.cap.slope", layer.slope, units),
             ("bp.cap.delta", layer.delta, units), ("bp.cap.gradient", layer.downhill, units),
             *([("bp.cap.bias_gradient", layer.downhill_bias[None], units)] if layer.bias is not None else []),
             ("bp.cap.new_weights", layer.new_weights, units),
             *([("bp.cap.new_bias", layer.new_bias[None], units)] if layer.bias is not None else [])], layer=k,
            headline=Headline("backward", {"row": 1, "unit": units[0]}, float(layer.delta[0, 0])),
            after=whose_weights(trace, k) if layer.index == 1 else None))
    return stages


# How each optimiser (nn_core/optimisers.py) makes a parameter's step from its downhill {d}: a new rule is one entry.
_STEP_LATEX = {"GradientDescent": r"{p} + \eta\,{d}",
               "Momentum": r"{p} + \eta\,v,\quad v \leftarrow \mu\,v + {d}"}


def update_latex(trace: EpochTrace, parameter: str, downhill: str, aligned: bool = False) -> str:
    """The update of ``parameter`` as the trace's optimiser makes it, from ``downhill`` (both in LaTeX)."""
    rule = _STEP_LATEX[type(trace.optimiser).__name__].format(p=parameter, d=downhill)
    new = parameter + r"_{\text{new}}" if "_" not in parameter else parameter + "'"
    return f"{new} &= {rule}" if aligned else f"{new} = {rule}"


def stages_for(trace: EpochTrace, k: int = 0) -> list[Stage]:
    """The stages of the epoch's update ``k`` (0 with the whole batch; online, the update of the epoch's k-th row)."""
    return article_stages(trace, k) if len(trace.layers) == 1 else layered_stages(trace, k)


def whose_weights(trace: EpochTrace, k: int) -> tuple[str, dict]:
    """Whose are the new weights the last stage shows (strings key and values): the next epoch's with the whole batch
    or after an epoch's last row; online, otherwise, those the next row's update starts from."""
    n, next_epoch = len(trace.updates), f"{trace.epoch + 1:,}"
    if n == 1:
        return "bp.after.epoch", {"next": next_epoch}
    values = {"row": int(trace.rows[k]) + 1, "k": k + 1, "n": n, "next": next_epoch}
    return ("bp.after.last_row", values) if k == n - 1 else ("bp.after.row", {**values, "following": k + 2})


def update_label(trace: EpochTrace, k: int) -> dict:
    """What names update ``k`` of an online epoch: its place and its row."""
    return {"k": k + 1, "n": len(trace.updates), "row": int(trace.rows[k]) + 1}
