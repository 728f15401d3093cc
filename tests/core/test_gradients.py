"""Backpropagation is gradient descent: each update equals −(the numerical gradient of ½Σ(y − ŷ)²), for every
layer type; and the engine agrees with an independent plain re-implementation."""

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork, Settings
from nn_core.architecture import Architecture
from nn_core.network import Layers, backpropagation, feed_forward, predict

from .reference import mlp_loop

XOR = PRESETS["xor"]
# Inputs off 0 and 1 keep every ReLU away from its kink at exactly z = 0, where no derivative exists.
X = np.array(XOR.inputs, dtype=float) * 0.9 + 0.05
Y = np.array(XOR.outputs, dtype=float)


def half_sse(arch, params):
    return 0.5 * float(((Y - predict(arch, params, X)[0]) ** 2).sum())


def numerical_gradient(f, params, h=1e-6):
    grad = np.empty_like(params)
    for i in range(params.size):
        up, down = params.copy(), params.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (2 * h)
    return grad


def downhill_of(arch, params):
    layers = Layers(arch, params[None].copy(), len(X))
    feed_forward(layers, X)
    return backpropagation(layers, X, Y)[0].copy()


LAYER_TYPES = [((), "sigmoid")] + [(h, a) for h in [(4,), (3, 2)] for a in ("sigmoid", "tanh", "relu")]


@pytest.mark.parametrize("hidden,activation", LAYER_TYPES)
@pytest.mark.parametrize("bias", [False, True])
def test_downhill_is_the_negative_gradient(hidden, activation, bias):
    arch = Architecture(3, 1, hidden, bias, activation)
    params = np.random.default_rng(7).uniform(-1, 1, arch.n_params)
    expected = -numerical_gradient(lambda p: half_sse(arch, p), params)
    np.testing.assert_allclose(downhill_of(arch, params), expected, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("hidden,activation", LAYER_TYPES[1:])
def test_many_networks_at_once_each_get_their_own_downhill_bit_for_bit(hidden, activation):
    arch = Architecture(3, 1, hidden, True, activation)
    stack = np.random.default_rng(3).uniform(-1, 1, (5, arch.n_params))
    layers = Layers(arch, stack, len(X))
    feed_forward(layers, X)
    downhill = backpropagation(layers, X, Y)
    for i in range(5):
        np.testing.assert_array_equal(downhill[i], downhill_of(arch, stack[i].copy()))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_a_hidden_network_follows_an_independent_implementation(activation):
    settings = Settings(hidden=(4,), activation=activation, bias=True, init="random", seed=3, learning_rate=0.5)
    nn = NeuralNetwork(X, Y, settings)
    start = [(w.copy(), b.copy()) for w, b in nn.architecture.split(nn.params.copy())]
    nn.train(300)
    weights, biases = mlp_loop(X, Y, [w for w, _ in start], [b for _, b in start], activation, 300, 0.5)
    ours = nn.architecture.split(nn.params)
    for (w, b), w_ref, b_ref in zip(ours, weights, biases):
        np.testing.assert_allclose(w, w_ref, rtol=1e-9, atol=1e-12)  # only the summation order differs
        np.testing.assert_allclose(b, b_ref, rtol=1e-9, atol=1e-12)
