"""Exactly-once output, as a property: whatever batches runs deliver and wherever a run dies,
every target ends holding each batch's lines once, in order, every line parses, and the state
advanced for exactly the batches whose lines are on disk.

A run does with :class:`crawler.delivery.Delivery` what the merge stage does: recover what an
earlier run left, journal the targets' sizes, then in one state transaction write its
bookkeeping and append its lines. Faults are injected into the real code by replacing the
module's ``_append`` with one that writes only a prefix of its bytes (a torn line included) and
then either "loses power" (the process is gone; the next start recovers with a fresh
:class:`StateStore` and :class:`Delivery`) or fails with ENOSPC (the run undoes at once). A run
that did not commit is redone, as the next crawl fetches and writes those entries again.
"""

from __future__ import annotations

import errno
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from unittest import mock

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler import delivery as delivery_module
from crawler.delivery import Delivery, check_jsonl
from crawler.state import StateStore

TARGETS = ("out/2026/11/29/records.jsonl", "out/2026/11/29/rejects.jsonl", "out/runs.jsonl")
Lines = list[dict[str, Any]]
Batch = tuple[Lines, ...]

_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)  # JSON-encodable
_value = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), _text,
                   st.lists(_text, max_size=3))
_line = st.dictionaries(_text, _value, min_size=1, max_size=4)
#: One run's output: lines per target (a target may get none).
_batch = st.tuples(*[st.lists(_line, max_size=4) for _ in TARGETS])


@dataclass(frozen=True)
class Fault:
    """How a run fails: ``kill`` (power cut) or ``enospc`` after ``budget`` bytes of its
    appends (taken modulo the run's byte count + 2, so it may land past the end: no fault),
    or a kill before the journal. ``recovery_kill`` kills the next run's recovery too, after
    that many targets were cut back."""

    kind: Literal["kill", "enospc", "kill_before_journal"]
    budget: int
    recovery_kill: int | None


_fault = st.builds(Fault, st.sampled_from(["kill", "enospc", "kill_before_journal"]),
                   st.integers(0, 4096), st.none() | st.integers(0, 3))
_plan = st.lists(st.tuples(_batch, st.none() | _fault), min_size=1, max_size=6)


class PowerCut(Exception):
    """The simulated kill -9: nothing after it runs in this 'process'."""


@contextmanager
def fail_after(budget: int | None, error: Exception) -> Iterator[None]:
    """Let ``budget`` bytes of appends through (the last write torn there), then raise."""
    if budget is None:
        yield
        return
    real = delivery_module._append
    left = budget

    def append(path: Path, lines: list[bytes]) -> None:
        nonlocal left
        data = b"".join(lines)
        if len(data) < left:
            left -= len(data)
            real(path, lines)
            return
        real(path, [data[:left]])
        raise error

    with mock.patch.object(delivery_module, "_append", append):
        yield


@contextmanager
def killed_after_cut_backs(allowed: int | None) -> Iterator[None]:
    """A recovery that dies before its ``allowed + 1``-th cut-back (or before it forgets the
    journal entry, when there are fewer targets)."""
    if allowed is None:
        yield
        return
    real_cut = Delivery._cut_back
    done = 0

    def cut_back(self: Delivery, path: Path, size: int, run_id: str) -> None:
        nonlocal done
        if done == allowed:
            raise PowerCut
        done += 1
        real_cut(self, path, size, run_id)

    def forget(self: StateStore, run_id: str) -> None:
        raise PowerCut

    with mock.patch.object(Delivery, "_cut_back", cut_back), \
            mock.patch.object(StateStore, "forget_delivery", forget):
        yield


def encode(lines: Lines) -> list[bytes]:
    return [msgspec.json.encode(line) for line in lines]


def on_disk(lines: Lines) -> bytes:
    return b"".join(line + b"\n" for line in encode(lines))


class Runs:
    """Successive runs on one state directory, each in a fresh 'process'."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state_dir = root / "state"
        self.number = 0
        self.recovery_kill: int | None = None

    def run(self, index: int, batch: Batch, fault: Fault | None) -> bool:
        """Deliver batch ``index``; ``False`` when the run did not commit."""
        self.number += 1
        state = StateStore(self.state_dir)
        try:
            delivery = Delivery(state, self.state_dir)
            if not self._recover(delivery):
                return False
            if fault is not None and fault.kind == "kill_before_journal":
                return False
            committed = self._deliver(state, delivery, index, batch, fault)
            assert committed == (state.get_meta(f"batch-{index}") is not None)
            return committed
        finally:
            state.close()

    def _deliver(self, state: StateStore, delivery: Delivery, index: int, batch: Batch,
                 fault: Fault | None) -> bool:
        outputs = {self.root / t: encode(lines) for t, lines in zip(TARGETS, batch, strict=True)
                   if lines}
        ticket = delivery.journal(f"run{self.number:04d}", list(outputs))
        size = sum(len(line) + 1 for lines in outputs.values() for line in lines)
        budget = None if fault is None else fault.budget % (size + 2)
        full = OSError(errno.ENOSPC, "No space left on device")
        error = PowerCut() if fault is None or fault.kind == "kill" else full
        try:
            with fail_after(budget, error), state.atomic():
                state.set_meta(f"batch-{index}", "delivered")  # the run's bookkeeping
                delivery.write(ticket, outputs)
        except PowerCut:
            self.recovery_kill = fault.recovery_kill if fault else None
            return False
        except OSError:
            delivery.undo(ticket)
            return False
        return True

    def _recover(self, delivery: Delivery) -> bool:
        allowed, self.recovery_kill = self.recovery_kill, None
        try:
            with killed_after_cut_backs(allowed):
                delivery.recover()
        except PowerCut:
            return False
        return True

    def finish(self) -> StateStore:
        state = StateStore(self.state_dir)
        Delivery(state, self.state_dir).recover()
        return state


@settings(max_examples=100, deadline=None)
@given(plan=_plan)
def test_every_batch_lands_exactly_once_whatever_the_fault(
    plan: list[tuple[Batch, Fault | None]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        runs = Runs(Path(tmp))
        for index, (batch, fault) in enumerate(plan):
            committed = runs.run(index, batch, fault)
            while not committed:  # the next crawl fetches and writes the same lines again
                committed = runs.run(index, batch, None)
        state = runs.finish()
        try:
            assert state.pending_deliveries() == []
            assert all(state.get_meta(f"batch-{i}") for i in range(len(plan)))
        finally:
            state.close()
        for index, target in enumerate(TARGETS):
            path = Path(tmp) / target
            want = b"".join(on_disk(batch[index]) for batch, _ in plan)
            assert (path.read_bytes() if path.exists() else b"") == want
            check_jsonl(path)


@settings(max_examples=50, deadline=None)
@given(lines=st.lists(_line, min_size=1, max_size=8), budget=st.integers(0, 4096))
def test_a_killed_append_is_quarantined_and_the_target_restored(
    lines: Lines, budget: int,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        target = root / TARGETS[0]
        target.parent.mkdir(parents=True)
        earlier = b'{"id":"earlier"}\n'
        target.write_bytes(earlier)
        state = StateStore(root / "state")
        delivery = Delivery(state, root / "state")
        ticket = delivery.journal("run1", [target])
        cut = budget % (len(on_disk(lines)) + 1)
        try:
            with fail_after(cut, PowerCut()), state.atomic():
                delivery.write(ticket, {target: encode(lines)})
        except PowerCut:
            pass
        state.close()
        fresh = StateStore(root / "state")
        # Even a complete append is rolled back: its transaction never committed.
        assert Delivery(fresh, root / "state").recover() == 1
        assert fresh.pending_deliveries() == []
        fresh.close()
        assert target.read_bytes() == earlier
        moved = sorted((root / "state").glob("quarantine/*"))
        assert b"".join(p.read_bytes() for p in moved) == on_disk(lines)[:cut]
