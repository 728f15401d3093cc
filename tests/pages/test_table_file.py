"""Bring your own data (issue 27) on the Playground: a CSV file replaces the table or is refused whole with the reason
(in the page's language), the table goes out as CSV, cells pasted into the table are checked like typed ones, and an
imported table travels in a share link like any other."""

import re

import numpy as np
import pytest

import playground.strings
from nn_core import PRESETS, TrainingSet, read_table, table_csv
from nn_core.settings import MAX_ONLINE_ROWS
from playground.panels.data_table import _frame
from playground.state.actions import change_view

from .conftest import address, errors, new_app, open_settings, session, status, text

GOOD = b"x1,x2,x3,y\n1,0,0,1\n0,1,0,0\n0.30000000000000004,0,1,1\n"


def epoch(at) -> int:
    return session(at).network.epoch


def open_table_file(at):
    """Open "The table as a CSV file", as a click on its heading does: its widgets are drawn only while it is open."""
    at.session_state["table_file"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at, content: bytes, name: str = "data.csv"):
    if not [u for u in at.get("file_uploader") if u.proto.id.endswith("-upload_data")]:
        open_table_file(at)
    at.file_uploader(key="upload_data").set_value((name, content, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def toasts(at) -> str:
    return status(at)


def test_a_file_replaces_the_table_and_training_starts_again(app):
    app.button(key="step").click().run()
    assert epoch(app) == 1
    upload(app, GOOD)
    s = session(app)
    assert s.scenario.data.rows() == ((1, 0, 0, 1), (0, 1, 0, 0), (0.30000000000000004, 0, 1, 1))
    assert epoch(app) == 0 and s.network.inputs.shape == (3, 3)
    assert "Loaded 3 rows from data.csv. Training starts again at epoch 0." in toasts(app)
    assert app.selectbox(key="preset").value == "custom" and "3 samples" in text(app)
    # The table shows each number exactly as it reads back, so a run with no edit changes nothing.
    data = s.scenario.data
    assert _frame(data, 0)["x1"].tolist() == ["1", "0", "0.30000000000000004"]
    app.button(key="step").click().run()
    assert epoch(app) == 1 and session(app).scenario.data is data


def test_a_file_without_a_header_or_with_columns_left_out_says_so(app):
    upload(app, b"1;0;0;1\n0;1;0;0\n", name="rows.csv")
    assert "It has no header row, so its four columns were read as x1, x2, x3, y." in toasts(app)
    assert session(app).scenario.data.rows() == ((1, 0, 0, 1), (0, 1, 0, 0))
    upload(app, b",y,x3,x2,x1\n1,1,0,0,1\n2,0,0,1,0\n", name="export.csv")
    assert "leaving out 1 column(s) that are not x1, x2, x3 or y" in toasts(app)
    assert session(app).scenario.data.rows() == ((1, 0, 0, 1), (0, 1, 0, 0))


def test_a_preset_in_a_file_is_that_preset(app):
    xor = TrainingSet(PRESETS["xor"].inputs, PRESETS["xor"].outputs)
    upload(app, table_csv(xor).encode())
    assert app.selectbox(key="preset").value == "xor"


def test_a_refused_file_leaves_the_table_and_the_run_as_they_were(app):
    app.button(key="step").click().run()
    before = session(app).scenario.data
    upload(app, b"x1,x2,x3,y\n1,0,0,1\n0,abc,0,0\n", name="bad.csv")
    assert "bad.csv was not loaded: row 3, column x2 is not a number. Your table is as it was." in errors(app)
    assert session(app).scenario.data is before and epoch(app) == 1
    app.button(key="step").click().run()  # the reason stays while the table it left in force does
    assert any("bad.csv was not loaded" in e for e in errors(app)) and epoch(app) == 2
    app.file_uploader(key="upload_data").set_value(None).run()  # the learner takes the file out of the box
    assert not any("bad.csv" in e for e in errors(app)) and session(app).scenario.data is before
    upload(app, b"x1,x2,x3,y\n1,0,0,7\n", name="bad.csv")
    assert any("bad.csv was not loaded: row 2, column y" in e for e in errors(app))
    app.selectbox(key="preset").set_value("or").run()  # something else changed the table: the reason is old news
    assert not any("bad.csv" in e for e in errors(app))


def test_a_file_name_is_shown_as_text_never_as_markdown(app):
    upload(app, b"\x00", name="[click](https://evil.example)<b>.csv")
    shown = " ".join(e.value for e in app.error)
    assert "](" not in shown and "<b>" not in shown
    assert "click" in shown and "it is not text (UTF-8)" in text(app)


def test_a_formula_is_refused_and_never_shown():
    at = new_app()
    upload(at, b'x1,x2,x3,y\n"=HYPERLINK(""https://evil.example"",""win"")",0,0,1\n')
    assert any("row 2, column x1 is a formula" in e for e in errors(at))
    assert "evil" not in text(at) and "HYPERLINK" not in text(at)


def test_a_table_too_large_for_online_training_is_refused_with_the_reason(app):
    open_settings(app)
    app.selectbox(key="batch").set_value("online").run()
    upload(app, b"x1,x2,x3,y\n" + b"1,0,0,1\n" * (MAX_ONLINE_ROWS + 1))
    assert any("data.csv was not loaded: online training makes one update per row" in e for e in errors(app))
    assert session(app).scenario.data.rows() == PRESETS["article"].rows()


# The learner's language throughout, with the row and column where there is one (English never shows through).
REFUSALS_ZH = [
    (b"x" * (1024 * 1024 + 1), "文件大于 1,024 KB"),
    (b"PK\x03\x04", "电子表格工作簿"),
    ("x1,x2,x3,y\n".encode("utf-16"), "UTF-16"),
    ("x1,x2,x3,y\n1,0,0,1\ncafé,0,0,1\n".encode("latin-1"), "第 3 行有不是 UTF-8 的字符"),
    (b"\n" * 4001, "它超过 4,000 行"),
    (b"x1,x2,x3,y\n", "它没有任何一行数字"),
    (b"1,0,0,1\n" * 1001, "它有 1,001 行数字"),
    (b"1," * 1500 + b"1\n", "第 1 行超过 2,000 个字符"),
    (b"x1,x2,x3,y\n" + b"1," * 70 + b"1\n", "第 2 行超过 64 列"),
    (b"x1,x2,x3,y\n1,0,0,1,1\n", "第 2 行的单元格比表头的列数（4）多"),
    (b"1,0,0,1,0\n", "第 1 行超过 4 个单元格"),
    (b"x1,x1,x3,y\n1,0,0,1\n", "表头把 x1 列写了两次"),
    ("特征1,特征2,特征3,目标\n1,0,0,1\n".encode(), "表头中没有 x1 列"),
    (b"x1,x2,x3,y\n1,,0,1\n", "第 2 行 x2 列为空"),
    (b"x1,x2,x3,y\n1,0,0,yes\n", "第 2 行 y 列不是数字"),
    (b"x1,x2,x3,y\n=1+1,0,0,1\n", "第 2 行 x1 列是公式"),
    (b"x1;x2;x3;y\n0,5;0;0;1\n", "第 2 行 x1 列用了小数逗号"),
    (b"x1,x2,x3,y\n1,0," + b"1" * 41 + b",1\n", "第 2 行 x3 列超过 40 个字符"),
    (b"x1,x2,x3,y\n1,0,inf,1\n", "第 2 行 x3 列：不允许无穷大"),
    (b"x1,x2,x3,y\n1,200,0,1\n", "第 2 行 x2 列：输入必须在 -100 到 100 之间"),
    (b"x1,x2,x3,y\n1,0,0,2\n", "第 2 行 y 列：目标值必须在 0 到 1 之间"),
]


@pytest.mark.parametrize("content, says", REFUSALS_ZH, ids=[s for _, s in REFUSALS_ZH])
def test_every_refusal_is_said_in_the_pages_language(content, says, monkeypatch):
    # AppTest formats a choice's label outside the page's run, where the language is not known: it is the page's.
    monkeypatch.setattr(playground.strings, "language", lambda: "zh")
    app = new_app({"lang": "zh"})
    upload(app, content, name="数据.csv")
    shown = " ".join(e for e in errors(app) if "数据.csv" in e).replace("\\", "")
    assert says in shown and shown.endswith("。你的表格保持原样。"), shown
    names = {"csv", "utf", "excel", "opendocument", "unicode"}  # (the names of things, as they are called in 中文 too)
    assert not {w.lower() for w in re.findall(r"[A-Za-z]{3,}", shown)} - names, shown
    assert session(app).scenario.data.rows() == PRESETS["article"].rows()


# -- the table out, and back in ----------------------------------------------------------------------------------------
def test_the_table_goes_out_as_csv_and_comes_back_the_same(app):
    keys = [b.proto.id.rsplit("-", 1)[1] for b in app.get("download_button")]
    assert "download_data" not in keys  # drawn only while its section is open
    keys = [b.proto.id.rsplit("-", 1)[1] for b in open_table_file(app).get("download_button")]
    assert "download_data" in keys
    upload(app, GOOD)
    data = session(app).scenario.data
    again = new_app()
    upload(again, table_csv(data).encode(), name="training_data.csv")
    assert session(again).scenario.data.inputs.tobytes() == data.inputs.tobytes()


def test_a_student_whose_table_is_hidden_can_save_it_but_not_replace_it(app):
    change_view(session(app), ui={"hide": ["data"]})
    app.run()
    keys = [b.proto.id.rsplit("-", 1)[1] for b in app.get("download_button")]
    assert "download_data" in keys
    assert not [u for u in app.get("file_uploader") if u.proto.id.endswith("-upload_data")]


def test_an_imported_table_travels_in_the_share_link(app):
    upload(app, GOOD)
    app.button(key="step").click().run()
    reopened = new_app({"s": address(app)})
    data, again = session(app).scenario.data, session(reopened).scenario.data
    assert again.inputs.tobytes() == data.inputs.tobytes() and again.outputs.tobytes() == data.outputs.tobytes()
    assert epoch(reopened) == 1 and np.array_equal(session(reopened).network.params, session(app).network.params)


# -- a block pasted into the table: its cells arrive as text, and are checked like typed ones ------------------------
@pytest.mark.parametrize("cell, says", [
    ("0,5", "Row 2, column x2 has a decimal comma; write a decimal point instead (0.5, not 0,5)."),
    ("=SUM(A1:A3)", "Row 2, column x2 is a formula"),
    ("x2", "Row 2, column x2 is not a number."),  # a header row pasted with the rows
    ("150", "Row 2, column x2: an input must be from -100 to 100."),
])
def test_a_pasted_cell_is_checked_like_a_typed_one(app, cell, says):
    app.button(key="step").click().run()
    app.session_state["training_data"] = {"edited_rows": {1: {"x2": cell}}, "added_rows": [], "deleted_rows": []}
    app.run()
    assert any(says in e for e in errors(app)), errors(app)
    assert session(app).scenario.data.rows() == PRESETS["article"].rows() and epoch(app) == 1


def test_a_pasted_block_longer_than_the_table_adds_rows(app):
    # What the editor sends for three rows pasted at row 6 of six: one edited, two added (the cells as text).
    block = [{"x1": "0.5", "x2": "1", "x3": "0", "y": "1"}, {"x1": "-2", "x2": "0", "x3": "1", "y": "0"}]
    app.session_state["training_data"] = {"edited_rows": {5: {"x1": "0", "x2": "0", "x3": "1", "y": "0.25"}},
                                          "added_rows": block, "deleted_rows": []}
    app.run()
    rows = session(app).scenario.data.rows()
    assert len(rows) == 8 and rows[5:] == ((0, 0, 1, 0.25), (0.5, 1, 0, 1), (-2, 0, 1, 0))
    assert read_table(table_csv(session(app).scenario.data)).data == session(app).scenario.data
