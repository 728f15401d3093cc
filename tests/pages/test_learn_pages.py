"""AppTest of the Backprop, Predict and Sigmoid pages, and how they share the Playground's network."""

import numpy as np

from playground.chrome import SESSION_KEY

from .conftest import open_page, text


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_backprop_shows_the_articles_epoch_zero(app):
    at = open_page(app, "app_pages/backprop.py")
    shown = markdown(at)
    for number in ("0.622459", "0.168809", "-0.262807", "-0.063650", "0.668809", "0.237193", "0.436350"):
        assert number in shown, number
    assert len(at.get("latex")) >= 8  # a formula per stage


def test_next_epoch_advances_the_playgrounds_network(app):
    at = open_page(app, "app_pages/backprop.py")
    at.button(key="next_epoch").click().run()
    net = at.session_state[SESSION_KEY].network
    assert net.epoch == 1 and at.number_input(key="trace_epoch").value == 1
    assert "0.668809" in markdown(at)  # epoch 1 starts from the weights epoch 0 produced
    at = open_page(at, "app_pages/playground.py")
    assert int(at.metric[0].value) == 1


def test_backprop_inspects_any_past_epoch(app):
    app.button(key="train").click().run()
    at = open_page(app, "app_pages/backprop.py")
    at.number_input(key="trace_epoch").set_value(0).run()
    assert "0.622459" in markdown(at)
    at.number_input(key="trace_epoch").set_value(24999).run()
    net = at.session_state[SESSION_KEY].network
    assert f"{net.params_at(25000)[0]:.6f}" in markdown(at)


def test_backprop_for_a_hidden_layer_goes_layer_by_layer(app):
    app.selectbox(key="preset").set_value("xor").run()
    app.number_input(key="hidden_units").set_value(3).run()
    at = open_page(app, "app_pages/backprop.py")
    titles = markdown(at)
    assert "Layer 1: forward" in titles and "Layer 2 (output): backward" in titles
    assert "Layer 1: backward (chain rule)" in titles


def test_predict_after_training_gives_the_articles_answer(app):
    app.button(key="train").click().run()
    at = open_page(app, "app_pages/predict.py")
    assert [at.number_input(key=f"query_x{i}").value for i in (1, 2, 3)] == [1, 1, 0]
    assert at.metric[0].value == "0.99089925"
    at.number_input(key="query_x1").set_value(0).run()
    at.number_input(key="query_x3").set_value(1).run()
    assert at.metric[0].value.startswith("0.006409")
    table = at.dataframe[0].value
    unseen = table[table.iloc[:, 3].str.startswith("no")].iloc[:, 0].tolist()
    assert unseen == ["[0, 0, 1]", "[1, 1, 0]"]


def test_predict_before_training_says_so(app):
    at = open_page(app, "app_pages/predict.py")
    assert "not been trained" in text(at)
    assert at.metric[0].value == "0.73105858"  # σ(0.5 + 0.5) with the starting weights


def test_sigmoid_page_slider_and_samples(app):
    at = open_page(app, "app_pages/sigmoid.py")
    assert at.metric[0].value == "0.500000" and at.metric[1].value == "0.250000"
    at.slider(key="sigmoid_z").set_value(4.0).run()
    s = 1 / (1 + np.exp(-4.0))
    assert at.metric[0].value == f"{s:.6f}" and at.metric[1].value == f"{s * (1 - s):.6f}"
    assert len(at.get("latex")) == 5
