"""What policywire creates is never writable by other users, whatever the umask; the state is
its user's alone. The state database is built under a name nobody can guess."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.spool import Spool
from crawler.state import StateStore
from tests.conftest import run_cli
from tests.sitesrv import FixtureSite


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    # A cron job or container under umask 000: the children run_cli starts inherit it.
    old = os.umask(0)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_under_umask_000_outputs_are_0644_and_the_state_private(
        site: FixtureSite, tmp_path: Path, permissive_umask: None) -> None:
    # An operator's trial: runs.jsonl, the records, the export and the report came out
    # 0666 and their folders 0777, so any local account could rewrite what a crawl vouches
    # for or plant a link in a dated folder.
    sources = tmp_path / "s.toml"
    sources.write_text(f'[[sources]]\nname = "fixture"\nurl = "{site.url("/feeds/rss20.rss")}"\n',
                       encoding="utf-8")
    assert run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path).code in (0, 1)
    for command in (["export", "output", "-o", "out/records.csv"],
                    ["report", "output", "-o", "out/report.html", "-q"],
                    ["schema", "--write", "out/schemas"]):
        run = run_cli(*command, cwd=tmp_path)
        assert run.code == 0, run.stderr
    made = [p for p in tmp_path.rglob("*") if p != sources]
    assert len([p for p in made if p.name.startswith("records-")]) >= 1
    for folder in ("out/schemas/record.schema.json", "out/report.html", "output/runs.jsonl"):
        assert _mode(tmp_path / folder) == 0o644, folder
    assert {p.relative_to(tmp_path).as_posix(): _mode(p) for p in made
            if _mode(p) & (stat.S_IWGRP | stat.S_IWOTH)} == {}
    assert (_mode(tmp_path / "state"), _mode(tmp_path / "state" / "state.sqlite3"),
            _mode(tmp_path / "state" / "lock")) == (0o700, 0o600, 0o600)


def test_a_directory_planted_at_the_old_temporary_name_does_not_stop_a_new_state(
        tmp_path: Path) -> None:
    # The state used to be built as ".state.sqlite3.new": a directory (or another user's
    # file in a sticky folder) planted there could not be removed, and no state could be made.
    state_dir = tmp_path / "state"
    (state_dir / ".state.sqlite3.new").mkdir(parents=True)
    StateStore(state_dir).close()
    assert (state_dir / "state.sqlite3").is_file()
    assert sorted(p.name for p in state_dir.iterdir()) == [".state.sqlite3.new", "state.sqlite3"]


def test_under_umask_000_a_runs_spool_is_private(tmp_path: Path,
                                                 permissive_umask: None) -> None:
    # sqlite3 made the spool's database 0644 under umask 000 (the state's and the lock's
    # were 0600 as documented): a run's records were readable by every local account.
    spool = Spool(tmp_path / "state" / "spool")
    try:
        made = {p.name: _mode(p) for p in spool.path.iterdir()}
    finally:
        spool.close()
    assert made == {"owner.lock": 0o600, "spool.sqlite3": 0o600}
