"""Playground: the training column (controls, epoch, weights, the status line, live chart, why the error stops
falling) beside the data and the settings."""

import streamlit as st

from playground.learn.lessons import lesson
from playground.panels import page
from playground.panels.data_table import data_panel
from playground.panels.guess_box import guess_box
from playground.panels.settings import settings_panel
from playground.panels.training.column import training_panel
from playground.panels.training.controls import keyboard_help, run_until_panel
from playground.rooms.poll_panel import presenter_panel as ask_the_room
from playground.strings import t

s = page.current_session()
hidden_layer = s.network.architecture.hidden
network = t("pg.net_hidden", units=hidden_layer[0]) if hidden_layer else t("pg.net_single")
s, hidden, presenter = page.start(t("app.title"), t("pg.intro", rows=len(s.scenario.data.inputs), network=network),
                                  status=False)  # the training column has it, under the read-outs

main, side = st.columns([2.35, 1], gap="medium")
with main:
    training_panel(s, hidden, presenter)
with side:
    keyboard_help()
    with st.container():  # (what comes and goes here leaves the table under it in its place, as app.py's top does)
        ask_the_room(s)  # presenting a room: a question for everyone in it, its answers as they come in
        if s.lesson:
            with st.container(border=True, key="lesson_box"):
                st.markdown(f"**{t(f'lesson.{s.lesson}.title')}**")
                current = lesson(s.lesson)
                revealed = current.answer is None or guess_box(  # guess first; the lesson (which tells) comes after
                    s, ("lesson", current.key), t(f"lesson.{current.key}.question"), current.answer_now,
                    guess_key="lesson_guess", reveal_key="lesson_reveal")
                st.markdown(t(f"lesson.{s.lesson}.text") if revealed else t("lesson.guess_first"))
    data_panel(s, hidden)
    settings_panel(s, hidden)
    run_until_panel(s, hidden)
