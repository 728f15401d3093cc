"""``NeuralNetwork``: one network being trained on a table — its state now, and everything it remembers.

    net = NeuralNetwork(inputs, outputs)   # the article's network: Settings() (see settings.py)
    net.train(25_000)
    net.predict([[1, 1, 0]])               # [[0.99089925]]

Training runs network.py's algorithm in chunks (``train_together``: one network, or many networks of one shape at
once, each getting exactly the numbers it would get alone). Between chunks each network records its history in
bounded memory (history.py) and applies the one stop rule (stops.py).

The run is deterministic, so it is fully described by its settings, the learner's mid-run changes (``Event``s: a
new learning rate, a weight set by hand) and its epoch: ``params_at`` re-simulates any past epoch exactly, and
``replay`` rebuilds a whole run (a share link, a reload).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .datasets import TrainingSet
from .errors import InputError
from .history import History
from .losses import LOSS_NAMES, every_loss, per_network
from .network import CHUNK_FLOATS, Layers, Record, Scratch, forward_pass, predict, train
from .settings import MAX_EPOCHS, Settings, check_learning_rate, check_number, check_weight
from .stops import Stop, first_stops, online_fixed_point
from .trace import EpochTrace, trace_epoch

MAX_EVENTS = 1000  # mid-run changes one run can hold (a share link carries them all)
MAX_PARAMETER = 10_000  # a change naming a parameter past any network's is refused on reading


class Frames:
    """Snapshots taken while training, every ``every`` epochs from ``first``: what live play shows, frame by frame
    (the epoch, the state: every parameter and the optimiser's own numbers, and the losses of ``LOSS_NAMES``).
    With ``most``, however long the training: whenever there are more, every other one goes and ``every`` doubles,
    so that they stay evenly spaced over what was trained (training to a target draws its curve with them)."""

    def __init__(self, every: int, first: int, most: int | None = None):
        self.every, self.next, self.most = max(1, int(every)), first, most
        self.epochs: list[int] = []
        self.states: list[np.ndarray] = []
        self.losses: list[np.ndarray] = []

    def collect(self, start: int, states: np.ndarray, losses: np.ndarray) -> None:
        """states[i] and losses[i] belong to epoch start + i (losses is one shorter: the last epoch's comes later)."""
        while self.next < start + len(losses):
            e = self.next
            self.epochs.append(e)
            self.states.append(states[e - start].copy())
            self.losses.append(losses[e - start].copy())
            if self.most is not None and len(self.epochs) > self.most:
                self.epochs, self.states, self.losses = self.epochs[::2], self.states[::2], self.losses[::2]
                self.every *= 2
            self.next = self.epochs[-1] + self.every

    def collect_now(self, net: NeuralNetwork) -> None:
        """The network as it is now, as one more frame."""
        self.epochs.append(net.epoch)
        self.states.append(net.state[0].copy())
        self.losses.append(np.array([net.current_loss(name) for name in LOSS_NAMES]))


@dataclass(frozen=True)
class Event:
    """A change the learner made before the update of ``epoch``: a new learning rate, or parameter ``index`` set
    to ``value`` by hand. Checked here, once, by the rules of what it changes (settings.py), wherever it comes from:
    the learner, a share link or a file."""

    epoch: int
    kind: str  # "rate" or "weight"
    value: float
    index: int = -1

    def __post_init__(self):
        set_ = lambda name, value: object.__setattr__(self, name, value)
        set_("epoch", int(check_number(self.epoch, "run event epoch", 0, MAX_EPOCHS, whole=True)))
        if self.kind == "rate":
            set_("value", check_learning_rate(self.value))
        elif self.kind == "weight":
            set_("value", check_weight(self.value))
            set_("index", int(check_number(self.index, "run event parameter", 0, MAX_PARAMETER, whole=True)))
        else:
            raise InputError("a change is a new learning rate or a weight set by hand")


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
              frames: Frames | None = None, together=None) -> int:
        """Run up to ``epochs`` epochs; returns how many ran. Fewer run only when training stops by itself (see
        ``stop``) or, with ``until=(loss, threshold)``, at the first epoch whose weights reach loss < threshold.
        ``progress(done, total)`` is called between chunks, for progress bars; ``frames`` collects snapshots on
        the way (live play). ``together``: what trains each chunk, with ``train_together``'s contract (the default);
        a server passes its own, which trains many learners' chunks at once (it may keep fewer epochs of a chunk
        than asked: the next chunk goes on from there)."""
        together = together or train_together
        epochs = min(_check_epochs(epochs), MAX_EPOCHS - self.epoch)  # a run ends at MAX_EPOCHS
        if until is not None:
            until = (_check_loss(until[0]), until[1])
        done = 0
        while done < epochs and self.stop is None:
            (ran, target_reached), = together([self], min(self.chunk_epochs(), epochs - done), [until], [frames])
            done += ran
            if progress is not None:
                progress(done, epochs)
            if target_reached:
                break
        return done

    def predict(self, new_input) -> np.ndarray:
        """ŷ for new rows of features (one row or a table), with the current weights: rows × 1."""
        return predict(self.architecture, self.params, check_query(new_input, self.architecture.n_inputs))[0]

    # -- the learner's changes ------------------------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        """The learning rate in force now (the optimiser's)."""
        return float(self.optimiser.learning_rate[0, 0])

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        change = Event(self.epoch, "rate", value)
        if change.value != self.learning_rate:
            self._add_event(change)
            self.optimiser.learning_rate = change.value

    def set_parameter(self, index: int, value: float) -> None:
        """Set one parameter by hand (the network diagram): a change recorded at this epoch, replayed exactly."""
        if not isinstance(index, (int, np.integer)) or not 0 <= index < self.architecture.n_params:
            raise InputError(f"parameter: expected a number from 1 to {self.architecture.n_params}")
        change = Event(self.epoch, "weight", value, int(index))
        if change.value != self.params[index]:
            self._add_event(change)
            self.state[0, index] = change.value

    def reset(self) -> None:
        """Back to epoch 0 with the initial weights and rate; the history and the changes are cleared."""
        self.optimiser = self.settings.optimiser()
        self.state = np.zeros((1, self.architecture.n_params * (1 + self.optimiser.slots_per_parameter)))
        self.state[0, : self.architecture.n_params] = self.initial_params
        self.epoch = 0
        self.events: list[Event] = []
        self.stop: Stop | None = None
        self.history = History(len(LOSS_NAMES), self.state.shape[1])
        self.history.params.append(self.state)

    def truncate(self, epoch: int) -> None:
        """Forget everything after ``epoch`` (0 ≤ epoch ≤ now): the run as it was when it stood there. (Live play
        trains a little ahead of the screen; Stop keeps exactly the epoch the learner saw.)"""
        state = self.state_at(epoch)
        losses = self.history.losses
        start = epoch - epoch % losses.width  # the last bucket, now partly filled, needs its envelope again
        tail = None
        if epoch % losses.width:  # its losses, from the run as it stood at the bucket's start (not from epoch 0)
            frames = Frames(1, start)
            self.as_at(start).follow(epoch, [e for e in self.events if e.epoch <= epoch], frames=frames)
            tail = np.array(frames.losses)
        losses.truncate(epoch, tail)
        self.history.params.truncate(epoch + 1)
        self.events = [e for e in self.events if e.epoch <= epoch]
        self.optimiser.learning_rate = self.rate_at(epoch)
        self.state[0] = state
        self.epoch, self.stop = epoch, None

    def replay(self, epoch: int, events, progress=None, together=None) -> int:
        """Rebuild a recorded run from the start: its changes, each at its epoch, and training up to ``epoch``
        (``together``: see ``train``)."""
        self.reset()
        return self.follow(epoch, events, progress, together)

    def continues(self, epoch: int, events) -> bool:
        """Whether the recorded run (``epoch``, ``events``) is this run further on: the same changes so far, none
        missing before this epoch, and an epoch at least this one. ``follow`` then trains only what is missing."""
        events = list(events)
        done = len(self.events)
        return (self.epoch <= epoch and events[:done] == self.events
                and all(e.epoch >= self.epoch for e in events[done:]))

    def follow(self, epoch: int, events, progress=None, together=None, frames: Frames | None = None) -> int:
        """Train on to ``epoch``, making the recorded changes this run has not made yet, each at its epoch (this run
        must be the start of the recorded one: see ``continues``; ``together``, ``frames``: see ``train``)."""
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
            self.train(event.epoch - self.epoch, progress=report(self.epoch), frames=frames, together=together)
            if self.epoch < event.epoch:
                return self.epoch  # stopped by itself before the change: the run ends there, as it did
            if event.kind == "rate":
                self.learning_rate = event.value
            else:
                self.set_parameter(event.index, event.value)
        self.train(target - self.epoch, progress=report(self.epoch), frames=frames, together=together)
        return self.epoch

    def as_at(self, epoch: int) -> NeuralNetwork:
        """This run as it stood at ``epoch`` (its state, changes and rate then; no history): to re-simulate a
        stretch of its past, or to see where it goes next without moving it (it trains to the same numbers, bit for
        bit)."""
        net = NeuralNetwork(self.data, settings=self.settings)
        net.state[0] = self.state_at(epoch)
        net.epoch, net.events = epoch, [e for e in self.events if e.epoch <= epoch]
        net.optimiser.learning_rate = self.rate_at(epoch)
        return net

    # -- what it is now ---------------------------------------------------------------------------------------------
    @property
    def params(self) -> np.ndarray:
        """Every parameter, in ``parameter_names()`` order (a view: read, do not write)."""
        return self.state[0, : self.architecture.n_params]

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
        return float(self.losses_for(self.params, loss)[0])

    def losses_for(self, params: np.ndarray, loss: str = "mae") -> np.ndarray:
        """The ``loss`` on the training table under each parameter vector (the rows of params; one vector or
        networks × parameters): one per vector. Many vectors (a loss landscape) are taken a few at a time, so memory
        stays small whatever the table."""
        loss = _check_loss(loss)
        params = np.array(params, dtype=float, ndmin=2)
        per_vector = len(self.inputs) * (sum(self.architecture.sizes[1:]) * Layers.ARRAYS_PER_UNIT + 1)
        step = max(1, CHUNK_FLOATS // per_vector)
        return np.concatenate([per_network(loss, self.outputs, predict(self.architecture, params[i : i + step],
                                                                          self.inputs))
                               for i in range(0, len(params), step)])

    def predictions_for(self, params: np.ndarray, x=None) -> np.ndarray:
        """ŷ (networks × rows × outputs) for x (default: the training inputs) under each parameter vector."""
        return predict(self.architecture, params, self.inputs if x is None else x)

    def layer_outputs_for(self, new_input, params: np.ndarray | None = None) -> list[np.ndarray]:
        """[x, a₁, …, ŷ]: what every layer outputs for ``new_input`` (the current weights unless ``params``)."""
        x = check_query(new_input, self.architecture.n_inputs)
        layers = forward_pass(self.architecture, self.params if params is None else params, x)
        return [x, *(layer.a.copy() for layer in layers)]

    # -- the past ---------------------------------------------------------------------------------------------------
    def params_at(self, epoch: int) -> np.ndarray:
        """The exact parameters at ``epoch`` (0 ≤ epoch ≤ now), re-simulated from the nearest stored sample."""
        return self.state_at(epoch)[: self.architecture.n_params]

    def state_at(self, epoch: int) -> np.ndarray:
        """The exact state (parameters, then the optimiser's own numbers) at ``epoch`` (0 ≤ epoch ≤ now)."""
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or not 0 <= epoch <= self.epoch:
            raise InputError(f"epoch must be a whole number from 0 to {self.epoch:,}")
        if epoch == self.epoch:
            return self.state[0].copy()
        start, sample = self.history.params.latest_sample_at_or_before(int(epoch))
        state = sample.copy()[None]
        at = start
        for event in [e for e in self.events if start <= e.epoch <= epoch]:
            self._advance(state, at, event.epoch)
            at = event.epoch
            if event.kind == "weight":
                state[0, event.index] = event.value
        self._advance(state, at, int(epoch))
        return state[0]

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
        n_params = self.architecture.n_params
        if samples.epochs[-1] == self.epoch:
            return samples.epochs, samples.values[:, :n_params]
        return np.r_[samples.epochs, self.epoch], np.vstack([samples.values[:, :n_params], self.params])

    def trace_epoch(self, epoch: int | None = None) -> EpochTrace:
        """Every intermediate number of one epoch's updates (see trace.py)."""
        epoch = self.epoch if epoch is None else epoch
        state = self.state_at(epoch)
        return trace_epoch(self.architecture, self.settings.optimiser(self.rate_at(epoch)), state, self.inputs,
                           self.outputs, epoch, self.row_order(epoch, 1))

    def row_order(self, first_epoch: int, epochs: int) -> np.ndarray | None:
        """The rows each epoch updates on, one at a time (epochs × rows); None with the whole batch (the article)."""
        return self.settings.row_order(first_epoch, epochs, len(self.inputs))

    def chunk_epochs(self) -> int:
        """Epochs trained between two looks at the stop rule: what one chunk may record stays a few MB."""
        return Record.epochs_that_fit(1, self.outputs.size, self.state.shape[1])

    # -- machinery ----------------------------------------------------------------------------------------------------
    def _add_event(self, event: Event) -> None:
        same = [e for e in self.events if e.epoch == event.epoch and e.kind == event.kind and e.index == event.index]
        if same:
            self.events.remove(same[0])  # a second change at the same epoch replaces the first
        elif len(self.events) >= MAX_EVENTS:
            raise InputError(f"this run already holds {MAX_EVENTS:,} changes; press Reset to start a new run")
        self.events.append(event)
        self.stop = None  # a new rate or weight may move the network again

    def _advance(self, state: np.ndarray, start: int, stop: int) -> None:
        """Train ``state`` (1 × state) from epoch ``start`` to ``stop`` with no record, at the rates then in force."""
        bounds = sorted({start, stop, *(e.epoch for e in self.events if e.kind == "rate" and start < e.epoch < stop)})
        for a, b in zip(bounds, bounds[1:]):
            self._run(state, self.settings.optimiser(self.rate_at(a)), a, b - a, Scratch())

    def _run(self, state: np.ndarray, optimiser, first_epoch: int, epochs: int, record) -> None:
        """``epochs`` epochs of this network's training from ``state`` (in place), the article's algorithm."""
        order = self.row_order(first_epoch, epochs)
        layers = Layers(self.architecture, state, len(self.inputs))
        row_layers = None if order is None else Layers(self.architecture, state, 1)
        with np.errstate(all="ignore"):
            train(layers, self.inputs, self.outputs, optimiser, epochs, record, row_layers,
                  None if order is None else order[:, None, :])

    def take(self, stretch: Stretch, until=None, frames: Frames | None = None) -> tuple[int, bool]:
        """Keep a stretch of this run's training (``run_together``'s, made from this network's state now, or from any
        network's at the same point of the same run) up to the stop rule or ``until``: (epochs kept, until reached)."""
        if stretch.first != self.epoch:
            raise ValueError("a stretch is kept from the epoch it starts at")
        return self._keep(stretch.states, stretch.losses, stretch.kept, stretch.stop, until, frames)

    def _keep(self, states: np.ndarray, losses: np.ndarray, keep: int, stop: Stop | None, until,
              frames: Frames | None) -> tuple[int, bool]:
        """Take a chunk's first ``keep`` epochs into this network's run (``states``: epochs + 1 × state, ``losses``:
        epochs × LOSS_NAMES), or fewer: up to the first epoch whose weights reach ``until``."""
        reached = False
        if until is not None and keep:
            loss, threshold = until
            index = LOSS_NAMES.index(loss)
            # The loss of the weights after update i is losses[i + 1] (the last one's is computed here).
            after_update = np.append(losses[1:keep, index], self.losses_for(states[keep, : self.architecture.n_params],
                                                                            loss))
            hit = np.flatnonzero(after_update < threshold)
            if hit.size:
                keep, stop, reached = int(hit[0]) + 1, None, True
        losses = losses[:keep]
        if frames is not None:
            frames.collect(self.epoch, states[: keep + 1], losses)
        self.history.losses.append(losses)
        self.history.params.append(states[1 : keep + 1])
        self.state[0] = states[keep]
        self.epoch += keep
        self.stop = stop
        return keep, reached

    def __repr__(self) -> str:
        sizes = self.architecture.sizes
        return (f"NeuralNetwork(sizes={sizes}, {self.settings}, learning rate now {self.learning_rate:g}, "
                f"epoch {self.epoch:,})")


def train_together(nets: list[NeuralNetwork], epochs: int, untils=None, frames=None) -> list[tuple[int, bool]]:
    """Train every network of ``nets`` up to ``epochs`` epochs in one run of network.py's ``train``, as one batch,
    and keep, for each, its epochs up to the stop rule or its ``until`` (loss, threshold); returns (epochs kept,
    until reached) for each. The networks must have one shape (see ``run_together``); each gets exactly the numbers
    it would get alone; one that had already stopped keeps nothing. ``frames``: a Frames (or None) per network, for
    live play."""
    n = len(nets)
    untils, frames = untils or [None] * n, frames or [None] * n
    stretches = run_together(nets, epochs)
    return [net.take(stretch, until, kept_frames) if net.stop is None else (0, False)
            for net, stretch, until, kept_frames in zip(nets, stretches, untils, frames)]


@dataclass(frozen=True)
class Stretch:
    """What a chunk of training made of one network, before the network keeps it: the epoch it started from, the
    state after each of its epochs (``states[0]`` the start), the losses of each epoch's predictions, and how many
    epochs the stop rule lets it keep (``kept``) and why (``stop``, or None).

    Training is deterministic and a network's numbers do not depend on what trains beside it, so a stretch made for
    one network is exactly the stretch of any other at the same point of the same run (the same data, shape, state,
    epoch and learning rate): a server can train it once for both."""

    first: int
    states: np.ndarray  # epochs + 1 × state
    losses: np.ndarray  # epochs × LOSS_NAMES
    kept: int
    stop: Stop | None

    @property
    def epochs(self) -> int:
        return len(self.losses)

    def _stops_before(self, epochs: int) -> bool:
        return self.stop is not None and self.stop.epoch - self.first < epochs

    def head(self, epochs: int) -> Stretch:
        """Its first ``epochs`` epochs, as a stretch of their own (the stop rule said the same of them)."""
        if epochs >= self.epochs:
            return self
        stopped = self._stops_before(epochs)
        return Stretch(self.first, self.states[: epochs + 1], self.losses[:epochs],
                       self.kept if stopped else epochs, self.stop if stopped else None)

    def rest(self, epochs: int) -> Stretch | None:
        """What comes after its first ``epochs`` epochs, as a stretch of its own; None if the run stopped before."""
        if epochs >= self.epochs or self._stops_before(epochs):
            return None
        return Stretch(self.first + epochs, self.states[epochs:], self.losses[epochs:], self.kept - epochs, self.stop)


def run_together(nets: list[NeuralNetwork], epochs: int) -> list[Stretch]:
    """``epochs`` epochs of every network of ``nets`` in one run of network.py's ``train``, as one batch, without
    changing the networks: each one's ``Stretch``. The networks must have one shape: the same architecture, rows,
    batch mode and optimiser (the same rule and momentum); their data, rates, starts and epochs may differ."""
    first = nets[0]
    arch, n_params = first.architecture, first.architecture.n_params
    shared = all(net.data is first.data for net in nets)
    x = first.inputs if shared else np.stack([net.inputs for net in nets])
    y = first.outputs if shared else np.stack([net.outputs for net in nets])
    state = np.vstack([net.state for net in nets])
    rates = np.array([net.learning_rate for net in nets])
    optimiser = first.settings.optimiser(rates)
    orders = [net.row_order(net.epoch, epochs) for net in nets]
    order = None if orders[0] is None else np.stack(orders, axis=1)  # epochs × networks × rows
    record = Record(state, len(first.inputs), first.outputs.shape[1], epochs)
    layers = Layers(arch, state, len(first.inputs))
    row_layers = None if order is None else Layers(arch, state, 1)
    with np.errstate(all="ignore"):
        train(layers, x, y, optimiser, epochs, record, row_layers, order)
        losses = every_loss(y, record.predictions)
    starts = np.array([net.epoch for net in nets])
    confirm = None if order is None else (lambda i, e: online_fixed_point(
        arch, first.settings.optimiser(rates[i]), record.states[e, i], nets[i].inputs, nets[i].outputs, order[e, i]))
    kept, stops = first_stops(record.states, n_params, starts, rates, confirm)
    return [Stretch(int(starts[i]), record.states[:, i].copy(), losses[:, i].copy(), int(kept[i]), stops[i])
            for i in range(len(nets))]


def _check_epochs(epochs) -> int:
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or not 0 <= epochs <= MAX_EPOCHS:
        raise InputError(f"epochs must be a whole number from 0 to {MAX_EPOCHS:,}")
    return int(epochs)


def _check_loss(loss: str) -> str:
    if loss not in LOSS_NAMES:
        raise InputError(f"loss must be one of {', '.join(LOSS_NAMES)}")
    return loss


def check_query(new_input, n_features: int) -> np.ndarray:
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
