"""Backprop: every number of one training epoch of the learner's own network, stage by stage. With "guess before you
see" on, each stage's numbers stay hidden until the learner has guessed its headline number."""

import streamlit as st

from playground.learn.backprop import stages_for, update_label
from playground.live.component import scroll_to
from playground.panels import page
from playground.panels.contributions import contributions_section
from playground.panels.guess_box import guess_box
from playground.state.actions import step
from playground.state.widgets import checked_widget, set_widget, widget
from playground.strings import t
from playground.views.matrices import MATRIX_CSS, ROWS_PER_PAGE, matrix_html

s, hidden, presenter = page.start(t("bp.title"), t("bp.intro"))
net = s.network
focus, s.practice.focus = s.practice.focus, None  # a stage the code page asked to show (once)
if focus is not None and focus[1] <= net.epoch:
    set_widget("trace_epoch", focus[1])

checked_widget(s, "trace_epoch", lambda v: isinstance(v, int) and v >= 0, net.epoch)
if widget("trace_epoch") > net.epoch:  # the run was reset or rewound since: not the learner's doing
    set_widget("trace_epoch", net.epoch)


def next_epoch():
    step(s, 1)
    set_widget("trace_epoch", s.network.epoch)


c1, c2, c3 = st.columns([1, 2, 1.6], vertical_alignment="bottom")
c1.button(t("bp.next"), key="next_epoch", type="primary", on_click=next_epoch)
epoch = c2.number_input(t("bp.epoch"), min_value=0, max_value=net.epoch, step=1, key="trace_epoch",
                        help=t("bp.epoch_help"))
checked_widget(s, "predict_first", lambda v: isinstance(v, bool), False)
guessing = c3.toggle(t("bp.predict_first"), key="predict_first", help=t("bp.predict_first_help"))
trace = net.trace_epoch(int(epoch))
st.markdown(f"**{t('bp.showing', epoch=f'{epoch:,}', next=f'{epoch + 1:,}', rate=f'{trace.learning_rate:g}')}**")
k = 0  # which of the epoch's updates the stages show: the only one, or (online) the one the learner chooses
if trace.rows is not None:
    order = ", ".join(str(r + 1) for r in trace.rows[:20]) + (" …" if len(trace.rows) > 20 else "")
    st.info(t("bp.online", order=order))
    updates = list(range(len(trace.updates)))
    checked_widget(s, "trace_update", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, 0)
    if widget("trace_update") not in updates:  # the table has fewer rows since
        set_widget("trace_update", 0)
    k = st.selectbox(t("bp.update_shown"), updates, key="trace_update",
                     format_func=lambda i: t("bp.update_option", **update_label(trace, i)))
    chosen = update_label(trace, k)
    if k == 0:
        st.caption(t("bp.update_from_start", n=chosen["n"], row=chosen["row"]))
    else:
        st.caption(t("bp.update_from_row", **chosen, before=k, before_row=update_label(trace, k - 1)["row"]))
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
stages = stages_for(trace, k)
# Each row's share follows Xᵀ·delta (the article's network), or the last stage (a hidden layer's backward pass).
shares_after = next((n for n, stage in enumerate(stages, start=1) if stage.key == "gradient"), len(stages))
waiting = False  # a stage above still waits for the learner's guess: what follows would give it away
with st.container(key="trace"):
    for number, stage in enumerate(stages, start=1):
        text_values = {"layer": stage.layer} if stage.layer else {}
        focused = focus is not None and number == focus[0]
        with st.container(key=f"stage_{number}", border=focused):
            left, right = st.columns([2, 3], gap="large")
            with left:
                st.markdown(f"##### {number}. {t(f'bp.{stage.key}.title', **text_values)}")
                st.latex(stage.latex)
                st.caption(t(f"bp.{stage.key}.text", **text_values))
            with right:
                if waiting:
                    st.caption(t("bp.after_guess"))
                    shown = False
                elif guessing and stage.headline is not None:
                    h = stage.headline
                    shown = guess_box(s, ("bp", s.run_id, int(epoch), k, number),
                                      t(f"bp.guess.{h.key}", **h.values, **text_values), lambda h=h: h.value)
                    waiting = not shown
                else:
                    shown = True
                if shown:
                    tables = [matrix_html(values, column_names=cols, caption=t(caption), row_tint=len(values) == n_rows,
                                          first_row=first if len(values) == n_rows else 0)
                              for caption, values, cols in stage.matrices]
                    st.html("".join(f'<div class="bp-cell">{table}</div>' for table in tables))
                    if stage.after is not None:
                        st.markdown(f"**{t(stage.after[0], **stage.after[1])}**")
        if number == shares_after and not waiting:
            contributions_section(net, trace.updates[k], first, presenter)
        st.divider()
if focus is not None and focus[0] <= len(stages):
    scroll_to(f".st-key-stage_{focus[0]}", request=f"stage-{focus[2]}")
