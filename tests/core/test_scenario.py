"""Scenarios round-trip through JSON and links; hostile text only ever raises InputError."""

import base64
import contextlib
import json
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_core import PRESETS, InputError
from nn_core.scenario import MAX_LINK_CHARS, Scenario

scenarios = st.builds(
    Scenario,
    rows=st.lists(st.tuples(*[st.integers(0, 1)] * 4), min_size=1, max_size=40).map(tuple),
    preset=st.none(),
    learning_rate=st.floats(0.001, 100),
    bias=st.booleans(),
    hidden=st.sampled_from([(), (2,), (16,), (4, 3)]),
    activation=st.sampled_from(["sigmoid", "tanh", "relu"]),
    init=st.one_of(st.floats(-5, 5), st.just("random")),
    seed=st.one_of(st.none(), st.integers(0, 2**32 - 1)),
    target_epochs=st.integers(1, 10_000_000),
    loss=st.sampled_from(["mae", "mse", "cross_entropy"]),
    ui=st.dictionaries(st.sampled_from(["lang", "presenter", "hide"]),
                       st.one_of(st.booleans(), st.text(max_size=10)), max_size=3),
)


@settings(max_examples=50, deadline=None)
@given(scenarios)
def test_round_trips(s):
    assert Scenario.from_json(s.to_json()) == s
    assert Scenario.from_link(s.to_link()) == s


def test_the_default_is_the_article_and_rebuilds_its_network():
    s = Scenario()
    nn = s.network()
    assert [list(r) for r in nn.inputs] == PRESETS["article"].inputs
    nn.train(s.target_epochs)
    assert nn.predict([[1, 1, 0]])[0, 0] == pytest.approx(0.99089925, abs=1e-8)
    assert len(s.to_link()) < 400


def pack(payload: bytes) -> str:
    return "1." + base64.urlsafe_b64encode(zlib.compress(payload)).decode().rstrip("=")


@pytest.mark.parametrize("link", [
    "", "1.", "abc", "2.abc", "1.%%%", "1.AAAA", Scenario().to_link()[:-6], "1." + "A" * (MAX_LINK_CHARS + 1),
    pack(b"[" * 100_000), pack(b"{}"), pack(b'{"version": 1, "rows": "<script>alert(1)</script>"}'),
    pack(b'{"version": 1, "learning_rate": NaN}'), pack(b'{"version": 1, "learning_rate": 1e999}'),
    pack(b'{"version": 1, "hidden": [1000000]}'), pack(b'{"version": 1, "rows": [[0,1,0,1e308]]}'),
    pack(b'{"version": 1, "ui": {"x": {"y": 1}}}'), pack(b'{"version": 99}'), pack("\u0000\ufffd".encode()),
    pack(b'{"version": 1, "seed": 1.5}'), pack(b'{"version": 1, "target_epochs": 0}'),
    pack(json.dumps({"version": 1, "rows": [[0, 0, 0, 0]] * 1001}).encode()),
    Scenario().to_link() + "<script>alert(1)</script>", Scenario().to_link() + "AAAA", Scenario().to_link() + "=",
])
def test_hostile_links_raise_input_error(link):
    with pytest.raises(InputError):
        Scenario.from_link(link)


def test_a_zip_bomb_is_refused_without_inflating_it():
    bomb = "1." + base64.urlsafe_b64encode(zlib.compress(b" " * 5_000_000, 9)).decode().rstrip("=")
    assert len(bomb) < MAX_LINK_CHARS
    with pytest.raises(InputError, match="too large"):
        Scenario.from_link(bomb)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_is_never_a_crash(text):
    for parse in (Scenario.from_link, Scenario.from_json):
        with contextlib.suppress(InputError):
            parse(text)


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4)))
def test_random_json_is_never_a_crash(value):
    with contextlib.suppress(InputError):
        Scenario.from_dict({"version": 1, "rows": value} if not isinstance(value, dict) else {"version": 1, **value})
