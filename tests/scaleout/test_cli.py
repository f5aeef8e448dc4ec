"""The scale-out commands' errors: one line and an exit code, never a traceback."""

from __future__ import annotations

import json
import secrets
import socket
from dataclasses import asdict
from pathlib import Path

from crawler.state import RedisStateStore
from crawler.state.redis_client import connect
from crawler.stories import StoryParams
from tests.conftest import Run, run_cli
from tests.redisrv import start
from tests.state.silent import silent_server


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_enqueue_and_worker_name_an_unreachable_redis(tmp_path: Path) -> None:
    url = f"redis://:secret@127.0.0.1:{_closed_port()}/0"
    for args in (["enqueue"], ["worker", "--burst"]):
        run = run_cli(*args, "--redis", url, cwd=tmp_path)
        assert run.code == 69, run.stderr  # EX_UNAVAILABLE: a service down (it was 1)
        assert run.stderr.startswith("policywire: ") and "Traceback" not in run.stderr
        assert run.stderr.count("\n") == 1, run.stderr
        assert "127.0.0.1" in run.stderr and "secret" not in run.stderr


def test_a_stopped_redis_server_is_unavailable_not_a_partial_run(tmp_path: Path) -> None:
    # Before, exit 1, which a cron wrapper reads as "some sources failed".
    server = start(tmp_path)
    server.stop()
    for args in (["enqueue"], ["worker", "--burst"]):
        run = run_cli(*args, "--redis", server.url, cwd=tmp_path)
        assert run.code == 69, run.stderr
        assert run.stderr.count("\n") == 1 and "cannot connect to Redis" in run.stderr


def test_a_redis_that_never_answers_is_unavailable_within_seconds(tmp_path: Path) -> None:
    # Before, with redis-py 5-7, both waited for the PING's answer for ever.
    with silent_server() as url:
        for args in (["enqueue"], ["worker", "--burst"]):
            run = run_cli(*args, "--redis", url, cwd=tmp_path, timeout=60)
            assert run.code == 69, run.stderr
            assert run.stderr.count("\n") == 1 and "TimeoutError" in run.stderr, run.stderr


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
    run = _enqueue(tmp_path, redis_url, namespace)
    assert run.code == 78, run.stderr
    assert run.stderr.count("\n") == 1 and "0123456789abcdef" in run.stderr
    client = connect(redis_url)
    assert client.llen(f"rq:queue:{namespace}") == 0  # nothing queued for the workers
    client.close()


def test_a_refusal_of_a_redis_state_names_a_new_namespace_not_reindex(
    tmp_path: Path, redis_url: str
) -> None:
    # Before, it told a scale-out user to run `policywire reindex`, which rebuilds a state
    # directory only (and named hashes only, not the parameters).
    namespace = f"t{secrets.token_hex(4)}"
    state = RedisStateStore(redis_url, namespace=namespace)
    made = StoryParams(content_threshold=0.2)  # as a run with --story-threshold 0.2 marks it
    state.set_story_params_fingerprint(made.fingerprint())
    state.set_meta("story_params_values", json.dumps(asdict(made)))
    state.close()
    run = _enqueue(tmp_path, redis_url, namespace)
    assert run.code == 78 and run.stderr.count("\n") == 1, run.stderr
    assert "content_threshold=0.2 (this run: 0.12)" in run.stderr, run.stderr
    assert f"--namespace other than '{namespace}'" in run.stderr, run.stderr
    # enqueue takes the --story-* options: the way back to the stored values, without the
    # crawl's rerun (scrapy crawl -s) a scale-out user has no use for.
    assert "enqueue with --story-threshold 0.2, or" in run.stderr, run.stderr
    assert "--state-dir" not in run.stderr and "scrapy crawl" not in run.stderr


def test_a_redis_state_of_other_signatures_names_a_new_namespace_not_reindex(
    tmp_path: Path, redis_url: str
) -> None:
    # Before, enqueue's signature check told a scale-out user to run `policywire reindex`.
    namespace = f"t{secrets.token_hex(4)}"
    state = RedisStateStore(redis_url, namespace=namespace)
    state.set_params_fingerprint("made-by-another-version")
    state.close()
    run = _enqueue(tmp_path, redis_url, namespace)
    assert run.code == 78 and run.stderr.count("\n") == 1, run.stderr
    assert "stored signatures were made with other parameters" in run.stderr, run.stderr
    assert f"--namespace other than '{namespace}'" in run.stderr, run.stderr
    assert "--state-dir" not in run.stderr, run.stderr


def _enqueue(tmp_path: Path, redis_url: str, namespace: str) -> Run:
    """``policywire enqueue`` of one (unreachable) source into ``namespace``."""
    sources = tmp_path / "s.toml"
    sources.write_text('[[sources]]\nname = "x"\nurl = "https://x.example/feed"\n',
                       encoding="utf-8")
    return run_cli("enqueue", "--sources", str(sources), "--redis", redis_url,
                   "--namespace", namespace, cwd=tmp_path)
