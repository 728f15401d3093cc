"""Bounded memory, exact rewinding to any past epoch, and runs rebuilt from their record."""

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork, Settings
from nn_core.history import Downsampled

ARTICLE = PRESETS["article"]
XOR = PRESETS["xor"]
HIDDEN = Settings(hidden=(4,), init="random", seed=5, bias=True)


def test_a_million_epochs_fit_in_ten_megabytes():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.train(1_000_000)
    assert nn.epoch == 1_000_000
    assert nn.history.nbytes() <= 10 * 2**20
    assert len(nn.error_history) <= 32_768 and nn.epoch_list[-1] < 1_000_000
    # the error history stays paired with epoch_list and exact at the epochs it lists
    fresh = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    fresh.train(int(nn.epoch_list[1000]))
    assert fresh.current_loss() == nn.error_history[1000]
    assert nn.train(10) == 0  # a run ends at 1,000,000 epochs


def test_hidden_network_memory_is_bounded_too():
    nn = NeuralNetwork(XOR.inputs, XOR.outputs, Settings(hidden=(16,), bias=True, init="random", seed=1))
    nn.train(200_000)
    assert nn.history.nbytes() <= 10 * 2**20


@pytest.mark.parametrize("settings", [Settings(), HIDDEN, Settings(batch="online", seed=4)])
def test_weights_at_any_past_epoch_are_exact(settings):
    data = XOR if settings.hidden else ARTICLE
    nn = NeuralNetwork(data.inputs, data.outputs, settings)
    nn.train(70_000 if settings.batch == "full" else 9_000)  # past the point where the samples thin out
    for epoch in (0, 1, 2047, 4097, 8_191, 8_999, nn.epoch):
        replay = NeuralNetwork(data.inputs, data.outputs, settings)
        replay.train(epoch)
        assert np.array_equal(nn.params_at(epoch), replay.params), epoch


def test_changes_mid_run_are_replayed_exactly():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.train(1000)
    nn.learning_rate = 0.25
    nn.train(3000)
    nn.set_parameter(1, -2.0)
    nn.learning_rate = 2.0
    nn.train(500)
    by_hand = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    by_hand.train(1000)
    by_hand.learning_rate = 0.25
    by_hand.train(2500)
    assert np.array_equal(nn.params_at(3500), by_hand.params)
    by_hand.train(500)
    expected = by_hand.params.copy()
    expected[1] = -2.0
    assert np.array_equal(nn.params_at(4000), expected)  # the weight set by hand, at its epoch
    assert nn.rate_at(3999) == 0.25 and nn.rate_at(4000) == 2.0
    rebuilt = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    rebuilt.replay(nn.epoch, nn.events)
    assert rebuilt.epoch == 4500 and np.array_equal(rebuilt.params, nn.params)
    assert np.array_equal(rebuilt.error_history, nn.error_history)


def test_a_change_at_the_same_epoch_replaces_the_first():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.learning_rate = 0.3
    nn.learning_rate = 0.7
    assert len(nn.events) == 1 and nn.events[0].value == 0.7


def test_reset_clears_the_run():
    nn = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    nn.train(100)
    nn.learning_rate = 2.0
    nn.reset()
    assert nn.epoch == 0 and nn.weights.ravel().tolist() == [0.5] * 3 and len(nn.error_history) == 0
    assert nn.learning_rate == 1.0 and nn.events == []


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


def test_going_back_keeps_the_history_the_run_had_there():
    """Stop takes a run back to the epoch on screen: its history is then exactly that of the run that went no
    further, the last, partly filled bucket's range included, with a change made inside that bucket (the range
    is worked out from the run as it stood at the bucket's start, changes and all)."""
    article = PRESETS["article"]

    def run(to):
        net = NeuralNetwork(article.inputs, article.outputs)
        net.train(69_001)  # past 65,536 epochs: a bucket holds 4 epochs
        net.learning_rate = 3.0
        net.train(to - 69_001)
        return net

    went_back, went_no_further = run(69_100), run(69_003)
    went_back.truncate(69_003)
    assert went_back.history.losses.width == 4 and 69_003 % 4
    back, no_further = went_back.history.losses, went_no_further.history.losses
    for series in ("values", "lows", "highs"):
        assert np.array_equal(getattr(back, series), getattr(no_further, series))
    assert np.array_equal(went_back.state, went_no_further.state) and went_back.events == went_no_further.events
