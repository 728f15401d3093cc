"""``NeuralNetwork``: one network being trained on a table — its weights now, and everything it remembers.

    net = NeuralNetwork(inputs, outputs)   # the article's network: Settings() (see settings.py)
    net.train(25_000)
    net.predict([[1, 1, 0]])               # [[0.99089925]]

Training runs network.py's algorithm in chunks. Between chunks the network records its history in bounded memory
(history.py) and applies the one stop rule (``Stop``, also used by ``train_many``): training ends by itself only
when training on provably changes nothing — the last update left every parameter bit for bit the same, so
gradient descent is at a fixed point forever — or when a parameter leaves the finite range or ±WEIGHT_LIMIT.

The run is deterministic, so it is fully described by its settings, the learner's mid-run changes (``Event``s:
a new learning rate, a weight set by hand) and its epoch: ``params_at`` re-simulates any past epoch exactly, and
``replay`` rebuilds a whole run (a share link, a reload).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .datasets import TrainingSet
from .errors import InputError
from .history import History
from .losses import LOSS_NAMES, per_network
from .network import Record, feed_forward, layers_for, predict, train
from .settings import MAX_EPOCHS, Settings, check_learning_rate, check_weight

WEIGHT_LIMIT = 1e6  # far past anything learning needs; a parameter beyond it means training has blown up
MAX_EVENTS = 1000  # mid-run changes one run can hold (a share link carries them all)
_CHUNK_FLOATS = 2**18  # what one chunk of training may record (2 MB), whatever the table's size


@dataclass(frozen=True)
class Stop:
    """Why training ended by itself: "diverged" (the update of ``epoch`` sent a parameter past ±WEIGHT_LIMIT or to
    inf/NaN; it was not applied) or "fixed_point" (the update of ``epoch`` left every parameter exactly as it was,
    so every later one would too)."""

    kind: str
    epoch: int
    learning_rate: float


class Frames:
    """Snapshots taken while training, every ``every`` epochs from ``first``: what live play shows, frame by frame
    (the epoch, every parameter, and the losses of ``LOSS_NAMES`` there)."""

    def __init__(self, every: int, first: int):
        self.every, self.next = max(1, int(every)), first
        self.epochs: list[int] = []
        self.params: list[np.ndarray] = []
        self.losses: list[np.ndarray] = []

    def collect(self, start: int, params: np.ndarray, losses: np.ndarray) -> None:
        """params[i] and losses[i] belong to epoch start + i (losses is one shorter: the last epoch's comes later)."""
        for e in range(self.next, start + len(losses), self.every):
            self.epochs.append(e)
            self.params.append(params[e - start].copy())
            self.losses.append(losses[e - start].copy())
            self.next = e + self.every

    def collect_now(self, net: NeuralNetwork) -> None:
        """The network as it is now, as one more frame."""
        self.epochs.append(net.epoch)
        self.params.append(net.params.copy())
        self.losses.append(np.array([net.current_loss(name) for name in LOSS_NAMES]))


@dataclass(frozen=True)
class Event:
    """A change the learner made before the update of ``epoch``: a new learning rate, or parameter ``index`` set
    to ``value`` by hand."""

    epoch: int
    kind: str  # "rate" or "weight"
    value: float
    index: int = -1


class NeuralNetwork:
    """A network in the article's terms. ``NeuralNetwork(inputs, outputs)`` is the article's network exactly.

    inputs, outputs: the training table (rows × features) and its targets (rows × 1, values in [0, 1]), or a
        ``TrainingSet`` as ``inputs``.
    settings: learning rate, bias, hidden layer, starting weights, seed, batch (see ``Settings``).
    """

    def __init__(self, inputs, outputs=None, settings: Settings | None = None):
        self.data = inputs if isinstance(inputs, TrainingSet) else TrainingSet(inputs, outputs)
        self.settings = (settings or Settings()).resolved()
        self.settings.check_rows(len(self.data.inputs))
        self.architecture = self.settings.architecture(self.data.inputs.shape[1], self.data.outputs.shape[1])
        self.initial_params = self.settings.initial_parameters(self.architecture)
        self.reset()

    # -- the article's methods --------------------------------------------------------------------------------
    def train(self, epochs: int = 25_000, progress=None, until: tuple[str, float] | None = None,
              frames: Frames | None = None) -> int:
        """Run up to ``epochs`` epochs; returns how many ran. Fewer run only when training stops by itself (see
        ``stop``) or, with ``until=(loss, threshold)``, at the first epoch whose weights reach loss < threshold.
        ``progress(done, total)`` is called between chunks, for progress bars; ``frames`` collects snapshots on
        the way (live play)."""
        epochs = min(_check_epochs(epochs), MAX_EPOCHS - self.epoch)  # a run ends at MAX_EPOCHS
        done = 0
        while done < epochs and self.stop is None:
            ran, target_reached = self._train_chunk(min(self._chunk_size(), epochs - done), until, frames)
            done += ran
            if progress is not None:
                progress(done, epochs)
            if target_reached:
                break
        return done

    def predict(self, new_input) -> np.ndarray:
        """ŷ for new rows of features (one row or a table), with the current weights: rows × 1."""
        return predict(self.architecture, self._params, _check_query(new_input, self.architecture.n_inputs))[..., 0]

    # -- the learner's changes ------------------------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        return self._rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        rate = check_learning_rate(value)
        if rate != self._rate:
            self._add_event(Event(self.epoch, "rate", rate))
            self._rate = rate

    def set_parameter(self, index: int, value) -> None:
        """Set one parameter by hand (``parameter_names()`` order); training goes on from there."""
        if not isinstance(index, (int, np.integer)) or not 0 <= index < self.architecture.n_params:
            raise InputError(f"parameter: expected a number from 1 to {self.architecture.n_params}")
        value = check_weight(value)
        if value != self._params[index, 0]:
            self._add_event(Event(self.epoch, "weight", value, int(index)))
            self._params[index, 0] = value

    def reset(self) -> None:
        """Back to epoch 0 with the initial weights and rate; the history and the changes are cleared."""
        self._params = self.initial_params.copy()[:, None]  # parameters × 1 network
        self._rate = self.settings.learning_rate
        self.epoch = 0
        self.events: list[Event] = []
        self.stop: Stop | None = None
        self.history = History(len(LOSS_NAMES), self.architecture.n_params)
        self.history.params.append(self._params.T)

    def truncate(self, epoch: int) -> None:
        """Forget everything after ``epoch`` (0 ≤ epoch ≤ now): the run as it was when it stood there. (Live play
        trains a little ahead of the screen; Stop keeps exactly the epoch the learner saw.)"""
        params = self.params_at(epoch)
        losses = self.history.losses
        start = epoch - epoch % losses.width  # the last bucket, now partly filled, needs its envelope again
        tail = None
        if epoch % losses.width:
            net = NeuralNetwork(self.data, settings=self.settings)
            net.replay(start, [e for e in self.events if e.epoch <= start])
            frames = Frames(1, start)
            net.train(epoch - start, frames=frames)
            tail = np.array(frames.losses)
        losses.truncate(epoch, tail)
        self.history.params.truncate(epoch + 1)
        self.events = [e for e in self.events if e.epoch <= epoch]
        self._rate = self.rate_at(epoch)
        self._params[:, 0] = params
        self.epoch, self.stop = epoch, None

    def replay(self, epoch: int, events, progress=None) -> int:
        """Rebuild a recorded run from the start: its changes, each at its epoch, and training up to ``epoch``."""
        self.reset()
        return self.follow(epoch, events, progress)

    def continues(self, epoch: int, events) -> bool:
        """Whether the recorded run (``epoch``, ``events``) is this run further on: the same changes so far, none
        missing before this epoch, and an epoch at least this one. ``follow`` then trains only what is missing."""
        events = list(events)
        done = len(self.events)
        return (self.epoch <= epoch and events[:done] == self.events
                and all(e.epoch >= self.epoch for e in events[done:]))

    def follow(self, epoch: int, events, progress=None) -> int:
        """Train on to ``epoch``, making the recorded changes this run has not made yet, each at its epoch (this run
        must be the start of the recorded one: see ``continues``)."""
        todo = sorted(events, key=lambda e: e.epoch)
        if len(todo) > MAX_EVENTS:
            raise InputError(f"a run holds at most {MAX_EVENTS:,} changes")
        target = _check_epochs(epoch)
        if any(e.epoch > target for e in todo):
            raise InputError("a change is recorded after the run's last epoch")
        if not self.continues(target, todo):
            raise InputError("this run is not the start of the recorded one")
        first = self.epoch

        def report(start: int):  # progress over the whole catch-up, not each piece of it
            return None if progress is None else (lambda done, _total: progress(start - first + done, target - first))

        for event in todo[len(self.events):]:
            self.train(event.epoch - self.epoch, progress=report(self.epoch))
            if self.epoch < event.epoch:
                return self.epoch  # stopped by itself before the change: the run ends there, as it did
            if event.kind == "rate":
                self.learning_rate = event.value
            else:
                self.set_parameter(event.index, event.value)
        self.train(target - self.epoch, progress=report(self.epoch))
        return self.epoch

    # -- what it is now ---------------------------------------------------------------------------------------------
    @property
    def params(self) -> np.ndarray:
        """Every parameter, in ``parameter_names()`` order (a view: read, do not write)."""
        return self._params[:, 0]

    @property
    def weights(self):
        """The article's weight column (features × 1) without a hidden layer; else each layer's weight matrix."""
        views = [w for w, _ in self.architecture.split(self.params)]
        return views[0] if len(views) == 1 else views

    @property
    def inputs(self) -> np.ndarray:
        return self.data.inputs

    @property
    def outputs(self) -> np.ndarray:
        return self.data.outputs

    @property
    def error_history(self) -> np.ndarray:
        """Mean |error| per epoch, as in the article; after 32,768 epochs one point per bucket (see epoch_list)."""
        return self.history.losses.values[:, 0]

    @property
    def epoch_list(self) -> np.ndarray:
        return self.history.losses.epochs

    @property
    def diverged(self) -> bool:
        return self.stop is not None and self.stop.kind == "diverged"

    def parameter_names(self) -> list[str]:
        return self.architecture.parameter_names()

    def current_loss(self, loss: str = "mae") -> float:
        return float(self.losses_for(self._params, loss)[0])

    def losses_for(self, params: np.ndarray, loss: str = "mae") -> np.ndarray:
        """The ``loss`` on the training table under each parameter vector (columns of params): one per network.
        Many columns (a loss landscape) are taken a few at a time, so memory stays small whatever the table."""
        loss = _check_loss(loss)
        per_column = len(self.inputs) * (sum(self.architecture.sizes[1:]) * 6 + 1)
        step = max(1, _CHUNK_FLOATS // per_column)
        return np.concatenate([per_network(loss, self.outputs, predict(self.architecture, params[:, i : i + step],
                                                                          self.inputs))
                               for i in range(0, params.shape[1], step)])

    def predictions_for(self, params: np.ndarray, x=None) -> np.ndarray:
        """ŷ (rows × outputs × networks) for x (default: the training inputs) under each column of params."""
        return predict(self.architecture, params, self.inputs if x is None else x)

    def layer_outputs_for(self, new_input, params: np.ndarray | None = None) -> list[np.ndarray]:
        """[x, a₁, …, ŷ]: what every layer outputs for ``new_input`` (the current weights unless ``params``)."""
        x = _check_query(new_input, self.architecture.n_inputs)
        layers, _ = layers_for(self.architecture, self._params if params is None else params[:, None], len(x))
        with np.errstate(all="ignore"):
            feed_forward(layers, x)
        return [x, *(layer.output[..., 0] for layer in layers)]

    # -- the past ---------------------------------------------------------------------------------------------------
    def params_at(self, epoch: int) -> np.ndarray:
        """The exact parameters at ``epoch`` (0 ≤ epoch ≤ now), re-simulated from the nearest stored sample."""
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or not 0 <= epoch <= self.epoch:
            raise InputError(f"epoch must be a whole number from 0 to {self.epoch:,}")
        if epoch == self.epoch:
            return self.params.copy()
        start, sample = self.history.params.latest_sample_at_or_before(int(epoch))
        params = sample.copy()[:, None]
        at = start
        for event in [e for e in self.events if start <= e.epoch <= epoch] + [Event(int(epoch), "end", 0.0)]:
            self._advance(params, at, event.epoch)
            at = event.epoch
            if event.kind == "weight":
                params[event.index, 0] = event.value
        return params[:, 0]

    def rate_at(self, epoch: int) -> float:
        """The learning rate of the update of ``epoch``."""
        rate = self.settings.learning_rate
        for event in self.events:
            if event.kind == "rate" and event.epoch <= epoch:
                rate = event.value
        return rate

    def weight_samples(self) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, parameters): the stored samples, ending with the live weights at the current epoch."""
        samples = self.history.params
        if samples.epochs[-1] == self.epoch:
            return samples.epochs, samples.values
        return np.r_[samples.epochs, self.epoch], np.vstack([samples.values, self.params])

    def trace_epoch(self, epoch: int | None = None):
        """Every intermediate number of one epoch's update (see trace.py)."""
        from .trace import trace_step

        epoch = self.epoch if epoch is None else epoch
        params = self.params_at(epoch)
        order = self._row_order(epoch, 1)
        rows = None if order is None else order[0]
        return trace_step(self.architecture, params, self.inputs, self.outputs, self.rate_at(epoch), epoch, rows)

    # -- machinery ----------------------------------------------------------------------------------------------------
    def _add_event(self, event: Event) -> None:
        same = [e for e in self.events if e.epoch == event.epoch and e.kind == event.kind and e.index == event.index]
        if same:
            self.events.remove(same[0])  # a second change at the same epoch replaces the first
        elif len(self.events) >= MAX_EVENTS:
            raise InputError(f"this run already holds {MAX_EVENTS:,} changes; press Reset to start a new run")
        self.events.append(event)
        self.stop = None  # a new rate or weight may move the network again

    def _advance(self, params: np.ndarray, start: int, stop: int) -> None:
        """Train ``params`` (P × 1) from epoch ``start`` to ``stop`` with no record, at the rates then in force."""
        bounds = sorted({start, stop, *(e.epoch for e in self.events if e.kind == "rate" and start < e.epoch < stop)})
        for a, b in zip(bounds, bounds[1:]):
            with np.errstate(all="ignore"):
                train(params, self.inputs, self.outputs, np.array([self.rate_at(a)]), b - a, self.architecture,
                      row_order=self._row_order(a, b - a))

    def _row_order(self, first_epoch: int, epochs: int) -> np.ndarray | None:
        return self.settings.row_order(first_epoch, epochs, len(self.inputs))

    def _chunk_size(self) -> int:
        per_epoch = self.outputs.size + self.architecture.n_params
        return int(min(4096, max(16, _CHUNK_FLOATS // per_epoch)))

    def _train_chunk(self, n: int, until, frames: Frames | None = None) -> tuple[int, bool]:
        """Train up to n epochs, keep them up to the stop rule or ``until``; returns (kept, until reached)."""
        record = Record(self.architecture, len(self.inputs), n, 1)
        record.params[0] = self._params
        with np.errstate(all="ignore"):
            train(self._params, self.inputs, self.outputs, np.array([self._rate]), n, self.architecture, record,
                  self._row_order(self.epoch, n))
        before, after = record.params[:-1, :, 0], record.params[1:, :, 0]
        keep, stop = n, None
        blown = ~(np.abs(after) <= WEIGHT_LIMIT).all(axis=1)  # written so that NaN counts as blown
        if blown.any():
            keep = int(np.argmax(blown))
            stop = Stop("diverged", self.epoch + keep, self._rate)
        for i in np.flatnonzero((after[:keep] == before[:keep]).all(axis=1)):
            if self._is_fixed_point(before[i], self.epoch + int(i)):
                keep, stop = int(i) + 1, Stop("fixed_point", self.epoch + int(i), self._rate)
                break
        predictions = record.predictions[:keep]
        losses = np.stack([per_network(name, self.outputs, predictions)[:, 0] for name in LOSS_NAMES], axis=1)
        reached = False
        if until is not None and keep:
            loss, threshold = until
            index = LOSS_NAMES.index(_check_loss(loss))
            # The loss of the weights after update i is losses[i + 1] (the last one's is computed here).
            after_update = np.append(losses[1:, index], self.losses_for(record.params[keep], loss))
            hit = np.flatnonzero(after_update < threshold)
            if hit.size:
                keep, stop, reached = int(hit[0]) + 1, None, True
                losses = losses[:keep]
        if frames is not None:
            frames.collect(self.epoch, record.params[: keep + 1, :, 0], losses)
        self.history.losses.append(losses)
        self.history.params.append(after[:keep])
        self._params[:] = record.params[keep]
        self.epoch += keep
        self.stop = stop
        return keep, reached

    def _is_fixed_point(self, params: np.ndarray, epoch: int) -> bool:
        """An epoch left the parameters unchanged: with the whole batch, its one update did, and every later epoch
        repeats it. Online, the rows' updates might have cancelled out, so check that each one changed nothing."""
        order = self._row_order(epoch, 1)
        if order is None:
            return True
        p = params.copy()[:, None]
        for row in order[0]:
            before = p.copy()
            with np.errstate(all="ignore"):
                train(p, self.inputs[row : row + 1], self.outputs[row : row + 1], np.array([self._rate]), 1,
                      self.architecture)
            if not np.array_equal(before, p):
                return False
        return True

    def __repr__(self) -> str:
        sizes, rate = self.architecture.sizes, self._rate
        return f"NeuralNetwork(sizes={sizes}, {self.settings}, learning rate now {rate:g}, epoch {self.epoch:,})"


def _check_epochs(epochs) -> int:
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or not 0 <= epochs <= MAX_EPOCHS:
        raise InputError(f"epochs must be a whole number from 0 to {MAX_EPOCHS:,}")
    return int(epochs)


def _check_loss(loss: str) -> str:
    if loss not in LOSS_NAMES:
        raise InputError(f"loss must be one of {', '.join(LOSS_NAMES)}")
    return loss


def _check_query(new_input, n_features: int) -> np.ndarray:
    try:
        x = np.array(new_input, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError("the new input must be numbers") from None
    if x.ndim == 1:
        x = x[None]
    if x.ndim != 2 or x.shape[1] != n_features or not 1 <= x.shape[0] <= 100_000:
        raise InputError(f"the new input needs {n_features} features per row")
    bad = ~np.isfinite(x)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(f"the new input, row {i + 1}, feature x{j + 1}: must be a finite number")
    return x
