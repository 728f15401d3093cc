"""AppTest of issue 13, "learn by doing": the optimiser page, each row's share, guess before you see, the article's
code line by line, the diagnosis and its one-click fixes, weights typed into the network diagram. Values are checked
against restatements of the formulas written here, not against nn_core's own output."""

import base64
import re

import numpy as np
import pytest

from nn_core import PRESETS, Scenario, Settings, TrainingSet
from playground.panels.training import views as training_views
from playground.state.actions import next_chunk, open_scenario, play, set_weight, stop
from tests.core.reference import article_loop, mlp_loop

from .conftest import errors, finish, live_figures, new_app, open_page, open_settings, session, status, text

X = np.array(PRESETS["article"].inputs, dtype=float)
Y = np.array(PRESETS["article"].outputs, dtype=float)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def restated(w, b=0.0, x=X, y=Y):
    """mean |error| and Xᵀ·((y − ŷ)·ŷ(1 − ŷ)) of the weights w (the article's formulas)."""
    y_hat = sigmoid(x @ np.reshape(w, (-1, 1)) + b)
    delta = (y - y_hat) * y_hat * (1 - y_hat)
    return float(np.mean(np.abs(y - y_hat))), (x.T @ delta).ravel(), delta


def typed(value) -> np.ndarray:
    """A figure's array as plotly.js receives it (live.py sends numpy arrays as base64 typed arrays)."""
    return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]) if isinstance(value, dict) else value


def html(at) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def numbers(s: str) -> list[float]:
    return [float(v) for v in re.findall(r"[-+]?\d+\.\d+", s.replace("−", "-"))]


# -- you are the optimiser ------------------------------------------------------------------------------------------
def test_hand_set_weights_show_their_error_and_update(app):
    at = open_page(app, "pages/optimiser.py")
    assert [at.number_input(key=f"hand_w{i}").value for i in (1, 2, 3)] == [0.5, 0.5, 0.5]
    at.number_input(key="hand_w1").set_value(1.0).run()
    at.number_input(key="hand_w2").set_value(-1.0).run()
    error, update, _ = restated([1.0, -1.0, 0.5])
    assert at.metric[0].value == f"{error:.6f}" == "0.329232"
    shown = numbers("\n".join(m.value for m in at.markdown if "⬆" in m.value or "⬇" in m.value))
    assert shown == [round(u, 6) for u in update] == [0.168809, -0.052877, 0.027208]
    assert at.slider(key="hand_w2_slider").value == -1.0  # the slider beside it follows
    assert "hand_surface_plot" in live_figures(at)
    assert len(session(at).practice.path) == 3  # start, then two moves


def test_the_slider_moves_the_weight_too(app):
    at = open_page(app, "pages/optimiser.py")
    at.slider(key="hand_w3_slider").set_value(-2.0).run()
    assert at.number_input(key="hand_w3").value == -2.0
    assert at.metric[0].value == f"{restated([0.5, 0.5, -2.0])[0]:.6f}"


def test_a_weight_past_the_limit_is_refused_and_the_last_stays(app):
    at = open_page(app, "pages/optimiser.py")
    at.number_input(key="hand_w1").set_value(2.0).run()
    at.number_input(key="hand_w1").set_value(1e9).run()  # a hostile client can send past the browser's limits
    assert not at.exception
    assert at.number_input(key="hand_w1").value == 2.0 and session(at).practice.hand[0] == 2.0
    assert status(at) == "A value outside this control's choices was sent and refused; the last valid one is back."
    assert not at.toast  # said in the status line, never over the controls


def test_the_race_is_backprop_from_where_the_learner_started(app):
    at = open_page(app, "pages/optimiser.py")
    at.number_input(key="hand_w1").set_value(3.0).run()
    at.number_input(key="hand_w2").set_value(-3.0).run()
    at.button(key="race").click().run()
    error = restated([3.0, -3.0, 0.5])[0]
    _, history = article_loop(25_000)  # backprop from the start of the attempt: the article's weights 0.5
    caught = int(np.flatnonzero(history <= error)[0])
    said = next(m.value for m in at.info)
    assert f"after {caught:,} epochs" in said and "you took 2 moves" in said
    figure = live_figures(at)["hand_surface_plot"]
    assert {tr.get("name") for tr in figure["data"]} >= {"backprop from your start", "your moves", "you"}


def test_with_a_bias_there_is_a_fourth_value(app):
    open_settings(app)
    app.toggle(key="bias").set_value(True).run()
    at = open_page(app, "pages/optimiser.py")
    at.number_input(key="hand_b").set_value(-0.5).run()
    error, update, delta = restated([0.5, 0.5, 0.5], b=-0.5)
    assert at.metric[0].value == f"{error:.6f}"
    shown = numbers("\n".join(m.value for m in at.markdown if "⬆" in m.value or "⬇" in m.value))
    assert shown == [round(u, 6) for u in [*update, delta.sum()]]


def test_a_hidden_layer_is_said_to_be_impractical(app):
    open_settings(app)
    app.number_input(key="hidden_units").set_value(4).run()
    at = open_page(app, "pages/optimiser.py")
    assert "not practical" in text(at) and not [w for w in at.number_input if w.key == "hand_w1"]


# -- each row's share ---------------------------------------------------------------------------------------------
def test_each_rows_share_at_epoch_zero(app):
    at = open_page(app, "pages/backprop.py")
    _, update, delta = restated([0.5, 0.5, 0.5])
    shares = X * delta
    table = html(at)
    for value in [*shares[3:, 0], *update]:
        assert f"{value:.6f}" in table
    assert [f"{v:.6f}" for v in shares[3:, 0]] == ["0.088723", "0.027208", "0.052877"]
    assert "Nothing reaches w₁ from rows 1, 2, 3: x₁ is 0 there" in text(at).replace("\\", "")
    bars = live_figures(at)["contributions_plot"]["data"]
    assert len([b for b in bars if b["type"] == "bar"]) == 6  # one bar per row, in the rows' colours


def test_the_playground_view_of_each_rows_share_follows_the_rewound_epoch(app):
    app.selectbox(key="step_size").set_value(100).run()
    app.button(key="step").click().run()
    app.segmented_control(key="view_tab").set_value("shares").run()
    figure = live_figures(app)["shares_plot"]
    w, _ = article_loop(100)
    _, update, _ = restated(w.ravel())
    total = next(tr for tr in figure["data"] if tr["type"] == "scatter")
    np.testing.assert_allclose(typed(total["y"]), update, rtol=1e-9)


# -- guess before you see -------------------------------------------------------------------------------------------
def test_guessing_hides_each_stage_until_revealed(app):
    at = open_page(app, "pages/backprop.py")
    at.toggle(key="predict_first").set_value(True).run()
    assert "0.622459" not in html(at) and "<th>Xw</th>" not in html(at)  # only stage 1 (the data) is shown
    at.button(key="reveal").click().run()  # no guess yet: it says so
    assert status(at) == "Type your guess first, then press Reveal."
    at.number_input(key="guess").set_value(0.4).run()
    at.button(key="reveal").click().run()
    assert "You guessed 0.4. It is 0.500000: off by 0.100000." in text(at)  # Σxᵢwᵢ of row 1 = 0.5
    assert at.number_input(key="guess").value is None  # the next stage asks afresh
    at.number_input(key="guess").set_value(0.6).run()
    at.button(key="reveal").click().run()
    assert f"It is {sigmoid(0.5):.6f}" in text(at)  # ŷ of row 1 = σ(0.5)
    assert "0.622459" in html(at)


def test_a_lesson_asks_first_and_reveals_from_its_own_network(app):
    app.selectbox(key="lesson").set_value("bias").run()
    app.button(key="start_lesson").click().run()
    assert "Guess first" in text(app) and "1/12" not in text(app)
    app.number_input(key="lesson_guess").set_value(0.05).run()
    app.button(key="lesson_reveal").click().run()
    assert f"It is {0.5 / 6:.6f}" in text(app) and "1/12" in text(app)  # the floor, then the lesson's text


# -- why is it stuck? -----------------------------------------------------------------------------------------------
def diagnosis_text(at) -> str:
    return text(at)


def train_to(at, epochs=25_000):
    at.number_input(key="target_epochs").set_value(epochs).run()
    at.button(key="train").click().run()
    return finish(at)


def test_fix_bias_lifts_the_floor(app):
    assert "An all-zero row and no bias" in text(app)
    app.button(key="fix_bias").click().run()
    s = session(app)
    assert s.scenario.settings.bias and s.network.epoch == 0 and app.toggle(key="bias").value is True
    train_to(app)
    # Restated: the article's loop with a bias (a weight on an input that is always 1), from the same start.
    x1 = np.hstack([X, np.ones((6, 1))])
    weights, history = article_loop(25_000, inputs=x1, weights=[[0.5], [0.5], [0.5], [0.0]])
    expected = float(np.mean(np.abs(Y - sigmoid(x1 @ weights))))
    assert s.network.current_loss() == pytest.approx(expected, rel=1e-9) and expected < 0.5 / 6
    assert "An all-zero row" not in text(app)


def test_fix_hidden_learns_xor(app):
    app.selectbox(key="preset").set_value("xor").run()
    assert "cannot get every row right" in text(app)
    app.button(key="fix_hidden").click().run()
    s = session(app)
    assert s.scenario.settings.hidden == (4,) and s.scenario.settings.bias and s.scenario.settings.init == "random"
    start = s.network.initial_params.copy()
    train_to(app)
    xor = PRESETS["xor"]
    x, y = np.array(xor.inputs, float), np.array(xor.outputs, float)
    (w1, b1), (w2, b2) = s.network.architecture.split(start)
    weights, biases = mlp_loop(x, y, [w1.copy(), w2.copy()], [b1.copy(), b2.copy()], "sigmoid", 25_000, 1.0)
    y_hat = sigmoid(sigmoid(x @ weights[0] + biases[0]) @ weights[1] + biases[1])
    expected = float(np.mean(np.abs(y - y_hat)))
    assert expected < 0.05 and s.network.current_loss() == pytest.approx(expected, rel=1e-6)


def test_fix_rate_undoes_a_saturating_learning_rate(app):
    app.number_input(key="learning_rate").set_value(1000.0).run()
    train_to(app)
    assert "Stuck where the sigmoid is flat" in text(app) and "(row 5)" in text(app)
    app.button(key="fix_rate").click().run()
    s = session(app)
    assert s.network.learning_rate == 100 and s.network.epoch == 0  # a tenth, from the start again
    train_to(app)
    _, history = article_loop(25_001, rate=100.0)
    assert s.network.stop is None and s.network.current_loss() == pytest.approx(history[-1], rel=1e-9)
    assert history[-1] < 0.5 / 6 + 0.001 and "Stuck where" not in text(app)


def test_fix_rate_after_the_weight_limit(app):
    s = session(app)
    data = TrainingSet.from_rows([[100, -100, 0, 1]] * 10 + [[-1, 1, 0, 0]])
    open_scenario(s, Scenario(data=data, preset=None, settings=Settings(learning_rate=10_000.0)))
    app.run()
    train_to(app, 1000)
    assert s.network.stop.kind == "weight_limit" and "reached the safety limit" in text(app)
    app.button(key="fix_rate").click().run()
    train_to(app, 1000)  # a tenth of the rate: the first update saturates every row, the second changes nothing
    assert s.network.stop.kind == "fixed_point" and "safety limit" not in text(app)


def test_fix_random_separates_identical_hidden_units(app):
    s = session(app)
    app.selectbox(key="preset").set_value("xor").run()
    open_settings(app)
    app.number_input(key="hidden_units").set_value(4).run()
    app.toggle(key="bias").set_value(True).run()
    app.selectbox(key="init_mode").set_value("article").run()  # every weight 0.5: the hidden units are twins
    assert s.scenario.settings.init == 0.5 and "Identical hidden units: h1, h2, h3, h4" in text(app)
    train_to(app)
    twins = s.network.current_loss()
    app.button(key="fix_random").click().run()
    assert s.scenario.settings.init == "random" and "Identical" not in text(app)
    train_to(app)
    assert s.network.current_loss() < 0.05 < twins


def test_a_students_page_names_the_cause_without_the_fix():
    at = new_app({"s": Scenario(ui={"hide": ["settings"]}).to_link()})
    assert "An all-zero row and no bias" in text(at)
    assert not [b for b in at.button if b.key and b.key.startswith("fix_")]


# -- the network diagram -------------------------------------------------------------------------------------------
def test_a_weight_typed_into_the_diagram_goes_on_from_there_and_the_link_keeps_it(app):
    app.selectbox(key="step_size").set_value(100).run()
    app.button(key="step").click().run()
    app.segmented_control(key="view_tab").set_value("network").run()
    figure = live_figures(app)["network_plot"]
    answers = next(tr for tr in figure["data"] if tr.get("meta", {}).get("select"))
    w, _ = article_loop(100)
    _, update, _ = restated(w.ravel())
    assert [p for p, _, _ in answers["customdata"]] == [0, 1, 2]
    np.testing.assert_allclose([u for _, _, u in answers["customdata"]], update, rtol=1e-9)
    s = session(app)
    s.practice.edge = 0  # what a click on w₁'s line does (live.js sends the parameter; see the browser test)
    app.run()
    assert app.number_input(key="edge_weight").value == pytest.approx(w[0, 0])
    app.number_input(key="edge_weight").set_value(3.0).run()
    app.button(key="edge_set").click().run()
    assert s.network.params[0] == 3.0 and s.network.epoch == 100 and s.practice.edge is None
    app.button(key="step").click().run()
    restarted = np.array([[3.0], [w[1, 0]], [w[2, 0]]])
    expected, _ = article_loop(100, weights=restarted)
    np.testing.assert_allclose(s.network.params, expected.ravel(), rtol=1e-12)
    reopened = session(new_app({"s": s.share_scenario({}).to_link()}))
    np.testing.assert_array_equal(reopened.network.params, s.network.params)
    np.testing.assert_array_equal(reopened.network.params_at(150), s.network.params_at(150))


def test_a_weight_set_while_rewound_drops_the_later_epochs(app):
    s = session(app)
    s.network.train(500)
    s.rewind = 200
    set_weight(s, 1, -2.0)
    assert s.network.epoch == 200 and s.network.params[1] == -2.0 and s.rewind is None


@pytest.mark.parametrize("value", [7, -1, "0", 1.5, True, None, [0]])
def test_a_click_naming_no_weight_is_refused(app, value, monkeypatch):
    s = session(app)
    monkeypatch.setattr(training_views, "widget", lambda key, default=None: {"select": value})
    training_views._edge_clicked(s)
    assert s.practice.edge is None and s.notice == ("pg.value_refused", {})


def test_a_weight_out_of_range_is_refused_and_nothing_changes(app):
    s = session(app)
    s.practice.edge = 0
    app.segmented_control(key="view_tab").set_value("network").run()
    app.number_input(key="edge_weight").set_value(5000.0).run()
    app.button(key="edge_set").click().run()
    assert s.network.params[0] == 0.5 and not s.network.events and not errors(app)


@pytest.mark.parametrize("view", ["shares", "network"])
def test_views_computed_per_frame_follow_the_frames_live_play_sends(app, view):
    app.segmented_control(key="view_tab").set_value(view).run()
    s = session(app)
    play(s, speed=1000)
    s.player.outbox = next_chunk(s)
    chunk = s.player.outbox
    app.run()
    followers = [tr for tr in live_figures(app)[f"{view}_plot"]["data"] if tr.get("meta", {}).get("live") == "frames"]
    assert followers
    for trace in followers:
        assert trace["meta"]["epochs"] == chunk.epochs.tolist()  # one entry per frame the browser will show
    for k in (0, len(chunk.epochs) // 2, len(chunk.epochs) - 1):
        _, update, delta = restated(chunk.params[k])
        if view == "shares":
            rows = [tr["meta"]["frames"]["y"][k] for tr in followers if tr["type"] == "bar"]
            np.testing.assert_allclose(rows, X * delta, rtol=1e-7, atol=1e-12)
            total = next(tr for tr in followers if tr["type"] == "scatter")
            np.testing.assert_allclose(total["meta"]["frames"]["y"][k], update, rtol=1e-7)
        else:
            (answers,) = followers
            np.testing.assert_allclose([u for _, _, u in answers["meta"]["frames"]["customdata"][k]], update, rtol=1e-7)
            np.testing.assert_allclose([w for _, w, _ in answers["meta"]["frames"]["customdata"][k]],
                                       chunk.params[k], rtol=1e-12)
    stop(s)
    app.run()
    assert s.player.frames is None


def test_presenter_mode_keeps_the_one_click_fixes():
    at = new_app({"presenter": "1"})
    assert "fix_bias" in [b.key for b in at.button]  # the settings are tucked away on a shared screen, the fix is not


def test_a_large_tables_shares_keep_a_few_rows_apart_and_sum_the_rest(app):
    rows = [[i % 2, (i // 2) % 2, (i // 4) % 2, i % 2] for i in range(30)]
    s = session(app)
    open_scenario(s, Scenario(data=TrainingSet.from_rows(rows), preset=None))
    app.run()
    app.segmented_control(key="view_tab").set_value("shares").run()
    play(s, speed=1000)
    s.player.outbox = next_chunk(s)
    chunk = s.player.outbox
    app.run()
    bars = [tr for tr in live_figures(app)["shares_plot"]["data"] if tr["type"] == "bar"]
    assert len(bars) == 12 and bars[-1]["name"] == "the other rows"
    x, y = np.array(rows, float)[:, :3], np.array(rows, float)[:, 3:]
    k = len(chunk.epochs) - 1
    _, _, delta = restated(chunk.params[k], x=x, y=y)
    np.testing.assert_allclose(bars[3]["meta"]["frames"]["y"][k], x[3] * delta[3], rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(bars[-1]["meta"]["frames"]["y"][k], (x[11:] * delta[11:]).sum(axis=0), rtol=1e-6,
                               atol=1e-12)
