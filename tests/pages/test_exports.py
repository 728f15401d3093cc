"""Taking the run home: the Jupyter notebook (run cell by cell with numpy alone, bit for bit), the lesson notebooks
in notebooks/ (current), and the self-contained HTML replay."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nn_core import PRESETS, NeuralNetwork
from playground.exports.notebook import NOTEBOOKS, lesson_notebooks, notebook_text
from playground.exports.replay import replay_figure, replay_html

from .conftest import EXPORTED_RUNS, a_run_with_changes, finish, session

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


def test_the_sidebar_offers_the_notebook_of_the_run(app):
    finish(app.button(key="train").click().run())
    button = app.get("download_button")
    keys = [b.proto.id.rsplit("-", 1)[1] for b in button]
    assert "export_notebook" in keys
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
    keys = [b.proto.id.rsplit("-", 1)[1] for b in app.get("download_button")]
    assert "export_replay" in keys
    html = replay_html(session(app).network, "zh")
    assert '<html lang="zh-CN">' in html and "数据表格" in html
