"""Exactly-once output: appends to output files are journalled in the state and replayable.

A run's output goes out in three steps:

1. **stage** every line in ``<state>/pending/<run_id>.jsonl`` and fsync it;
2. **commit** in one state transaction the caller's bookkeeping (seen entries, validators,
   signatures) *and* a journal entry naming each target file and its size before the append;
3. **deliver**: append to the targets, fsync, mark the journal entry delivered, drop the stage.

A crash before 2 leaves the state as it was: the next run fetches and writes everything again.
A crash after 2 is repaired by :meth:`Delivery.recover` at the next start: whatever a target
grew by since its journalled size (complete lines and a torn last one alike) is moved to
``<state>/quarantine/`` and the staged lines are appended again — each record once.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import msgspec

from crawler.errors import OutputError
from crawler.state import StateStore

logger = logging.getLogger(__name__)
_encoder = msgspec.json.Encoder()


@dataclass(frozen=True)
class Staged:
    """A run's output, staged and ready to journal."""

    run_id: str
    staging: Path
    targets: dict[str, int]  # target path -> its size before this run's append


class Delivery:
    """Stages, journals and delivers output lines for the runs of one state directory."""

    def __init__(self, state: StateStore, state_dir: Path) -> None:
        self._state = state
        self._pending = state_dir / "pending"
        self._quarantine = state_dir / "quarantine"

    def stage(self, run_id: str, outputs: Mapping[Path, Iterable[bytes]]) -> Staged:
        """Write every encoded line (no trailing newline) to the staging file, fsync'd;
        nothing touches the targets yet. The exact bytes are what :meth:`deliver` appends."""
        self._pending.mkdir(parents=True, exist_ok=True)
        staging = self._pending / f"{run_id}.jsonl"
        targets: dict[str, int] = {}
        with staging.open("wb") as handle:
            for path, lines in outputs.items():
                for line in lines:
                    targets.setdefault(str(path), _size(path))
                    entry = {"t": str(path), "d": line.decode("utf-8")}
                    handle.write(_encoder.encode(entry) + b"\n")
        _fsync_file(staging)
        _fsync_dir(self._pending)
        return Staged(run_id, staging, targets)

    def journal(self, staged: Staged) -> None:
        """Record the delivery in the state (call inside the caller's state transaction)."""
        self._state.journal_delivery(staged.run_id, str(staged.staging),
                                     json.dumps(staged.targets, sort_keys=True))

    def deliver(self, staged: Staged) -> None:
        """Append the staged lines to their targets, fsync, and close the journal entry."""
        lines: dict[str, list[bytes]] = {path: [] for path in staged.targets}
        with staged.staging.open("rb") as handle:
            for raw in handle:
                entry = msgspec.json.decode(raw)
                lines[entry["t"]].append(entry["d"].encode("utf-8") + b"\n")
        for path, chunk in lines.items():
            _append(Path(path), chunk)
        self._state.mark_delivered(staged.run_id)
        staged.staging.unlink(missing_ok=True)

    def recover(self) -> int:
        """Finish deliveries a crashed run had journalled; drop stages it had not. Returns
        how many runs were re-delivered."""
        pending = self._state.pending_deliveries()
        for run_id, staging, targets_json in pending:
            targets: dict[str, int] = json.loads(targets_json)
            for path, size in targets.items():
                self._cut_back(Path(path), size, run_id)
            self.deliver(Staged(run_id, Path(staging), targets))
            logger.warning("re-delivered the output of interrupted run %s", run_id)
        journalled = self._state.journalled_stagings()
        if self._pending.is_dir():
            for orphan in self._pending.glob("*.jsonl"):
                if str(orphan) not in journalled:
                    # Staged but never committed: the state never vouched for these lines,
                    # so the next crawl produces them again.
                    orphan.unlink()
        return len(pending)

    def _cut_back(self, path: Path, size: int, run_id: str) -> None:
        current = _size(path)
        if current <= size:
            return
        self._quarantine.mkdir(parents=True, exist_ok=True)
        moved = self._quarantine / f"{path.name}.{run_id}.{int(time.time())}.partial"
        with path.open("r+b") as handle:
            handle.seek(size)
            moved.write_bytes(handle.read())
            handle.truncate(size)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_file(moved)
        logger.warning("moved %d bytes of an interrupted append to %s to %s",
                       current - size, path, moved)


def check_jsonl(path: Path) -> None:
    """Every line of ``path`` is a JSON object ending in a newline, else :class:`OutputError`."""
    if not path.is_file():
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                value = msgspec.json.decode(line)
            except msgspec.DecodeError:
                value = None
            if not isinstance(value, dict) or not line.endswith(b"\n"):
                raise OutputError(
                    f"{path}:{number}: corrupt line in an output file; move the file away or "
                    "repair that line, then run again"
                )


def _append(path: Path, lines: list[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    with path.open("ab") as handle:
        handle.writelines(lines)
        handle.flush()
        os.fsync(handle.fileno())
    if created:
        _fsync_dir(path.parent)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    """A new file's directory entry must reach the disk too, or the file may vanish."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
