"""The code page's listing as HTML: the engine's functions under their files, each line numbered as in its file,
the current line marked with its note and values, comments in their colour. All text is escaped or made here from
numbers, so it is safe to render as HTML."""

from __future__ import annotations

import html

import numpy as np

from ..views.matrices import matrix_html
from .code_walk import Function, Step, split_comment


def listing_html(functions: list[Function], current: tuple[str, int] | None, inline: str = "") -> str:
    """The listing as HTML: each function under its file, lines numbered as in the file, the current line
    (function, line number) marked and followed by ``inline`` (already HTML)."""
    out = []
    for function in functions:
        out.append(f'<div class="code-file">{html.escape(function.path)}</div>')
        for number, text in function.lines:
            marked = current == (function.name, number)
            cls = "code-line now" if marked else "code-line"
            body = _highlight(text)
            out.append(f'<div class="{cls}"><span class="n">{"▶" if marked else ""}{number}</span>'
                       f'<span class="t">{body or "&nbsp;"}</span></div>')
            if marked and inline:
                out.append(f'<div class="code-values">{inline}</div>')
    return f'<div class="code-listing">{"".join(out)}</div>'


def _highlight(text: str) -> str:
    """A source line as HTML, its comment (after #, outside strings) in the comment colour."""
    code, comment = split_comment(text)
    body = html.escape(code)
    if comment:
        body += f'<span class="c">{html.escape(comment)}</span>'
    return body


def values_html(step: Step, row_names) -> str:
    """The step's values: arrays as small tables (one row per training row, tinted as on the Backprop page, where
    they have one), numbers as text."""
    parts = []
    for name, value in step.values:
        if not isinstance(value, np.ndarray) or value.ndim == 0:
            number = value.item() if isinstance(value, np.ndarray) else value
            text = f"{number:,}" if isinstance(number, (int, np.integer)) else f"{number:.6g}"
            parts.append(f'<div class="bp-cell"><span class="code-var">{html.escape(name)} = {text}</span></div>')
            continue
        table = np.atleast_2d(value if value.ndim <= 2 else value.reshape(-1, value.shape[-1]))
        tint = len(table) == len(row_names) and len(table) > 1
        parts.append(f'<div class="bp-cell">{matrix_html(table, row_tint=tint, caption=name)}</div>')
    return "".join(parts)


CODE_CSS = """
<style>
/* The step buttons and the current line stay in view while the listing scrolls under them (the wrapper Streamlit
   puts around the keyed row is what can stick: the row itself is exactly as tall as it). */
[data-testid="stLayoutWrapper"]:has(> .st-key-code_controls) { position: sticky; top: 3.75rem; z-index: 10;
  background: #fff; padding: 0.35rem 0; border-bottom: 1px solid #e2e8f0; }
/* The link to a stage says its whole title, on two lines if it must (Streamlit cuts a button's label with "…"). */
.st-key-code_to_stage [data-testid="stMarkdownContainer"], .st-key-code_to_stage p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; text-align: left; }
.code-note { margin: 0 0 0.4rem 0; font-family: "Source Sans", "Source Sans Pro", sans-serif; color: #334155; }
.code-listing { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.86rem; line-height: 1.5;
                background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 0.5rem; padding: 0.5rem 0;
                overflow-x: auto; }
.code-file { margin: 0.6rem 0 0.2rem 0.75rem; color: #475569; font-weight: 600; }
.code-file:first-child { margin-top: 0; }
.code-line { display: flex; white-space: pre; padding: 0 0.75rem 0 0; }
.code-line .n { display: inline-block; min-width: 3.2em; padding-right: 0.9em; text-align: right; color: #64748b;
                user-select: none; flex: none; }
.code-line .c { color: #166534; }
.code-line.now { background: #fef3c7; box-shadow: inset 4px 0 0 #b45309; }
.code-line.now .n { color: #7c2d12; font-weight: 700; }
.code-values { margin: 0.25rem 0 0.5rem 4.1em; padding: 0.4rem 0.6rem; border-left: 3px solid #b45309;
               background: #fffbeb; white-space: normal; overflow-x: auto; }
.code-var { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: 600; }
@media (max-width: 640px) {  /* on a phone the bar that stays in view is only the buttons and the line's number */
  .st-key-code_line code { display: none; }
  [data-testid="stLayoutWrapper"]:has(> .st-key-code_controls) { top: 3.2rem; padding: 0.2rem 0; }
  .code-listing { font-size: 0.74rem; }
  .code-line { white-space: pre-wrap; }  /* no line runs off a phone's screen: long ones wrap */
  .code-line .t { min-width: 0; overflow-wrap: anywhere; }
  .code-line .n { min-width: 2.4em; padding-right: 0.5em; }
  .code-values { margin-left: 0.5rem; }
}
</style>
"""
