"""What the presets teach: XOR needs a hidden layer; too large a learning rate diverges; separability."""

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork, TrainingSet, train_many
from nn_core.separability import linear_separability

XOR = PRESETS["xor"]
# The documented XOR settings (README, guided scenario 4): one hidden layer of 4 sigmoid units, bias, seed 1.
XOR_SETTINGS = dict(hidden=(4,), activation="sigmoid", bias=True, init="random", seed=1)


def test_a_single_layer_cannot_learn_xor():
    nn = NeuralNetwork(XOR.inputs, XOR.outputs, bias=True)
    nn.train(25000)
    assert nn.current_loss() > 0.45
    predicted = nn.predict(XOR.inputs) > 0.5
    assert (predicted.ravel() != np.array(XOR.outputs).ravel().astype(bool)).any()


def test_one_hidden_layer_learns_xor():
    nn = NeuralNetwork(XOR.inputs, XOR.outputs, **XOR_SETTINGS)
    nn.train(25000)
    assert nn.current_loss() < 0.05
    np.testing.assert_array_equal(nn.predict(XOR.inputs).round(), XOR.outputs)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_other_hidden_activations_learn_xor(activation):
    nn = NeuralNetwork(XOR.inputs, XOR.outputs, **{**XOR_SETTINGS, "activation": activation})
    nn.train(25000)
    assert nn.current_loss() < 0.05


def test_symmetric_start_cannot_break_symmetry():
    """All hidden weights 0.5: every hidden unit computes the same thing forever (why the app starts random)."""
    nn = NeuralNetwork(XOR.inputs, XOR.outputs, hidden=(4,), bias=True, init=0.5)
    nn.train(5000)
    first_layer = nn.weights[0]
    assert np.allclose(first_layer, first_layer[:, :1])


@pytest.mark.parametrize("preset,settings", [("article", {}), ("xor", XOR_SETTINGS)])
def test_learning_rate_1000_diverges_with_the_epoch(preset, settings):
    data = PRESETS[preset]
    nn = NeuralNetwork(data.inputs, data.outputs, learning_rate=1000, **settings)
    ran = nn.train(25000)
    assert nn.diverged and ran < 25000 and nn.epoch == ran
    assert 0 <= nn.divergence.epoch <= nn.epoch and "epoch" in nn.divergence.reason
    assert np.isfinite(nn.params).all() and np.isfinite(nn.error_history).all()
    assert nn.train(10) == 0  # refuses to go on at the same rate


def test_explosion_is_caught_before_overflow():
    data = TrainingSet([[100, -100, 100], [-100, 100, 0]], [[1], [0]])
    nn = NeuralNetwork(data, hidden=(8,), activation="relu", learning_rate=1e4, init="random", seed=0)
    with np.errstate(all="raise"):
        nn.train(1000)
    assert nn.diverged and np.isfinite(nn.params).all()


def test_a_healthy_large_rate_that_recovers_is_not_called_diverged():
    data = PRESETS["article"]
    nn = NeuralNetwork(data.inputs, data.outputs, learning_rate=100, bias=True)
    nn.train(25000)
    assert not nn.diverged and nn.current_loss() < 0.01


def test_run_until_stops_at_the_first_epoch_below_the_target():
    data = PRESETS["article"]
    nn = NeuralNetwork(data.inputs, data.outputs)
    nn.run_until(0.1, 100_000)
    assert nn.current_loss() < 0.1 <= NeuralNetwork(data.inputs, data.outputs).trace_epoch(0).mean_abs_error
    previous = NeuralNetwork(data.inputs, data.outputs)
    previous.train(nn.epoch - 1)
    assert previous.current_loss() >= 0.1


@pytest.mark.parametrize("name", list(PRESETS))
def test_separability_of_the_presets(name):
    data = PRESETS[name]
    expected_with_bias = name not in ("xor", "parity")
    assert linear_separability(data.inputs, data.outputs, bias=True).separable == expected_with_bias
    no_bias = linear_separability(data.inputs, data.outputs, bias=False)
    zero_rows = [i for i, r in enumerate(data.inputs) if not any(r)]
    assert list(no_bias.stuck_rows) == zero_rows


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
            nn = NeuralNetwork(x, y[:, None], bias=True, learning_rate=2)
            nn.train(20000)
            assert ((nn.predict(x).ravel() > 0.5) != (y > 0.5)).any()


def test_train_many_matches_separate_networks():
    data = PRESETS["article"]
    rates = [0.1, 1.0, 3.0]
    batch = train_many(data.inputs, data.outputs, learning_rates=rates, epochs=2000)
    assert batch.weights.shape == (3, 3) and batch.error_history.shape == (3, 2000)
    for i, rate in enumerate(rates):
        nn = NeuralNetwork(data.inputs, data.outputs, learning_rate=rate)
        nn.train(2000)
        np.testing.assert_allclose(batch.weights[i], nn.params, rtol=1e-12)
        np.testing.assert_allclose(batch.error_history[i], nn.error_history, rtol=1e-12)


def test_train_many_initialisation_sweep_with_hidden_layers():
    batch = train_many(XOR.inputs, XOR.outputs, learning_rates=1.0, seeds=[1, 2, 3], epochs=3000,
                       **{k: v for k, v in XOR_SETTINGS.items() if k != "seed"})
    for i, seed in enumerate([1, 2, 3]):
        nn = NeuralNetwork(XOR.inputs, XOR.outputs, **{**XOR_SETTINGS, "seed": seed})
        nn.train(3000)
        np.testing.assert_allclose(batch.weights[i], nn.params, rtol=1e-6, atol=1e-9)


def test_train_many_flags_divergence_instead_of_silent_nan():
    data = TrainingSet([[100, -100, 100], [-100, 100, 0]], [[1], [0]])
    batch = train_many(data, learning_rates=[1.0, 1e4], epochs=500)
    assert batch.diverged_at[0] == -1 and batch.diverged_at[1] >= 0
    assert np.isfinite(batch.error_history[0]).all()
    assert np.isnan(batch.error_history[1, batch.diverged_at[1] + 1 :]).all()


def test_layer_outputs_are_the_forward_pass_layer_by_layer():
    xor = PRESETS["xor"]
    nn = NeuralNetwork(xor.inputs, xor.outputs, hidden=(4,), bias=True, activation="tanh", init="random", seed=3)
    nn.train(500)
    x, hidden, y_hat = nn.layer_outputs_for(xor.inputs)
    n = len(xor.inputs)
    assert x.shape == (n, 3) and hidden.shape == (n, 4) and y_hat.shape == (n, 1)
    assert np.all(np.abs(hidden) < 1)  # tanh units
    np.testing.assert_array_equal(y_hat, nn.predict(xor.inputs))
    past = nn.params_at(100)
    np.testing.assert_allclose(nn.layer_outputs_for(xor.inputs, past)[-1], nn.predictions_for(past), rtol=1e-12)
