"""A crawl whose output directory cannot be written stops before any request, as one whose
state cannot be written does.

Before, ``--output-dir`` naming a file (a typo, a path swapped with ``--sources``) was found
out only when the merge stage wrote its first line: every feed and page was fetched, then the
run ended with exit 74 and nothing to show for it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import run_cli
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import FEEDS, scrapy_crawl, sources_toml


def test_a_crawl_into_an_output_dir_that_is_a_file_fetches_nothing(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder\n", encoding="utf-8")
    sources = sources_toml(fresh_site, [FEEDS[0]], tmp_path)
    run = run_cli("crawl", "--sources", str(sources), "--output-dir", str(tmp_path / "out"),
                  "--state-dir", str(tmp_path / "state"), cwd=tmp_path)
    assert run.code == 74, run.stderr
    assert run.stderr == f"policywire: --output-dir {tmp_path / 'out'}: not a directory\n"
    assert fresh_site.hits == {}


def test_a_scrape_into_an_output_dir_below_a_file_fetches_nothing(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder\n", encoding="utf-8")
    run = run_cli("scrape", fresh_site.url(FEEDS[0]), "-o", str(tmp_path / "records.jsonl"),
                  "--output-dir", str(tmp_path / "out" / "runs"), cwd=tmp_path)
    assert run.code == 74, run.stderr
    assert run.stderr.count("\n") == 1 and "not a directory" in run.stderr, run.stderr
    assert fresh_site.hits == {}


def test_scrapy_crawl_into_an_output_dir_that_is_a_file_fetches_nothing(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: the whole crawl ran, then its merge failed on the first write (exit 74).
    (tmp_path / "out").write_text("not a folder\n", encoding="utf-8")
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"url={fresh_site.url(FEEDS[0])}",
                       env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"})
    assert run.code == 74, run.stderr
    assert run.stderr == (f"scrapy crawl policywire: error: POLICYWIRE_OUTPUT_DIR"
                          f" {tmp_path / 'out'}: not a directory\n")
    assert fresh_site.hits == {}


def test_scrapy_crawl_whose_records_cannot_be_written_says_so_and_exits_74(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # The dated folder its records go to is a file: found only when the merge stage writes.
    # Before: exit 0 and nothing on stderr, the run's records written nowhere.
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / str(datetime.now(UTC).year)).write_text("a file\n", encoding="utf-8")
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"url={fresh_site.url(FEEDS[0])}",
                       env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"})
    assert run.code == 74, run.stderr
    assert run.stderr.startswith("scrapy crawl policywire: error: Not a directory: ")
    assert run.stderr.count("\n") == 1, run.stderr
