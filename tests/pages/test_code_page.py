"""The code, line by line (/code): the engine's own source, walked through one epoch of the learner's network, with
the values each line reads and makes equal to the Backprop page's, and each line a click from its stage."""

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nn_core import PRESETS, NeuralNetwork, Settings
from playground.learn import code_listing, code_walk
from playground.learn.backprop import stages_for
from playground.strings import STRINGS
from playground.views.matrices import matrix_html
from tests.core.reference import article_loop

from .conftest import APP, open_page, open_settings, session, text

ARTICLE, XOR = PRESETS["article"], PRESETS["xor"]
NETWORKS = {  # the article's network, with a bias, with a hidden layer (each activation), and online
    "article": (ARTICLE, Settings()),
    "bias": (ARTICLE, Settings(bias=True, learning_rate=0.5)),
    "hidden": (XOR, Settings(hidden=(3,), bias=True, init="random", seed=1, learning_rate=2.0)),
    "tanh": (XOR, Settings(hidden=(2,), activation="tanh", init="random", seed=4)),
    "relu": (XOR, Settings(hidden=(4,), activation="relu", bias=True, init="random", seed=2)),
    "online": (ARTICLE, Settings(batch="online", seed=3)),
    "online hidden": (XOR, Settings(hidden=(2,), batch="online", init="random", seed=5)),
    "momentum": (ARTICLE, Settings(momentum=0.9, learning_rate=0.5)),
    "momentum online hidden": (XOR, Settings(hidden=(2,), batch="online", init="random", seed=6, momentum=0.5)),
}
MAIN_VALUE = {  # the name on each linked line whose numbers the Backprop page shows
    "predict_all": "y_hat", "weighted_sum": "z", "add_bias": "z", "squash": "a", "error": "blame", "slope": "slope",
    "delta": "delta", "layer_downhill": "layer.downhill", "bias_downhill": "layer.downhill_bias",
    "chain_rule": "blame", "update": "params"}


def network(name, epochs=7):
    data, settings = NETWORKS[name]
    net = NeuralNetwork(data.inputs, data.outputs, settings)
    net.train(epochs)
    return net


def six_decimals(html: str) -> set[str]:
    return set(re.findall(r"-?\d+\.\d{6}", html))


@pytest.mark.parametrize("name", NETWORKS)
def test_the_walk_runs_the_engines_own_code_and_every_line_that_runs_is_explained(name):
    net = network(name)
    walk = code_walk.walk(net, net.epoch, 0)
    assert np.array_equal(walk.new_state, _after_one_epoch(net))  # it really trained the epoch
    listed = {(f.name, number) for f in code_walk.listing(net) for number, _ in f.lines}
    assert all((step.function, step.line) in listed for step in walk.steps)
    assert not walk.cut and len(walk.steps) > 20
    unexplained = {(s.function, s.line) for s in walk.steps if s.note is None}
    assert not unexplained, unexplained
    for step in walk.steps:
        assert f"code.n.{step.note}" in STRINGS["en"] and f"code.n.{step.note}" in STRINGS["zh"]


def _after_one_epoch(net):
    alone = NeuralNetwork(net.data, settings=net.settings)
    alone.replay(net.epoch, net.events)
    alone.train(1)
    return alone.state[0]


@pytest.mark.parametrize("name", ["article", "bias", "hidden", "relu", "online", "online hidden", "momentum"])
def test_the_values_at_each_line_are_the_backprop_pages(name):
    """Every line linked to a Backprop stage shows, after it ran, numbers that stage shows for the same epoch."""
    net = network(name)
    trace = net.trace_epoch()
    stages = stages_for(trace)
    walk = code_walk.walk(net, net.epoch, 0)
    online = trace.rows is not None
    linked = 0
    for i in range(len(walk.steps)):
        number = code_walk.stage_for(walk, i, stages, online)
        step = walk.steps[i]
        if number is None or step.note not in MAIN_VALUE:
            continue
        if step.note == "weighted_sum" and net.architecture.bias:
            continue  # z before its bias: the stage shows the sum with it, the next line's value
        shown = dict(code_walk.walk(net, net.epoch, i).steps[i].values)
        value = shown[MAIN_VALUE[step.note]]
        if step.note == "update":
            value = value[:, : net.architecture.n_params]
        shows = [stages[number - 1]]
        if step.note == "update" and net.architecture.hidden:  # the new weights, layer by layer
            shows = [stage for stage in stages if stage.key in ("output", "backward")]
        page = "".join(matrix_html(values) for stage in shows for _, values, _ in stage.matrices)
        missing = six_decimals(code_listing.values_html(code_walk.Step("", 0, None, None, 0, (("v", value),)),
                                                     net.inputs)) - six_decimals(page)
        assert not missing, (name, step.note, step.layer, number, missing)
        linked += 1
    assert linked >= (7 if not net.architecture.hidden else 9)


def test_the_articles_numbers_at_epoch_ten_are_the_articles_own():
    net = network("article", 10)
    walk = code_walk.walk(net, 10, 0)
    delta_step = next(i for i, s in enumerate(walk.steps) if s.note == "delta")
    delta = dict(code_walk.walk(net, 10, delta_step).steps[delta_step].values)["delta"]
    w, _ = article_loop(10)
    x, y = np.array(ARTICLE.inputs, float), np.array(ARTICLE.outputs, float)
    y_hat = 1 / (1 + np.exp(-(x @ w)))
    np.testing.assert_array_equal(delta, (y - y_hat) * (y_hat * (1 - y_hat)))
    update_step = next(i for i, s in enumerate(walk.steps) if s.note == "update")
    params = dict(code_walk.walk(net, 10, update_step).steps[update_step].values)["params"]
    np.testing.assert_array_equal(params.ravel(), article_loop(11)[0].ravel())


# -- the page ----------------------------------------------------------------------------------------------------
def listing(at) -> str:
    return next(h.proto.body for h in at.get("html") if "code-listing" in h.proto.body)


def current_line(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**nn_core/"))


def step_to(at, line_text: str, limit: int = 60):
    for _ in range(limit):
        if line_text in current_line(at):
            return at
        at.button(key="code_step").click().run()
    raise AssertionError(line_text)


def test_the_page_steps_through_the_engines_lines_with_their_values(app):
    app.selectbox(key="step_size").set_value(10).run()
    app.button(key="step").click().run()
    code = step_to(open_page(app, "pages/code.py"), "delta = np.multiply(blame, slope")
    assert "nn_core/network.py, line" in current_line(code) and "epoch 10" in current_line(code)
    values = listing(code).split('class="code-values"')[1]
    w, _ = article_loop(10)
    x, y = np.array(ARTICLE.inputs, float), np.array(ARTICLE.outputs, float)
    y_hat = 1 / (1 + np.exp(-(x @ w)))
    for d in ((y - y_hat) * (y_hat * (1 - y_hat))).ravel():
        assert f"{d:.6f}" in values
    assert "delta = error × slope" in values  # the line's note, in the page's language


def test_stepping_past_the_last_line_trains_one_epoch_and_back_goes_back(app):
    code = open_page(app, "pages/code.py")
    code = step_to(code, "record.keep(epoch")
    code.button(key="code_step").click().run()  # the loop's last check
    code.button(key="code_step").click().run()  # Next epoch
    assert session(code).network.epoch == 1
    assert "y_hat = feed_forward(layers, x)" in current_line(code) and "epoch 1" in current_line(code)
    code.button(key="code_back").click().run()
    assert "for epoch in range(epochs):" in current_line(code)


def test_a_line_links_to_its_backprop_stage(app):
    code = step_to(open_page(app, "pages/code.py"), "blame = np.subtract(y, layers[-1].a")
    code.button(key="code_to_stage").click().run()
    assert not code.exception
    assert any("Error: y − ŷ" in m.value for m in code.markdown) and session(code).practice.focus is None


def test_a_hidden_network_is_walked_with_its_values(app):
    app.selectbox(key="preset").set_value("xor").run()
    open_settings(app)
    app.number_input(key="hidden_units").set_value(3).run()
    code = step_to(open_page(app, "pages/code.py"), "blame = layer.dot(delta, layer.weights.mT")
    assert 'class="bp-matrix"' in listing(code) and "The chain rule" in listing(code)
    assert code.button(key="code_to_stage").label == "See stage 5 on the Backprop page: Layer 1: backward (chain rule)"


def test_the_page_in_chinese():
    code = AppTest.from_file(APP, default_timeout=60)
    code.query_params["lang"] = "zh"
    code.switch_page("pages/code.py").run()  # (a first run: AppTest formats no earlier widget in English)
    assert not code.exception
    assert "逐行看代码" in [t.value for t in code.title] and "train() 开始" in listing(code)


def test_an_online_epoch_says_its_row_order(app):
    open_settings(app)
    app.selectbox(key="batch").set_value("online").run()
    code = open_page(app, "pages/code.py")
    assert "one update per row, in the order" in text(code)
