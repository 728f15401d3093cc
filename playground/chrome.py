"""What every page shares: the learner's session, share links in the URL, and the sidebar."""

from __future__ import annotations

import streamlit as st

from nn_core import InputError
from nn_core.scenario import Scenario

from .session import Session, apply_scenario
from .strings import DEFAULT_LANGUAGE, LANGUAGES, t

SESSION_KEY = "playground_session"


def session() -> Session:
    """This browser tab's session (created on first use, from a share link in the URL if there is one)."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = Session.start()
    s: Session = st.session_state[SESSION_KEY]
    _read_url(s)
    return s


def _read_url(s: Session) -> None:
    lang = st.query_params.get("lang")
    if lang in LANGUAGES and "lang" not in st.session_state:
        st.session_state["lang"] = lang
    link = st.query_params.get("s")
    if not link or link == s.link_checked:
        return
    s.link_checked = link
    try:
        scenario = Scenario.from_link(link)
    except InputError as e:
        s.notice = ("link.bad", {"error": str(e)})
        return
    apply_scenario(s, scenario)
    s.network.reset()
    s.widgets_stale = True
    if scenario.ui.get("lang") in LANGUAGES:
        st.session_state["lang"] = scenario.ui["lang"]
    s.notice = ("link.loaded", {})


def share_url(s: Session) -> tuple[str | None, str | None]:
    """(URL that reopens this scenario, or None; error text if it cannot be made)."""
    ui = dict(s.scenario.ui)
    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    if lang != DEFAULT_LANGUAGE:
        ui["lang"] = lang
    else:
        ui.pop("lang", None)
    try:
        link = s.scenario.with_changes(ui=ui).to_link()
    except InputError as e:
        return None, str(e)
    base = (st.context.url or "").split("?")[0]
    return f"{base}?s={link}", None


def show_notice(s: Session) -> None:
    """Show (once) the message left by the last action, e.g. "training restarted"."""
    if not s.notice:
        return
    key, values = s.notice if isinstance(s.notice, tuple) else (s.notice, {})
    s.notice = None
    if key == "link.bad":
        st.error(t(key, **values), icon="⚠️")
    else:
        st.info(t(key, **values), icon="ℹ️")


def sidebar(s: Session) -> None:
    with st.sidebar:
        st.selectbox(t("sidebar.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang")
        url, error = share_url(s)
        st.markdown(f"**{t('sidebar.share')}**")
        with st.container(key="share_link"):
            if url:
                st.code(url, language=None, wrap_lines=True)
            else:
                st.warning(t("sidebar.share_too_big", error=error))
        st.caption(t("sidebar.share_help"))
        if url:
            # Keep the address bar in step, so that reloading the page keeps the learner's data and settings.
            link = url.split("?s=", 1)[1]
            if st.query_params.get("s") != link:
                st.query_params["s"] = link
            s.link_checked = link
