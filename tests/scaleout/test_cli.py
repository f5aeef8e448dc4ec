"""The scale-out commands' errors: one line and an exit code, never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import run_cli


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_enqueue_and_worker_name_an_unreachable_redis(tmp_path: Path) -> None:
    url = f"redis://:secret@127.0.0.1:{_closed_port()}/0"
    for args in (["enqueue"], ["worker", "--burst"]):
        run = run_cli(*args, "--redis", url, cwd=tmp_path)
        assert run.code == 1, run.stderr
        assert run.stderr.startswith("policywire: ") and "Traceback" not in run.stderr
        assert "127.0.0.1" in run.stderr and "secret" not in run.stderr


def test_a_redis_url_is_required(tmp_path: Path) -> None:
    run = run_cli("worker", "--redis", "localhost:6379", cwd=tmp_path)
    assert run.code == 78 and "redis://" in run.stderr


def test_enqueue_with_no_enabled_source_is_a_configuration_error(
    tmp_path: Path, redis_url: str
) -> None:
    sources = tmp_path / "s.toml"
    sources.write_text('[[sources]]\nname = "x"\nurl = "https://x.example/feed"\n'
                       'enabled = false\n', encoding="utf-8")
    run = run_cli("enqueue", "--sources", str(sources), "--redis", redis_url, cwd=tmp_path)
    assert run.code == 78 and "no enabled source" in run.stderr
