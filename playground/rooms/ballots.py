"""Where a room's question and its answers live: in this process (``LocalBallots``), or in Redis when
ROOMS_REDIS_URL is set (``RedisBallots``), so that students on any replica answer the question a presenter on
another replica asked, as rooms do (registry.py). One registry per process (``ballots()``).

A room has at most one question at a time, under ``bp:poll:<code>`` (its JSON, poll.Poll), and the answers to it in
the hash ``bp:poll:<code>:<question id>`` (student → answer). A student's answer is taken only for the question in
force, before its reveal, once per student, and up to poll.MAX_ANSWERS per question: checked and stored in one step
(a Lua script in Redis), so that two replicas never take two answers from one student. Both keys expire with the
lesson (POLL_TTL_SECONDS after the last change).
"""

from __future__ import annotations

import os
import threading
import time

import redis
import streamlit as st

from nn_core import InputError

from .poll import MAX_ANSWERS, Poll, is_question_id

POLL_TTL_SECONDS = 2 * 3600
FRESH_SECONDS = 0.5  # a replica reads the question from Redis at most this often per room (students poll it)
TAKEN, AGAIN, CLOSED, FULL = "taken", "again", "closed", "full"  # what answer() says


class Ballots:
    def ask(self, code: str, poll: Poll) -> None:
        """Put ``poll`` to the room (in place of any earlier question): revealed later with the same call."""
        raise NotImplementedError

    def current(self, code: str) -> Poll | None:
        raise NotImplementedError

    def answer(self, code: str, poll_id: str, student: str, value: float) -> str:
        """Take a student's answer (already checked: Poll.accepts): TAKEN, or why not (AGAIN, CLOSED, FULL)."""
        raise NotImplementedError

    def answers(self, code: str, poll_id: str) -> list[float]:
        raise NotImplementedError


class LocalBallots(Ballots):
    """A room's question and answers in this process's memory (one `streamlit run`)."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._rooms: dict[str, tuple[Poll, dict[str, float], float]] = {}  # code -> (question, answers, ends at)

    def ask(self, code, poll):
        with self._lock:
            now = self.clock()
            for gone in [c for c, (_, _, ends) in self._rooms.items() if ends < now]:
                del self._rooms[gone]
            old = self._rooms.get(code)
            answers = old[1] if old is not None and old[0].id == poll.id else {}
            self._rooms[code] = (poll, answers, now + POLL_TTL_SECONDS)

    def current(self, code):
        with self._lock:
            entry = self._rooms.get(code)
        return entry[0] if entry is not None and entry[2] >= self.clock() else None

    def answer(self, code, poll_id, student, value):
        with self._lock:
            entry = self._rooms.get(code)
            if entry is None or entry[0].id != poll_id or entry[0].revealed:
                return CLOSED
            answers = entry[1]
            if student in answers:
                return AGAIN
            if len(answers) >= MAX_ANSWERS:
                return FULL
            answers[student] = float(value)
            return TAKEN

    def answers(self, code, poll_id):
        with self._lock:
            entry = self._rooms.get(code)
            return list(entry[1].values()) if entry is not None and entry[0].id == poll_id else []


# KEYS: the question, its answers. ARGV: question id, student, answer, most answers, seconds to keep them.
_ANSWER = """
local question = redis.call('GET', KEYS[1])
if not question then return 'closed' end
local ok, poll = pcall(cjson.decode, question)
if not ok or poll['id'] ~= ARGV[1] or poll['revealed'] then return 'closed' end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 'again' end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then return 'full' end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
return 'taken'
"""


class RedisBallots(Ballots):
    """A room's question and answers in Redis, shared by every replica. Students ask for the question every second;
    a replica reads it from Redis at most every FRESH_SECONDS per room and answers the rest from memory."""

    PREFIX = "bp:poll:"

    def __init__(self, url: str, clock=time.monotonic):
        self.clock = clock
        self.client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=3, socket_connect_timeout=3,
                                           health_check_interval=30)
        self._answer = self.client.register_script(_ANSWER)
        self._lock = threading.Lock()
        self._read: dict[str, tuple[Poll | None, float]] = {}  # code -> (question, read at)

    def ask(self, code, poll):
        self.client.set(self.PREFIX + code, poll.to_json(), ex=POLL_TTL_SECONDS)
        with self._lock:
            self._read[code] = (poll, self.clock())

    def current(self, code):
        now = self.clock()
        with self._lock:
            entry = self._read.get(code)
        if entry is not None and now - entry[1] < FRESH_SECONDS:
            return entry[0]
        text = self.client.get(self.PREFIX + code)
        try:
            poll = Poll.from_json(text) if text else None
        except InputError:  # not a question this app wrote: none
            poll = None
        with self._lock:
            self._read[code] = (poll, now)
            if len(self._read) > 1000:  # rooms long gone
                self._read = {c: e for c, e in self._read.items() if now - e[1] < POLL_TTL_SECONDS}
        return poll

    def answer(self, code, poll_id, student, value):
        if not is_question_id(poll_id):  # only a question read from the store (and so checked) is answered
            return CLOSED
        said = self._answer(keys=[self.PREFIX + code, f"{self.PREFIX}{code}:{poll_id}"],
                            args=[poll_id, student, repr(float(value)), MAX_ANSWERS, POLL_TTL_SECONDS])
        return said if said in (TAKEN, AGAIN, CLOSED, FULL) else CLOSED

    def answers(self, code, poll_id):
        values = []
        for text in self.client.hvals(f"{self.PREFIX}{code}:{poll_id}")[:MAX_ANSWERS]:
            try:
                values.append(float(text))
            except (TypeError, ValueError):
                continue  # not an answer this app wrote
        return values


@st.cache_resource(show_spinner=False)
def _ballots(redis_url: str) -> Ballots:
    return RedisBallots(redis_url) if redis_url else LocalBallots()


def ballots() -> Ballots:
    """This process's questions: in Redis when ROOMS_REDIS_URL is set, else in memory."""
    return _ballots(os.environ.get("ROOMS_REDIS_URL", ""))
