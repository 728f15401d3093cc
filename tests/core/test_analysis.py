"""The claims the app shows are true for the scenario on screen: a floor is shown only where it is proven, and the
error then never goes below it; saturation is found from the network, not from the preset's name."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import LOSS_NAMES, PRESETS, NeuralNetwork, Settings, TrainingSet
from nn_core.analysis import error_floor, fixed_rows, saturated_rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(*[st.integers(0, 1)] * 3, st.sampled_from([0, 0.25, 1])), min_size=1, max_size=10),
       st.booleans(), st.sampled_from([(), (4,)]), st.sampled_from(["sigmoid", "tanh", "relu"]),
       st.floats(0.1, 30), st.integers(0, 1000))
def test_a_shown_floor_is_never_crossed(rows, bias, hidden, activation, rate, seed):
    data = TrainingSet.from_rows(rows)
    nn = NeuralNetwork(data, settings=Settings(learning_rate=rate, bias=bias, hidden=hidden, activation=activation,
                                               init="random", seed=seed))
    nn.train(3000)
    zero_rows = [i for i, r in enumerate(rows) if not any(r[:3])]
    proven = bool(zero_rows) and not bias and not (hidden and activation == "sigmoid")
    assert list(fixed_rows(nn)) == (zero_rows if proven else [])
    for k, loss in enumerate(LOSS_NAMES):
        floor = error_floor(nn, loss)
        if floor is None:
            continue
        assert proven
        assert nn.history.losses.lows[:, k].min() >= floor and nn.current_loss(loss) >= floor
        np.testing.assert_array_equal(nn.predict(data.inputs[zero_rows]), 0.5)


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
