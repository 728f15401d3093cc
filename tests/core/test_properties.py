"""Property tests: shapes, ranges, numeric safety, and every input judged by an independent rule (accepted with
the right value when valid, InputError naming it when not)."""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import InputError, NeuralNetwork, Settings, TrainingSet, activate
from nn_core.losses import ELEMENTWISE, LOSS_NAMES, every_loss, per_network

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cells = st.one_of(st.integers(-150, 150), st.floats(allow_nan=True, allow_infinity=True), st.none(),
                  st.sampled_from(["", " 1 ", "abc", "1e308", "-0", "nan", "inf"]), st.booleans())


def cell_value(v, column):
    """The number a learner means by a cell, or None if the cell is not acceptable (the independent rule)."""
    if v is None or isinstance(v, bool) and False:
        return None
    if isinstance(v, str):
        try:
            v = float(v.strip())
        except ValueError:
            return None
    v = float(v)
    if not math.isfinite(v):
        return None
    lo, hi = (0.0, 1.0) if column == 3 else (-100.0, 100.0)
    return v if lo <= v <= hi else None


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=50))
def test_sigmoid_never_warns_and_stays_in_0_1(values):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = activate("sigmoid", values)
    assert ((s >= 0) & (s <= 1)).all()


@SETTINGS
@given(st.lists(st.lists(cells, min_size=4, max_size=4), min_size=1, max_size=8))
def test_typed_rows_are_accepted_exactly_when_every_cell_is_a_number_in_range(rows):
    expected = [[cell_value(v, j) for j, v in enumerate(r)] for r in rows]
    valid = all(v is not None for r in expected for v in r)
    if valid:
        data = TrainingSet.from_rows(rows)
        assert np.array_equal(np.hstack([data.inputs, data.outputs]), np.array(expected))
    else:  # the first row it cannot use is named: a cell of it, or the whole row when nothing is in it
        with pytest.raises(InputError, match=r"row \d+(, column (x[123]|y)| is empty)") as refused:
            TrainingSet.from_rows(rows)
        empty = re.match(r"row (\d+) is empty", str(refused.value))
        if empty:
            assert all(v is None for v in expected[int(empty.group(1)) - 1])


@pytest.mark.parametrize("cell", ["abc", float("nan"), math.inf, -math.inf, 1e308, "", None])
def test_bad_cells_name_row_and_column(cell):
    with pytest.raises(InputError, match="row 2, column x2"):
        TrainingSet.from_rows([[0, 1, 0, 0], [1, cell, 0, 1]])


@pytest.mark.parametrize("rows,words", [
    ([], "empty"), ([[0, 1, 0, 0]] * 10_000, "10,000 rows"), ([[0, 1, 0]], "needs 4"), ([[0, 1, 0, 2]], "column y"),
    ("0 1 0 1", "list of 4 numbers"), (None, "list of rows"),
])
def test_bad_shapes_are_explained(rows, words):
    with pytest.raises(InputError, match=words):
        TrainingSet.from_rows(rows)


anything = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(), st.text(max_size=6),
                     st.lists(st.integers(0, 20), max_size=3))


REFUSED = object()


def rule(name, v):
    """The independent rule for one setting: its normalised value, or REFUSED."""
    if name == "seed" and v is None:
        return None  # no seed: none is needed for the article's fixed start
    number = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))
    if name == "learning_rate":
        return float(v) if number and 0.0001 <= v <= 10_000 else REFUSED
    if name == "seed":
        return int(v) if number and float(v).is_integer() and 0 <= v < 2**32 else REFUSED
    if name == "hidden":
        ok = isinstance(v, list) and len(v) <= 1 and all(1 <= h <= 16 for h in v)
        return tuple(v) if ok else REFUSED
    if name == "activation":
        return v if v in ("sigmoid", "tanh", "relu") else REFUSED
    if name == "batch":
        return v if v in ("full", "online") else REFUSED
    if name == "init":
        if v == "random":
            return v
        if isinstance(v, list):
            return tuple(float(i) for i in v) if 1 <= len(v) <= 1000 and all(i <= 1000 for i in v) else REFUSED
        return float(v) if number and abs(v) <= 1000 else REFUSED
    raise AssertionError(name)


@SETTINGS
@given(st.sampled_from(["learning_rate", "seed", "hidden", "activation", "batch", "init"]),
       st.one_of(anything, st.sampled_from(["sigmoid", "tanh", "relu", "full", "online", "random"])))
def test_each_setting_is_accepted_exactly_when_the_rule_allows_it(name, value):
    expected = rule(name, value)
    if expected is REFUSED:
        with pytest.raises(InputError, match=name.replace("_", " ") if name == "learning_rate" else name):
            Settings(**{name: value})
    else:
        assert getattr(Settings(**{name: value}), name) == expected


binary_rows = st.lists(st.lists(st.integers(0, 1), min_size=4, max_size=4), min_size=1, max_size=12)


@SETTINGS
@given(binary_rows, st.floats(0.01, 1000), st.booleans(), st.sampled_from([(), (3,), (16,)]),
       st.sampled_from(["sigmoid", "tanh", "relu"]), st.integers(0, 2**32 - 1), st.sampled_from(["full", "online"]))
def test_training_is_numerically_safe(rows, rate, bias, hidden, activation, seed, batch):
    data = TrainingSet.from_rows(rows)
    nn = NeuralNetwork(data, settings=Settings(learning_rate=rate, bias=bias, hidden=hidden, activation=activation,
                                               init="random", seed=seed, batch=batch))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ran = nn.train(300)
        y_hat = nn.predict(data.inputs)
    assert y_hat.shape == (len(rows), 1) and ((y_hat >= 0) & (y_hat <= 1)).all()
    assert np.isfinite(nn.params).all() and np.abs(nn.params).max() <= 1e6
    assert np.isfinite(nn.error_history).all() and nn.epoch == ran == len(nn.error_history)
    assert ran == 300 or nn.stop is not None


@SETTINGS
@given(anything)
def test_queries_are_answered_or_refused(value):
    nn = NeuralNetwork([[0, 1, 0], [1, 0, 0]], [[0], [1]])
    try:
        x = np.array(value, dtype=float)
        ok = x.ndim in (1, 2) and x.shape[-1] == 3 and x.size and np.isfinite(x).all()
    except (TypeError, ValueError, OverflowError):
        ok = False
    if ok:
        out = nn.predict(value)
        assert out.shape == (np.atleast_2d(x).shape[0], 1) and np.isfinite(out).all()
    else:
        with pytest.raises(InputError):
            nn.predict(value)


def test_every_bad_setting_is_named():
    data = TrainingSet.from_rows([[0, 1, 0, 0], [1, 0, 0, 1]])
    for kwargs, words in [({"learning_rate": 0}, "learning rate"), ({"learning_rate": "x"}, "learning rate"),
                          ({"hidden": (0,)}, "hidden"), ({"hidden": (17,)}, "hidden"), ({"hidden": (2, 2)}, "hidden"),
                          ({"activation": "x"}, "activation"), ({"init": "zeros"}, "init"),
                          ({"init": math.nan}, "init"), ({"seed": -1}, "seed"), ({"seed": 10**4000}, "seed"),
                          ({"batch": "mini"}, "batch")]:
        with pytest.raises(InputError, match=words):
            Settings(**kwargs)
    with pytest.raises(InputError, match="init: give 3"):
        NeuralNetwork(data, settings=Settings(init=(1.0, 2.0)))
    with pytest.raises(InputError, match="online"):
        NeuralNetwork(TrainingSet.from_rows([[0, 1, 0, 0]] * 65), settings=Settings(batch="online"))
    nn = NeuralNetwork(data)
    for bad in (-1, 1.5, 10**9, True):
        with pytest.raises(InputError, match="epochs"):
            nn.train(bad)
    with pytest.raises(InputError, match="epoch"):
        nn.params_at(5)


@SETTINGS
@given(st.integers(1, 1500), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_a_networks_loss_is_the_same_bits_alone_or_among_many(terms, networks, seed):
    """per_network takes each network's block of terms as numpy's mean takes one network's: the mean a network gets
    alone (np.mean, as the article computes it) is the mean it gets as one network of a sweep."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, (terms, 1)).astype(float)
    y_hat = rng.random((2, networks, terms, 1)) ** rng.integers(1, 40, (1, networks, terms, 1))  # spread exponents
    for name, elementwise in ELEMENTWISE.items():
        together = per_network(name, y, y_hat)
        for epoch in range(2):
            for n in range(networks):
                alone = np.mean(elementwise(y.ravel(), y_hat[epoch, n, :, 0].copy()))
                assert together[epoch, n] == alone, (name, terms, n)


@pytest.mark.parametrize("terms", range(1, 18))
def test_every_loss_is_each_networks_own_mean_for_any_number_of_terms(terms):
    """The history's losses (every_loss) and a network's loss now (per_network) are numpy's mean of the network's
    own terms, bit for bit, on both sides of the 8 terms where numpy's sum turns from one by one to pairwise."""
    rng = np.random.default_rng(terms)
    y = rng.choice([0.0, 1.0, 0.3], (terms, 1))
    y_hat = rng.random((3, 4, terms, 1)) ** rng.integers(1, 40, (1, 4, terms, 1))
    losses = every_loss(y, y_hat)
    for name, elementwise in ELEMENTWISE.items():
        k = LOSS_NAMES.index(name)
        assert np.array_equal(losses[..., k], per_network(name, y, y_hat))
        alone = [[np.mean(elementwise(y.ravel(), y_hat[e, n, :, 0].copy())) for n in range(4)] for e in range(3)]
        assert np.array_equal(losses[..., k], alone), (name, terms)
