"""A Jupyter notebook of a run: the learner's data and settings, the engine's own code (the article's algorithm, as
script.py carries it, so the run is reproduced bit for bit), markdown that explains each step, and a last cell that
leaves ``weights`` equal to the app's. Its code cells need numpy alone.

The five guided lessons' notebooks live in notebooks/, made by this same code (``python -m playground.exports.notebook``
writes them; a test checks that they are current).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import numpy as np
from nbformat import v4

from nn_core import NeuralNetwork

from ..learn.lessons import LESSONS
from ..strings import LANGUAGES, translate
from .script import engine_sections, run_sections

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def run_notebook(net: NeuralNetwork, lang: str, lesson: str | None = None) -> nbformat.NotebookNode:
    """The notebook of ``net``'s run, explained in language ``lang`` (and the lesson's text, for a lesson)."""
    tr = lambda key, **values: translate(lang, key, **values)
    arch, settings = net.architecture, net.settings
    cells = [v4.new_markdown_cell(
        f"# {tr(f'lesson.{lesson}.title') if lesson else tr('nb.title')}\n\n"
        + (tr(f"lesson.{lesson}.text") + "\n\n" if lesson else "")
        + tr("nb.intro", sizes=" → ".join(str(s) for s in arch.sizes), bias=tr("nb.on" if arch.bias else "nb.off"),
             activation=arch.activation, batch=tr(f"batch.{settings.batch}"), epochs=f"{net.epoch:,}",
             rate=f"{settings.learning_rate:g}", changes=len(net.events), numpy=np.__version__))]
    explained = {"header": "nb.header", "activations": "nb.activations", "architecture": "nb.architecture",
                 "optimisers": "nb.optimisers", "network": "nb.network", "data": "nb.data", "settings": "nb.settings",
                 "training": "nb.training"}
    for name, code in [*engine_sections(), *run_sections(net)]:
        if name in ("activations", "architecture", "optimisers", "network"):
            code = "from __future__ import annotations  # (names used in annotations before they are defined)\n\n" \
                + code
        cells.append(v4.new_markdown_cell(tr(explained[name], rows=len(net.inputs), epochs=f"{net.epoch:,}")))
        cells.append(v4.new_code_cell(code))
    cells.append(v4.new_markdown_cell(tr("nb.result")))
    cells.append(v4.new_code_cell(
        "weights = params  # every parameter, in the app's order\n"
        f"app_weights = np.array({net.params.tolist()!r})  # what the app showed, to the last bit\n"
        "for name, value in zip(arch.parameter_names(), weights):\n"
        "    print(f\"{name} = {float(value)!r}\")\n"
        "print(\"bit for bit:\", np.array_equal(weights, app_weights))\n"
        "print(\"predict([1, 1, 0]) =\", float(predict(arch, params, np.array([[1.0, 1.0, 0.0]]))[0, 0, 0]))"))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"  # fixed ids: a lesson notebook made again is the same file
    notebook = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return notebook


def notebook_text(net: NeuralNetwork, lang: str, lesson: str | None = None) -> str:
    return nbformat.writes(run_notebook(net, lang, lesson)) + "\n"


def lesson_notebooks() -> dict[str, str]:
    """Every lesson notebook of notebooks/ (file name -> text): each lesson's run trained to its target epochs."""
    files = {}
    for number, lesson in enumerate(LESSONS, start=1):
        net = lesson.scenario.network()
        net.train(lesson.scenario.target_epochs)
        for lang in LANGUAGES:
            files[f"{number}-{lesson.key.replace('_', '-')}.{lang}.ipynb"] = notebook_text(net, lang, lesson.key)
    return files


def write_lesson_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in lesson_notebooks().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_lesson_notebooks(Path(sys.argv[1]) if len(sys.argv) > 1 else NOTEBOOKS):
        print(path)
