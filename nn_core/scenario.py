"""A Scenario is everything needed to repeat a run: the table, the settings, what the views show, and the run.

It round-trips through JSON (for files) and through a compact URL-safe string (for share links):
``"1." + base64url(zlib(json))``. The JSON is flat: the table (``rows``), every ``Settings`` field, the view
(``target_epochs``, ``loss``, ``ui``) and ``run`` (the epoch reached and the learner's mid-run changes). Decoding
treats the text as hostile: it is size-limited, every field is checked, and any problem raises InputError naming
the field. Checking never trains anything, and a run whose replay would cost more than ``MAX_REPLAY_WORK`` is
refused, so opening a link costs at most a few seconds of one core.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import asdict, dataclass, field, replace

from .datasets import PRESETS, TrainingSet
from .errors import InputError
from .losses import LOSS_NAMES
from .model import MAX_EVENTS, Event, NeuralNetwork
from .settings import MAX_EPOCHS, Settings, check_number

VERSION = 1
MAX_JSON_BYTES = 64 * 1024
MAX_LINK_CHARS = 8192
MAX_REPLAY_WORK = 4_000_000  # about 10 s of one core here (see ``Scenario.replay_work``)
_UI_KEYS = 16
_URL_SAFE = re.compile(r"[A-Za-z0-9_-]*")
_SETTINGS = Settings.field_names()


@dataclass(frozen=True)
class Run:
    """How far a run went, and the learner's changes on the way (``model.Event``): enough to rebuild it exactly."""

    epoch: int = 0
    events: tuple[Event, ...] = ()


@dataclass(frozen=True, eq=False)
class Scenario:
    data: TrainingSet = field(default_factory=lambda: TrainingSet(PRESETS["article"].inputs,
                                                                  PRESETS["article"].outputs))
    preset: str | None = "article"  # where the table came from, if unedited
    settings: Settings = Settings()
    target_epochs: int = 25_000
    loss: str = "mae"  # the loss the charts show (training always follows the article's update)
    ui: dict = field(default_factory=dict)  # view settings of the app (language, presenter mode, hidden controls)
    run: Run = Run()

    def __post_init__(self):
        _validate(self)

    def __eq__(self, other) -> bool:
        return isinstance(other, Scenario) and self.to_dict() == other.to_dict()

    # -- conversions ---------------------------------------------------------------------------------------------
    @property
    def rows(self) -> tuple[tuple[float, ...], ...]:
        return self.data.rows()

    def with_changes(self, **changes) -> Scenario:
        """A copy with some fields changed; Settings fields (learning_rate, bias, …) may be given directly."""
        settings = {k: changes.pop(k) for k in list(changes) if k in _SETTINGS}
        if settings:
            changes["settings"] = replace(changes.get("settings", self.settings), **settings)
        return replace(self, **changes)

    def network(self, progress=None, together=None):
        """The scenario's network, with its run rebuilt: the same epoch and weights as when it was saved
        (``together``: what trains it, see ``NeuralNetwork.train``)."""
        net = NeuralNetwork(self.data, settings=self.settings)
        net.replay(self.run.epoch, self.run.events, progress=progress, together=together)
        return net

    def with_run_of(self, net) -> Scenario:
        """This scenario carrying ``net``'s run (its epoch and the learner's changes so far)."""
        return replace(self, run=Run(net.epoch, tuple(net.events)))

    def replay_work(self) -> int:
        """What replaying the run costs, in epochs of the article's network (about 5 µs each here)."""
        return self.run.epoch * self.settings.work_per_epoch(self.architecture, len(self.data.inputs))

    @property
    def architecture(self):
        return self.settings.architecture(self.data.inputs.shape[1], self.data.outputs.shape[1])

    def to_dict(self) -> dict:
        d = {"version": VERSION, "rows": [[_compact(v) for v in r] for r in self.rows], "preset": self.preset}
        d.update(asdict(self.settings))
        d["hidden"] = list(self.settings.hidden)
        if isinstance(self.settings.init, tuple):
            d["init"] = list(self.settings.init)
        d.update(target_epochs=self.target_epochs, loss=self.loss, ui=self.ui)
        if self.run.epoch:
            d["run"] = {"epoch": self.run.epoch,
                        "events": [[e.epoch, e.kind, e.value] + ([e.index] if e.kind == "weight" else [])
                                   for e in self.run.events]}
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def to_link(self) -> str:
        text = "1." + base64.urlsafe_b64encode(zlib.compress(self.to_json().encode(), 9)).decode().rstrip("=")
        if len(text) > MAX_LINK_CHARS:
            raise InputError(f"this scenario is too large for a link ({len(text):,} characters; the limit is "
                             f"{MAX_LINK_CHARS:,}); export it as a file instead", "link_too_large",
                             chars=f"{len(text):,}", limit=f"{MAX_LINK_CHARS:,}")
        return text

    @classmethod
    def from_dict(cls, d) -> Scenario:
        if not isinstance(d, dict):
            raise InputError("scenario: expected an object with the scenario's fields", "file_not_scenario")
        if d.get("version") != VERSION:
            raise InputError(f"scenario: this file or link is not version {VERSION} of a Backprop Playground "
                             "scenario", "file_version", version=VERSION)
        values = {k: d[k] for k in ("preset", "target_epochs", "loss", "ui") if k in d}
        unknown = set(d) - {"version", "rows", "preset", *_SETTINGS, "target_epochs", "loss", "ui", "run"}
        if unknown:
            # never echoed: it is foreign text
            raise InputError(f"scenario: {len(unknown)} unknown field(s)", "file_fields", count=len(unknown))
        if "rows" in d:
            values["data"] = _rows(d["rows"])
        settings = {k: d[k] for k in _SETTINGS if k in d}
        for name in ("hidden", "init"):
            if isinstance(settings.get(name), list):
                settings[name] = tuple(settings[name])
        return cls(settings=Settings(**settings), run=_run(d.get("run")), **values)

    @classmethod
    def from_json(cls, text: str | bytes) -> Scenario:
        if isinstance(text, bytes):
            if len(text) > MAX_JSON_BYTES:
                raise InputError(f"scenario: the file is larger than {MAX_JSON_BYTES // 1024} KB", "file_size",
                                 kb=MAX_JSON_BYTES // 1024)
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError("scenario: the file is not UTF-8 text", "file_text") from None
        if not isinstance(text, str) or len(text.encode()) > MAX_JSON_BYTES:
            raise InputError(f"scenario: the text is larger than {MAX_JSON_BYTES // 1024} KB", "file_size",
                             kb=MAX_JSON_BYTES // 1024)
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise InputError("scenario: not valid JSON", "file_json") from None
        return cls.from_dict(data)

    @classmethod
    def from_link(cls, text: str) -> Scenario:
        if not isinstance(text, str):
            raise InputError("share link: expected text", "link_foreign")
        if len(text) > MAX_LINK_CHARS:
            raise InputError(f"share link: too long ({len(text):,} characters; the limit is {MAX_LINK_CHARS:,})",
                             "link_too_long", chars=f"{len(text):,}", limit=f"{MAX_LINK_CHARS:,}")
        version, dot, body = text.partition(".")
        if not dot or version != "1":
            raise InputError("share link: not a Backprop Playground scenario (or from a newer version)", "link_foreign")
        if not _URL_SAFE.fullmatch(body):  # b64decode would silently skip foreign characters
            raise InputError("share link: the text is damaged (it has characters a link never contains)",
                             "link_damaged")
        try:
            packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            inflater = zlib.decompressobj()
            raw = inflater.decompress(packed, MAX_JSON_BYTES + 1)
        except (binascii.Error, ValueError, zlib.error):
            raise InputError("share link: the text is damaged (was it cut off when copied?)", "link_damaged") from None
        if len(raw) > MAX_JSON_BYTES or inflater.unconsumed_tail:
            raise InputError("share link: the scenario inside is too large", "link_inside_too_large")
        if not inflater.eof or inflater.unused_data:
            raise InputError("share link: the text is damaged (was it cut off when copied?)", "link_damaged")
        return cls.from_json(raw)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def _compact(v: float):
    return int(v) if float(v).is_integer() and abs(v) < 2**53 else v


def _rows(value) -> TrainingSet:
    if not isinstance(value, list):
        raise InputError("scenario field 'rows': expected a list of rows", "file_field", field="rows")
    return TrainingSet.from_rows(value)  # names the bad row and column


def _run(value) -> Run:
    if value is None:
        return Run()
    if not isinstance(value, dict) or set(value) - {"epoch", "events"}:
        raise InputError("scenario field 'run': expected the run's epoch and events", "file_field", field="run")
    events = value.get("events", [])
    if not isinstance(events, list) or len(events) > MAX_EVENTS:
        raise InputError(f"scenario field 'run': at most {MAX_EVENTS:,} events", "file_field", field="run")
    parsed = []
    for item in events:
        if not isinstance(item, list) or (item[1:2], len(item)) not in ((["rate"], 3), (["weight"], 4)):
            raise InputError("scenario field 'run': an event is not [epoch, kind, value(, parameter)]",
                             "file_field", field="run")
        parsed.append(Event(*item))  # checked there
    return Run(int(check_number(value.get("epoch", 0), "run epoch", 0, MAX_EPOCHS, whole=True)), tuple(parsed))


def _validate(s: Scenario) -> None:
    if not isinstance(s.data, TrainingSet) or not isinstance(s.settings, Settings) or not isinstance(s.run, Run):
        raise InputError("scenario: malformed", "file_not_scenario")
    if s.preset is not None and s.preset not in PRESETS:
        raise InputError("scenario field 'preset': not one of this app's datasets", "file_field", field="preset")
    object.__setattr__(s, "settings", s.settings.resolved())  # a run that uses random numbers names its seed
    s.settings.check_rows(len(s.data.inputs))
    arch = s.architecture
    s.settings.initial_parameters(arch)  # explicit starting weights: the right count for this network
    object.__setattr__(s, "target_epochs", int(check_number(s.target_epochs, "target_epochs", 1, MAX_EPOCHS, True)))
    if s.loss not in LOSS_NAMES:
        raise InputError(f"scenario field 'loss': expected one of {', '.join(LOSS_NAMES)}", "file_field", field="loss")
    if not isinstance(s.ui, dict) or len(s.ui) > _UI_KEYS:
        raise InputError(f"scenario field 'ui': expected an object with at most {_UI_KEYS} settings",
                         "file_field", field="ui")
    for k, v in s.ui.items():
        if not isinstance(k, str) or len(k) > 40:
            raise InputError("scenario field 'ui': setting names must be short text", "file_field", field="ui")
        if isinstance(v, list):
            if len(v) > 32 or not all(isinstance(i, str) and len(i) <= 40 for i in v):
                raise InputError("scenario field 'ui': expected a short list of short texts", "file_field", field="ui")
        elif not (v is None or isinstance(v, (bool, int)) or isinstance(v, str) and len(v) <= 40):
            raise InputError("scenario field 'ui': expected true/false, a number or short text",
                             "file_field", field="ui")
    if any(e.epoch > s.run.epoch for e in s.run.events):
        raise InputError("scenario field 'run': a change is recorded after the run's epoch", "file_field", field="run")
    if any(e.kind == "weight" and e.index >= arch.n_params for e in s.run.events):
        raise InputError("scenario field 'run': a change names a parameter this network does not have",
                         "file_field", field="run")
    if s.replay_work() > MAX_REPLAY_WORK:
        raise InputError("scenario field 'run': this run is too long to replay here", "run_too_long")
