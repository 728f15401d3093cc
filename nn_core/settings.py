"""Every choice that shapes a training run, checked in one place.

``Settings()`` is the article's network: learning rate 1, no bias, no hidden layer, every weight starting at 0.5,
one update per epoch from the whole batch. Everything else trusts a ``Settings``: the widgets take their limits
from the constants below, share links and files are checked by building one, and the engine's cost is bounded by
what these limits allow (one hidden layer of at most 16 units; see also ``datasets.MAX_ROWS``).
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, fields, replace

import numpy as np

from .activations import ACTIVATIONS
from .architecture import Architecture
from .errors import InputError
from .network import row_order
from .optimisers import optimiser_for

LEARNING_RATE_MIN = 0.0001
LEARNING_RATE_MAX = 10_000.0
MOMENTUM_MAX = 0.99  # a velocity that keeps 99 % of itself each update; at 1 it would never forget a step
MAX_HIDDEN_UNITS = 16  # one hidden layer at most: enough for XOR and parity, small enough to draw and to serve
ACTIVATION_NAMES = tuple(ACTIVATIONS)
INIT_LIMIT = 1000.0  # the largest starting weight that can be typed
SEED_MAX = 2**32 - 1
BATCH_MODES = ("full", "online")  # the whole table per update (the article), or one row per update
MAX_ONLINE_ROWS = 64  # online training makes one update per row: more rows would be too slow to serve
DEFAULT_INIT = 0.5
MAX_EPOCHS = 1_000_000  # how long one run can train (a share link replays the whole run)


@dataclass(frozen=True)
class Settings:
    """The training settings of one run.

    learning_rate, momentum: the optimiser's (optimisers.py); a momentum of 0 is the article's plain gradient descent.
    hidden: () for the article's network, or (units,) for one hidden layer.
    init: a number (every weight starts there, biases at 0), "random" (uniform in [−1, 1) from ``seed``), or
        explicit values: one per weight, or one per parameter in ``Architecture.parameter_names`` order.
    seed: the run's random numbers (random starts; the row order of online training). ``resolved()`` draws one
        where it is needed and missing, so that every run can be repeated.
    batch: "full" (one update per epoch from every row, the article) or "online" (one update per row, the rows
        in a shuffled order drawn from the seed each epoch).
    """

    learning_rate: float = 1.0
    momentum: float = 0.0
    bias: bool = False
    hidden: tuple[int, ...] = ()
    activation: str = "sigmoid"
    init: float | str | tuple[float, ...] = DEFAULT_INIT
    seed: int | None = None
    batch: str = "full"

    def __post_init__(self):
        set_ = lambda name, value: object.__setattr__(self, name, value)
        set_("learning_rate", check_learning_rate(self.learning_rate))
        set_("momentum", check_number(self.momentum, "momentum", 0.0, MOMENTUM_MAX))
        if not isinstance(self.bias, (bool, np.bool_)):
            raise InputError("bias: expected true or false")
        set_("bias", bool(self.bias))
        set_("hidden", _hidden(self.hidden))
        if self.activation not in ACTIVATION_NAMES:
            raise InputError(f"activation: expected one of {', '.join(ACTIVATION_NAMES)}")
        set_("init", _init(self.init))
        if self.seed is not None:
            set_("seed", int(check_number(self.seed, "seed", 0, SEED_MAX, whole=True)))
        if self.batch not in BATCH_MODES:
            raise InputError(f"batch: expected one of {', '.join(BATCH_MODES)}")

    @property
    def needs_seed(self) -> bool:
        return self.init == "random" or self.batch == "online"

    def resolved(self) -> Settings:
        """These settings with a seed drawn if they use random numbers and have none."""
        return replace(self, seed=secrets.randbits(32)) if self.needs_seed and self.seed is None else self

    def architecture(self, n_inputs: int, n_outputs: int = 1) -> Architecture:
        return Architecture(n_inputs, n_outputs, self.hidden, self.bias, self.activation)

    def initial_parameters(self, arch: Architecture) -> np.ndarray:
        """The starting parameter vector (arch.n_params,) for ``init``."""
        params = np.zeros(arch.n_params)
        weights = arch.weight_mask()
        if self.init == "random":
            params[weights] = np.random.default_rng(self.seed).uniform(-1.0, 1.0, size=arch.n_weights)
        elif isinstance(self.init, tuple):
            if len(self.init) == arch.n_params:
                params[:] = self.init
            elif len(self.init) == arch.n_weights:
                params[weights] = self.init
            else:
                extra = f" (or {arch.n_params} with the biases)" if arch.bias else ""
                raise InputError(f"init: give {arch.n_weights} starting weights{extra}, got {len(self.init)}",
                                 "init_count", count=arch.n_weights, got=len(self.init))
        else:
            params[weights] = self.init
        return params

    def optimiser(self, learning_rate=None):
        """The optimiser of these settings (optimisers.py), for one network, or one per learning rate given."""
        return optimiser_for(self.learning_rate if learning_rate is None else learning_rate, self.momentum)

    def row_order(self, first_epoch: int, epochs: int, n_rows: int) -> np.ndarray | None:
        """The rows each epoch updates on, one at a time, in order (epochs × rows); None: the whole batch at once.
        The engine, the sweeps, the trace and the stop rule ask this rather than the batch setting itself."""
        if self.batch == "full":
            return None
        return row_order(self.seed, first_epoch, epochs, n_rows)

    def updates_per_epoch(self, n_rows: int) -> int:
        return 1 if self.batch == "full" else n_rows

    def work_per_epoch(self, arch: Architecture, n_rows: int) -> int:
        """What one epoch costs, in epochs of the article's network: the unit of the limit on replays (scenario.py)
        and of what a server counts as heavy work."""
        if self.updates_per_epoch(n_rows) > 1:  # a pass of numpy calls per update
            return n_rows * (1 + arch.n_params // 20)
        return 1 + arch.epoch_work(n_rows) // 1000

    def check_rows(self, n_rows: int) -> None:
        """Settings that depend on the data: online training is limited to MAX_ONLINE_ROWS rows."""
        if self.batch == "online" and n_rows > MAX_ONLINE_ROWS:
            raise InputError(f"online training makes one update per row; it takes at most {MAX_ONLINE_ROWS} rows "
                             f"(this table has {n_rows:,}). Use the full batch for larger tables", "online_rows",
                             limit=f"{MAX_ONLINE_ROWS:,}", rows=f"{n_rows:,}")

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def check_learning_rate(value) -> float:
    return check_number(value, "learning rate", LEARNING_RATE_MIN, LEARNING_RATE_MAX)


def check_weight(value) -> float:
    """A weight a learner types (a starting weight, or one set mid-run)."""
    return check_number(value, "weight", -INIT_LIMIT, INIT_LIMIT)


def check_number(value, name: str, lo: float, hi: float, whole: bool = False) -> float:
    """A finite number in [lo, hi] (a whole number if ``whole``), else InputError naming the setting and its range."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    if ok:
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            ok = False
        else:
            ok = math.isfinite(number) and lo <= number <= hi and (not whole or number.is_integer())
    if not ok:
        kind, shown = ("a whole number", lambda v: f"{int(v):,}") if whole else ("a number", lambda v: f"{v:g}")
        raise InputError(f"{name}: expected {kind} from {shown(lo)} to {shown(hi)}",
                         "whole_range" if whole else "number_range", name=name, lo=shown(lo), hi=shown(hi))
    return int(value) if whole else number


def _hidden(value) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)) and len(value) <= 1:
        try:
            return tuple(int(check_number(v, "hidden", 1, MAX_HIDDEN_UNITS, whole=True)) for v in value)
        except InputError:
            pass
    raise InputError(f"hidden: expected no hidden layer or one hidden layer of 1 to {MAX_HIDDEN_UNITS} units")


def _init(value):
    if isinstance(value, str):
        if value != "random":
            raise InputError('init: expected a number, "random" or a list of numbers')
        return value
    if isinstance(value, (list, tuple)):
        if not 1 <= len(value) <= 1000:
            raise InputError("init: expected a list of 1 to 1,000 numbers")
        return tuple(check_number(v, "init", -INIT_LIMIT, INIT_LIMIT) for v in value)
    return check_number(value, "init", -INIT_LIMIT, INIT_LIMIT)
