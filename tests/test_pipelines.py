"""The record pipeline accounts for every fetched entry, even under a file-size limit."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler import settings as crawler_settings
from crawler.models import Entry, Fetched
from crawler.pipelines import RecordPipeline
from crawler.spool import _BUFFER
from tests.conftest import records_under, rejects_under
from tests.redisrv import free_port
from tests.sitesrv import FixtureSite, pageless_feed
from tests.test_crawl_e2e import FEEDS, sources_toml

#: Over any file a crawl of one fixture feed writes, under the 68 MB language model
#: py3langid unpacked to a temporary file on its first use.
FILE_SIZE_LIMIT = 2 << 20


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def test_a_crawl_under_a_file_size_limit_builds_every_record(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # A file-size ulimit (as cron setups set) made building every record raise OSError
    # ("File too large": the language model's temporary file): each entry a record_failed
    # reject, the run a failure (exit 1), every run. Before that, Scrapy logged each item's
    # traceback and dropped it. The model is now decompressed in memory.
    sources = sources_toml(fresh_site, FEEDS[:1], tmp_path)
    args = ["crawl", "-q", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
            "--state-dir", str(tmp_path / "state")]
    env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"}
    limited = subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=tmp_path,
                             env=env, capture_output=True, text=True, timeout=120,
                             preexec_fn=_limit_file_size, check=False)
    assert limited.returncode == 0, limited.stderr
    run = json.loads((tmp_path / "out" / "runs.jsonl").read_text().splitlines()[-1])
    assert [r["reason"] for r in rejects_under(tmp_path / "out")
            if r["reason"] == "record_failed"] == []
    assert run["sources"]["fx0"]["records"] == len(records_under(tmp_path / "out")) > 0
    assert all(r["language"] for r in records_under(tmp_path / "out"))


def test_a_state_that_cannot_be_written_at_the_merge_is_one_line_exit_74(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # The state database failing mid-merge (a full disk) raised a bare sqlite3 error, which
    # the pipeline did not hand on: Scrapy logged its traceback (under -q too) and the run
    # said "the crawl was stopped before its merge stage", exit 1, though nothing stopped it.
    state = tmp_path / "state"

    def crawl(feed: str, limit: int | None) -> subprocess.CompletedProcess[str]:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[[sources]]\nname = "s0"\nurl = "{feed}"\nlanguage = "en"\n',
                           encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-m", "crawler.cli", "crawl", "-q", "--sources", str(sources),
             "--output-dir", str(tmp_path / "out"), "--state-dir", str(state),
             "--allow-private-addresses"], cwd=tmp_path, capture_output=True, text=True,
            timeout=120, check=False, preexec_fn=None if limit is None else
            lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))

    crawl(pageless_feed(fresh_site, "/first.rss", f"http://127.0.0.1:{free_port()}"), None)
    runs = (tmp_path / "out" / "runs.jsonl").read_text(encoding="utf-8")
    # The database may not grow: the merge's first writes past its size fail.
    # The run's spool, beside it under the same limit, must fit: 30 entries, not 40, since
    # each record now keeps three URL keys (one feed read by two sources, branch trial).
    limited = crawl(pageless_feed(fresh_site, "/second.rss", f"http://127.0.0.1:{free_port()}",
                                  count=30), (state / "state.sqlite3").stat().st_size)
    assert limited.returncode == 74, limited.stderr
    assert "Traceback" not in limited.stderr and "stopped" not in limited.stderr
    assert limited.stderr.splitlines()[-1].startswith(f"policywire: {state}: the merge could"
                                                      " not write the state"), limited.stderr
    assert (tmp_path / "out" / "runs.jsonl").read_text(encoding="utf-8") == runs


def _pipeline(tmp_path: Path) -> RecordPipeline:
    """The pipeline as a crawl builds it, with the package's settings, on a real state."""
    settings = {name: getattr(crawler_settings, name) for name in dir(crawler_settings)
                if name.startswith("POLICYWIRE_")}
    settings |= {"POLICYWIRE_OUTPUT_DIR": str(tmp_path / "out"),
                 "POLICYWIRE_STATE_DIR": str(tmp_path / "state"), "POLICYWIRE_RUN_ID": "r1"}
    return RecordPipeline.from_crawler(get_crawler(settings_dict=settings))


def _fetched(n: int, path: str) -> Fetched:
    return Fetched(source="s0", feed_url="https://news.example/feed.xml", page_error="http_404",
                   entry=Entry(link=f"https://news.example/{path}/{n}", title=f"Treaty talks {n}",
                               published="2026-11-28T06:00:00Z"))


def test_an_entry_whose_record_could_not_be_kept_is_rejected_under_its_encoded_url(
        tmp_path: Path) -> None:
    # The record_failed reject carried the entry's link as the feed spelt it ("ü", a space),
    # where every other reject, and the record, carry it as requested (record_url). Its
    # record fails here as on a full disk: the spool's SQLite database cannot grow.
    pipeline = _pipeline(tmp_path)
    pipeline.open_spider()
    for n in range(_BUFFER):
        if n == 1:  # the spool opens with the first record
            spool = pipeline._merger._spool  # type: ignore[union-attr]
            pages = int(spool._db.execute("PRAGMA page_count").fetchone()[0])
            spool._db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DropItem):
            pipeline.process_item(_fetched(n, "Grüne Woche"))
    spool._db.execute(f"PRAGMA max_page_count = {pages * 1000}")  # space again
    pipeline.spider_closed("finished")
    failed = [r for r in rejects_under(tmp_path / "out") if r["reason"] == "record_failed"]
    assert [r["url"] for r in failed] == [
        f"https://news.example/Gr%C3%BCne%20Woche/{_BUFFER - 1}"]
    assert len(records_under(tmp_path / "out")) == _BUFFER - 1
