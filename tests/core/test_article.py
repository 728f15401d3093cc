"""The article's network, number for number."""

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork

ARTICLE = PRESETS["article"]


def article_loop(epochs=25000):
    """A plain re-statement of the article's code (the gist), the reference for everything here."""
    inputs = np.array(ARTICLE.inputs)
    outputs = np.array(ARTICLE.outputs)
    weights = np.array([[0.50], [0.50], [0.50]])
    error_history = []

    def sigmoid(x, deriv=False):
        if deriv:
            return x * (1 - x)
        return 1 / (1 + np.exp(-x))

    for _ in range(epochs):
        hidden = sigmoid(np.dot(inputs, weights))
        error = outputs - hidden
        delta = error * sigmoid(hidden, deriv=True)
        weights += np.dot(inputs.T, delta)
        error_history.append(np.average(np.abs(error)))
    return weights, np.array(error_history)


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


def test_the_article_methods_by_hand_equal_train():
    by_hand = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    for _ in range(500):
        by_hand.feed_forward()
        by_hand.backpropagation()
    fast = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    fast.train(500)
    assert by_hand.epoch == fast.epoch == 500
    assert np.array_equal(by_hand.params, fast.params)
    assert np.array_equal(by_hand.error_history, fast.error_history)


def test_defaults_are_the_articles():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    assert nn.weights.ravel().tolist() == [0.5, 0.5, 0.5]
    assert nn.learning_rate == 1.0 and not nn.architecture.bias and nn.architecture.hidden == ()
    assert nn.sigmoid(0.0) == 0.5 and nn.sigmoid(0.5, deriv=True) == 0.25


def test_trace_of_epoch_zero_matches_the_articles_figures():
    trace = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs).trace_epoch(0)
    (layer,) = trace.layers
    assert layer.z[0, 0] == pytest.approx(0.5)  # Σxᵢwᵢ of [0, 1, 0]
    assert layer.outputs[0, 0] == pytest.approx(0.622459, abs=1e-6)
    assert layer.slope[0, 0] == pytest.approx(0.622459 * (1 - 0.622459), abs=1e-6)
    np.testing.assert_allclose(layer.gradient.ravel(), [0.168809, -0.262807, -0.06365], atol=1e-6)
    np.testing.assert_allclose(layer.new_weights.ravel(), [0.668809, 0.237193, 0.43635], atol=1e-6)
    np.testing.assert_allclose(layer.delta, layer.blame * layer.slope)


def test_trace_agrees_with_training_at_any_epoch(trained):
    for epoch in (0, 1, 777, 24999):
        trace = trained.trace_epoch(epoch)
        np.testing.assert_array_equal(trace.layers[0].new_weights.ravel(), trained.params_at(epoch + 1))


def test_the_plateau_without_bias_is_half_over_six():
    """[0, 0, 0] always predicts σ(0) = 0.5 without a bias, so mean |error| ≥ 0.5/6 forever."""
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.train(200_000)
    assert nn.predict([[0, 0, 0]])[0, 0] == 0.5
    assert nn.error_history.min() > 0.5 / 6
    assert nn.current_loss() - 0.5 / 6 < 0.002  # creeping down to the floor, never through it
    with_bias = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs, bias=True)
    with_bias.train(25000)
    assert with_bias.current_loss() < 0.01
