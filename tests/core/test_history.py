"""Bounded memory, and exact rewinding to any past epoch."""

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork
from nn_core.history import Downsampled

ARTICLE = PRESETS["article"]


def test_a_million_epochs_fit_in_ten_megabytes():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.train(1_000_000)
    assert nn.epoch == 1_000_000
    assert nn.history.nbytes() <= 10 * 2**20
    assert len(nn.error_history) <= 32_768 and nn.epoch_list[-1] < 1_000_000
    # error_history stays paired with epoch_list and exact at the epochs it lists
    fresh = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    fresh.train(int(nn.epoch_list[1000]))
    assert fresh.current_loss() == nn.error_history[1000]


def test_hidden_network_memory_is_bounded_too():
    xor = PRESETS["xor"]
    nn = NeuralNetwork(xor.inputs, xor.outputs, hidden=(16,), bias=True, init="random", seed=1)
    nn.train(200_000)
    assert nn.history.nbytes() <= 10 * 2**20


@pytest.mark.parametrize("hidden", [(), (4,)])
def test_weights_at_any_past_epoch_are_exact(hidden):
    xor = PRESETS["xor"] if hidden else ARTICLE
    kwargs = dict(hidden=hidden, init="random", seed=5, bias=True) if hidden else {}
    nn = NeuralNetwork(xor.inputs, xor.outputs, **kwargs)
    nn.train(70_000)  # past the point where the samples thin out
    for epoch in (0, 1, 2047, 4097, 33_333, 69_999, 70_000):
        replay = NeuralNetwork(xor.inputs, xor.outputs, **kwargs)
        replay.train(epoch)
        assert np.array_equal(nn.params_at(epoch), replay.params), epoch
        past = nn.weights_at(epoch)
        for a, b in zip(past if hidden else [past], replay.weights if hidden else [replay.weights]):
            assert np.array_equal(a, b) and a.shape == b.shape


def test_learning_rate_changes_are_replayed_exactly():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.train(1000)
    nn.learning_rate = 0.25
    nn.train(3000)
    nn.learning_rate = 2.0
    nn.train(500)
    replay = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    replay.train(1000)
    replay.learning_rate = 0.25
    replay.train(2500)
    assert np.array_equal(nn.params_at(3500), replay.params)
    assert nn.trace_epoch(3999).learning_rate == 0.25 and nn.trace_epoch(4000).learning_rate == 2.0


def test_reset_snapshot_restore():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.train(100)
    snap = nn.snapshot()
    nn.train(100)
    after_200 = nn.params.copy()
    nn.restore(snap)
    assert nn.epoch == 100 and len(nn.error_history) == 100
    nn.train(100)
    assert np.array_equal(nn.params, after_200)
    nn.reset()
    assert nn.epoch == 0 and nn.weights.ravel().tolist() == [0.5] * 3 and len(nn.error_history) == 0


def test_downsampled_keeps_exact_starts_and_the_envelope():
    series = Downsampled(1, capacity=8)
    values = np.sin(np.arange(100) * 0.7)
    for chunk in np.array_split(values, 7):  # uneven chunks
        series.append(chunk[:, None])
    assert series.count <= 8 and series.total == 100
    for k, epoch in enumerate(series.epochs):
        width = series.width
        assert series.values[k, 0] == values[epoch]
        assert series.lows[k, 0] == values[epoch : epoch + width].min()
        assert series.highs[k, 0] == values[epoch : epoch + width].max()
