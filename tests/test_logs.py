"""Log lines of the command line (:mod:`crawler.logs`): redacted once, by one filter."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler import logs
from crawler.extensions import RedactedLogs
from tests.conftest import run_cli
from tests.sitesrv import FixtureSite, Route, redirect

SECRET_URL = "https://user:pw@feeds.example/rss?token=abc"


@pytest.fixture
def root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    kept, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in kept:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.usefixtures("root_handlers")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_crawl_s_log_line_under_the_cli_is_redacted_by_one_filter(
        fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("WARNING", fmt)
    extension = RedactedLogs()
    extension.install()  # as a crawl's spider_opened does, onto the CLI's handler
    [handler] = logging.getLogger().handlers
    # Before: the CLI's formatter redacted each line, then the extension's filter again.
    assert sum(isinstance(f, logs.Redacting) for f in handler.filters) == 1
    try:
        raise ValueError(f"refused: {SECRET_URL}")
    except ValueError:
        logging.getLogger("tests.logs").exception("fetching %s failed", SECRET_URL)
    extension.uninstall()
    written = capsys.readouterr().err
    assert "pw@" not in written and "abc" not in written, written
    assert written.count("https://feeds.example/rss?token=REDACTED") == 2
    if fmt == "json":
        assert json.loads(written)["exception"].endswith(
            "ValueError: refused: https://feeds.example/rss?token=REDACTED")
    # The filter stays on the CLI's handler: later lines are redacted still.
    assert any(isinstance(f, logs.Redacting) for f in handler.filters)


def test_the_formatters_leave_redacting_to_the_filter() -> None:
    record = logging.LogRecord("t", logging.WARNING, __file__, 1, "at %s", (SECRET_URL,), None)
    assert SECRET_URL in logs.Printable("%(message)s").format(record)


def test_a_quiet_crawl_says_what_a_cron_user_must_act_on_and_nothing_else(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    article = site.url("/articles/en-sanctions.html")
    for n in range(25):
        site.routes[f"/f{n}.rss"] = Route(200, (
            f'<rss version="2.0"><channel><title>f{n}</title><item><title>Talks resume</title>'
            f"<link>{article}</link></item></channel></rss>").encode(),
            {"Content-Type": "application/rss+xml"})
    links = "".join(f'<link rel="alternate" type="application/rss+xml" href="/f{n}.rss">'
                    for n in range(25))
    site.routes["/home.html"] = Route(200, f"<html><head>{links}</head><body></body></html>"
                                      .encode(), {"Content-Type": "text/html"})
    site.routes["/old.rss"] = redirect(site.url("/feeds/rss20.rss"), 301)
    site.routes["/busy.rss"] = Route(429, b"slow down", {"Retry-After": "3600"})
    (tmp_path / "s.toml").write_text("".join(
        f'[[sources]]\nname = "{name}"\nurl = "{site.url(path)}"\n'
        for name, path in (("home", "/home.html"), ("old", "/old.rss"), ("busy", "/busy.rss"))),
        encoding="utf-8")
    run = run_cli("crawl", "--sources", "s.toml", "-q", "--state-dir", "state", cwd=tmp_path)
    assert run.code == 0, run.stderr
    said = run.stderr.splitlines()
    # Before: -q printed nothing of either: the sources file needed mending, unsaid.
    assert len(said) == 2, said
    assert "announces 25 feeds: following its first 20" in said[0]
    assert "old: " in said[1] and "moved for good (301/308)" in said[1]
    # The server's wish, obeyed (in runs.jsonl and `sources list`): nothing wrong to say.
    assert "deferred until" not in run.stderr
