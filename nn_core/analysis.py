"""What can be proven about a network on its data: the sources of the sentences the app shows about it.

Every claim here is computed from the network and its table, never assumed from a preset's name.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from .activations import activation_slope
from .losses import CE_EPS, ELEMENTWISE
from .model import NeuralNetwork, check_query
from .network import forward_pass
from .separability import linear_separability

SATURATED = 1e-4  # a slope ŷ(1 − ŷ) below this barely moves a prediction (σ' is at most 0.25)


def fixed_rows(net: NeuralNetwork) -> np.ndarray:
    """The rows whose prediction is exactly 0.5 whatever the weights (0-based).

    An all-zero row gives z = 0·W = 0 in the first layer when there is no bias. With no hidden layer, ŷ = σ(0) = 0.5.
    Hidden tanh or ReLU units then output tanh(0) = relu(0) = 0, so every later z is 0 too and ŷ = 0.5 again.
    Hidden sigmoid units output σ(0) = 0.5, not 0, so with them the row is not fixed.
    """
    arch = net.architecture
    if arch.bias or (arch.hidden and arch.activation == "sigmoid"):
        return np.array([], dtype=int)
    return np.flatnonzero(~net.inputs.any(axis=1))


# What rounding in the loss's own arithmetic may take off a floor that is not an exact sum of the loss's terms (see
# ``proven_floor``): far above a double's rounding error over 1,000 rows, far below the 4 decimals a floor is shown to.
FLOAT_ALLOWANCE = 1e-9


@dataclass(frozen=True)
class Floor:
    """A value a loss can never go below for a network on its table, whatever its weights, and why.

    zero_rows: rows (0-based) predicted exactly 0.5 whatever the weights, whose target is not 0.5 (``fixed_rows``).
    same_inputs: groups of rows (0-based) with identical inputs and different targets: any network gives every row
        of a group one prediction, so it cannot get them all right.
    """

    value: float
    zero_rows: tuple[int, ...] = ()
    same_inputs: tuple[tuple[int, ...], ...] = ()


_KNOWN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # network -> {question: answer}: a network's table
# and shape never change, and a page asks the same questions of them at every rerun


def _known(net: NeuralNetwork, question: tuple, answer):
    """What ``answer()`` says of this network's table and shape, worked out once per network."""
    known = _KNOWN.setdefault(net, {})
    if question not in known:
        known[question] = answer()
    return known[question]


def proven_floor(net: NeuralNetwork, loss: str) -> Floor | None:
    """The largest floor of ``loss`` proven for this network and table, or None if none is (see ``_proven_floor``);
    worked out once per network and loss."""
    return _known(net, ("floor", loss), lambda: _proven_floor(net, loss))


def _proven_floor(net: NeuralNetwork, loss: str) -> Floor | None:
    """The largest floor of ``loss`` proven for this network and table, or None if none is.

    Two facts hold whatever the weights. (1) A fixed row (``fixed_rows``) is predicted exactly 0.5, so it adds its
    loss at 0.5. This part is computed as the mean of the loss's own per-element array with every other row at 0:
    floating point included, the real loss (the same mean over values at least as large) can never be smaller.
    (2) Rows with identical inputs get one prediction p, whatever the network (bias and hidden layers included), so
    together they add at least the smallest total their targets allow over every p in [0, 1] (``least_total``):
    the median's for the mean |error|, the mean's (their spread) for the squared error, the entropy of their mean for
    cross-entropy. With both, fixed rows add their loss at 0.5 and each other group its least total: a proven bound
    at least as large as either alone. Its sum is not the loss's own sum of the same terms, so rounding in the loss's
    arithmetic (and in the last bit of two identical rows' predictions, which matrix products may compute apart) is
    allowed for by FLOAT_ALLOWANCE.
    """
    zero, combined = zero_row_floor(net, loss), same_input_floor(net, loss)
    value = max(v for v in (zero, combined, 0.0) if v is not None)
    if value <= 0:
        return None
    fixed = fixed_rows(net)
    zero_rows = tuple(int(r) for r in fixed if (net.outputs[r] != 0.5).any()) if zero else ()
    return Floor(value, zero_rows, same_input_groups(net) if combined == value else ())


def zero_row_floor(net: NeuralNetwork, loss: str) -> float | None:
    """Part (1) of ``proven_floor`` alone: what the fixed rows add (None: there are none)."""
    y, fixed = net.outputs, fixed_rows(net)
    if not fixed.size:
        return None
    terms = np.zeros_like(y)
    terms[fixed] = ELEMENTWISE[loss](y[fixed], np.full_like(y[fixed], 0.5))
    return float(terms.reshape(-1).mean())


def same_input_floor(net: NeuralNetwork, loss: str) -> float | None:
    """Part (2) of ``proven_floor`` with part (1): fixed rows at 0.5, every other group of identical inputs with
    different targets at its least total (None: there is no such group)."""
    groups = same_input_groups(net)
    if not groups:
        return None
    y, fixed = net.outputs, fixed_rows(net)
    # Identical inputs are fixed together or not at all: fixed rows add their loss at 0.5, other groups their least.
    totals = [least_total(loss, y[list(group)]) for group in groups if group[0] not in fixed]
    totals += ELEMENTWISE[loss](y[fixed], np.full_like(y[fixed], 0.5)).ravel().tolist()
    return math.fsum(totals) / y.size * (1 - FLOAT_ALLOWANCE)


def error_floor(net: NeuralNetwork, loss: str) -> float | None:
    """The value of ``proven_floor``, or None."""
    floor = proven_floor(net, loss)
    return None if floor is None else floor.value


def same_input_groups(net: NeuralNetwork) -> tuple[tuple[int, ...], ...]:
    """Groups of rows (0-based, each in order, by their first row) with identical inputs and different targets."""
    _, group_of = np.unique(net.inputs, axis=0, return_inverse=True)
    group_of = group_of.ravel()
    found = []
    for g in np.unique(group_of):
        rows = np.flatnonzero(group_of == g)
        if len(rows) > 1 and (net.outputs[rows] != net.outputs[rows[0]]).any():
            found.append(tuple(int(r) for r in rows))
    return tuple(sorted(found))


def least_total(loss: str, targets: np.ndarray) -> float:
    """The smallest total ``loss`` one prediction p in [0, 1] can make on ``targets`` (rows × outputs, each in [0, 1];
    each output column has its own p): the exact minimum, computed with sums correctly rounded."""
    total = 0.0
    for y in np.asarray(targets, dtype=float).T:
        if loss == "mae":  # Σ|y − p| is least at a median
            total += math.fsum(np.abs(y - np.median(y)))
        elif loss == "mse":  # Σ(y − p)² is least at the mean: the targets' spread
            total += math.fsum((y - math.fsum(y) / len(y)) ** 2)
        else:  # cross-entropy, with p clipped as the loss clips it: least at the targets' mean (clipped)
            p = min(max(math.fsum(y) / len(y), CE_EPS), 1 - CE_EPS)
            total += math.fsum(-(y * math.log(p) + (1 - y) * math.log1p(-p)))
    return total


@dataclass(frozen=True)
class Saturation:
    rows: tuple[int, ...]  # 0-based rows predicted on the wrong side where the sigmoid is flat
    largest_slope: float  # the largest ŷ(1 − ŷ) among them


def saturated_rows(net: NeuralNetwork, params: np.ndarray | None = None) -> Saturation | None:
    """Rows whose prediction is on the wrong side of 0.5 and so close to 0 or 1 that ŷ(1 − ŷ) < SATURATED: each
    update moves them by a tiny amount, so training crawls (the article's "the network stops learning")."""
    p = net.predictions_for(net.params if params is None else params)[0]
    slope = activation_slope("sigmoid", p)  # the output unit's: it is always a sigmoid
    wrong = (np.abs(net.outputs - p) > 0.5) & (slope < SATURATED)
    rows = np.flatnonzero(wrong.any(axis=1))
    if not rows.size:
        return None
    return Saturation(tuple(int(r) for r in rows), float(slope[rows].max()))


@dataclass(frozen=True)
class OutputUnit:
    """How the output unit reaches its prediction for one input: ŷ = σ(Σ inputsᵢ·weightsᵢ + bias)."""

    inputs: np.ndarray  # what it reads: the features without a hidden layer, else the hidden units' outputs
    weights: np.ndarray
    bias: float | None
    z: float  # the weighted sum, as training computes it
    prediction: float

    @property
    def terms(self) -> np.ndarray:
        """Each input times its weight: the parts that add up (with the bias) to z."""
        return self.inputs * self.weights


def output_unit(net: NeuralNetwork, x, params: np.ndarray | None = None) -> OutputUnit:
    """The output unit's reading of input ``x`` (one row), under ``params`` (default: the current weights)."""
    row = check_query(x, net.architecture.n_inputs)[:1]
    layers = forward_pass(net.architecture, net.params if params is None else params, row)
    last = layers[-1]
    reads = row[0] if len(layers) == 1 else layers[-2].a[0]
    bias = None if last.bias is None else float(last.bias[0, 0])
    return OutputUnit(reads.copy(), last.weights[:, 0].copy(), bias, float(last.z[0, 0]), float(last.a[0, 0]))


def output_sums(net: NeuralNetwork, x) -> np.ndarray:
    """The output unit's weighted sum z for each row of x: where each row sits on the output's sigmoid."""
    return forward_pass(net.architecture, net.params, np.asarray(x, dtype=float))[-1].z[:, 0].copy()


def symmetric_units(net: NeuralNetwork, params: np.ndarray | None = None) -> tuple[tuple[int, ...], ...]:
    """Groups of hidden units (0-based) with identical weights in and out (and bias): every update treats them
    alike, so they stay identical forever and the layer works like fewer units (equal starting weights do this)."""
    arch = net.architecture
    if len(arch.hidden) != 1:
        return ()
    (w_in, b_in), (w_out, _) = arch.split(net.params if params is None else np.asarray(params, dtype=float))
    columns = [np.r_[w_in[:, j], [] if b_in is None else [b_in[j]], w_out[j]] for j in range(arch.hidden[0])]
    groups: dict[bytes, list[int]] = {}
    for j, column in enumerate(columns):
        groups.setdefault(column.tobytes(), []).append(j)
    return tuple(tuple(g) for g in groups.values() if len(g) > 1)


@dataclass(frozen=True)
class Cause:
    """A reason the network's error stops falling, read from the network and its table.

    kind: "diverged" (training stopped: its numbers stopped being finite; value: the learning rate), "weight_limit"
    (training stopped: a weight passed the safety limit; value: the learning rate), "saturated" (rows on the wrong
    side where the sigmoid is flat; value: their largest slope), "zero_rows" (all-zero rows without a bias predict
    0.5 forever; value: the floor they make), "same_inputs" (rows with identical inputs and different targets;
    groups: them, group by group; value: the floor, with the all-zero rows' part if there is one), "not_separable"
    (no straight cut separates the 1s from the 0s, so one layer cannot; rows: a few rows that prove it) or
    "symmetric" (hidden units that stay identical; units)."""

    kind: str
    rows: tuple[int, ...] = ()
    units: tuple[tuple[int, ...], ...] = ()
    value: float | None = None
    groups: tuple[tuple[int, ...], ...] = ()
    still: bool = False  # saturated rows of a run stopped at a fixed point: their updates no longer change anything


def diagnose(net: NeuralNetwork) -> list[Cause]:
    """Every cause that holds for the network as it is now, most urgent first. Each is a fact about the network:
    none is guessed from the data's preset or the settings' names."""
    causes = []
    if net.stop is not None and net.stop.kind in ("diverged", "weight_limit"):
        causes.append(Cause(net.stop.kind, value=net.stop.learning_rate))
    stuck = saturated_rows(net)
    if stuck is not None:
        at_rest = net.stop is not None and net.stop.kind == "fixed_point"
        causes.append(Cause("saturated", rows=stuck.rows, value=stuck.largest_slope, still=at_rest))
    floor = proven_floor(net, "mae")
    if floor is not None and floor.zero_rows:  # rows stuck at 0.5 whose target is not 0.5
        causes.append(Cause("zero_rows", rows=floor.zero_rows, value=zero_row_floor(net, "mae")))
    if floor is not None and floor.same_inputs:  # identical inputs, different targets: one prediction for both
        causes.append(Cause("same_inputs", rows=tuple(r for group in floor.same_inputs for r in group),
                            value=floor.value, groups=floor.same_inputs))
    if not net.architecture.hidden:
        verdict = _known(net, ("separability",),
                         lambda: linear_separability(net.inputs, net.outputs, bias=net.architecture.bias))
        if not verdict.separable:
            causes.append(Cause("not_separable", rows=verdict.mixed_rows))
    units = symmetric_units(net)
    if units:
        causes.append(Cause("symmetric", units=units))
    return causes
