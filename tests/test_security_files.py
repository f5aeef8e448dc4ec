"""Symbolic links where policywire writes its own files are never followed.

A link planted in the state or output directory (one another local account can write to)
would have a run truncate the file it names (the lock), append a run's lines to it
(``runs.jsonl``), or, recovering from a crash, cut it back and move its tail away. The
one file a user names (``-o FILE``) may be their own link, and is followed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crawler import reindex as reindex_module
from crawler.delivery import Delivery
from crawler.export import write_jsonl
from crawler.state import StateLock, StateStore
from tests.conftest import read_jsonl, records_under, run_cli
from tests.sitesrv import FixtureSite, Route

PRECIOUS = "the operator's file\n"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "precious.txt"
    path.write_text(PRECIOUS, encoding="utf-8")
    return path


def test_a_lock_that_is_a_symbolic_link_is_refused_not_truncated(tmp_path: Path,
                                                                  victim: Path) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    (state_dir / "lock").symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link") as raised:
        StateLock(state_dir).acquire()
    assert raised.value.filename == str(state_dir / "lock")
    assert victim.read_text(encoding="utf-8") == PRECIOUS


def test_a_recovery_does_not_cut_back_the_file_a_planted_link_names(tmp_path: Path,
                                                                     victim: Path) -> None:
    state = StateStore(tmp_path / "state")
    target = tmp_path / "out" / "runs.jsonl"
    ticket = Delivery(state, tmp_path / "state").journal("run1", [target])  # 0 bytes then
    # The run died before delivering; the link is planted before the next one recovers.
    target.parent.mkdir()
    target.symlink_to(victim)
    with pytest.raises(OSError, match="symbolic link"):
        Delivery(state, tmp_path / "state").undo(ticket)
    state.close()
    assert victim.read_text(encoding="utf-8") == PRECIOUS


def _feed(site: FixtureSite) -> str:
    site.routes["/links/feed.rss"] = Route(200, (
        '<rss version="2.0"><channel><title>t</title><item><title>Talks resume</title>'
        f'<link>{site.url("/missing.html")}</link></item></channel></rss>').encode(),
        {"Content-Type": "application/rss+xml"})
    return site.url("/links/feed.rss")


def test_a_crawl_does_not_append_through_a_planted_runs_jsonl_link(
        fresh_site: FixtureSite, tmp_path: Path, victim: Path) -> None:
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "links"\nurl = "{_feed(fresh_site)}"\n', encoding="utf-8")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "runs.jsonl").symlink_to(victim)
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert run.code == 74, run.stderr
    [line] = run.stderr.strip().splitlines()
    assert "symbolic link" in line and "runs.jsonl" in line, line
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    # Nothing delivered: the rerun, the link gone, writes the record.
    (tmp_path / "output" / "runs.jsonl").unlink()
    assert run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path).code == 0
    assert [r["title"] for r in records_under(tmp_path / "output")] == ["Talks resume"]


def test_the_file_the_user_named_may_be_their_link(tmp_path: Path) -> None:
    # `scrapy crawl -s POLICYWIRE_OUTPUT_FILE=FILE` appends to FILE (`scrape -o` replaces it).
    real = tmp_path / "kept" / "talks.jsonl"
    real.parent.mkdir()
    named = tmp_path / "talks.jsonl"
    named.symlink_to(real)
    state = StateStore(tmp_path / "state")
    delivery = Delivery(state, tmp_path / "state", named)
    ticket = delivery.journal("run1", [named])
    with state.atomic():
        delivery.write(ticket, {named: [json.dumps({"title": "Talks resume"}).encode()]})
    state.close()
    assert named.is_symlink() and read_jsonl(real) == [{"title": "Talks resume"}]


def test_an_export_does_not_write_through_a_link_at_its_temporary_name(tmp_path: Path,
                                                                      victim: Path) -> None:
    # The name it used to write under was predictable: `export -o /shared/out.jsonl` wrote
    # through a link planted there, and the rename then left out.jsonl a link to the victim.
    out = tmp_path / "out.jsonl"
    (tmp_path / f".out.jsonl.{os.getpid()}.part").symlink_to(victim)
    assert write_jsonl([{"title": "Talks resume"}], out) == 1
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert not out.is_symlink() and read_jsonl(out) == [{"title": "Talks resume"}]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o644 & ~umask  # readable by all, not mkstemp's 0600


def test_a_reindex_does_not_write_through_a_link_at_its_temporary_name(tmp_path: Path,
                                                                      victim: Path) -> None:
    records = tmp_path / "records-run1.jsonl"
    records.write_text('{"id": "a", "title": "Old"}\n', encoding="utf-8")
    (tmp_path / f".{records.name}.{os.getpid()}.part").symlink_to(victim)
    reindex_module._replace(records, [b'{"id": "a", "title": "New"}\n'])
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert not records.is_symlink() and read_jsonl(records) == [{"id": "a", "title": "New"}]


@pytest.mark.parametrize("planted", ["2026/12/06", "2026"])
def test_a_run_does_not_write_into_a_dated_folder_that_is_a_planted_link(
        tmp_path: Path, planted: str) -> None:
    # O_NOFOLLOW guards the file's own name only: through a link planted as a dated folder
    # the run's new records file went wherever it named (before: written there).
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "12" / "06").mkdir(parents=True)
    output = tmp_path / "out"
    link = output / planted
    link.parent.mkdir(parents=True)
    link.symlink_to(elsewhere if planted == "2026" else elsewhere / "12" / "06")
    state = StateStore(tmp_path / "state")
    target = output / "2026/12/06/records-run1.jsonl"
    delivery = Delivery(state, tmp_path / "state")
    ticket = delivery.journal("run1", [target])
    with pytest.raises(OSError, match="symbolic link") as raised:
        delivery.append(ticket, target, [b'{"title": "Talks resume"}'])
    state.close()
    assert raised.value.filename == str(link)
    assert not list(elsewhere.rglob("*.jsonl"))


def test_a_recovery_does_not_cut_back_a_file_in_a_dated_folder_that_is_a_link(
        tmp_path: Path) -> None:
    # The run died before delivering; a link planted as its dated folder names a folder
    # holding a file of the records file's name: before, cut back and moved away.
    state = StateStore(tmp_path / "state")
    target = tmp_path / "out/2026/12/06/records-run1.jsonl"
    ticket = Delivery(state, tmp_path / "state").journal("run1", [target])  # 0 bytes then
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / target.name).write_text(PRECIOUS, encoding="utf-8")
    target.parent.parent.mkdir(parents=True)
    target.parent.symlink_to(elsewhere)
    with pytest.raises(OSError, match="symbolic link"):
        Delivery(state, tmp_path / "state").undo(ticket)
    state.close()
    assert (elsewhere / target.name).read_text(encoding="utf-8") == PRECIOUS
