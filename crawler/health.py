"""Per-source health for operators: ``policywire stats`` and ``policywire sources list``.

Combines the run manifests (records, 304s, rejects per run, and the runs in a row that
yielded nothing but rejects), the records (field completeness, body length, items per day)
and, when given, the state (its feeds' error streaks), and flags drift: a source whose
latest run lost fields it used to have (a layout change broke extraction). A source whose
last ``dead_after`` runs all failed is dead.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from statistics import mean

from crawler.errors import NoInput
from crawler.models import Record
from crawler.report.health import DEAD_AFTER, latest_run, source_health
from crawler.report.load import OutputData, Window, load_output, moment
from crawler.state import StateStore


@dataclass(frozen=True)
class HealthRow:
    source: str
    runs: int
    records: int
    records_read: int  # its records below the output directory, which the shares are of
    per_day: float
    title: float
    date: float
    author: float
    body: float
    body_chars_latest: int
    body_chars_before: int
    not_modified_rate: float
    error_streak: int  # failed runs in a row, or the state's feed error streak if longer
    pages_failed: float  # share of the latest run's records whose page was not fetched
    rejects: int
    latest_error: str
    drift: str
    status: str  # ok, drift, failing or dead (see SourceHealth.status)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def health(output_dir: Path, state_dir: Path | None,
           dead_after: int = DEAD_AFTER) -> list[HealthRow]:
    """One row per source seen in the output directory's runs, records or rejects.

    The error streaks come from the runs; a ``state_dir`` adds its feeds' streaks (a feed
    that failed while others of its source answered). Given, it must hold a state: a
    mistyped one read as empty showed no error at all.
    """
    data = load_output(output_dir, Window())
    feeds = _feeds(state_dir)
    rows = []
    for base in source_health(data.records, data.rejects, data.runs, dead_after):
        records = [r for r in data.records if r.source == base.source]
        latest, before = _split_latest(records)
        not_modified = sum(run.sources.get(base.source, {}).get("not_modified", 0)
                           for run in data.runs)
        rows.append(HealthRow(
            source=base.source, runs=base.runs, records=base.records,
            records_read=base.completeness.records,
            per_day=_per_day(records), title=base.completeness.title,
            date=base.completeness.date, author=base.completeness.author,
            body=base.completeness.body, body_chars_latest=_mean_body(latest),
            body_chars_before=_mean_body(before),
            not_modified_rate=not_modified / base.runs if base.runs else 0.0,
            error_streak=max(base.failing_runs, feeds.get(base.source, (0, 0, 0))[2]),
            pages_failed=base.pages_failed,
            rejects=base.rejects, latest_error=base.latest_error, drift=base.drift,
            status=base.status,
        ))
    return rows


def _feeds(state_dir: Path | None) -> dict[str, tuple[int, int, int]]:
    if state_dir is None:
        return {}
    if not (state_dir / "state.sqlite3").is_file():
        raise NoInput(f"{state_dir}: no policywire state there (no state.sqlite3)")
    store = StateStore(state_dir)
    try:
        return store.feeds_by_source()
    finally:
        store.close()


def _split_latest(records: list[Record]) -> tuple[list[Record], list[Record]]:
    """The records of the source's latest run, and all before it."""
    latest = latest_run(records)
    run = latest[0].run_id if latest else None
    return latest, [r for r in records if r.run_id != run]


def _mean_body(records: list[Record]) -> int:
    lengths = [len(r.text) for r in records if r.text]
    return round(mean(lengths)) if lengths else 0


def _per_day(records: list[Record]) -> float:
    """Records per day over the span their dates cover (at least one day)."""
    days = sorted(moment(r)[:10] for r in records)
    if not days:
        return 0.0
    span = (datetime.fromisoformat(days[-1]) - datetime.fromisoformat(days[0])).days + 1
    return len(records) / span


__all__ = ["HealthRow", "OutputData", "health"]
