"""Page extraction in a spawned process pool gives what inline extraction gives, and the pool
does not outlive a crawl killed with SIGKILL."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crawler.errors import ExtractionCrashed
from crawler.extract import extract_page
from crawler.feeds import parse_feed
from crawler.spiders.pool import PageExtractor, default_workers
from tests.conftest import REPO, records_under, run_cli
from tests.sitesrv import SITE, FixtureSite
from tests.test_crawl_e2e import FEEDS, sources_toml


def test_pool_and_inline_extraction_agree_on_every_fixture_article() -> None:
    pages = sorted((SITE / "articles").glob("*.html"))
    assert pages
    extractor = PageExtractor(1)

    async def both() -> list[tuple[object, object]]:
        found = []
        for path in pages:
            markup = path.read_bytes().decode("utf-8", errors="replace")
            url = f"http://127.0.0.1/articles/{path.name}"
            found.append((await extractor.extract(markup, url), extract_page(markup, url)))
        return found

    try:
        pairs = asyncio.run(both())
    finally:
        extractor.close()
    assert all(pooled == inline for pooled, inline in pairs)
    assert extractor._pool is None  # closed


def test_no_pool_without_workers() -> None:
    extractor = PageExtractor(0)
    page = asyncio.run(extractor.extract("<html><h1>T</h1><p>x</p></html>", "http://h/a"))
    assert page == extract_page("<html><h1>T</h1><p>x</p></html>", "http://h/a")
    assert extractor._pool is None
    assert 0 <= default_workers() <= 4


# A crawl that extracts one page, says so, then waits to be killed.
_KILLED_CRAWL = """
import asyncio, time
from crawler.spiders.pool import PageExtractor
extractor = PageExtractor(1)
asyncio.run(extractor.extract("<html><h1>T</h1><p>x</p></html>", "http://h/a"))
print("extracted", flush=True)
time.sleep(60)
"""


def _children(pid: int) -> dict[int, str]:
    """The live processes whose parent is ``pid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent(int(entry.name)) == pid:
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    return found


def _parent(pid: int) -> int | None:
    """``pid``'s parent, None once it has exited (a zombie has exited too: PID 1 reaps it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = stat.rsplit(")", 1)[1].split()[:2]  # the name in parentheses may hold spaces
    return None if state in ("Z", "X") else int(ppid)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_pool_worker_and_resource_tracker_exit_when_the_crawl_is_sigkilled() -> None:
    with subprocess.Popen([sys.executable, "-c", _KILLED_CRAWL], cwd=REPO,
                          stdout=subprocess.PIPE, text=True) as crawl:
        try:
            assert crawl.stdout is not None and crawl.stdout.readline() == "extracted\n"
            left = _children(crawl.pid)
            assert any("spawn_main" in args for args in left.values())  # the pool's worker
        finally:
            crawl.kill()  # SIGKILL: no atexit, no pool shutdown
    left = _outlive(left, seconds=5)
    # On failure, leave nothing behind: the workers first, so that the resource tracker sees
    # them go and unlinks the pool's semaphores (a killed tracker leaves them in /dev/shm).
    for pid in (pid for pid, args in left.items() if "spawn_main" in args):
        os.kill(pid, signal.SIGKILL)
    for pid in _outlive(left, seconds=2):
        os.kill(pid, signal.SIGKILL)
    assert left == {}


def _outlive(processes: dict[int, str], seconds: float) -> dict[int, str]:
    """Those of ``processes`` still alive after up to ``seconds`` (sooner once all are gone)."""
    deadline = time.monotonic() + seconds
    while processes and time.monotonic() < deadline:
        time.sleep(0.05)
        processes = {pid: args for pid, args in processes.items() if _parent(pid) is not None}
    return processes


def test_a_crawl_killed_while_extracting_is_reported_once_by_its_rerun(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # cron mails whatever a run prints: a run killed (a timeout's SIGKILL, the OOM killer)
    # must be heard of, once, by the next run (else a crawl killed every night goes unseen),
    # and nothing else may be said. Before, the pool's resource tracker, outliving the killed
    # crawl on its stderr, warned "There appear to be 5 leaked semaphore objects to clean up
    # at shutdown" (semaphores it then unlinked: nothing to act on); and the rerun said
    # nothing of the kill.
    fresh_site.article_delay = 0.3
    sources = sources_toml(fresh_site, FEEDS[:2], tmp_path)
    args = ("crawl", "-q", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
            "--state-dir", str(tmp_path / "state"))
    env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"}
    with subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=tmp_path, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as run:
        deadline = time.monotonic() + 60
        while sum(p.startswith("/articles/") for _, p in fresh_site.arrivals) < 3:
            assert time.monotonic() < deadline and run.poll() is None
            time.sleep(0.05)
        time.sleep(0.5)  # pages in the pool
        run.kill()
        # The pipe's end comes once every process holding it is gone: the tracker too.
        _, killed_said = run.communicate(timeout=60)
    assert killed_said == ""
    fresh_site.article_delay = 0.0
    rerun = run_cli(*args, cwd=tmp_path)
    assert (rerun.code, rerun.stderr) == (
        0, f"policywire: the previous run (pid {run.pid}) did not finish (killed?); this run"
           " goes on from its state\n")
    assert records_under(tmp_path / "out")
    # The kill is in the rerun's runs.jsonl line too; a clean run after it says nothing.
    assert [line.get("previous_unfinished") for line in _runs(tmp_path / "out")] == [run.pid]
    again = run_cli(*args, cwd=tmp_path)
    assert (again.code, again.stderr) == (0, "")
    assert [line.get("previous_unfinished") for line in _runs(tmp_path / "out")] == [
        run.pid, None]


def _slow_crawl(site: FixtureSite, folder: Path, **popen: Any,
                ) -> tuple[subprocess.Popen[str], tuple[str, ...]]:
    """A quiet crawl of two fixture feeds whose pages answer slowly, started once some
    pages have arrived (some in the pool); and its command's arguments."""
    site.article_delay = 0.3
    sources = sources_toml(site, FEEDS[:2], folder)
    args = ("crawl", "-q", "--sources", str(sources), "--output-dir", str(folder / "out"),
            "--state-dir", str(folder / "state"))
    env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1",
           "POLICYWIRE_EXTRACT_WORKERS": "1"}
    run = subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=folder, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           **popen)
    deadline = time.monotonic() + 60
    while sum(p.startswith("/articles/") for _, p in site.arrivals) < 2:
        assert time.monotonic() < deadline and run.poll() is None
        time.sleep(0.05)
    return run, args


def _runs(output_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (output_dir / "runs.jsonl").read_text().splitlines()]


def test_what_a_worker_logs_is_logged_by_the_crawl(caplog: pytest.LogCaptureFixture) -> None:
    # A worker has no logging set up: Python's last-resort handler printed a parser's warning
    # raw on stderr (into --log-format json), and the crawl's level and format never saw it.
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
            b"<title>A</title><link>https://a.eu/1</link></item></channel></rss>")
    extractor = PageExtractor(1)
    try:
        with caplog.at_level(logging.WARNING, logger="crawler.feeds"):
            parsed = asyncio.run(extractor.run(parse_feed, feed, "https://a.eu/feed", None))
    finally:
        extractor.close()
    assert [e.link for e in parsed.entries] == ["https://a.eu/1"]
    [record] = [r for r in caplog.records if r.name == "crawler.feeds"]
    assert "salvaged 1 entries" in record.getMessage() and record.levelno == logging.WARNING


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_sent_to_the_whole_process_group_leaves_the_workers_to_the_crawl(
        fresh_site: FixtureSite, tmp_path: Path, sig: signal.Signals) -> None:
    # systemd's stop signals every process of the unit, a terminal's Ctrl-C the whole
    # foreground group: the pool's workers get the signal too. Before, SIGTERM killed them
    # and every page after was written as a record with page_error "extraction_failed:
    # BrokenProcessPool" (the run blamed the sources: "no page fetched from ..."); SIGINT's
    # KeyboardInterrupt broke the pool and left the crawl hanging after its end, its
    # twisted thread never stopped. The crawl alone decides when its workers end.
    run, _ = _slow_crawl(fresh_site, tmp_path, start_new_session=True)
    with run:
        os.killpg(run.pid, sig)
        try:
            _, said = run.communicate(timeout=60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 1, said
    assert "Traceback" not in said and "no page fetched" not in said, said
    assert [r["page_error"] for r in records_under(tmp_path / "out") if r.get("page_error")
            and "Pool" in r["page_error"]] == []
    assert _runs(tmp_path / "out")[-1]["interrupted"] is True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_worker_killed_mid_crawl_is_replaced_and_its_pages_extracted(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # The OOM killer picks the largest process: often a worker extracting a huge page.
    # Before, the pool was broken for the rest of the run: every later page became a record
    # with page_error "extraction_failed: BrokenProcessPool" (28 of 30 in a trial), the run
    # blamed the sources ("no page fetched from ...") and the next run revised each one.
    run, _ = _slow_crawl(fresh_site, tmp_path)
    with run:
        workers = [pid for pid, line in _children(run.pid).items() if "spawn_main" in line]
        assert workers
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        _, said = run.communicate(timeout=90)
    broken = [r["url"] for r in records_under(tmp_path / "out")
              if "BrokenProcessPool" in (r.get("page_error") or "")]
    assert broken == []
    assert (run.returncode, said) == (0, "")


def _piece(name: str) -> str:
    """Pool work: ``"killer"`` kills its worker every time it runs (as a page the OOM killer
    picks does); any other name is a page that takes a moment, so it is in the pool then."""
    time.sleep(0.1 if name == "killer" else 0.5)
    if name == "killer":
        os.kill(os.getpid(), signal.SIGKILL)
    return name


def test_a_piece_that_kills_every_worker_fails_alone() -> None:
    # Before, the pieces in a pool a killer page broke were each taken again in a new pool,
    # all at once: the killer broke that one too, and the other pages in it failed for good
    # (page_error "extraction_failed: BrokenProcessPool"). Now each is taken again alone:
    # only the killer fails, and says why.
    extractor = PageExtractor(2)
    names = ["a", "killer", "b", "c", "d"]

    async def all_of_them() -> list[str | BaseException]:
        return await asyncio.gather(*(extractor.run(_piece, n) for n in names),
                                    return_exceptions=True)

    try:
        results = asyncio.run(all_of_them())
    finally:
        extractor.close()
    crashed = results.pop(1)
    assert results == ["a", "b", "c", "d"]
    assert isinstance(crashed, ExtractionCrashed), repr(crashed)
    assert "twice" in str(crashed)
