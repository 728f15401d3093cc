"""The code, line by line: one epoch of the learner's own network through the engine's own code, one line at a time,
with the values each line reads and makes (the same numbers as the Backprop page), each line a click from its stage."""

import streamlit as st

from playground.learn import code_listing, code_walk
from playground.learn.backprop import stages_for
from playground.live.component import scroll_to
from playground.panels import page
from playground.state.actions import step
from playground.strings import t
from playground.views.matrices import MATRIX_CSS

s, hidden, presenter = page.start(t("code.title"), t("code.intro"))
net = s.network
practice = s.practice
walk = code_walk.walk(net, net.epoch, max(practice.code_step, 0))  # the update from the epoch the network is at
if practice.code_step >= len(walk.steps):  # a shorter epoch than the one stepped through before
    practice.code_step = 0
    walk = code_walk.walk(net, net.epoch, 0)
now = walk.steps[practice.code_step]
last = practice.code_step == len(walk.steps) - 1
functions = code_walk.listing(net)
function = next(f for f in functions if f.name == now.function)
trace = net.trace_epoch()
stages = stages_for(trace)
stage = code_walk.stage_for(walk, practice.code_step, stages, trace.rows is not None)


def forward():
    if practice.code_step >= len(walk.steps) - 1:  # the epoch is over: train it, and walk the next one
        step(s, 1)
        practice.code_step = code_walk.first_step_of_an_epoch(walk)
    else:
        practice.code_step += 1


def back():
    practice.code_step = max(0, practice.code_step - 1)


st.html(code_listing.CODE_CSS + MATRIX_CSS)
with st.container(key="code_controls", horizontal=True, vertical_alignment="center", gap="small"):
    st.button(t("code.back"), key="code_back", disabled=practice.code_step == 0, on_click=back)
    st.button(t("code.next_epoch") if last else t("code.step"), key="code_step", type="primary", on_click=forward)
    with st.container(key="code_line", width="content"):
        text = dict(function.lines)[now.line].strip()
        st.markdown(t("code.line", path=function.path, number=now.line, step=practice.code_step + 1,
                      steps=len(walk.steps), epoch=f"{walk.epoch:,}") + f"  \n`{text}`")
    if stage is not None:
        title = t(f"bp.{stages[stage - 1].key}.title", layer=stages[stage - 1].layer)
        if st.button(t("code.to_stage", number=stage, title=title), key="code_to_stage"):
            practice.scrolls += 1
            practice.focus = (stage, trace.epoch, practice.scrolls)
            st.switch_page("pages/backprop.py")
if trace.rows is not None:
    st.info(t("code.online", order=", ".join(str(r + 1) for r in trace.rows[:20]) + (" …" if len(trace.rows) > 20
                                                                                     else "")))
if walk.cut:
    st.info(t("code.cut", limit=f"{code_walk.MAX_STEPS:,}"))

inline = f'<p class="code-note">{t(f"code.n.{now.note}")}</p>' if now.note else ""
inline += code_listing.values_html(now, net.inputs)
st.html(code_listing.listing_html(functions, (now.function, now.line), inline))
st.caption(t("code.source"))
scroll_to(".code-line.now", request=f"{walk.epoch}-{practice.code_step}", block="center")
