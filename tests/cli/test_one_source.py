"""Working with one source: ``crawl --only NAME`` and ``sources test NAME``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import read_jsonl, records_under, run_cli
from tests.sitesrv import FixtureSite


@pytest.fixture
def sources(site: FixtureSite, tmp_path: Path) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(
        f'[[sources]]\nname = "rss"\nurl = "{site.url("/feeds/rss20.rss")}"\n\n'
        f'[[sources]]\nname = "atom"\nurl = "{site.url("/feeds/atom.atom")}"\nenabled = false\n\n'
        f'[[sources]]\nname = "broken"\nurl = "{site.url("/feeds/garbage.xml")}"\n',
        encoding="utf-8")
    return path


def test_crawl_only_crawls_the_named_sources(sources: Path, tmp_path: Path) -> None:
    run = run_cli("crawl", "--sources", "s.toml", "--only", "atom", "--only", "rss", "-q",
                  cwd=tmp_path)
    assert run.code == 0, run.stderr  # the broken source was left alone
    (manifest,) = read_jsonl(tmp_path / "output" / "runs.jsonl")
    assert sorted(manifest["sources"]) == ["atom", "rss"]  # atom disabled, but named
    assert {r["source"] for r in records_under(tmp_path / "output")} == {"atom", "rss"}


def test_crawl_only_of_an_unknown_name_lists_the_sources(sources: Path, tmp_path: Path) -> None:
    run = run_cli("crawl", "--sources", "s.toml", "--only", "nato", cwd=tmp_path)
    assert (run.code, run.stderr) == (2, "policywire: --only: no source 'nato' in s.toml; its"
                                         " sources: rss, atom, broken\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


def test_sources_test_shows_records_and_rejects_and_keeps_nothing(
        sources: Path, tmp_path: Path) -> None:
    run = run_cli("sources", "test", "rss", "--sources", "s.toml", cwd=tmp_path)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 4 and all(line.startswith("record  2026-11-0") for line in lines)
    assert "NATO summit: allies agree to raise air-defence targets" in lines[0]
    assert lines[3].endswith("/missing.html  (page: http_404)")
    totals = json.loads(run.stderr.split(": ", 2)[2].split("; nothing kept")[0])
    assert (totals["records"], totals["rejects"]) == (4, 0)
    broken = run_cli("sources", "test", "broken", "--sources", "s.toml", cwd=tmp_path)
    assert broken.code == 1
    (line,) = broken.stdout.splitlines()
    assert line.startswith("reject  feed_unparseable  http://127.0.0.1:")
    assert "not well-formed" in line
    unknown = run_cli("sources", "test", "nato", "--sources", "s.toml", cwd=tmp_path)
    assert (unknown.code, unknown.stderr) == (2, "policywire: no source 'nato' in s.toml; its"
                                                 " sources: rss, atom, broken\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]  # no output/, no state/
