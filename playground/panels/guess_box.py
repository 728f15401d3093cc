"""Guess before you see: a number stays hidden until the learner has typed a guess and pressed Reveal; then it shows,
with how far the guess was. The Backprop page's stages and the guided lessons' key moments use the same box."""

from __future__ import annotations

import math
from collections.abc import Callable

import streamlit as st

from ..state.actions import remember_guess
from ..state.session import Session
from ..state.widgets import checked_widget, set_widget, widget
from ..strings import t

GUESS_LIMIT = 1e6


def _fine(value) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)
                             and math.isfinite(value) and abs(value) <= GUESS_LIMIT)


def guess_box(s: Session, question: tuple, prompt: str, truth: Callable[[], float], *, guess_key: str = "guess",
              reveal_key: str = "reveal", digits: int = 6) -> bool:
    """Ask ``prompt`` until the learner reveals the answer; True once revealed (the guess and the truth are then shown
    here, and the caller shows what was hidden). ``question`` names it in the session; ``truth`` computes the value
    when Reveal is pressed (from the network, never stored in the page beforehand)."""
    answered = s.practice.guesses.get(question)
    if answered is not None:
        guess, value = answered
        st.success(t("guess.result", guess=f"{guess:g}", value=f"{value:.{digits}f}",
                     off=f"{abs(value - guess):.{digits}f}"), icon="🎯")
        return True
    checked_widget(s, guess_key, _fine, None)
    with st.container(key=f"{guess_key}_box", horizontal=True, vertical_alignment="bottom", gap="small"):
        st.number_input(prompt, min_value=-GUESS_LIMIT, max_value=GUESS_LIMIT, value=None, step=0.01, format="%g",
                        key=guess_key, placeholder=t("guess.placeholder"), width=300)
        st.button(t("guess.reveal"), key=reveal_key, type="primary", on_click=_reveal,
                  args=(s, question, guess_key, truth))
    return False


def _reveal(s: Session, question: tuple, guess_key: str, truth: Callable[[], float]) -> None:
    guess = widget(guess_key)
    if guess is None or not _fine(guess):
        s.notice = ("guess.empty", {})
        return
    remember_guess(s, question, float(guess), float(truth()))
    set_widget(guess_key, None)  # the next question starts with an empty box
