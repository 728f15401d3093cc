"""The live charts' plumbing: the vendored plotly.js, and the figures' JSON as plotly.js reads it."""

import base64
import json
import re

import numpy as np
import plotly.offline
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from playground import figures
from playground.live_plot import PLOTLY_FILE, STATIC, figure_json

BASIC_TRACES = {"scatter", "bar", "pie"}  # what plotly.js's basic bundle can draw


def decode(value):
    """A typed-array spec back to numpy, as plotly.js reads it."""
    data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype("<" + value["dtype"]))
    return data.reshape([int(n) for n in value["shape"].split(",")]) if "shape" in value else data


def strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_vendored_plotly_is_the_version_the_figures_are_written_for():
    header = (STATIC / PLOTLY_FILE).read_text(encoding="utf-8")[:300]
    version = re.search(r"plotly\.js \(basic - minified\) v(\S+)", header).group(1)
    assert version == plotly.offline.get_plotlyjs_version()


def playground_views() -> dict:
    """Every figure the Playground draws live, for a network with a hidden layer and a thinned history."""
    epochs = np.arange(5000)
    params = np.cumsum(np.random.default_rng(0).normal(size=(5000, 4)), axis=0)
    return {
        "loss": figures.loss_figure(epochs, np.linspace(0.5, 0.1, 5000), y_title="L", x_title="E", floor=0.08,
                                    floor_label="floor", marker_epoch=100, marker_label="100", band_label="range"),
        "weights": figures.weights_figure(["w1", "w2", "w3", "b"], params[-1], y_title="w"),
        "network": figures.network_figure((3, 2, 1), [np.ones((3, 2)), -np.ones((2, 1))], [np.zeros(2), None],
                                          ["x1", "x2", "x3"]),
        "trajectories": figures.trajectories_figure(epochs, params, ["a", "b", "c", "d"], x_title="E", y_title="w"),
        "rows": figures.rows_figure(epochs[:300], np.random.default_rng(1).random((300, 6)),
                                    [f"row {i}" for i in range(6)], np.array([0, 0, 0, 1, 1, 1]), x_title="E",
                                    y_title="p"),
    }


@pytest.mark.parametrize("view", list(playground_views()))
def test_live_views_use_only_traces_the_basic_bundle_draws(view):
    fig = strict_json(figure_json(playground_views()[view]))
    assert {trace["type"] for trace in fig["data"]} <= BASIC_TRACES
    assert len(figure_json(playground_views()[view])) < 100_000  # payload stays small


def test_arrays_travel_as_typed_arrays_with_their_values():
    fig = figures.loss_figure(np.arange(10), np.linspace(1, 0, 10), y_title="L", x_title="E")
    line = strict_json(figure_json(fig))["data"][-1]
    assert line["x"]["dtype"] == "i4" and line["y"]["dtype"] == "f4"
    np.testing.assert_array_equal(decode(line["x"]), np.arange(10))
    np.testing.assert_allclose(decode(line["y"]), np.linspace(1, 0, 10), rtol=1e-6)


def test_numbers_json_cannot_hold_become_null():
    fig = {"data": [{"type": "scatter", "x": [1.0, float("nan")], "y": np.array([np.nan, 2.0])}],
           "layout": {"yaxis": {"range": [float("-inf"), 1]}, "n": np.int64(3), "big": np.arange(3, dtype=np.int64)}}
    out = strict_json(figure_json(fig))
    assert out["data"][0]["x"] == [1.0, None] and out["layout"]["yaxis"]["range"] == [None, 1]
    y = decode(out["data"][0]["y"])  # in a typed array NaN is just bytes: plotly.js draws it as a gap
    assert np.isnan(y[0]) and y[1] == 2.0
    assert out["layout"]["n"] == 3 and out["layout"]["big"] == [0, 1, 2]  # no int64 typed array in plotly.js


@given(hnp.arrays(st.sampled_from([np.float32, np.float64, np.int32, np.uint8]), hnp.array_shapes(max_dims=2)))
def test_any_array_round_trips(values):
    out = strict_json(figure_json({"data": [{"type": "heatmap", "z": values}], "layout": {"title": float("nan")}}))
    assert out["layout"]["title"] is None
    np.testing.assert_array_equal(decode(out["data"][0]["z"]), values)  # NaN == NaN here, bit for bit
