"""playground/server/no_delay.py: the connections a listening socket accepts after send_at_once send each write at
once (Nagle's algorithm off); other sockets are left as they are."""

import socket
import sys

import pytest

from playground.server.no_delay import send_at_once

pytestmark = pytest.mark.skipif(sys.platform not in ("linux", "darwin"), reason="the process's files are listed in "
                                "/dev/fd on Linux and macOS only")


def nagle_off(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def test_connections_accepted_after_it_send_at_once_and_other_sockets_are_left_alone():
    with socket.socket(family=socket.AF_INET) as listening:  # as Streamlit 1.67 makes it: no protocol named
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        with socket.create_connection(listening.getsockname()) as before:
            accepted_before, _ = listening.accept()
            with accepted_before:
                assert not nagle_off(accepted_before)  # what the server's connections were like
                assert send_at_once.__wrapped__() >= 1  # (uncached: once per process in the app)
                assert not nagle_off(before)  # a connection, not a listening socket: left as it is
            with socket.create_connection(listening.getsockname()) as after:
                accepted_after, _ = listening.accept()
                with accepted_after:
                    assert nagle_off(accepted_after)
                    assert not nagle_off(after)
        assert nagle_off(listening)
