"""POLICYWIRE_ALLOW_PRIVATE_ADDRESSES means the same to ``policywire`` and to ``scrapy crawl``:
on for 1/true/yes in any case with blanks around, off for anything else. Both run for real
against the loopback site, which the SSRF guard refuses unless the variable turns it off."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import records_under, run_cli
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import scrapy_crawl

FEED = "/feeds/rss10.xml"
SPELLINGS = [("1", True), ("true", True), (" TRUE ", True), ("0", False), ("", False)]


@pytest.mark.parametrize(("value", "allowed"), SPELLINGS)
def test_policywire_reads_the_spelling(site: FixtureSite, tmp_path: Path, value: str,
                                       allowed: bool) -> None:
    run = run_cli("scrape", site.url(FEED), "-o", str(tmp_path / "r.jsonl"),
                  "--output-dir", str(tmp_path / "out"), cwd=tmp_path,
                  env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": value})
    assert run.code == (0 if allowed else 1), run.stderr
    assert bool((tmp_path / "r.jsonl").read_text()) is allowed


@pytest.mark.parametrize(("value", "allowed"), SPELLINGS)
def test_scrapy_crawl_reads_the_spelling(site: FixtureSite, tmp_path: Path, value: str,
                                         allowed: bool) -> None:
    run = scrapy_crawl(tmp_path, "feed", "-a", f"url={site.url(FEED)}",
                       env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": value})
    assert bool(records_under(tmp_path / "out")) is allowed, run.stderr
