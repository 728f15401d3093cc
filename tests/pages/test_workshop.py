"""Languages, share links and files, exports, lessons, presenter mode and controls hidden from students."""

import base64
import json
import re
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import numpy as np
import pytest
import streamlit as st  # the upload callbacks read the widget's value from session state

import playground.strings
from nn_core import PRESETS, NeuralNetwork, Scenario, Settings, TrainingSet
from playground.exports.script import reproduction_script
from playground.exports.tables import losses_csv, weights_csv
from playground.panels.sidebar import _uploaded
from playground.strings import STRINGS
from playground.views.plot import PRESENTER_CHART_FONT

from .conftest import (
    EXPORTED_RUNS,
    a_run_with_changes,
    address,
    finish,
    keyed,
    live_figures,
    live_text,
    new_app,
    place,
    session,
    status,
    text,
)

ROOT = Path(__file__).resolve().parents[2]


# -- languages ---------------------------------------------------------------------------------------------------
def test_both_languages_have_every_string_with_the_same_placeholders():
    en, zh = STRINGS["en"], STRINGS["zh"]
    assert set(en) == set(zh), sorted(set(en) ^ set(zh))
    for key in en:
        assert zh[key].strip(), key
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", zh[key])), key


def test_bold_text_closes_in_both_languages():
    """Markdown ends a bold run only at a "**" that is not punctuation followed by a letter ("：**第" stays two literal
    stars on the page, as a learner saw in 中文): each closing "**" after punctuation is followed by a space or the
    end, never by text."""
    for lang, strings in STRINGS.items():
        for key, said in strings.items():
            said = re.sub(r"{\w+}", "x", said)  # a placeholder is text on the page
            for bold in re.finditer(r"\*\*(.+?)\*\*", said):
                after = said[bold.end():bold.end() + 1]
                assert not (unicodedata.category(bold.group(1)[-1]).startswith("P") and after
                            and not after.isspace() and not unicodedata.category(after).startswith("P")), (lang, key)


def code_files():
    return [*ROOT.glob("playground/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]


def keys_the_code_asks_for() -> tuple[set[str], list[re.Pattern]]:
    """Every string literal of the code that looks like a key (t("a.b"), a notice ("pg.x", {}), a stage's caption),
    and the keys built at run time (t(f"lesson.{key}.title")) as patterns."""
    literal, patterns = set(), []
    for path in code_files():
        source = path.read_text(encoding="utf-8")
        literal |= set(re.findall(r'(?<![\w{])["\']([a-z]+(?:\.[a-z0-9_]+)+)["\']', source))
        for built in re.findall(r'\b(?:t|tr)\(\s*f["\']([^"\']+)["\']', source):
            patterns.append(re.compile(re.sub(r"\\{[^}]*\\}", r"[\\w]+", re.escape(built)) + "$"))
    return literal, patterns


def test_every_key_the_code_asks_for_exists_and_every_key_is_used():
    literal, patterns = keys_the_code_asks_for()
    missing = sorted(k for k in literal if k.split(".")[0] in {k.split(".")[0] for k in STRINGS["en"]}
                     and k not in STRINGS["en"] and not k.endswith((".py", ".js", ".json", ".csv", ".png")))
    assert not missing, missing
    for pattern in patterns:
        assert any(pattern.match(k) for k in STRINGS["en"]), pattern.pattern
    unused = sorted(k for k in STRINGS["en"] if k not in literal and not any(p.match(k) for p in patterns))
    assert not unused, unused


def test_chinese_throughout(app):
    app.selectbox(key="lang").set_value("zh").run()
    shown = text(app)
    assert "反向传播游乐场" in [t.value for t in app.title]
    assert "训练到" in [b.label for b in app.button]
    english = [w for w in ("Training", "Learning rate", "Weights", "Epoch", "Upload", "Choose") if w in shown]
    assert not english, english


def test_lang_in_the_url():
    assert new_app({"lang": "zh"}).title[0].value == "反向传播游乐场"


# -- share links and files -----------------------------------------------------------------------------------------
def test_a_share_link_restores_data_settings_and_view():
    scenario = Scenario(data=TrainingSet.from_rows([(1, 1, 0, 1), (0, 0, 1, 0), (1, 0, 0, 1)]), preset=None,
                        settings=Settings(learning_rate=0.5, bias=True, hidden=(3,), activation="tanh", init="random",
                                          seed=7), loss="mse", ui={"lang": "zh"})
    at = new_app({"s": scenario.to_link()})
    s = session(at)
    assert s.network.inputs.tolist() == [[1, 1, 0], [0, 0, 1], [1, 0, 0]]
    assert at.number_input(key="learning_rate").value == 0.5
    assert at.toggle(key="bias").value is True and at.number_input(key="hidden_units").value == 3
    assert at.selectbox(key="activation").value == "tanh" and at.selectbox(key="loss").value == "mse"
    assert at.selectbox(key="lang").value == "zh"
    assert np.array_equal(s.network.params, NeuralNetwork(scenario.data, settings=scenario.settings).params)


@pytest.mark.parametrize("link", ["garbage", "1.AAAA", "1." + "A" * 9000, Scenario().to_link()[:-8],
                                  "1.eJyrVipLLSrOzM9TslIw0lEqSy0qzszPU7JSMNQzMDKzsAQA"])
def test_a_hostile_link_shows_a_message_keeps_the_sidebar_and_the_defaults(link):
    at = new_app({"s": link})
    assert "could not be opened" in status(at)
    assert session(at).scenario.rows == Scenario().rows and live_text(at, "epoch").endswith(" 0")
    assert at.selectbox(key="lang") and at.button(key="start_lesson")  # the sidebar is intact


def test_foreign_text_in_a_link_is_shown_as_text_never_as_markdown():
    payload = {"version": 1, "preset": "[click me](https://evil.example/) ![](https://evil.example/t.png)"}
    link = "1." + base64.urlsafe_b64encode(zlib.compress(json.dumps(payload).encode())).decode().rstrip("=")
    at = new_app({"s": link})
    rendered = "".join(e.value for e in at.error) + "".join(m.value for m in at.markdown)
    assert "](https" not in rendered and "evil" not in rendered


def test_a_script_in_a_link_is_shown_as_text_never_run():
    at = new_app({"s": Scenario().to_link() + "<script>alert(1)</script>"})
    assert "could not be opened" in status(at)
    assert "<script>" not in "".join(m.value for m in at.markdown)


class Upload:
    def __init__(self, data: bytes, name: str = "lesson.json"):
        self._data, self.name = data, name

    def getvalue(self):
        return self._data


def test_uploading_a_file_opens_its_run(app):
    net = NeuralNetwork(PRESETS["article"].inputs, PRESETS["article"].outputs)
    net.train(40)
    net.learning_rate = 0.3
    net.train(60)
    s = session(app)
    st.session_state["upload_scenario"] = Upload(Scenario().with_run_of(net).to_json().encode())
    _uploaded(s)
    assert s.network.epoch == 100 and np.array_equal(s.network.params, net.params) and s.notice[0] == "ws.uploaded"
    st.session_state["upload_scenario"] = Upload(b'{"version": 7}', name="[x](https://evil.example).json")
    _uploaded(s)
    assert s.notice[0] == "ws.upload_bad" and s.network.epoch == 100
    assert "](" not in s.notice[1]["name"] and "version" in s.notice[1]["error"]


@pytest.mark.parametrize("content, says", [
    (b'{"version": null, "rows": []}', "这个版本能打开"), (b"{not json", "不是有效的 JSON"), (b"\xff\xfe\x00", "UTF-8"),
    (b'{"version": 1, "rows": [[1, 1, 0, "x"]]}', "第 1 行 y 列不是数字"), (b'{"version": 1, "seed": -4}', "随机种子"),
])
def test_a_file_that_cannot_be_opened_says_why_in_the_pages_language(app, content, says, monkeypatch):
    app.selectbox(key="lang").set_value("zh").run()
    # The upload's callback runs here, outside the page's run, where the language is not known: it is the page's.
    monkeypatch.setattr(playground.strings, "language", lambda: "zh")
    st.session_state["upload_scenario"] = Upload(content, name="模型.json")
    _uploaded(session(app))
    app.run()
    shown = status(app) if "模型" in status(app) else ""
    assert says in shown.replace("\\", "")
    assert set(re.findall(r"[a-z]{3,}", shown)) <= {"json", "version"}, shown  # no English sentence inside


def test_every_kind_of_engine_error_has_a_sentence_in_both_languages():
    message = r'f?"(?:[^"\\]|\\.)*"'  # one string literal; a message may be several side by side
    raised = re.compile(rf"InputError\(\s*{message}(?:\s*{message})*,\s*\"([a-z_]+)\"")
    kinds = {k for path in (ROOT / "nn_core").glob("*.py") for k in raised.findall(path.read_text(encoding="utf-8"))}
    kinds |= {"whole_range", "number_range", "cell_feature_range", "cell_target_range"}  # kinds built at run time
    assert len(kinds) > 20, kinds
    for lang in ("en", "zh"):
        assert not [k for k in kinds if f"err.{k}" not in STRINGS[lang]], lang


# -- exports ----------------------------------------------------------------------------------------------------------
def test_csv_exports(app):
    app.button(key="train").click().run()
    finish(app)
    s = session(app)
    losses = np.loadtxt(losses_csv(s.network).splitlines(), delimiter=",", skiprows=1)
    assert losses.shape == (25000, 4) and losses[-1, 1] == pytest.approx(0.0862313, abs=1e-7)
    weights = np.loadtxt(weights_csv(s.network).splitlines(), delimiter=",", skiprows=1)
    assert weights[-1, 0] == 25000 and np.allclose(weights[-1, 1:], [10.08826006, -5.39800417, 0.35438179])


@pytest.mark.parametrize("settings", EXPORTED_RUNS)
def test_the_numpy_script_reproduces_the_run_bit_for_bit(tmp_path, settings):
    """Issue 11: the script computes with the engine's own operations, even for chaotic hidden runs."""
    net = a_run_with_changes(settings)
    path = tmp_path / "run.py"
    path.write_text(reproduction_script(net))
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, check=True).stdout
    printed = [float(line.split(": ")[1]) for line in out.splitlines() if not line.startswith("predict")]
    assert printed == net.params.tolist()


# -- workshop ----------------------------------------------------------------------------------------------------------
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


def test_a_lessons_box_leaves_the_training_table_in_its_place(app):
    where = place(app, "training_table")
    app.selectbox(key="lesson").set_value("article").run()
    app.button(key="start_lesson").click().run()
    assert keyed(app, "lesson_box") is not None and place(app, "training_table") == where


def test_lesson_four_learns_xor_and_five_stops_at_a_fixed_point(app):
    for key, expect in (("xor_hidden", lambda n: n.current_loss() < 0.05),
                        ("too_fast", lambda n: n.stop is not None and n.stop.kind == "fixed_point")):
        app.selectbox(key="lesson").set_value(key).run()
        app.button(key="start_lesson").click().run()
        app.button(key="train").click().run()
        finish(app)
        assert expect(session(app).network), key


def test_presenter_mode_hides_the_advanced_controls(app):
    assert app.number_input(key="until_error")
    app.toggle(key="presenter").set_value(True).run()
    keys = {w.key for w in app.number_input} | {w.key for w in app.selectbox}
    assert "until_error" not in keys and "play_speed" not in keys and "hidden_units" not in keys
    assert "train" in {b.key for b in app.button}
    (loss,) = live_figures(app).values()  # the chart text grows with the page's
    assert loss["layout"]["font"]["size"] == PRESENTER_CHART_FONT


def test_presenter_flag_in_the_url():
    assert new_app({"presenter": "1"}).toggle(key="presenter").value is True


def test_a_teacher_hides_controls_through_the_link(app):
    assert not app.multiselect  # drawn only while its section is open
    app.session_state["hide_open"] = True  # the teacher opens it
    app.run()
    app.multiselect(key="hide_controls").set_value(["settings", "run_until", "data"]).run()
    assert app.multiselect(key="hide_controls").value == ["settings", "run_until", "data"]  # the teacher still sees it
    link = address(app)
    student = new_app({"s": link})
    keys = {w.key for w in student.number_input} | {b.key for b in student.button}
    assert "until_error" not in keys and "hidden_units" not in keys and "train" in keys
    assert not student.dataframe and "edit_table" not in keys  # the data shows, read-only
    assert "| 3 | 0 | 0 | 0 | 0 |" in "\n".join(m.value for m in student.markdown)
    student.session_state["hide_open"] = True  # and the panel is hidden too: not even a hostile client opens it
    student.run()
    assert not [m for m in student.multiselect if m.key == "hide_controls"]
