"""The article's neural network — feed forward, backpropagation, train, predict — then generalised.

Read ``feed_forward`` and ``backpropagation`` first: they are the article's algorithm, layer by layer.
With the defaults (no hidden layer, no bias, weights 0.5, learning rate 1) they are the article's code:

    ŷ      = σ(X·w)
    error  = y − ŷ
    delta  = error · ŷ(1 − ŷ)
    w     += Xᵀ·delta

``train`` runs the same arithmetic through a faster loop (``kernels.py``, checked bit for bit against these
methods) and records the history in bounded memory (``history.py``), so any past epoch can be revisited.
"""

from __future__ import annotations

import copy
import math
import secrets
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .architecture import Architecture
from .datasets import TrainingSet
from .errors import InputError
from .history import History
from .kernels import train_layered, train_single_layer
from .losses import LOSS_NAMES, LOSSES

# Two ways a too-large learning rate ruins training, both reported as "diverged":
# - a weight beyond ±1000 (or inf/NaN): far past anything learning needs, and long before float64 overflows;
# - a prediction stuck on the wrong side at exactly-0-or-1 saturation (slope ŷ(1 − ŷ) < 1e-9) for 100 epochs
#   in a row: the update is proportional to that slope, so the network can no longer move it back.
#   (A healthy run may overshoot into saturation for a few epochs and recover; 100 epochs never happens then.)
DIVERGENCE_LIMIT = 1e3
SATURATED_SLOPE = 1e-9
STUCK_EPOCHS = 100
MAX_LEARNING_RATE = 1e4
MAX_EPOCHS_PER_CALL = 10_000_000


@dataclass(frozen=True)
class Divergence:
    """Training stopped because the update of ``epoch`` would have sent a weight past ±1000 or to inf/NaN."""

    epoch: int
    learning_rate: float
    reason: str


class Layer:
    """One layer: ``activation(inputs · weights + bias)``. Its arrays are views into the network's parameters."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray | None, activation: str):
        self.weights, self.bias, self.activation_name = weights, bias, activation
        self.activation = ACTIVATIONS[activation]

    def forward(self, a: np.ndarray) -> np.ndarray:
        z = np.dot(a, self.weights)
        if self.bias is not None:
            z = z + self.bias
        return self.activation(z)

    def __repr__(self) -> str:
        i, o = self.weights.shape
        return f"Layer({i}→{o}, {self.activation_name}{', bias' if self.bias is not None else ''})"


@dataclass(frozen=True)
class Snapshot:
    """Everything needed to put a network back exactly as it was (see ``NeuralNetwork.restore``)."""

    params: np.ndarray
    epoch: int
    learning_rate: float
    history: History
    divergence: Divergence | None
    stuck_run: int


class NeuralNetwork:
    """A network in the article's terms. ``NeuralNetwork(inputs, outputs)`` is the article's network exactly.

    inputs, outputs: the training matrix (rows × features) and targets (rows × 1, values in [0, 1]), or a
        ``TrainingSet`` as ``inputs`` with ``outputs=None``.
    learning_rate: the step size (the article's is 1).
    bias: add a bias to every layer (the article has none, which is why [0, 0, 0] is stuck at 0.5).
    hidden: sizes of hidden layers, e.g. (4,) for one hidden layer of 4 units.
    activation: the hidden layers' activation ("sigmoid", "tanh" or "relu"); the output is always a sigmoid.
    init: 0.5 (the article), any number, "random" (uniform in [−1, 1), from ``seed``), or explicit values:
        one per parameter in ``parameter_names()`` order, or one per weight (biases then start at 0).
    seed: for init="random"; if None a seed is drawn and kept in ``self.seed`` so the run can be repeated.
    """

    def __init__(self, inputs, outputs=None, *, learning_rate=1.0, bias=False, hidden=(), activation="sigmoid",
                 init=0.5, seed=None):
        data = inputs if isinstance(inputs, TrainingSet) else TrainingSet(inputs, outputs)
        self.data = data
        self.inputs, self.outputs = data.inputs, data.outputs
        self.architecture = Architecture(data.inputs.shape[1], data.outputs.shape[1], hidden, bias, activation)
        self.seed = _check_seed(seed) if seed is not None else (secrets.randbits(32) if init == "random" else None)
        self.init = init
        self.initial_params = initial_parameters(self.architecture, init, self.seed)
        self._learning_rate = check_learning_rate(learning_rate)
        self.reset()

    # -- the article's algorithm -----------------------------------------------------------------------
    def sigmoid(self, x, deriv=False):
        """The article's activation: σ(x), or with deriv=True the slope x·(1 − x) at an output x."""
        return ACTIVATIONS["sigmoid"](x, deriv)

    def feed_forward(self) -> np.ndarray:
        """Pass the inputs through every layer; the last layer's output is the prediction ŷ."""
        a = self.inputs
        self.layer_outputs = [a]
        for layer in self.layers:
            a = layer.forward(a)
            self.layer_outputs.append(a)
        self.hidden = a  # the article's name for ŷ
        return a

    def backpropagation(self) -> None:
        """Move every weight by its share of the error, from the output layer back to the first."""
        before = self.params.copy()
        self.error = self.outputs - self.hidden
        blame = self.error
        for layer, a_in, a_out in reversed(list(zip(self.layers, self.layer_outputs, self.layer_outputs[1:]))):
            delta = blame * layer.activation(a_out, deriv=True)
            blame = np.dot(delta, layer.weights.T)  # the error passed down to the layer below
            layer.weights += self.learning_rate * np.dot(a_in.T, delta)
            if layer.bias is not None:
                layer.bias += self.learning_rate * delta.sum(axis=0)
        self._commit(self.hidden[None], np.stack([before, self.params]))

    def train(self, epochs: int = 25000, progress=None) -> int:
        """Run ``epochs`` epochs of feed forward + backpropagation; returns how many ran.

        Fewer run only if training diverges (see ``divergence``). ``progress(done, total)`` is called
        between chunks of work, for progress bars.
        """
        return self._run(_check_epochs(epochs), stop_below=None, progress=progress)

    def run_until(self, error_below: float, max_epochs: int, loss: str = "mae", progress=None) -> int:
        """Train until the ``loss`` of the current weights is below ``error_below``, or ``max_epochs`` have run."""
        if not (isinstance(error_below, (int, float)) and 0 < error_below < math.inf):
            raise InputError("error_below must be a positive number")
        if self.current_loss(loss) < error_below:
            return 0
        return self._run(_check_epochs(max_epochs), stop_below=(LOSS_NAMES.index(_check_loss(loss)), error_below),
                         progress=progress)

    def predict(self, new_input) -> np.ndarray:
        """ŷ for new rows of features (one row or a table), with the current weights."""
        x = _check_query(new_input, self.architecture.n_inputs)
        a = x
        for layer in self.layers:
            a = layer.forward(a)
        return a

    # -- state --------------------------------------------------------------------------------------------
    @property
    def weights(self):
        """The article's weight column (features × 1) with no hidden layer; else a list of each layer's weights."""
        if len(self.layers) == 1:
            return self.layers[0].weights
        return [layer.weights for layer in self.layers]

    @property
    def biases(self):
        return [layer.bias for layer in self.layers] if self.architecture.bias else []

    @property
    def error_history(self) -> np.ndarray:
        """Mean |error| per epoch, as in the article; after 32,768 epochs one point per bucket (see epoch_list)."""
        return self.history.losses.values[:, 0]

    @property
    def epoch_list(self) -> np.ndarray:
        """The epoch of each entry of ``error_history``."""
        return self.history.losses.epochs

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self._learning_rate = check_learning_rate(value)
        self.history.set_learning_rate(self.epoch, self._learning_rate)

    @property
    def diverged(self) -> bool:
        return self.divergence is not None

    def parameter_names(self) -> list[str]:
        return self.architecture.parameter_names()

    def current_loss(self, loss: str = "mae") -> float:
        y_hat = self.predict(self.inputs)
        return float(LOSSES[_check_loss(loss)](self.outputs.ravel(), y_hat.ravel()))

    def reset(self) -> None:
        """Back to epoch 0 with the initial weights; the history is cleared."""
        self.params = self.initial_params.copy()
        self.layers = self._layers(self.params)
        self.epoch = 0
        self.divergence: Divergence | None = None
        self._stuck_run = 0  # epochs in a row with a prediction saturated on the wrong side
        self.history = History(len(LOSS_NAMES), self.architecture.n_params, self._learning_rate)
        self.history.params.append(self.params[None])
        self.hidden = self.error = None

    def snapshot(self) -> Snapshot:
        return Snapshot(self.params.copy(), self.epoch, self._learning_rate, copy.deepcopy(self.history),
                        self.divergence, self._stuck_run)

    def restore(self, snap: Snapshot) -> None:
        self.params = snap.params.copy()
        self.layers = self._layers(self.params)
        self.epoch, self._learning_rate, self.divergence = snap.epoch, snap.learning_rate, snap.divergence
        self._stuck_run = snap.stuck_run
        self.history = copy.deepcopy(snap.history)
        self.hidden = self.error = None

    # -- the past -------------------------------------------------------------------------------------------
    def params_at(self, epoch: int) -> np.ndarray:
        """The exact parameters after ``epoch`` epochs (0 ≤ epoch ≤ current), re-simulated from a stored sample."""
        if not isinstance(epoch, (int, np.integer)) or not 0 <= epoch <= self.epoch:
            raise InputError(f"epoch must be a whole number from 0 to {self.epoch}")
        if epoch == self.epoch:
            return self.params.copy()
        start, sample = self.history.params.latest_sample_at_or_before(int(epoch))
        params = sample.copy()
        for a, b, rate in self.history.rate_segments(start, int(epoch)):
            self._kernel(params, rate, b - a)
        return params

    def weight_samples(self) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, parameters): the stored samples, ending with the live weights at the current epoch."""
        samples = self.history.params
        if samples.epochs[-1] == self.epoch:
            return samples.epochs, samples.values
        return np.r_[samples.epochs, self.epoch], np.vstack([samples.values, self.params])

    def weights_at(self, epoch: int):
        """``weights`` as they were after ``epoch`` epochs."""
        views = [w for w, _ in self.architecture.split(self.params_at(epoch))]
        return views[0] if len(views) == 1 else views

    def layer_outputs_for(self, new_input, params: np.ndarray | None = None) -> list[np.ndarray]:
        """[x, a₁, …, ŷ]: what every layer outputs for ``new_input`` (current weights unless ``params``)."""
        outputs = [_check_query(new_input, self.architecture.n_inputs)]
        for layer in self._layers(self.params if params is None else np.asarray(params, dtype=float)):
            outputs.append(layer.forward(outputs[-1]))
        return outputs

    def predictions_for(self, params: np.ndarray, x=None) -> np.ndarray:
        """ŷ for ``x`` (default: the training inputs) under any parameter vector or stack of them (… × P)."""
        a = self.inputs if x is None else x
        with np.errstate(all="ignore"):
            for k, (w, b) in enumerate(self.architecture.split(np.asarray(params, dtype=float))):
                z = np.matmul(a, w)
                if b is not None:
                    z = z + b[..., None, :]
                a = ACTIVATIONS[self.architecture.activation_of(k)](z)
        return a

    def trace_epoch(self, epoch: int | None = None):
        """Every intermediate number of one epoch's update (see ``trace.py``)."""
        from .trace import trace_step

        epoch = self.epoch if epoch is None else epoch
        return trace_step(self.architecture, self.params_at(epoch), self.inputs, self.outputs,
                          self.history.learning_rate_at(epoch) if epoch < self.epoch else self.learning_rate, epoch)

    # -- machinery ---------------------------------------------------------------------------------------------
    def _layers(self, params: np.ndarray) -> list[Layer]:
        return [Layer(w, b, self.architecture.activation_of(k))
                for k, (w, b) in enumerate(self.architecture.split(params))]

    def _kernel(self, params: np.ndarray, rate: float, epochs: int):
        """Advance ``params`` in place by ``epochs`` epochs; returns (predictions, params after each epoch)."""
        if not self.architecture.hidden:
            return train_single_layer(self.inputs, self.outputs, params, self.architecture, rate, epochs)
        stacked = params[None]
        predictions, history = train_layered(self.inputs, self.outputs, stacked, self.architecture, rate, epochs)
        return predictions[..., 0], history[:, 0]

    def _chunk_size(self) -> int:
        per_epoch = self.outputs.size + self.architecture.n_params
        return int(min(4096, max(16, 2**20 // per_epoch)))

    def _run(self, epochs: int, stop_below, progress) -> int:
        if self.divergence is not None and self.divergence.learning_rate == self.learning_rate:
            return 0  # deterministic: the same update would diverge again
        done = 0
        while done < epochs:
            # After a divergence, try one epoch first: most likely it is refused again.
            n = min(1 if self.divergence else self._chunk_size(), epochs - done)
            predictions, params_after = self._kernel(self.params, self.learning_rate, n)
            ran = self._commit(predictions.reshape(n, -1), params_after, stop_below)
            done += ran
            if progress is not None:
                progress(done, epochs)
            if ran < n:
                break
        return done

    def _commit(self, predictions: np.ndarray, params_after: np.ndarray, stop_below=None) -> int:
        """Record the epochs of a chunk up to divergence or the target loss; returns how many were kept.

        predictions[i] were made by params_after[i]; the update of epoch i produced params_after[i + 1].
        """
        n = len(predictions)
        predictions = predictions.reshape(n, -1)
        y = self.outputs.ravel()
        divergence, keep = None, n
        with np.errstate(invalid="ignore"):
            size = np.abs(params_after[1:]).max(axis=1)
        insane = np.flatnonzero(~(size <= DIVERGENCE_LIMIT))  # the negation also catches NaN
        if insane.size:
            keep = int(insane[0])
            what = "to infinity" if not np.isfinite(size[keep]) else f"beyond ±{DIVERGENCE_LIMIT:g}"
            divergence = Divergence(self.epoch + keep, self.learning_rate,
                                    f"the update at epoch {self.epoch + keep:,} would send a weight {what}")
        p = predictions[:keep]
        stuck = ((np.abs(y - p) > 0.5) & (p * (1 - p) < SATURATED_SLOPE)).any(axis=1)
        hit, run = _first_long_run(stuck, self._stuck_run, STUCK_EPOCHS)
        if hit is not None:
            keep, run = hit, STUCK_EPOCHS
            start = self.epoch + hit + 1 - STUCK_EPOCHS
            divergence = Divergence(start, self.learning_rate,
                                    f"since epoch {start:,} a prediction has been stuck at 0 or 1 on the wrong side,"
                                    " where the sigmoid is flat, so the updates can no longer move it back")
        losses = np.stack([LOSSES[name](y, predictions[:keep]) for name in LOSS_NAMES], axis=1)
        if stop_below is not None and keep:
            index, threshold = stop_below
            # The loss of the weights after update i: losses[i + 1], or computed for the last one.
            after = np.append(losses[1:, index], self._loss_of(params_after[keep], index))
            hit = np.flatnonzero(after < threshold)
            if hit.size:
                keep, divergence = int(hit[0]) + 1, None
                losses = losses[:keep]
                run = 0
        if keep or divergence:
            self.divergence = divergence
        self._stuck_run = run
        self.params[:] = params_after[keep]
        self.history.losses.append(losses)
        self.history.params.append(params_after[1 : keep + 1])
        self.epoch += keep
        return keep

    def _loss_of(self, params: np.ndarray, index: int) -> float:
        y_hat = self.predictions_for(params).ravel()
        return float(LOSSES[LOSS_NAMES[index]](self.outputs.ravel(), y_hat))

    def __repr__(self) -> str:
        a = self.architecture
        return (f"NeuralNetwork(sizes={a.sizes}, bias={a.bias}, activation={a.activation!r}, "
                f"learning_rate={self.learning_rate}, epoch={self.epoch})")


def _first_long_run(flags: np.ndarray, run_before: int, length: int) -> tuple[int | None, int]:
    """Index at which a run of True (continuing ``run_before`` from earlier) first reaches ``length``, and the
    run length at the end (None and that length if it never does)."""
    n = len(flags)
    if n == 0:
        return (0 if run_before >= length else None), run_before
    at = np.arange(n)
    last_false = np.maximum.accumulate(np.where(flags, -1, at))
    run = np.where(last_false >= 0, at - last_false, at + 1 + run_before)
    if run_before >= length:
        return 0, run_before
    hit = np.flatnonzero(run >= length)
    return (int(hit[0]) if hit.size else None), int(run[-1])


def initial_parameters(arch: Architecture, init, seed) -> np.ndarray:
    """The starting parameter vector for ``init`` (see NeuralNetwork)."""
    params = np.zeros(arch.n_params)
    weight_slots = np.zeros(arch.n_params, dtype=bool)
    for w, _ in arch.split(np.arange(arch.n_params)):
        weight_slots[w.ravel()] = True
    if isinstance(init, str):
        if init != "random":
            raise InputError(f"init must be a number, 'random' or a list of values, got {init!r}")
        rng = np.random.default_rng(seed)
        params[weight_slots] = rng.uniform(-1.0, 1.0, size=arch.n_weights)
        return params
    if isinstance(init, (int, float, np.integer, np.floating)) and not isinstance(init, bool):
        value = float(init)
        if not math.isfinite(value) or abs(value) > DIVERGENCE_LIMIT:
            raise InputError(f"init: the starting weight must be a number from −{DIVERGENCE_LIMIT:g} to "
                             f"{DIVERGENCE_LIMIT:g}")
        params[weight_slots] = value
        return params
    try:
        values = np.array(init, dtype=float).ravel()
    except (TypeError, ValueError, OverflowError):
        raise InputError("init: explicit weights must be numbers") from None
    if values.size not in (arch.n_params, arch.n_weights):
        raise InputError(f"init: give {arch.n_weights} weights" +
                         (f" (or {arch.n_params} values with the biases)" if arch.bias else "") +
                         f", got {values.size}")
    bad = ~np.isfinite(values) | (np.abs(values) > DIVERGENCE_LIMIT)
    if bad.any():
        raise InputError(f"init: value {int(np.argmax(bad)) + 1} must be a number from −{DIVERGENCE_LIMIT:g} to "
                         f"{DIVERGENCE_LIMIT:g}")
    if values.size == arch.n_params:
        return values.copy()
    params[weight_slots] = values
    return params


def check_learning_rate(value) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError("learning rate must be a number") from None
    if isinstance(value, bool) or not (0 < rate <= MAX_LEARNING_RATE):
        raise InputError(f"learning rate must be above 0 and at most {MAX_LEARNING_RATE:g}")
    return rate


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise InputError("seed must be a whole number from 0 to 4294967295")
    return int(seed)


def _check_epochs(epochs) -> int:
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or not 0 <= epochs <= MAX_EPOCHS_PER_CALL:
        raise InputError(f"epochs must be a whole number from 0 to {MAX_EPOCHS_PER_CALL:,}")
    return int(epochs)


def _check_loss(loss: str) -> str:
    if loss not in LOSSES:
        raise InputError(f"loss must be one of {', '.join(LOSS_NAMES)}")
    return loss


def _check_query(new_input, n_features: int) -> np.ndarray:
    try:
        x = np.array(new_input, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError("the new input must be numbers") from None
    if x.ndim == 1:
        x = x[None]
    if x.ndim != 2 or x.shape[1] != n_features or x.shape[0] == 0 or x.shape[0] > 100_000:
        raise InputError(f"the new input needs {n_features} features per row")
    bad = ~np.isfinite(x)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(f"the new input, row {i + 1}, feature x{j + 1}: must be a finite number")
    return x
