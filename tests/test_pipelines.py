"""The record pipeline accounts for every fetched entry, even when building its record fails."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from tests.conftest import records_under, rejects_under, run_cli
from tests.redisrv import free_port
from tests.sitesrv import FixtureSite, pageless_feed
from tests.test_crawl_e2e import FEEDS, sources_toml

#: Over any file a crawl of one fixture feed writes, under the ~10 MB language model
#: py3langid unpacks to a temporary file on its first use: building a record then raises.
FILE_SIZE_LIMIT = 2 << 20


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def test_an_entry_whose_record_cannot_be_built_is_a_reject_and_fails_the_run(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # A file-size ulimit (or a full /tmp) made building every record raise OSError. Scrapy
    # logged each item's traceback and dropped it: the entries were neither records nor
    # rejects, runs.jsonl's counts did not add up, and the run said success (exit 0).
    sources = sources_toml(fresh_site, FEEDS[:1], tmp_path)
    args = ["crawl", "-q", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
            "--state-dir", str(tmp_path / "state")]
    env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"}
    limited = subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=tmp_path,
                             env=env, capture_output=True, text=True, timeout=120,
                             preexec_fn=_limit_file_size, check=False)
    assert limited.returncode == 1, limited.stderr
    assert "Traceback" not in limited.stderr, limited.stderr
    failed = [r for r in rejects_under(tmp_path / "out") if r["reason"] == "record_failed"]
    assert failed and all("File too large" in r["detail"] for r in failed), failed
    run = json.loads((tmp_path / "out" / "runs.jsonl").read_text().splitlines()[-1])
    assert run["sources"]["fx0"]["rejects"] >= len(failed)
    # Nothing was marked seen: the next run writes each of them as a record.
    again = run_cli(*args, cwd=tmp_path)
    assert again.code == 0, again.stderr
    written = {r["url"] for r in records_under(tmp_path / "out")}
    assert {r["url"] for r in failed} <= written


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
    limited = crawl(pageless_feed(fresh_site, "/second.rss", f"http://127.0.0.1:{free_port()}",
                                  count=40), (state / "state.sqlite3").stat().st_size)
    assert limited.returncode == 74, limited.stderr
    assert "Traceback" not in limited.stderr and "stopped" not in limited.stderr
    assert limited.stderr.splitlines()[-1].startswith(f"policywire: {state}: the merge could"
                                                      " not write the state"), limited.stderr
    assert (tmp_path / "out" / "runs.jsonl").read_text(encoding="utf-8") == runs
