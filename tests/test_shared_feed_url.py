"""Two sources listing one feed URL (a topic-filtered and an unfiltered one) each poll it with
their own validators: what one has already seen must not answer 304 for the other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import Run, read_jsonl, records_under, run_cli
from tests.sitesrv import SITE, FixtureSite

FEED = "/feeds/atom.atom"
EXPECTED: dict[str, Any] = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))


def _crawl(site: FixtureSite, folder: Path, *topical: str) -> Run:
    tables = [f'[[sources]]\nname = "all"\nurl = "{site.url(FEED)}"\n']
    tables += [f'[[sources]]\nname = "{name}"\nurl = "{site.url(FEED)}"\nrequire_topic = true\n'
               for name in topical]
    sources = folder / "sources.toml"
    sources.write_text("\n".join(tables), encoding="utf-8")
    return run_cli("crawl", "--sources", str(sources), "--output-dir", str(folder / "out"),
                   "--state-dir", str(folder / "state"), cwd=folder)


def test_a_source_added_beside_another_of_its_feed_url_gets_the_entries(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    fresh_site.etags[FEED] = '"atom-v1"'
    assert _crawl(fresh_site, tmp_path).code == 0  # "all" alone: its ETag is stored
    second = _crawl(fresh_site, tmp_path, "topical")
    assert second.code == 0, second.stderr
    sent = [r.get("If-None-Match") for r in fresh_site.requests[FEED][1:]]
    assert sorted(sent, key=str) == ['"atom-v1"', None]  # "all" asks; "topical" never did
    run = read_jsonl(tmp_path / "out" / "runs.jsonl")[-1]["sources"]
    assert run["all"]["not_modified"] == 1
    kept = [r for r in records_under(tmp_path / "out") if r["source"] == "topical"]
    entries = EXPECTED["feeds"][FEED]["entries"]
    assert len(kept) + run["topical"]["filtered"] == entries  # each entry: a line or a count
    assert kept  # the feed has entries on the lexicon's topics
