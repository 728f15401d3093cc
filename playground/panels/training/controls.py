"""The training controls (step, play/stop, reset, speed, train to) and the player's messages; run until."""

from __future__ import annotations

from functools import cache

import streamlit as st

from nn_core.analysis import proven_floor
from nn_core.settings import MAX_EPOCHS

from ...live import player as live
from ...live.component import player
from ...server.internals import requests_seen
from ...state.actions import next_chunk, play, reset, run_until, step, stop, train_to
from ...state.session import Session
from ...state.widgets import checked_widget, forget_widget, widget
from ...strings import language, t, translate
from ...views.numbers import floor_text

STEP_SIZES = (1, 10, 100, 1000, 10_000)


def controls(s: Session, hidden: frozenset[str]):
    """The training controls; returns the chunk of frames sent to the player in this run, if any."""
    busy = s.player.busy
    sent = None
    checked_widget(s, "step_size", lambda v: v in STEP_SIZES, STEP_SIZES[0])
    checked_widget(s, "target_epochs", lambda v: isinstance(v, int) and 1 <= v <= MAX_EPOCHS,
                   s.scenario.target_epochs)
    checked_widget(s, "play_speed", lambda v: v in live.PLAY_SPEEDS, s.player.speed)
    with st.container(key="controls", horizontal=True, vertical_alignment="bottom", gap="xsmall"):
        if "step" not in hidden:
            st.selectbox(t("pg.step_size"), STEP_SIZES, key="step_size", disabled=busy, width=92,
                         format_func=_step_labels(language()).get, label_visibility="collapsed")
            st.button(t("pg.step"), key="step", type="primary", disabled=busy, on_click=_step, args=(s,))
        if "play" not in hidden:
            sent = live.send(s.player)
            size = widget("step_size", STEP_SIZES[0])
            player(key="play", mode=s.player.mode, chunk=sent, ahead=_step_ahead(s, size), disabled=False, width=104,
                   ahead_for={"step_label": _step_labels(language())[size], "rate": s.network.learning_rate,
                              "seen": requests_seen()},
                   on_play=lambda: _on_player(s, "play"), on_stop=lambda: _on_player(s, "stop"),
                   on_need=lambda: _on_player(s, "need"), on_key=lambda: _on_player(s, "key"))
        if "reset" not in hidden:  # the essentials first: on a phone they make one bar above the chart
            st.button(t("pg.reset"), key="reset", disabled=busy, on_click=reset, args=(s,))
        if "speed" not in hidden:
            st.selectbox(t("pg.speed"), live.PLAY_SPEEDS, key="play_speed", width=104, label_visibility="collapsed",
                         format_func=_speed_labels(language()).get, on_change=_speed, args=(s,))
        if "train" not in hidden:
            st.button(t("pg.train_button"), key="train", disabled=busy, on_click=_train, args=(s,))
            st.number_input(t("pg.target_epochs"), min_value=1, max_value=MAX_EPOCHS, step=1000, key="target_epochs",
                            disabled=busy, width=96, label_visibility="collapsed", format="%d")
    return sent


# The choices' labels, made once per language (Streamlit formats every option at every run of the column).
@cache
def _step_labels(lang: str) -> dict[int, str]:
    return {n: translate(lang, "pg.epochs_n", n=f"{n:,}") for n in STEP_SIZES}


@cache
def _speed_labels(lang: str) -> dict[int, str]:
    return {n: translate(lang, "pg.per_second", n=f"{n:,}") for n in live.PLAY_SPEEDS}


def keyboard_help() -> None:
    """The keyboard shortcuts (live.js), in a small popover."""
    with st.popover(t("kb.button"), icon=":material/keyboard:", help=t("kb.title"), key="keyboard_help",
                    type="tertiary"):
        st.markdown(t("kb.text"))


def _step(s: Session) -> None:
    step(s, widget("step_size", STEP_SIZES[0]))


def _step_ahead(s: Session, size: int) -> live.Chunk | None:
    """The next Step's frames, for the browser to show at the click: from the live epoch only (a Step from a rewound
    one drops the epochs after it, which the server says), and not while following a room (its run comes from it)."""
    following = s.room is not None and not s.room.presenting and s.room.following
    if following or s.shown()[0] != s.network.epoch:
        return None
    return live.step_ahead(s.player, s.network, size)


def _train(s: Session) -> None:
    target = widget("target_epochs", s.scenario.target_epochs)
    s.scenario = s.scenario.with_changes(target_epochs=target)
    shown, _ = s.shown()  # training goes on from the epoch on screen (rewound: it drops the later ones)
    if target <= shown:
        s.notice = ("pg.already_there", {"epoch": f"{shown:,}"})
        return
    train_to(s, target)
    s.player.outbox = next_chunk(s)


def _speed(s: Session) -> None:
    speed = widget("play_speed")
    if speed in live.PLAY_SPEEDS:
        s.player.speed = speed
        if s.player.mode == "play":  # go on at the new speed from (about) the epoch on screen
            stop(s, live.screen_epoch(s.player, s.network))
            play(s)
            s.player.outbox = next_chunk(s)
            if s.player.outbox is not None:
                s.player.outbox.replace = True


def _on_player(s: Session, event: str) -> None:
    """The player's messages: play, stop (with the epoch on screen), need (more frames), key (a shortcut)."""
    events = widget("play")
    value = events.get(event) if isinstance(events, dict) else None
    if event == "play":
        if s.player.mode is None:  # the browser sends Play only when idle; a second one would train ahead again
            play(s)
            s.player.outbox = next_chunk(s)
    elif event == "stop":
        stop(s, _epoch_on_screen(s, value))
    elif event == "need" and s.player.mode is not None:
        s.player.outbox = next_chunk(s, _epoch_on_screen(s, value))
    elif event == "key" and s.player.mode is None:
        if value == "step":
            _step(s)
        elif value == "back":
            size = widget("step_size", STEP_SIZES[0])
            s.rewind = max(0, (s.network.epoch if s.rewind is None else s.rewind) - size)
            forget_widget("rewind")
        elif value == "reset":
            reset(s)
        else:
            s.notice = ("pg.value_refused", {})


def _epoch_on_screen(s: Session, value) -> int | None:
    """The epoch the browser says it shows, if it is one this run has had (-1: none yet)."""
    shown = value.get("shown") if isinstance(value, dict) else None
    if isinstance(shown, int) and not isinstance(shown, bool) and -1 <= shown <= s.network.epoch:
        return shown if shown >= 0 else None
    s.notice = ("pg.value_refused", {})  # not what the player sends: the run goes on from where it is
    return None


# -- run until -----------------------------------------------------------------------------------------------------
def run_until_panel(s: Session, hidden: frozenset[str]) -> None:
    if "run_until" in hidden:
        return
    checked_widget(s, "until_error", lambda v: isinstance(v, float) and 0 < v <= 1, 0.1)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):  # (one block, not three columns)
        st.number_input(t("pg.until", loss=t(f"lossname.{s.scenario.loss}")), min_value=0.0001, max_value=1.0,
                        step=0.01, format="%g", key="until_error", disabled=s.player.busy)
        st.button(t("pg.until_button"), key="run_until", disabled=s.player.busy, on_click=_run_until, args=(s,))


def _run_until(s: Session) -> None:
    loss, threshold = s.scenario.loss, widget("until_error", 0.1)
    floor = proven_floor(s.network, loss)
    if floor is not None and threshold <= floor.value:  # it can never get there: say so rather than train in vain
        why = "pg.until_below_floor_data" if floor.same_inputs else "pg.until_below_floor"
        s.notice = (why, {"threshold": f"{threshold:g}", "floor": floor_text(floor.value),
                          "loss": t(f"lossname.{loss}")})
        return
    epoch, params = s.shown()  # it goes on from the epoch on screen
    now = float(s.network.losses_for(params, loss)[0])
    if now < threshold:
        s.notice = ("pg.until_done", {"epoch": f"{epoch:,}", "loss": f"{now:.6f}"})
        return
    run_until(s, loss, threshold)
    s.player.outbox = next_chunk(s)
