"""``build_report``: an output directory in, one self-contained HTML file out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crawler.errors import ConfigError
from crawler.export.writers import atomic_path
from crawler.normalize import date_option, utc_now
from crawler.report.health import DEAD_AFTER, source_health
from crawler.report.load import Window, load_output
from crawler.report.page import PageData, render_page
from crawler.report.stories import daily_counts, duplicate_shares, group_stories, topics_by_day


@dataclass(frozen=True)
class ReportStats:
    """What went into a report, for the command line to print."""

    target: Path
    stories: int
    records: int
    duplicates: int
    sources: int
    runs: int
    drift: tuple[str, ...]  # sources whose latest run lost fields
    dead: tuple[str, ...]  # sources whose last runs (--dead-after) yielded nothing
    skipped_lines: int  # torn last lines in output files, left out
    bytes: int


def build_report(
    output_dir: Path, target: Path, since: str | None = None, until: str | None = None,
    dead_after: int = DEAD_AFTER,
) -> ReportStats:
    """Write the report of ``output_dir`` to ``target``; records dated ``since <= t < until``;
    a source whose last ``dead_after`` runs yielded nothing but rejects is shown dead.

    Raises :class:`ConfigError` for a missing directory or an unreadable date, and
    :class:`OutputError` for a records file corrupt in its middle.
    """
    if not output_dir.is_dir():
        raise ConfigError(f"no such output directory: {output_dir}")
    window = Window(date_option(since, "--since"), date_option(until, "--until"))
    data = load_output(output_dir, window)
    stories = group_stories(data.records, data.all_records)
    daily = daily_counts(data.records, stories)
    health = source_health(data.records, data.rejects, data.runs, dead_after)
    duplicates = duplicate_shares(data.records)
    page = render_page(PageData(
        title=f"policywire report: {output_dir.resolve().name}", window=_describe(window),
        generated=utc_now(), stories=stories, records=len(data.records), runs=len(data.runs),
        daily=daily, topics=topics_by_day(stories, daily.days, daily.unit),
        duplicates=duplicates,
        health=health,
    ))
    size = _write(target, page)
    return ReportStats(
        target=target, stories=len(stories), records=len(data.records),
        duplicates=sum(d.duplicates for d in duplicates), sources=len(health),
        runs=len(data.runs), drift=tuple(h.source for h in health if h.drift),
        dead=tuple(h.source for h in health if h.failing_runs >= dead_after),
        skipped_lines=data.skipped_lines, bytes=size,
    )




def _describe(window: Window) -> str:
    if window.since is None and window.until is None:
        return "all records"
    return f"records from {window.since or 'the start'} until {window.until or 'now'}"


def _write(target: Path, page: str) -> int:
    """Write to a temporary file beside ``target``, then rename: readers never see half a page
    (a page is for a web server or a colleague to read: 0644, less the umask)."""
    data = page.encode("utf-8")
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
    return len(data)


__all__ = ["ReportStats", "build_report"]
