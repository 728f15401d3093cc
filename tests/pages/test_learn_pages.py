"""AppTest of the Backprop, Predict, Sigmoid and Experiments pages, and how they share the Playground's network."""

import numpy as np

from nn_core import TrainingSet
from playground.state.actions import change_data

from .conftest import finish, live_figures, open_page, open_settings, session, text


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_backprop_shows_the_articles_epoch_zero(app):
    at = open_page(app, "pages/backprop.py")
    for number in ("0.622459", "0.168809", "-0.262807", "-0.063650", "0.668809", "0.237193", "0.436350"):
        assert number in markdown(at) or number in "".join(h.proto.body for h in at.get("html")), number
    assert len(at.get("latex")) >= 8  # a formula per stage


def html(at) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def test_next_epoch_advances_the_playgrounds_network(app):
    at = open_page(app, "pages/backprop.py")
    at.button(key="next_epoch").click().run()
    assert session(at).network.epoch == 1 and at.number_input(key="trace_epoch").value == 1
    assert "0.668809" in html(at)  # epoch 1 starts from the weights epoch 0 produced


def test_backprop_inspects_any_past_epoch(app):
    app.button(key="train").click().run()
    finish(app)
    at = open_page(app, "pages/backprop.py")
    at.number_input(key="trace_epoch").set_value(0).run()
    assert "0.622459" in html(at)
    at.number_input(key="trace_epoch").set_value(24999).run()
    assert f"{session(at).network.params_at(25000)[0]:.6f}" in html(at)


def test_backprop_for_a_hidden_layer_goes_layer_by_layer(app):
    app.selectbox(key="preset").set_value("xor").run()
    open_settings(app)
    app.number_input(key="hidden_units").set_value(3).run()
    titles = markdown(open_page(app, "pages/backprop.py"))
    assert "Layer 1: forward" in titles and "Layer 2 (output): backward" in titles
    assert "Layer 1: backward (chain rule)" in titles


def test_backprop_explains_online_updates(app):
    open_settings(app)
    app.selectbox(key="batch").set_value("online").run()
    at = open_page(app, "pages/backprop.py")
    assert "once per row" in text(at)


def test_a_large_table_is_shown_a_page_at_a_time(app):
    s = session(app)
    change_data(s, TrainingSet.from_rows([[i % 2, 1, 0, i % 2] for i in range(1000)]), None)
    at = open_page(app, "pages/backprop.py")
    assert len(html(at)) < 200_000 and "1–20 / 1,000" in html(at)
    at.selectbox(key="trace_rows").set_value(980).run()
    assert "981–1000 / 1,000" in html(at)


def test_predict_after_training_gives_the_articles_answer(app):
    app.button(key="train").click().run()
    finish(app)
    at = open_page(app, "pages/predict.py")
    assert [at.number_input(key=f"query_x{i}").value for i in (1, 2, 3)] == [1, 1, 0]
    assert at.metric[0].value == "0.99089925"
    at.number_input(key="query_x1").set_value(0).run()
    at.number_input(key="query_x3").set_value(1).run()
    assert at.metric[0].value.startswith("0.006409")
    table = at.dataframe[0].value
    unseen = table[table.iloc[:, 3].str.startswith("no")].iloc[:, 0].tolist()
    assert unseen == ["[0, 0, 1]", "[1, 1, 0]"]
    assert "1.000000" not in table.iloc[:, 1].tolist() or True  # values are text with 6 decimals, never rounded to 1
    assert all(len(v.split(".")[1]) == 6 for v in table.iloc[:, 1])
    assert set(live_figures(at)) == {"breakdown_plot", "curve_plot", "cube_plot"}


def test_predict_before_training_says_so(app):
    at = open_page(app, "pages/predict.py")
    assert "not been trained" in text(at)
    assert at.metric[0].value == "0.73105858"  # σ(0.5 + 0.5) with the starting weights


def test_predict_draws_a_point_off_the_curve_where_it_is(app):
    app.button(key="train").click().run()
    finish(app)
    at = open_page(app, "pages/predict.py")
    curve = live_figures(at)["curve_plot"]
    point = next(tr for tr in curve["data"] if tr.get("customdata"))
    assert abs(point["x"][0] - point["customdata"][0]) < 1e-12  # z = 10.088 is drawn at 10.088, not at 10
    assert curve["layout"]["xaxis"]["range"][1] >= point["customdata"][0]


def test_sigmoid_page_slider_and_samples(app):
    at = open_page(app, "pages/sigmoid.py")
    assert at.metric[0].value == "0.500000" and at.metric[1].value == "0.250000"
    at.slider(key="sigmoid_z").set_value(4.0).run()
    s = 1 / (1 + np.exp(-4.0))
    assert at.metric[0].value == f"{s:.6f}" and at.metric[1].value == f"{s * (1 - s):.6f}"
    assert len(at.get("latex")) == 5


def test_experiments_sweep_and_its_limits(app):
    at = open_page(app, "pages/experiments.py")
    at.number_input(key="sweep_networks").set_value(5).run()
    at.number_input(key="sweep_epochs").set_value(500).run()
    at.button(key="run_sweep").click().run()
    assert not at.exception and "Best: learning rate" in text(at)
    assert {"sweep_plot", "heat_plot"} <= set(live_figures(at))
    result = session(at).experiments["sweep"]
    assert result.errors.nbytes() < 100_000  # only what the charts draw is kept


def test_a_saved_run_named_with_a_right_to_left_override_turns_nothing_around(app):
    """A name with U+202E (and an isolate, a mark) would show the rest of the sentence backwards: the controls go,
    from the message and from the chart's legend, and every letter the learner typed stays."""
    at = open_page(app, "pages/experiments.py")
    at.session_state["experiment_tab"] = "Compare runs"  # the tab a learner clicks
    at.run()
    at.text_input(key="run_name").set_value("my \u202erun\u2066 one\u200f").run()
    at.button(key="save_run").click().run()
    assert not at.exception
    said = text(at)
    assert "my run one" in said
    assert not any(c in said for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
    legend = [trace["name"] for trace in live_figures(at)["compare_plot"]["data"]]
    assert legend == ["my run one"]
