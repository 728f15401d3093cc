"""The sidebar every page shares: language, presenter mode, guided lessons, the share link, controls hidden from
students, export and import."""

from __future__ import annotations

import streamlit as st

from nn_core import InputError, Scenario
from nn_core.scenario import MAX_JSON_BYTES

from ..exports.notebook import notebook_text
from ..exports.replay import replay_html
from ..exports.script import reproduction_script
from ..exports.tables import losses_csv, weights_csv
from ..learn.lessons import LESSON_KEYS, lesson
from ..live.component import share_link
from ..rooms import panel as room_panel
from ..state.actions import change_view, open_scenario
from ..state.session import Session
from ..state.widgets import checked_widget, section, set_widget, widget
from ..strings import DEFAULT_LANGUAGE, LANGUAGES, language, plain, t
from ..strings.errors import explain
from .links import HIDEABLE, keep_url, share_url, view_settings

# Selectboxes whose option labels are translated. Streamlit 1.67's browser side keeps showing the old label of a
# keyed selectbox when only the labels change; assigning the value again from Python makes it redraw.
TRANSLATED_CHOICES = ("preset", "lesson", "init_mode", "loss", "hide_controls", "landscape_a", "landscape_b",
                      "batch", "view_tab", "step_size", "play_speed", "hand_axes", "trace_update", "trace_rows",
                      "poll_kind", "poll_weight", "poll_epochs")


def sidebar(s: Session) -> None:
    checked_widget(s, "lang", lambda v: v in LANGUAGES, DEFAULT_LANGUAGE)
    checked_widget(s, "lesson", lambda v: v in LESSON_KEYS, LESSON_KEYS[0])
    with st.sidebar:
        st.selectbox(t("sidebar.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
                     on_change=_language_changed)
        st.toggle(t("ws.presenter"), key="presenter", help=t("ws.presenter_help"), on_change=_presenter_changed,
                  args=(s,))
        st.selectbox(t("ws.lessons"), LESSON_KEYS, format_func=lambda k: t(f"lesson.{k}.title"), key="lesson")
        st.button(t("ws.start_lesson"), key="start_lesson", on_click=_start_lesson, args=(s,))
        room_panel.sidebar_controls(s, bool(widget("presenter")))

        url, error = share_url(s)
        keep_url(s)
        st.markdown(f"**{t('sidebar.share')}**")
        with st.container(key="share_link"):  # its text is the address bar: the run's link, kept current
            if url:
                share_link(key="share_link_text", label=t("sidebar.share"), copy_label=t("sidebar.copy"),
                           copied_label=t("sidebar.copied"))
        if not url:
            st.warning(t("sidebar.share_too_big", error=error))
        st.caption(t("sidebar.share_help"))

        # These two are drawn only while open (opening one reruns the page): eight widgets fewer in every other run
        # of every page.
        if not s.student_view:  # a link that hides controls from students hides this panel too
            with section(t("ws.hide"), "hide_open") as hide:
                if hide.open:
                    set_widget("hide_controls", list(s.scenario.ui.get("hide", [])))
                    st.multiselect(t("ws.hide"), HIDEABLE, format_func=lambda c: t(f"control.{c}"),
                                   key="hide_controls", label_visibility="collapsed", on_change=_hide_changed,
                                   args=(s,), placeholder=t("ws.hide_placeholder"))
                    st.caption(t("ws.hide_help"))
        with section(t("ws.export"), "export") as export:
            if export.open:
                _exports(s)


def _exports(s: Session) -> None:
    """The run's files, each made when its button is clicked (outside any run of the page: what they need of the
    page, its language and view, is read now), and a scenario file to open."""
    shown, _ = s.shown()
    if shown != s.network.epoch:  # the run as on screen: rewound, the files end at the epoch shown
        st.caption(t("ws.export_rewound", epoch=f"{shown:,}", live=f"{s.network.epoch:,}"))
    lang, ui = language(), view_settings(s)
    st.download_button(t("ws.download_scenario"), lambda: s.share_scenario(ui).to_json(), file_name="scenario.json",
                       mime="application/json", key="download_scenario", on_click="ignore")
    st.download_button(t("ws.download_losses"), lambda: losses_csv(s.run_shown()), file_name="losses.csv",
                       mime="text/csv", key="download_losses", on_click="ignore")
    st.download_button(t("ws.download_weights"), lambda: weights_csv(s.run_shown()), file_name="weights.csv",
                       mime="text/csv", key="download_weights", on_click="ignore")
    st.download_button(t("ws.download_script"), lambda: reproduction_script(s.run_shown()),
                       key="download_script", file_name="backprop_run.py", mime="text/x-python", on_click="ignore")
    st.download_button(t("ws.download_notebook"), lambda: notebook_text(s.run_shown(), lang, s.lesson),
                       key="export_notebook", file_name="backprop_run.ipynb", mime="application/x-ipynb+json",
                       on_click="ignore", help=t("ws.notebook_help"))
    st.download_button(t("ws.download_replay"), lambda: replay_html(s.run_shown(), lang, s.scenario.loss),
                       key="export_replay", file_name="backprop_replay.html", mime="text/html", on_click="ignore",
                       help=t("ws.replay_help"))
    st.file_uploader(t("ws.upload"), type=["json"], key="upload_scenario", on_change=_uploaded, args=(s,))


# -- callbacks (they run before the script, so everything drawn after them is up to date) -------------------------
def _language_changed() -> None:
    for name in TRANSLATED_CHOICES:
        value = widget(name)
        if value is not None:
            set_widget(name, value)


def _presenter_changed(s: Session) -> None:
    if widget("presenter"):
        s.presenter_count += 1  # the sidebar closes once more (live.page)


def _start_lesson(s: Session) -> None:
    chosen = lesson(widget("lesson"))
    open_scenario(s, chosen.scenario.with_changes(ui=s.scenario.ui))
    s.lesson = chosen.key


def _hide_changed(s: Session) -> None:
    hide = [h for h in widget("hide_controls", []) if h in HIDEABLE]
    ui = {k: v for k, v in s.scenario.ui.items() if k != "hide"}
    change_view(s, ui={**ui, "hide": hide} if hide else ui)


def _uploaded(s: Session) -> None:
    file = widget("upload_scenario")
    if file is None:
        return
    name = plain(str(file.name)[:60])
    try:
        scenario = Scenario.from_json(file.getvalue()[: MAX_JSON_BYTES + 1])
    except InputError as e:
        s.notice = ("ws.upload_bad", {"name": name, "error": explain(e)})
        return
    open_scenario(s, scenario)
    s.student_view = bool(scenario.ui.get("hide"))
    s.notice = ("ws.uploaded", {"name": name, "epoch": f"{s.network.epoch:,}"})
