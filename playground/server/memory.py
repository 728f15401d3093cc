"""Giving the memory of closed tabs back to the system.

When a tab closes, Streamlit keeps its session server.disconnectedSessionTTL seconds for a reconnect, then lets it go,
but only lazily: expired sessions stay in its session storage until the next tab disconnects. After a whole class
has left there is no next disconnect, so everything the class's sessions held stayed (200 MB for 50 of them). And
memory that is freed goes back to the C allocator, not to the system: each of Streamlit's script threads allocates
from an arena of its own, and an arena keeps all of its pages while a little of it is in use.

So a thread, once per server process, every RELEASE_SECONDS: asks Streamlit's event loop to drop the sessions whose
TTL has passed (what Streamlit would do at the next disconnect), collects the reference cycles they leave, and hands
every wholly free page back to the system (glibc's malloc_trim). When nothing expired and nothing is free, that costs
a few milliseconds. Dropping reaches into Streamlit's session manager (internals.drop_expired_sessions): if its names
ever change, dropping is skipped and only the trimming remains.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
import time

import streamlit as st

from .internals import drop_expired_sessions

RELEASE_SECONDS = 15


@st.cache_resource
def freeze_loaded_objects() -> int:
    """Once per server process: the objects loaded so far (Streamlit's, numpy's, pandas', plotly's: some 100,000)
    never become garbage. Moving them out of the cyclic collector's reach makes every later collection cheaper.
    Returns how many were frozen."""
    gc.freeze()
    return gc.get_freeze_count()


@st.cache_resource
def give_back_freed_memory() -> threading.Thread:
    """Once per server process: start the thread described above."""
    thread = threading.Thread(target=_forever, name="give-back-freed-memory", daemon=True)
    thread.start()
    return thread


def _forever() -> None:
    trim = _malloc_trim()
    while True:
        time.sleep(RELEASE_SECONDS)
        if drop_expired_sessions():
            gc.collect()  # a session is a web of callbacks, widgets and state that refer to each other
        if trim is not None:
            trim(0)


def _malloc_trim():
    """glibc's malloc_trim, or None where the C library is another (macOS, Alpine): nothing to trim then."""
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim
