"""A real, throwaway ``redis-server`` for tests: loopback, a free port, nothing persisted.

The Redis state's promises (MULTI/EXEC, Lua upserts, lease expiry, server time) are the
server's behaviour, so tests run against the real thing rather than a mock.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import redis

INSTALL_HINT = "redis-server is not installed: apt-get install -y redis-server"


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(directory: Path, attempts: int = 3, port: int | None = None) -> RedisServer:
    """Start ``redis-server`` in ``directory`` (on ``port``: one stopped before, restarted);
    returns once it answers PING."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise RuntimeError(INSTALL_HINT)
    for attempt in range(attempts):
        server = _launch(executable, directory, attempt, port)
        if _answers(server):
            return server
        server.stop()
    raise RuntimeError(f"redis-server did not start; see {server.log}")


def free_port() -> int:
    """A port nothing listens on (just now: the OS handed it out and it was closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _launch(executable: str, directory: Path, attempt: int, port: int | None) -> RedisServer:
    port = port or free_port()
    log = directory / f"redis-{attempt}.log"
    args = [executable, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
            "--appendonly", "no", "--dir", str(directory), "--logfile", str(log)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return RedisServer(f"redis://127.0.0.1:{port}/0", process, log)


def _answers(server: RedisServer, timeout: float = 10.0) -> bool:
    client = redis.Redis.from_url(server.url, socket_connect_timeout=1)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and server.process.poll() is None:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                time.sleep(0.02)
        return False
    finally:
        client.close()
