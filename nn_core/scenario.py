"""A Scenario is everything needed to repeat a run: the training matrix, every setting and the seed.

It round-trips through JSON (for files) and through a compact URL-safe string (for share links):
``"1." + base64url(zlib(json))``. Both are versioned and size-limited, and decoding treats the text as
hostile: every field is checked and any problem raises InputError naming the field.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from dataclasses import asdict, dataclass, field, replace

from .activations import ACTIVATIONS
from .architecture import MAX_HIDDEN_LAYERS, MAX_UNITS
from .datasets import PRESETS, TrainingSet
from .errors import InputError
from .losses import LOSS_NAMES
from .network import DIVERGENCE_LIMIT, MAX_LEARNING_RATE, NeuralNetwork

VERSION = 1
MAX_JSON_BYTES = 256 * 1024
MAX_LINK_CHARS = 8192
MAX_EPOCHS = 10_000_000
_UI_KEYS = 32
_URL_SAFE = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Scenario:
    rows: tuple[tuple[float, ...], ...] = PRESETS["article"].rows()
    preset: str | None = "article"  # where the rows came from, if unedited
    learning_rate: float = 1.0
    bias: bool = False
    hidden: tuple[int, ...] = ()
    activation: str = "sigmoid"
    init: float | str | tuple[float, ...] = 0.5
    seed: int | None = None
    target_epochs: int = 25_000
    loss: str = "mae"
    ui: dict = field(default_factory=dict)  # view settings of the app (language, presenter mode, …)

    def __post_init__(self):
        _validate(self)

    # -- conversions ----------------------------------------------------------------------------------
    def training_set(self) -> TrainingSet:
        return TrainingSet.from_rows(self.rows)

    def network(self) -> NeuralNetwork:
        return NeuralNetwork(self.training_set(), learning_rate=self.learning_rate, bias=self.bias,
                             hidden=self.hidden, activation=self.activation,
                             init=list(self.init) if isinstance(self.init, tuple) else self.init, seed=self.seed)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["rows"] = [[_compact(v) for v in r] for r in self.rows]
        d["hidden"] = list(self.hidden)
        d["init"] = list(self.init) if isinstance(self.init, tuple) else self.init
        return {"version": VERSION, **d}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def to_link(self) -> str:
        packed = zlib.compress(self.to_json().encode(), 9)
        text = "1." + base64.urlsafe_b64encode(packed).decode().rstrip("=")
        if len(text) > MAX_LINK_CHARS:
            raise InputError(f"this scenario is too large for a link ({len(text):,} characters; the limit is "
                             f"{MAX_LINK_CHARS:,}); export it as JSON instead")
        return text

    @classmethod
    def from_dict(cls, d) -> Scenario:
        if not isinstance(d, dict):
            raise InputError("scenario: expected an object with the scenario's fields")
        version = d.get("version")
        if version != VERSION:
            raise InputError(f"scenario: version {version!r} is not supported (this app reads version {VERSION})")
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(d) - known - {"version"})
        if unknown:
            raise InputError(f"scenario: unknown field {str(unknown[0])[:40]!r}")
        values = {k: v for k, v in d.items() if k != "version"}
        if "rows" in values:
            values["rows"] = _rows(values["rows"])
        if "hidden" in values:
            values["hidden"] = _int_tuple(values["hidden"], "hidden")
        if isinstance(values.get("init"), list):
            values["init"] = tuple(values["init"])
        return cls(**values)

    @classmethod
    def from_json(cls, text: str | bytes) -> Scenario:
        if isinstance(text, bytes):
            if len(text) > MAX_JSON_BYTES:
                raise InputError(f"scenario: the file is larger than {MAX_JSON_BYTES // 1024} KB")
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError("scenario: the file is not UTF-8 text") from None
        if not isinstance(text, str) or len(text.encode()) > MAX_JSON_BYTES:
            raise InputError(f"scenario: the text is larger than {MAX_JSON_BYTES // 1024} KB")
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as e:
            raise InputError(f"scenario: not valid JSON ({str(e)[:60]})") from None
        return cls.from_dict(data)

    @classmethod
    def from_link(cls, text: str) -> Scenario:
        if not isinstance(text, str):
            raise InputError("share link: expected text")
        if len(text) > MAX_LINK_CHARS:
            raise InputError(f"share link: too long ({len(text):,} characters; the limit is {MAX_LINK_CHARS:,})")
        version, dot, body = text.partition(".")
        if not dot or version != "1":
            raise InputError("share link: not a Backprop Playground scenario (or from a newer version)")
        if not _URL_SAFE.fullmatch(body):  # b64decode would silently skip foreign characters
            raise InputError("share link: the text is damaged (it has characters a link never contains)")
        try:
            packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            inflater = zlib.decompressobj()
            raw = inflater.decompress(packed, MAX_JSON_BYTES + 1)
        except (binascii.Error, ValueError, zlib.error):
            raise InputError("share link: the text is damaged (was it cut off when copied?)") from None
        if len(raw) > MAX_JSON_BYTES or inflater.unconsumed_tail:
            raise InputError("share link: the scenario inside is too large")
        if not inflater.eof or inflater.unused_data:
            raise InputError("share link: the text is damaged (was it cut off when copied?)")
        return cls.from_json(raw)

    def with_changes(self, **changes) -> Scenario:
        return replace(self, **changes)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def _compact(v: float):
    return int(v) if float(v).is_integer() and abs(v) < 2**53 else v


def _rows(value) -> tuple[tuple[float, ...], ...]:
    if not isinstance(value, (list, tuple)):
        raise InputError("scenario field 'rows': expected a list of rows")
    data = TrainingSet.from_rows(value)  # names the bad row and column
    return tuple(tuple(r) for r in data.rows())


def _int_tuple(value, name: str) -> tuple[int, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, int) and not isinstance(v, bool)
                                                       for v in value):
        raise InputError(f"scenario field {name!r}: expected a list of whole numbers")
    return tuple(value)


def _number(value, name: str, lo: float, hi: float, whole: bool = False):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if whole:
        ok = ok and float(value).is_integer()
    if not ok or not lo <= value <= hi:
        kind = "a whole number" if whole else "a number"
        raise InputError(f"scenario field {name!r}: expected {kind} from {lo:g} to {hi:g}")


def _validate(s: Scenario) -> None:
    if not isinstance(s.rows, tuple) or not s.rows:
        raise InputError("scenario field 'rows': expected at least one row")
    TrainingSet.from_rows(s.rows)
    if s.preset is not None and s.preset not in PRESETS:
        raise InputError(f"scenario field 'preset': unknown preset {str(s.preset)[:20]!r}")
    if not isinstance(s.learning_rate, (int, float)) or isinstance(s.learning_rate, bool) or not (
            0 < s.learning_rate <= MAX_LEARNING_RATE):
        raise InputError(f"scenario field 'learning_rate': expected a number above 0 and at most "
                         f"{MAX_LEARNING_RATE:g}")
    if not isinstance(s.bias, bool):
        raise InputError("scenario field 'bias': expected true or false")
    if not isinstance(s.hidden, tuple) or len(s.hidden) > MAX_HIDDEN_LAYERS or not all(
            isinstance(h, int) and not isinstance(h, bool) and 1 <= h <= MAX_UNITS for h in s.hidden):
        raise InputError(f"scenario field 'hidden': expected up to {MAX_HIDDEN_LAYERS} layer sizes of 1 to "
                         f"{MAX_UNITS}")
    if s.activation not in ACTIVATIONS:
        raise InputError(f"scenario field 'activation': expected one of {', '.join(ACTIVATIONS)}")
    if isinstance(s.init, str):
        if s.init != "random":
            raise InputError("scenario field 'init': expected a number, \"random\" or a list of numbers")
    elif isinstance(s.init, tuple):
        if len(s.init) > 10_000:
            raise InputError("scenario field 'init': too many values")
        for v in s.init:
            _number(v, "init", -DIVERGENCE_LIMIT, DIVERGENCE_LIMIT)
    else:
        _number(s.init, "init", -DIVERGENCE_LIMIT, DIVERGENCE_LIMIT)
    if s.seed is not None:
        _number(s.seed, "seed", 0, 2**32 - 1, whole=True)
        object.__setattr__(s, "seed", int(s.seed))
    _number(s.target_epochs, "target_epochs", 1, MAX_EPOCHS, whole=True)
    object.__setattr__(s, "target_epochs", int(s.target_epochs))
    if s.loss not in LOSS_NAMES:
        raise InputError(f"scenario field 'loss': expected one of {', '.join(LOSS_NAMES)}")
    if not isinstance(s.ui, dict) or len(s.ui) > _UI_KEYS:
        raise InputError(f"scenario field 'ui': expected an object with at most {_UI_KEYS} settings")
    for k, v in s.ui.items():
        if not isinstance(k, str) or len(k) > 40:
            raise InputError("scenario field 'ui': setting names must be short text")
        if isinstance(v, list):
            if len(v) > 64 or not all(isinstance(i, str) and len(i) <= 40 for i in v):
                raise InputError(f"scenario field 'ui.{k}': expected a short list of short texts")
        elif not (v is None or isinstance(v, (bool, int, str)) and (not isinstance(v, str) or len(v) <= 200)):
            raise InputError(f"scenario field 'ui.{k}': expected true/false, a number or short text")
    # The network must be buildable (e.g. explicit weights of the right count).
    s.network()
