"""What one call into the engine may cost is bounded by the table's size and the network's shape (issue 15): a sweep's
work limit counts rows and parameters, and networks train a group at a time so one pass over a large table stays
small; each network still follows the path it follows alone."""

import tracemalloc

import numpy as np
import pytest

from nn_core import PRESETS, InputError, NeuralNetwork, Settings, TrainingSet, train_many
from nn_core.batch import MAX_WORK
from nn_core.datasets import MAX_ROWS
from nn_core.history import Downsampled

ARTICLE = TrainingSet(PRESETS["article"].inputs, PRESETS["article"].outputs)
BIG = TrainingSet.from_rows([[i % 2, i // 2 % 2, i // 4 % 2, i % 3 / 2] for i in range(MAX_ROWS)])
HIDDEN = Settings(hidden=(16,), bias=True, init="random", seed=3)


def test_the_article_with_a_bias_still_sweeps_200_networks_for_100_000_epochs():
    arch = Settings(bias=True).architecture(3)
    assert 200 * 100_000 * arch.epoch_work(len(ARTICLE.inputs)) <= MAX_WORK


def test_a_sweep_too_costly_for_its_table_is_refused_with_the_most_it_may_run():
    settings = [Settings(**{**HIDDEN.__dict__, "seed": k}) for k in range(1, 201)]
    with pytest.raises(InputError, match=r"at most 121 epochs with 200 networks"):
        train_many(BIG, settings, 100_000)


def test_networks_train_a_group_at_a_time_and_each_follows_its_own_path():
    settings = [Settings(**{**HIDDEN.__dict__, "seed": k, "learning_rate": r}) for k, r in ((1, 0.5), (2, 2.0))] * 10
    tracemalloc.start()
    batch = train_many(BIG, settings, 3)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 40 * 2**20, peak  # all 20 networks' passes at once would hold 150 MB
    for i in (0, 1, 19):
        alone = NeuralNetwork(BIG, settings=settings[i])
        alone.train(3)
        np.testing.assert_allclose(batch.weights[i], alone.params, rtol=1e-9, atol=1e-12)
        kept = alone.epoch  # (a network that stopped by itself kept fewer epochs; the sweep's copy stands still)
        np.testing.assert_allclose(batch.errors.values[:kept, i], alone.error_history[:kept], rtol=1e-9)


def test_series_appended_alike_join_side_by_side():
    rows = np.arange(2000, dtype=float).reshape(-1, 2)
    whole, left, right = Downsampled(2, 16), Downsampled(1, 16), Downsampled(1, 16)
    for part in np.array_split(rows, 7):
        whole.append(part)
        left.append(part[:, :1])
        right.append(part[:, 1:])
    joined = Downsampled.side_by_side([left, right])
    assert np.array_equal(joined.epochs, whole.epochs)
    for name in ("values", "lows", "highs"):
        assert np.array_equal(getattr(joined, name), getattr(whole, name))
    with pytest.raises(ValueError):
        Downsampled.side_by_side([left, Downsampled(1, 16)])
