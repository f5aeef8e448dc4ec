"""A message read from a multiprocessing pipe into one buffer: what ``Connection.recv`` gives,
in the frames ``Connection.send`` writes, with fewer copies."""

from __future__ import annotations

import multiprocessing
import threading
import tracemalloc

import numpy as np
import pytest

from crawler.dedup.pipes import receive, received_bytes


def _sent(*messages: object, raw: bool = False) -> multiprocessing.connection.Connection:
    """The receiving end of a pipe whose other end sends ``messages`` (``raw``: bytes, by
    ``send_bytes``; from a thread: a large one fills the socket before it is read) and then
    closes."""
    ours, theirs = multiprocessing.Pipe(duplex=True)

    def send() -> None:
        for message in messages:
            if raw:
                assert isinstance(message, bytes)
                theirs.send_bytes(message)
            else:
                theirs.send(message)
        theirs.close()

    threading.Thread(target=send, daemon=True).start()
    return ours


def test_each_message_is_what_recv_gives_small_and_large_then_eof() -> None:
    rng = np.random.default_rng(3)
    # Around the frame's split (a header sent apart past 16,384 bytes) and a few MB.
    messages = [None, b"", "x" * 16_000, b"y" * 16_384, list(range(5_000)),
                (rng.integers(0, 2**31, 1_000_000), {"profiles": b"z" * 3_000_000})]
    conn = _sent(*messages)
    for expected in messages[:-1]:
        assert receive(conn) == expected
    array, rest = receive(conn)
    assert np.array_equal(array, messages[-1][0]) and rest == messages[-1][1]
    with pytest.raises(EOFError):
        receive(conn)


def test_a_large_message_is_held_once_while_it_is_read() -> None:
    # Connection.recv_bytes holds more than the message at its peak (1.1-1.7x measured):
    # every read allocates what remains of it, and its BytesIO grows by copies.
    data = bytes(range(256)) * (8 * 4096)  # 8 MiB
    peaks = []
    for read in (lambda conn: conn.recv_bytes(), received_bytes):
        conn = _sent(data, raw=True)
        tracemalloc.start()
        got = read(conn)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert got == data
    stock, ours = peaks
    assert ours < 1.01 * len(data) < stock


def test_a_closed_connection_is_an_os_error_as_for_recv() -> None:
    conn = _sent()
    conn.close()
    with pytest.raises(OSError):
        receive(conn)
