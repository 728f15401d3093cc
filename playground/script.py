"""A standalone numpy script that reproduces the learner's run: the article's code, with their settings."""

from __future__ import annotations

import numpy as np

from nn_core import NeuralNetwork


def _array(a: np.ndarray) -> str:
    return "np.array(" + repr(np.asarray(a).tolist()) + ")"


def reproduction_script(net: NeuralNetwork) -> str:
    arch = net.architecture
    layers = arch.split(net.initial_params)
    weights = ",\n    ".join(_array(w) for w, _ in layers)
    biases = ",\n    ".join(_array(b) if b is not None else "None" for _, b in layers)
    activations = [arch.activation_of(k) for k in range(len(layers))]
    schedule = [(e, r) for e, r in net.history.learning_rates if e <= net.epoch]
    exactness = ("bit for bit" if not arch.hidden else
                 "to rounding (about 1e-12: the app sums in a different order for speed)")
    return f'''"""Backprop Playground run, reproduced with numpy only.

Network: {" → ".join(str(s) for s in arch.sizes)}, bias {"on" if arch.bias else "off"},
hidden activation {arch.activation}, trained for {net.epoch:,} epochs.
Running this script gives the app's final weights {exactness}.
"""

import numpy as np

inputs = {_array(net.inputs)}
outputs = {_array(net.outputs)}

# Starting weights (one matrix per layer: inputs × outputs) and biases (None: no bias).
weights = [
    {weights},
]
biases = [
    {biases},
]
activations = {activations!r}
# (epoch, learning rate) each time the rate changed.
learning_rates = {schedule!r}
EPOCHS = {net.epoch}


def activate(name, x):
    if name == "sigmoid":
        with np.errstate(over="ignore"):
            return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    return np.maximum(x, 0.0)


def slope(name, a):
    """The activation's derivative, from its output a (the article's sigmoid(x, deriv=True))."""
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - a * a
    return (a > 0).astype(float)


def feed_forward(x):
    outs = [x]
    for w, b, name in zip(weights, biases, activations):
        z = np.dot(outs[-1], w)
        if b is not None:
            z = z + b
        outs.append(activate(name, z))
    return outs


rate = learning_rates[0][1]
changes = dict(learning_rates)
error_history = []
for epoch in range(EPOCHS):
    rate = changes.get(epoch, rate)
    outs = feed_forward(inputs)
    error = outputs - outs[-1]
    error_history.append(np.average(np.abs(error)))
    blame = error
    for k in reversed(range(len(weights))):
        delta = blame * slope(activations[k], outs[k + 1])
        blame = np.dot(delta, weights[k].T)
        weights[k] += rate * np.dot(outs[k].T, delta)
        if biases[k] is not None:
            biases[k] += rate * delta.sum(axis=0)

np.set_printoptions(precision=17)
for k, w in enumerate(weights, start=1):
    print(f"layer {{k}} weights:", w.ravel().tolist())
    if biases[k - 1] is not None:
        print(f"layer {{k}} bias:", biases[k - 1].tolist())
if error_history:
    print("last error:", error_history[-1])
print("predict([1, 1, 0]):", feed_forward(np.array([[1, 1, 0]]))[-1].ravel().tolist())
'''
