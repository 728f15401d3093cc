"""The article's network, number for number."""

import numpy as np
import pytest

from nn_core import NeuralNetwork, Settings, TrainingSet
from nn_core.analysis import error_floor

from .reference import ARTICLE, article_loop


@pytest.fixture(scope="module")
def trained():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.train()
    return nn


def test_the_articles_printed_predictions(trained):
    assert trained.predict(np.array([[1, 1, 0]]))[0, 0] == pytest.approx(0.99089925, abs=1e-8)
    assert trained.predict(np.array([[0, 1, 1]]))[0, 0] == pytest.approx(0.006409, abs=1e-8)
    assert trained.predict([[1, 1, 0]]).shape == (1, 1)


def test_the_articles_weights_and_last_error(trained):
    np.testing.assert_allclose(trained.weights.ravel(), [10.08826006, -5.39800417, 0.35438179], atol=1e-8)
    assert trained.weights.shape == (3, 1)
    assert trained.error_history[-1] == pytest.approx(0.0862313, abs=1e-7)
    assert len(trained.error_history) == len(trained.epoch_list) == 25000
    assert list(trained.epoch_list[:3]) == [0, 1, 2] and trained.epoch == 25000


def test_bit_for_bit_the_same_as_the_articles_loop(trained):
    weights, error_history = article_loop()
    assert np.array_equal(trained.weights, weights)
    assert np.array_equal(trained.error_history, error_history)


@pytest.mark.parametrize("rate", [0.5, 3.0])
def test_bit_for_bit_at_other_learning_rates_and_data(rate):
    rows = [[1, 1, 0, 1], [0, 0, 1, 0], [1, 0, 1, 1], [0, 1, 1, 0], [0.5, 2, -1, 1]]
    data = TrainingSet.from_rows(rows)
    nn = NeuralNetwork(data, settings=Settings(learning_rate=rate))
    nn.train(3000)
    weights, errors = article_loop(3000, data.inputs, data.outputs, rate=rate)
    assert np.array_equal(nn.weights, weights) and np.array_equal(nn.error_history, errors)


def test_defaults_are_the_articles():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    assert nn.weights.ravel().tolist() == [0.5, 0.5, 0.5]
    assert nn.learning_rate == 1.0 and not nn.architecture.bias and nn.architecture.hidden == ()


def test_trace_of_epoch_zero_matches_the_articles_figures():
    trace = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs).trace_epoch(0)
    (layer,) = trace.layers
    assert layer.z[0, 0] == 0.5  # Σxᵢwᵢ of [0, 1, 0]
    assert layer.outputs[0, 0] == pytest.approx(0.622459, abs=1e-6)
    assert layer.slope[0, 0] == pytest.approx(0.622459 * (1 - 0.622459), abs=1e-6)
    np.testing.assert_allclose(layer.downhill.ravel(), [0.168809, -0.262807, -0.06365], atol=1e-6)
    np.testing.assert_allclose(layer.new_weights.ravel(), [0.668809, 0.237193, 0.43635], atol=1e-6)
    np.testing.assert_array_equal(layer.delta, layer.blame * layer.slope)


def test_trace_agrees_with_training_at_any_epoch(trained):
    for epoch in (0, 1, 777, 24999):
        trace = trained.trace_epoch(epoch)
        np.testing.assert_array_equal(trace.new_params, trained.params_at(epoch + 1))


def test_the_floor_without_bias_is_computed_and_never_crossed():
    """[0, 0, 0] predicts σ(0) = 0.5 whatever the weights: the mean |error| can never go below 0.5/6."""
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    floor = error_floor(nn, "mae")
    assert floor == 0.5 / 6
    nn.train(200_000)
    assert nn.predict([[0, 0, 0]])[0, 0] == 0.5
    assert nn.error_history.min() >= floor and nn.history.losses.lows[:, 0].min() >= floor
    assert nn.current_loss() - floor < 0.002  # it creeps down towards the floor
    assert error_floor(nn, "mse") == pytest.approx(0.25 / 6) and error_floor(nn, "cross_entropy") > 0
