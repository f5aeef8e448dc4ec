"""--story-window-days, --story-threshold and --story-scene-bonus: story clustering's window,
threshold and German scene rule from the command line (crawl, scrape, dedup, reindex). Out of
range is a usage error; a crawl whose parameters differ from those the state's stories were
made with is refused before it fetches, until ``reindex`` remakes them with the same
options."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import REPO, records_under, run_cli
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import sources_toml

MAGDEBURG = REPO / "tests" / "fixtures" / "stories" / "de_magdeburg.jsonl"
FEED = "/feeds/atom.atom"


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--story-threshold", "1.5", "must be within [0, 1], got 1.5"),
    ("--story-threshold", "nan", "must be within [0, 1], got nan"),
    ("--story-threshold", "x", "not a number: 'x'"),
    ("--story-scene-bonus", "1.5", "must be within [0, 1], got 1.5"),
    ("--story-window-days", "0", "must be more than 0 days, got 0"),
    ("--story-window-days", "-3", "must be more than 0 days, got -3"),
    ("--story-window-days", "inf", "must be more than 0 days, got inf"),
])
def test_a_story_option_out_of_range_is_a_usage_error(tmp_path: Path, option: str,
                                                      value: str, said: str) -> None:
    run = run_cli("dedup", str(MAGDEBURG), "-o", str(tmp_path / "o.jsonl"), option, value,
                  cwd=tmp_path)
    assert run.code == 2 and option in run.stderr and said in run.stderr, run.stderr
    assert not (tmp_path / "o.jsonl").exists()


def _stories(tmp_path: Path, *options: str) -> int:
    rows = [json.loads(line) for line in MAGDEBURG.read_text().splitlines()]
    given = tmp_path / "in.jsonl"  # the set has no URLs: each outlet's own
    given.write_text("".join(json.dumps({**r, "url": f"https://{r['source']}/{r['id']}"}) + "\n"
                             for r in rows))
    out = tmp_path / f"o{len(options)}.jsonl"
    run = run_cli("dedup", str(given), "-o", str(out), "-q", *options, cwd=tmp_path)
    assert run.code == 0, run.stderr
    return len({json.loads(line)["story_id"] for line in out.read_text().splitlines()})


def test_the_story_threshold_decides_what_joins_a_story(tmp_path: Path) -> None:
    # Four outlets' words for one attack are one story at the default threshold; at 1.0
    # no record's score reaches it, and each outlet's report stands alone.
    assert _stories(tmp_path, "--story-threshold", "1.0") > _stories(tmp_path)


def test_a_crawl_with_other_story_parameters_waits_for_reindex(fresh_site: FixtureSite,
                                                               tmp_path: Path) -> None:
    sources = sources_toml(fresh_site, [FEED], tmp_path)
    where = ("--sources", str(sources), "--output-dir", str(tmp_path / "out"),
             "--state-dir", str(tmp_path / "state"))
    assert run_cli("crawl", *where, cwd=tmp_path).code == 0
    hits = dict(fresh_site.hits)
    refused = run_cli("crawl", *where, "--story-window-days", "10", cwd=tmp_path)
    assert refused.code == 78, refused.stderr
    assert "--story-window-days" in refused.stderr and "policywire reindex" in refused.stderr
    assert fresh_site.hits == hits  # refused before anything was fetched
    remade = run_cli("reindex", "--output-dir", str(tmp_path / "out"), "--state-dir",
                     str(tmp_path / "state"), "--story-window-days", "10", cwd=tmp_path)
    assert remade.code == 0, remade.stderr
    assert run_cli("crawl", *where, "--story-window-days", "10", cwd=tmp_path).code == 0
    assert run_cli("crawl", *where, cwd=tmp_path).code == 78  # the defaults are "other" now
    assert records_under(tmp_path / "out")


def test_a_refusal_names_the_story_parameters_the_state_was_made_with(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before, it named two hashes only: a user who forgot the options reindexed with could
    # not tell which to pass. A state of a version that kept the hash only says so.
    sources = sources_toml(fresh_site, [FEED], tmp_path)
    state = tmp_path / "state"
    where = ("--sources", str(sources), "--output-dir", str(tmp_path / "out"),
             "--state-dir", str(state))
    assert run_cli("crawl", *where, "--story-threshold", "0.2", cwd=tmp_path).code == 0
    refused = run_cli("crawl", *where, cwd=tmp_path)
    assert refused.code == 78 and refused.stderr.count("\n") == 1, refused.stderr
    assert "content_threshold=0.2 (this run: 0.12): rerun with --story-threshold 0.2 " \
        in refused.stderr and "`policywire reindex" in refused.stderr, refused.stderr
    with sqlite3.connect(state / "state.sqlite3") as db:
        db.execute("DELETE FROM meta WHERE key = 'story_params_values'")
    db.close()
    old = run_cli("crawl", *where, cwd=tmp_path)
    assert old.code == 78 and old.stderr.count("\n") == 1, old.stderr
    assert "keeps only that fingerprint" in old.stderr and "policywire reindex" in old.stderr
    assert "rerun with" not in old.stderr


def test_the_refusals_suggested_options_are_accepted(fresh_site: FixtureSite,
                                                     tmp_path: Path) -> None:
    # Before, floats were shown with :g (six digits): the refusal suggested
    # --story-threshold 0.123457 for a state made with 0.1234567891, and was refused again.
    sources = sources_toml(fresh_site, [FEED], tmp_path)
    where = ("--sources", str(sources), "--output-dir", str(tmp_path / "out"),
             "--state-dir", str(tmp_path / "state"))
    made = run_cli("crawl", *where, "--story-threshold", "0.1234567891", cwd=tmp_path)
    assert made.code == 0, made.stderr
    refused = run_cli("crawl", *where, cwd=tmp_path)
    assert refused.code == 78, refused.stderr
    suggested = re.search(r"rerun with (.+?) \(scrapy crawl", refused.stderr)
    assert suggested is not None, refused.stderr
    followed = run_cli("crawl", *where, *suggested[1].split(), cwd=tmp_path)
    assert followed.code == 0, followed.stderr
