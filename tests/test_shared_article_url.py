"""Two sources linking one article URL in one run: the article is one record (its id is the
URL's), and the other source's entry is counted ``also_in_run``, never ``unchanged``, which
says "seen in an earlier run". Through ``policywire crawl``, ``scrapy crawl`` and two
scale-out workers sharing one Redis."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import read_jsonl, records_under, run_cli
from tests.scaleout.test_workers import _enqueue, _finish, _worker
from tests.sitesrv import FixtureSite, Route
from tests.test_crawl_e2e import scrapy_crawl

ARTICLE = "/articles/en-deterrence.html"


def _sources(site: FixtureSite, folder: Path) -> Path:
    """Sources "desk" and "wire", each an RSS feed of its own whose one entry (no guid: its
    identity is its URL) links ARTICLE."""
    tables = []
    for name in ("desk", "wire"):
        item = (f"<item><title>Deterrence ({name})</title><link>{site.url(ARTICLE)}</link>"
                "<pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate></item>")
        site.routes[f"/{name}.rss"] = Route(
            200, f'<rss version="2.0"><channel><title>{name}</title>{item}</channel></rss>'
            .encode(), {"Content-Type": "application/rss+xml"})
        tables.append(f'[[sources]]\nname = "{name}"\nurl = "{site.url(f"/{name}.rss")}"\n')
    path = folder / "sources.toml"
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


def _counts(manifest: dict[str, Any], key: str) -> dict[str, int]:
    return {name: counts[key] for name, counts in sorted(manifest["sources"].items())}


def _one_record_one_also(out: Path) -> dict[str, Any]:
    """The run's manifest, after checking: one record, the other entry ``also_in_run``."""
    manifest = read_jsonl(out / "runs.jsonl")[-1]
    assert len(records_under(out)) == 1
    assert sorted(_counts(manifest, "records").values()) == [0, 1]
    assert sorted(_counts(manifest, "also_in_run").values()) == [0, 1]
    assert _counts(manifest, "unchanged") == {"desk": 0, "wire": 0}
    assert manifest["totals"]["also_in_run"] == 1
    return manifest


def test_crawl_counts_the_second_source_also_in_run_then_both_unchanged(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    sources = _sources(fresh_site, tmp_path)

    def crawl() -> None:
        run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                      "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
        assert run.code == 0, run.stderr

    crawl()
    _one_record_one_also(tmp_path / "out")
    crawl()  # now both entries were seen in an earlier run
    again = read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]
    assert _counts(again, "unchanged") == {"desk": 1, "wire": 1}
    assert again["totals"]["also_in_run"] == 0 and again["totals"]["records"] == 0


def test_later_runs_fetch_an_article_two_sources_link_for_neither(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    sources = _sources(fresh_site, tmp_path)
    fetched = []
    for _ in range(3):
        run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                      "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
        assert run.code == 0, run.stderr
        fetched.append(fresh_site.hits.get(ARTICLE, 0))
    # Each source's entry fetched it in the first run (no run knew it yet). Before: one
    # fingerprint stored for the article's id, the last source's, and the other source's
    # entry fetched the page again every run ([2, 3, 4]).
    assert fetched == [2, 2, 2]
    again = read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]
    assert _counts(again, "unchanged") == {"desk": 1, "wire": 1}


def test_scrapy_crawl_counts_it_too(fresh_site: FixtureSite, tmp_path: Path) -> None:
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"sources={_sources(fresh_site, tmp_path)}",
                       "-s", "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES=1")
    assert run.code == 0, run.stderr
    _one_record_one_also(tmp_path / "out")


@pytest.mark.slow
def test_two_workers_count_it_in_their_one_merge(
        fresh_site: FixtureSite, redis_url: str, tmp_path: Path) -> None:
    namespace = f"t{secrets.token_hex(4)}"
    _enqueue(redis_url, namespace, _sources(fresh_site, tmp_path), tmp_path)
    workers = [_worker(redis_url, namespace, tmp_path, name) for name in ("a", "b")]
    for proc in workers:
        _finish(proc)
    merged = [out for out in tmp_path.glob("out-*") if (out / "runs.jsonl").exists()]
    assert len(merged) == 1, "one round, one merge"
    _one_record_one_also(merged[0])
