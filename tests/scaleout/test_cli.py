"""The scale-out commands' errors: one line and an exit code, never a traceback."""

from __future__ import annotations

import secrets
import socket
from pathlib import Path

from crawler.state import RedisStateStore
from crawler.state.redis_client import connect
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


def test_enqueue_on_a_state_of_other_story_parameters_stops_before_any_job(
    tmp_path: Path, redis_url: str
) -> None:
    # After an upgrade that changed story matching, every round's workers fetched their
    # sources and then each merge failed with IncompatibleState in the worker's log; enqueue
    # said nothing and exited 0, round after round.
    namespace = f"t{secrets.token_hex(4)}"
    state = RedisStateStore(redis_url, namespace=namespace)
    state.set_story_params_fingerprint("0123456789abcdef")  # what an older version stored
    state.close()
    sources = tmp_path / "s.toml"
    sources.write_text('[[sources]]\nname = "x"\nurl = "https://x.example/feed"\n',
                       encoding="utf-8")
    run = run_cli("enqueue", "--sources", str(sources), "--redis", redis_url,
                  "--namespace", namespace, cwd=tmp_path)
    assert run.code == 78, run.stderr
    assert run.stderr.count("\n") == 1 and "0123456789abcdef" in run.stderr
    client = connect(redis_url)
    assert client.llen(f"rq:queue:{namespace}") == 0  # nothing queued for the workers
    client.close()
