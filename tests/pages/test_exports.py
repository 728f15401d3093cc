"""Taking the run home: the Jupyter notebook (run cell by cell with numpy alone, bit for bit), the lesson notebooks
in notebooks/ (current), and the self-contained HTML replay."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from nn_core import PRESETS, NeuralNetwork
from playground import strings
from playground.exports.notebook import NOTEBOOKS, lesson_notebooks, notebook_text
from playground.exports.replay import replay_figure, replay_html

from .conftest import APP, EXPORTED_RUNS, a_run_with_changes, finish, session

ROOT = Path(__file__).resolve().parents[2]

# Runs a notebook's code cells one after another in one namespace, as a kernel does, in a Python that cannot import
# the app (isolated mode, another folder): what it prints is `weights` as exact hex floats, and every module loaded.
KERNEL = """
import json, sys
import nbformat
cells = [c.source for c in nbformat.read(sys.argv[1], as_version=4).cells if c.cell_type == "code"]
del nbformat
namespace = {"__name__": "__main__"}
for i, source in enumerate(cells):
    exec(compile(source, f"<cell {i}>", "exec"), namespace)
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"weights": [float(w).hex() for w in namespace["weights"]], "modules": loaded}))
"""


def run_cells(path: Path, tmp_path: Path) -> dict:
    out = subprocess.run([sys.executable, "-I", "-c", KERNEL, str(path)], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


@pytest.mark.parametrize("settings", EXPORTED_RUNS)
def test_the_notebook_reproduces_the_run_bit_for_bit_with_numpy_alone(tmp_path, settings):
    net = a_run_with_changes(settings)  # the learner's changes are in the notebook too
    path = tmp_path / "run.ipynb"
    path.write_text(notebook_text(net, "en"), encoding="utf-8")
    result = run_cells(path, tmp_path)
    assert result["weights"] == [float(w).hex() for w in net.params]
    app = {"nn_core", "playground", "streamlit", "pandas", "plotly"}
    assert not app & set(result["modules"]), result["modules"]  # numpy alone (and the standard library)


def test_the_notebook_explains_each_step_in_the_learners_language():
    net = NeuralNetwork(PRESETS["article"].inputs, PRESETS["article"].outputs)
    net.train(25_000)
    for lang, words in (("en", ("The article's algorithm", "bit for bit")), ("zh", ("文章的算法", "精确到"))):
        notebook = nbformat.reads(notebook_text(net, lang), as_version=4)
        nbformat.validate(notebook)
        markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        assert all(w in markdown for w in words), lang
        code = [c.source for c in notebook.cells if c.cell_type == "code"]
        assert len(code) == 9 and code[-1].startswith("weights = params")
        assert "def feed_forward" in "\n".join(code) and "25000" in "\n".join(code)


def test_the_lesson_notebooks_are_current():
    """notebooks/ is made by `python -m playground.exports.notebook`: run it again after changing the engine or the
    texts."""
    made = lesson_notebooks()
    assert len(made) == 10  # five lessons, two languages
    for name, text in made.items():
        path = NOTEBOOKS / name
        again = "run python -m playground.exports.notebook"
        assert path.exists(), f"{name} is missing: {again}"
        assert path.read_text(encoding="utf-8") == text, f"{name} is out of date: {again}"
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(made)


def test_the_first_lesson_notebook_gives_the_articles_weights(tmp_path):
    result = run_cells(NOTEBOOKS / "1-article.en.ipynb", tmp_path)
    weights = [float.fromhex(w) for w in result["weights"]]
    assert [round(w, 8) for w in weights] == [10.08826006, -5.39800417, 0.35438179]


def downloads(app) -> list[str]:
    return [b.proto.id.rsplit("-", 1)[1] for b in app.get("download_button")]


def open_exports(app):
    """Open the sidebar's Export and import (its contents are drawn only while it is open)."""
    app.session_state["export"] = True
    app.run()
    assert not app.exception, app.exception
    return app


EXPORTS = {"download_scenario", "download_losses", "download_weights", "download_script", "export_notebook",
           "export_replay"}


def test_the_exports_are_drawn_only_while_their_panel_is_open(app):
    assert not EXPORTS & set(downloads(app))
    assert not [u for u in app.get("file_uploader") if u.proto.id.endswith("-upload_scenario")]
    assert set(downloads(open_exports(app))) >= EXPORTS
    assert [u for u in app.get("file_uploader") if u.proto.id.endswith("-upload_scenario")]
    app.session_state["export"] = False
    app.run()
    assert not EXPORTS & set(downloads(app))


def test_the_files_are_made_in_the_pages_language_when_clicked(monkeypatch):
    """A file is made when its button is clicked, outside the page's run (no session state there): the language is
    the one the page had when it drew the button."""
    made = {}

    def add_deferred(manager, data_callable, mimetype, coordinates, file_name=None, **options):
        made[file_name] = data_callable
        return f"deferred-{len(made)}"

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["lang"] = "zh"
    app.session_state["export"] = True  # (open from the first run: AppTest cannot run a page again once the labels
    app.run()  # of a choice it holds changed language)
    assert set(downloads(app)) >= EXPORTS and not app.exception
    monkeypatch.setattr(strings, "language", lambda: "en")  # what the page's language reads outside a run
    assert "数据表格" in made["backprop_replay.html"]()
    notebook = nbformat.reads(made["backprop_run.ipynb"](), as_version=4)
    assert any("反向传播" in "".join(cell.source) for cell in notebook.cells if cell.cell_type == "markdown")
    assert json.loads(made["scenario.json"]())["version"] == 1


def test_the_sidebar_offers_the_notebook_of_the_run(app):
    finish(app.button(key="train").click().run())
    assert "export_notebook" in downloads(open_exports(app))
    text = notebook_text(session(app).network, "en")
    assert "EPOCHS = 25000" in text


def test_the_replay_is_one_bounded_file_with_frames_and_a_slider():
    net = NeuralNetwork(PRESETS["article"].inputs, PRESETS["article"].outputs)
    net.train(1_000_000)
    text = replay_html(net, "en")
    assert len(text.encode()) <= 5 * 1024 * 1024  # the bound for a 1,000,000-epoch run
    assert "<script src" not in text and "<link" not in text  # plotly.js is inside it
    figure, rows = replay_figure(net, "en")
    assert len(figure["frames"]) >= 10 and len(figure["layout"]["sliders"][0]["steps"]) == len(figure["frames"])
    assert rows[-1]["epoch"] == 1_000_000 and rows[-1]["params"] == net.params.tolist()  # the exact weights
    assert rows[0]["params"] == [0.5, 0.5, 0.5]
    middle = rows[len(rows) // 2]
    assert middle["params"] == net.params_at(middle["epoch"]).tolist()


def test_the_sidebar_offers_the_replay(app):
    assert "export_replay" in downloads(open_exports(app))
    html = replay_html(session(app).network, "zh")
    assert '<html lang="zh-CN">' in html and "数据表格" in html
