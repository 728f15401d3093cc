"""Backprop: every number of one training epoch of the learner's own network, stage by stage."""

import streamlit as st

from playground import chrome
from playground.backprop import stages_for
from playground.matrices import MATRIX_CSS, matrix_html
from playground.session import step
from playground.strings import t

session = chrome.session()
net = session.network
st.title(t("bp.title"))
st.caption(t("bp.intro"))
chrome.show_notice(session)

c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
if c1.button(t("bp.next"), key="next_epoch", type="primary"):
    step(session, 1)
    st.session_state["trace_epoch"] = net.epoch
if st.session_state.get("trace_epoch", 0) > net.epoch or "trace_epoch" not in st.session_state:
    st.session_state["trace_epoch"] = net.epoch
epoch = c2.number_input(t("bp.epoch"), min_value=0, max_value=net.epoch, step=1, key="trace_epoch",
                        help=t("bp.epoch_help"))
trace = net.trace_epoch(int(epoch))
st.markdown(f"**{t('bp.showing', epoch=f'{epoch:,}', next=f'{epoch + 1:,}', rate=f'{trace.learning_rate:g}')}**")
if len(trace.layers) > 1:
    st.info(t("bp.hidden_note"))

st.markdown(MATRIX_CSS, unsafe_allow_html=True)
n_rows = len(trace.targets)  # matrices with one row per training sample get the row colours
with st.container(key="trace"):
    for number, stage in enumerate(stages_for(trace), start=1):
        text_values = {"layer": stage.layer} if stage.layer else {}
        left, right = st.columns([2, 3], gap="large")
        with left:
            st.markdown(f"##### {number}. {t(f'bp.{stage.key}.title', **text_values)}")
            st.latex(stage.latex)
            st.caption(t(f"bp.{stage.key}.text", **text_values))
        with right:
            tables = [matrix_html(values, column_names=cols, caption=t(caption), row_tint=len(values) == n_rows)
                      for caption, values, cols in stage.matrices]
            cells = "".join(f'<div style="display:inline-block;vertical-align:top;margin-right:1.2rem">{table}</div>'
                            for table in tables)
            st.markdown(cells, unsafe_allow_html=True)
        st.divider()
