"""Every response and websocket message sent the moment it is written, not 40 ms later.

Streamlit 1.67 opens its listening socket itself, without naming TCP as its protocol, and asyncio turns Nagle's
algorithm off only for sockets that do: so every connection the server accepts keeps it on. With Nagle's algorithm, a
small write that follows another waits until the browser has acknowledged the first, and a browser delays its
acknowledgements by up to 40 ms. Every file is written as its headers and then its body, and a rerun as several
websocket messages: each file of a first visit (some 120, six at a time) and every message after the first of a rerun
came 40 ms late. Measured on loopback: 44 ms for each request of /_stcore/health on a kept-alive connection, 1 ms with
``send_at_once``.

``send_at_once`` turns the algorithm off on the process's listening TCP sockets, so that the connections they accept
from then on inherit that (Linux, macOS), and on the connections the server's event loop already serves. serve.py
calls it when the server starts; app.py on its first run (under `streamlit run app.py`, the first tab's connection is
open by then: it is one of those already served).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket

from streamlit.runtime import Runtime

FDS = "/dev/fd"  # the process's open files (Linux and macOS); where there is none, nothing changes


@functools.cache  # once per process: the listening socket is made once
def send_at_once() -> int:
    """Turn Nagle's algorithm off on every listening TCP socket of this process and on the connections the server
    already serves; returns how many listening sockets were changed."""
    try:
        loop = Runtime.instance()._get_async_objs().eventloop
        loop.call_soon_threadsafe(open_connections_at_once, loop)
    except Exception:  # no server (serve.py at start, tests), or Streamlit's names changed: nothing is open yet
        pass
    return _listening_at_once()


def open_connections_at_once(loop: asyncio.AbstractEventLoop) -> None:
    """On the event loop: the TCP connections it serves (asyncio's own table of them) send at once."""
    for transport in list(getattr(loop, "_transports", {}).values()):
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
            with contextlib.suppress(OSError):  # a connection closing meanwhile
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _listening_at_once() -> int:
    """Nagle's algorithm off on every listening TCP socket of this process; how many were changed."""
    try:
        names = os.listdir(FDS)
    except OSError:
        return 0
    changed = 0
    for name in names:
        try:
            fd = os.dup(int(name))  # a second handle on the same file (a socket's options are the socket's)
        except (OSError, ValueError):  # closed since it was listed (the listing's own)
            continue
        try:
            sock = socket.socket(fileno=fd)
        except OSError:  # not a socket
            os.close(fd)
            continue
        with sock, contextlib.suppress(OSError):
            if (sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM
                    and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                changed += 1
    return changed
