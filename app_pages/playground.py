"""Playground: edit the training matrix, train, and watch the network learn."""

import streamlit as st

from playground import chrome, panels
from playground.strings import t

session = chrome.session()
st.title(t("app.title"))
st.caption(t("pg.intro"))
chrome.show_notice(session)
if session.lesson:
    with st.container(border=True, key="lesson_box"):
        st.markdown(f"**{t(f'lesson.{session.lesson}.title')}**")
        st.markdown(t(f"lesson.{session.lesson}.text"))

left, right = st.columns([2, 3], gap="large")
with left:
    panels.data_panel(session)
    panels.settings_panel(session)
    panels.separability_warning(session)
with right:
    panels.training_panel(session)
