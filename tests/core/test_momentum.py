"""Momentum (issue 22's optimiser): each update checked against the rule restated here, v ← μ·v + g (g the
article's Xᵀ·delta), w ← w + η·v, bit for bit; a momentum of 0 is the article's gradient descent; the velocity is
part of the state, so rewinding, replaying and links give the same run."""

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork, Scenario, Settings, TrainingSet, train_many
from nn_core.optimisers import GradientDescent, Momentum

ARTICLE, XOR = PRESETS["article"], PRESETS["xor"]


def restated(epochs, mu, rate, x=ARTICLE.inputs, y=ARTICLE.outputs):
    """The rule in plain numpy, the article's operations for g."""
    x, y = np.array(x, float), np.array(y, float)
    w, v = np.full((x.shape[1], 1), 0.5), np.zeros((x.shape[1], 1))
    for _ in range(epochs):
        y_hat = 1 / (1 + np.exp(-np.dot(x, w)))
        g = np.dot(x.T, (y - y_hat) * (y_hat * (1 - y_hat)))
        v = mu * v + g
        w += rate * v
    return w.ravel(), v.ravel()


@pytest.mark.parametrize("mu,rate", [(0.9, 1.0), (0.5, 0.3), (0.99, 2.0)])
def test_each_update_is_the_rule_bit_for_bit(mu, rate):
    net = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs, Settings(momentum=mu, learning_rate=rate))
    net.train(3000)
    w, v = restated(3000, mu, rate)
    assert np.array_equal(net.params, w) and np.array_equal(net.state[0, 3:], v)
    assert isinstance(net.optimiser, Momentum) and repr(net.optimiser) == f"Momentum({rate!r}, momentum={mu!r})"


def test_a_momentum_of_0_is_the_articles_gradient_descent():
    net = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs, Settings(momentum=0.0))
    net.train(25_000)
    assert type(net.optimiser) is GradientDescent and net.state.shape == (1, 3)  # no velocity kept
    assert net.predict([[1, 1, 0]])[0, 0] == pytest.approx(0.99089925, abs=5e-9)


def test_momentum_changes_the_path():
    plain, rolling = (NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs, Settings(momentum=m)) for m in (0.0, 0.9))
    plain.train(2000)
    rolling.train(2000)
    assert rolling.current_loss() < plain.current_loss()  # it keeps rolling where the slope is gentle


def test_rewinding_and_replaying_carry_the_velocity():
    settings = Settings(hidden=(3,), bias=True, init="random", seed=2, momentum=0.8, learning_rate=0.7)
    net = NeuralNetwork(XOR.inputs, XOR.outputs, settings)
    net.train(5000)
    net.learning_rate = 1.5  # a change mid-run: the velocity goes on under the new rate
    net.train(40_000)
    for epoch in (0, 1, 2047, 4999, 5000, 17_777, net.epoch):
        alone = NeuralNetwork(XOR.inputs, XOR.outputs, settings)
        alone.replay(epoch, [e for e in net.events if e.epoch <= epoch])
        assert np.array_equal(net.state_at(epoch), alone.state[0]), epoch
    reopened = Scenario(data=net.data, preset=None, settings=net.settings).with_run_of(net)
    again = Scenario.from_link(reopened.to_link()).network()
    assert again.settings.momentum == 0.8 and np.array_equal(again.state, net.state)


def test_a_sweep_with_momentum_gives_each_network_its_own_run():
    data = TrainingSet(XOR.inputs, XOR.outputs)
    sweep = [Settings(hidden=(4,), bias=True, init="random", seed=s, momentum=0.9, learning_rate=r)
             for s, r in ((1, 0.1), (2, 0.5), (3, 2.0))]
    batch = train_many(data, sweep, 1500)
    for i, s in enumerate(sweep):
        alone = NeuralNetwork(data, settings=s)
        alone.train(1500)
        assert np.array_equal(batch.weights[i], alone.params) and batch.stops[i] == alone.stop


@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5, float("nan"), "0.5", True])
def test_a_momentum_out_of_range_is_refused_by_name(value):
    with pytest.raises(ValueError, match="momentum"):
        Settings(momentum=value)
