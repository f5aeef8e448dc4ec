"""The record pipeline accounts for every fetched entry, even under a file-size limit."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from tests.conftest import records_under, rejects_under
from tests.sitesrv import FixtureSite
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
