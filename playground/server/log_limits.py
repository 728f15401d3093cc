"""A few log lines a minute for each thing a client can make the server log, then one line that counts the rest.

A hostile client can make the server write a traceback for every websocket frame it sends: a text frame (3.4 KB of
traceback from uvicorn: Starlette's receive_bytes meets text where Streamlit expects bytes), a frame that is no
BackMsg (0.4 KB from Streamlit), a frame over the size limit. Each such frame also ends its connection, so a flood
opens one after another: about 54 KB of log a second from one client, until the disk is full.
``limit_log_lines`` (app.py and serve.py call it) puts a filter, once per process, on the two loggers that write
those lines: each kind of line (the same message, exception and place) gets LINES_PER_MINUTE lines a minute with their
tracebacks; the rest are
counted, and when that minute is over one line says how many were held back. A different failure is another kind, so
it still shows while a flood goes on. Under `streamlit run app.py` the filter is in place from the first page run;
under `streamlit run serve.py`, from the start.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

LINES_PER_MINUTE = 5
# (and the rooms' own: a room state read from Redis that is no room's is dropped with a line, rooms/stores.py)
LOGGERS = ("uvicorn.error", "streamlit.web.server.starlette.starlette_websocket", "playground.rooms")
SUMMARY = "_log_limits_summary"  # set on the line that counts the held-back ones, which always passes


@dataclass
class _Minute:
    """One kind of line's current minute: when it began, the lines let through, the lines held back."""

    start: float
    written: int = 0
    held: int = 0


class FewLinesPerKind(logging.Filter):
    def __init__(self, lines: int = LINES_PER_MINUTE, seconds: float = 60.0, clock=time.monotonic):
        super().__init__()
        self.lines, self.seconds, self.clock = lines, seconds, clock
        self._minutes: dict[tuple, _Minute] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, SUMMARY, False):
            return True
        kind = _kind(record)
        now = self.clock()
        with self._lock:
            minute = self._minutes.get(kind)
            if minute is None or now >= minute.start + self.seconds:
                minute = self._minutes[kind] = _Minute(now)
            if minute.written < self.lines:
                minute.written += 1
                return True
            minute.held += 1
            if minute.held == 1:  # the first held back: the count is written when this minute is over
                timer = threading.Timer(minute.start + self.seconds - now, self._say_held,
                                        (logging.getLogger(record.name), record.getMessage(), minute))
                timer.daemon = True
                timer.start()
        return False

    def _say_held(self, logger: logging.Logger, message: str, minute: _Minute) -> None:
        with self._lock:
            held = minute.held
        logger.warning("%s more lines like %r held back in %.0f s (at most %d a kind written)", f"{held:,}",
                       message[:120], self.seconds, self.lines, extra={SUMMARY: True})


def _kind(record: logging.LogRecord) -> tuple:
    """The same message (before its values are filled in), the same exception raised at the same place."""
    error = record.exc_info[1] if record.exc_info else None
    place, frame = "", error.__traceback__ if error is not None else None
    while frame is not None:  # to the innermost frame: where it was raised
        place, frame = f"{frame.tb_frame.f_code.co_filename}:{frame.tb_lineno}", frame.tb_next
    return record.name, str(record.msg), type(error).__name__ if error is not None else "", place


def limit_log_lines() -> None:
    """Put the filter on the loggers a client can make write (once: calling it again changes nothing)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, FewLinesPerKind) for f in logger.filters):
            logger.addFilter(FewLinesPerKind())
