"""Independent restatements used as references by the core tests (never nn_core's own code)."""

import numpy as np

from nn_core import PRESETS

ARTICLE = PRESETS["article"]


def article_loop(epochs=25000, inputs=None, outputs=None, weights=None, rate=1.0):
    """The article's code (the gist), as published, with an optional learning rate."""
    inputs = np.array(ARTICLE.inputs if inputs is None else inputs, dtype=float)
    outputs = np.array(ARTICLE.outputs if outputs is None else outputs, dtype=float)
    weights = np.array([[0.50], [0.50], [0.50]]) if weights is None else np.array(weights, dtype=float)
    error_history = []

    def sigmoid(x, deriv=False):
        if deriv:
            return x * (1 - x)
        return 1 / (1 + np.exp(-x))

    for _ in range(epochs):
        hidden = sigmoid(np.dot(inputs, weights))
        error = outputs - hidden
        delta = error * sigmoid(hidden, deriv=True)
        step = np.dot(inputs.T, delta)
        weights += step if rate == 1.0 else rate * step
        error_history.append(np.average(np.abs(error)))
    return weights, np.array(error_history)


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
