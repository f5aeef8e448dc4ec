from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.delivery import Delivery, check_jsonl
from crawler.errors import OutputError
from crawler.state import StateStore

LINES = [json.dumps({"id": f"r{i}", "title": f"Title {i}"}).encode() for i in range(5)]
IDS = [f"r{i}" for i in range(5)]


def _setup(tmp_path: Path) -> tuple[StateStore, Delivery, Path]:
    state = StateStore(tmp_path / "state")
    return state, Delivery(state, tmp_path / "state"), tmp_path / "out" / "records.jsonl"


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_normal_delivery_appends_once_and_clears_the_stage(tmp_path: Path) -> None:
    state, delivery, target = _setup(tmp_path)
    staged = delivery.stage("run1", {target: LINES})
    with state.atomic():
        delivery.journal(staged)
    delivery.deliver(staged)
    assert _ids(target) == IDS
    assert not staged.staging.exists() and state.pending_deliveries() == []
    assert delivery.recover() == 0


def test_crash_after_commit_is_redelivered_once(tmp_path: Path) -> None:
    _state, delivery, target = _setup(tmp_path)
    staged = delivery.stage("run1", {target: LINES})
    delivery.journal(staged)  # ... and the process died here
    fresh = Delivery(StateStore(tmp_path / "state"), tmp_path / "state")
    assert fresh.recover() == 1
    assert _ids(target) == IDS
    assert fresh.recover() == 0


def test_torn_partial_append_is_quarantined_then_redelivered(tmp_path: Path) -> None:
    state, delivery, target = _setup(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_text('{"id": "old"}\n')
    staged = delivery.stage("run2", {target: LINES})
    delivery.journal(staged)
    with target.open("a") as handle:  # two lines made it, the third was torn by kill -9
        handle.write('{"id": "r0"}\n{"id": "r1"}\n{"id": "r')
    assert Delivery(state, tmp_path / "state").recover() == 1
    assert _ids(target) == ["old", *IDS]
    [moved] = (tmp_path / "state" / "quarantine").iterdir()
    assert moved.read_text().endswith('{"id": "r')
    check_jsonl(target)


def test_stage_without_commit_is_dropped(tmp_path: Path) -> None:
    _state, delivery, target = _setup(tmp_path)
    staged = delivery.stage("run1", {target: LINES})  # died before the state transaction
    assert delivery.recover() == 0
    assert not staged.staging.exists() and not target.exists()


def test_corruption_in_the_middle_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": 1}\n{"id": \n{"id": 3}\n')
    with pytest.raises(OutputError, match=r"r.jsonl:2: corrupt line"):
        check_jsonl(path)
