"""Property tests: shapes, ranges, numeric safety, and hostile input that must only ever raise InputError."""

import contextlib
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import InputError, NeuralNetwork, TrainingSet, sigmoid

finite = st.floats(allow_nan=False, allow_infinity=False)
anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
binary_rows = st.lists(st.lists(st.integers(0, 1), min_size=4, max_size=4), min_size=1, max_size=12)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(st.lists(finite, min_size=1, max_size=50))
def test_sigmoid_never_warns_and_stays_in_0_1(values):
    x = np.array(values)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(x)
    assert ((s >= 0) & (s <= 1)).all()


@SETTINGS
@given(st.lists(st.lists(anything, max_size=6), max_size=6))
def test_typed_rows_either_validate_or_raise_input_error(rows):
    try:
        data = TrainingSet.from_rows(rows)
    except InputError as e:
        assert str(e)
        return
    assert np.isfinite(data.inputs).all() and data.inputs.shape[1] == 3 and data.outputs.shape[1] == 1


@pytest.mark.parametrize("cell,words", [
    ("abc", "row 2, column x2"), (float("nan"), "row 2, column x2"), (math.inf, "row 2, column x2"),
    (-math.inf, "row 2, column x2"), (1e308, "row 2, column x2"), ("", "row 2, column x2"), (None, "row 2, column x2"),
])
def test_bad_cells_name_row_and_column(cell, words):
    rows = [[0, 1, 0, 0], [1, cell, 0, 1]]
    with pytest.raises(InputError, match=words):
        TrainingSet.from_rows(rows)


@pytest.mark.parametrize("rows,words", [
    ([], "empty"), ([[0, 1, 0, 0]] * 10_000, "10,000 rows"), ([[0, 1, 0]], "needs 4"), ([[0, 1, 0, 2]], "column y"),
    ("0 1 0 1", "list of 4 numbers"), (None, "list of rows"),
])
def test_bad_shapes_are_explained(rows, words):
    with pytest.raises(InputError, match=words):
        TrainingSet.from_rows(rows)


@SETTINGS
@given(binary_rows, st.floats(0.01, 50), st.booleans(), st.sampled_from([(), (3,), (2, 2)]),
       st.sampled_from(["sigmoid", "tanh", "relu"]), st.integers(0, 2**32 - 1))
def test_training_is_numerically_safe(rows, rate, bias, hidden, activation, seed):
    data = TrainingSet.from_rows(rows)
    nn = NeuralNetwork(data, learning_rate=rate, bias=bias, hidden=hidden, activation=activation,
                       init="random", seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.train(300)
        y_hat = nn.predict(data.inputs)
    assert y_hat.shape == (len(rows), 1)
    assert ((y_hat >= 0) & (y_hat <= 1)).all()
    assert np.isfinite(nn.params).all() and np.isfinite(nn.error_history).all()
    assert nn.epoch == len(nn.error_history) and (nn.epoch == 300 or nn.diverged)


@SETTINGS
@given(anything)
def test_bad_settings_raise_input_error(value):
    data = TrainingSet.from_rows([[0, 1, 0, 0], [1, 0, 0, 1]])
    for name in ("learning_rate", "hidden", "activation", "init", "seed"):
        with contextlib.suppress(InputError):
            NeuralNetwork(data, **{name: value})


@SETTINGS
@given(anything)
def test_bad_queries_raise_input_error(value):
    nn = NeuralNetwork([[0, 1, 0], [1, 0, 0]], [[0], [1]])
    try:
        out = nn.predict(value)
    except InputError:
        return
    assert out.shape[1] == 1 and np.isfinite(out).all()


def test_every_bad_setting_is_named():
    data = TrainingSet.from_rows([[0, 1, 0, 0], [1, 0, 0, 1]])
    for kwargs, words in [({"learning_rate": 0}, "learning rate"), ({"learning_rate": "x"}, "learning rate"),
                          ({"hidden": (0,)}, "hidden"), ({"hidden": (65,)}, "hidden"),
                          ({"activation": "x"}, "activation"),
                          ({"init": "zeros"}, "init"), ({"init": [1, 2]}, "init"), ({"init": math.nan}, "init"),
                          ({"seed": -1}, "seed")]:
        with pytest.raises(InputError, match=words):
            NeuralNetwork(data, **kwargs)
    nn = NeuralNetwork(data)
    for bad in (-1, 1.5, 10**9, True):
        with pytest.raises(InputError, match="epochs"):
            nn.train(bad)
    with pytest.raises(InputError, match="epoch"):
        nn.params_at(5)
