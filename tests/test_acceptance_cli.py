"""Values typed on the command line that no date can hold: a usage error, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import records_under, run_cli
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import scrapy_crawl


@pytest.mark.parametrize(("command", "span"), [
    (["export", "output", "-o", "x.jsonl", "--since"], "999999d"),
    (["report", "output", "-o", "r.html", "--until"], "9999999d"),
    (["crawl", "--since"], "9999999w"),
])
def test_a_span_reaching_back_before_year_one_is_a_usage_error(command: list[str], span: str,
                                                                tmp_path: Path) -> None:
    run = run_cli(*command, span, cwd=tmp_path)
    # Before: OverflowError's traceback and exit 1.
    assert run.code == 2 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.endswith(f"'{span}' reaches back before year 1\n"), run.stderr
    assert list(tmp_path.iterdir()) == []



@pytest.mark.parametrize("runs", ["²", "٣"])
def test_dead_after_of_other_digits_says_what_it_takes(runs: str, tmp_path: Path) -> None:
    run = run_cli("stats", "--dead-after", runs, cwd=tmp_path)
    # Before: argparse's "invalid _runs value" (int() of '²' raised; '٣' was taken as 3).
    assert run.code == 2
    assert run.stderr.endswith(f"argument --dead-after: not a whole number of runs, 1 or more:"
                               f" '{runs}'\n"), run.stderr


@pytest.mark.parametrize(("bound", "kept"), [("since=36500d", 3), ("until=36500d", 0)])
def test_scrapy_crawl_reads_a_span_as_policywire_does(site: FixtureSite, tmp_path: Path,
                                                      bound: str, kept: int) -> None:
    # Before: "cannot read '36500d' as a date", exit 2 (README's 7d was the crawl's alone).
    run = scrapy_crawl(tmp_path, "policywire", "-a", f"url={site.url('/feeds/atom.atom')}",
                       "-a", bound, env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"})
    assert run.code == 0, run.stderr
    assert len(records_under(tmp_path / "out")) == kept  # a century back: all, or none
