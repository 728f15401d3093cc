"""A room-wide guess on the page (rooms/poll.py says what it is).

The presenter (the Playground, beside the chart): what to ask (``poll_kind``, its row, weight or value, and how many
epochs ahead), ``poll_ask``; then the spread of the answers as they come in (``poll_results``: how many answered, a
histogram; it looks again every RESULTS_SECONDS) and ``poll_reveal``, which trains the presenter's run to the epoch
the question is about (the room sees it get there) and shows the network's value among the answers.

A student (every page, under the room's bar): the question, ``poll_answer`` and ``poll_send``; then what was sent;
after the reveal, the network's value beside the student's own answer. The box looks for a new question or a reveal
every CHECK_SECONDS. Everything a student sends is checked: a finite number within the question's bounds (0 or 1 for
yes/no), one answer per student per question (ballots.py takes it once, on any replica), at most SENDS_PER_WINDOW
sends every SEND_WINDOW_SECONDS.
"""

from __future__ import annotations

import time

import streamlit as st
from redis import RedisError

from nn_core import InputError

from ..live.component import chart
from ..state.actions import step
from ..state.session import Session
from ..state.widgets import checked_widget, forget_widget, set_widget, widget
from ..strings import t
from ..views.playground import format_row, subscript_names
from ..views.poll_chart import answers_figure
from . import poll as polls
from .ballots import AGAIN, CLOSED, FULL, TAKEN, ballots
from .mirror import same_setup

RESULTS_SECONDS = 1.0
CHECK_SECONDS = 1.0
SENDS_PER_WINDOW = 3
SEND_WINDOW_SECONDS = 10.0
MAX_KEPT_ANSWERS = 50  # a student's own answers remembered (the latest questions)


def _away(error: Exception) -> bool:
    """The rooms' store cannot be reached (Redis down): said in the box, never a traceback."""
    return isinstance(error, RedisError)


def _number(value: float, kind: str) -> str:
    """A value the network shows: a prediction to 6 decimals (0.999978 is not 1), a weight as the read-out shows it."""
    return f"{value:.6f}" if kind == "prediction" else f"{value:.4f}" if abs(value) < 1e4 else f"{value:.6g}"


def question_text(p: polls.Poll) -> str:
    epoch = f"{p.target:,}"
    if p.kind == "prediction":
        return t("poll.q.prediction", row=int(p.subject) + 1, x=p.label, epoch=epoch)
    if p.kind == "weight":
        return t("poll.q.weight", name=p.label, epoch=epoch)
    return t("poll.q.below", loss=t(f"lossname.{p.loss}"), value=f"{p.subject:g}", epoch=epoch)


def truth_text(p: polls.Poll) -> str:
    epoch = f"{p.truth_epoch:,}"
    if p.kind == "below":
        return t("poll.truth.below", loss=t(f"lossname.{p.loss}"), value=f"{p.truth:.6f}", epoch=epoch,
                 answer=t("poll.yes" if p.yes else "poll.no"))
    return t("poll.truth.value", value=_number(p.truth, p.kind), epoch=epoch)


# -- the presenter -------------------------------------------------------------------------------------------------
def presenter_panel(s: Session) -> None:
    """Beside the Playground's chart while presenting a room: ask, watch the answers, reveal."""
    seat = s.room
    if seat is None or not seat.presenting:
        return
    asked = s.ballot.asked
    with st.container(key="poll", border=True, gap="small"):
        st.markdown(f"**{t('poll.title')}**")
        if asked is not None:
            live = not asked.revealed
            st.fragment(run_every=RESULTS_SECONDS if live else None)(_results)(s)
            if live:  # (outside the results' fragment: the reveal redraws the whole page, the run moved on)
                st.button(t("poll.reveal"), key="poll_reveal", type="primary", on_click=_reveal, args=(s,),
                          width="stretch")
        if asked is None or asked.revealed:
            _ask_form(s)


def _ask_form(s: Session) -> None:
    net = s.network
    names = subscript_names(net.parameter_names())
    rows = len(net.inputs)
    checked_widget(s, "poll_kind", lambda v: v in polls.KINDS, "prediction")
    checked_widget(s, "poll_epochs", lambda v: v in polls.EPOCHS, 100)
    checked_widget(s, "poll_row", lambda v: isinstance(v, int) and 1 <= v <= rows, 1)
    checked_widget(s, "poll_weight", lambda v: isinstance(v, int) and 0 <= v < len(names), 0)
    checked_widget(s, "poll_threshold", lambda v: isinstance(v, float) and 0 < v <= 1, 0.1)
    kind = widget("poll_kind")
    st.selectbox(t("poll.kind"), polls.KINDS, key="poll_kind", format_func=lambda k: t(f"poll.kind.{k}"))
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        if kind == "prediction":
            st.number_input(t("poll.row", rows=rows), min_value=1, max_value=rows, step=1, key="poll_row")
        elif kind == "weight":
            st.selectbox(t("poll.weight"), range(len(names)), key="poll_weight", format_func=names.__getitem__)
        else:
            st.number_input(t("poll.threshold", loss=t(f"lossname.{s.scenario.loss}")), min_value=0.0001,
                            max_value=1.0, step=0.01, format="%g", key="poll_threshold")
        st.selectbox(t("poll.epochs"), polls.EPOCHS, key="poll_epochs",
                     format_func=lambda n: t("poll.epochs_n", n=f"{n:,}"))
    st.button(t("poll.ask"), key="poll_ask", type="primary", on_click=_ask, args=(s,), disabled=s.player.busy,
              help=t("poll.ask_help"), width="stretch")


def _ask(s: Session) -> None:
    net, kind = s.network, widget("poll_kind")
    try:
        if kind == "prediction":
            row = int(widget("poll_row")) - 1
            subject, label = row, format_row(net.inputs[row])
        elif kind == "weight":
            subject = int(widget("poll_weight"))
            subject, label = subject, subscript_names(net.parameter_names())[subject]
        else:
            subject, label = float(widget("poll_threshold")), ""
        question = polls.ask(kind, subject, label, net.epoch, widget("poll_epochs"), s.scenario.loss)
        ballots().ask(s.room.code, question)
    except (InputError, TypeError, ValueError, IndexError):
        s.notice = ("pg.value_refused", {})
        return
    except Exception as e:
        if not _away(e):
            raise
        s.notice = ("poll.unavailable", {})
        return
    s.ballot.asked, s.ballot.asked_run = question, s.share_scenario({})


def _results(s: Session) -> None:
    """The question, how many answered and how the answers spread (again every RESULTS_SECONDS while open)."""
    asked, code = s.ballot.asked, s.room.code if s.room else None
    if asked is None or code is None:
        return
    try:
        answers = ballots().answers(code, asked.id)
    except Exception as e:
        if not _away(e):
            raise
        answers, away = [], True
    else:
        away = False
    spread = polls.spread(asked, answers)
    with st.container(key="poll_results", gap="xsmall"):
        st.markdown(question_text(asked))
        st.caption(t("poll.unavailable") if away else t("poll.answered", count=spread.count))
        yes_no = asked.kind == "below"
        right = asked.right_answer()
        fig = answers_figure(spread.edges, spread.counts, x_title=t("poll.answers_axis"), y_title=t("poll.count"),
                             truth=None if yes_no else right,
                             truth_label=t("poll.truth_mark", value=_number(right, asked.kind)) if right is not None
                             and not yes_no else t("poll.truth_mark_yes_no"),
                             categories=[t("poll.no"), t("poll.yes")] if yes_no else None,
                             truth_bin=None if right is None or not yes_no else int(right))
        chart(fig, key="poll_chart", height="190px",
              label=t("alt.poll", count=spread.count, question=question_text(asked)))
        if asked.revealed:
            st.markdown(truth_text(asked))


def _reveal(s: Session) -> None:
    """Read the truth from the network at the question's epoch. The presenter's own run goes there when it is the
    run the question was asked about (and the room sees it get there); else the run as it was asked about is
    rebuilt and trained there."""
    asked, run = s.ballot.asked, s.ballot.asked_run
    if asked is None or asked.revealed or s.room is None:
        return
    net = s.network
    if same_setup(run, s.scenario) and net.continues(run.run.epoch, run.run.events):
        if net.epoch < asked.target:
            step(s, asked.target - net.epoch)  # stops by itself where training cannot go on
        shown = polls.truth(asked, s.network)
    else:  # the presenter changed the run since: the question is about the run it was asked about
        other = run.network()
        other.train(asked.target - other.epoch)
        shown = polls.truth(asked, other)
    try:
        ballots().ask(s.room.code, shown)
    except Exception as e:
        if not _away(e):
            raise
        s.notice = ("poll.unavailable", {})
        return
    s.ballot.asked = shown


# -- a student -----------------------------------------------------------------------------------------------------
def student_panel(s: Session) -> None:
    """Under the room's bar on every page of a student in a room: the question in force, if any."""
    seat = s.room
    if seat is None or seat.presenting:
        return
    st.fragment(run_every=CHECK_SECONDS)(_student_box)(s)


def _student_box(s: Session) -> None:
    seat = s.room
    if seat is None or seat.presenting:
        return
    try:
        question = ballots().current(seat.code)
    except Exception as e:
        if not _away(e):
            raise
        return  # the room's bar says that rooms cannot be reached
    if question is None:
        return
    ballot = s.ballot
    mine = ballot.answers.get(question.id)
    with st.container(key="poll_box", border=True, horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(f"**{t('poll.asks')}** {question_text(question)}")
        if question.revealed:
            st.markdown(result_text(question, mine))
        elif mine is not None:
            st.markdown(t("poll.sent", answer=_answer_text(question, mine)))
        else:
            _answer_form(s, question)
        said = ballot.said
        if said is not None and said[0] == question.id and mine is None:
            key, values = said[1]
            st.markdown(f":material/error: {t(key, **values)}")


def _answer_form(s: Session, question: polls.Poll) -> None:
    if widget("poll_question") != question.id:  # a new question starts with an empty box
        set_widget("poll_question", question.id)
        forget_widget("poll_answer")
    sent = widget("poll_answer")
    if sent is not None and not question.accepts(sent):  # a hostile client's (nothing is set when the box is
        forget_widget("poll_answer")  # empty, so that a redraw never clears what the student is typing)
        low, high = question.bounds()
        s.ballot.said = (question.id, ("poll.refused", {"low": f"{low:g}", "high": f"{high:g}"}))
    low, high = question.bounds()
    if question.kind == "below":
        st.segmented_control(t("poll.answer"), (1, 0), key="poll_answer", width="content",
                             format_func=lambda v: t("poll.yes" if v else "poll.no"))
    else:
        st.number_input(t("poll.answer_range", low=f"{low:g}", high=f"{high:g}"), min_value=low, max_value=high,
                        value=None, step=0.01 if question.kind == "prediction" else 0.1, format="%g",
                        key="poll_answer", placeholder=t("guess.placeholder"), width=220)
    st.button(t("poll.send"), key="poll_send", type="primary", on_click=_send, args=(s, question))


def _send(s: Session, question: polls.Poll) -> None:
    ballot, value = s.ballot, widget("poll_answer")
    now = time.monotonic()
    ballot.sends = [at for at in ballot.sends if now - at < SEND_WINDOW_SECONDS]
    if len(ballot.sends) >= SENDS_PER_WINDOW:
        ballot.said = (question.id, ("poll.too_fast", {"seconds": f"{SEND_WINDOW_SECONDS:g}"}))
        return
    ballot.sends.append(now)
    if value is None or not question.accepts(value):
        low, high = question.bounds()
        ballot.said = (question.id, ("poll.refused", {"low": f"{low:g}", "high": f"{high:g}"}))
        return
    try:
        said = ballots().answer(s.room.code, question.id, ballot.student, float(value))
    except Exception as e:
        if not _away(e):
            raise
        ballot.said = (question.id, ("poll.unavailable", {}))
        return
    if said == TAKEN:
        ballot.answers[question.id] = float(value)
        while len(ballot.answers) > MAX_KEPT_ANSWERS:
            ballot.answers.pop(next(iter(ballot.answers)))
        ballot.said = None
    else:
        ballot.said = (question.id, ({AGAIN: "poll.again", CLOSED: "poll.closed", FULL: "poll.full"}[said], {}))


def _answer_text(question: polls.Poll, value: float) -> str:
    return t("poll.yes" if value else "poll.no") if question.kind == "below" else f"{value:g}"


def result_text(question: polls.Poll, mine: float | None) -> str:
    """The network's value beside the student's own answer."""
    shown = truth_text(question)
    if mine is None:
        return f"{shown} {t('poll.no_answer')}"
    if question.kind == "below":
        right = bool(mine) == question.yes
        return f"{shown} " + t("poll.you_said", answer=_answer_text(question, mine),
                               verdict=t("poll.right" if right else "poll.wrong"))
    return f"{shown} " + t("poll.you_guessed", guess=f"{mine:g}", off=_number(abs(mine - question.truth),
                                                                               question.kind))

