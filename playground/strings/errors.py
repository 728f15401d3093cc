"""What went wrong with a learner's input, said in the page's language.

The engine raises InputError with an English message (for scripts) and a ``kind`` with the numbers and names it
made (``values``): a page says the same in its own words. An error the engine has no kind for is shown in English.
Either way the text is escaped: it is shown as the characters it is, never as markdown.
"""

from __future__ import annotations

from . import STRINGS, plain, t


def explain(error: Exception, starts_sentence: bool = False) -> str:
    """``error`` as words in the page's language, escaped as plain text (capitalised where it starts a sentence)."""
    kind = getattr(error, "kind", None)
    if kind is None or f"err.{kind}" not in STRINGS["en"]:
        text = str(error)
    else:
        values = dict(error.values)
        if "name" in values:  # a setting or number the engine names: "err.name.<its name>", as a learner knows it
            key = "err.name." + str(values["name"]).replace(" ", "_")
            values["name"] = t(key) if key in STRINGS["en"] else values["name"]
        text = t(f"err.{kind}", **values)
    return plain(text[:1].upper() + text[1:] if starts_sentence else text)
