"""The claims the app shows are true for the scenario on screen: a floor is shown only where it is proven, and the
error then never goes below it, nor below the number printed for it; saturation is found from the network, not from
the preset's name."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import LOSS_NAMES, PRESETS, NeuralNetwork, Settings, TrainingSet
from nn_core.analysis import (
    FLOAT_ALLOWANCE,
    diagnose,
    error_floor,
    fixed_rows,
    least_total,
    proven_floor,
    same_input_groups,
    saturated_rows,
)
from nn_core.losses import ELEMENTWISE
from playground.views.numbers import floor_text

EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def targets_disagree(rows) -> bool:
    """Whether two rows have the same inputs and different targets."""
    seen = {}
    return any(seen.setdefault(tuple(r[:3]), r[3]) != r[3] for r in rows)


@EXAMPLES
@given(st.lists(st.tuples(*[st.integers(0, 1)] * 3, st.sampled_from([0, 0.25, 1])), min_size=1, max_size=10),
       st.booleans(), st.sampled_from([(), (4,)]), st.sampled_from(["sigmoid", "tanh", "relu"]),
       st.floats(0.1, 30), st.integers(0, 1000), st.sampled_from(["full", "online"]))
def test_a_shown_floor_is_never_crossed_nor_printed_above_itself(rows, bias, hidden, activation, rate, seed, batch):
    """Every epoch's loss (each of the first 32,768 epochs is kept exactly) stays at or above the floor, and the
    floor's text (rounded down) is at most the floor, to its last binary digit."""
    data = TrainingSet.from_rows(rows)
    nn = NeuralNetwork(data, settings=Settings(learning_rate=rate, bias=bias, hidden=hidden, activation=activation,
                                               init="random", seed=seed, batch=batch))
    nn.train(1500)
    zero_rows = [i for i, r in enumerate(rows) if not any(r[:3])]
    fixed = bool(zero_rows) and not bias and not (hidden and activation == "sigmoid")
    assert list(fixed_rows(nn)) == (zero_rows if fixed else [])
    for k, loss in enumerate(LOSS_NAMES):
        floor = error_floor(nn, loss)
        if floor is None:
            assert not targets_disagree(rows) and not (fixed and loss != "cross_entropy" and any(
                rows[i][3] != 0.5 for i in zero_rows))
            continue
        assert fixed or targets_disagree(rows)
        assert nn.history.losses.lows[:, k].min() >= floor and nn.current_loss(loss) >= floor
        assert Decimal(floor_text(floor)) <= Decimal(floor)
        if fixed:
            np.testing.assert_array_equal(nn.predict(data.inputs[zero_rows]), 0.5)


@EXAMPLES
@given(st.lists(st.floats(0, 1), min_size=1, max_size=12), st.sampled_from(LOSS_NAMES))
def test_the_least_total_is_the_least_one_prediction_can_make(targets, loss):
    """Proof by search: no prediction in [0, 1] (a grid of 2,001, the ends and the targets themselves) does better
    than ``least_total``, and the best of them comes within a grid step of it."""
    y = np.array(targets)[:, None]
    least = least_total(loss, y)
    p = np.unique(np.r_[np.linspace(0, 1, 2001), y[:, 0]])
    totals = ELEMENTWISE[loss](y, p[None, :]).sum(axis=0)
    assert totals.min() >= least * (1 - 1e-12) - 1e-15
    assert totals.min() - least <= 1e-3 * len(y) + 1e-12


def test_identical_inputs_with_different_targets_make_a_floor_for_any_network():
    """Issue 23, finding 8: [1, 0, 0] → 0 and [1, 0, 0] → 1 (and [0, 1, 0] → 0.25 and 1): one prediction per input,
    whatever the network, so the mean |error| is at least (1 + 0.75) / 4, the squared error at least
    (0.25 + 0.28125) / 4; all the more so with the zero row's 0.5 on top, which neither part alone reaches."""
    rows = [[1, 0, 0, 0], [1, 0, 0, 1], [0, 1, 0, 0.25], [0, 1, 0, 1]]
    for shape in ({}, {"bias": True}, {"hidden": (8,), "bias": True, "init": "random", "seed": 3}):
        net = NeuralNetwork(TrainingSet.from_rows(rows), settings=Settings(**shape))
        floor = proven_floor(net, "mae")
        assert floor.same_inputs == ((0, 1), (2, 3)) and floor.zero_rows == ()
        assert floor.value == pytest.approx(1.75 / 4, rel=2 * FLOAT_ALLOWANCE) and floor.value < 1.75 / 4
        assert error_floor(net, "mse") == pytest.approx((0.5 + 0.28125) / 4, rel=2 * FLOAT_ALLOWANCE)
        net.train(3000)
        assert net.history.losses.lows[:, 0].min() >= floor.value
        assert diagnose(net)[0].kind == "same_inputs" and diagnose(net)[0].groups == ((0, 1), (2, 3))
    both = NeuralNetwork(TrainingSet.from_rows([*rows, [0, 0, 0, 1]]))  # no bias: the zero row is fixed at 0.5
    floor = proven_floor(both, "mae")
    assert floor.zero_rows == (4,) and floor.same_inputs == ((0, 1), (2, 3))
    assert floor.value == pytest.approx((1.75 + 0.5) / 5, rel=2 * FLOAT_ALLOWANCE)
    assert [c.kind for c in diagnose(both)][:2] == ["zero_rows", "same_inputs"]
    assert diagnose(both)[0].value == 0.5 / 5  # the zero row's part alone, exactly


def test_the_issues_floor_is_printed_rounded_down():
    """Issue 23, finding 3: the error sits at 0.0555556 at every epoch; its floor 1/18 is printed 0.0555, never
    0.0556."""
    rows = [[0, 0, 0, 0], [1, 0, 0, 1], [1, 1, 0, 1], [1, 0, 1, 1], [1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0],
            [0, 1, 1, 0], [1, 0, 0, 1]]
    net = NeuralNetwork(TrainingSet.from_rows(rows), settings=Settings(init=(60, -20, -20)))
    net.train(100)
    floor = error_floor(net, "mae")
    assert floor == 0.5 / 9 and same_input_groups(net) == ()
    assert f"{net.current_loss():.7f}" == "0.0555556" and net.error_history.min() >= floor
    assert floor_text(floor) == "0.0555" and f"{floor:.4f}" == "0.0556"
    assert [floor_text(v) for v in (0.25 * (1 - FLOAT_ALLOWANCE), 1 / 12, 0.29, 0.0, -0.0)] == [
        "0.2499", "0.0833", "0.2899", "0.0000", "0.0000"]


def test_a_sigmoid_hidden_layer_has_no_floor_and_goes_below_the_single_layers():
    """Issue 11: article data, no bias, 4 sigmoid hidden units reach 0.0034, far below 1/12."""
    article = PRESETS["article"]
    nn = NeuralNetwork(article.inputs, article.outputs, Settings(hidden=(4,), init="random", seed=1))
    assert error_floor(nn, "mae") is None
    nn.train(25000)
    assert nn.current_loss() < 1 / 12


def test_saturation_is_read_from_the_network():
    article = PRESETS["article"]
    healthy = NeuralNetwork(article.inputs, article.outputs)
    healthy.train(25000)
    assert saturated_rows(healthy) is None
    fast = NeuralNetwork(article.inputs, article.outputs, Settings(learning_rate=1000))
    fast.train(10)
    assert saturated_rows(fast).rows == (4,) and saturated_rows(fast).largest_slope < 1e-60


def test_saturated_rows_of_a_run_at_rest_are_said_not_to_move():
    """At learning rate 1000 the article's network stops at a fixed point (an update changed nothing): its saturated
    row no longer "barely moves", it does not move; the cause says so, and only then."""
    article = PRESETS["article"]
    fast = NeuralNetwork(article.inputs, article.outputs, Settings(learning_rate=1000))
    fast.train(1)
    moving = next(c for c in diagnose(fast) if c.kind == "saturated")
    fast.train(100)
    assert fast.stop is not None and fast.stop.kind == "fixed_point"
    at_rest = next(c for c in diagnose(fast) if c.kind == "saturated")
    assert not moving.still and at_rest.still
