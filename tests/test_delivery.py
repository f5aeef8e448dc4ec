from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler import delivery as delivery_module
from crawler.delivery import Delivery, check_jsonl
from crawler.errors import OutputError
from crawler.state import SeenRow, StateStore

LINES = [json.dumps({"id": f"r{i}", "title": f"Title {i}"}).encode() for i in range(5)]
IDS = [f"r{i}" for i in range(5)]
ROW = SeenRow("r0", "h", 1, "https://x/r0", "s")


def _setup(tmp_path: Path) -> tuple[StateStore, Delivery, Path]:
    state = StateStore(tmp_path / "state")
    return state, Delivery(state, tmp_path / "state"), tmp_path / "out" / "records.jsonl"


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_delivery_commits_lines_and_bookkeeping_together(tmp_path: Path) -> None:
    state, delivery, target = _setup(tmp_path)
    ticket = delivery.journal("run1", [target])
    with state.atomic():
        state.mark_seen([ROW], "t")
        delivery.write(ticket, {target: LINES})
    assert _ids(target) == IDS
    assert state.pending_deliveries() == [] and "r0" in state.seen(["r0"])
    assert delivery.recover() == 0


def test_failed_delivery_rolls_back_state_and_file(tmp_path: Path) -> None:
    state, delivery, target = _setup(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_text('{"id": "old"}\n')
    ticket = delivery.journal("run1", [target, Path("/dev/full")])
    with pytest.raises(OSError, match="No space left") as caught:
        try:
            with state.atomic():
                state.mark_seen([ROW], "t")
                delivery.write(ticket, {target: LINES, Path("/dev/full"): LINES})
        except BaseException:
            delivery.undo(ticket)
            raise
    assert caught.value.filename == "/dev/full"
    assert _ids(target) == ["old"] and state.seen(["r0"]) == {}
    assert state.pending_deliveries() == []


def test_kill_during_append_is_rolled_back_at_next_start(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _state, delivery, target = _setup(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_text('{"id": "old"}\n')
    delivery.journal("run2", [target])
    with target.open("a") as handle:  # two lines made it, the third was torn by kill -9
        handle.write('{"id": "r0"}\n{"id": "r1"}\n{"id": "r')
    fresh = Delivery(StateStore(tmp_path / "state"), tmp_path / "state")
    with caplog.at_level(logging.WARNING):
        assert fresh.recover() == 1
    rolled = [r.getMessage() for r in caplog.records if "interrupted run" in r.getMessage()]
    assert rolled == ["rolled back the partial output of interrupted run run2; its entries "
                      "will be fetched and written again"]
    assert _ids(target) == ["old"]
    [moved] = (tmp_path / "state" / "quarantine").iterdir()
    assert moved.read_text() == '{"id": "r0"}\n{"id": "r1"}\n{"id": "r'
    check_jsonl(target)
    assert fresh.recover() == 0


def test_unjournalled_target_is_refused(tmp_path: Path) -> None:
    state, delivery, target = _setup(tmp_path)
    ticket = delivery.journal("run1", [target])
    with pytest.raises(ValueError, match="was not journalled"), state.atomic():
        delivery.write(ticket, {tmp_path / "other.jsonl": LINES})


def test_corruption_in_the_middle_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": 1}\n{"id": \n{"id": 3}\n')
    with pytest.raises(OutputError, match=r"r.jsonl:2: corrupt line"):
        check_jsonl(path)


def test_lines_from_a_generator_go_out_in_blocks_with_their_digest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state, delivery, target = _setup(tmp_path)
    blocks: list[int] = []
    real = delivery_module._append

    def counted(path: Path, lines: list[bytes]) -> None:
        blocks.append(len(lines))
        real(path, lines)

    monkeypatch.setattr(delivery_module, "_BLOCK_BYTES", 2 * len(LINES[0]) + 2)
    monkeypatch.setattr(delivery_module, "_append", counted)
    ticket = delivery.journal("run1", [target])
    with state.atomic():
        [appended] = delivery.write(ticket, {target: (line for line in LINES)})
    data = target.read_bytes()
    assert _ids(target) == IDS and blocks == [2, 2, 1]
    assert (appended.lines, appended.bytes) == (5, len(data))
    assert appended.sha256 == hashlib.sha256(data).hexdigest()
    assert state.pending_deliveries() == []


def test_a_target_without_lines_is_not_created(tmp_path: Path) -> None:
    state, delivery, target = _setup(tmp_path)
    ticket = delivery.journal("run1", [target])
    with state.atomic():
        [appended] = delivery.write(ticket, {target: iter(())})
    assert not target.exists() and appended.lines == appended.bytes == 0


def test_an_error_from_the_lines_themselves_undoes_what_went_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state, delivery, target = _setup(tmp_path)
    monkeypatch.setattr(delivery_module, "_BLOCK_BYTES", 1)  # every line at once

    def lines() -> Iterator[bytes]:
        yield from LINES[:3]
        raise RuntimeError("the merge failed half-way")

    ticket = delivery.journal("run1", [target])
    with pytest.raises(RuntimeError, match="half-way"):
        try:
            with state.atomic():
                state.mark_seen([ROW], "t")
                delivery.write(ticket, {target: lines()})
        except BaseException:
            delivery.undo(ticket)
            raise
    assert target.read_bytes() == b"" and state.seen(["r0"]) == {}
    [moved] = (tmp_path / "state" / "quarantine").iterdir()
    assert moved.read_bytes() == b"".join(line + b"\n" for line in LINES[:3])
