from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from crawler.extensions import Progress, RedactedLogs
from crawler.models import Entry, FeedPoll, Fetched, Problem, Skipped
from tests.conftest import REPO, read_jsonl
from tests.sitesrv import FixtureSite


def test_progress_line_counts_what_the_crawl_yields() -> None:
    stream = io.StringIO()
    progress = Progress(2, stream, 1.0, lambda: 3)
    progress.scraped(FeedPoll("s", "https://x/feed", 200))
    progress.scraped(Fetched(source="s", entry=Entry(link="https://x/a"), feed_url=None))
    progress.scraped(Fetched(source="s", entry=Entry(link="https://x/b"), feed_url=None,
                             page_error="http_404"))
    progress.scraped(Skipped("s", "id"))
    progress.scraped(Problem("s", "https://x/f2", "feed_unparseable"))
    progress.show()
    assert stream.getvalue().endswith(
        "sources 1/2 · articles 2 · unchanged 1 · rejects 3 · errors 0   ")


def test_progress_agrees_with_the_manifest_and_log_lines_start_a_line(
        site: FixtureSite, tmp_path: Path) -> None:
    # rss20.rss lists /missing.html: its page answers 404, yet its feed title makes it a
    # record. Before, the progress line counted it a reject (the manifest: 0), and the log
    # lines were printed onto the end of the progress line.
    sources = tmp_path / "s.toml"
    sources.write_text(f'[[sources]]\nname = "a"\nurl = "{site.url("/feeds/rss20.rss")}"\n',
                       encoding="utf-8")
    settings = {"POLICYWIRE_OUTPUT_DIR": str(tmp_path / "out"),
                "POLICYWIRE_STATE_DIR": str(tmp_path / "state"),
                "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1", "POLICYWIRE_PROGRESS": "1",
                "POLICYWIRE_PROGRESS_INTERVAL": "0.05", "LOG_LEVEL": "DEBUG"}
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "policywire", "-a", f"sources={sources}",
         *[arg for k, v in settings.items() for arg in ("-s", f"{k}={v}")]],
        cwd=tmp_path, env=env, capture_output=True, timeout=120, check=False)
    stderr = proc.stderr.decode()  # not text=True: it reads "\r" as a line end
    assert proc.returncode == 0, stderr[-3000:]
    [manifest] = read_jsonl(tmp_path / "out" / "runs.jsonl")
    assert manifest["totals"]["rejects"] == 0 and manifest["totals"]["records"] > 0
    shown = re.findall(r"rejects (\d+) · errors \d+   ", stderr)
    assert shown and set(shown) == {"0"}
    # After each drawing of the line: the next drawing, a cleared line, or the final newline.
    assert re.search(r"errors \d+   (?!\r|\n)", stderr) is None
    assert "\r\x1b[K" in stderr


def test_a_log_call_whose_arguments_do_not_fit_its_format_is_written_redacted_not_raised(
) -> None:
    # A library's log call with arguments its format cannot take: logging writes "--- Logging
    # error ---" and goes on; the redacting filter called getMessage() outside that guard,
    # and the TypeError came out of the log call into the crawl.
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactedLogs().filter)
    logger = logging.getLogger("tests.test_extensions.unfit")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        unfit = "%d feeds at %s"  # one argument for two fields, the first no number
        logger.warning(unfit, "https://user:secret@feeds.example/rss?token=abc")
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "feeds.example" in written
    assert "secret" not in written and "abc" not in written
