"""Scale-out end to end: a real redis-server, real RQ workers in their own processes, the
loopback fixture site. Two workers give what one machine gives; a killed worker loses nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import redis

from crawler.scaleout.keys import Keys
from crawler.state import RedisLock
from crawler.state.redis_client import READ_TIMEOUT_S
from tests.conftest import read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import FEEDS, sources_toml

pytestmark = pytest.mark.slow


def _worker(redis_url: str, namespace: str, folder: Path, name: str) -> subprocess.Popen[bytes]:
    """``policywire worker --burst`` in its own session (so kill -9 reaches its work horse)."""
    args = ["worker", "--redis", redis_url, "--namespace", namespace, "--burst",
            "--output-dir", str(folder / f"out-{name}"), "--state-dir", str(folder / f"st-{name}")]
    env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"}
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def _enqueue(redis_url: str, namespace: str, sources: Path, folder: Path,
             *extra: str) -> None:
    run = run_cli("enqueue", "--sources", str(sources), "--redis", redis_url,
                  "--namespace", namespace, *extra, cwd=folder)
    assert run.code == 0, run.stderr


def _finish(proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err.decode()[-3000:]


def _outputs(folder: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    records = [r for out in sorted(folder.glob("out-*")) for r in records_under(out)]
    rejects = [r for out in sorted(folder.glob("out-*")) for r in rejects_under(out)]
    return records, rejects


def _stories(records: list[dict[str, Any]]) -> dict[str, tuple[str, str | None]]:
    return {r["id"]: (r["story_id"], r["duplicate_of"]) for r in records}


def _kill_session(session: int) -> list[int]:
    """SIGKILL every process of a session: RQ's work horse sits in a process group of its
    own, so killing the worker's group would leave the crawl running."""
    victims = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # field 6 of /proc/PID/stat: the session id
            victims.append(int(stat.parent.name))
    for pid in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return victims


def _reject_keys(rejects: list[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    return Counter((r["source"], r["url"] or "", r["reason"]) for r in rejects)


@pytest.fixture(scope="module")
def single(site: FixtureSite, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What one machine gives for the fixture sources: the reference."""
    folder = tmp_path_factory.mktemp("single")
    sources = sources_toml(site, FEEDS, folder)
    run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(folder / "out"),
                  "--state-dir", str(folder / "state"), cwd=folder)
    assert run.code == 1, run.stderr  # partial: garbage.xml yields nothing
    records = records_under(folder / "out")
    assert len(records) >= 10 and any(r["duplicate_of"] for r in records), run.stderr
    return {"records": records, "rejects": rejects_under(folder / "out")}


def test_two_workers_give_what_one_machine_gives(
    site: FixtureSite, redis_url: str, single: dict[str, Any], tmp_path: Path
) -> None:
    namespace = f"t{secrets.token_hex(4)}"
    sources = sources_toml(site, FEEDS, tmp_path)
    before = dict(site.hits)
    since = len(site.arrivals)
    _enqueue(redis_url, namespace, sources, tmp_path)
    workers = [_worker(redis_url, namespace, tmp_path, name) for name in ("a", "b")]
    for proc in workers:
        _finish(proc)
    records, rejects = _outputs(tmp_path)

    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an entry was written twice"
    assert _stories(records) == _stories(single["records"])
    # Each merge reports the unparseable feed once (as two runs of one machine would).
    assert set(_reject_keys(rejects)) == set(_reject_keys(single["rejects"]))
    articles = {p: n - before.get(p, 0) for p, n in site.hits.items()
                if p.startswith("/articles/") and n > before.get(p, 0)}
    assert articles and max(articles.values()) == 1, f"fetched more than once: {articles}"
    # One pace per host across both workers: DOWNLOAD_DELAY (0.25 s) between any two requests
    # (less a little for the time between the reservation and the request's arrival).
    times = sorted(t for t, _ in site.arrivals[since:])
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) > 20 and min(gaps) > 0.2, sorted(gaps)[:5]
    manifests = [m for out in tmp_path.glob("out-*") if (out / "runs.jsonl").exists()
                 for m in read_jsonl(out / "runs.jsonl")]
    assert len(manifests) == 1, "one round, one merge"
    assert manifests[0]["totals"]["records"] == len(records)


def test_a_rerun_after_a_killed_worker_loses_nothing(
    site: FixtureSite, redis_url: str, single: dict[str, Any], tmp_path: Path
) -> None:
    # The fixture site of `single` (same URLs, so the same record ids) slowed down, so that
    # the kill lands mid-crawl.
    namespace = f"t{secrets.token_hex(4)}"
    sources = sources_toml(site, FEEDS, tmp_path)
    site.article_delay = 0.2
    try:
        _enqueue(redis_url, namespace, sources, tmp_path, "--lock-ttl", "2")
        first = _worker(redis_url, namespace, tmp_path, "killed")
        started = sum(site.hits.values())
        deadline = time.monotonic() + 60
        while sum(site.hits.values()) < started + 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        killed = _kill_session(first.pid)
        first.communicate(timeout=30)  # reaps it and closes its pipes
        assert len(killed) >= 2, "the worker and its work horse"
        _finish(_worker(redis_url, namespace, tmp_path, "b"))  # the rest of the round
        time.sleep(2.5)  # the killed job's source lock expires (--lock-ttl 2)
        _enqueue(redis_url, namespace, sources, tmp_path, "--lock-ttl", "2")
        _finish(_worker(redis_url, namespace, tmp_path, "c"))
    finally:
        site.article_delay = 0.0
    records, rejects = _outputs(tmp_path)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an entry was written twice"
    assert _stories(records) == _stories(single["records"])
    # Each merge reports the unparseable feed once (as two runs of one machine would).
    assert set(_reject_keys(rejects)) == set(_reject_keys(single["rejects"]))


def test_a_worker_killed_waiting_to_merge_leaves_its_round_to_the_next(
    site: FixtureSite, redis_url: str, single: dict[str, Any], tmp_path: Path
) -> None:
    # Its round crawled and handed over, the worker that completed it waits for the merge
    # lock (held here, as by another worker's long merge) and is killed there.
    namespace = f"t{secrets.token_hex(4)}"
    keys = Keys(namespace)
    client = redis.Redis.from_url(redis_url)
    merging = RedisLock(client, keys.merge_lock, 600)
    sources = sources_toml(site, FEEDS, tmp_path)
    _enqueue(redis_url, namespace, sources, tmp_path)
    first = _worker(redis_url, namespace, tmp_path, "killed")
    try:
        # Once it is crawling: the worker's start-up takes the merge lock for a moment too.
        deadline = time.monotonic() + 120
        while client.xlen(keys.batches) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert merging.acquire(blocking=True, timeout=30)
        while client.xlen(keys.batches) < len(FEEDS) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.xlen(keys.batches) == len(FEEDS), "every job handed its batch over"
        time.sleep(1)  # the last job now waits for the lock
        assert first.poll() is None
        _kill_session(first.pid)
        first.communicate(timeout=30)
    finally:
        merging.release()
    _enqueue(redis_url, namespace, sources, tmp_path)
    _finish(_worker(redis_url, namespace, tmp_path, "next"))
    records, rejects = _outputs(tmp_path)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an entry was written twice"
    assert _stories(records) == _stories(single["records"])
    assert set(_reject_keys(rejects)) == set(_reject_keys(single["rejects"]))
    assert records_under(tmp_path / "out-killed") == []
    # One merge, the next round's, of both rounds' batches; nothing left waiting.
    [manifest] = read_jsonl(tmp_path / "out-next" / "runs.jsonl")
    assert manifest["totals"]["records"] == len(records)
    assert client.xlen(keys.batches) == 0


class _IdleWorker:
    """``policywire worker`` without ``--burst`` on an empty queue, its log read as it comes:
    a test waits for it to listen (its start-up takes seconds, more under load) instead of
    guessing how long that takes."""

    def __init__(self, redis_url: str, folder: Path) -> None:
        args = ["worker", "--redis", redis_url, "--namespace", f"t{secrets.token_hex(4)}",
                "--output-dir", str(folder / "out"), "--state-dir", str(folder / "st"),
                "--log-level", "INFO"]
        self.proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=folder,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.lines: list[str] = []
        self.listening = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            self.lines.append(raw.decode(errors="replace"))
            if "Listening on" in self.lines[-1]:  # RQ's line once it waits for jobs
                self.listening.set()

    def stop(self) -> float:
        """SIGTERM (RQ's warm shutdown); the seconds it took the worker to end."""
        sent = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=90)
        finally:
            took = time.monotonic() - sent
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._reader.join(timeout=10)
            if self.proc.stderr is not None:
                self.proc.stderr.close()
        return took

    @property
    def log(self) -> str:
        return "".join(self.lines)[-3000:]


def test_an_idle_worker_outlives_the_state_read_timeout(redis_url: str, tmp_path: Path) -> None:
    # A guard, not a fix: RQ waits for a job in BLMOVE (minutes) and the state's client
    # gives a command READ_TIMEOUT_S; a BLMOVE on the connection PING made (queue.work) would
    # end the idle worker then ("Redis connection timeout, quitting"). Counted from the
    # worker's first wait for a job: under load its start-up alone took the 9 s once.
    idle = _IdleWorker(redis_url, tmp_path)
    try:
        assert idle.listening.wait(timeout=120), idle.log
        time.sleep(READ_TIMEOUT_S + 4)
        alive = idle.proc.poll() is None
    finally:
        idle.stop()
    assert alive, idle.log
    assert "TimeoutError" not in idle.log, idle.log


def test_a_sigterm_ends_a_worker_that_has_just_begun_to_listen(redis_url: str,
                                                               tmp_path: Path) -> None:
    idle = _IdleWorker(redis_url, tmp_path)
    try:
        assert idle.listening.wait(timeout=120), idle.log
        time.sleep(0.5)
    finally:
        took = idle.stop()
    # Before: 60 s (RQ's pubsub thread, stopped by redis-py 8.2's unbounded join, sat out
    # its 60 s wait), past the 60 s the test above gave it under load.
    assert idle.proc.returncode == 0 and took < 20, (took, idle.log)
