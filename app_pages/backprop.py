"""Backprop: every number of one training epoch of the learner's own network, stage by stage."""

import streamlit as st

from playground import page
from playground.backprop import stages_for
from playground.matrices import MATRIX_CSS, ROWS_PER_PAGE, matrix_html
from playground.session import checked_widget, set_widget, step, widget
from playground.strings import t

s, hidden, presenter = page.start(t("bp.title"), t("bp.intro"))
net = s.network

checked_widget(s, "trace_epoch", lambda v: isinstance(v, int) and v >= 0, net.epoch)
if widget("trace_epoch") > net.epoch:  # the run was reset or rewound since: not the learner's doing
    set_widget("trace_epoch", net.epoch)


def next_epoch():
    step(s, 1)
    set_widget("trace_epoch", s.network.epoch)


c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
c1.button(t("bp.next"), key="next_epoch", type="primary", on_click=next_epoch)
epoch = c2.number_input(t("bp.epoch"), min_value=0, max_value=net.epoch, step=1, key="trace_epoch",
                        help=t("bp.epoch_help"))
trace = net.trace_epoch(int(epoch))
st.markdown(f"**{t('bp.showing', epoch=f'{epoch:,}', next=f'{epoch + 1:,}', rate=f'{trace.learning_rate:g}')}**")
if trace.rows is not None:
    order = ", ".join(str(r + 1) for r in trace.rows[:20]) + (" …" if len(trace.rows) > 20 else "")
    st.info(t("bp.online", order=order, row=int(trace.rows[0]) + 1))
if len(trace.layers) > 1:
    st.info(t("bp.hidden_note"))

n_rows = len(trace.targets)
first = 0
if n_rows > ROWS_PER_PAGE:  # large tables are shown a page of rows at a time
    pages = list(range(0, n_rows, ROWS_PER_PAGE))
    checked_widget(s, "trace_rows", lambda v: isinstance(v, int) and v >= 0 and v % ROWS_PER_PAGE == 0, 0)
    if widget("trace_rows") not in pages:  # the table has fewer rows since
        set_widget("trace_rows", 0)
    first = st.selectbox(t("bp.rows_page"), pages, key="trace_rows",
                         format_func=lambda a: t("bp.rows_range", first=a + 1, last=min(a + ROWS_PER_PAGE, n_rows),
                                                 total=f"{n_rows:,}"))
st.html(MATRIX_CSS)
with st.container(key="trace"):
    for number, stage in enumerate(stages_for(trace), start=1):
        text_values = {"layer": stage.layer} if stage.layer else {}
        left, right = st.columns([2, 3], gap="large")
        with left:
            st.markdown(f"##### {number}. {t(f'bp.{stage.key}.title', **text_values)}")
            st.latex(stage.latex)
            st.caption(t(f"bp.{stage.key}.text", **text_values))
        with right:
            tables = [matrix_html(values, column_names=cols, caption=t(caption), row_tint=len(values) == n_rows,
                                  first_row=first if len(values) == n_rows else 0)
                      for caption, values, cols in stage.matrices]
            st.html("".join(f'<div class="bp-cell">{table}</div>' for table in tables))
        st.divider()
