"""Log lines of the command line (:mod:`crawler.logs`): redacted once, by one filter."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from crawler import logs
from crawler.extensions import RedactedLogs

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

