"""A room on the page: start one or join one (sidebar), its code, link and QR code (a slim bar at the top of the page
in presenter mode), a follower's bar with its poll, and the presenter's broadcasts (see broadcast.py for how it
works).

Each button acts on the seat it was drawn for (its callback's arguments), never on whatever seat the session holds
when the click arrives: a click sent while a later run is still going (one that joined another room, say) must not
land on that run's seat. A tab presents at most one room at a time, starts rooms at a limited pace, and may try
only so many codes that name no room before it has to wait (state/pace.py).
"""

from __future__ import annotations

import base64
import html
import io
import math
import time

import segno
import streamlit as st
from redis import RedisError

from nn_core import InputError

from ..learn.lessons import LESSON_KEYS
from ..live.component import follow
from ..server.internals import fragment_rerun
from ..state.actions import follow_run
from ..state.session import Seat, Session
from ..state.widgets import forget_widget, set_widget, widget
from ..strings import t
from ..views.playground import VIEWS
from .broadcast import mark_of, poll, publish
from .registry import (
    CODE_LENGTH,
    GONE,
    HEARTBEAT_SECONDS,
    POLL_SECONDS,
    REOPENED,
    TAKEN,
    Rooms,
    normal_code,
    registry,
)
from .schema import RoomState, new_secret, owner_of


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
    now = time.monotonic()
    wait = s.code_guesses.wait(now)
    if wait:  # (not looked up, and not counted: waiting is the only way on)
        s.notice = ("room.guess_wait", {"seconds": math.ceil(wait)})
        return
    rooms = registry()
    try:
        state = rooms.latest(code)
    except Exception as e:
        if not _problem(e):
            raise
        s.notice = ("room.unavailable", {})
        return
    if state is None or state.ended:
        s.code_guesses.count(now)
        s.notice = ("room.not_found", {"code": code})
        return
    if s.room is not None and s.room.presenting:
        _end(s, s.room)
    s.room = Seat(code, presenting=False, owner=state.owner)
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
    network = rooms.mirror(seat.code).network_for(scenario, s.trainer)
    # The learner keeps its own view settings, and its own table while the room's holds the same rows: the page then
    # shows it as before (as text until the learner opens the editor, as the presenter's page does), not as a table
    # just put in force, which opens the editor.
    data = s.scenario.data if s.scenario.data == scenario.data else scenario.data
    follow_run(s, scenario.with_changes(ui=s.scenario.ui, data=data), network)
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


def _leave(s: Session, seat: Seat) -> None:
    if s.room is seat:
        s.room = None
        st.query_params.pop("room", None)


def _detach(s: Session, seat: Seat) -> None:
    seat.following, seat.relay = False, None


def _resync(s: Session, seat: Seat) -> None:
    if s.room is not seat:
        return
    rooms = registry()
    try:
        state = rooms.latest(seat.code)
    except Exception as e:
        if not _problem(e):
            raise
        s.notice = ("room.unavailable", {})
        return
    if state is None or state.ended or state.owner != seat.owner:
        s.notice = ("room.ended", {"code": seat.code})
        _leave(s, seat)
        return
    seat.following = True
    apply(s, rooms, state)


def _join_typed(s: Session) -> None:
    text = widget("room_join") or ""
    set_widget("room_join", "")
    if text.strip():
        join(s, text)


# -- presenting -----------------------------------------------------------------------------------------------------
def _create(s: Session) -> None:
    if s.room is not None and s.room.presenting:  # (the button is not drawn then: a click sent anyway)
        s.notice = ("room.one_at_a_time", {"code": s.room.code})
        return
    now = time.monotonic()
    wait = s.rooms_started.wait(now)
    if wait:
        s.notice = ("room.create_wait", {"seconds": math.ceil(wait)})
        return
    secret = new_secret()
    try:
        code = registry().create(secret)
    except Exception as e:
        if not _problem(e):
            raise
        s.notice = ("room.unavailable", {})
        return
    s.rooms_started.count(now)
    s.room = Seat(code, presenting=True, owner=owner_of(secret), secret=secret)
    st.query_params.pop("room", None)
    share(s)


def _end(s: Session, seat: Seat) -> None:
    """End the room of ``seat``, if it presents one (only its secret can), and leave it."""
    if seat.presenting:
        try:
            registry().end(seat.code, seat.secret, seat.version + 1)
        except Exception as e:
            if not _problem(e):
                raise
    if s.room is seat:
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
        answer = publish(s, registry(), presenter_view(s), chunk)
    except Exception as e:
        if not _problem(e):
            raise
        answer = ""  # Redis is away for a moment: the next run sends it
    if chunk is not None:
        seat.chunk = chunk.number
    seat.too_big = answer is None
    _answered(s, seat, answer)


def _answered(s: Session, seat: Seat, answer: str | None) -> None:
    """What the room's registry said about the presenter's room: open again, or another room's now."""
    if answer == REOPENED:
        s.notice = ("room.reopened", {"code": seat.code})
    elif answer == TAKEN:
        s.notice = ("room.taken", {"code": seat.code})
        if s.room is seat:
            s.room = None


def _heartbeat(s: Session) -> None:
    seat = s.room
    if seat is None or not seat.presenting:
        return
    try:
        answer = registry().alive(seat.code, seat.secret)
    except Exception as e:
        if not _problem(e):
            raise
        return
    if answer == GONE:  # it expired (a laptop asleep) or was lost (Redis restarted): the same code opens again
        seat.published = None
        share(s)
    else:
        _answered(s, seat, answer)
    if s.notice and s.notice[0] in ("room.reopened", "room.taken") and fragment_rerun():
        st.rerun()  # the whole page: it says what happened (and stops showing a room that is another's)


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
            st.button(t("room.end"), key="room_end", on_click=_end, args=(s, s.room))
        return
    with st.container(key="room_code", border=True, gap="medium"):
        st.html(f'<figure class="room-qr"><img src="data:image/png;base64,{png}" width="140" height="140" '
                f'alt="{alt}"><figcaption>{alt}</figcaption></figure>')
        st.markdown(t("room.code", code=" ".join(code)))
        st.code(url, language=None, wrap_lines=False)
        st.caption(t("room.join_help"))
        if s.room.too_big:
            st.warning(t("room.too_big"))
        st.button(t("room.end"), key="room_end", on_click=_end, args=(s, s.room))


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
            st.button(t("room.detach"), key="room_detach", on_click=_detach, args=(s, seat))
        else:
            st.markdown(t("room.detached", code=seat.code))
            st.button(t("room.resync"), key="room_resync", type="primary", on_click=_resync, args=(s, seat))
        st.button(t("room.leave"), key="room_leave", on_click=_leave, args=(s, seat))


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
    words = {"unavailable": t("room.unavailable"), "missing": t("room.missing", code=seat.code)}
    st.markdown(words.get(action) or t("room.following", code=seat.code))
    follow(key="room_follow", relay=seat.relay)


def act(s: Session, rooms: Rooms, action: str | None, state: RoomState | None) -> bool:
    """Do what a follower's poll found (broadcast.poll); True when the whole page must be drawn again."""
    if action == "ended":
        s.notice = ("room.ended", {"code": s.room.code})
        _leave(s, s.room)
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
