"""Everything the app does with Streamlit's internals, in one place: when Streamlit changes, this is what to read.

- Every widget value a client sends is tried before Streamlit reads it, and a click on a widget that the last
  completed run did not draw is refused (``refuse_unreadable_widget_values``); a rerun that a timer asks for (a
  fragment's run_every) brings no widget values at all (``take_no_values_from_timers``).
- Whether this run redraws a fragment only (``fragment_rerun``), what this run keeps for itself (``this_run``), and
  which session a reconnecting browser had
  (``reconnecting_from_another_session``); whether an uploader's value is a file the server holds
  (``is_uploaded_file``).
- Leaving Streamlit's old pages/ folder mode (``leave_pages_folder_mode``).
- Dropping the sessions whose reconnect time has passed (``drop_expired_sessions``, see memory.py).
- Handing a run's messages to the event loop in batches, not one wakeup each (``hand_over_in_batches``), a widget
  reading only its own key of the session state, not all of it (``widgets_read_their_own_key``), and the app's
  own components given their data as JSON, unsearched for dataframes (``components_given_json``); the theme every
  run's first message carries read from the config once (``theme_read_once``); a flush of messages to the browsers
  giving the event loop a turn only every so many messages, not after each (``flush_with_fewer_turns``).
- A keyed widget's old id forgotten when its key is given a new one (``forget_replaced_widget_ids``): Streamlit
  kept every one, and the rewind slider has a new id at every Step.
- How many of its browser's requests a run has seen (``count_requests_seen``, ``requests_seen``): the next Step
  trained ahead counts only if its run saw every change the learner made.
These reach into Streamlit 1.67's private names; each says what it falls back to if they change.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import streamlit as st
from streamlit import config
from streamlit.components.v2.bidi_component import main as bidi_component
from streamlit.components.v2.bidi_component.constants import EVENT_DELIM
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.elements.widgets import number_input, radio, selectbox, slider, text_widgets, time_widgets
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime import Runtime, app_session
from streamlit.runtime import runtime as runtime_module
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.runtime_util import MESSAGE_FLUSH_INTERVAL_SECS
from streamlit.runtime.scriptrunner import ScriptRunnerEvent, get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequests, ScriptRequestType
from streamlit.runtime.state import get_session_state
from streamlit.runtime.state.common import is_element_id, is_keyed_element_id, unpack_widget_state_value
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX, KeyIdMapper, SessionState
from streamlit.runtime.uploaded_file_manager import UploadedFile

from ..state.session import Session
from ..state.widgets import SESSION_KEY

# -- what a client sends, checked before Streamlit reads it ----------------------------------------------------------
# Streamlit reads each widget's value with that widget's own deserializer, which trusts the browser: a value of the
# wrong kind (text for a number, a list for a choice, NaN for a whole number) raises inside Streamlit before any code
# of the app runs, and since the value stays, every later run of the tab fails the same way. So every value a client
# sends is tried first, as it arrives: one that its widget cannot read is dropped (the widget keeps its last valid
# value) and the page says so. Values that can be read are checked by the app itself (checked_widget, callbacks).
#
# A click counts only on a widget of the page on the client's screen: one drawn by the last run that completed (a
# fragment's completed run redraws the fragment's part of it). Streamlit 1.67 keeps every widget's callback for as
# long as the session lives, and runs it for any value a client sends under the widget's id, drawn or not: a page
# that once showed "End the room" kept that button's callback after the room had ended and the page had joined
# another room, and a click sent then ended the other room (issue 25). A run cut short by a newer request leaves
# the widgets it registered too. So a click, or a changed value, for a widget that the last completed run did not
# draw is dropped. Only a click is said in the page: a browser sends every value it holds, including those of widgets
# that a run cut short had just sent it (the rewind slider, whose id changes with the run's length, when Stop cuts
# short the run that Play's last chunk started), and a person who clicked should hear why nothing happened. (What a
# click on a widget the page did show acts on is the callback's part: the room's buttons act on the seat they were
# drawn for, rooms/panel.py.)
_SAME_KIND = {"double_value": {"double_value", "int_value"}}  # a number input of whole numbers sends int_value
_NOT_TRIED = {"file_uploader_state_value", "chat_input_value"}  # reading these has effects: Streamlit checks them
_NUMBERS = {"double_value", "int_value", "double_array_value", "int_array_value"}
MAX_EVENTS_PER_MESSAGE = 8
_CLICKS = {"trigger_value", "json_trigger_value", "string_trigger_value", "chat_input_value"}


def refuse_unreadable_widget_values() -> None:
    """Once per server process: check every widget value a client sends before Streamlit reads it, and keep the
    widgets of each completed run (see above)."""
    original, finished = SessionState.set_widgets_from_proto, SessionState.on_script_finished
    if getattr(original, "checks_values", False):
        return

    def set_widgets_from_proto(state, widget_states):
        widgets, s = state._new_widget_state, _session(state)
        shown, clicked_off_page = _on_the_page(widgets, s.drawn_widgets if s else frozenset(), widget_states)
        kept, refused = _readable(widgets.widget_metadata, shown)
        if (refused or clicked_off_page) and s is not None:
            s.notice = ("pg.value_refused", {})
        return original(state, kept)

    def on_script_finished(state, widget_ids_this_run, *args, **options):
        finished(state, widget_ids_this_run, *args, **options)
        # Streamlit passes remove_stale_widgets=True at the end of a run that drew all it meant to (its body ran and
        # no newer request cut it short). A page change calls this too, before the new page's run, with the ids the
        # client sent (Streamlit's own default makes that True as well): those must never count as drawn, so only a
        # call with the ids this run registered counts. What is drawn now: this run's widgets and, after a fragment's
        # run, those of the page around the fragment that an earlier completed run drew (as Streamlit keeps their
        # values).
        s, ctx = _session(state), get_script_run_ctx()
        registered = ctx.shared.widget_ids_this_run.snapshot() if ctx is not None else None
        if options.get("remove_stale_widgets") is True and s is not None and registered == widget_ids_this_run:
            fragments = (ctx.fragment_ids_this_run if ctx is not None else None) or ()
            metadata = state._new_widget_state.widget_metadata
            around = {w for w in s.drawn_widgets
                      if fragments and w in metadata and metadata[w].fragment_id not in fragments}
            s.drawn_widgets = frozenset(widget_ids_this_run) | _events_of(widget_ids_this_run, metadata) | around

    set_widgets_from_proto.checks_values = True
    SessionState.set_widgets_from_proto = set_widgets_from_proto
    SessionState.on_script_finished = on_script_finished
    # This run's values arrived before the check was in place (the first run of the server's first session): the
    # widgets have not been drawn yet, so none of those values can have been read; start them afresh.
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.session_state._state._new_widget_state.states.clear()


def _session(state) -> Session | None:
    """This tab's session, in Streamlit's SessionState (set in this run, or kept from an earlier one)."""
    s = state._new_session_state.get(SESSION_KEY, state._old_state.get(SESSION_KEY))
    return s if isinstance(s, Session) else None


def _events_of(widget_ids, metadata: dict) -> frozenset:
    """The ids of the events widgets of the components among ``widget_ids``. A component (the player, the copy
    button) registers its events as a second widget of its own that Streamlit leaves out of the run's widget ids
    (it is dropped at the end of every run and registered again by the next), so it is drawn when its component is."""
    return frozenset(events for w in widget_ids
                     if EVENT_DELIM not in w and (events := _make_trigger_id(w, "events")) in metadata)


def _on_the_page(widgets, drawn: frozenset, widget_states):
    """(the widget states for widgets of the page on the client's screen, how many others were clicked; the others'
    states are dropped). States for widgets the session does not know pass on: _readable drops them."""
    kept, clicked = WidgetStates(), 0
    for state in widget_states.widgets:
        if state.id in drawn or state.id not in widgets.widget_metadata:
            kept.widgets.append(state)
            continue
        kind = state.WhichOneof("value")
        clicked += kind in _CLICKS and (kind != "trigger_value" or state.trigger_value)
    return kept, clicked


def _readable(metadata: dict, widget_states):
    """(the widget states whose widget can read them, how many were dropped). A state for a widget this session
    never drew (a browser reconnecting to a restarted server sends its old ones) is dropped quietly."""
    kept, refused = WidgetStates(), 0
    for state in widget_states.widgets:
        meta = metadata.get(state.id)
        if meta is None:
            continue
        kind = state.WhichOneof("value")
        readable = kind is None or kind in _SAME_KIND.get(meta.value_type, {meta.value_type})
        if readable and kind is not None and kind not in _NOT_TRIED:
            sent = unpack_widget_state_value(state)
            try:
                value = meta.deserializer(sent)
                if kind in _NUMBERS:  # a number past the widget's limits would silently become its default
                    readable = _same_numbers(meta.serializer(value), sent)
                elif kind == "json_trigger_value":  # a component's events: {"event": name, "value": …} each
                    readable = _events(value)
            except Exception:  # whatever a widget raises on a value it cannot read
                readable = False
        if readable:
            kept.widgets.append(state)
        else:
            refused += 1
    return kept, refused


def _same_numbers(read, sent) -> bool:
    read, sent = np.atleast_1d(np.asarray(read, dtype=float)), np.atleast_1d(np.asarray(sent, dtype=float))
    return read.shape == sent.shape and bool(np.all(read == sent))


def _events(value) -> bool:
    """A component's events as a browser sends them: one or a few (each runs a callback), each named."""
    events = value if isinstance(value, list) else [value]
    return len(events) <= MAX_EVENTS_PER_MESSAGE and all(
        isinstance(e, dict) and isinstance(e.get("event"), str) for e in events)


# A fragment drawn with run_every has the browser ask for its rerun on a timer, and each of those requests carries the
# value of every widget of the page as the browser holds it. Streamlit reads them as it reads a click's: a value that
# differs from the server's becomes the widget's value and runs its callback. But a value the app itself gave a widget
# (set_widget) reaches the browser only with the run that draws it, so a timer's request sent before that run arrived
# carries the old value, and puts it back. A room's follower polls twice a second (rooms/panel.py, _poll): when a poll
# put the room's run and view in force, the requests already on their way put the follower's old view back (the chart
# tab, the log scale) and ran the rewind's and the log scale's callbacks, which the next poll took for the learner's
# own change (so the follower detached, or kept following with the wrong chart): 3 of 10 runs of a browser test. When a
# poll calls st.rerun(), a timer's request that came meanwhile is merged into that run and brings its values with it.
# A person's change is always sent by a request of its own (a click, an edit, Enter; the app draws no widget with
# on_change="ignore", whose changes wait for a later request), so a timer's request has nothing to say about widgets:
# its values are dropped as it arrives, before Streamlit merges it with any other request, and its run keeps the
# server's values (the values a click sent stay when a timer's request is merged with it).
def take_no_values_from_timers() -> None:
    """Once per server process: a rerun asked for by a timer brings no widget values (see above). If Streamlit's
    names change, nothing is patched and such a rerun brings them as before."""
    original = getattr(ScriptRequests, "request_rerun", None)
    if original is None or getattr(original, "drops_timer_values", False):
        return

    def request_rerun(requests, new_data):
        if getattr(new_data, "is_auto_rerun", False) and new_data.widget_states is not None:
            new_data = replace(new_data, widget_states=None)
        return original(requests, new_data)

    request_rerun.drops_timer_values = True
    ScriptRequests.request_rerun = request_rerun


def is_uploaded_file(value) -> bool:
    """A file uploader's value is a file this server holds (a hostile client can name one it does not have: Streamlit
    then gives a stand-in with no name and no content)."""
    return isinstance(value, UploadedFile)


# -- the run and the session -----------------------------------------------------------------------------------------
def fragment_rerun() -> bool:
    """This run redraws only a fragment (a click inside it), not the whole page."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def this_run() -> dict:
    """A dict that lasts for this run of the script alone (a fragment's own run is a run of its own), for what every
    part of a run asks again and again and what cannot change within it unless the app changes it itself (the
    page's language: read a hundred times a run, each through the whole session state). Outside a run, or if
    Streamlit's names change, a new empty dict each time: nothing is kept, every answer is worked out again."""
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "parallel_coordinator", None)  # a new one for each run (ScriptRunContext.reset)
    if run is None:
        return {}
    kept = getattr(ctx, "_playground_run", None)
    if kept is None or kept[0] is not run:
        kept = ctx._playground_run = (run, {})
    return kept[1]


def reconnecting_from_another_session() -> bool:
    """Whether this tab was connected to a session that this server no longer has: it restarted, or the tab was away
    longer than server.disconnectedSessionTTL. A reconnecting browser names its old session (the third entry of
    its websocket's Sec-WebSocket-Protocol header); a server that still has it resumes it under the same id."""
    entries = [e.strip() for e in (st.context.headers.get("Sec-WebSocket-Protocol") or "").split(",")]
    ctx = get_script_run_ctx()
    return len(entries) >= 3 and bool(entries[2]) and ctx is not None and entries[2] != ctx.session_id


def leave_pages_folder_mode() -> None:
    """Until app.py has declared the pages once in this process (st.navigation), Streamlit takes the pages/ folder
    for its old multipage mode: the first visit of a fresh server to a page's own address (/backprop?s=…) runs
    that page's file alone, with no sidebar, layout or link. Leave that mode and run again, through app.py."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def drop_expired_sessions() -> int:
    """How many sessions, kept for a reconnect that did not come within the TTL, were dropped now (what Streamlit
    would do at the next disconnect). 0 where there is no server (tests) or Streamlit's names changed."""
    try:
        runtime = Runtime.instance()
        manager = runtime._session_mgr
        cache, lock = manager._session_storage._cache, manager._storage_lock
        loop = runtime._get_async_objs().eventloop

        async def drop() -> int:  # on the event loop: Streamlit reads its storage there without the lock
            with lock:
                return len(cache.expire())

        work = drop()
    except Exception:  # no server (tests), or a Streamlit that changed: nothing to drop
        return 0
    try:
        return asyncio.run_coroutine_threadsafe(work, loop).result(timeout=30)
    except Exception:  # a server that is stopping: its loop no longer runs what it is given
        work.close()  # (never started: closed here, so Python does not warn of a coroutine never awaited)
        return 0


# -- a run's messages, handed to the event loop in batches ---------------------------------------------------------
# Every element a run draws is a message that the script's thread hands to the server's event loop, and Streamlit
# 1.67 wakes the loop for each one (call_soon_threadsafe): a whole-page rerun of the Playground sends about 90, and
# each wakeup costs the loop a turn of its own and the script's thread a system call and a wait for the interpreter's
# lock while the loop runs. The loop sends what it holds only every MESSAGE_FLUSH_INTERVAL_SECS anyway, so a run's
# messages are gathered here and handed over together, at most that long after the first of them; the run's other
# events (it started, it stopped, its thread ended) are handed over at once with all gathered before them, so their
# order and the end of a run reach the browser as before.
class _Gathered:
    """One session's events waiting for the event loop, in the order they came, and whether a hand-over is due."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events: deque = deque()
        self.due: str | None = None  # None, "soon" (a timer on the loop) or "now" (the loop's next turn)


def hand_over_in_batches() -> None:
    """Once per server process: a session's run hands its messages to the event loop in batches (see above).
    If Streamlit's names change, nothing is patched and each message wakes the loop as before."""
    original = getattr(AppSession, "_on_scriptrunner_event", None)
    if original is None or getattr(original, "gathers", False) or not hasattr(AppSession, "_call_soon_on_event_loop"):
        return

    def on_scriptrunner_event(session, sender, event, *args, **kwargs):
        gathered = session.__dict__.setdefault("_gathered_events", _Gathered())  # (setdefault: atomic)
        soon = event is ScriptRunnerEvent.ENQUEUE_FORWARD_MSG
        with gathered.lock:
            gathered.events.append((sender, event, args, kwargs))
            if gathered.due == "now" or (soon and gathered.due == "soon"):
                return
            gathered.due = "soon" if soon else "now"
        if soon:
            session._call_soon_on_event_loop(
                lambda: session._event_loop.call_later(MESSAGE_FLUSH_INTERVAL_SECS, _hand_over, session, gathered))
        else:
            session._call_soon_on_event_loop(lambda: _hand_over(session, gathered))

    on_scriptrunner_event.gathers = True
    # Kept alive: a run under way (this one) has Streamlit's own method connected to its events by a weak reference,
    # which would die with the method and leave the run's messages with nowhere to go.
    on_scriptrunner_event.streamlits = original
    AppSession._on_scriptrunner_event = on_scriptrunner_event


def _hand_over(session: AppSession, gathered: _Gathered) -> None:
    """On the event loop: every event gathered so far, in order, as Streamlit handles each; the server's sender is
    told once that there are messages to send, after them all, instead of once for each (another turn of the loop
    each). A message enqueued meanwhile from another thread is sent with them: the sender is told after it."""
    with gathered.lock:
        events, gathered.events, gathered.due = gathered.events, deque(), None
    tell_the_sender, session._message_enqueued_callback = session._message_enqueued_callback, None
    try:
        for sender, event, args, kwargs in events:
            try:
                session._handle_scriptrunner_event_on_event_loop(sender, event, *args, **kwargs)
            except Exception as e:  # as the loop would say of a callback that raised; the others still go
                session._event_loop.call_exception_handler({"message": f"Handling {event}", "exception": e})
    finally:
        session._message_enqueued_callback = tell_the_sender
        if tell_the_sender is not None:
            tell_the_sender()


# -- a flush's messages sent without a turn of the loop each ----------------------------------------------------------
# Every MESSAGE_FLUSH_INTERVAL_SECS Streamlit 1.67's runtime loop takes each session's queued messages and puts them,
# one by one, on the queue of the task that writes to that browser's websocket, and after each one it gives the event
# loop a turn (asyncio.sleep(0)): a turn of the loop (a system call to poll the sockets, the writer's wakeup) for every
# element a run draws, about 30 for a Step in the training column and 70 for a whole page. Here only every
# TURN_EVERY'th message gives the loop a turn: the writer then sends what was queued meanwhile in one go, other
# sessions still get the loop between the batches, and the writer's queue (Streamlit drops a browser whose queue
# holds more than 500 messages) never gains more than TURN_EVERY messages between two of its turns.
TURN_EVERY = 32


class _FewerTurns:
    """What Streamlit's runtime module sees as ``asyncio``: asyncio itself, but ``sleep(0)`` (a turn for the loop)
    lets the loop turn only every TURN_EVERY'th time; any other sleep is asyncio's own."""

    def __init__(self, real):
        self._real = real
        self._count = 0

    def sleep(self, delay, result=None):
        if delay == 0:
            self._count += 1
            if self._count % TURN_EVERY:
                return _at_once(result)
        return self._real.sleep(delay, result)

    def __getattr__(self, name):
        return getattr(self._real, name)


async def _at_once(result=None):
    return result


def flush_with_fewer_turns() -> None:
    """Once per server process (see above). If Streamlit's runtime no longer names asyncio so, nothing is patched."""
    if getattr(runtime_module, "asyncio", None) is asyncio:
        runtime_module.asyncio = _FewerTurns(asyncio)


# -- the app's own components are given JSON ---------------------------------------------------------------------------
def components_given_json(*names: str) -> None:
    """Once per server process: what the components ``names`` (the app's own) are given is JSON by construction
    (figures are JSON text already), so Streamlit's search of it for dataframes (pandas' type checks on each of its
    values, at every draw of every read-out and chart) is left out for them: it is turned into JSON at once. If
    Streamlit's names change, nothing is patched: it searches as before."""
    original = getattr(bidi_component, "serialize_mixed_data", None)
    if original is None or hasattr(original, "json_for"):
        return

    def serialize_mixed_data(data, proto):
        if proto.component_name in names and isinstance(data, dict):
            proto.json = json.dumps(data)
        else:
            original(data, proto)

    serialize_mixed_data.json_for, serialize_mixed_data.streamlits = names, original
    bidi_component.serialize_mixed_data = serialize_mixed_data


# -- a widget's old id forgotten when its key gets a new one ----------------------------------------------------------
def forget_replaced_widget_ids() -> None:
    """Streamlit 1.67 maps each widget key to its widget's id and each id back to its key. A keyed widget whose id
    changes (the rewind slider's: its maximum is part of it, and grows with every Step and every chunk played) gets
    its key mapped to the new id, but the old id's way back stays, for as long as the session lives: one entry more
    per Step, memory that training never gave back. Here the old id's way back goes when the key is mapped anew; the
    old id's value goes at the end of that run, as Streamlit's own cleanup leaves it. (Only widgets bound to the
    address or kept across pages, which the app has none of, read an old id's key after that.)"""
    original = KeyIdMapper.__setitem__
    if getattr(original, "forgets_replaced", False):
        return

    def __setitem__(self, key, widget_id):
        replaced = self._key_id_mapping.get(key)
        if replaced is not None and replaced != widget_id and self._id_key_mapping.get(replaced) == key:
            del self._id_key_mapping[replaced]
        original(self, key, widget_id)

    __setitem__.forgets_replaced = True
    KeyIdMapper.__setitem__ = __setitem__


# -- the theme every run announces, read from the config once ----------------------------------------------------------
def theme_read_once() -> None:
    """Once per server process: Streamlit starts every run (a fragment's own too) with a message that carries the
    theme, made by scanning every config option six times (once per theme section); here each section's part is made
    once per reading of the config (Streamlit replaces its options when it reads the config again) and copied. If
    Streamlit's names change, nothing is patched."""
    original = getattr(app_session, "_populate_theme_msg", None)
    if original is None or hasattr(original, "made") or not hasattr(config, "_config_options"):
        return
    made: dict = {}

    def _populate_theme_msg(msg, section: str = "theme") -> None:
        options = config._config_options
        if made.get("options") is not options:
            made.clear()
            made["options"] = options
        if section not in made:
            made[section] = type(msg)()
            original(made[section], section)
        msg.MergeFrom(made[section])

    _populate_theme_msg.made, _populate_theme_msg.streamlits = made, original
    app_session._populate_theme_msg = _populate_theme_msg


# -- a widget reads its own key of the session state, not all of it --------------------------------------------------
# Streamlit 1.67's selectbox, number and text inputs, slider, radio and date/time inputs each ask, as they are drawn,
# whether their key holds None in the session state, and to answer they build the whole state as the app sees it:
# every key's value (about 60 here), each through its presenter, which for a component defines a class anew. With
# fifteen such widgets that was a fifth of a whole-page rerun. Here those widgets get a view of the same state that
# works out only the key asked for, by the same rules (``_OneKeyAtATime``).
_WIDGET_MODULES = (number_input, radio, selectbox, slider, text_widgets, time_widgets)


def widgets_read_their_own_key() -> None:
    """Once per server process (see above). If Streamlit's names change, nothing is patched: each widget reads the
    whole state as before."""
    if not all(getattr(m, "get_session_state", None) is get_session_state for m in _WIDGET_MODULES):
        return  # patched already, or these modules no longer read the state this way
    for module in _WIDGET_MODULES:
        module.get_session_state = _state_for_widgets


def _state_for_widgets():
    return _ForWidgets(get_session_state())


class _ForWidgets:
    """The session state as a widget sees it (Streamlit's SafeSessionState), but its ``filtered_state`` is worked out
    one key at a time."""

    def __init__(self, safe):
        self._safe = safe

    @property
    def filtered_state(self) -> Mapping:
        return _OneKeyAtATime(self._safe)

    def __getattr__(self, name):
        return getattr(self._safe, name)


class _OneKeyAtATime(Mapping):
    """Streamlit's ``SessionState.filtered_state`` (the app's keys and the keyed widgets' values, by key), as a
    mapping that computes only the values asked for: the same keys, found by the same rules in the same order (the
    last key that names an entry gives its value, as the dict Streamlit builds keeps the last). A widget asks whether
    its key is there, then for its value, at once: each key is looked for once."""

    def __init__(self, safe):
        self._safe = safe
        self._found = {}

    def _source(self, key):
        """The state's own key (a user key, or a keyed widget's id) that ``key`` stands for here; None if none."""
        if key not in self._found:
            self._found[key] = self._look_for(key)
        return self._found[key]

    def _look_for(self, key):
        state = self._safe._state
        by_id = state._key_id_mapper.id_key_mapping
        found = None
        for k in state._keys():
            if k.startswith(STREAMLIT_INTERNAL_KEY_PREFIX):
                continue
            if (k == key and not is_element_id(k)) or (is_keyed_element_id(k) and by_id.get(k) == key):
                found = k
        return found

    def __getitem__(self, key):
        with self._safe._lock:
            source = self._source(key)
            if source is None:
                raise KeyError(key)
            return self._safe._state[source]

    def __contains__(self, key) -> bool:
        with self._safe._lock:
            return self._source(key) is not None

    def __iter__(self):
        return iter(self._safe.filtered_state)

    def __len__(self) -> int:
        return len(self._safe.filtered_state)


# -- which of the browser's requests a run has seen ------------------------------------------------------------------
# Each run of the training column sends the next Step trained ahead, which the browser shows at the click (live.js).
# A run under way, or already asked for, when the learner changed something (a step size, a rate, Reset) has not seen
# that change, and its Step may not be the next: the browser must know which of its requests each run has seen. So
# each session counts the requests its browser sent (its rerun_script messages, as live.js counts them); a request's
# count goes with it into Streamlit's pending request (folded into one already waiting, or the first of a new script
# runner), and a run takes the count of the request it runs. A request the server makes itself (st.rerun) carries
# the count of the one it is folded into, or what the run that made it had seen.
_asking = threading.local()


def count_requests_seen() -> None:
    """Once per server process: count each session's requests and what each run has seen of them (see above). If
    Streamlit's names change, nothing is counted and every run says it does not know (``requests_seen`` is None)."""
    handle = getattr(AppSession, "_handle_rerun_script_request", None)
    fold = getattr(ScriptRequests, "_request_rerun_locked", None)
    ready = getattr(ScriptRequests, "on_scriptrunner_ready", None)
    yielding = getattr(ScriptRequests, "on_scriptrunner_yield", None)
    if None in (handle, fold, ready, yielding) or getattr(handle, "counts", False):
        return

    def handle_rerun_script_request(session, client_state=None):
        session._playground_asked = getattr(session, "_playground_asked", 0) + 1
        _asking.count = session._playground_asked
        try:
            return handle(session, client_state)
        finally:
            _asking.count = None

    def request_rerun_locked(requests, new_data):
        waiting = requests._rerun_data if requests._state == ScriptRequestType.RERUN else None
        folded = fold(requests, new_data)
        if folded:  # (under the requests' lock: no run can take the request between the fold and its count)
            count = (getattr(_asking, "count", None) or getattr(waiting, "_playground_asked", None)
                     or getattr(requests, "_playground_seen", None))  # (st.rerun: what the run asking had seen)
            object.__setattr__(requests._rerun_data, "_playground_asked", count)  # (a frozen dataclass)
        return folded

    def taking(original):
        def take(requests):
            request = original(requests)
            if request is not None and request.type == ScriptRequestType.RERUN:
                requests._playground_seen = getattr(request.rerun_data, "_playground_asked", None)
            return request
        return take

    handle_rerun_script_request.counts = True
    AppSession._handle_rerun_script_request = handle_rerun_script_request
    ScriptRequests._request_rerun_locked = request_rerun_locked
    ScriptRequests.on_scriptrunner_ready = taking(ready)
    ScriptRequests.on_scriptrunner_yield = taking(yielding)


def requests_seen() -> int | None:
    """How many of its browser's requests this run has seen, or None if that is not known."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(getattr(ctx, "script_requests", None), "_playground_seen", None)
