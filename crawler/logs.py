"""Logging for the command line: plain text on a terminal, JSON lines for machines.

Cron wants silence unless something is wrong: the CLI's default level is WARNING, and
``--log-format json`` gives one JSON object per line for log shippers.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from crawler.redact import redact
from crawler.sinks import json_safe

# What must not reach a terminal raw from a feed, a page or a row of another tool: C0 controls
# but newline and tab (ESC starts the sequences that retitle a window, clear it, write the
# clipboard; CR overwrites a line), DEL, the C1 controls (U+009B is a one-byte CSI to some
# terminals) and the bidirectional overrides and isolates, which reorder what a line shows.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f"
                          "\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` to print on a terminal: each such character shown as its escape, as
    ``repr`` shows it (``\\x1b``, ``\\u202e``); the rest as it was."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def json_line(value: object) -> str:
    """``value`` as one line of JSON whose strings show no such character raw: each is a
    ``\\u`` escape, which any JSON reader decodes to the same string."""
    return json_safe(json.dumps(value, ensure_ascii=False).encode()).decode()


class Printable(logging.Formatter):
    """The plain text format, with :func:`printable` messages: a feed's words reach log
    lines (feedparser's "document declared as ..." quotes the feed's encoding). Redacted
    before, by the handler's :class:`Redacting` filter."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message (and the exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json_line(entry)


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


class Redacting(logging.Filter):
    """The record's message, and its traceback, made text without credentials
    (:func:`crawler.redact.redact`): the one redacting step of every handler, the CLI's
    (:func:`configure`) and those of ``scrapy crawl`` (:class:`crawler.extensions.RedactedLogs`),
    before any formatter sees the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        unfit = False
        try:
            message = record.getMessage()
        except Exception:  # any error of the caller's format or its arguments
            # Arguments the format cannot take: logging's own handleError would say so and go
            # on, but a filter runs outside its guard (the error came out of the log call),
            # and handleError prints the arguments as given. Written as given, redacted.
            message, unfit = f"{record.msg} (log arguments: {record.args!r})", True
        cleaned = redact(message)
        if unfit or cleaned is not message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


#: ``extra=SHOWN_WHEN_QUIET`` marks a warning that ``-q`` shows: one a cron user must act on
#: (the sources file needs mending) that is said once, or that says what is left out on every
#: run until it is mended. Other warnings (a server's wish obeyed, a feed salvaged, a
#: validator disabled) are hidden by ``-q``: see docs/operations.md, "What -q shows".
SHOWN_WHEN_QUIET: Mapping[str, object] = MappingProxyType({"shown_when_quiet": True})


class _Quiet(logging.Filter):
    """``-q``: errors, and the warnings marked :data:`SHOWN_WHEN_QUIET`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or getattr(record, "shown_when_quiet", False)


def quiet_level(quiet: bool, level: str) -> str:
    """The level of a command's loggers (and Scrapy's ``LOG_LEVEL``): ``-q`` lets warnings
    reach the handler, whose filter keeps the marked ones."""
    return "WARNING" if quiet else level


def configure(level: str, fmt: str, *, quiet: bool = False) -> None:
    """Route every logger (policywire's, Scrapy's, Twisted's) to stderr in one format;
    ``quiet``: errors and the warnings marked :data:`SHOWN_WHEN_QUIET` only."""
    level = quiet_level(quiet, level)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonLines() if fmt == "json"
        else Printable("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    # The level sits on the handler too: Scrapy resets the root logger's level when it starts.
    handler.setLevel(level)
    handler.addFilter(_Demoted(handler.level))
    if quiet:
        handler.addFilter(_Quiet())
    handler.addFilter(Redacting())  # after the others: a line they drop is not redacted
    root.addHandler(handler)
    root.setLevel(level)


def final_line(message: str, fields: dict[str, Any], fmt: str) -> None:
    """A command's last line on stderr, as the log lines before it are: ``policywire:
    message``, or with ``--log-format json`` one JSON object (``message`` and ``fields``),
    so that a log shipper reads the line that matters most like every other."""
    message = redact(message)
    line = printable(f"policywire: {message}")
    if fmt == "json":
        entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "level": "error",
                 "logger": "policywire", "message": message, **fields}
        line = json_line(entry)
    print(line, file=sys.stderr, flush=True)
