"""Each row's share of the update, on the Backprop page: how much every training row adds to each weight's Xᵀ·delta,
as numbers and as a stacked bar in the rows' colours (the matrices' colours), and why a zero input adds nothing."""

from __future__ import annotations

import numpy as np
import streamlit as st

from nn_core import NeuralNetwork, UpdateTrace

from ..live.component import chart
from ..strings import rows_named, t
from ..views.matrices import ROWS_PER_PAGE, matrix_html
from ..views.playground import format_row, subscript_names
from ..views.plot import for_screen
from ..views.training_charts import shares_figure

MAX_TABLE_COLUMNS = 8  # wider tables (hidden layers) are shown as the chart only
MAX_ROWS_NAMED = 10


def zero_input_notes(net: NeuralNetwork, inputs: np.ndarray, rows: np.ndarray) -> list[str]:
    """For each weight of the first layer that some rows cannot move: "rows 1, 2, 3 add nothing to w₁: x₁ is 0"."""
    arch = net.architecture
    names = subscript_names(arch.parameter_names())
    units = arch.sizes[1]
    notes = []
    for i in range(inputs.shape[1]):
        zero = rows[inputs[:, i] == 0]
        if not len(zero) or len(zero) == len(rows):
            continue
        listed = rows_named(list(zero), most=MAX_ROWS_NAMED)
        weights = ", ".join(names[i * units + j] for j in range(units))  # the weights leaving input i
        notes.append(t("bp.shares.zero", rows=listed, weights=weights, x=subscript_names([f"x{i + 1}"])[0]))
    return notes


def contributions_section(net: NeuralNetwork, update: UpdateTrace, first: int, presenter: bool) -> None:
    """The shares of one update (the whole batch's, or, online, the one row's it reads)."""
    shares = update.row_shares + 0.0  # rows × parameters; + 0.0: a zero input adds 0, never "-0"
    rows = update.rows
    names = subscript_names(net.parameter_names())
    labels = [t("fig.row", row=r + 1, x=format_row(net.inputs[r]), y=f"{net.outputs[r, 0]:g}") for r in rows]
    with st.container(key="contributions"):
        st.markdown(f"##### {t('bp.shares.title')}")
        st.caption(t("bp.shares.text"))
        for note in zero_input_notes(net, update.layers[0].inputs, rows):
            st.markdown(note)
        left, right = st.columns([2, 3], gap="large")
        if shares.shape[1] <= MAX_TABLE_COLUMNS:
            with left:
                st.html(matrix_html(shares, column_names=names, caption=t("bp.shares.table"),
                                    first_row=first if len(shares) > ROWS_PER_PAGE else 0)
                        + matrix_html(update.downhill[None], column_names=names, caption=t("bp.shares.sum"),
                                      row_tint=False))
        with right if shares.shape[1] <= MAX_TABLE_COLUMNS else st.container():
            fig = shares_figure(names, shares, labels, y_title=t("fig.share"),
                                        total_label=t("fig.share_total"), others_label=t("fig.other_rows"),
                                        short_labels=[t("fig.row_short", row=r + 1) for r in rows])
            chart(for_screen(fig, presenter), key="contributions_plot", height="340px",
                  label=t("alt.shares", count=len(shares), params=len(names)))
