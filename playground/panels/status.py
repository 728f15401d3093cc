"""The status line: one line of every page that says what the last action did, what was refused and what changed,
and otherwise how the run stands (stopped, rewound, crawling). It sits in the page's flow where room is kept for it
(on the Playground under the read-outs; on other pages under the title), so it never covers a control, is never cut
short and is gone once the next action has something else to say.

A message (the session's ``notice``) can arise after the line is drawn in a run: a widget further down the page
refused a value a client sent. The line's slot is kept for the rest of the run, and ``finish`` writes that late
message into it. Both the Playground's training column (a fragment, which reruns alone) and the page itself call
``status_line`` where the line belongs and ``finish`` at their end.
"""

from __future__ import annotations

import streamlit as st

from ..state.pace import keep_pace
from ..state.session import Session
from ..state.widgets import keep_for_run, kept_for_run
from ..strings import t

# Messages that say something was refused or failed (the rest say what was done or changed).
REFUSALS = frozenset({"link.bad", "link.lost", "ws.upload_bad", "pg.value_refused", "pg.invalid_setting",
                      "pg.until_below_floor", "pg.already_there", "guess.empty", "room.bad_code", "room.not_found",
                      "room.unavailable", "room.bad_state", "poll.unavailable", "pg.refusals_wait",
                      "pg.slow_down", "room.guess_wait", "room.create_wait", "room.one_at_a_time", "room.taken"})
_SLOT = "status_slot"
_ICONS = {"refused": ":material/error:", "done": ":material/check_circle:", "state": ":material/info:"}


def status_line(s: Session, state: str = "", keep_room: bool = False) -> None:
    """Draw the status line (key ``status``): the session's message if it has one, else ``state``. ``keep_room``:
    it keeps its room when it has nothing to say (on the Playground, so that nothing under it moves when it speaks;
    elsewhere it takes none)."""
    with st.container(key="status"):
        slot = st.empty()
    shown = s.notice
    kind, text = _message(s, shown) if shown else ("state", state) if state else (None, "")
    _write(slot, kind, text, keep_room)
    keep_for_run(_SLOT, (slot, shown))


def finish(s: Session) -> None:
    """At the end of a run (the page's, or the training column's own): a message that arose after the line was drawn
    goes into it; the message has then been said, and the next run says something else."""
    kept = kept_for_run(_SLOT)
    if s.notice and kept is not None and s.notice is not kept[1]:
        slot, _ = kept
        _write(slot, *_message(s, s.notice))
        keep_for_run(_SLOT, (slot, s.notice))
    s.notice = None


def _message(s: Session, notice: tuple[str, dict]) -> tuple[str, str]:
    """(its kind, its text). Every value refused is said here: past a few, each waits first (a browser sends none,
    so this slows only a flood; state/pace.py)."""
    key, values = notice
    if key == "pg.value_refused":
        waited = keep_pace(s.refusals)
        if waited:
            key, values = "pg.refusals_wait", {"seconds": waited}
    return ("refused" if key in REFUSALS else "done"), t(key, **values)


def _write(slot, kind: str | None, text: str, keep_room: bool = False) -> None:
    if kind is None:
        if keep_room:
            slot.markdown("&nbsp;")
        else:
            slot.empty()
        return
    with slot.container(key=f"status_{kind}"):
        st.markdown(f"{_ICONS[kind]} {text}")
