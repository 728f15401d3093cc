"""Playground: the training column (controls, epoch, weights, live chart) beside the data, the settings and why the
error stops falling."""

import streamlit as st

from playground import diagnosis, editor, page, settings_panel, training
from playground.guessing import guess_box
from playground.strings import t
from playground.workshop import lesson

s = page.current_session()
hidden_layer = s.network.architecture.hidden
network = t("pg.net_hidden", units=hidden_layer[0]) if hidden_layer else t("pg.net_single")
s, hidden, presenter = page.start(t("app.title"), t("pg.intro", rows=len(s.scenario.data.inputs), network=network))

main, side = st.columns([2.35, 1], gap="medium")
with main:
    training.training_panel(s, hidden, presenter)
with side:
    training.keyboard_help()
    if s.lesson:
        with st.container(border=True, key="lesson_box"):
            st.markdown(f"**{t(f'lesson.{s.lesson}.title')}**")
            current = lesson(s.lesson)
            revealed = current.answer is None or guess_box(  # guess first; the lesson (which tells) comes after
                s, ("lesson", current.key), t(f"lesson.{current.key}.question"), current.answer_now,
                guess_key="lesson_guess", reveal_key="lesson_reveal")
            st.markdown(t(f"lesson.{s.lesson}.text") if revealed else t("lesson.guess_first"))
    editor.data_panel(s, hidden)
    settings_panel.settings_panel(s, hidden)
    training.run_until_panel(s, hidden)
    diagnosis.diagnosis_panel(s)
