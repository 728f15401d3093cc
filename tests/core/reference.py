"""Independent restatements used as references by the core tests (never nn_core's own code)."""

import numpy as np

from nn_core import PRESETS

ARTICLE = PRESETS["article"]


class ArticlesProgram:
    """The article's program restated in this project's own words: a class whose ``run`` loops over the epochs,
    calling a forward pass and a backward pass each time and appending the epoch's mean |error| to a Python list.
    It makes the article's floating-point operations in the article's order (the matrix product, 1 / (1 + e^(−z)),
    y − ŷ, ŷ·(1 − ŷ), Xᵀ·delta, w += …), so it gives the article's numbers bit for bit: a reference independent of
    nn_core for the tests, and the speed baseline of benchmarks/bench_core.py."""

    def __init__(self, inputs=None, outputs=None, weights=None, rate=1.0):
        self.x = np.array(ARTICLE.inputs if inputs is None else inputs, dtype=float)
        self.y = np.array(ARTICLE.outputs if outputs is None else outputs, dtype=float)
        self.w = np.full((self.x.shape[1], 1), 0.5) if weights is None else np.array(weights, dtype=float)
        self.rate = rate
        self.losses = []

    @staticmethod
    def squash(z):
        return 1 / (1 + np.exp(-z))

    def forward(self):
        self.guess = self.squash(np.dot(self.x, self.w))

    def backward(self):
        self.miss = self.y - self.guess
        change = np.dot(self.x.T, self.miss * (self.guess * (1 - self.guess)))
        self.w += change if self.rate == 1.0 else self.rate * change

    def run(self, epochs=25_000):
        for _ in range(epochs):
            self.forward()
            self.backward()
            self.losses.append(np.average(np.abs(self.miss)))
        return self.w, np.array(self.losses)


def article_loop(epochs=25000, inputs=None, outputs=None, weights=None, rate=1.0):
    """The article's weights after ``epochs`` epochs and its error history (ArticlesProgram)."""
    return ArticlesProgram(inputs, outputs, weights, rate).run(epochs)


def mlp_loop(x, y, weights, biases, activation, epochs, rate):
    """A plain, independent MLP trained by full-batch backpropagation (list of matrices, no nn_core)."""
    act = {"sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda a: a * (1 - a)),
           "tanh": (np.tanh, lambda a: 1 - a * a),
           "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(float))}
    weights = [w.copy() for w in weights]
    biases = [None if b is None else b.copy() for b in biases]
    names = [activation] * (len(weights) - 1) + ["sigmoid"]
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            outs = [x]
            for w, b, n in zip(weights, biases, names):
                z = outs[-1] @ w + (0 if b is None else b)
                outs.append(act[n][0](z))
            blame = y - outs[-1]
            for k in reversed(range(len(weights))):
                delta = blame * act[names[k]][1](outs[k + 1])
                blame = delta @ weights[k].T
                weights[k] += rate * outs[k].T @ delta
                if biases[k] is not None:
                    biases[k] += rate * delta.sum(axis=0)
    return weights, biases
