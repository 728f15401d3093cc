"""The classroom screen's parts that need no browser: the status line (never a toast), every weight of a hidden
network in its per-layer matrix, why-is-it-stuck in the training column with the fix that cures most first, the
table as text until the learner edits it, whole epochs on a short run's axis, and the sweep's colour scale."""

import numpy as np
import pytest

from nn_core import PRESETS, Architecture, Scenario, Settings, TrainingSet
from playground.panels.data_table import SHOWN_ROWS, table_text
from playground.views.page_charts import sweep_figure
from playground.views.playground import weight_tables
from playground.views.training_charts import loss_figure

from .conftest import components, finish, keyed, live_figures, new_app, open_settings, session, status, text

XOR = TrainingSet(PRESETS["xor"].inputs, PRESETS["xor"].outputs)


def test_messages_go_to_the_status_line_and_are_gone_after_the_next_action(app):
    app.number_input(key="target_epochs").set_value(1).run()
    app.button(key="step").click().run()
    app.button(key="train").click().run()  # already there: refused, said in the line
    assert status(app) == "Already at epoch 1: raise the epoch to train to." and not app.toast
    assert keyed(app, "status_refused") is not None  # a refusal looks like one (its own style and icon)
    app.button(key="step").click().run()
    assert status(app) == "" and not app.toast
    open_settings(app)
    app.toggle(key="bias").set_value(True).run()  # a change of the run: said as done, not as refused
    assert "restarted" in status(app) and keyed(app, "status_done") is not None


def test_the_status_line_also_says_how_the_run_stands():
    at = new_app({"s": Scenario(data=XOR, preset="xor").to_link()})
    at.button(key="train").click().run()
    finish(at)
    assert status(at).startswith("Training stopped: the update of epoch 250 left every weight exactly as it was")
    assert keyed(at, "status_state") is not None


@pytest.mark.parametrize("hidden,bias", [((4,), True), ((3,), False), ((16,), True), ((2, 3), True)])
def test_every_parameter_has_exactly_one_cell_of_the_weight_matrices(hidden, bias):
    arch = Architecture(3, hidden=hidden, bias=bias)
    tables = weight_tables(arch)
    shown = [p for table in tables for row in table["index"] for p in row]
    assert sorted(shown) == list(range(arch.n_params))  # every parameter, once
    for table in tables:
        assert len(table["index"]) == len(table["rows"]) and all(len(r) == len(table["cols"]) for r in table["index"])
    first = tables[0]
    assert first["rows"][:3] == ["x₁", "x₂", "x₃"] and first["cols"][0] == "h₁"
    assert (first["rows"][-1] == "b") == bias
    assert tables[-1]["rows"] == ["ŷ"]  # the output unit's weights: one low, wide row


def test_a_hidden_networks_weights_read_out_carries_every_weight():
    settings = Settings(hidden=(4,), bias=True, init="random", seed=1)
    at = new_app({"s": Scenario(data=XOR, preset="xor", settings=settings).to_link()})
    (weights,) = [c for c in components(at, "text") if c["kind"] == "weights"]
    net = session(at).network
    assert len(weights["values"]) == 21 and weights["values"] == net.params.tolist()
    assert sum(len(row) for table in weights["tables"] for row in table["index"]) == 21
    assert "All 21 weights" in weights["label"]


def test_why_it_is_stuck_sits_in_the_training_column_and_shows_the_hidden_layer_first():
    at = new_app({"s": Scenario(data=XOR, preset="xor").to_link()})
    said = text(at)
    first, second = said.index("No straight cut separates"), said.index("An all-zero row and no bias:")
    assert first < second  # a hidden layer (with a bias and random starts) cures both
    buttons = [b.key for b in at.button if b.key and b.key.startswith("fix_")]
    assert buttons == ["fix_hidden", "fix_bias"]
    at.button(key="fix_hidden").click().run()
    assert session(at).scenario.settings.hidden == (4,) and "Applied: Add a hidden layer" in status(at)
    assert at.number_input(key="hidden_units").value == 4  # the settings beside the chart show it too


def test_the_table_shows_as_text_until_the_learner_edits_it(app):
    assert not app.dataframe  # no grid (and none of its code) on the first view
    shown = "\n".join(m.value for m in app.markdown)
    assert "| 1 | 0 | 1 | 0 | 0 |" in shown and "| 6 | 1 | 0 | 1 | 1 |" in shown
    app.button(key="edit_table").click().run()
    assert len(app.dataframe) == 1 and "edit_table" not in [b.key for b in app.button]
    app.run()
    assert len(app.dataframe) == 1  # it stays open


def test_a_long_table_shows_its_first_rows_and_says_how_many_more():
    rows = [[i % 2, 0, 0, i % 2] for i in range(SHOWN_ROWS + 5)]
    text_shown = table_text(TrainingSet.from_rows(rows))
    assert text_shown.count("\n| ") == SHOWN_ROWS and "… and 5 more rows" in text_shown


def test_a_short_runs_axis_ticks_whole_epochs(app):
    fig = live_figures(app)["loss_plot"]
    assert fig["layout"]["xaxis"]["dtick"] == 1 and fig["layout"]["xaxis"]["range"] == [0, 1]
    long = loss_figure(np.arange(0, 25_001, 100), np.linspace(0.5, 0.1, 251), y_title="e", x_title="Epoch")
    assert "dtick" not in long["layout"]["xaxis"] and long["layout"]["xaxis"]["tickformat"] == ",d"


def test_the_sweeps_lines_follow_a_colour_scale_that_a_colour_bar_explains():
    rates = np.logspace(-2, 2, 25)
    errors = np.tile(np.linspace(0.5, 0.1, 10)[:, None], (1, 25))
    fig = sweep_figure(rates, np.arange(10), errors, best=12, x_title="Epoch", y_title="e", rate_label="rate")
    lines, (scale,) = fig["data"][:25], fig["data"][25:]
    assert scale["marker"]["showscale"] and scale["marker"]["colorbar"]["title"]["text"] == "rate"
    assert scale["marker"]["cmin"] == pytest.approx(-2) and scale["marker"]["cmax"] == pytest.approx(2)
    assert scale["marker"]["colorbar"]["ticktext"] == ["0.01", "0.1", "1", "10", "100"]
    colours = [line["line"]["color"] for i, line in enumerate(lines) if i != 12]
    assert len(set(colours)) == 24 and colours[0] == "rgb(68,1,84)" and colours[-1] == "rgb(253,231,37)"
    assert [line["showlegend"] for line in lines].count(True) == 1  # the best, named
