"""Source health: run figures from ``runs.jsonl``, completeness from records, drift warnings.

Drift is a source whose latest run gives clearly less than it used to: a site redesign that
breaks extraction shows up as bodies, dates or authors going missing while records still flow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crawler.failures import fetch_failed
from crawler.models import Record, Reject
from crawler.report.load import RunInfo
from crawler.tally import PAGES_FAILING_MIN, only_our_outage, pages_failed, yielded_nothing

# The fields whose loss means drift; titles are never missing (a record needs one).
DRIFT_FIELDS = ("body", "date", "author")
# A drop of 25 points: per-run shares of a healthy source wobble by about 10 points with the
# mix of articles (opinion pieces without authors, briefs without bodies); a broken extractor
# takes a field to near zero. 25 separates the two with room on both sides.
DRIFT_DROP = 0.25
# Fewer records than this in a run is too small a sample to call a drop (2 of 2 -> 0 of 1).
DRIFT_MIN_RECORDS = 3
# Failed runs in a row after which a source is dead (``--dead-after``): at a crawl every 15
# minutes, an hour and a quarter; one or two failures are a site's bad minute, not a
# removed feed.
DEAD_AFTER = 5


@dataclass(frozen=True)
class Completeness:
    """Share of records that carry each field (0..1) over ``records`` records."""

    records: int
    title: float
    date: float
    author: float
    body: float

    def share(self, name: str) -> float:
        value: float = getattr(self, name)
        return value


@dataclass(frozen=True)
class SourceHealth:
    source: str
    runs: int
    records: int
    rejects: int
    unchanged: int
    latest_error: str
    completeness: Completeness
    drift: str  # empty when the latest run looks like the earlier ones
    failing_runs: int = 0  # its latest runs in a row that yielded nothing but rejects
    dead_after: int = DEAD_AFTER
    pages_failed: float = 0.0  # share of its latest run's records whose page was not fetched
    latest_records: int = 0  # records of its latest run with records
    pages_failing: int = 0  # that run's records when not one of their pages was fetched

    @property
    def status(self) -> str:
        """``dead``, ``failing`` (its latest run failed), ``pages failing`` (no page of its
        latest run could be fetched), ``drift`` or ``ok``."""
        if self.failing_runs >= self.dead_after:
            return f"dead: failed {self.failing_runs} runs in a row"
        if self.failing_runs:
            return f"failing: {self.failing_runs} run{'s' * (self.failing_runs > 1)} in a row"
        if self.pages_failing:
            # Records from the feed's words alone, every page refused (DNS, 403, TLS): "ok"
            # hid it (a trial without a network).
            return f"pages failing: none of the latest run's {self.pages_failing} pages fetched"
        return f"drift: {self.drift}" if self.drift else "ok"


def completeness(records: Sequence[Record]) -> Completeness:
    count = len(records) or 1
    return Completeness(
        records=len(records),
        title=sum(bool(r.title.strip()) for r in records) / count,
        date=sum(r.published is not None for r in records) / count,
        author=sum(bool(r.authors) for r in records) / count,
        body=sum(bool(r.text and r.text.strip()) for r in records) / count,
    )


def drift(records: Sequence[Record]) -> str:
    """Why the latest run with records looks broken next to the earlier ones, or ``""``."""
    by_run: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_run[record.run_id].append(record)
    runs = sorted(by_run)  # run ids start with their UTC start time, so they sort by time
    if len(runs) < 2 or len(by_run[runs[-1]]) < DRIFT_MIN_RECORDS:
        return ""
    earlier = [r for run in runs[:-1] for r in by_run[run]]
    if len(earlier) < DRIFT_MIN_RECORDS:
        return ""
    latest, before = completeness(by_run[runs[-1]]), completeness(earlier)
    drops = [
        f"{name} {latest.share(name):.0%} (was {before.share(name):.0%})"
        for name in DRIFT_FIELDS
        if latest.share(name) <= before.share(name) - DRIFT_DROP
    ]
    return f"latest run {runs[-1]}: " + ", ".join(drops) if drops else ""


def failing_streak(name: str, runs: Sequence[RunInfo]) -> int:
    """How many of the source's latest runs in a row yielded nothing but rejects (runs it
    was not in, not due or not listed then, or whose rejects our Redis's outage made, neither
    break nor extend the streak)."""
    streak = 0
    for run in runs:
        counts = run.sources.get(name)
        if counts is not None and not only_our_outage(counts):
            streak = streak + 1 if yielded_nothing(counts) else 0
    return streak


def source_health(
    records: Sequence[Record], rejects: Iterable[Reject], runs: Sequence[RunInfo],
    dead_after: int = DEAD_AFTER,
) -> list[SourceHealth]:
    """One row per source seen in runs, records or rejects, alphabetically."""
    by_source: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_source[record.source].append(record)
    errors = _latest_errors(records, rejects)
    names = sorted({*by_source, *errors, *(s for run in runs for s in run.sources)})
    return [_row(name, by_source[name], errors.get(name, ""), runs, dead_after)
            for name in names]


def _row(name: str, records: list[Record], error: str, runs: Sequence[RunInfo],
         dead_after: int) -> SourceHealth:
    counts = [run.sources[name] for run in runs if name in run.sources]
    latest = latest_run(records)
    share = _failed_share(latest)
    # runs.jsonl's page_errors say it where the records lie elsewhere (scrape -o FILE); the
    # records say it for runs written before runs.jsonl counted them.
    unfetched = len(latest) if share == 1.0 and len(latest) >= PAGES_FAILING_MIN else 0
    return SourceHealth(
        source=name, runs=len(counts),
        records=sum(c.get("records", 0) for c in counts),
        rejects=sum(c.get("rejects", 0) for c in counts),
        unchanged=sum(c.get("unchanged", 0) for c in counts),
        latest_error=error, completeness=completeness(records), drift=drift(records),
        failing_runs=failing_streak(name, runs), dead_after=dead_after,
        pages_failed=share, latest_records=len(latest),
        pages_failing=pages_failing(name, runs) or unfetched,
    )


def pages_failing(name: str, runs: Sequence[RunInfo]) -> int:
    """The record count of the source's latest run with records (``runs.jsonl``) when not
    one of their pages was fetched (:func:`crawler.tally.pages_failed`), else 0: the same
    test that makes that run exit 1, so ``stats``, the report and ``sources list`` agree
    with it."""
    for run in reversed(runs):
        counts = run.sources.get(name, {})
        if counts.get("records", 0):
            return counts["records"] if pages_failed(counts) else 0
    return 0


def latest_run(records: Sequence[Record]) -> list[Record]:
    """The records of the latest run that has any (run ids sort by their start time)."""
    last = max((r.run_id for r in records), default=None)
    return [r for r in records if r.run_id == last]


def _failed_share(records: Sequence[Record]) -> float:
    return sum(fetch_failed(r.page_error) for r in records) / (len(records) or 1)


def _latest_errors(records: Iterable[Record], rejects: Iterable[Reject]) -> dict[str, str]:
    """Per source, the newest reject reason or page error, with its date."""
    found: dict[str, tuple[str, str]] = {}
    events = [(r.at, r.source, _reject_text(r)) for r in rejects]
    events += [(r.fetched_at, r.source, f"page_error: {r.page_error}")
               for r in records if r.page_error]
    for at, source, text in sorted(events):
        found[source] = (at, text)
    return {source: f"{at[:10]} {text}".strip() for source, (at, text) in found.items()}


def _reject_text(reject: Reject) -> str:
    return f"{reject.reason}: {reject.detail}" if reject.detail else reject.reason


__all__ = ["DEAD_AFTER", "DRIFT_DROP", "DRIFT_FIELDS", "Completeness", "SourceHealth",
           "completeness", "drift", "failing_streak", "latest_run", "pages_failing",
           "source_health"]
