"""AppTest of the Playground: defaults, training, live play's server side, editing, bad input, settings."""

import base64
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import LOSS_NAMES, PRESETS, Scenario
from playground.state.actions import next_chunk, play, stop

from .conftest import (
    address,
    components,
    errors,
    finish,
    live_figures,
    live_text,
    new_app,
    open_page,
    open_settings,
    place,
    session,
    shown,
    status,
    text,
)


def epoch(at) -> int:
    return int(re.sub(r"\D", "", live_text(at, "epoch")))


def weights(at) -> list[float]:
    return [float(v) for v in re.findall(r"= (-?\d+\.\d+)", live_text(at, "weights"))]


def test_defaults_are_the_articles(app):
    assert app.selectbox(key="preset").value == "article"
    assert app.number_input(key="learning_rate").value == 1.0
    assert app.number_input(key="target_epochs").value == 25000
    assert set(app.selectbox(key="step_size").options) >= {"1 ×", "10 ×", "100 ×", "1,000 ×"}
    assert epoch(app) == 0 and weights(app) == [0.5, 0.5, 0.5]
    assert session(app).network.inputs.tolist() == PRESETS["article"].inputs
    assert "floor 0.0833" in live_text(app, "loss")  # computed for this network: proven, so shown


def test_step_advances_by_the_chosen_size(app):
    app.button(key="step").click().run()
    assert epoch(app) == 1
    app.selectbox(key="step_size").set_value(1000).run()
    app.button(key="step").click().run()
    assert epoch(app) == 1001
    assert weights(app) == [round(w, 4) for w in session(app).network.params_at(1001)]


def ahead(at) -> dict | None:
    """The next Step's frames, as the page's player was sent them (decoded), or None."""
    (player,) = [c for c in components(at, "player") if c["key"] == "play"]
    if player["ahead"] is None:
        return None
    decode = lambda name, dtype: np.frombuffer(base64.b64decode(player["ahead"][name]["bdata"]), dtype=dtype)
    epochs = decode("epochs", "<i4")
    return {"epochs": epochs, "params": decode("params", "<f8").reshape(len(epochs), -1),
            "losses": decode("losses", "<f8").reshape(len(epochs), -1)}


@pytest.mark.parametrize("size, changes", [(1, {}), (100, {}), (1000, {"learning_rate": 3.0}),
                                           (10, {"preset": "xor", "bias": True, "hidden_units": 4})])
def test_the_next_step_is_sent_ahead_and_is_the_step_the_server_makes(app, size, changes):
    """The browser shows these frames at the click, before the server answers: they must be its answer, bit for bit
    (weights and loss), whatever the step's size, the rate changed mid-run, a hidden layer."""
    if "preset" in changes:
        app.selectbox(key="preset").set_value(changes["preset"]).run()
        open_settings(app)
        app.toggle(key="bias").set_value(changes["bias"]).run()
        app.number_input(key="hidden_units").set_value(changes["hidden_units"]).run()
    app.button(key="step").click().run()
    if "learning_rate" in changes:
        app.number_input(key="learning_rate").set_value(changes["learning_rate"]).run()
    app.selectbox(key="step_size").set_value(size).run()
    sent, start = ahead(app), session(app).network.epoch
    assert sent["epochs"][-1] == start + size and list(sent["epochs"]) == sorted(set(sent["epochs"]))
    app.button(key="step").click().run()
    net = session(app).network
    assert net.epoch == start + size
    assert np.array_equal(sent["params"][-1], net.params)
    assert np.array_equal(sent["losses"][-1], [net.current_loss(name) for name in LOSS_NAMES])
    for epoch_, params in zip(sent["epochs"], sent["params"]):  # the curve between: the run's own epochs
        assert np.array_equal(params, net.params_at(int(epoch_)))
    assert ahead(app)["epochs"][-1] == net.epoch + size  # and the next one is on its way


def test_no_step_is_sent_ahead_where_the_server_must_decide(app):
    """Rewound (a Step there drops the later epochs), playing, or a Step too long to train on the side: the click
    waits for the server's answer."""
    app.selectbox(key="step_size").set_value(10_000).run()
    assert ahead(app) is None  # 10,000 epochs: more than a few milliseconds' work
    app.selectbox(key="step_size").set_value(10).run()
    app.button(key="step").click().run()
    app.button(key="step").click().run()
    assert ahead(app) is not None
    app.slider(key="rewind").set_value(10).run()
    assert ahead(app) is None
    app.slider(key="rewind").set_value(20).run()
    s = session(app)
    play(s)
    app.run()
    assert ahead(app) is None
    stop(s)
    app.run()
    assert ahead(app)["epochs"][-1] == 30


def test_train_to_target_reproduces_the_article(app):
    app.button(key="train").click().run()
    finish(app)
    assert epoch(app) == 25000 and weights(app) == [10.0883, -5.3980, 0.3544]
    app.number_input(key="target_epochs").set_value(30000).run()
    app.button(key="train").click().run()
    assert epoch(finish(app)) == 30000


def test_training_to_a_target_goes_in_slices_the_page_shows_and_can_stop(app):
    """Long work counts up: each slice is a quarter of a second at most, and Stop keeps what was trained."""
    app.number_input(key="target_epochs").set_value(1_000_000).run()
    app.button(key="train").click().run()
    s = session(app)
    first = s.network.epoch
    assert 0 < first < 1_000_000 and s.player.mode == "train"
    chunk = next_chunk(s)
    assert chunk.more and chunk.epochs[-1] == s.network.epoch > first
    stop(s, shown=first)  # training to a target keeps every epoch trained, whatever was on screen
    assert s.network.epoch == chunk.epochs[-1] and s.player.mode is None


def test_play_trains_ahead_and_stop_keeps_the_epoch_on_screen(app):
    s = session(app)
    play(s, speed=1000)
    chunk = next_chunk(s)
    frames = chunk.epochs
    assert chunk.more and len(frames) >= 30 and np.all(np.diff(frames) == frames[1] - frames[0])
    assert s.network.epoch > frames[-1]  # training runs ahead of the screen
    assert chunk.seconds_per_frame == pytest.approx((frames[1] - frames[0]) / 1000)
    np.testing.assert_array_equal(chunk.params[10], s.network.params_at(int(frames[10])))  # each frame exact
    shown = int(frames[12])
    stop(s, shown)
    assert s.network.epoch == shown and np.array_equal(s.network.params, chunk.params[12])
    app.run()
    assert epoch(app) == shown


def test_reset_returns_to_epoch_zero(app):
    app.button(key="train").click().run()
    finish(app)
    app.button(key="reset").click().run()
    assert epoch(app) == 0 and weights(app) == [0.5, 0.5, 0.5]


def test_each_view_draws_its_own_chart(app):
    app.button(key="train").click().run()
    finish(app)
    expected = {"loss": ("loss_plot", {"scatter"}), "weights": ("weights_plot", {"bar"}),
                "network": ("network_plot", {"scatter"}), "trajectories": ("trajectories_plot", {"scatter"}),
                "rows": ("rows_plot", {"scatter"})}
    for view, (key, traces) in expected.items():
        app.button_group(key="view_tab").set_value(view).run()
        assert not app.exception
        figures = live_figures(app)
        assert list(figures) == [key]  # only the chosen view is computed and sent
        assert {trace["type"] for trace in figures[key]["data"]} == traces
    bars = live_figures(app.button_group(key="view_tab").set_value("weights").run())["weights_plot"]["data"][0]
    assert bars["text"] == ["10.0883", "-5.3980", "0.3544"]


def test_the_log_scale_survives_a_visit_to_another_view(app):
    app.toggle(key="log_scale").set_value(True).run()
    assert live_figures(app)["loss_plot"]["layout"]["yaxis"]["type"] == "log"
    app.button_group(key="view_tab").set_value("network").run()
    app.button_group(key="view_tab").set_value("loss").run()
    assert live_figures(app)["loss_plot"]["layout"]["yaxis"]["type"] == "log"


def test_run_until_error_below(app):
    app.number_input(key="until_error").set_value(0.1).run()
    app.button(key="run_until").click().run()
    finish(app)
    net = session(app).network
    assert net.current_loss() < 0.1 and epoch(app) == net.epoch > 0
    previous = net.params_at(net.epoch - 1)
    assert float(net.losses_for(previous)[0]) >= 0.1  # it stopped at the first epoch below


def test_run_until_below_the_proven_floor_says_so_instead_of_training(app):
    app.number_input(key="until_error").set_value(0.05).run()
    app.button(key="run_until").click().run()
    assert session(app).network.epoch == 0 and session(app).player.mode is None
    assert "never fall below 0.0833" in status(app)


def _floor_lines(at) -> list[float]:
    return [shape["y0"] for shape in live_figures(at)["loss_plot"]["layout"].get("shapes", [])
            if shape.get("xref") == "paper" and shape["y0"] == shape["y1"]]


def test_a_floor_is_shown_only_where_it_is_proven(app):
    # No bias, no hidden layer: row [0, 0, 0] always predicts exactly 0.5, so the mean |error| stays above 1/12.
    app.button(key="train").click().run()
    finish(app)
    assert "floor 0.0833" in live_text(app, "loss") and _floor_lines(app) == [pytest.approx(1 / 12)]
    # Sigmoid hidden units output 0.5 at z = 0, so the zero row is not fixed: no floor, and the error goes below.
    open_settings(app)
    app.number_input(key="hidden_units").set_value(4).run()
    app.button(key="train").click().run()
    finish(app)
    assert "floor" not in live_text(app, "loss") and _floor_lines(app) == []
    assert session(app).network.current_loss() < 1 / 12


def test_the_loss_chart_draws_the_engines_own_numbers(app):
    """Float64 all the way to plotly.js: a hover's digits are the loss's digits, not a float32 neighbour's."""
    app.button(key="train").click().run()
    finish(app)
    line = live_figures(app)["loss_plot"]["data"][0]
    assert line["y"]["dtype"] == "f8"
    drawn = np.frombuffer(base64.b64decode(line["y"]["bdata"]), dtype="<f8")
    assert drawn[-1] == session(app).network.current_loss()


def test_a_restart_is_said_once_and_a_hidden_layer_says_why_its_start_is_random(app):
    app.button(key="step").click().run()
    open_settings(app)
    app.toggle(key="bias").set_value(True).run()
    assert "the network settings changed" in status(app)
    app.button(key="step").click().run()
    assert "restarted" not in status(app)  # said once: the next action has the line
    app.number_input(key="hidden_units").set_value(3).run()
    assert "random starts are used" in status(app)


def test_editing_a_cell_restarts_training_on_the_new_data(app):
    app.button(key="step").click().run()
    app.session_state["training_data"] = {"edited_rows": {2: {"y": 1}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert "the data changed" in status(app)
    assert epoch(app) == 0
    assert session(app).network.outputs[:, 0].tolist() == [0, 0, 1, 1, 1, 1]
    assert app.selectbox(key="preset").value == "custom"


def test_adding_and_deleting_rows(app):
    app.session_state["training_data"] = {"edited_rows": {}, "added_rows": [{"x1": 1, "x2": 1, "x3": 0, "y": 1}],
                                          "deleted_rows": [0]}
    app.run()
    net = session(app).network
    assert net.inputs.shape == (6, 3) and net.inputs[-1].tolist() == [1, 1, 0]
    assert "6 samples" in text(app)  # the introduction follows the data


@pytest.mark.parametrize("cell", [None, "abc", float("nan"), 1e308, -101])
def test_an_invalid_cell_is_named_and_the_last_valid_table_stays(app, cell):
    app.button(key="step").click().run()
    app.session_state["training_data"] = {"edited_rows": {1: {"x2": cell}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception
    assert any("row 2, column x2" in e.lower() for e in errors(app))
    assert session(app).network.inputs.tolist() == PRESETS["article"].inputs
    assert epoch(app) == 1  # training was not lost


@pytest.mark.parametrize("added,words", [(1000, "1,006 rows"), (10_000, "10,006 rows")])
def test_too_many_rows_are_refused_before_they_are_applied(app, added, words):
    rows = [{"x1": 1, "x2": 0, "x3": 0, "y": 1}] * added
    app.session_state["training_data"] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}
    app.run()
    assert not app.exception and any(words in e for e in errors(app))
    assert len(session(app).network.inputs) == 6


def pending(at) -> dict:
    """The edits the table's editor still holds (relative to the table it starts from), as the page reads them."""
    return {k: v for k, v in (at.session_state.get("training_data") or {}).items() if v}


PASTED = {"numbers": [{"x1": str(i % 2), "x2": str(i // 2 % 2), "x3": str(i // 4 % 2), "y": str(i % 3 / 2)}
                      for i in range(993)] + [{"x1": "", "x2": "", "x3": "", "y": ""}],
          "text": [{c: "not a number" for c in ("x1", "x2", "x3", "y")}] * 994}


def test_a_pasted_table_is_taken_in_once_and_its_messages_stay(app):
    """A paste of 994 rows (the row a paste leaves below it included) is applied once: then the editor starts from
    the cells as they are on screen, with no edit left for Streamlit to apply again on every later run."""
    app.button(key="step").click().run()
    app.session_state["training_data"] = {"edited_rows": {}, "added_rows": PASTED["numbers"], "deleted_rows": []}
    app.run()
    s = session(app)
    assert pending(app) == {} and len(s.editor_base) == 1000
    assert [list(row) for row in s.editor_base[6:]] == [list(row.values()) for row in PASTED["numbers"]]
    assert len(s.network.inputs) == 999 and epoch(app) == 0  # in force, its empty last row left out
    notes = [shown(i.value) for i in app.info]
    app.button(key="step").click().run()
    assert not app.exception and pending(app) == {} and epoch(app) == 1 and len(s.network.inputs) == 999
    assert [shown(i.value) for i in app.info] == notes and any("Nothing is in row 1000:" in n for n in notes)


def test_a_pasted_table_refused_is_taken_in_with_its_cells_and_its_problem(app):
    app.button(key="step").click().run()
    app.session_state["training_data"] = {"edited_rows": {}, "added_rows": PASTED["text"], "deleted_rows": []}
    app.run()
    s = session(app)
    problem = errors(app)
    assert pending(app) == {} and s.editor_base[6:] == (("not a number",) * 4,) * 994
    assert [row.count("not a number") for row in s.editor_base[:6]] == [0] * 6  # the learner's six rows, kept
    assert "3,976 problems" in problem[0] and "row 7, column x1" in problem[0].lower()
    app.run()
    assert pending(app) == {} and errors(app) == problem  # said again, from the cells kept
    assert s.network.inputs.tolist() == PRESETS["article"].inputs and epoch(app) == 1  # training goes on
    # An edit now is relative to the table on screen: deleting the pasted rows makes it the article's again.
    app.session_state["training_data"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": list(range(6, 1000))}
    app.run()
    assert not errors(app) and s.network.inputs.tolist() == PRESETS["article"].inputs and epoch(app) == 1


def test_typing_a_few_rows_keeps_the_same_editor(app):
    """Taking an edit in re-creates the grid in the browser: a learner typing a row or a few is not interrupted."""
    rows = [{"x1": "1", "x2": "1", "x3": "0", "y": "1"}] * 3
    app.session_state["training_data"] = {"edited_rows": {0: {"y": "1"}}, "added_rows": rows, "deleted_rows": []}
    app.run()
    assert pending(app)["added_rows"] == rows and session(app).editor_base.rows() == PRESETS["article"].rows()
    assert len(session(app).network.inputs) == 9


def test_a_huge_cell_is_refused_unread(app):
    app.session_state["training_data"] = {"edited_rows": {0: {"x1": "9" * 100_000}}, "added_rows": [],
                                          "deleted_rows": []}
    app.run()
    assert not app.exception and any("more than 40 characters" in e for e in errors(app))


def test_changing_the_learning_rate_does_not_restart(app):
    app.button(key="step").click().run()
    app.number_input(key="learning_rate").set_value(0.5).run()
    net = session(app).network
    assert epoch(app) == 1 and net.learning_rate == 0.5 and net.rate_at(1) == 0.5 and net.rate_at(0) == 1.0


@pytest.mark.parametrize("value", [1e6, 0.0, -1.0, float("nan"), float("inf")])
def test_a_learning_rate_out_of_range_says_the_limit_and_keeps_the_last(app, value):
    app.number_input(key="learning_rate").set_value(0.5).run()
    app.number_input(key="learning_rate").set_value(value).run()
    assert not app.exception
    assert session(app).network.learning_rate == 0.5
    assert app.number_input(key="learning_rate").value == 0.5
    # A number the box cannot hold (NaN, inf) is refused as it arrives; one it can hold, by the settings' own check.
    assert any("0.0001 to 10000" in e or "refused" in e for e in [*errors(app), status(app)])


def test_a_refused_setting_is_said_once_in_a_sentence():
    app = new_app()
    app.number_input(key="learning_rate").set_value(1e6).run()
    assert "The learning rate must be a number from 0.0001 to 10000. The settings in force stay as they were." in [
        e.replace("\\", "") for e in errors(app)]
    app.run()  # the box shows the rate in force again: nothing is left to fix
    assert not [e for e in errors(app) if "learning rate" in e]


def test_choosing_a_preset_restarts_with_its_data(app):
    app.button(key="step").click().run()
    app.selectbox(key="preset").set_value("xor").run()
    net = session(app).network
    assert epoch(app) == 0 and net.inputs.shape == (8, 3)
    assert "cannot get every row right" in text(app)  # the separability warning, before any training


def test_a_hidden_layer_switches_to_random_starts_and_learns_xor(app):
    app.selectbox(key="preset").set_value("xor").run()
    open_settings(app)
    app.toggle(key="bias").set_value(True).run()
    app.number_input(key="hidden_units").set_value(4).run()
    s = session(app)
    assert s.scenario.settings.hidden == (4,) and s.scenario.settings.init == "random"
    assert "floor" not in live_text(app, "loss")  # no floor is proven with a bias
    app.button(key="train").click().run()
    finish(app)
    assert s.network.current_loss() < 0.05


def test_online_updates_are_a_setting(app):
    open_settings(app)
    app.selectbox(key="batch").set_value("online").run()
    s = session(app)
    assert s.network.settings.batch == "online" and s.network.settings.seed is not None
    app.button(key="step").click().run()
    assert epoch(app) == 1


def test_learning_rate_1000_is_a_fixed_point_said_plainly(app):
    app.number_input(key="learning_rate").set_value(1000.0).run()
    app.button(key="train").click().run()
    finish(app)
    shown = text(app)
    assert "left every weight exactly as it was" in shown and "epoch 1" in shown
    assert "nan" not in shown.lower() and "diverged" not in shown.lower()


def test_rewind_shows_a_past_epoch(app):
    app.button(key="train").click().run()
    finish(app)
    app.slider(key="rewind").set_value(1).run()
    assert epoch(app) == 1
    assert weights(app) == [round(w, 4) for w in session(app).network.params_at(1)]
    assert session(app).network.epoch == 25000 and "Showing epoch 1" in text(app)
    app.button(key="step").click().run()  # training goes on from the epoch on screen (issue 23: rewind branches)
    assert epoch(app) == 2 == session(app).network.epoch


def test_the_share_link_reopens_the_same_run_at_the_same_epoch(app):
    app.button(key="step").click().run()
    app.number_input(key="learning_rate").set_value(0.25).run()
    app.selectbox(key="step_size").set_value(100).run()
    app.button(key="step").click().run()
    link = address(app)  # the address bar keeps the run; the share link shows the address bar
    reopened = new_app({"s": link})
    s, original = session(reopened), session(app)
    assert s.network.epoch == 101 and np.array_equal(s.network.params, original.network.params)
    assert s.network.rate_at(0) == 1.0 and s.network.rate_at(1) == 0.25
    assert "at epoch 101" in status(reopened)
    assert Scenario.from_link(link).run.epoch == 101


def test_the_page_keeps_its_place_in_the_run_after_a_link_opened():
    """The run that opens a link draws its replay's progress at the top; the next run draws none. The page under it
    stays in its place: moved, the browser would draw it afresh and show the old page beside the new one meanwhile."""
    opened = new_app({"s": Scenario().with_changes(learning_rate=0.37).to_link()})
    where = place(opened, "training")
    opened.button(key="step").click().run()  # (a click outside the training column: the whole page runs)
    assert place(opened, "training") == where == place(new_app(), "training")


def test_two_sessions_do_not_share_a_network(app):
    other = new_app()
    app.button(key="train").click().run()
    finish(app)
    other.run()
    assert epoch(other) == 0 and epoch(app) == 25000
    assert np.array_equal(session(other).network.params, [0.5, 0.5, 0.5])


def test_fuzzed_editor_states_never_break_the_page():
    """Whatever the editor sends (text, NaN, huge numbers, odd rows), the page answers with a message or trains."""
    cell = st.one_of(st.none(), st.floats(), st.integers(-10**12, 10**12), st.text(max_size=8), st.booleans())
    row = st.fixed_dictionaries({}, optional={c: cell for c in ("x1", "x2", "x3", "y")})
    edits = st.one_of(st.fixed_dictionaries({
        "edited_rows": st.dictionaries(st.integers(0, 7), row, max_size=3),
        "added_rows": st.lists(row, max_size=3),
        "deleted_rows": st.lists(st.integers(0, 7), max_size=3, unique=True),
    }), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
    at = new_app()

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(edits)
    def check(state):
        at.session_state["training_data"] = state
        at.run()
        assert not at.exception, at.exception
        net = session(at).network
        assert np.isfinite(net.inputs).all() and 1 <= len(net.inputs) <= 1000

    check()


ADVANCED = {"momentum", "bias", "hidden_units", "activation", "init_mode", "batch", "loss"}


def drawn_keys(at) -> set[str]:
    return {w.key for kind in ("number_input", "toggle", "selectbox") for w in at.get(kind) if w.key}


def test_the_advanced_settings_are_drawn_only_while_open_and_open_on_the_run_in_force(app):
    assert not ADVANCED & drawn_keys(app) and "learning_rate" in drawn_keys(app)
    session(app).scenario = session(app).scenario.with_changes(momentum=0.9, loss="mse")  # (changed while closed)
    open_settings(app)
    assert drawn_keys(app) >= ADVANCED
    assert app.number_input(key="momentum").value == 0.9 and app.selectbox(key="loss").value == "mse"
    app.selectbox(key="batch").set_value("online").run()
    assert "seed" in drawn_keys(app) and session(app).scenario.settings.batch == "online"  # online rows need a seed
    app.session_state["settings_open"] = False
    app.run()
    assert not ADVANCED & drawn_keys(app) and session(app).scenario.settings.batch == "online"
    app.number_input(key="learning_rate").set_value(0.5).run()  # a change made while they are closed keeps them
    assert session(app).scenario.settings.batch == "online" and session(app).scenario.settings.momentum == 0.9
    # A run that uses them (a bias, a hidden layer: a lesson, a link, a one-click fix) opens them to show it.
    app.button(key="fix_bias").click().run()
    assert app.toggle(key="bias").value is True


def test_momentum_is_a_setting_that_starts_the_run_again_and_shows_its_rule(app):
    app.button(key="step").click().run()
    open_settings(app)
    app.number_input(key="momentum").set_value(0.9).run()
    s = session(app)
    assert s.scenario.settings.momentum == 0.9 and s.network.settings.momentum == 0.9 and s.network.epoch == 0
    app.button(key="step").click().run()
    assert s.network.state.shape == (1, 6)  # three weights and their velocities
    backprop = open_page(app, "pages/backprop.py")
    assert any(r"v \leftarrow \mu\,v + X^{\top}\delta" in f.body for f in backprop.latex)
    assert s.share_scenario({}).to_dict()["momentum"] == 0.9  # the link carries it


def test_a_momentum_past_its_range_is_refused_and_the_run_stays(app):
    app.button(key="step").click().run()
    open_settings(app)
    app.number_input(key="momentum").set_value(1.5).run()
    s = session(app)
    assert s.scenario.settings.momentum == 0.0 and s.network.epoch == 1
    assert any(e.value.startswith("The momentum must be a number from 0 to 0") for e in app.error)
