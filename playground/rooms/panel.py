"""A room on the page: start one or join one (sidebar), its code, link and QR code (a slim bar at the top of the page
in presenter mode), a follower's bar with its poll, and the presenter's broadcasts (see broadcast.py for how it
works)."""

from __future__ import annotations

import base64
import html
import io
import time

import segno
import streamlit as st
from redis import RedisError

from nn_core import InputError

from ..learn.lessons import LESSON_KEYS
from ..live.component import follow
from ..state.actions import follow_run
from ..state.session import Seat, Session
from ..state.widgets import forget_widget, set_widget, widget
from ..strings import t
from ..views.playground import VIEWS
from .broadcast import mark_of, poll, publish
from .registry import CODE_LENGTH, HEARTBEAT_SECONDS, POLL_SECONDS, Rooms, RoomState, normal_code, registry


def _problem(error: Exception) -> bool:
    """A room backend that cannot be reached (Redis down) is a message on the page, never a traceback."""
    return isinstance(error, RedisError)


# -- joining and leaving --------------------------------------------------------------------------------------------
def read_url(s: Session) -> None:
    """``?room=CODE`` joins that room, once per code (a reload of a follower's page joins again)."""
    code = st.query_params.get("room")
    if not code or (s.room is not None and s.room.code == normal_code(code)) or code == s.room_link_seen:
        return
    s.room_link_seen = code
    join(s, code)


def join(s: Session, text: str) -> None:
    code = normal_code(text)
    if code is None:
        s.notice = ("room.bad_code", {"length": CODE_LENGTH})
        return
    rooms = registry()
    try:
        state = rooms.latest(code)
    except Exception as e:
        if not _problem(e):
            raise
        s.notice = ("room.unavailable", {})
        return
    if state is None:
        s.notice = ("room.not_found", {"code": code})
        return
    if s.room is not None and s.room.presenting:
        _end(s)
    s.room = Seat(code, presenting=False)
    if apply(s, rooms, state):
        s.notice = ("room.joined", {"code": code})
        st.query_params["room"] = code


def apply(s: Session, rooms: Rooms, state: RoomState) -> bool:
    """Put the room's run and view in force in this session (the run trained once per process: Mirror)."""
    seat = s.room
    try:
        scenario = rooms.scenario(state.link)
    except InputError:
        s.notice = ("room.bad_state", {})
        return False
    network = rooms.mirror(seat.code).network_for(scenario)
    follow_run(s, scenario.with_changes(ui=s.scenario.ui), network)  # the learner keeps its own view settings
    view = state.view
    if view.get("tab") in VIEWS:
        set_widget("view_tab", view["tab"])
    rewind = view.get("rewind")
    s.rewind = rewind if isinstance(rewind, int) and 0 <= rewind < network.epoch else None
    forget_widget("rewind")
    s.log_scale = bool(view.get("log"))
    forget_widget("log_scale")
    s.lesson = view.get("lesson") if view.get("lesson") in LESSON_KEYS else None
    set_widget("target_epochs", scenario.target_epochs)
    seat.version = seat.applied = state.version
    seat.view, seat.relay, seat.due = view, None, None
    seat.mark = mark_of(s)
    return True


def _leave(s: Session) -> None:
    s.room = None
    st.query_params.pop("room", None)


def _detach(s: Session) -> None:
    s.room.following, s.room.relay = False, None


def _resync(s: Session) -> None:
    rooms = registry()
    try:
        state = rooms.latest(s.room.code)
    except Exception as e:
        if not _problem(e):
            raise
        s.notice = ("room.unavailable", {})
        return
    if state is None:
        s.notice = ("room.ended", {"code": s.room.code})
        _leave(s)
        return
    s.room.following = True
    apply(s, rooms, state)


def _join_typed(s: Session) -> None:
    text = widget("room_join") or ""
    set_widget("room_join", "")
    if text.strip():
        join(s, text)


# -- presenting -----------------------------------------------------------------------------------------------------
def _create(s: Session) -> None:
    rooms = registry()
    try:
        code = rooms.create(RoomState(0, "", {}, None, False))
    except Exception as e:
        if not _problem(e):
            raise
        s.notice = ("room.unavailable", {})
        return
    s.room = Seat(code, presenting=True)
    st.query_params.pop("room", None)
    share(s)


def _end(s: Session) -> None:
    try:
        registry().end(s.room.code)
    except Exception as e:
        if not _problem(e):
            raise
    s.room = None


def presenter_view(s: Session) -> dict:
    """What the room shows of the presenter's view: the Playground's chart, a rewind, the log scale, the lesson."""
    return {"tab": widget("view_tab") or "loss", "rewind": s.rewind if not s.player.busy else None,
            "log": s.log_scale, "lesson": s.lesson}


def share(s: Session) -> None:
    """At the end of every run of a presenter's page (and of its training column): broadcast what changed."""
    seat = s.room
    if seat is None or not seat.presenting:
        return
    sent = s.player.last_sent
    chunk = sent if sent is not None and sent.number > seat.chunk else None
    try:
        sent = publish(s, registry(), presenter_view(s), chunk)
    except Exception as e:
        if not _problem(e):
            raise
        sent = True  # Redis is away for a moment: the next run sends it
    if chunk is not None:
        seat.chunk = chunk.number
    seat.too_big = not sent


def _heartbeat(s: Session) -> None:
    seat = s.room
    if seat is None or not seat.presenting:
        return
    try:
        if not registry().alive(seat.code):  # it expired (a laptop asleep): the same code opens again
            seat.published = None
            share(s)
    except Exception as e:
        if not _problem(e):
            raise


def join_url(code: str) -> str:
    base = (st.context.url or "").split("?")[0]
    return f"{base}?room={code}"


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=2, dark="#0f172a")
    return out.getvalue()


def room_code(s: Session, large: bool) -> None:
    """The room's code, join link and QR code (key room_code), and the button that ends the room: a card in the
    sidebar, or in presenter mode one slim bar at the top of the page (``large``: the code large enough to read from
    the back of the room, a small QR code that a click enlarges and a second click puts back)."""
    code = s.room.code
    url = join_url(code)
    alt = html.escape(t("room.qr", code=code))
    png = base64.b64encode(qr_png(url)).decode()
    if large:
        with st.container(key="room_code", horizontal=True, vertical_alignment="center", gap="medium"):
            st.html(f'<details class="room-qr"><summary title="{html.escape(t("room.qr_enlarge"))}">'
                    f'<img class="room-qr-small" src="data:image/png;base64,{png}" width="52" height="52" alt="{alt}">'
                    f'<img class="room-qr-large" src="data:image/png;base64,{png}" alt=""></summary></details>')
            with st.container(key="room_code_text", width="content", gap="xxsmall"):
                st.markdown(t("room.code", code=" ".join(code)))
                st.markdown(f"`{url}`")
            if s.room.too_big:
                st.warning(t("room.too_big"))
            st.button(t("room.end"), key="room_end", on_click=_end, args=(s,))
        return
    with st.container(key="room_code", border=True, gap="medium"):
        st.html(f'<figure class="room-qr"><img src="data:image/png;base64,{png}" width="140" height="140" '
                f'alt="{alt}"><figcaption>{alt}</figcaption></figure>')
        st.markdown(t("room.code", code=" ".join(code)))
        st.code(url, language=None, wrap_lines=False)
        st.caption(t("room.join_help"))
        if s.room.too_big:
            st.warning(t("room.too_big"))
        st.button(t("room.end"), key="room_end", on_click=_end, args=(s,))


# -- what the page draws --------------------------------------------------------------------------------------------
def top(s: Session, presenter: bool) -> None:
    """At the top of every page: a presenter's room (a slim bar, in presenter mode), or a follower's bar."""
    seat = s.room
    if seat is None:
        return
    if seat.presenting:
        st.fragment(run_every=HEARTBEAT_SECONDS)(_heartbeat)(s)
        if presenter:
            room_code(s, large=True)
        return
    with st.container(key="room_bar", horizontal=True, vertical_alignment="center", gap="small"):
        if seat.following:
            st.fragment(run_every=POLL_SECONDS)(_poll)(s)
            st.button(t("room.detach"), key="room_detach", on_click=_detach, args=(s,))
        else:
            st.markdown(t("room.detached", code=seat.code))
            st.button(t("room.resync"), key="room_resync", type="primary", on_click=_resync, args=(s,))
        st.button(t("room.leave"), key="room_leave", on_click=_leave, args=(s,))


def _poll(s: Session) -> None:
    """A follower's tick (every POLL_SECONDS): cheap when nothing changed; the page redraws only to put the room's
    run in force."""
    seat = s.room
    if seat is None or seat.presenting or not seat.following:
        return
    rooms = registry()
    try:
        action, state = poll(s, rooms, time.monotonic())
    except Exception as e:
        if not _problem(e):
            raise
        action, state = "unavailable", None
    if act(s, rooms, action, state):
        st.rerun()
    st.markdown(t("room.following", code=seat.code) if action != "unavailable" else t("room.unavailable"))
    follow(key="room_follow", relay=seat.relay)


def act(s: Session, rooms: Rooms, action: str | None, state: RoomState | None) -> bool:
    """Do what a follower's poll found (broadcast.poll); True when the whole page must be drawn again."""
    if action == "ended":
        s.notice = ("room.ended", {"code": s.room.code})
        _leave(s)
        return True
    if action == "detached":
        s.notice = ("room.detached_note", {})
        return True
    return action == "apply" and apply(s, rooms, state)


def sidebar_controls(s: Session, presenter: bool) -> None:
    """The sidebar's room section: start a room, or join one by its code; a presenter's room (outside presenter
    mode, where it is at the top of the page)."""
    st.markdown(f"**{t('room.title')}**")
    seat = s.room
    if seat is not None and seat.presenting:
        if not presenter:
            room_code(s, large=False)
        else:
            st.caption(t("room.presenting", code=seat.code))
        return
    if seat is None:
        st.button(t("room.create"), key="room_create", help=t("room.create_help"), on_click=_create, args=(s,))
    st.text_input(t("room.join"), key="room_join", max_chars=40, placeholder="K7Q2XM", on_change=_join_typed,
                  args=(s,), help=t("room.join_field_help"))
