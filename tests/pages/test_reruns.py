"""What makes a rerun cheap (playground/server/internals.py) must change nothing a page or a browser sees: a widget's
view of the session state answers as Streamlit's own, and a run's events reach the event loop all, in order, with
its end handed over at once; and the server sends a run's messages without waiting for the browser's
acknowledgements."""

import asyncio
import copy
import json
import socket
import threading

import pandas as pd
from streamlit import config
from streamlit.components.v2.bidi_component import main as bidi_component
from streamlit.elements.widgets import number_input, selectbox, text_widgets
from streamlit.proto.BidiComponent_pb2 import BidiComponent as BidiComponentProto
from streamlit.proto.NewSession_pb2 import CustomThemeConfig
from streamlit.runtime import app_session
from streamlit.runtime import runtime as runtime_module
from streamlit.runtime.scriptrunner import ScriptRunnerEvent
from streamlit.testing.v1 import AppTest

from nn_core import analysis
from playground.live.component import COMPONENT
from playground.panels.training import readouts
from playground.server import internals
from playground.server.no_delay import open_connections_at_once
from playground.state.widgets import SESSION_KEY
from tests.load.scenario import run_in_thread

from .conftest import open_settings, text

MESSAGE, STARTED, STOPPED = (ScriptRunnerEvent.ENQUEUE_FORWARD_MSG, ScriptRunnerEvent.SCRIPT_STARTED,
                             ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS)


# -- a widget's view of the session state ----------------------------------------------------------------------------
def test_the_widgets_read_the_session_state_through_the_one_key_view(app):
    for module in (number_input, selectbox, text_widgets):
        assert module.get_session_state is internals._state_for_widgets
    assert isinstance(selectbox.get_session_state().filtered_state, internals._OneKeyAtATime)


def test_the_one_key_view_answers_every_key_as_streamlits_whole_state(app):
    app.session_state["lesson_note"] = None  # a key of the app's own holding None (what the widgets ask about)
    app.number_input(key="learning_rate").set_value(0.5).run()
    assert not app.exception
    safe = app.session_state._state
    whole = safe.filtered_state
    state = safe._state
    asked = set(whole) | set(state._keys()) | {"no_such_key", SESSION_KEY, "learning_rate", "step"}
    view = internals._OneKeyAtATime(safe)
    assert whole["learning_rate"] == 0.5 and whole["lesson_note"] is None
    assert any(k.startswith("$$") for k in asked - set(whole))  # widget ids and internal keys, which it leaves out
    for key in asked:
        assert (key in view) == (key in whole), key
        if key in whole:
            assert view[key] is whole[key] or view[key] == whole[key], key
    assert dict(view) == whole and len(view) == len(whole)


# -- a run's events, handed over in batches ---------------------------------------------------------------------------
class _Session:
    """What the hand-over uses of Streamlit's AppSession: its event loop, and the handler of a run's events (here it
    writes each down)."""

    def __init__(self, loop):
        self._event_loop = loop
        self.handled: list = []
        self.wakeups = 0
        self.told = 0  # how many times the server's sender was told there are messages to send
        self._message_enqueued_callback = self._tell

    def _tell(self):
        self.told += 1

    def _call_soon_on_event_loop(self, callback):
        self.wakeups += 1
        self._event_loop.call_soon_threadsafe(callback)

    def _handle_scriptrunner_event_on_event_loop(self, sender, event, *args, **kwargs):
        self.handled.append((event, kwargs.get("forward_msg")))
        if self._message_enqueued_callback is not None:  # (as Streamlit's does for each message it enqueues)
            self._message_enqueued_callback()


def _on_event(session, event, number=None):
    internals.AppSession._on_scriptrunner_event(session, None, event, forward_msg=number)


def test_a_runs_events_reach_the_loop_all_in_order_in_one_wakeup(monkeypatch):
    monkeypatch.setattr(internals.AppSession, "_on_scriptrunner_event", internals.AppSession._on_scriptrunner_event)
    internals.hand_over_in_batches()
    loop = asyncio.new_event_loop()
    busy, free = threading.Event(), threading.Event()
    loop.call_soon(lambda: (busy.set(), free.wait()))  # the loop is busy (another session's turn) while the run sends
    thread = threading.Thread(target=loop.run_forever)
    thread.start()
    try:
        busy.wait()
        session = _Session(loop)
        sent = [(STARTED, None)] + [(MESSAGE, n) for n in range(90)] + [(STOPPED, None)]
        for event, number in sent:
            _on_event(session, event, number)
        done = threading.Event()
        loop.call_soon_threadsafe(done.set)  # (after the hand-over that the run's start asked for)
        free.set()
        assert done.wait(30)
        assert session.handled == sent
        assert session.wakeups == 1  # all joined the hand-over the start asked for, which the loop had not yet begun
        assert session.told == 1 and session._message_enqueued_callback == session._tell  # once, after them all
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def test_the_end_of_a_run_does_not_wait_for_the_timer(monkeypatch):
    """A run's other events hand over what was gathered before them at once, not when the messages' timer ends."""
    monkeypatch.setattr(internals, "MESSAGE_FLUSH_INTERVAL_SECS", 3600)  # a timer that never ends within the test
    monkeypatch.setattr(internals.AppSession, "_on_scriptrunner_event", internals.AppSession._on_scriptrunner_event)
    internals.hand_over_in_batches()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever)
    thread.start()
    try:
        session = _Session(loop)
        for n in range(5):
            _on_event(session, MESSAGE, n)
        _on_event(session, STOPPED)
        handed = threading.Event()
        loop.call_soon_threadsafe(lambda: loop.call_soon(handed.set))  # after the hand-over the end asked for
        assert handed.wait(30)
        assert session.handled == [(MESSAGE, n) for n in range(5)] + [(STOPPED, None)]
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


# -- a flush's messages, fewer turns of the loop ---------------------------------------------------------------------
def test_a_flush_gives_the_loop_a_turn_only_every_so_many_messages(monkeypatch):
    monkeypatch.setattr(runtime_module, "asyncio", asyncio)  # (as Streamlit has it, whatever the app did before)
    internals.flush_with_fewer_turns()
    fewer = runtime_module.asyncio
    assert fewer is not asyncio and fewer.Event is asyncio.Event  # the rest of asyncio is asyncio's own

    async def a_flush(messages: int) -> tuple[int, list]:
        """How many turns the browser's writer got while the runtime loop put ``messages`` on its queue, and what
        it sent, in order."""
        queue, sent, turns = asyncio.Queue(), [], 0

        async def writer():
            nonlocal turns
            while True:
                turns += queue.empty()  # (it waits for the loop to wake it)
                sent.append(await queue.get())

        task = asyncio.ensure_future(writer())
        for n in range(messages):
            queue.put_nowait(n)
            await fewer.sleep(0)  # what Streamlit's runtime loop does after each message
        await fewer.sleep(0.001)  # (a real sleep: the writer sends the rest)
        task.cancel()
        return turns, sent

    turns, sent = run_in_thread(a_flush(4 * internals.TURN_EVERY))  # (a browser test's loop may hold this thread)
    assert sent == list(range(4 * internals.TURN_EVERY))  # every message, in order
    assert turns <= 6  # a turn each TURN_EVERY messages (and the last sleep), not one for each of the 128


# -- messages sent at once -------------------------------------------------------------------------------------------
def test_a_connection_already_open_when_the_app_first_runs_sends_at_once():
    """Under `streamlit run app.py` the first tab's connection is accepted before the app has run: a listening socket
    made with protocol number 0 (as Streamlit makes it), its connection accepted through asyncio with Nagle's
    algorithm on; the server's loop then turns it off on the connections it serves (no_delay.py)."""

    async def serve_one() -> tuple[int, int, int]:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        accepted = asyncio.get_running_loop().create_future()

        def connected(reader, writer):
            accepted.set_result(writer.get_extra_info("socket"))

        server = await asyncio.start_server(connected, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        sock = await accepted
        before = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        open_connections_at_once(asyncio.get_running_loop())
        after = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        writer.close()
        server.close()
        return sock.proto, before, after

    proto, before, after = run_in_thread(serve_one())  # (a browser test's loop may hold this thread)
    assert proto == 0 and not before  # the case asyncio's own check passes over
    assert after


# -- what a run works out once ---------------------------------------------------------------------------------------
def language_script():  # (AppTest runs the function's body as a script: its imports are its own)
    import streamlit as st

    from playground.strings import language, set_language, t

    st.write(f"first: {language()}")
    if st.session_state.get("switch"):
        set_language("zh")  # (a link's language, applied in the middle of a run)
        st.write(f"then: {language()} {t('nav.playground')}")


def test_the_language_is_read_once_a_run_and_follows_a_change_the_app_makes_in_it():
    at = AppTest.from_function(language_script)
    at.session_state["lang"] = "en"
    at.run()
    assert [m.value for m in at.markdown] == ["first: en"]
    at.session_state["switch"] = True
    at.run()
    assert [m.value for m in at.markdown] == ["first: en", "then: zh 游乐场"]
    at.session_state["switch"] = False
    at.run()
    assert [m.value for m in at.markdown] == ["first: zh"]  # a new run reads it again
    assert internals.this_run() == {}  # outside a run, nothing is kept


def test_the_apps_own_components_are_given_the_json_streamlit_would_make(app):
    patched = bidi_component.serialize_mixed_data
    assert patched.json_for == (COMPONENT,)
    data = {"role": "text", "kind": "weights", "text": "w₁ = 0.5000", "names": ["w₁"], "values": [0.5],
            "tables": [{"title": "x → ŷ", "rows": ["ŷ"], "cols": ["x₁"], "index": [[0]]}], "fit": {"min": 220}}
    ours, streamlits = BidiComponentProto(component_name=COMPONENT), BidiComponentProto(component_name=COMPONENT)
    patched(data, ours)
    patched.streamlits(data, streamlits)
    assert ours.json == streamlits.json and json.loads(ours.json) == data
    other = BidiComponentProto(component_name="someone.else")
    patched({"rows": pd.DataFrame({"a": [1]})}, other)  # another component's dataframe is still found
    assert other.WhichOneof("data") == "mixed"


def test_the_theme_each_run_announces_is_streamlits_own_and_follows_a_new_reading_of_the_config(app, monkeypatch):
    patched = app_session._populate_theme_msg
    sections = ["theme", *(f"theme.{c.value}" for c in config.CustomThemeCategories)]

    def both(section):
        ours, streamlits = CustomThemeConfig(), CustomThemeConfig()
        patched(ours, section)
        patched.streamlits(streamlits, section)
        return ours, streamlits

    for section in sections:
        ours, streamlits = both(section)
        assert ours == streamlits
    options = copy.deepcopy(config._config_options)  # the config read again (from a changed file)
    options["theme.primaryColor"].set_value("#b91c1c")
    monkeypatch.setattr(config, "_config_options", options)
    ours, streamlits = both("theme")
    assert ours == streamlits and ours.primary_color == "#b91c1c"



def test_why_it_is_stuck_is_worked_out_once_a_run_for_the_status_line_and_the_panel(app, monkeypatch):
    real, asked = analysis.saturated_rows, []

    def counted(net, params=None):
        asked.append(net.epoch)
        return real(net, params)

    monkeypatch.setattr(analysis, "saturated_rows", counted)  # what the diagnosis asks
    monkeypatch.setattr(readouts, "saturated_rows", counted, raising=False)  # what the status line once asked itself
    open_settings(app).number_input(key="learning_rate").set_value(100.0).run()
    for _ in range(3):
        app.button(key="step").click().run()
    assert not app.exception and asked[-3:] == [1, 2, 3]  # once a run, though the status line asks as well
    assert "Learning crawls" in text(app) and "Stuck where the sigmoid is flat" in text(app)  # and both say it


# -- a widget's old id forgotten -------------------------------------------------------------------------------------
def test_steps_leave_no_old_widget_ids_behind(app):
    """The rewind slider gets a new id at every Step (its maximum is part of it): the session keeps the way back from
    the current ids only, not one more entry per Step for as long as it lives."""
    mapper = app.session_state._state._state._key_id_mapper
    first = mapper.get_id_from_key("rewind")
    for _ in range(30):
        app.button(key="step").click().run()
    assert not app.exception
    assert mapper.get_id_from_key("rewind") != first  # (what made the old ids pile up)
    assert mapper.id_key_mapping == {wid: key for key, wid in mapper._key_id_mapping.items()}
    app.slider(key="rewind").set_value(10).run()  # the slider still works under its newest id
    assert not app.exception and app.session_state["rewind"] == 10
