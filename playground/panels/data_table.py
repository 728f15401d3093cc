"""The training data: a dataset chooser, the editable table, and the table from and to a CSV file. Every edit, paste
and file is checked before anything uses it.

The table's cells are text, shown exactly as the numbers read back (nn_core.table_file.number_text). A block pasted
from a spreadsheet then lands in the cells as it was copied, adding rows as needed (the editor does that itself), and
the page checks it like a typed edit: with number cells, the editor itself would drop a cell it cannot read, clamp one
out of range and read 0,5 as 5, all without a word."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nn_core import PRESETS, InputError, TrainingSet
from nn_core.datasets import MAX_CELL_CHARS, MAX_ROWS, table_problems
from nn_core.table_file import COLUMNS, kept_as, number_text, read_table, table_csv

from ..server.internals import is_uploaded_file
from ..state.actions import change_data, start_editor
from ..state.session import Session
from ..state.widgets import forget_widget, section, set_widget, widget
from ..strings import plain, rows_named, t
from ..strings.errors import explain

INDEX = "_index"  # the editor's name for the row-number column
MAX_PROBLEMS_LISTED = 6
SHOWN_ROWS = 12  # rows the table shows as text (the editor shows them all)
# The browser keeps its edits of the table (a list of changed cells, added rows, deleted rows) until the editor
# starts afresh, and Streamlit applies that whole list to the editor's starting table on every run of the page,
# adding rows one at a time (about 2.5 ms a row here: 2.5 s for a pasted table of 1,000 rows, every run). So
# once the list touches more than TAKE_IN_ROWS rows, the page takes it in: the editor starts again from the cells as
# they are on screen, with nothing left to apply. That re-creates the grid in the browser (its focus, selection and
# scroll are lost), so not at every edit: a learner typing cell by cell keeps the same grid, and sees it re-created
# once every TAKE_IN_ROWS rows typed (a few tens of milliseconds of applying by then); a paste of a block is taken
# in at once.
TAKE_IN_ROWS = 20


def preset_of(data: TrainingSet) -> str:
    rows = data.rows()
    return next((name for name, p in PRESETS.items() if p.rows() == rows), "custom")


def data_panel(s: Session, hidden: frozenset[str]) -> None:
    st.markdown(f"**{t('pg.data')}**")
    if "preset" not in hidden:
        set_widget("preset", preset_of(s.scenario.data))
        st.selectbox(t("pg.preset"), [*PRESETS, "custom"], format_func=lambda n: t(f"preset.{n}"), key="preset",
                     on_change=_choose_preset, args=(s,))
    if "data" in hidden:
        with st.container(key="training_table"):
            st.markdown(table_text(s.scenario.data))
        _download(s)
        return
    # (the editor is kept while it holds the learner's edits, or starts from cells of theirs: see TAKE_IN_ROWS)
    if s.table_editing or s.table_problem or widget("training_data") is not None or \
            s.editor_base is not s.scenario.data:
        _editor(s)
    else:  # the table as text until the learner edits it: the editor's code (1.2 MB) is not needed before
        with st.container(key="training_table"):
            st.markdown(table_text(s.scenario.data))
        st.button(t("pg.edit_table"), key="edit_table", icon=":material/edit:", on_click=_open_editor, args=(s,),
                  help=t("pg.edit_table_help"))
    # Drawn only while open (opening it reruns the page), as the sidebar's Export and import.
    with section(t("pg.table_file"), "table_file") as table_file:
        if table_file.open:
            st.file_uploader(t("pg.upload_data"), key="upload_data", on_change=_import, args=(s,))
            st.caption(t("pg.upload_data_help", limit=f"{MAX_ROWS:,}"))
            _download(s)
    if s.import_problem and s.import_problem[1] is s.scenario.data:  # until something else changes the table
        st.error(t("pg.import_refused", **s.import_problem[0]), icon="⚠️")


def table_text(data: TrainingSet) -> str:
    """The table as a markdown table (its first SHOWN_ROWS rows), each number as the editor shows it."""
    rows = data.rows()
    lines = ["| | " + " | ".join(COLUMNS) + " |", "|" + "--:|" * (len(COLUMNS) + 1)]
    lines += [f"| {i} | " + " | ".join(map(number_text, row)) + " |" for i, row in enumerate(rows[:SHOWN_ROWS], 1)]
    more = f"\n\n{t('pg.table_more', more=f'{len(rows) - SHOWN_ROWS:,}')}" if len(rows) > SHOWN_ROWS else ""
    return "\n".join(lines) + more


def _open_editor(s: Session) -> None:
    s.table_editing = True


def _editor(s: Session) -> None:
    base = _frame(s.editor_base, s.editor_version)
    refused = _refuse_unreadable_edit(s, len(base))
    notes = []
    with st.container(key="editor_box"):  # room above the table for the editor's own toolbar
        try:
            edited = st.data_editor(base, key="training_data", num_rows="dynamic", width="stretch",
                                    column_config=_columns())
        except (IndexError, KeyError, ValueError, TypeError):
            # Streamlit applies the browser's list of edits itself; a malformed list (only a hostile client sends
            # one) raises there. Keep the page alive and the last valid table in use.
            forget_widget("training_data")
            s.table_problem = ("pg.table_broken", {})
            edited = None
    if edited is not None and not refused and (_edits_pending() or s.editor_base is not s.scenario.data):
        # (with no edit pending and the editor on the table in force, there is nothing to read back or note)
        taken_in = _rows_touched() > TAKE_IN_ROWS
        if taken_in:  # see TAKE_IN_ROWS
            start_editor(s, tuple(tuple("" if v is None else str(v) for v in row) for row in _cells(edited)))
            forget_widget("training_data")
        if _use_table(s, edited) or taken_in:
            st.rerun()  # redraw everything for the new data, and the editor from its new start at once
        notes = _notes(edited)
    # What was refused, then what was noted, right under the grid where the eye is (on a laptop the help below it is
    # already past the fold).
    if s.table_problem:
        key, values = s.table_problem
        st.error(t(key, **values), icon="⚠️")
    if notes:
        st.info("\n\n".join(notes), icon="ℹ️")
    st.caption(t("pg.editor_help", limit=f"{MAX_ROWS:,}"))


def _columns() -> dict:
    """Text columns (see the module's docstring), narrow enough that all four show in the narrow column of a laptop
    and on a phone, and aligned left, so that a number too long for its cell shows how it starts, not how it ends.
    Not "required": the editor would then keep a new row to itself until all its cells are filled (showing "None"
    in each) and put a cleared cell back as it was, both without a word; a new row starts empty instead, and the
    page says it is left out until it is filled, and what a half-filled one is missing."""
    return {c: st.column_config.TextColumn(c, default="", width=60) for c in COLUMNS}


def _frame(base: TrainingSet | tuple[tuple[str, ...], ...], version: int) -> pd.DataFrame:
    """The editor's starting table: a table's numbers as text, or cells already text. Streamlit tells editors apart
    by their starting table (index included), and the browser keeps its edits for the same editor: the rows are
    numbered from ``version`` (the grid does not show those numbers), so each start of the editor is a new one, even
    from the same cells (a dataset chosen again after an edit would otherwise leave that edit on screen)."""
    rows = [[number_text(v) for v in row] for row in base.rows()] if isinstance(base, TrainingSet) else base
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame.index = pd.RangeIndex(version + 1, version + 1 + len(frame))
    return frame


def _download(s: Session) -> None:
    st.download_button(t("pg.download_data"), lambda: table_csv(s.scenario.data), file_name="training_data.csv",
                       mime="text/csv", key="download_data", on_click="ignore")


def _import(s: Session) -> None:
    """A CSV file chosen in the uploader replaces the table, or is refused whole and the table stays as it was."""
    file = widget("upload_data")
    if file is None:  # the learner took the file out of the box: the table stays, and so does nothing else
        s.import_problem = None
        return
    if not is_uploaded_file(file):  # a file the server does not have: only a hostile client names one
        s.notice = ("pg.value_refused", {})
        return
    name = plain(str(file.name)[:60])
    try:
        read = read_table(file.getvalue())
        s.scenario.settings.check_rows(len(read.data.inputs))
    except InputError as e:
        s.import_problem = ({"name": name, "error": explain(e).rstrip(".。")}, s.scenario.data)
        return
    s.import_problem = None
    preset = preset_of(read.data)
    change_data(s, read.data, None if preset == "custom" else preset)
    start_editor(s, read.data)
    forget_widget("training_data")
    rows = f"{len(read.data.inputs):,}"
    if not read.header:
        s.notice = ("pg.imported_no_header", {"rows": rows, "name": name})
    elif read.left_out:
        s.notice = ("pg.imported_left_out", {"rows": rows, "name": name, "count": read.left_out})
    else:
        s.notice = ("pg.imported", {"rows": rows, "name": name})


def _refuse_unreadable_edit(s: Session, base: int) -> bool:
    """Look at the browser's pending edit before Streamlit applies it (row by row, which is slow, writing every value
    it cannot read to the server's log): an edit that a browser never sends — a table past the row limit, a cell
    longer than any number, a cell that is neither text nor a number, a row or column the table does not have — is
    refused at once and dropped. ``base``: the rows of the table the editor starts from. Returns whether it was."""
    try:
        edits = widget("training_data")
        if edits is None:
            return False
        added, deleted, edited = (edits.get(k, empty) for k, empty in (("added_rows", []), ("deleted_rows", []),
                                                                       ("edited_rows", {})))
        if not isinstance(added, list) or not isinstance(deleted, list) or not isinstance(edited, dict):
            raise TypeError
        rows = base + len(added) - len(set(deleted))
        if rows > MAX_ROWS:
            return _refused(s, ("pg.too_many_rows", {"rows": f"{rows:,}", "limit": f"{MAX_ROWS:,}"}))
        if not all(isinstance(r, int) and 0 <= r < base for r in deleted):
            raise ValueError
        cells = [(int(r), row) for r, row in edited.items()] + [(base + i, row) for i, row in enumerate(added)]
        for r, row in cells:
            if not 0 <= r < base + len(added) or not isinstance(row, dict) or set(row) - {*COLUMNS, INDEX}:
                raise ValueError
            for column, value in row.items():
                if len(str(value)) > MAX_CELL_CHARS:
                    return _refused(s, ("pg.cell_too_long", {"limit": MAX_CELL_CHARS}))
                if not _cell_or_empty(value):
                    problem = InputError("not a number", "cell_text", row=r + 1, column=column)
                    return _refused(s, ("pg.invalid", {"error": explain(problem, starts_sentence=True)}))
    except (TypeError, ValueError, AttributeError):
        return _refused(s, ("pg.table_broken", {}))
    return False


def _edits_pending() -> bool:
    """Whether the editor holds edits of the table it started from."""
    edits = widget("training_data")
    return isinstance(edits, dict) and any(edits.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


def _rows_touched() -> int:
    """How many rows the editor's pending edits change or add (what applying them costs: see TAKE_IN_ROWS)."""
    edits = widget("training_data")
    return len(edits.get("edited_rows") or ()) + len(edits.get("added_rows") or ()) if isinstance(edits, dict) else 0


def _cell_or_empty(value) -> bool:
    """What the editor sends for a cell: its text, or nothing for an empty one (a number is let through too: a
    script sets cells so, and _use_table reads it as any cell)."""
    if value is None or isinstance(value, (str, float)):
        return True
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 2**53


def _refused(s: Session, problem: tuple[str, dict]) -> bool:
    forget_widget("training_data")
    s.table_problem = problem
    return True


def _cells(edited: pd.DataFrame) -> list[list]:
    """The editor's cells, row by row, in the order they are shown (an empty cell as None)."""
    return edited[list(COLUMNS)].astype(object).where(edited[list(COLUMNS)].notna(), None).values.tolist()


def _use_table(s: Session, edited: pd.DataFrame) -> bool:
    """Put the table on screen in force, its empty rows left out (see ``_notes``), or say every cell that stops it.
    Returns whether the data in force changed (the page must then be drawn again for it)."""
    try:
        cells = _cells(edited)
        problems = [p for p in table_problems(cells) if p.kind != "row_empty"]
        if problems:
            s.table_problem = said(problems)
            return False
        data = TrainingSet.from_rows([row for row in cells if not _blank(row)])
        s.scenario.settings.check_rows(len(data.inputs))
    except InputError as e:
        s.table_problem = said([e])
        return False
    except (KeyError, ValueError, TypeError):
        s.table_problem = ("pg.table_broken", {})
        return False
    s.table_problem = None
    if data == s.scenario.data:
        return False
    preset = preset_of(data)
    change_data(s, data, None if preset == "custom" else preset)
    return True


def _blank(row) -> bool:
    return all(v is None or isinstance(v, str) and not v.strip() for v in row)


def _notes(edited: pd.DataFrame) -> list[str]:
    """What the table in force does with the table on screen otherwise than as shown, said: rows with nothing in
    them are left out (a row just added, a row emptied, the row a paste leaves below), and cells whose number is
    kept with fewer digits than typed (more than a double keeps) are used as that number."""
    cells = _cells(edited)
    notes = []
    blank = [i for i, row in enumerate(cells) if _blank(row)]
    if blank:
        notes.append(t("pg.rows_left_out", rows=rows_named(blank, most=MAX_PROBLEMS_LISTED)))
    found = [(i + 1, column, kept) for i, row in enumerate(cells)
             for column, value in zip(COLUMNS, row) if isinstance(value, str) and (kept := kept_as(value))]
    if found:
        listed = [t("pg.kept_cell", row=r, column=c, value=v) for r, c, v in found[:MAX_PROBLEMS_LISTED]]
        more = len(found) - MAX_PROBLEMS_LISTED
        notes.append(t("pg.kept_as", cells="; ".join(listed) + (f"; {t('pg.invalid_more', count=f'{more:,}')}"
                                                                 if more > 0 else "")))
    return notes


def said(problems: list[InputError]) -> tuple[str, dict]:
    """Why the table on screen cannot be used: its one problem, or a list of them (the first few, then how many
    more), each naming its row and column in the page's language."""
    if len(problems) == 1:
        return "pg.invalid", {"error": explain(problems[0], starts_sentence=True)}
    listed = "\n".join(f"- {explain(p, starts_sentence=True)}" for p in problems[:MAX_PROBLEMS_LISTED])
    more = len(problems) - MAX_PROBLEMS_LISTED
    if more > 0:
        listed += "\n- " + t("pg.invalid_more", count=f"{more:,}")
    return "pg.invalid_many", {"count": f"{len(problems):,}", "problems": listed}


def _choose_preset(s: Session) -> None:
    name = widget("preset")
    if name in PRESETS:
        p = PRESETS[name]
        data = TrainingSet(p.inputs, p.outputs)
        try:
            s.scenario.settings.check_rows(len(data.inputs))
        except InputError as e:
            s.table_problem = ("pg.invalid", {"error": explain(e, starts_sentence=True)})
            return
        change_data(s, data, name)
        start_editor(s, data)
        forget_widget("training_data")
    elif name != "custom":  # not one of the choices: only a hostile client sends that
        s.notice = ("pg.value_refused", {})
