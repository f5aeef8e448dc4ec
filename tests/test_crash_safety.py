"""kill -9 of the real crawler at many points, then a rerun: nothing lost, nothing doubled."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.delivery import check_jsonl
from tests.conftest import kill_a_lock_holder, records_under
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import FEEDS, crawl, scrapy_crawl, sources_toml

KILL_AFTER_SECONDS = (0.4, 1.2, 2.0, 2.8, 3.6, 4.4)


def _start(site: FixtureSite, folder: Path,
           stderr: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    sources = sources_toml(site, FEEDS, folder)
    env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
         "--output-dir", str(folder / "out"), "--state-dir", str(folder / "state")],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
    )


def _identity(folder: Path) -> list[tuple[str, str, int, str]]:
    return sorted((r["url"], r["content_hash"], r["revision"], r["story_id"])
                  for r in records_under(folder))


@pytest.mark.slow
def test_killed_runs_then_a_rerun_equal_one_clean_run(fresh_site: FixtureSite,
                                                      tmp_path: Path) -> None:
    fresh_site.article_delay = 0.05
    clean = tmp_path / "clean"
    clean.mkdir()
    assert crawl(fresh_site, clean).code == 1  # partial: the garbage feed
    killed = tmp_path / "killed"
    killed.mkdir()
    for delay in KILL_AFTER_SECONDS:
        proc = _start(fresh_site, killed)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert crawl(fresh_site, killed).code == 1
    for path in (killed / "out").rglob("*.jsonl"):
        check_jsonl(path)  # every file valid: torn tails were moved to quarantine
    assert _identity(killed / "out") == _identity(clean / "out")
    ids = [r["id"] for r in records_under(killed / "out")]
    assert len(ids) == len(set(ids))
    # A further rerun appends nothing.
    before = _identity(killed / "out")
    assert crawl(fresh_site, killed).code == 1
    assert _identity(killed / "out") == before
    runs = [json.loads(line) for line in (killed / "out" / "runs.jsonl").read_text().splitlines()]
    assert runs[-1]["totals"]["records"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_run_stopped_by_a_signal_then_a_rerun_equal_one_clean_run(
        fresh_site: FixtureSite, tmp_path: Path, sig: signal.Signals) -> None:
    # Scrapy stops gracefully on SIGTERM/SIGINT (cron's timeout, systemctl stop, Ctrl-C) and
    # the run commits what it has. Before, it also stored its feeds' validators, so the rerun
    # got 304 everywhere and the entries the stopped run never fetched were lost unseen.
    fresh_site.etags.update({path: f'"{path}-v1"' for path in FEEDS})
    clean = tmp_path / "clean"
    clean.mkdir()
    assert crawl(fresh_site, clean).code == 1  # partial: the garbage feed
    fresh_site.article_delay = 0.3
    stopped = tmp_path / "stopped"
    stopped.mkdir()
    seen = len(fresh_site.arrivals)
    proc = _start(fresh_site, stopped)
    deadline = time.monotonic() + 30
    while not any(path.startswith("/articles/") for _, path in fresh_site.arrivals[seen:]):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(sig)
    assert proc.wait(timeout=60) == 1
    runs = [json.loads(line) for line in (stopped / "out" / "runs.jsonl").read_text().splitlines()]
    assert runs[-1]["interrupted"] is True
    assert runs[-1]["totals"]["records"] < len(_identity(clean / "out"))  # it was cut short
    fresh_site.article_delay = 0.0
    assert crawl(fresh_site, stopped).code == 1
    assert _identity(stopped / "out") == _identity(clean / "out")


def test_scrapy_crawl_names_a_run_killed_holding_the_state_lock(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # `scrapy crawl` takes the state lock itself (crawler/commands/crawl.py): a run killed
    # holding it is said once on its stderr and named in its runs.jsonl line, as by
    # `policywire crawl` (tests/test_pool.py kills a real one). Before, not a word.
    killed = kill_a_lock_holder(tmp_path / "st")
    arguments = ("feed", "-a", f"url={fresh_site.url(FEEDS[1])}",
                 "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1")
    run = scrapy_crawl(tmp_path, *arguments)
    assert run.code == 0, run.stderr
    said = (f"policywire: the previous run (pid {killed}) did not finish (killed?); this run"
            " goes on from its state\n")
    assert run.stderr.count(said) == 1, run.stderr
    again = scrapy_crawl(tmp_path, *arguments)
    assert again.code == 0 and "did not finish" not in again.stderr, again.stderr
    runs = [json.loads(line) for line in (tmp_path / "out" / "runs.jsonl").read_text().splitlines()]
    assert [line.get("previous_unfinished") for line in runs] == [killed, None]


def test_a_second_stop_signal_says_nothing_was_written_and_names_no_missing_file(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # A second SIGTERM (an impatient operator, a supervisor's repeat) makes Scrapy stop at
    # once, before the merge: nothing is written. The last line said "see .../runs.jsonl",
    # a file the run never wrote (nor any run before it).
    fresh_site.article_delay = 0.3
    seen = len(fresh_site.arrivals)
    proc = _start(fresh_site, tmp_path, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not any(path.startswith("/articles/") for _, path in fresh_site.arrivals[seen:]):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, said = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert not (tmp_path / "out" / "runs.jsonl").exists()
    assert said.decode().splitlines()[-1] == (
        "policywire: run ended with problems: the crawl was stopped before its merge stage: it"
        " wrote nothing (the next run fetches it all again)")
