"""The page's own look, on top of Streamlit's theme: compact enough that the Playground's controls and the whole
live chart fit one screen of a 1366×768 laptop, text that meets WCAG AA contrast, visible focus, charts that let a
finger scroll the page, and presenter mode (large type, a chart made for a projector)."""

from __future__ import annotations

from ..strings import t

_BASE = """
/* Room at the top is the header's: the page starts just below it. */
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding: 3.6rem 2rem 2rem 2rem; }
h1 { font-size: 1.85rem !important; padding: 0 0 0.1rem 0 !important; }
/* The page's top (app.py: a link's replay, a room's bar), with nothing in it to show, keeps no room. */
[data-testid="stLayoutWrapper"]:has(> .st-key-page_top):not(:has([data-testid="stElementContainer"] > :not(.stEmpty))) {
  display: none; }
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
/* A table's toolbar (add row, search, download…) floats 44 px above it: keep that room free so it covers nothing. */
[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) { margin-top: 1.9rem; }
/* The player: looks like Streamlit's buttons, keeps its size whatever its label. */
button.pg-player { width: 100%; min-height: 2.5rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem;
  border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; font: inherit; font-weight: 600; cursor: pointer;
  white-space: nowrap; }
button.pg-player:hover { background: #1e40af; }
button.pg-player[data-mode="play"], button.pg-player[data-mode="train"] { background: #fff; color: #1d4ed8; }
button.pg-player:disabled { opacity: 0.45; cursor: not-allowed; }
.pg-text { font-variant-numeric: tabular-nums; line-height: 1.35; }
.pg-link { display: flex; gap: 0.4rem; align-items: center; }
.pg-link code { flex: 1; min-width: 0; overflow-x: auto; white-space: nowrap; padding: 0.45rem 0.5rem;
  background: #f1f5f9; border-radius: 0.4rem; font-size: 0.8rem; color: #0f172a; }
.pg-link button { border: 1px solid #94a3b8; background: #fff; border-radius: 0.4rem; padding: 0.35rem 0.6rem;
  font: inherit; font-size: 0.85rem; cursor: pointer; color: #0f172a; white-space: nowrap; }
.pg-text[data-kind="epoch"] { font-size: 1.55rem; font-weight: 700; white-space: nowrap; color: #0f172a; }
.pg-text[data-kind="weights"] { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.92rem;
  color: #0f172a; }
.pg-text[data-kind="loss"] { font-size: 0.92rem; color: #334155; }
/* The training column: its parts close together, so that the controls, the numbers, the whole chart and why it is
   stuck share the first screen (the chart takes the height left: live.js fitToScreen). */
.st-key-training { gap: 0.45rem !important; }
/* The epoch as wide as its number, the weights in the rest of the row, wrapping between weights: never over it. */
.pg-readouts { display: flex; flex-wrap: nowrap; align-items: center; gap: 2rem; }
.pg-run-numbers { flex: 0 0 auto; display: flex; flex-direction: column; gap: 0.1rem; }
.pg-readouts > .st-key-weights { flex: 1 1 0; min-width: 0; }
/* With a hidden layer: one small matrix per layer, side by side, one under the other where they do not fit. */
.pg-text[data-kind="weights"]:has(table) { display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem;
  align-items: flex-start; overflow-x: auto; font-size: 0.74rem; }
.pg-w { border-collapse: collapse; font-variant-numeric: tabular-nums; line-height: 1.2; }
.pg-w .pg-w-layer { font-family: "Source Sans", sans-serif; font-weight: 400; color: #475569; text-align: left;
  white-space: nowrap; padding-left: 0; }
.pg-w th { font-weight: 600; color: #334155; padding: 0 0.3rem; text-align: right; }
.pg-w td { padding: 0 0.3rem; text-align: right; }
.pg-w tbody tr:nth-child(odd) td { background: #f1f5f9; }
/* The status line: room kept for two lines, every word shown (it wraps, never "…"). */
.st-key-status p { font-size: 0.85rem; line-height: 1.3; margin: 0; color: #1e293b; }
.st-key-training .st-key-status p { min-height: 2.6em; }
/* (Streamlit pulls a markdown block up by its paragraphs' margin, which these paragraphs do not have.) */
.st-key-status [data-testid="stMarkdownContainer"], .st-key-diagnosis [data-testid="stMarkdownContainer"],
.st-key-room_bar [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
.st-key-status_state p { color: #7c2d12; }
.st-key-status_refused p { color: #b91c1c; }
/* Train to: the whole number shows (1000000 too), without the +/- buttons. */
.st-key-target_epochs button { display: none; }
/* The rewind slider's own labels cannot group thousands: its caption says the epoch instead. */
.st-key-rewind_box [data-testid="stSliderThumbValue"], .st-key-rewind_box [data-testid="stSliderTickBarMin"],
.st-key-rewind_box [data-testid="stSliderTickBarMax"] { display: none; }
/* Why is it stuck? under the curve: a line per cause with its fix, small enough to share the first screen. */
.st-key-diagnosis { padding: 0.35rem 0.75rem !important; }
.st-key-diagnosis [data-testid="stMarkdownContainer"] p { font-size: 0.88rem; line-height: 1.35; margin: 0; }
.st-key-diagnosis button { min-height: 2rem; padding: 0.1rem 0.65rem; }
.st-key-diagnosis .st-key-dx_explain button { padding-left: 0; }  /* the title (it opens the explanation) in line */
.st-key-diagnosis [class*="st-key-dx_"] > [data-testid="stElementContainer"]:first-child { flex: 1 1 16rem; }
.st-key-view_row { flex-wrap: wrap !important; row-gap: 0.3rem !important; }
/* The training table as text (until the learner edits it): compact rows, numbers to the right. */
.st-key-training_table table { margin: 0; font-variant-numeric: tabular-nums; }
.st-key-training_table th, .st-key-training_table td { padding: 0.15rem 0.7rem !important; line-height: 1.35; }
.st-key-view_row [data-testid="stButtonGroup"] > div { flex-wrap: wrap; }
/* A stage brought into view (a link from the code page) stops below the page's fixed header, not under it. */
[class*="st-key-stage_"] { scroll-margin-top: 4.5rem; }
/* A room's code, to be read from the back of the room; a follower's bar, one line above the page. */
.st-key-room_code strong { font-size: 1.6rem; letter-spacing: 0.08em; }
.st-key-room_bar { margin-bottom: -0.5rem; }
/* The presenter's QR code: small in the bar; a click (or Enter) shows it large over the page, a second puts it back. */
.room-qr summary { list-style: none; cursor: zoom-in; display: block; }
.room-qr summary::-webkit-details-marker { display: none; }
.room-qr-small { display: block; image-rendering: pixelated; }
.room-qr-large { display: none; }
.room-qr[open] summary { cursor: zoom-out; }
.room-qr[open] .room-qr-large { display: block; position: fixed; z-index: 1000000; left: 50%; top: 50%;
  transform: translate(-50%, -50%); width: min(80vh, 80vw); height: auto; image-rendering: pixelated;
  background: #fff; padding: 1.2rem; border-radius: 0.6rem; box-shadow: 0 0 0 100vmax rgba(15, 23, 42, 0.55); }
.st-key-room_bar p { margin: 0; }
@media (max-width: 640px) {
  .stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding: 3.1rem 1rem 2rem 1rem; }
  h1 { font-size: 1.25rem !important; }
  /* The Playground on a phone: its title beside the sidebar's button, in the header's strip (as in presenter mode),
     so that the run, the chart and why it is stuck share the first screen. */
  HEADER_STRIP
  .stApp:has(.st-key-training) .stMain h1 { padding: 0.45rem 2.4rem 0 2.4rem !important; }
  .stApp:has(.st-key-training) .stMain .st-key-room_bar { padding-left: 2.4rem; padding-right: 2rem; }
  .st-key-intro { display: none; }
  .pg-text[data-kind="epoch"] { font-size: 1.25rem; }
  .pg-readouts { flex-wrap: wrap; row-gap: 0.3rem; }  /* the weights under the epoch */
  .pg-readouts > .st-key-weights { min-width: 15rem; }
  /* The views' tabs in one row that scrolls sideways, the log scale beside them: the chart keeps its room. */
  .st-key-view_row { flex-wrap: nowrap !important; }
  .st-key-view_row > [data-testid="stElementContainer"]:first-child { flex: 0 1 auto !important; min-width: 0;
    overflow-x: auto; }
  .st-key-view_row [data-testid="stButtonGroup"] > div { flex-wrap: nowrap; }
}
"""

_PRESENTER = """
/* Large type for a projector, a little smaller where the window is low (1366×768, 1536×864), so that the controls,
   the numbers, the whole chart and why it is stuck still share one screen. */
html { font-size: 20px; }
@media (max-height: 900px) { html { font-size: 18px; } }
@media (max-height: 800px) { html { font-size: 16px; } }
.stApp, .stApp p, .stApp label, .stApp span, .stApp li { color: #000 !important; }
.st-key-intro { display: none; }  /* the room hears it from the presenter */
/* On the Playground the header's strip holds the page's first line (the title, or a room's bar) beside the
   sidebar's button. */
HEADER_STRIP
.stMain h1 { font-size: 1.15rem !important; }
.stApp:has(.st-key-training) .stMain h1 { padding: 0.35rem 0 0 !important; }
.stApp:has(.st-key-training) .stMain :is(h1, .st-key-room_code) { padding-left: 2.6rem !important;
  padding-right: 2.4rem !important; }
.pg-text[data-kind="epoch"] { font-size: 2.6rem; line-height: 1.15; }
.pg-text[data-kind="weights"] { font-size: 1.25rem; }
.pg-text[data-kind="weights"]:has(table) { font-size: 0.9rem; }
.pg-text[data-kind="loss"] { font-size: 1.05rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #1e293b !important; }
/* A room: one slim bar, its code large enough to read from the back of the room. */
.stMain .st-key-room_code { flex-wrap: nowrap !important; }
.stMain .st-key-room_code > [data-testid="stElementContainer"]:has(.room-qr) { flex: 0 0 auto !important;
  width: auto !important; }
.stMain .st-key-room_code strong { font-size: 2.2rem; letter-spacing: 0.12em; }
.stMain .st-key-room_code p { margin: 0; line-height: 2.5rem; }
.stMain .st-key-room_code code { font-size: 0.7rem; line-height: 1.2; }
.stMain .st-key-room_code_text { gap: 0 !important; }
/* Black text everywhere, but white on the blue of primary buttons. */
.stApp [data-testid="stBaseButton-primary"] p, .stApp [data-testid="stBaseButton-primary"] span {
  color: #fff !important; }
"""


# The header's strip given to the page (the Playground's, in presenter mode and on a phone): the header lets clicks
# through to what is under it, except on its own buttons, which keep a background of their own over scrolled text.
_HEADER_STRIP = """.stApp:has(.st-key-training) [data-testid="stHeader"] { background: transparent !important; }
  .stApp:has(.st-key-training) [data-testid="stHeader"], .stApp:has(.st-key-training) [data-testid="stHeader"] * {
    pointer-events: none !important; }
  .stApp:has(.st-key-training) [data-testid="stHeader"] :is(button, a, [role="button"]),
  .stApp:has(.st-key-training) [data-testid="stHeader"] :is(button, a) * { pointer-events: auto !important; }
  .stApp:has(.st-key-training) [data-testid="stHeader"] button { background: rgba(255, 255, 255, 0.92); }
  .stApp:has(.st-key-training) .stMainBlockContainer { padding-top: 0.55rem !important; }"""
_BASE = _BASE.replace("HEADER_STRIP", _HEADER_STRIP)
_PRESENTER = _PRESENTER.replace("HEADER_STRIP", _HEADER_STRIP)


# What each file uploader takes, in the page's words (keyed by the uploader's key).
UPLOAD_LIMITS = {"upload_scenario": "ws.upload_limit", "upload_data": "pg.upload_limit_csv"}


def _builtin_texts() -> str:
    """Streamlit's file uploader writes its own English words ("Upload", "1MB per file • JSON") and takes no
    others: the page shows the catalog's instead (the English stays in the page for screen readers). A file the
    browser itself refuses (over the upload limit, or a second file) becomes a red chip whose reason shows only on
    hover, in English: the page says it under the chip."""
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    limit = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    refused = '[data-testid="stTooltipErrorHoverTarget"]:has([data-testid="stFileChip"][aria-invalid="true"])'
    limits = "".join(f".st-key-{key} {limit}::after {{ content: {_css_text(t(text))}; font-size: 0.75rem; }}"
                     for key, text in UPLOAD_LIMITS.items())
    return (f"{button}, {limit} {{ font-size: 0; }}"
            f"{button}::after {{ content: {_css_text(t('ws.upload_button'))}; font-size: 0.875rem; }}"
            f"{limits}{refused} {{ flex-wrap: wrap !important; }}"
            f"{refused}::after {{ content: {_css_text(t('ws.upload_refused'))}; flex-basis: 100%; font-size: 0.8rem;"
            " color: #b91c1c; padding: 0.2rem 0.25rem 0; }")


def _css_text(text: str) -> str:
    return '"' + "".join(c if c.isalnum() or c in " ·•.,()（）：:" else f"\\{ord(c):x} " for c in text) + '"'


def css(presenter: bool) -> str:
    """The page's style sheet (live.js puts it in the page at once, with the page's first element: no unstyled first
    moment, and no wait for st.html's own code)."""
    return _BASE + (_PRESENTER if presenter else "") + _builtin_texts()

