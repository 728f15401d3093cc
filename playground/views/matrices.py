"""Matrices as small HTML tables, each row tinted with its training row's colour (as in the article's figures).

All cell text is produced here from numbers, so it is safe to render as HTML. A table with more rows than fit
shows one page of them (ROWS_PER_PAGE) and says how many there are.
"""

from __future__ import annotations

import html

import numpy as np

from .plot import row_color

ROWS_PER_PAGE = 20


def matrix_html(values, *, column_names=None, row_tint: bool = True, digits: int = 6, caption: str = "",
                first_row: int = 0) -> str:
    a = np.atleast_2d(np.asarray(values, dtype=float))
    shown = a[first_row : first_row + ROWS_PER_PAGE]
    head = ""
    if column_names:
        head = "<tr>" + "".join(f"<th>{html.escape(str(c))}</th>" for c in column_names) + "</tr>"
    whole = bool(np.all(a == np.round(a))) and bool(np.all(np.abs(a) < 1e6))  # e.g. X and y: show 0 and 1
    rows = []
    for i, row in enumerate(shown, start=first_row):
        style = f' style="border-left: 4px solid {row_color(i)}"' if row_tint else ""
        cells = "".join(f"<td>{int(v) if whole else f'{v:.{digits}f}'}</td>" for v in row)
        rows.append(f"<tr{style}>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    more = ""
    if len(a) > len(shown):
        span = f"{first_row + 1}–{first_row + len(shown)} / {len(a):,}"
        more = f'<tr><td colspan="{a.shape[1]}" class="bp-more">{span}</td></tr>'
    return f'<table class="bp-matrix">{cap}{head}{"".join(rows)}{more}</table>'


MATRIX_CSS = """
<style>
table.bp-matrix { border-collapse: collapse; font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
                  font-size: 0.9rem; margin: 0.2rem 0 0.6rem 0; }
table.bp-matrix td, table.bp-matrix th { padding: 0.15rem 0.6rem; text-align: right;
                                          border-bottom: 1px solid rgba(100,116,139,0.25); }
table.bp-matrix th { color: #334155; font-weight: 600; }
table.bp-matrix caption { caption-side: top; text-align: left; color: #334155; font-size: 0.8rem; }
table.bp-matrix td.bp-more { text-align: center; color: #475569; }
.bp-cell { display: inline-block; vertical-align: top; margin-right: 1.2rem; }
</style>
"""
