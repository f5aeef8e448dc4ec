"""``policywire sources list``: each configured source with what a user needs to judge it
(kind, language, topic filter, paywall, notes) and how its last run went.

Reads only the run manifests (``runs.jsonl``) and the state's feed table, never the records:
a list of 50 sources must answer at once over an output directory of a year of runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from crawler.normalize import utc_now
from crawler.redact import redact
from crawler.report.health import DEAD_AFTER, failing_streak, pages_failing
from crawler.report.load import RunInfo, read_runs
from crawler.sources import Source
from crawler.state import StateStore


@dataclass(frozen=True)
class LastRun:
    """One source's counts in the latest run that crawled it (a line of ``runs.jsonl``)."""

    run_id: str
    started: str
    records: int
    unchanged: int
    not_modified: int
    filtered: int
    rejects: int
    page_errors: int  # records whose page could not be fetched (the feed's words only)
    also_in_run: int = 0  # its entries another source's record of the run carries


@dataclass(frozen=True)
class SourceStatus:
    name: str
    url: str
    kind: str
    enabled: bool
    language: str | None
    tags: tuple[str, ...]
    require_topic: bool
    paywall: bool
    notes: str | None
    last_run: LastRun | None
    failing_runs: int  # its latest runs in a row that yielded nothing but rejects
    error_streak: int  # consecutive failed polls of its worst feed, from the state
    dead_after: int = DEAD_AFTER
    # Records of its latest run with records when not one of their pages was fetched.
    pages_failing: int = 0
    # Where permanent redirects sent its URL in the latest run that read it (301, 308).
    moved_to: str | None = None
    # Its rest, when the latest run that named it deferred it and the rest is not over yet:
    # {"why": retry-after | ttl | skip-hours, "until": UTC ISO, None for skip hours}.
    deferred: dict[str, str | None] | None = None

    @property
    def health(self) -> str:
        """``disabled``, ``not run yet``, else the first word of ``stats``' status, from the
        same ``runs.jsonl`` counts: ``dead``, ``failing`` (its latest runs gave nothing but
        rejects, or its feed failed on the last poll), ``pages failing`` (not one page behind
        its latest run's 3 or more records fetched), else ``ok`` (``drift`` needs the
        records, which this list does not read)."""
        if not self.enabled:
            return "disabled"
        if self.last_run is None:
            return "not run yet"
        if self.failing_runs >= self.dead_after:
            return "dead"
        if self.failing_runs or self.error_streak:
            return "failing"
        return "pages failing" if self.pages_failing else "ok"

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "health": self.health}


def source_statuses(sources: list[Source], output_dir: Path, state_dir: Path | None,
                    dead_after: int = DEAD_AFTER, now: str | None = None) -> list[SourceStatus]:
    """One status per configured source, in the file's order (``now``: UTC ISO, for the
    rests still running; the clock's by default)."""
    runs = list(read_runs(output_dir / "runs.jsonl"))
    now = now or utc_now()
    streaks = _streaks(state_dir)
    return [
        SourceStatus(
            name=s.name, url=redact(s.url), kind=s.kind, enabled=s.enabled, language=s.language,
            tags=s.tags, require_topic=s.require_topic, paywall=s.paywall, notes=s.notes,
            last_run=_last_run(s.name, runs), failing_runs=failing_streak(s.name, runs),
            error_streak=streaks.get(s.name, 0), dead_after=dead_after,
            pages_failing=pages_failing(s.name, runs), moved_to=_moved_to(s.name, runs),
            deferred=_deferred(s.name, runs, now),
        )
        for s in sources
    ]


def _last_run(name: str, runs: list[RunInfo]) -> LastRun | None:
    """Its counts in the last manifest line that names it (runs are appended as they end)."""
    for run in reversed(runs):
        counts = run.sources.get(name)
        if counts is not None:
            return LastRun(run.run_id, run.started, **{
                key: counts.get(key, 0)
                for key in ("records", "unchanged", "also_in_run", "not_modified", "filtered",
                            "rejects", "page_errors")})
    return None


def _moved_to(name: str, runs: list[RunInfo]) -> str | None:
    latest = next((run for run in reversed(runs) if name in run.sources), None)
    return latest.moved.get(name) if latest is not None else None


def _deferred(name: str, runs: list[RunInfo], now: str) -> dict[str, str | None] | None:
    """Its rest in the latest run that read or deferred it, unless over by ``now`` (UTC ISO
    strings of one format compare as the times they name)."""
    latest = next((run for run in reversed(runs)
                   if name in run.sources or name in run.deferred), None)
    rest = latest.deferred.get(name) if latest is not None else None
    if rest is None or (rest["until"] is not None and rest["until"] <= now):
        return None
    return rest


def _streaks(state_dir: Path | None) -> dict[str, int]:
    if state_dir is None or not (state_dir / "state.sqlite3").is_file():
        return {}
    store = StateStore(state_dir)
    try:
        return {name: streak for name, (_, _, streak) in store.feeds_by_source().items()}
    finally:
        store.close()


__all__ = ["LastRun", "SourceStatus", "source_statuses"]
