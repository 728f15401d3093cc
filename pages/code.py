"""The article's code, line by line: step through one epoch of it and see every variable's value at each step, for
the learner's own network and epoch (the same numbers as the Backprop page), each line one click from its stage."""

import streamlit as st

from playground import article_code as code
from playground import page
from playground.backprop import stages_for
from playground.live import scroll_to
from playground.matrices import MATRIX_CSS
from playground.session import step
from playground.strings import t

s, hidden, presenter = page.start(t("code.title"), t("code.intro"))
net = s.network
trace = net.trace_epoch()  # the update from the epoch the network is at
practice = s.practice
practice.code_step = min(max(practice.code_step, 0), len(code.STEPS) - 1)
last = practice.code_step == len(code.STEPS) - 1
now = code.STEPS[practice.code_step]
number = code.line_number(now.line)
fits = code.fits(net)


def forward():
    if practice.code_step == len(code.STEPS) - 1:  # the loop goes round: the network trains one epoch
        step(s, 1)
        practice.code_step = code.LOOP_STEP
    else:
        practice.code_step += 1


def back():
    practice.code_step = max(0, practice.code_step - 1)


st.html(code.CODE_CSS + MATRIX_CSS)
stage_numbers = {stage.key: n for n, stage in enumerate(stages_for(trace), start=1)}
with st.container(key="code_controls", horizontal=True, vertical_alignment="center", gap="small"):
    st.button(t("code.back"), key="code_back", disabled=practice.code_step == 0, on_click=back)
    st.button(t("code.next_epoch") if last else t("code.step"), key="code_step", type="primary", on_click=forward)
    with st.container(key="code_line", width="content"):
        st.markdown(t("code.line", number=number, step=practice.code_step + 1, steps=len(code.STEPS),
                      epoch=f"{trace.epoch:,}") + f"  \n`{code.line_of(now.line).code.strip()}`")
    stage = now.stage if fits and now.stage in stage_numbers else None
    if stage is not None and st.button(
            t("code.to_stage", number=stage_numbers[stage], title=t(f"bp.{stage}.title")), key="code_to_stage"):
        practice.scrolls += 1
        practice.focus = (stage, trace.epoch, practice.scrolls)
        st.switch_page("pages/backprop.py")
if not fits:
    st.info(t("code.not_article"))
elif trace.learning_rate != 1:
    st.info(t("code.rate", rate=f"{trace.learning_rate:g}"))

inline = f'<p class="code-note">{t(f"code.step.{now.note}")}</p>' if now.note else ""
if fits:
    inline += code.values_html(now, net, trace)
elif now.variables:
    inline += f'<p class="code-note">{t("code.no_values")}</p>'
st.html(code.listing_html(t, number, inline))
st.caption(t("code.source"))
scroll_to(".code-line.now", request=f"{trace.epoch}-{practice.code_step}", block="center")
