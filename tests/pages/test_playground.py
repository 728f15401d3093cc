"""AppTest of the Playground page: defaults, training actions, editing, bad input, settings."""

import re

import numpy as np

from nn_core import PRESETS
from nn_core.scenario import Scenario
from playground.chrome import SESSION_KEY
from playground.session import play_tick, toggle_play

from .conftest import live_figures, text


def epoch(at) -> int:
    return int(re.sub(r"\D", "", str(at.metric[0].value)))


def weights(at) -> list[float]:
    (shown,) = [t.value for t in at.text if "w₁" in t.value]
    return [float(v) for v in re.findall(r"-?\d+\.\d+", shown)]


def session(at):
    return at.session_state[SESSION_KEY]


def test_defaults_are_the_articles(app):
    assert app.selectbox(key="preset").value == "article"
    assert app.number_input(key="learning_rate").value == 1.0
    assert app.number_input(key="target_epochs").value == 25000
    assert set(app.selectbox(key="step_size").options) >= {"1", "10", "100", "1,000"}
    assert epoch(app) == 0 and weights(app) == [0.5, 0.5, 0.5]
    net = session(app).network
    assert net.inputs.tolist() == PRESETS["article"].inputs
    assert "0.0833" in text(app)  # the floor is explained up front


def test_step_advances_by_the_chosen_size(app):
    app.button(key="step").click().run()
    assert epoch(app) == 1
    app.selectbox(key="step_size").set_value(1000).run()
    app.button(key="step").click().run()
    assert epoch(app) == 1001
    assert weights(app) == [round(w, 4) for w in session(app).network.params_at(1001)]


def test_train_to_target_reproduces_the_article(app):
    app.button(key="train").click().run()
    assert not app.exception
    assert epoch(app) == 25000
    assert weights(app) == [10.0883, -5.3980, 0.3544]
    app.number_input(key="target_epochs").set_value(30000).run()
    app.button(key="train").click().run()
    assert epoch(app) == 30000


def test_reset_returns_to_epoch_zero(app):
    app.button(key="train").click().run()
    app.button(key="reset").click().run()
    assert epoch(app) == 0 and weights(app) == [0.5, 0.5, 0.5]


def test_each_view_draws_its_own_chart(app):
    app.button(key="train").click().run()
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
    net = session(app).network
    assert net.current_loss() < 0.1 and epoch(app) == net.epoch > 0


def test_play_ticks_advance_and_stop_halts(app):
    s = session(app)
    toggle_play(s)
    assert s.playing
    t0 = 100.0
    play_tick(s, now=t0)
    first = s.network.epoch
    play_tick(s, now=t0 + 0.1)
    assert s.network.epoch == first + round(s.play_speed * 0.1)
    toggle_play(s)
    assert not s.playing
    app.button(key="play").click().run()  # the real button toggles it too
    assert session(app).playing
    app.button(key="play").click().run()
    assert not session(app).playing


def test_editing_a_cell_restarts_training_on_the_new_data(app):
    app.button(key="step").click().run()
    app.session_state["training_data"] = {"edited_rows": {2: {"y": 1}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert "the data changed" in text(app)
    assert epoch(app) == 0
    assert session(app).network.outputs[:, 0].tolist() == [0, 0, 1, 1, 1, 1]
    assert app.selectbox(key="preset").value == "custom"


def test_adding_and_deleting_rows(app):
    app.session_state["training_data"] = {"edited_rows": {}, "added_rows": [{"x1": 1, "x2": 1, "x3": 0, "y": 1}],
                                          "deleted_rows": [0]}
    app.run()
    net = session(app).network
    assert net.inputs.shape == (6, 3) and net.inputs[-1].tolist() == [1, 1, 0]


def test_an_invalid_cell_is_named_and_the_last_valid_table_stays(app):
    app.button(key="step").click().run()
    app.session_state["training_data"] = {"edited_rows": {1: {"x2": None}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception
    assert any("row 2, column x2" in e.value for e in app.error)
    assert session(app).network.inputs.tolist() == PRESETS["article"].inputs
    assert epoch(app) == 1  # training was not lost
    app.session_state["training_data"] = {"edited_rows": {1: {"x2": "abc"}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception and any("row 2, column x2" in e.value for e in app.error)


def test_too_many_rows_are_refused_with_a_message(app):
    rows = [{"x1": 1, "x2": 0, "x3": 0, "y": 1}] * 1000
    app.session_state["training_data"] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}
    app.run()
    assert not app.exception and any("1,006 rows" in e.value for e in app.error)


def test_changing_the_learning_rate_does_not_restart(app):
    app.button(key="step").click().run()
    app.number_input(key="learning_rate").set_value(0.5).run()
    assert epoch(app) == 1 and session(app).network.learning_rate == 0.5


def test_choosing_a_preset_restarts_with_its_data(app):
    app.button(key="step").click().run()
    app.selectbox(key="preset").set_value("xor").run()
    net = session(app).network
    assert epoch(app) == 0 and net.inputs.shape == (8, 3)
    assert "cannot learn it" in text(app)  # the separability warning, before any training


def test_a_hidden_layer_switches_to_random_starts_and_learns_xor(app):
    app.selectbox(key="preset").set_value("xor").run()
    app.toggle(key="bias").set_value(True).run()
    app.number_input(key="hidden_units").set_value(4).run()
    s = session(app)
    assert s.scenario.hidden == (4,) and s.scenario.init == "random"
    app.button(key="train").click().run()
    assert not app.exception and s.network.current_loss() < 0.05


def test_learning_rate_1000_shows_diverged_not_nan(app):
    app.number_input(key="learning_rate").set_value(1000.0).run()
    app.button(key="train").click().run()
    assert not app.exception
    assert any("Diverged at epoch" in e.value for e in app.error)
    assert "nan" not in text(app).lower()


def test_rewind_shows_a_past_epoch(app):
    app.button(key="train").click().run()
    app.slider(key="rewind").set_value(1).run()
    assert epoch(app) == 1
    expected = [round(w, 4) for w in session(app).network.params_at(1)]
    assert weights(app) == expected
    assert session(app).network.epoch == 25000
    app.button(key="step").click().run()  # training again brings the views back to the live epoch
    assert epoch(app) == 25001 and app.slider(key="rewind").value == 25001


def test_share_link_in_the_sidebar_reopens_the_scenario(app):
    app.number_input(key="learning_rate").set_value(0.25).run()
    (link_text,) = [c.value for c in app.get("code")]
    link = link_text.split("?s=", 1)[1]
    assert Scenario.from_link(link).learning_rate == 0.25


def test_two_sessions_do_not_share_a_network(app):
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    other = AppTest.from_file(APP, default_timeout=60).run()
    app.button(key="train").click().run()
    other.run()
    assert epoch(other) == 0 and epoch(app) == 25000
    assert np.array_equal(session(other).network.params, [0.5, 0.5, 0.5])


def test_fuzzed_editor_states_never_break_the_page():
    """Whatever the editor sends (text, NaN, huge numbers, odd rows), the page answers with a message or trains."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    cell = st.one_of(st.none(), st.floats(), st.integers(-10**12, 10**12), st.text(max_size=8), st.booleans())
    row = st.fixed_dictionaries({}, optional={c: cell for c in ("x1", "x2", "x3", "y")})
    edits = st.fixed_dictionaries({
        "edited_rows": st.dictionaries(st.integers(0, 7), row, max_size=3),
        "added_rows": st.lists(row, max_size=3),
        "deleted_rows": st.lists(st.integers(0, 7), max_size=3, unique=True),
    })
    at = AppTest.from_file(APP, default_timeout=60).run()

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(edits)
    def check(state):
        at.session_state["training_data"] = state
        at.run()
        assert not at.exception, at.exception
        net = at.session_state[SESSION_KEY].network
        assert np.isfinite(net.inputs).all() and 1 <= len(net.inputs) <= 1000

    check()
