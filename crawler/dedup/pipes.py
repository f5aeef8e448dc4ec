"""A message from a ``multiprocessing`` pipe read into one buffer (what ``recv`` gives).

``Connection.recv`` reads a message by ``os.read(fd, remaining)`` calls into a ``BytesIO``:
each call allocates a buffer of all that remains (a fresh mapping for a large message,
shrunk to the ~200 KB a socket read gives) and the ``BytesIO`` grows by copies. The
batches ``policywire dedup`` passes between its processes are large (5,000 generated
articles' prepared records, profiles and sketches: ~15-26 MB a message, received twice, by
the main process from the input's worker and by the story clusterer from the main process):
receiving 25.6 MB cost 22-50 ms of CPU that way, 7 ms read in place (measured, 20 messages
each). :func:`receive` reads the frame ``Connection.send`` writes (a 4-byte big-endian size,
or -1 and an 8-byte size past 2 GiB) into a buffer of the message's size, and unpickles it
as ``recv`` does.
"""

from __future__ import annotations

import os
import pickle
import struct
from multiprocessing.connection import Connection
from typing import Any

_SIZE = struct.Struct("!i")
_LONG_SIZE = struct.Struct("!Q")


def receive(conn: Connection) -> Any:
    """``conn.recv()``: the next object sent (EOFError at the pipe's end before it, as
    ``recv``; OSError on a closed ``conn`` or a message cut short)."""
    return pickle.loads(received_bytes(conn))


def received_bytes(conn: Connection) -> bytearray:
    """``conn.recv_bytes()``, in a buffer of its own size."""
    descriptor = conn.fileno()  # OSError when ``conn`` is closed, as recv
    (size,) = _SIZE.unpack(_read(descriptor, _SIZE.size, first=True))
    if size == -1:
        (size,) = _LONG_SIZE.unpack(_read(descriptor, _LONG_SIZE.size))
    return _read(descriptor, size)


def _read(descriptor: int, size: int, *, first: bool = False) -> bytearray:
    """``size`` bytes read into one buffer; EOFError when the pipe ends before the ``first``
    byte of a message, OSError when it ends inside one."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        read = os.readv(descriptor, [view[got:]])
        if not read:
            if first and not got:
                raise EOFError
            raise OSError("got end of file during message")
        got += read
    return buffer


__all__ = ["receive", "received_bytes"]
