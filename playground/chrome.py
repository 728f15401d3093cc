"""What every page shares: the learner's session, share links in the URL, and the sidebar."""

from __future__ import annotations

import io

import numpy as np
import streamlit as st

from nn_core import LOSS_NAMES, InputError
from nn_core.scenario import MAX_JSON_BYTES, Scenario

from .script import reproduction_script
from .session import Session, apply_scenario
from .strings import DEFAULT_LANGUAGE, LANGUAGES, t
from .workshop import HIDEABLE, LESSON_KEYS, PRESENTER_CSS, PRESENTER_HIDES, lesson

SESSION_KEY = "playground_session"


def session() -> Session:
    """This browser tab's session (created on first use, from a share link in the URL if there is one)."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = Session.start()
    s: Session = st.session_state[SESSION_KEY]
    _read_url(s)
    return s


def open_scenario(s: Session, scenario: Scenario) -> None:
    """Put a whole new scenario in force (a share link, a file, a lesson): fresh network, table and widgets."""
    apply_scenario(s, scenario)
    s.network = scenario.network()
    s.playing = False
    s.rewind_follows = True
    restart_editor(s)
    s.widgets_stale = True
    if scenario.ui.get("lang") in LANGUAGES:
        st.session_state["lang"] = scenario.ui["lang"]
    st.session_state["presenter"] = bool(scenario.ui.get("presenter", st.session_state.get("presenter", False)))


def restart_editor(s: Session) -> None:
    """Start the data editor afresh from the scenario's table (its pending edits were relative to the old one).
    Call it before the editor is drawn in a run: from a callback, or at the top of the script."""
    s.editor_rows = s.scenario.rows
    st.session_state.pop("training_data", None)


def _read_url(s: Session) -> None:
    lang = st.query_params.get("lang")
    if lang in LANGUAGES and "lang" not in st.session_state:
        st.session_state["lang"] = lang
    if st.query_params.get("presenter") in ("1", "true", "on") and "presenter" not in st.session_state:
        st.session_state["presenter"] = True
    link = st.query_params.get("s")
    if not link or link == s.link_checked:
        return
    s.link_checked = link
    try:
        scenario = Scenario.from_link(link)
    except InputError as e:
        s.notice = ("link.bad", {"error": str(e)})
        return
    open_scenario(s, scenario)
    s.notice = ("link.loaded", {})


def hidden_controls(s: Session) -> frozenset[str]:
    hidden = frozenset(h for h in s.scenario.ui.get("hide", []) if h in HIDEABLE)
    return hidden | PRESENTER_HIDES if st.session_state.get("presenter") else hidden


def _view_settings(s: Session) -> dict:
    ui = {k: v for k, v in s.scenario.ui.items() if k not in ("lang", "presenter")}
    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    if lang != DEFAULT_LANGUAGE:
        ui["lang"] = lang
    if st.session_state.get("presenter"):
        ui["presenter"] = True
    return ui


def share_url(s: Session) -> tuple[str | None, str | None]:
    """(URL that reopens this scenario, or None; error text if it cannot be made)."""
    try:
        link = s.scenario.with_changes(ui=_view_settings(s)).to_link()
    except InputError as e:
        return None, str(e)
    base = (st.context.url or "").split("?")[0]
    return f"{base}?s={link}", None


def show_notice(s: Session) -> None:
    """Show (once) the message left by the last action, e.g. "training restarted"."""
    if st.session_state.get("presenter"):
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
    if not s.notice:
        return
    key, values = s.notice if isinstance(s.notice, tuple) else (s.notice, {})
    s.notice = None
    if key in ("link.bad", "ws.upload_bad"):
        st.error(t(key, **values), icon="⚠️")
    else:
        st.info(t(key, **values), icon="ℹ️")


# -- callbacks (they run before the script, so everything drawn after them is up to date) -------------------
def _start_lesson(s: Session) -> None:
    chosen = lesson(st.session_state["lesson"])
    open_scenario(s, chosen.scenario.with_changes(ui=s.scenario.ui))
    s.lesson = chosen.key


# Selectboxes whose option labels are translated. Streamlit 1.67's browser side keeps showing the old label
# of a keyed selectbox when only the labels change; assigning the value again from Python makes it redraw.
TRANSLATED_CHOICES = ("preset", "lesson", "init_mode", "loss", "hide_controls", "landscape_a", "landscape_b")


def _language_changed() -> None:
    for name in TRANSLATED_CHOICES:
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]


def _hide_changed(s: Session) -> None:
    ui = {**s.scenario.ui, "hide": list(st.session_state["hide_controls"])}
    if not ui["hide"]:
        ui.pop("hide")
    apply_scenario(s, s.scenario.with_changes(ui=ui))


def _uploaded(s: Session) -> None:
    file = st.session_state.get("upload_scenario")
    if file is None:
        return
    try:
        scenario = Scenario.from_json(file.getvalue()[: MAX_JSON_BYTES + 1])
    except InputError as e:
        s.notice = ("ws.upload_bad", {"error": str(e)})
        return
    open_scenario(s, scenario)
    s.notice = ("ws.uploaded", {"name": file.name[:60]})


# -- downloads (built only when clicked) ----------------------------------------------------------------------
def losses_csv(s: Session) -> str:
    h = s.network.history.losses
    out = io.StringIO()
    np.savetxt(out, np.column_stack([h.epochs, h.values]), delimiter=",", fmt="%.17g",
               header="epoch," + ",".join(LOSS_NAMES), comments="")
    return out.getvalue()


def weights_csv(s: Session) -> str:
    net = s.network
    epochs, values = net.weight_samples()
    out = io.StringIO()
    np.savetxt(out, np.column_stack([epochs, values]), delimiter=",", fmt="%.17g",
               header="epoch," + ",".join(net.parameter_names()), comments="")
    return out.getvalue()


def sidebar(s: Session) -> None:
    with st.sidebar:
        st.selectbox(t("sidebar.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
                     on_change=_language_changed)
        st.toggle(t("ws.presenter"), key="presenter", help=t("ws.presenter_help"))
        st.markdown(f"**{t('ws.lessons')}**")
        st.selectbox(t("ws.lessons"), LESSON_KEYS, format_func=lambda k: t(f"lesson.{k}.title"), key="lesson",
                     label_visibility="collapsed")
        st.button(t("ws.start_lesson"), key="start_lesson", on_click=_start_lesson, args=(s,))

        url, error = share_url(s)
        st.markdown(f"**{t('sidebar.share')}**")
        with st.container(key="share_link"):
            if url:
                st.code(url, language=None, wrap_lines=True)
            else:
                st.warning(t("sidebar.share_too_big", error=error))
        st.caption(t("sidebar.share_help"))

        with st.expander(t("ws.hide")):
            st.session_state["hide_controls"] = [h for h in s.scenario.ui.get("hide", []) if h in HIDEABLE]
            st.multiselect(t("ws.hide"), HIDEABLE, format_func=lambda c: t(f"control.{c}"), key="hide_controls",
                           label_visibility="collapsed", on_change=_hide_changed, args=(s,), help=t("ws.hide_help"))
            st.caption(t("ws.hide_help"))
        with st.expander(t("ws.export")):
            scenario_json = s.scenario.with_changes(ui=_view_settings(s)).to_json()
            st.download_button(t("ws.download_scenario"), scenario_json, file_name="scenario.json",
                               mime="application/json", key="download_scenario", on_click="ignore")
            st.download_button(t("ws.download_losses"), lambda: losses_csv(s), file_name="losses.csv",
                               mime="text/csv", key="download_losses", on_click="ignore")
            st.download_button(t("ws.download_weights"), lambda: weights_csv(s), file_name="weights.csv",
                               mime="text/csv", key="download_weights", on_click="ignore")
            st.download_button(t("ws.download_script"), lambda: reproduction_script(s.network),
                               file_name="backprop_run.py", mime="text/x-python", key="download_script",
                               on_click="ignore")
            st.file_uploader(t("ws.upload"), type=["json"], key="upload_scenario", on_change=_uploaded, args=(s,))
        if url:
            # Keep the address bar in step, so that reloading the page keeps the learner's data and settings.
            link = url.split("?s=", 1)[1]
            if st.query_params.get("s") != link:
                st.query_params["s"] = link
            s.link_checked = link
