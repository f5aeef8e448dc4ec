"""A Redis that takes connections and never answers: a loopback TCP server that accepts and
reads nothing, or a real redis-server stopped with SIGSTOP (the kernel still takes its
connections and the bytes sent; nothing replies). And a call run with a deadline, so that a
test of a hang fails instead of hanging."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from tests.redisrv import RedisServer


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """The URL of a server on 127.0.0.1 that accepts every connection and never replies."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    taken: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                taken.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://:secret@127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        done.set()
        thread.join()
        for conn in (*taken, listener):
            conn.close()


@contextlib.contextmanager
def frozen(server: RedisServer) -> Iterator[None]:
    """``server`` stopped (SIGSTOP) for the block, then continued."""
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(server.process.pid, signal.SIGCONT)


def within(seconds: float, call: Callable[[], Any]) -> tuple[float, BaseException | None]:
    """Run ``call`` in a thread; return how long it took and what it raised (None: nothing).
    Fails the test if it has not ended after ``seconds`` (the thread is left behind)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:  # handed to the test as it was raised
            outcome.append(exc)

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still waiting after {seconds} s: it hangs"
    return time.monotonic() - started, outcome[0]
