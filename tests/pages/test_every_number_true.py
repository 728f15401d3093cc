"""Issue 23, "every number true, second round", as a learner meets it on the pages: floors printed rounded down and
proven from identical inputs, every stop called what it is, the Experiments page's sentences made of numbers each
equal to the network trained alone."""

from decimal import Decimal

import numpy as np
import pytest

import playground.strings
from nn_core import NeuralNetwork, Scenario, Settings, TrainingSet
from nn_core.analysis import error_floor
from playground.state.actions import open_scenario

from .conftest import live_figures, live_text, new_app, session, text

FINDING_3 = [[0, 0, 0, 0], [1, 0, 0, 1], [1, 1, 0, 1], [1, 0, 1, 1], [1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0],
             [0, 1, 1, 0], [1, 0, 0, 1]]
SAME_INPUTS = [[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 1], [1, 1, 0, 1], [0, 1, 0, 0.5], [0, 0, 1, 1]]


def in_language(lang, monkeypatch):
    # AppTest formats a choice's label outside the page's run, where the language is not known: it is the page's.
    monkeypatch.setattr(playground.strings, "language", lambda: lang)
    return new_app({"lang": lang})


def opened(at, rows, **settings):
    open_scenario(session(at), Scenario(data=TrainingSet.from_rows(rows), preset=None, settings=Settings(**settings)))
    at.run()
    assert not at.exception, at.exception
    return session(at).network


def floor_lines(at) -> list[float]:
    return [shape["y0"] for shape in live_figures(at)["loss_plot"]["layout"].get("shapes", [])
            if shape.get("xref") == "paper" and shape["y0"] == shape["y1"]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_issues_floor_is_printed_rounded_down_everywhere(lang, monkeypatch):
    """Finding 3: the error sits at 0.0555556; every place that prints its floor 1/18 says 0.0555, none 0.0556."""
    app = in_language(lang, monkeypatch)
    net = opened(app, FINDING_3, init=(60.0, -20.0, -20.0))
    app.button(key="step").click().run()
    assert f"{net.current_loss():.7f}" == "0.0555556"
    shown = text(app)
    assert "0.0556" not in shown and "0.0555" in live_text(app, "loss")
    assert ("can never fall below 0.0555" if lang == "en" else "永远不会低于 0.0555") in shown
    figure = live_figures(app)["loss_plot"]
    assert floor_lines(app) == [1 / 18] and "0.0555" in str(figure["layout"]["annotations"])
    app.number_input(key="until_error").set_value(0.0555).run()
    app.button(key="run_until").click().run()
    said = " ".join(toast.value for toast in app.toast)
    assert session(app).network.epoch == 1 and "0.0555" in said and "0.0556" not in said


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_identical_inputs_with_different_targets_show_their_floor_and_name_their_rows(lang, monkeypatch):
    """Finding 8: rows 1 and 3 are both [1, 0, 0], with targets 0 and 1; rows 2 and 5 both [0, 1, 0], with 0 and
    0.5. With a bias and a hidden layer no row is fixed, yet no network can go below (1 + 0.5) / 6."""
    app = in_language(lang, monkeypatch)
    net = opened(app, SAME_INPUTS, bias=True, hidden=(4,), init="random", seed=2)
    floor = error_floor(net, "mae")
    assert floor == pytest.approx(1.5 / 6) and floor < 1.5 / 6
    shown = text(app)
    assert "0.2499" in live_text(app, "loss") and floor_lines(app) == [floor]
    if lang == "en":
        assert "Identical inputs, different targets" in shown
        assert "rows 1, 3 ([1, 0, 0] → 0, 1); rows 2, 5 ([0, 1, 0] → 0, 0.5)" in shown
        assert "can never fall below 0.2499" in shown
    else:
        assert "相同的输入，不同的目标" in shown and "第 1, 3 行（[1, 0, 0] → 0, 1）" in shown
    assert not [b for b in app.button if b.key == "fix_same_inputs"]  # no setting changes it: no button offers to
    app.number_input(key="until_error").set_value(0.2).run()
    app.button(key="run_until").click().run()
    assert session(app).network.epoch == 0 and session(app).player.mode is None
    said = " ".join(toast.value for toast in app.toast)
    assert ("can never fall below 0.2499 for this network on this table" if lang == "en" else "永远不会低于 0.2499") \
        in said
    app.selectbox(key="loss").set_value("mse").run()
    mse = error_floor(session(app).network, "mse")
    assert mse == pytest.approx((0.5 + 0.125) / 6) and Decimal(live_text(app, "loss").split()[-1]) <= Decimal(mse)


def test_the_floor_from_identical_inputs_and_the_zero_rows_floor_combine(app):
    """No bias: row 6 [0, 0, 0] → 1 is fixed at 0.5 too. The floor drawn and printed is the larger, proven bound
    that counts both; the zero row's cause still names its own part."""
    net = opened(app, [*SAME_INPUTS[:5], [0, 0, 0, 1]])
    floor = error_floor(net, "mae")
    assert floor == pytest.approx((1 + 0.5 + 0.5) / 6)
    assert floor_lines(app) == [floor] and "floor 0.3333" in live_text(app, "loss")
    shown = text(app)
    assert "An all-zero row and no bias" in shown and "never fall below 0.0833" in shown  # 0.5 / 6: its part
    assert "never fall below 0.3333" in shown  # both together
    np.testing.assert_array_equal(NeuralNetwork(net.data).predict([[0, 0, 0]]), 0.5)
