"""Playground: the training column (controls, epoch, weights, live chart) beside the data and the settings."""

import streamlit as st

from nn_core.separability import linear_separability
from playground import editor, page, settings_panel, training
from playground.strings import t

s = page.current_session()
hidden_layer = s.network.architecture.hidden
network = t("pg.net_hidden", units=hidden_layer[0]) if hidden_layer else t("pg.net_single")
s, hidden, presenter = page.start(t("app.title"), t("pg.intro", rows=len(s.scenario.data.inputs), network=network))

main, side = st.columns([2.35, 1], gap="medium")
with main:
    training.training_panel(s, hidden, presenter)
with side:
    if s.lesson:
        with st.container(border=True, key="lesson_box"):
            st.markdown(f"**{t(f'lesson.{s.lesson}.title')}**")
            st.markdown(t(f"lesson.{s.lesson}.text"))
    editor.data_panel(s, hidden)
    settings_panel.settings_panel(s, hidden)
    training.run_until_panel(s, hidden)
    if not s.network.architecture.hidden:
        verdict = linear_separability(s.network.inputs, s.network.outputs, bias=s.network.architecture.bias)
        if not verdict.separable:
            st.warning(t("pg.not_separable", rows=", ".join(str(i + 1) for i in verdict.mixed_rows)), icon="✂️")
