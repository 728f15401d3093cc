"""playground/server/log_limits.py: each kind of line a client can make the server log gets a few lines a minute,
then one line that counts the rest; another kind still shows meanwhile."""

import logging
import time

from playground.server.log_limits import LOGGERS, FewLinesPerKind, limit_log_lines


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def failing(kind: type[Exception]) -> tuple:
    try:
        raise kind("from a client")
    except Exception as e:
        return type(e), e, e.__traceback__


def test_a_flood_writes_a_few_lines_then_says_how_many_it_held_back():
    logger = logging.getLogger("tests.log_limits.flood")
    logger.propagate = False
    lines = Lines()
    logger.addHandler(lines)
    logger.addFilter(FewLinesPerKind(lines=3, seconds=0.3))
    for _ in range(100):
        logger.error("Exception in ASGI application", exc_info=failing(KeyError))
    logger.error("Exception in ASGI application", exc_info=failing(ValueError))  # another failure: shown
    logger.warning("Client message of %s bytes is too big", 10**7)  # another message: shown
    assert lines.lines == ["Exception in ASGI application"] * 4 + ["Client message of 10000000 bytes is too big"]
    deadline = time.monotonic() + 10
    while len(lines.lines) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lines.lines[5].startswith("97 more lines like 'Exception in ASGI application' held back in 0 s")
    logger.error("Exception in ASGI application", exc_info=failing(KeyError))  # a new minute: written again
    assert len(lines.lines) == 7


def test_the_filter_is_on_the_loggers_that_write_what_clients_cause_once():
    limit_log_lines()
    limit_log_lines()  # (app.py and serve.py both call it: a second call adds nothing)
    for name in LOGGERS:
        assert sum(isinstance(f, FewLinesPerKind) for f in logging.getLogger(name).filters) == 1
