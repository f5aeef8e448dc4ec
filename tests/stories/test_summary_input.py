"""`policywire dedup` reads a row's feed summary for story clustering when it has no text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.cli import main

# Written for this test about a real event of July 2020 (the UK's suspension of its
# extradition treaty with Hong Kong), and a related event of the same day.
ROWS = [
    {"id": "a", "url": "https://one.example/a", "source": "one.example",
     "published": "2020-07-20T15:00:00Z",
     "title": "Raab tells MPs the deal with the former colony is off",
     "summary": "Foreign Secretary Dominic Raab said Britain would suspend its extradition"
                " treaty with Hong Kong immediately, citing the national security law Beijing"
                " imposed on the territory."},
    {"id": "b", "url": "https://two.example/b", "source": "two.example",
     "published": "2020-07-20T18:00:00Z",
     "title": "Britain halts handover arrangements with Hong Kong",
     "summary": "Britain has suspended its extradition treaty with Hong Kong, Foreign Secretary"
                " Dominic Raab told parliament, and extended an arms embargo on China to the"
                " territory over the security law."},
    {"id": "c", "url": "https://three.example/c", "source": "three.example",
     "published": "2020-07-20T19:00:00Z",
     "title": "Hong Kong stocks slip as tensions rise",
     "summary": "Shares in Hong Kong fell on Monday as investors weighed rising tensions"
                " between Beijing and Western governments, with banks and property developers"
                " leading the losses."},
]


@pytest.mark.parametrize("url_key", ["url", "link"])  # "link": a feed dump's key, read by name
def test_a_rows_summary_joins_it_to_its_event_and_a_related_event_stays_apart(
        tmp_path: Path, url_key: str) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [{(url_key if k == "url" else k): v for k, v in row.items()} for row in ROWS]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    assert main(["dedup", str(source), "-o", str(out), "-q"]) == 0
    story = {r["id"]: r["story_id"] for r in map(json.loads, out.read_text().splitlines())}
    assert story["a"] == story["b"]  # two outlets' titles in other words: the summaries meet
    assert story["c"] != story["a"]
