"""How often one session may do one kind of thing: the limits inside a websocket, which the edge cannot see.

A ``Pace`` counts what a session did (a wrong room code, a room started, a page switch, a value refused) and forgets
one of them every ``every`` seconds. Up to ``free`` of them come at once with no wait; past that, the next one waits
``first`` seconds, and each one more doubles the wait, up to ``longest``. A person never meets the limits; a client
that keeps going meets waits that grow until it gets about one every ``every`` seconds (waits are never longer than
``longest``). Three numbers a kind: the memory of a session stays bounded whatever it sends.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass
class Pace:
    free: int  # this many at once, with no wait
    first: float  # seconds: the wait after the first one past ``free``
    longest: float  # seconds: the wait never grows past this
    every: float  # seconds: one of them is forgotten this often
    level: float = 0.0  # how many are remembered (it goes down as time passes)
    at: float = 0.0  # when ``level`` was last brought up to date (time.monotonic())
    next_at: float = 0.0  # the next one waits until then

    def wait(self, now: float) -> float:
        """Seconds to wait before the next one (0: it may come now)."""
        return max(0.0, self.next_at - now)

    def count(self, now: float) -> None:
        """One more: past ``free`` remembered, the next one waits (twice as long as the last time, if the last
        was not forgotten meanwhile)."""
        if now > self.at:
            self.level = max(0.0, self.level - (now - self.at) / self.every)
            self.at = now
        self.level += 1.0
        if self.level > self.free - 0.5:  # (half a count: what time forgets between two in a row is not a pass)
            self.next_at = now + min(self.longest, self.first * 2.0 ** min(64.0, max(0.0, self.level - self.free)))


def keep_pace(pace: Pace) -> int:
    """Count one more of what ``pace`` limits, after waiting if it says so: the seconds waited, rounded up."""
    now = time.monotonic()
    wait = pace.wait(now)
    if wait:
        time.sleep(wait)
    pace.count(now + wait)
    return math.ceil(wait)
