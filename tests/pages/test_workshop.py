"""Sharing, exporting, languages, lessons, presenter mode and hidden controls."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork
from nn_core.scenario import Scenario
from playground.chrome import SESSION_KEY, losses_csv, weights_csv
from playground.script import reproduction_script
from playground.strings import STRINGS
from playground.workshop import PRESENTER_CHART_FONT

from .conftest import APP, live_figures, text

ROOT = Path(__file__).resolve().parents[2]


def session(at):
    return at.session_state[SESSION_KEY]


def fresh_app(query: dict):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


# -- languages ---------------------------------------------------------------------------------------------------
def test_both_languages_have_every_string_with_the_same_placeholders():
    en, zh = STRINGS["en"], STRINGS["zh"]
    assert set(en) == set(zh), sorted(set(en) ^ set(zh))
    for key in en:
        assert zh[key].strip(), key
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", zh[key])), key


def test_every_key_the_code_asks_for_exists():
    used = set()
    for path in [*ROOT.glob("playground/*.py"), *ROOT.glob("app_pages/*.py"), ROOT / "app.py"]:
        used |= set(re.findall(r'\bt\(\s*"(\w+\.[\w.]+)"', path.read_text()))
    missing = sorted(k for k in used if k not in STRINGS["en"])
    assert not missing, missing


def test_chinese_throughout(app):
    app.selectbox(key="lang").set_value("zh").run()
    shown = text(app)
    assert "反向传播游乐场" in [t.value for t in app.title]
    assert "训练" in [b.label for b in app.button]
    english = [w for w in ("Training", "Learning rate", "Weights", "Epoch") if w in shown]
    assert not english, english


def test_lang_in_the_url():
    at = fresh_app({"lang": "zh"})
    assert at.title[0].value == "反向传播游乐场"


# -- share links -------------------------------------------------------------------------------------------------
def test_a_share_link_restores_data_and_settings():
    scenario = Scenario(rows=((1, 1, 0, 1), (0, 0, 1, 0), (1, 0, 0, 1)), preset=None, learning_rate=0.5, bias=True,
                        hidden=(3,), activation="tanh", init="random", seed=7, loss="mse", ui={"lang": "zh"})
    at = fresh_app({"s": scenario.to_link()})
    s = session(at)
    assert s.scenario.rows == scenario.rows and s.network.inputs.tolist() == [[1, 1, 0], [0, 0, 1], [1, 0, 0]]
    assert at.number_input(key="learning_rate").value == 0.5
    assert at.toggle(key="bias").value is True and at.number_input(key="hidden_units").value == 3
    assert at.selectbox(key="activation").value == "tanh" and at.selectbox(key="loss").value == "mse"
    assert at.selectbox(key="lang").value == "zh"
    expected = NeuralNetwork(scenario.training_set(), bias=True, hidden=(3,), activation="tanh", init="random",
                             seed=7).params
    assert np.array_equal(s.network.params, expected)


@pytest.mark.parametrize("link", ["garbage", "1.AAAA", "1." + "A" * 9000, Scenario().to_link()[:-8],
                                  "1.eJyrVipLLSrOzM9TslIw0lEqSy0qzszPU7JSMNQzMDKzsAQA"])
def test_a_hostile_link_shows_a_message_and_the_defaults(link):
    at = fresh_app({"s": link})
    assert any("could not be opened" in e.value for e in at.error)
    assert session(at).scenario.rows == Scenario().rows
    assert int(at.metric[0].value) == 0


def test_a_script_in_a_link_is_shown_as_text_never_run():
    hostile = Scenario().to_link()
    at = fresh_app({"s": hostile + "<script>alert(1)</script>"})
    assert any("could not be opened" in e.value for e in at.error)
    assert "<script>" not in "".join(m.value for m in at.markdown)


# -- export and import -------------------------------------------------------------------------------------------
def test_csv_exports(app):
    app.button(key="train").click().run()
    s = session(app)
    losses = np.loadtxt(losses_csv(s).splitlines(), delimiter=",", skiprows=1)
    assert losses.shape == (25000, 4) and losses[-1, 1] == pytest.approx(0.0862313, abs=1e-7)
    weights = np.loadtxt(weights_csv(s).splitlines(), delimiter=",", skiprows=1)
    assert weights[-1, 0] == 25000 and np.allclose(weights[-1, 1:], [10.08826006, -5.39800417, 0.35438179])


@pytest.mark.parametrize("settings", [{}, {"hidden": (4,), "bias": True, "init": "random", "seed": 1}])
def test_the_numpy_script_reproduces_the_run(tmp_path, settings):
    data = PRESETS["xor" if settings else "article"]
    net = NeuralNetwork(data.inputs, data.outputs, **settings)
    net.train(700)
    net.learning_rate = 0.5
    net.train(300)
    path = tmp_path / "run.py"
    path.write_text(reproduction_script(net))
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, check=True).stdout
    printed = [np.array(eval(line.split(":", 1)[1])) for line in out.splitlines() if "weights:" in line]
    ours = [w.ravel() for w in (net.weights if settings else [net.weights])]
    for a, b in zip(printed, ours):
        if settings:
            np.testing.assert_allclose(a, b, rtol=1e-9)
        else:
            assert np.array_equal(a, b)  # bit for bit


def test_uploading_a_scenario_file_applies_it(app):
    from playground.chrome import _uploaded

    class Upload:
        name = "lesson.json"

        def __init__(self, data: bytes):
            self._data = data

        def getvalue(self):
            return self._data

    s = session(app)
    import streamlit as st  # the callback reads the widget's value from session state

    good = Scenario(learning_rate=0.3).to_json().encode()
    st.session_state["upload_scenario"] = Upload(good)
    _uploaded(s)
    assert s.scenario.learning_rate == 0.3 and s.notice[0] == "ws.uploaded"
    st.session_state["upload_scenario"] = Upload(b"\xff\xfe not json")
    _uploaded(s)
    assert s.notice[0] == "ws.upload_bad" and s.scenario.learning_rate == 0.3


# -- workshop ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key,check", [
    ("article", lambda s: s.network.learning_rate == 1.0 and not s.network.architecture.bias),
    ("bias", lambda s: s.network.inputs.tolist() == PRESETS["article"].inputs),
    ("xor_fails", lambda s: s.network.inputs.shape == (8, 3) and not s.network.architecture.hidden),
    ("xor_hidden", lambda s: s.network.architecture.hidden == (4,)),
    ("too_fast", lambda s: s.network.learning_rate == 1000.0),
])
def test_guided_lessons_are_one_click(app, key, check):
    app.selectbox(key="lesson").set_value(key).run()
    app.button(key="start_lesson").click().run()
    s = session(app)
    assert check(s) and s.lesson == key
    assert any(STRINGS["en"][f"lesson.{key}.title"] in m.value for m in app.markdown)


def test_lesson_four_learns_xor_and_five_diverges(app):
    for key, expect in (("xor_hidden", lambda n: n.current_loss() < 0.05), ("too_fast", lambda n: n.diverged)):
        app.selectbox(key="lesson").set_value(key).run()
        app.button(key="start_lesson").click().run()
        app.button(key="train").click().run()
        assert expect(session(app).network), key


def test_presenter_mode_hides_the_advanced_controls(app):
    assert app.number_input(key="until_error")
    app.toggle(key="presenter").set_value(True).run()
    keys = {w.key for w in app.number_input} | {w.key for w in app.selectbox}
    assert "until_error" not in keys and "play_speed" not in keys and "hidden_units" not in keys
    assert "train" in {b.key for b in app.button}
    assert any("font-size: 20px" in m.value for m in app.markdown)
    (loss,) = live_figures(app).values()  # and the chart text grows with the page's
    assert loss["layout"]["font"]["size"] == PRESENTER_CHART_FONT


def test_presenter_flag_in_the_url():
    at = fresh_app({"presenter": "1"})
    assert at.toggle(key="presenter").value is True


def test_a_teacher_hides_controls_through_the_link(app):
    app.multiselect(key="hide_controls").set_value(["settings", "run_until", "data"]).run()
    link = [c.value for c in app.get("code")][0].split("?s=", 1)[1]
    student = fresh_app({"s": link})
    keys = {w.key for w in student.number_input} | {b.key for b in student.button}
    assert "until_error" not in keys and "hidden_units" not in keys and "train" in keys
    assert not student.get("arrow_data_editor") and student.dataframe  # the data shows, read-only
