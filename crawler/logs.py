"""Logging for the command line: plain text on a terminal, JSON lines for machines.

Cron wants silence unless something is wrong: the CLI's default level is WARNING, and
``--log-format json`` gives one JSON object per line for log shippers.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message (and the exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


#: Scrapy's loggers whose errors become a reject record or a feed's error count here (a
#: fetch that failed after its retries; a robots.txt that could not be fetched, logged with
#: a traceback): at INFO without the traceback, so a run prints one line for them (the
#: run's last: its failed sources, their cause and reject reasons), not 70 lines of Twisted
#: for cron to mail, nor, without -q, a warning per host and file (88 for a crawl of the
#: bundled sources without network, none of them saying more than the reject does).
RECORDED_ELSEWHERE = frozenset({"scrapy.downloadermiddlewares.retry",
                                "scrapy.downloadermiddlewares.robotstxt"})


class _Demoted(logging.Filter):
    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name in RECORDED_ELSEWHERE and record.levelno > logging.INFO:
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return record.levelno >= self.level


def configure(level: str, fmt: str) -> None:
    """Route every logger (policywire's, Scrapy's, Twisted's) to stderr in one format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonLines() if fmt == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    # The level sits on the handler too: Scrapy resets the root logger's level when it starts.
    handler.setLevel(level)
    handler.addFilter(_Demoted(handler.level))
    root.addHandler(handler)
    root.setLevel(level)


def final_line(message: str, fields: dict[str, Any], fmt: str) -> None:
    """A command's last line on stderr, as the log lines before it are: ``policywire:
    message``, or with ``--log-format json`` one JSON object (``message`` and ``fields``),
    so that a log shipper reads the line that matters most like every other."""
    line = f"policywire: {message}"
    if fmt == "json":
        entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "level": "error",
                 "logger": "policywire", "message": message, **fields}
        line = json.dumps(entry, ensure_ascii=False)
    print(line, file=sys.stderr, flush=True)
