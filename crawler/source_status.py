"""``policywire sources list``: each configured source with what a user needs to judge it
(kind, language, topic filter, paywall, notes) and how its last run went.

Reads only the run manifests (``runs.jsonl``) and the state's feed table, never the records:
a list of 50 sources must answer at once over an output directory of a year of runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from crawler.models import yielded_nothing
from crawler.report.health import DEAD_AFTER
from crawler.sinks import read_json_lines
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
    error_streak: int  # consecutive failed polls of its worst feed, from the state
    # Its latest runs in a row that yielded nothing but rejects, counted as `stats` counts
    # them, so that both call a source dead after the same runs.
    failing_runs: int = 0
    dead_after: int = DEAD_AFTER

    @property
    def health(self) -> str:
        """``disabled``, ``not run yet``, ``dead`` (its last ``dead_after`` runs or more gave
        nothing but rejects), ``failing`` (its last run did, or its feed failed on the last
        poll) or ``ok``."""
        if not self.enabled:
            return "disabled"
        if self.last_run is None:
            return "not run yet"
        if self.failing_runs >= self.dead_after:
            return "dead"
        run = self.last_run
        gave = run.records + run.unchanged + run.not_modified + run.filtered
        if self.error_streak or (run.rejects and not gave):
            return "failing"
        return "ok"

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "health": self.health}


def source_statuses(sources: list[Source], output_dir: Path, state_dir: Path | None,
                    dead_after: int = DEAD_AFTER) -> list[SourceStatus]:
    """One status per configured source, in the file's order."""
    runs, failing = _last_runs(output_dir / "runs.jsonl")
    streaks = _streaks(state_dir)
    return [
        SourceStatus(
            name=s.name, url=s.url, kind=s.kind, enabled=s.enabled, language=s.language,
            tags=s.tags, require_topic=s.require_topic, paywall=s.paywall, notes=s.notes,
            last_run=runs.get(s.name), error_streak=streaks.get(s.name, 0),
            failing_runs=failing.get(s.name, 0), dead_after=dead_after,
        )
        for s in sources
    ]


def _last_runs(manifest: Path) -> tuple[dict[str, LastRun], dict[str, int]]:
    """Per source, its counts in the last manifest line that names it (runs are appended in
    the order they end), and its latest runs in a row that yielded nothing but rejects (runs
    it was not in neither break nor extend them, as ``stats`` counts them)."""
    last: dict[str, LastRun] = {}
    failing: dict[str, int] = {}
    if not manifest.is_file():
        return last, failing
    for _number, obj, _error in read_json_lines(manifest):
        if obj is None or not isinstance(obj.get("sources"), dict):
            continue  # a torn or foreign line: the rest of the history still counts
        for name, counts in obj["sources"].items():
            if isinstance(counts, dict):
                failed = yielded_nothing({key: _count(value) for key, value in counts.items()})
                failing[str(name)] = failing.get(str(name), 0) + 1 if failed else 0
                last[str(name)] = LastRun(
                    run_id=str(obj.get("run_id") or ""), started=str(obj.get("started") or ""),
                    **{key: _count(counts.get(key)) for key in
                       ("records", "unchanged", "not_modified", "filtered", "rejects")},
                )
    return last, failing


def _streaks(state_dir: Path | None) -> dict[str, int]:
    if state_dir is None or not (state_dir / "state.sqlite3").is_file():
        return {}
    store = StateStore(state_dir)
    try:
        return {name: streak for name, (_, _, streak) in store.feeds_by_source().items()}
    finally:
        store.close()


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


__all__ = ["LastRun", "SourceStatus", "source_statuses"]
