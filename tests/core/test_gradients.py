"""Backpropagation is gradient descent: every update equals −learning_rate × the numerical gradient of ½Σ(y − ŷ)²."""

import numpy as np
import pytest

from nn_core import LOSSES, PRESETS, NeuralNetwork
from nn_core.losses import slope_wrt_z

XOR = PRESETS["xor"]


def half_sse(nn, params):
    y_hat = nn.predictions_for(params)
    return 0.5 * float(((nn.outputs - y_hat) ** 2).sum())


def numerical_gradient(f, params, h=1e-6):
    grad = np.empty_like(params)
    for i in range(params.size):
        up, down = params.copy(), params.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (2 * h)
    return grad


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("hidden", [(), (4,), (3, 2)])
@pytest.mark.parametrize("bias", [False, True])
def test_update_is_the_negative_gradient(activation, hidden, bias):
    if not hidden and activation != "sigmoid":
        pytest.skip("without hidden layers the activation setting is unused")
    # Inputs off 0 and 1 keep every ReLU away from its kink at exactly z = 0, where no derivative exists.
    inputs = np.array(XOR.inputs) * 0.9 + 0.05
    nn = NeuralNetwork(inputs, XOR.outputs, hidden=hidden, activation=activation, bias=bias, init="random",
                       seed=7, learning_rate=0.3)
    nn.train(5)  # away from the symmetric start
    before = nn.params.copy()
    nn.feed_forward()
    nn.backpropagation()
    update = nn.params - before
    expected = -0.3 * numerical_gradient(lambda p: half_sse(nn, p), before)
    np.testing.assert_allclose(update, expected, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_loss_slopes_shown_to_learners_match_finite_differences(loss):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 6).astype(float)
    z = rng.normal(0, 2, 6)

    def total(zz):
        return float(LOSSES[loss](y, 1 / (1 + np.exp(-zz))))

    np.testing.assert_allclose(slope_wrt_z(loss, y, 1 / (1 + np.exp(-z))), numerical_gradient(total, z),
                               rtol=1e-5, atol=1e-9)


def test_hidden_layer_kernel_matches_the_readable_methods():
    a = NeuralNetwork(XOR.inputs, XOR.outputs, hidden=(4, 3), activation="tanh", bias=True, init="random", seed=3)
    b = NeuralNetwork(XOR.inputs, XOR.outputs, hidden=(4, 3), activation="tanh", bias=True, init="random", seed=3)
    a.train(300)
    for _ in range(300):
        b.feed_forward()
        b.backpropagation()
    # Different summation orders (einsum vs dot) leave only rounding-level differences.
    np.testing.assert_allclose(a.params, b.params, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.error_history, b.error_history, rtol=1e-9, atol=1e-12)
