"""The page's own look, on top of Streamlit's theme: compact enough that the Playground's controls and the whole
live chart fit one screen of a 1366×768 laptop, text that meets WCAG AA contrast, visible focus, charts that let a
finger scroll the page, and presenter mode (large type, a chart made for a projector)."""

from __future__ import annotations

import streamlit as st

PRESENTER_CHART_FONT = 17  # px: chart text to match the page's 20 px type on a projector (charts use 13)

_BASE = """
<style>
/* Room at the top is the header's: the page starts just below it. */
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding: 3.6rem 2rem 2rem 2rem; }
h1 { font-size: 1.85rem !important; padding: 0 0 0.1rem 0 !important; }
/* Captions at 7:1 contrast on white (Streamlit's grey is 3.9:1). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #475569 !important; }
[data-testid="stWidgetLabel"] p { color: #1e293b; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; }  /* Streamlit fades captions to 60 %: 2.9:1 */
/* The chosen segment of a segmented control: 4.5:1 on its tint (Streamlit's blue there is 4.48:1). */
button[data-selected="true"] p { color: #1e40af !important; }
/* A chart's data as a table, on request: one small line above the chart. */
.pg-table { font-size: 0.82rem; color: #334155; text-align: right; height: 1.6rem; line-height: 1.6rem; }
.pg-table summary { cursor: pointer; display: inline-block; list-style-position: inside; }
.pg-table[open] { height: auto; text-align: left; max-height: 40vh; overflow: auto; }
.pg-table table { border-collapse: collapse; margin: 0.3rem 1rem 0.6rem 0; display: inline-table; vertical-align: top;
  font-variant-numeric: tabular-nums; }
.pg-table caption { font-weight: 600; text-align: left; }
.pg-table th, .pg-table td { border: 1px solid #cbd5e1; padding: 0 0.4rem; text-align: right; line-height: 1.4; }
:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
/* A finger on a chart scrolls the page (the charts take no drag or zoom on touch screens, see live.js). */
.live-plot, .live-plot .nsewdrag, .live-plot .drag { touch-action: pan-y !important; }
/* The player: looks like Streamlit's buttons, keeps its size whatever its label. */
button.pg-player { width: 100%; min-height: 2.5rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem;
  border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; font: inherit; font-weight: 600; cursor: pointer;
  white-space: nowrap; }
button.pg-player:hover { background: #1e40af; }
button.pg-player[data-mode="play"], button.pg-player[data-mode="train"] { background: #fff; color: #1d4ed8; }
button.pg-player:disabled { opacity: 0.45; cursor: not-allowed; }
.pg-text { font-variant-numeric: tabular-nums; line-height: 1.35; }
.pg-text[data-kind="epoch"] { font-size: 1.55rem; font-weight: 700; white-space: nowrap; color: #0f172a; }
.pg-text[data-kind="weights"] { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.92rem;
  max-height: 3.9em; overflow-y: auto; color: #0f172a; }
.pg-text[data-kind="loss"] { font-size: 0.92rem; color: #334155; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.st-key-status { min-height: 1.6rem; }
/* Train to: the whole number shows (1000000 too), without the +/- buttons. */
.st-key-target_epochs button { display: none; }
/* The rewind slider's own labels cannot group thousands: its caption says the epoch instead. */
.st-key-rewind_box [data-testid="stSliderThumbValue"], .st-key-rewind_box [data-testid="stSliderTickBarMin"],
.st-key-rewind_box [data-testid="stSliderTickBarMax"] { display: none; }
.st-key-status p { font-size: 0.9rem; color: #7c2d12; margin: 0; }
/* A room's code, to be read from the back of the room; a follower's bar, one line above the page. */
.st-key-room_code strong { font-size: 1.6rem; letter-spacing: 0.08em; }
.st-key-room_bar { margin-bottom: -0.5rem; }
.st-key-room_bar p { margin: 0; }
@media (max-width: 640px) {
  h1 { font-size: 1.4rem !important; }
  .st-key-intro { display: none; }
  .pg-text[data-kind="epoch"] { font-size: 1.25rem; }
}
</style>
"""

_PRESENTER = """
<style>
html { font-size: 20px; }
.stApp, .stApp p, .stApp label, .stApp span, .stApp li { color: #000 !important; }
h1 { font-size: 2.1rem !important; }
.pg-text[data-kind="epoch"] { font-size: 2.6rem; }
.pg-text[data-kind="weights"] { font-size: 1.25rem; max-height: 2.8em; }
.pg-text[data-kind="loss"] { font-size: 1.05rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #1e293b !important; }
.stMain .st-key-room_code strong { font-size: 3rem; }
/* Black text everywhere, but white on the blue of primary buttons. */
.stApp [data-testid="stBaseButton-primary"] p, .stApp [data-testid="stBaseButton-primary"] span {
  color: #fff !important; }
</style>
"""


def apply(presenter: bool) -> None:
    st.html(_BASE + (_PRESENTER if presenter else ""))


def for_screen(fig: dict, presenter: bool) -> dict:
    """In presenter mode, chart text as large as the page's, so that it reads on a projector."""
    if presenter:
        fig = dict(fig, layout=dict(fig["layout"], font=dict(size=PRESENTER_CHART_FONT)))
    return fig
