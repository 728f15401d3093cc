"""Core speed and memory, measured side by side in one run against a plain re-statement of the article's loop.

    .venv/bin/python benchmarks/bench_core.py

Reports ratios (the machines are shared and noisy: each timing is the best of several repeats, and the
article's loop is timed in the same run). Not a test: nothing here asserts a time.
"""

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nn_core import PRESETS, NeuralNetwork, train_many

ARTICLE = PRESETS["article"]


class ArticleNetwork:
    """The article's class, as published (the gist), for timing."""

    def __init__(self, inputs, outputs):
        self.inputs = inputs
        self.outputs = outputs
        self.weights = np.array([[0.50], [0.50], [0.50]])
        self.error_history = []
        self.epoch_list = []

    def sigmoid(self, x, deriv=False):
        if deriv:
            return x * (1 - x)
        return 1 / (1 + np.exp(-x))

    def feed_forward(self):
        self.hidden = self.sigmoid(np.dot(self.inputs, self.weights))

    def backpropagation(self):
        self.error = self.outputs - self.hidden
        delta = self.error * self.sigmoid(self.hidden, deriv=True)
        self.weights += np.dot(self.inputs.T, delta)

    def train(self, epochs=25000):
        for epoch in range(epochs):
            self.feed_forward()
            self.backpropagation()
            self.error_history.append(np.average(np.abs(self.error)))
            self.epoch_list.append(epoch)


def best_of(repeats, fn):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main(repeats: int = 7) -> None:
    x, y = np.array(ARTICLE.inputs), np.array(ARTICLE.outputs)

    def article():
        nn = ArticleNetwork(x, y)
        nn.train(25000)
        return nn

    def ours():
        nn = NeuralNetwork(x, y)
        nn.train(25000)
        return nn

    # Interleave the two so that machine noise hits both alike.
    t_article, t_ours = [], []
    for _ in range(repeats):
        t_article.append(best_of(1, article)[0])
        t_ours.append(best_of(1, ours)[0])
    a, o = article(), ours()
    identical = np.array_equal(a.weights, o.weights) and np.array_equal(np.array(a.error_history), o.error_history)
    ta, to = min(t_article), min(t_ours)
    print(f"single network, 25,000 epochs: article loop {ta * 1e3:.1f} ms ({25000 / ta:,.0f} epochs/s), "
          f"nn_core {to * 1e3:.1f} ms ({25000 / to:,.0f} epochs/s): {ta / to:.2f}x, identical numbers: {identical}")

    n_nets, epochs = 1000, 2000
    rates = np.linspace(0.01, 10, n_nets)
    tb, batch = best_of(3, lambda: train_many(x, y, learning_rates=rates, epochs=epochs))
    per_article = ta / 25000
    per_batch = tb / (n_nets * epochs)
    print(f"batched, {n_nets:,} networks x {epochs:,} epochs: {tb:.2f} s ({1 / per_batch:,.0f} network-epochs/s) "
          f"vs the article's {1 / per_article:,.0f} epochs/s: {per_article / per_batch:.0f}x")
    assert np.allclose(batch.weights[np.argmin(abs(rates - 1.0))], 0, atol=20)  # sanity, not a timing

    tracemalloc.start()
    nn = NeuralNetwork(x, y)
    t1 = time.perf_counter()
    nn.train(1_000_000)
    t1 = time.perf_counter() - t1
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"1,000,000 epochs: {t1:.1f} s; history {nn.history.nbytes() / 2**20:.2f} MB; "
          f"memory held after {current / 2**20:.2f} MB, peak while training {peak / 2**20:.2f} MB")
    xor = PRESETS["xor"]
    hidden = NeuralNetwork(xor.inputs, xor.outputs, hidden=(16,), bias=True, init="random", seed=1)
    hidden.train(1_000_000)
    print(f"1,000,000 epochs, hidden layer of 16: history {hidden.history.nbytes() / 2**20:.2f} MB")


if __name__ == "__main__":
    main()
