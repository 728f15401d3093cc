"""Scenarios round-trip through JSON and links, rebuild their run exactly, and hostile text only raises InputError."""

import base64
import json
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core import PRESETS, Event, InputError, NeuralNetwork, Run, Scenario, Settings, TrainingSet
from nn_core.scenario import MAX_LINK_CHARS

training_sets = st.lists(st.tuples(*[st.integers(0, 1)] * 3, st.sampled_from([0, 0.5, 1])), min_size=1,
                         max_size=40).map(TrainingSet.from_rows)
settings_ = st.builds(Settings, learning_rate=st.floats(0.001, 100), bias=st.booleans(),
                      hidden=st.sampled_from([(), (2,), (16,)]),
                      activation=st.sampled_from(["sigmoid", "tanh", "relu"]),
                      init=st.one_of(st.floats(-5, 5), st.just("random")), seed=st.integers(0, 2**32 - 1),
                      batch=st.just("full"))
runs = st.builds(lambda epoch, rates: Run(epoch, tuple(Event(min(e, epoch), "rate", r) for e, r in rates)),
                 st.integers(0, 100_000), st.lists(st.tuples(st.integers(0, 100_000), st.floats(0.01, 10)), max_size=3))
scenarios = st.builds(Scenario, data=training_sets, preset=st.none(), settings=settings_,
                      target_epochs=st.integers(1, 1_000_000), loss=st.sampled_from(["mae", "mse", "cross_entropy"]),
                      ui=st.dictionaries(st.sampled_from(["lang", "presenter", "hide"]),
                                         st.one_of(st.booleans(), st.text(max_size=10)), max_size=3),
                      run=runs)


@settings(max_examples=60, deadline=None)
@given(scenarios)
def test_round_trips(s):
    assert Scenario.from_json(s.to_json()) == s
    assert Scenario.from_link(s.to_link()) == s


def test_the_default_is_the_article_and_rebuilds_its_network():
    s = Scenario()
    nn = s.network()
    assert nn.inputs.tolist() == PRESETS["article"].inputs and nn.epoch == 0
    nn.train(s.target_epochs)
    assert nn.predict([[1, 1, 0]])[0, 0] == pytest.approx(0.99089925, abs=1e-8)
    assert len(s.to_link()) < 300


def test_a_link_reopens_the_same_run_at_the_same_epoch():
    net = NeuralNetwork(PRESETS["xor"].inputs, PRESETS["xor"].outputs,
                        Settings(hidden=(4,), bias=True, init="random", seed=2))
    net.train(700)
    net.learning_rate = 3.0
    net.train(300)
    net.set_parameter(0, 1.5)
    net.train(10)
    link = Scenario(data=net.data, preset="xor", settings=net.settings).with_run_of(net).to_link()
    reopened = Scenario.from_link(link).network()
    assert reopened.epoch == 1010 and np.array_equal(reopened.params, net.params)
    assert np.array_equal(reopened.error_history, net.error_history)


def test_a_random_start_always_names_its_seed():
    s = Scenario(settings=Settings(init="random"))
    assert s.settings.seed is not None and Scenario.from_link(s.to_link()).settings.seed == s.settings.seed


def pack(payload: bytes) -> str:
    return "1." + base64.urlsafe_b64encode(zlib.compress(payload)).decode().rstrip("=")


def field(**fields) -> str:
    return pack(json.dumps({"version": 1, **fields}).encode())


@pytest.mark.parametrize("link", [
    "", "1.", "abc", "2.abc", "1.%%%", "1.AAAA", Scenario().to_link()[:-6], "1." + "A" * (MAX_LINK_CHARS + 1),
    pack(b"[" * 100_000), pack(b"{}"), field(rows="<script>alert(1)</script>"),
    pack(b'{"version": 1, "learning_rate": NaN}'), pack(b'{"version": 1, "learning_rate": 1e999}'),
    field(hidden=[64, 64, 64, 64]), field(hidden=[17]), field(hidden=[4, 4]), field(rows=[[0, 1, 0, 1e308]]),
    field(ui={"x": {"y": 1}}), field(version=99), pack("\u0000\ufffd".encode()), field(seed=1.5),
    field(seed=int("9" * 4000)), field(target_epochs=0), field(target_epochs=2_000_000),
    field(rows=[[0, 0, 0, 0]] * 1001), field(batch="online", rows=[[0, 0, 0, 0]] * 65),
    field(run={"epoch": 10, "events": [[20, "rate", 1.0]]}), field(run={"epoch": 10**7}),
    field(run={"epoch": 1_000_000}, rows=[[0, 0, 0, 0]] * 1000, hidden=[16]),
    field(run={"epoch": 10, "events": [[1, "weight", 1.0, 99]]}), field(**{"[click me](https://evil.example/)": 1}),
    Scenario().to_link() + "<script>alert(1)</script>", Scenario().to_link() + "AAAA", Scenario().to_link() + "=",
])
def test_hostile_links_raise_input_error(link):
    with pytest.raises(InputError) as e:
        Scenario.from_link(link)
    assert "evil" not in str(e.value) and "<" not in str(e.value)  # foreign text is never echoed


def test_a_zip_bomb_is_refused_without_inflating_it():
    bomb = "1." + base64.urlsafe_b64encode(zlib.compress(b" " * 5_000_000, 9)).decode().rstrip("=")
    assert len(bomb) < MAX_LINK_CHARS
    with pytest.raises(InputError, match="too large"):
        Scenario.from_link(bomb)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_is_refused_unless_it_is_a_scenario(text):
    for parse in (Scenario.from_link, Scenario.from_json):
        try:
            parsed = parse(text)
        except InputError:
            continue
        assert Scenario.from_json(parsed.to_json()) == parsed  # whatever is accepted is a whole scenario


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                           lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["rows", "learning_rate", "hidden", "seed", "target_epochs", "loss", "ui", "run", "init"]),
       json_values)
def test_each_field_is_accepted_with_its_value_or_refused_by_name(name, value):
    try:
        s = Scenario.from_dict({"version": 1, name: value})
    except InputError as e:
        assert str(e)
        return
    shown = {"rows": lambda: [list(r) for r in s.rows], "learning_rate": lambda: s.settings.learning_rate,
             "hidden": lambda: list(s.settings.hidden), "seed": lambda: s.settings.seed,
             "target_epochs": lambda: s.target_epochs, "loss": lambda: s.loss, "ui": lambda: s.ui,
             "run": lambda: s.run,
             "init": lambda: list(s.settings.init) if isinstance(s.settings.init, tuple) else s.settings.init}[name]()
    expected = value
    if name == "run":
        expected = Run() if value is None else Run(value.get("epoch", 0), tuple(
            Event(e[0], e[1], e[2], *e[3:]) for e in value.get("events", [])))
    assert shown == expected
