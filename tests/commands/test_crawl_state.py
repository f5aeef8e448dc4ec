"""``scrapy crawl`` checks the state as ``policywire crawl`` does, before any request: each
state it cannot use is one line on stderr and policywire's exit code.

Before, a read-only look without the lock passed over every state it could not open, and
the merge stage refused it after the whole crawl, with a traceback and exit 1."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.state import StateStore
from tests.conftest import REPO, Run, run_cli
from tests.redisrv import free_port
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import FEEDS, scrapy_crawl

LOOPBACK = {"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"}


def _garbage(state: Path) -> None:
    state.mkdir()
    (state / "state.sqlite3").write_bytes(b"not a database " * 100)


def _empty(state: Path) -> None:
    state.mkdir()
    (state / "state.sqlite3").touch()


def _not_a_file(state: Path) -> None:  # unopenable whatever the user (tests run as root)
    (state / "state.sqlite3").mkdir(parents=True)


@pytest.mark.parametrize(("spoil", "code", "said"), [
    (_garbage, 65, "the state database is damaged"),
    (_empty, 65, "the state database is empty (0 bytes)"),
    (_not_a_file, 74, "cannot write the state database"),
])
def test_scrapy_crawl_refuses_a_state_it_cannot_open_in_one_line(
        fresh_site: FixtureSite, tmp_path: Path, spoil: Callable[[Path], None], code: int,
        said: str) -> None:
    spoil(tmp_path / "st")
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"url={fresh_site.url(FEEDS[1])}",
                       env=LOOPBACK)
    assert run.code == code, run.stderr
    assert run.stderr.count("\n") == 1 and said in run.stderr, run.stderr
    assert fresh_site.hits == {} and not (tmp_path / "out").exists()


def test_scrapy_crawl_refuses_a_state_another_run_holds(fresh_site: FixtureSite,
                                                         tmp_path: Path) -> None:
    # Before, it crawled everything while the other run held the lock, then the merge
    # raised LockHeld as a traceback.
    (tmp_path / "st").mkdir()
    with (tmp_path / "st" / "lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run = scrapy_crawl(tmp_path, "policywire", "-a", f"url={fresh_site.url(FEEDS[1])}",
                           env=LOOPBACK)
    assert run.code == 75, run.stderr
    assert run.stderr.count("\n") == 1 and "another policywire run holds" in run.stderr
    assert fresh_site.hits == {}
    again = scrapy_crawl(tmp_path, "policywire", "-a", f"url={fresh_site.url(FEEDS[1])}",
                         env=LOOPBACK)
    assert again.code == 0, again.stderr  # and the crawl's own lock was released at its end
    assert fresh_site.hits


@pytest.mark.slow
def test_scrapy_crawl_refuses_a_state_database_another_process_locks(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # A foreign process (an sqlite3 shell) that keeps the database locked: SQLite's busy
    # timeout (30 s) passes, then one line and exit 75 ("try again later"), no request.
    state = tmp_path / "st"
    StateStore(state).close()
    with subprocess.Popen([sys.executable, "-c", _HOLD, str(state / "state.sqlite3")],
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        run = scrapy_crawl(tmp_path, "policywire", "-a", f"url={fresh_site.url(FEEDS[1])}",
                           env=LOOPBACK)
        holder.kill()
    assert run.code == 75, run.stderr
    assert run.stderr.count("\n") == 1 and "locked by another process" in run.stderr
    assert fresh_site.hits == {}


_HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode=EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(300)
"""


@pytest.mark.parametrize("answering", [True, False])
def test_scrapy_crawl_refuses_a_redis_state_in_one_line(
        fresh_site: FixtureSite, tmp_path: Path, redis_url: str, answering: bool) -> None:
    # Before, the spider read the Redis state (a server down: an asyncio traceback) and the
    # merge wrote a SQLite state into a local directory named "redis:".
    url = redis_url if answering else f"redis://127.0.0.1:{free_port()}/0"
    run = _scrapy_crawl_on(url, tmp_path, "policywire", "-a",
                           f"url={fresh_site.url(FEEDS[1])}")
    assert run.code == 2, run.stderr
    assert run.stderr.count("\n") == 1 and "policywire worker" in run.stderr, run.stderr
    assert fresh_site.hits == {} and not (tmp_path / "redis:").exists()


def _scrapy_crawl_on(state: str, folder: Path, *args: str) -> Run:
    """``scrapy crawl`` with ``state`` as its POLICYWIRE_STATE_DIR (scrapy_crawl gives one
    of its own, last)."""
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", *args, "-s",
         f"POLICYWIRE_OUTPUT_DIR={folder / 'out'}", "-s", f"POLICYWIRE_STATE_DIR={state}",
         "-s", "LOG_LEVEL=WARNING"],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, **LOOPBACK, "SCRAPY_SETTINGS_MODULE": "crawler.settings",
             "PYTHONPATH": str(REPO)})
    return Run(proc.returncode, proc.stdout, proc.stderr)


def test_policywire_crawl_refuses_a_redis_state_dir_in_one_line(tmp_path: Path,
                                                                redis_url: str) -> None:
    # Before, scrape died in a traceback ("Crawler.stats is not set yet") after making a
    # local directory named "redis:".
    for args in (["scrape", "https://example.org/feed.xml"], ["crawl"]):
        run = run_cli(*args, "--state-dir", redis_url, cwd=tmp_path)
        assert run.code == 2, run.stderr
        assert run.stderr.count("\n") == 1 and "policywire enqueue" in run.stderr, run.stderr
    assert not (tmp_path / "redis:").exists()
