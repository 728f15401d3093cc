"""The training data: a dataset chooser and the editable table. Every edit is checked before anything uses it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from nn_core import PRESETS, InputError, TrainingSet
from nn_core.datasets import MAX_ROWS

from ..state.actions import change_data
from ..state.session import Session
from ..state.widgets import forget_widget, set_widget, widget
from ..strings import t
from ..strings.errors import explain

COLUMNS = ["x1", "x2", "x3", "y"]
INDEX = "_index"  # the editor's name for the row-number column
MAX_CELL_CHARS = 40  # a number never needs more; a longer cell is refused before anything reads it


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
        st.dataframe(_frame(s.scenario.data), hide_index=True)
        return
    refused = _refuse_unreadable_edit(s)
    with st.container(key="editor_box"):  # room above the table for the editor's own toolbar
        try:
            edited = st.data_editor(_frame(s.editor_base), key="training_data", num_rows="dynamic", width="stretch",
                                    column_config=_columns())
        except (IndexError, KeyError, ValueError, TypeError):
            # Streamlit applies the browser's list of edits itself; a malformed list (only a hostile client sends
            # one) raises there. Keep the page alive and the last valid table in use.
            forget_widget("training_data")
            s.table_problem = ("pg.table_broken", {})
            edited = None
    st.caption(t("pg.editor_help", limit=f"{MAX_ROWS:,}"))
    if edited is not None and not refused:
        _use_table(s, edited)
    if s.table_problem:
        key, values = s.table_problem
        st.error(t(key, **values), icon="⚠️")


def _columns() -> dict:
    feature = dict(min_value=-100.0, max_value=100.0, format="%g", required=True)
    config = {c: st.column_config.NumberColumn(c, **feature) for c in COLUMNS[:3]}
    config["y"] = st.column_config.NumberColumn("y", min_value=0.0, max_value=1.0, format="%g", required=True)
    return config


def _frame(data: TrainingSet) -> pd.DataFrame:
    frame = pd.DataFrame(np.hstack([data.inputs, data.outputs]), columns=COLUMNS)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _refuse_unreadable_edit(s: Session) -> bool:
    """Look at the browser's pending edit before Streamlit applies it (row by row, which is slow, writing every value
    it cannot read to the server's log): an edit that a browser never sends — a table past the row limit, a cell
    longer than any number, a cell that is not a number, a row or column the table does not have — is refused at
    once and dropped. Returns whether it was."""
    base = len(s.editor_base.inputs)
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
                if not _number_or_empty(value):
                    return _refused(s, ("pg.invalid", {"error": f"row {r + 1}, column {column} is not a number"}))
    except (TypeError, ValueError, AttributeError):
        return _refused(s, ("pg.table_broken", {}))
    return False


def _number_or_empty(value) -> bool:
    """What the editor's number columns send: a number (JSON has no other kind to send), or nothing."""
    if value is None or isinstance(value, float):
        return True
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 2**53


def _refused(s: Session, problem: tuple[str, dict]) -> bool:
    forget_widget("training_data")
    s.table_problem = problem
    return True


def _use_table(s: Session, edited: pd.DataFrame) -> None:
    try:
        cells = edited[COLUMNS].astype(object).where(edited[COLUMNS].notna(), None).values.tolist()
        data = TrainingSet.from_rows(cells)
        s.scenario.settings.check_rows(len(data.inputs))
    except InputError as e:
        s.table_problem = ("pg.invalid", {"error": explain(e, starts_sentence=True)})
        return
    except (KeyError, ValueError, TypeError):
        s.table_problem = ("pg.table_broken", {})
        return
    s.table_problem = None
    if data != s.scenario.data:
        preset = preset_of(data)
        change_data(s, data, None if preset == "custom" else preset)
        st.rerun()  # redraw everything for the new data (the dataset box and the training views above all)


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
        s.editor_base, s.editor_version = data, s.editor_version + 1
        forget_widget("training_data")
    elif name != "custom":  # not one of the choices: only a hostile client sends that
        s.notice = ("pg.value_refused", {})
