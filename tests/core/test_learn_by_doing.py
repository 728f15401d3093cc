"""Issue 13's numbers: the update from hand-set weights, each row's share of it, the race, and the diagnosis. Every
value is compared with an independent restatement of the formulas written here (and with the issue's numbers)."""

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork, Settings, TrainingSet
from nn_core.analysis import diagnose, symmetric_units
from nn_core.updates import update_from
from playground.learn.hand import race, surface

from .reference import ARTICLE, article_loop

X = np.array(ARTICLE.inputs, dtype=float)
Y = np.array(ARTICLE.outputs, dtype=float)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def restated_step(w, x=X, y=Y, b=None):
    """The article's formulas once: mean |error|, each row's share x·delta, and Xᵀ·delta (and Σ delta with a bias)."""
    z = x @ np.asarray(w, dtype=float).reshape(-1, 1) + (0 if b is None else b)
    y_hat = sigmoid(z)
    delta = (y - y_hat) * y_hat * (1 - y_hat)
    shares = x * delta  # rows × features: row r adds x[r, i]·delta[r] to w_i
    update = (x.T @ delta).ravel()
    if b is not None:
        shares = np.hstack([shares, delta])
        update = np.r_[update, delta.sum()]
    return float(np.mean(np.abs(y - y_hat))), shares, update


def article_net(**settings):
    return NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs, Settings(**settings))


def test_the_update_from_hand_set_weights_is_the_issues():
    net = article_net()
    result = update_from(net, [1.0, -1.0, 0.5])
    error, _, update = restated_step([1.0, -1.0, 0.5])
    assert round(float(result.error[0]), 6) == 0.329232 == round(error, 6)
    np.testing.assert_allclose(result.downhill[0], update, rtol=1e-12)
    assert [round(float(u), 6) for u in result.downhill[0]] == [0.168809, -0.052877, 0.027208]


def test_the_update_with_a_bias_has_a_fourth_value():
    net = article_net(bias=True)
    result = update_from(net, [1.0, -1.0, 0.5, -0.25], shares=True)
    error, shares, update = restated_step([1.0, -1.0, 0.5], b=-0.25)
    assert result.error[0] == pytest.approx(error, rel=1e-12)
    np.testing.assert_allclose(result.downhill[0], update, rtol=1e-12)
    np.testing.assert_allclose(result.shares[0], shares, rtol=1e-12, atol=1e-15)


def test_many_weight_vectors_at_once_give_each_its_own_update():
    net = article_net()
    frames = np.random.default_rng(3).uniform(-3, 3, size=(3, 7)).T  # frames × parameters, transposed (a view)
    together = update_from(net, frames, shares=True)
    for k in range(7):
        error, shares, update = restated_step(frames[k])
        assert together.error[k] == pytest.approx(error, rel=1e-12)
        np.testing.assert_allclose(together.downhill[k], update, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(together.shares[k], shares, rtol=1e-10, atol=1e-15)
        alone = update_from(net, frames[k].copy(), shares=True)  # and exactly what that vector gets alone
        assert np.array_equal(alone.downhill[0], together.downhill[k]) and alone.error[0] == together.error[k]


def test_each_rows_share_at_epoch_zero_is_the_issues():
    trace = article_net().trace_epoch(0)
    _, shares, update = restated_step([0.5, 0.5, 0.5])
    np.testing.assert_allclose(trace.updates[0].row_shares, shares, rtol=1e-12, atol=1e-15)
    w1 = [round(float(v), 6) + 0.0 for v in trace.updates[0].row_shares[:, 0]]
    assert w1 == [0, 0, 0, 0.088723, 0.027208, 0.052877]  # rows 1-3 have x1 = 0: they never move w1
    assert round(float(trace.updates[0].row_shares[:, 0].sum()), 6) == 0.168809
    np.testing.assert_allclose(trace.updates[0].row_shares.sum(axis=0), trace.updates[0].downhill, rtol=1e-12)
    np.testing.assert_allclose(trace.updates[0].downhill, update, rtol=1e-12)


def test_a_hidden_layers_shares_add_up_to_its_update_layer_by_layer():
    xor = PRESETS["xor"]
    net = NeuralNetwork(xor.inputs, xor.outputs, Settings(hidden=(3,), bias=True, init="random", seed=4))
    (w1, b1), (w2, b2) = net.architecture.split(net.params)
    x, y = np.array(xor.inputs, float), np.array(xor.outputs, float)
    # The chain rule restated: forward, then each layer's delta; row r adds a_r ⊗ delta_r to a layer's weights.
    a1 = sigmoid(x @ w1 + b1)
    y_hat = sigmoid(a1 @ w2 + b2)
    d2 = (y - y_hat) * y_hat * (1 - y_hat)
    d1 = (d2 @ w2.T) * a1 * (1 - a1)
    expected = np.hstack([(x[:, :, None] * d1[:, None, :]).reshape(len(x), -1), d1,
                          (a1[:, :, None] * d2[:, None, :]).reshape(len(x), -1), d2])
    shares = update_from(net, net.params, shares=True).shares[0]
    np.testing.assert_allclose(shares, expected, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(net.trace_epoch(0).updates[0].row_shares, expected, rtol=1e-10, atol=1e-15)


def test_equal_starting_weights_make_hidden_units_identical_forever():
    xor = PRESETS["xor"]
    twins = NeuralNetwork(xor.inputs, xor.outputs, Settings(hidden=(4,), bias=True, init=0.5))
    assert symmetric_units(twins) == ((0, 1, 2, 3),)
    twins.train(2000)
    assert symmetric_units(twins) == ((0, 1, 2, 3),)  # still twins after training
    twins.set_parameter(0, 2.0)  # a weight set by hand into unit 1 breaks its tie with the others
    assert symmetric_units(twins) == ((1, 2, 3),)
    apart = NeuralNetwork(xor.inputs, xor.outputs, Settings(hidden=(4,), bias=True, init="random", seed=1))
    assert symmetric_units(apart) == () and symmetric_units(article_net()) == ()


def kinds(net):
    return [c.kind for c in diagnose(net)]


def test_the_diagnosis_is_read_from_the_network():
    article = article_net()
    (cause,) = diagnose(article)
    assert cause.kind == "zero_rows" and cause.rows == (2,) and cause.value == pytest.approx(0.5 / 6)
    assert kinds(article_net(bias=True)) == []  # separable, and the zero row has a bias to learn with
    xor = PRESETS["xor"]
    assert kinds(NeuralNetwork(xor.inputs, xor.outputs)) == ["zero_rows", "not_separable"]
    (cut,) = diagnose(NeuralNetwork(xor.inputs, xor.outputs, Settings(bias=True)))
    assert cut.kind == "not_separable"
    mixed = np.array(xor.inputs, float)[list(cut.rows)]
    assert len(set(np.array(xor.outputs)[list(cut.rows), 0])) == 2 and len(mixed) >= 2  # the rows that prove it
    assert kinds(NeuralNetwork(xor.inputs, xor.outputs, Settings(bias=True, hidden=(4,), init="random", seed=1))) == []
    assert kinds(NeuralNetwork(xor.inputs, xor.outputs, Settings(bias=True, hidden=(4,), init=0.5))) == ["symmetric"]


def test_an_all_zero_row_is_a_cause_only_when_its_target_is_not_one_half():
    rows = [[0, 0, 0, 0.5], [1, 0, 0, 1], [0, 1, 0, 0]]
    assert kinds(NeuralNetwork(TrainingSet.from_rows(rows))) == []  # ŷ = 0.5 is exactly its target
    (cause,) = diagnose(NeuralNetwork(TrainingSet.from_rows([*rows, [0, 0, 0, 1]])))
    assert cause.kind == "zero_rows" and cause.rows == (3,) and cause.value == pytest.approx(0.5 / 4)


def test_a_learning_rate_too_large_is_diagnosed_as_saturation_after_training():
    fast = article_net(learning_rate=1000)
    assert kinds(fast) == ["zero_rows"]  # nothing wrong yet: it is a fact about the run, not the rate
    fast.train(100)
    assert kinds(fast) == ["saturated", "zero_rows"] and diagnose(fast)[0].rows == (4,)


def test_a_run_stopped_at_the_weight_limit_is_diagnosed_as_such():
    data = TrainingSet.from_rows([[100, -100, 0, 1]] * 10)
    net = NeuralNetwork(data, settings=Settings(learning_rate=10_000))
    net.train(10)
    assert not net.diverged and diagnose(net)[0].kind == "weight_limit" and diagnose(net)[0].value == 10_000


def test_the_race_is_backprop_from_the_learners_start():
    net = article_net()
    start = (1.0, -1.0, 0.5)
    result = race(net, start, epochs=3000)
    weights, history = article_loop(3000, weights=[[1.0], [-1.0], [0.5]])
    np.testing.assert_array_equal(result.errors[:-1], history)  # the article's loop, bit for bit
    np.testing.assert_array_equal(result.path[-1], weights.ravel())
    np.testing.assert_array_equal(result.path[0], start)
    assert len(result.path) <= 402  # only a thinned path is kept
    learner = 0.2
    caught = result.caught_up(learner)
    assert history[caught] <= learner < history[caught - 1]
    assert result.caught_up(0.0) is None


def test_the_error_surface_is_the_error_of_each_grid_point():
    net = article_net()
    hand = np.array([1.0, -1.0, 0.5])
    window = surface(net, hand, 0, 1, [hand[:2], hand[:2] + 0.2])
    i, j = 7, 30
    error, _, _ = restated_step([window.grid_a[j], window.grid_b[i], 0.5])
    assert window.error[i, j] == pytest.approx(error, rel=1e-12)
    assert window.grid_a[0] < 1.0 < window.grid_a[-1] and window.grid_b[0] < -1.0 < window.grid_b[-1]
