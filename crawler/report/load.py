"""Reading an output directory for the report: records, rejects and run summaries.

Only the latest revision of each record is kept. A torn last line (a crash mid-append) is
skipped and counted; a corrupt line in the middle of a file raises :class:`OutputError`
(as the export reader does).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from crawler.errors import OutputError
from crawler.models import Record, Reject
from crawler.sinks import TOO_DEEP, read_json_lines, record_files

T = TypeVar("T", Record, Reject)
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    """``since <= moment < until`` on UTC ISO 8601 strings, like ``crawl --since/--until``."""

    since: str | None = None
    until: str | None = None

    def __contains__(self, moment: str) -> bool:
        return (self.since is None or moment >= self.since) and (
            self.until is None or moment < self.until
        )


@dataclass(frozen=True)
class RunInfo:
    """One line of ``runs.jsonl``, reduced to what the report shows."""

    run_id: str
    started: str
    exit_code: int
    sources: dict[str, dict[str, int]]
    error: str = ""
    moved: dict[str, str] = field(default_factory=dict)  # source -> the URL it moved to
    # source -> its rest: {"why": retry-after | ttl | skip-hours, "until": UTC ISO or None}
    deferred: dict[str, dict[str, str | None]] = field(default_factory=dict)


@dataclass
class OutputData:
    """What the report reads: ``records`` selected by the window, ``all_records`` for lookups."""

    records: list[Record] = field(default_factory=list)
    all_records: dict[str, Record] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    runs: list[RunInfo] = field(default_factory=list)
    skipped_lines: int = 0


def moment(record: Record) -> str:
    """When a record happened for the report: published, else when it was fetched."""
    return record.published or record.fetched_at


def load_output(output_dir: Path, window: Window) -> OutputData:
    data = OutputData()
    for path in record_files(output_dir):
        for record in _decode_file(path, Record, data):
            known = data.all_records.get(record.id)
            if known is None or record.revision >= known.revision:
                data.all_records[record.id] = record
    data.records = [r for r in data.all_records.values() if moment(r) in window]
    for path in sorted(output_dir.rglob("rejects-*.jsonl")):
        data.rejects.extend(r for r in _decode_file(path, Reject, data) if (r.at or "") in window)
    data.runs = [run for run in read_runs(output_dir / "runs.jsonl") if run.started in window]
    return data


def _decode_file(path: Path, kind: type[T], data: OutputData) -> Iterator[T]:
    decoder = msgspec.json.Decoder(kind)
    lines = path.read_bytes().splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield decoder.decode(line)
        except RecursionError:
            raise OutputError(f"{path}:{number}: {TOO_DEEP}") from None
        except msgspec.DecodeError as exc:
            if number < len(lines):
                raise OutputError(f"{path}:{number}: not a policywire {kind.__name__}: {exc}") \
                    from exc
            data.skipped_lines += 1  # a torn last line: the append that a crash cut short


def read_runs(path: Path) -> Iterator[RunInfo]:
    """The runs of a ``runs.jsonl``, oldest first (none when there is no file yet)."""
    if not path.is_file():
        return
    for number, obj, error in read_json_lines(path):
        if obj is None:  # said, not skipped silently: its run is missing from every count
            logger.warning("%s:%d: skipping an unreadable line (%s)", path, number, error)
        elif isinstance(obj.get("run_id"), str):
            yield RunInfo(
                run_id=obj["run_id"], started=str(obj.get("started") or ""),
                exit_code=_int(obj.get("exit_code")), sources=_source_counts(obj.get("sources")),
                error=str(obj.get("error") or ""), moved=_moves(obj.get("moved")),
                deferred=_deferrals(obj.get("deferred")),
            )


def _source_counts(value: Any) -> dict[str, dict[str, int]]:
    if not isinstance(value, dict):
        return {}
    return {
        str(name): {str(k): _int(v) for k, v in counts.items()}
        for name, counts in value.items() if isinstance(counts, dict)
    }


def _moves(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(name): move["to"] for name, move in value.items()
            if isinstance(move, dict) and isinstance(move.get("to"), str)}


def _deferrals(value: Any) -> dict[str, dict[str, str | None]]:
    if not isinstance(value, dict):
        return {}
    return {str(name): {"why": str(rest.get("why") or ""),
                        "until": rest["until"] if isinstance(rest.get("until"), str) else None}
            for name, rest in value.items() if isinstance(rest, dict)}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


__all__ = ["OutputData", "RunInfo", "Window", "load_output", "moment", "read_runs"]
