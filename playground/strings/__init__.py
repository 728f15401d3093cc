"""Every user-facing string, in English (en.py) and 中文 (zh.py). Pages call ``t("key", **values)``.

A test checks that both languages have the same keys and {placeholders}, and that every key is used. Values that
come from a learner or a link (a cell, a file name, an error naming them) go through ``plain`` first: Streamlit
renders text as markdown, and those must show as the characters they are, never as a link, an image or HTML.
Nor may they turn the text around them: their bidirectional-control characters go (``without_direction_controls``).
"""

from __future__ import annotations

import re

from ..server.internals import this_run
from ..state.widgets import set_widget, widget
from ..views.plot import without_direction_controls
from .en import STRINGS as EN
from .zh import STRINGS as ZH

LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
STRINGS = {"en": EN, "zh": ZH}

# Markdown lets any ASCII punctuation be backslash-escaped. Escaped, these start no link, image, emphasis, list,
# heading, HTML, entity, LaTeX formula, emoji shortcode or bare-URL autolink ("https\:" and "www\." are no URLs).
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$@&=^])")
def plain(text) -> str:
    """``text`` escaped so that markdown shows it exactly as typed, on one line, in the sentence's own direction."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", " ".join(without_direction_controls(text).split()))


def language() -> str:
    """The page's language: read once per run (every string asks for it; see server.internals.this_run)."""
    run = this_run()
    lang = run.get("lang")
    if lang is None:
        lang = widget("lang", DEFAULT_LANGUAGE)
        lang = run["lang"] = lang if lang in STRINGS else DEFAULT_LANGUAGE
    return lang


def set_language(lang: str) -> None:
    """Change the page's language from the code (a link's own), for the rest of this run too."""
    set_widget("lang", lang)
    this_run().pop("lang", None)


def t(key: str, **values) -> str:
    """The string ``key`` in the current language, with {placeholders} filled in."""
    return translate(language(), key, **values)


def translate(lang: str, key: str, **values) -> str:
    """The string ``key`` in language ``lang`` (a file made outside any page: a lesson notebook)."""
    text = STRINGS.get(lang, EN).get(key) or STRINGS[DEFAULT_LANGUAGE][key]
    return text.format(**values) if values else text


def rows_named(rows, most: int | None = None) -> str:
    """Rows (counted from 0) as a learner reads them: "row 3", "rows 1, 4, 6 …" (中文 "第 3 行")."""
    listed = ", ".join(str(r + 1) for r in rows[:most]) + (" …" if most and len(rows) > most else "")
    return t("rows.one" if len(rows) == 1 else "rows.many", rows=listed)
