"""What the presets teach, the one stop rule, sweeps that agree with single networks, and online training."""

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork, Settings, TrainingSet, train_many
from nn_core.analysis import saturated_rows
from nn_core.network import row_order
from nn_core.separability import linear_separability
from nn_core.stops import first_stops

from .reference import mlp_loop

ARTICLE, XOR = PRESETS["article"], PRESETS["xor"]
# The documented XOR settings (README, guided lesson 4): one hidden layer of 4 sigmoid units, bias, seed 1.
XOR_SETTINGS = Settings(hidden=(4,), bias=True, init="random", seed=1)


def test_a_single_layer_cannot_learn_xor():
    nn = NeuralNetwork(XOR.inputs, XOR.outputs, Settings(bias=True))
    nn.train(25000)
    assert nn.current_loss() > 0.45
    assert ((nn.predict(XOR.inputs) > 0.5) != np.array(XOR.outputs).astype(bool)).any()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_one_hidden_layer_learns_xor(activation):
    nn = NeuralNetwork(XOR.inputs, XOR.outputs, Settings(**{**XOR_SETTINGS.__dict__, "activation": activation}))
    nn.train(25000)
    assert nn.current_loss() < 0.05
    np.testing.assert_array_equal(nn.predict(XOR.inputs).round(), XOR.outputs)


def test_symmetric_start_cannot_break_symmetry():
    """All hidden weights 0.5: every hidden unit computes the same thing forever (why the app starts random)."""
    nn = NeuralNetwork(XOR.inputs, XOR.outputs, Settings(hidden=(4,), bias=True))
    nn.train(5000)
    first_layer = nn.weights[0]
    assert np.allclose(first_layer, first_layer[:, :1])


def test_learning_rate_1000_is_a_fixed_point_not_a_divergence():
    """Issue 11: the weights are finite and constant after one update; only [1, 1, 1] is predicted wrong."""
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs, Settings(learning_rate=1000))
    ran = nn.train(25000)
    assert nn.stop.kind == "fixed_point" and nn.stop.epoch == 1 and ran == nn.epoch == 2
    assert np.isfinite(nn.params).all() and not nn.diverged
    assert np.array_equal(nn.params_at(1), nn.params)  # the update of epoch 1 changed nothing
    assert nn.train(10) == 0  # training on at the same rate provably changes nothing
    assert saturated_rows(nn).rows == (4,)  # [1, 1, 1] → 1, predicted 0 where the sigmoid is flat
    nn.learning_rate = 0.5  # a change may move it again
    assert nn.stop is None


BLOW_UP = (TrainingSet([[100, 100, 100]] * 10 + [[-100, 50, 0]], [[1]] * 10 + [[0]]),
           Settings(learning_rate=1e4, init=0.0))  # one update moves each weight by about 1.25 million


def test_a_weight_past_the_limit_stops_training_with_the_true_numbers():
    """Issue 23, finding 4: the update that takes a weight past ±1,000,000 is real arithmetic, so it is applied and
    the run stops there, called what it is (the safety limit), never "diverged"."""
    data, settings = BLOW_UP
    nn = NeuralNetwork(data, settings=settings)
    with np.errstate(all="raise"):
        nn.train(1000)
    assert nn.stop.kind == "weight_limit" and nn.stop.epoch == 0 and nn.epoch == 1 and not nn.diverged
    downhill = data.inputs.T @ (0.125 * np.where(data.outputs == 1, 1, -1))  # ŷ = 0.5 everywhere at w = 0
    np.testing.assert_array_equal(nn.params, 1e4 * downhill.ravel())
    assert nn.train(5) == 0


def test_the_issues_weight_limit_run_ends_with_every_row_right():
    """Issue 23, finding 4's run: 10 rows [100, −100, 0] → 1 at learning rate 10,000."""
    nn = NeuralNetwork(TrainingSet.from_rows([[100, -100, 0, 1]] * 10), settings=Settings(learning_rate=10_000))
    nn.train(10)
    assert (nn.stop.kind, nn.stop.epoch, nn.epoch) == ("weight_limit", 0, 1)
    assert nn.current_loss() == 0.0 and np.abs(nn.params).max() == 1.25e6 + 0.5


def test_the_stop_rule_never_applies_an_update_that_is_not_finite():
    """A network's state that stops being finite (no run within the app's limits gets there: the weight limit comes
    first) stops at its last finite state; a fixed point and the weight limit keep their update."""
    start = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    states = np.stack([start, [[np.inf, 1.0], [2e6, 1.0], [0.0, 1.0]], [[np.nan, 1.0], [3e6, 1.0], [0.0, 1.0]]])
    kept, found = first_stops(states, 1, np.array([10, 20, 30]), np.array([1.0, 2.0, 3.0]))
    assert kept.tolist() == [0, 1, 1]
    assert [(f.kind, f.epoch, f.learning_rate) for f in found] == [("diverged", 10, 1.0), ("weight_limit", 20, 2.0),
                                                                    ("fixed_point", 30, 3.0)]


@pytest.mark.parametrize("rows,settings,at,expected", [
    # Issue 11: runs the old "stuck" rule stopped, which recover when trained on.
    (XOR.rows(), Settings(bias=True, learning_rate=30), 2000, 0.2533),
    ([[1, 1, 0, 1], [1, 0, 1, 1], [0, 1, 1, 0], [1, 1, 1, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 1]],
     Settings(bias=True, init="random", seed=97, learning_rate=157.7), 500, 1.5e-5),
])
def test_runs_that_recover_are_not_stopped(rows, settings, at, expected):
    nn = NeuralNetwork(TrainingSet.from_rows(rows), settings=settings)
    nn.train(at)
    assert nn.stop is None and nn.epoch == at and nn.current_loss() < expected


def test_run_until_stops_at_the_first_epoch_below_the_target():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.train(100_000, until=("mae", 0.1))
    assert nn.current_loss() < 0.1 <= nn.trace_epoch(0).mean_abs_error
    previous = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    previous.train(nn.epoch - 1)
    assert previous.current_loss() >= 0.1


@pytest.mark.parametrize("name", list(PRESETS))
def test_separability_of_the_presets(name):
    data = PRESETS[name]
    expected_with_bias = name not in ("xor", "parity")
    assert linear_separability(data.inputs, data.outputs, bias=True).separable == expected_with_bias
    no_bias = linear_separability(data.inputs, data.outputs, bias=False)
    assert list(no_bias.stuck_rows) == [i for i, r in enumerate(data.inputs) if not any(r)]


def test_separability_witness_and_certificate_are_real():
    rng = np.random.default_rng(4)
    for _ in range(40):
        x = rng.integers(0, 2, (8, 3)).astype(float)
        y = rng.integers(0, 2, 8)
        result = linear_separability(x, y, bias=True)
        xa = np.hstack([x, np.ones((8, 1))])
        sign = np.where(y >= 0.5, 1, -1)
        if result.separable:
            assert ((xa @ np.array(result.witness)) * sign > 0).all()
        else:  # a single layer trained long and hard still misclassifies something
            nn = NeuralNetwork(x, y[:, None], Settings(bias=True, learning_rate=2))
            nn.train(20000)
            assert ((nn.predict(x).ravel() > 0.5) != (y > 0.5)).any()


@pytest.mark.parametrize("base", [Settings(), XOR_SETTINGS, Settings(batch="online", seed=3, bias=True)])
def test_a_sweep_gives_each_network_exactly_what_it_would_get_alone(base):
    data = TrainingSet.from_rows(XOR.rows() if base.hidden else ARTICLE.rows())
    sweep = [Settings(**{**base.__dict__, "learning_rate": r}) for r in (0.1, 1.0, 3.0, 1000.0)]
    batch = train_many(data, sweep, 1500)
    for i, settings in enumerate(sweep):
        nn = NeuralNetwork(data, settings=settings)
        nn.train(1500)
        # Bit for bit: each network's arithmetic is its own, alone or in a batch. A network that stopped by itself
        # ends where the sweep's copy ends.
        assert np.array_equal(batch.weights[i], nn.params) and batch.final_error[i] == nn.current_loss()
        e = batch.errors.epochs[batch.errors.epochs < nn.epoch]
        assert np.array_equal(batch.errors.values[: len(e), i], nn.error_history[e])
        assert batch.stops[i] == nn.stop


def test_a_network_in_a_sweep_stops_where_it_would_alone():
    data, blow_up = BLOW_UP
    settings = [Settings(learning_rate=0.01, init=0.0), blow_up]
    batch = train_many(data, settings, 500)
    for i, network in enumerate(settings):
        alone = NeuralNetwork(data, settings=network)
        alone.train(500)
        assert batch.stops[i] == alone.stop and np.array_equal(batch.weights[i], alone.params)
        assert batch.final_error[i] == alone.current_loss()
    # the slow one saturates at once (σ(381) is 1.0 exactly): a fixed point after its second update
    assert [(s.kind, s.epoch) for s in batch.stops] == [("fixed_point", 1), ("weight_limit", 0)]
    epochs, values = batch.errors.epochs, batch.errors.values  # the curves end where the networks stopped
    assert np.isfinite(values[epochs <= 2, 0]).all() and np.isnan(values[epochs > 2, 0]).all()
    assert np.isfinite(values[epochs <= 1, 1]).all() and np.isnan(values[epochs > 1, 1]).all()


def test_a_sweep_keeps_only_what_its_charts_draw():
    settings = [Settings(learning_rate=r) for r in np.geomspace(0.01, 100, 200)]
    batch = train_many(TrainingSet(ARTICLE.inputs, ARTICLE.outputs), settings, 100_000)
    assert batch.errors.count <= 256 and batch.errors.nbytes() <= 2 * 2**20


def test_online_training_is_one_update_per_row_in_a_seeded_order():
    data = TrainingSet(ARTICLE.inputs, ARTICLE.outputs)
    nn = NeuralNetwork(data, settings=Settings(batch="online", seed=11))
    nn.train(50)
    orders = row_order(11, 0, 50, 6)
    assert not all(np.array_equal(orders[0], o) for o in orders[1:])  # a fresh shuffle each epoch
    w = np.full((3, 1), 0.5)
    for order in orders:  # an independent online loop, one row at a time
        for r in order:
            (w,), _ = mlp_loop(data.inputs[r : r + 1], data.outputs[r : r + 1], [w], [None], "sigmoid", 1, 1.0)
    assert np.array_equal(nn.weights, w)
    assert np.array_equal(row_order(11, 37, 5, 6), orders[37:42])  # any epoch's order, on its own
