"""Every user-facing string, in English (en.py) and 中文 (zh.py). Pages call ``t("key", **values)``.

A test checks that both languages have the same keys and {placeholders}, and that every key is used. Values that
come from a learner or a link (a cell, a file name, an error naming them) go through ``plain`` first: Streamlit
renders text as markdown, and those must show as the characters they are, never as a link, an image or HTML.
Nor may they turn the text around them: their bidirectional-control characters go (``without_direction_controls``).
"""

from __future__ import annotations

import re

from .en import STRINGS as EN
from .zh import STRINGS as ZH

LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
STRINGS = {"en": EN, "zh": ZH}

# Markdown lets any ASCII punctuation be backslash-escaped. Escaped, these start no link, image, emphasis, list,
# heading, HTML, entity, LaTeX formula, emoji shortcode or bare-URL autolink ("https\:" and "www\." are no URLs).
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$@&=^])")
# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the direction marks (U+200E, U+200F, U+061C):
# one of them in a run's name would reverse the rest of the sentence that quotes it.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def without_direction_controls(text) -> str:
    """``text`` without its bidirectional-control characters (for places that escape it their own way, a chart)."""
    return _DIRECTION_CONTROLS.sub("", str(text))


def plain(text) -> str:
    """``text`` escaped so that markdown shows it exactly as typed, on one line, in the sentence's own direction."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", " ".join(without_direction_controls(text).split()))


def language() -> str:
    from ..session import widget

    lang = widget("lang", DEFAULT_LANGUAGE)
    return lang if lang in STRINGS else DEFAULT_LANGUAGE


def t(key: str, **values) -> str:
    """The string ``key`` in the current language, with {placeholders} filled in."""
    return translate(language(), key, **values)


def translate(lang: str, key: str, **values) -> str:
    """The string ``key`` in language ``lang`` (a file made outside any page: a lesson notebook)."""
    text = STRINGS.get(lang, EN).get(key) or STRINGS[DEFAULT_LANGUAGE][key]
    return text.format(**values) if values else text
