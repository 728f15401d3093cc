"""Issue 25's attacks on rooms, made as a stranger would make them: raw messages over Streamlit's websocket (and,
where a room lives in Redis, what anyone who reaches Redis could write there). Each returns an ``Outcome``: whether
the defence held, and what happened. tests/load/test_attacks.py makes them against one server,
tests/deploy/test_rooms_redis.py across two replicas sharing Redis, and benchmarks/attacks.py --rooms through
HAProxy against this tree and an older one (082d50c), side by side.

Where each side sits is a ``Place``: a server's address and the balancer's cookie to send (None: whatever the
balancer picks, or no balancer). They use only the UI contract's keys and texts, so they run against older trees too.
"""

from __future__ import annotations

import asyncio
import json
import re
import time

import redis
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from playground.rooms.stores import CHECK_SECONDS
from playground.strings import STRINGS

from .attacks import Outcome
from .client import AppSession

Place = tuple[str, str | None]  # (url, balancer cookie)
ROOM_CODE = re.compile(r"Room code: \*\*([A-Z0-9 ]+)\*\*")
JOINED = STRINGS["en"]["room.joined"].split("{")[0]
HEARTBEAT, POLL = 15.0, 0.5  # the presenter's and a follower's timers (rooms/registry.py), by their intervals
# Every control whose click changes a room: its end, a new room, and what a presenter's page broadcasts (a step, a
# reset, a lesson), and the presenter's heartbeat (a fragment on a timer, not a widget).
ROOM_CHANGERS = ("room_end", "room_create", "step", "reset", "start_lesson", "heartbeat")
STEPS = 3  # the presenter's room shows Epoch 3: anything the attacker's page did to it would show


def opened(place: Place) -> AppSession:
    url, cookie = place
    return AppSession(url, cookie=cookie)


async def present(place: Place) -> tuple[AppSession, str]:
    """A presenter's page with a room of its own, at epoch STEPS: (the page, the room's code)."""
    app = opened(place)
    await app.open()
    await app.click("room_create")
    for _ in range(STEPS):
        await app.click("step")
    found = ROOM_CODE.search(app.text_in("room_code"))
    return app, found.group(1).replace(" ", "")


async def join(place: Place, code: str) -> tuple[bool, str]:
    """A new page opens the room's link: (it joined, the epoch its page shows)."""
    app = opened(place)
    await app.open(query=f"room={code}")
    joined, epoch = any(m.startswith(JOINED) for m in app.messages), app.text_in("epoch")
    await app.close()
    return joined, epoch


def rerun_message(app: AppSession, *, trigger: str | None = None, fragment_id: str = "", auto: bool = False) -> bytes:
    """A rerun as a browser sends it (app.rerun without waiting for the run to finish)."""
    msg = BackMsg()
    rerun = msg.rerun_script
    rerun.query_string, rerun.page_script_hash, rerun.page_name = app.query, "", app.page
    rerun.fragment_id, rerun.is_auto_rerun = fragment_id, auto
    rerun.widget_states.widgets.extend(app.values.values())
    if trigger:
        rerun.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
    return msg.SerializeToString()


async def read_for(app: AppSession, seconds: float) -> None:
    """Take in whatever the server sends for a while (the runs the attack's messages started)."""
    with_end = time.perf_counter() + seconds
    while (left := with_end - time.perf_counter()) > 0:
        try:
            await asyncio.wait_for(app.ws.recv(), left)
        except Exception:  # the time is up, or the server closed the connection
            return


def hijack(key: str, interrupt_after: float | None):
    """Issue 25, finding 1, on the control ``key``: a page that presents a room of its own (so its End, Step, …
    are drawn and registered) joins room C by its link, then sends a click on ``key``: once that join has completed
    (``interrupt_after`` None: a stale click), or ``interrupt_after`` seconds after asking for it, while that run is
    still going. Held: C is still open, its students still see the presenter's run (Epoch 3), and its presenter
    was told nothing."""

    async def attack(presenter_place: Place, attacker_place: Place) -> Outcome:
        presenter, code = await present(presenter_place)
        shown = presenter.text_in("epoch")
        attacker = opened(attacker_place)
        await attacker.open()
        await attacker.click("room_create")  # its own room: every control of a presenter's page is drawn
        heartbeat = attacker.timers.get(HEARTBEAT, "")
        widget = attacker.widgets.get(key)
        attacker.query = f"room={code}"
        if interrupt_after is None:
            await attacker.rerun()
        else:
            await attacker.ws.send(rerun_message(attacker))
            await asyncio.sleep(interrupt_after)
        if key == "heartbeat":
            await attacker.ws.send(rerun_message(attacker, fragment_id=heartbeat, auto=True))
        else:
            await attacker.ws.send(rerun_message(attacker, trigger=widget.id, fragment_id=widget.fragment_id))
        await read_for(attacker, 1.5)
        await attacker.close()
        await presenter.rerun()
        told = [m for m in presenter.messages if "room" in m.lower()]
        joined, seen = await join(attacker_place, code)
        await presenter.close()
        held = joined and seen == shown and not told and presenter.drew("room_end")
        return Outcome(held, f"room {code} {'still open' if joined else 'ended'}; a new student sees {seen!r} (the "
                             f"presenter's: {shown!r}); the presenter was told: {told or 'nothing'}")
    return attack


async def rooms_in_a_row(place: Place, seconds: float) -> Outcome:
    """Issue 25, finding 3: one page starts room after room for ``seconds`` (ending each, and clicking Start again
    while it presents, which its page does not offer): how many rooms it got."""
    app = opened(place)
    await app.open()
    await app.click("room_create")
    create = app.widgets["room_create"]
    codes, end = set(), time.perf_counter() + seconds
    while time.perf_counter() < end:
        found = ROOM_CODE.search(app.text_in("room_code")) if "room_code" in app.blocks and app.drew("room_end") \
            else None
        if found:
            codes.add(found.group(1).replace(" ", ""))
            await app.rerun(trigger=create.id)  # Start again, while presenting
            if app.drew("room_end"):
                await app.click("room_end")
        else:
            await app.rerun(trigger=create.id)
    await app.close()
    return Outcome(len(codes) <= 5, f"{len(codes)} rooms started in {seconds:.0f} s ({len(codes) / seconds:.1f}/s)")


async def lose_a_room(presenter_place: Place, student_place: Place, lose) -> Outcome:
    """Issue 25, finding 2: a room is lost while its presenter's page and a student's are open (``lose``: an async
    call that restarts Redis, or lets the room expire). Then the presenter's heartbeat comes. Held: new students
    can join under the same code again on either side (once what each replica read before is stale), and the
    student who was there still follows, with no exception."""
    presenter, code = await present(presenter_place)
    student = opened(student_place)
    await student.open(query=f"room={code}")
    poll = student.timers.get(POLL, "")
    await lose()
    lost = not (await join(presenter_place, code))[0]  # (the student's replica has the room's last state for a while)
    await student.auto_rerun(poll)  # its poll, meanwhile
    await presenter.auto_rerun(presenter.timers.get(HEARTBEAT, ""))  # the next heartbeat
    await read_for(presenter, 1.0)
    await asyncio.sleep(CHECK_SECONDS)  # what a replica read of the room before it was lost is forgotten by now
    joined, seen = await join(student_place, code)
    joined = joined and (await join(presenter_place, code))[0]  # on both replicas
    for _ in range(3):
        await student.auto_rerun(poll)
        await asyncio.sleep(0.2)
    following = "Following room" in student.text_in("room_bar") if "room_bar" in student.blocks else False
    problems = student.exceptions + presenter.exceptions
    await presenter.close()
    await student.close()
    return Outcome(joined and following and not problems,
                   f"lost: {lost}; after the presenter's heartbeat a new student {'joins' if joined else 'does not'} "
                   f"(sees {seen!r}); the student there {'still follows' if following else 'left'}; exceptions: "
                   f"{problems or 'none'}")


def forge(redis_url: str, code: str, change) -> None:
    """What anyone who reaches the rooms' Redis can do: a broadcast of the room's own last state with ``change``
    made, one version on, published on the room's channel and stored as the room's (whichever way the tree keeps
    it: a string of JSON, or a hash with the state in it)."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    key = f"bp:room:{code}"
    stored = client.type(key) == "hash"
    state = json.loads(client.hget(key, "state") if stored else client.get(key))
    state["version"] = int(state["version"]) + 1
    change(state)
    text = json.dumps(state)
    client.publish(key, text)
    if stored:
        client.hset(key, "state", text)
    else:
        client.set(key, text, keepttl=True)
    client.close()


FORGERIES = {  # issue 25, finding 5, and its kind
    "first_at = \"soon\"": lambda d: d["frames"].__setitem__("first_at", "soon"),
    "frames of another network": lambda d: d["frames"].__setitem__("params", {"dtype": "f8", "bdata": "AAAAAAAAAAA="}),
    "a view that is a list": lambda d: d.__setitem__("view", [1]),
    "no frames field at all": lambda d: d.pop("frames"),
}


async def forged_state(presenter_place: Place, student_place: Place, redis_url: str) -> Outcome:
    """A student follows a presenter on another replica; forged states of the room arrive (FORGERIES, each published
    and stored). Held: the student's page raises nothing, still follows, and shows the presenter's run."""
    presenter, code = await present(presenter_place)
    shown = presenter.text_in("epoch")
    student = opened(student_place)
    await student.open(query=f"room={code}")
    poll = student.timers.get(POLL, "")
    broken = []
    for name, change in FORGERIES.items():
        forge(redis_url, code, change)
        for _ in range(4):
            await asyncio.sleep(0.1)
            await student.auto_rerun(poll)
            if student.exceptions:
                broken.append(name)
                break
    await student.rerun()
    following = "room_bar" in student.blocks and "Following room" in student.text_in("room_bar")
    seen = student.text_in("epoch")
    await presenter.close()
    await student.close()
    return Outcome(not broken and following and seen == shown,
                   f"exceptions from: {broken or 'none'}; the student {'still follows' if following else 'left'} "
                   f"and sees {seen!r} (the presenter's: {shown!r})")
