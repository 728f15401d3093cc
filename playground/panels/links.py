"""The address bar: a share link opens a scenario, and the URL always carries the current run, so that a reload (or
a server restart) reopens the same run at the same epoch. ``?lang=zh`` and ``?presenter=1`` work in any link."""

from __future__ import annotations

import streamlit as st

from nn_core import InputError, Scenario

from ..live.trainer import HEAVY_WORK
from ..server.internals import reconnecting_from_another_session
from ..state.actions import open_scenario
from ..state.session import Session
from ..state.widgets import set_widget, widget
from ..strings import DEFAULT_LANGUAGE, LANGUAGES, set_language, t
from ..strings.errors import explain

HIDEABLE = ("preset", "data", "learning_rate", "settings", "step", "train", "play", "speed", "reset", "run_until",
            "rewind")


def view_settings(s: Session) -> dict:
    """What the share link keeps of how the page looks: language, presenter mode, controls hidden from students."""
    ui = {}
    lang = widget("lang", DEFAULT_LANGUAGE)
    if lang != DEFAULT_LANGUAGE and lang in LANGUAGES:
        ui["lang"] = lang
    if widget("presenter"):
        ui["presenter"] = True
    hide = [h for h in s.scenario.ui.get("hide", []) if h in HIDEABLE]
    if hide:
        ui["hide"] = hide
    return ui


def read_url(s: Session) -> None:
    """Apply the address bar: language and presenter mode once per tab, a share link whenever it is a new one."""
    params = st.query_params
    if widget("lang") is None:
        set_language(params.get("lang") if params.get("lang") in LANGUAGES else DEFAULT_LANGUAGE)
    if widget("presenter") is None:
        set_widget("presenter", params.get("presenter") in ("1", "true", "on"))
    link = params.get("s")
    lost = not s.reconnect_checked and reconnecting_from_another_session()  # (once per session: it stays so)
    s.reconnect_checked = True
    if lost and not link:
        s.notice = ("link.lost", {})
    if not link or link == s.link_seen:
        return
    s.link_seen = link
    try:
        scenario = Scenario.from_link(link)
    except InputError as e:
        s.notice = ("link.bad", {"error": explain(e)})  # the message may quote the link's own text
        return
    box = st.empty()
    with box.container():
        bar = st.progress(0.0, text=t("link.replaying", epochs=f"{scenario.run.epoch:,}")) if scenario.run.epoch \
            else None
        if scenario.replay_work() > HEAVY_WORK:  # a long run may wait for its turn on the server: it can be given up
            st.button(t("wait.cancel"), key="link_cancel", on_click=_cancelled, args=(s,))

    def progress(done, total):
        bar.progress(min(1.0, done / max(total, 1)), text=t("link.replaying", epochs=f"{total:,}"))

    def waiting(ahead):
        bar.progress(0.0, text=t("wait.ahead", ahead=f"{ahead:,}"))

    open_scenario(s, scenario, progress=progress if bar else None, waiting=waiting if bar else None)
    s.student_view = bool(scenario.ui.get("hide"))
    box.empty()
    ui = scenario.ui
    if ui.get("lang") in LANGUAGES:
        set_language(ui["lang"])
    set_widget("presenter", bool(ui.get("presenter", widget("presenter"))))
    s.notice = ("link.restored" if lost else "link.loaded", {"epoch": f"{s.shown()[0]:,}"})  # (rewound: the one shown)


def _cancelled(s: Session) -> None:
    """The learner gave up opening a link (its run was still being rebuilt, or waiting for its turn): the run they
    had stays in force."""
    s.notice = ("link.cancelled", {})


def share_url(s: Session) -> tuple[str | None, str | None]:
    """(the URL that reopens this run, or None; the reason when it cannot be made)."""
    ui = view_settings(s)
    made_from = (s.scenario, s.network, s.network.epoch, tuple(s.network.events), ui, s.shown()[0])
    if s.link_made is None or not _same(s.link_made[0], made_from):  # (the page asks at every rerun)
        try:
            s.link_made = made_from, s.share_scenario(ui).to_link(), None
        except InputError as e:
            s.link_made = made_from, None, e
    _, link, refused = s.link_made
    if refused is not None:
        return None, explain(refused)
    base = (st.context.url or "").split("?")[0]
    return f"{base}?s={link}", None


def _same(a: tuple, b: tuple) -> bool:
    """Links made from the same scenario and network objects, at the same epoch with the same changes and view, the
    same epoch on screen."""
    return a[0] is b[0] and a[1] is b[1] and a[2:] == b[2:]


def keep_url(s: Session) -> None:
    """Keep the address bar in step with the run (not while playing: the run changes every moment then), so that a
    reload reopens it; the share link shows the address bar (live.py's "link")."""
    if s.player.busy:
        return
    url, _ = share_url(s)
    link = url.split("?s=", 1)[1] if url else None
    if link and st.query_params.get("s") != link:
        st.query_params["s"] = link
    elif not link and "s" in st.query_params:
        del st.query_params["s"]  # an old link would reopen an old run: better none
    s.link_seen = link
