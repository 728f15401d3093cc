"""Fast training loops. They compute exactly what ``NeuralNetwork.feed_forward`` and ``backpropagation``
compute, in the same floating-point order (tests check this bit for bit), only with fewer Python-level steps.

Each returns the predictions of every epoch and the parameters after every epoch, so the caller can record
history and find the exact epoch where training diverged, without the loop having to check anything.
They run under ``np.errstate(all="ignore")``: a diverging run may overflow, and the caller detects that from
the returned parameters instead of letting numpy warn.
"""

from __future__ import annotations

import numpy as np

from .architecture import Architecture


def train_single_layer(x, y, params, arch: Architecture, learning_rate: float, epochs: int):
    """The article's loop for a network with no hidden layer, updating ``params`` (flat) in place.

    Returns (predictions: epochs × rows × outputs, params_after: (epochs + 1) × P, row 0 = the start).
    """
    rows, n_in = x.shape
    n_out = arch.n_outputs
    n_w = n_in * n_out
    w = params[:n_w].reshape(n_in, n_out)
    b = params[n_w:] if arch.bias else None

    predictions = np.empty((epochs, rows, n_out))
    steps = np.empty((epochs, params.size))  # each epoch's update, later summed up into the weights
    weight_steps = steps[:, :n_w].reshape(epochs, n_in, n_out)
    bias_steps = steps[:, n_w:]
    start = params.copy()

    # −X·w = (−X)·w exactly (IEEE rounding is symmetric), which saves negating z every epoch.
    neg_x, x_t = -x, x.T
    one = np.ones((rows, n_out))
    t, err, d = np.empty((rows, n_out)), np.empty((rows, n_out)), np.empty((rows, n_out))
    dot, exp, add, sub, mul, div = np.dot, np.exp, np.add, np.subtract, np.multiply, np.divide
    scale = learning_rate != 1.0
    with np.errstate(all="ignore"):
        # Iterating over the buffers hands out each epoch's rows as ready-made views (cheaper than indexing).
        for y_hat, step, weight_step, bias_step in zip(predictions, steps, weight_steps, bias_steps):
            dot(neg_x, w, t)  # −z = −X·w
            if b is not None:
                sub(t, b, t)  # −z = −(X·w + b)
            exp(t, t)
            add(one, t, t)
            div(one, t, y_hat)  # ŷ = 1 / (1 + e^(−z))
            sub(y, y_hat, err)  # error = y − ŷ
            sub(one, y_hat, d)
            mul(y_hat, d, d)  # ŷ·(1 − ŷ)
            mul(err, d, d)  # delta = error · ŷ(1 − ŷ)
            dot(x_t, d, weight_step)  # Xᵀ·delta
            if b is not None:
                d.sum(axis=0, out=bias_step)
            if scale:
                mul(step, learning_rate, step)
            add(params, step, params)  # w += learning_rate · Xᵀ·delta

        # The same additions, in the same order, as the loop did: params after every epoch.
        history = np.empty((epochs + 1, params.size))
        history[0] = start
        history[1:] = steps
        np.add.accumulate(history, axis=0, out=history)
    return predictions, history


def _activate_in_place(name: str, z, out):
    """out = activation(z); z may be overwritten."""
    if name == "sigmoid":  # 1 / (1 + e^(−z)), in place
        np.negative(z, z)
        np.exp(z, z)
        np.add(1.0, z, z)
        np.divide(1.0, z, out)
    elif name == "tanh":
        np.tanh(z, out)
    else:
        np.maximum(z, 0.0, out=out)


def _slope_in_place(name: str, a, out):
    """out = activation'(·) from the activation's output a, e.g. a(1 − a) for the sigmoid."""
    if name == "sigmoid":
        np.subtract(1.0, a, out)
        np.multiply(a, out, out)
    elif name == "tanh":
        np.multiply(a, a, out)
        np.subtract(1.0, out, out)
    else:
        np.greater(a, 0.0, out=out, casting="unsafe")


def _column_views(arch: Architecture, params_t):
    """(weights inputs × outputs × networks, bias outputs × networks or None) per layer of params_t (P × networks)."""
    n = params_t.shape[1]
    views, at = [], 0
    for i, o in arch.layer_shapes:
        w = params_t[at : at + i * o].reshape(i, o, n)
        at += i * o
        b = None
        if arch.bias:
            b = params_t[at : at + o]
            at += o
        views.append((w, b))
    return views


def train_layered(x, y, params, arch: Architecture, learning_rate, epochs: int, mode: str = "network"):
    """Any architecture, for a stack of networks at once: ``params`` is (networks × P), updated in place.

    ``learning_rate`` is a number or one rate per network. Inside, the network index is the last axis of
    every array (rows × units × networks), so that every numpy call loops over all networks at once, the
    first layer of every network is a single matrix product with the shared X, and every array is allocated
    once, before the loop.
    mode="network" (what a NeuralNetwork records) returns (predictions: epochs × rows × outputs × networks,
    params after every epoch: (epochs + 1) × networks × P).
    mode="sweep" (what train_many records, far less memory) returns (the article's mean |error|: epochs ×
    networks, the largest |parameter| of each network after every epoch: epochs × networks).
    """
    n_nets = params.shape[0]
    rows, n_in = x.shape
    params_t = np.ascontiguousarray(params.T)  # P × networks
    layers = _column_views(arch, params_t)
    names = [arch.activation_of(k) for k in range(len(layers))]
    rates = np.broadcast_to(np.asarray(learning_rate, dtype=float), (n_nets,)).copy()
    x_t = x.T
    targets = np.ascontiguousarray(np.broadcast_to(y[:, :, None], (rows, arch.n_outputs, n_nets)))
    sweep = mode == "sweep"
    predictions = np.empty((1 if sweep else epochs, rows, arch.n_outputs, n_nets))

    def buffers():
        return [np.empty((rows, o, n_nets)) for o in arch.sizes[1:]]

    outs, z, delta, blame = [x] + buffers(), buffers(), buffers(), buffers()
    gradient = [np.empty((i, o, n_nets)) for i, o in arch.layer_shapes]
    bias_g = [np.empty((o, n_nets)) for o in arch.sizes[1:]]
    if sweep:
        errors, sizes = np.empty((epochs, n_nets)), np.empty((epochs, n_nets))
        magnitude, abs_error = np.empty_like(params_t), np.empty((rows * arch.n_outputs, n_nets))
    else:
        recorded = np.empty((epochs + 1, n_nets, params.shape[1]))
        recorded[0] = params
    last = len(layers) - 1
    with np.errstate(all="ignore"):
        for e in range(epochs):
            outs[-1] = predictions[0 if sweep else e]  # the output layer writes straight into the record
            for k, ((w, b), name) in enumerate(zip(layers, names)):
                if k == 0:  # X is shared: one product for all networks
                    np.dot(x, w.reshape(n_in, -1), z[0].reshape(rows, -1))
                else:
                    np.einsum("rin,ion->ron", outs[k], w, out=z[k])
                if b is not None:
                    z[k] += b
                _activate_in_place(name, z[k], outs[k + 1])
            np.subtract(targets, outs[-1], blame[last])  # error = y − ŷ
            if sweep:
                np.abs(blame[last].reshape(-1, n_nets), abs_error)
                np.divide(abs_error.sum(axis=0), abs_error.shape[0], errors[e])
            for k in range(last, -1, -1):
                w, b = layers[k]
                _slope_in_place(names[k], outs[k + 1], delta[k])
                np.multiply(blame[k], delta[k], delta[k])  # delta = blame · slope
                if k:
                    np.einsum("ron,ion->rin", delta[k], w, out=blame[k - 1])  # blame passed down
                    np.einsum("rin,ron->ion", outs[k], delta[k], out=gradient[k])
                else:
                    np.dot(x_t, delta[0].reshape(rows, -1), gradient[0].reshape(n_in, -1))
                np.multiply(rates, gradient[k], gradient[k])
                w += gradient[k]
                if b is not None:
                    delta[k].sum(axis=0, out=bias_g[k])
                    np.multiply(rates, bias_g[k], bias_g[k])
                    b += bias_g[k]
            if sweep:
                np.abs(params_t, magnitude)
                magnitude.max(axis=0, out=sizes[e])
            else:
                recorded[e + 1] = params_t.T
    params[...] = params_t.T
    return (errors, sizes) if sweep else (predictions, recorded)
