"""rebuild_signatures(): the window, records without stories, and equality with the index."""

from __future__ import annotations

from typing import Any

from crawler.dedup import DedupParams, Doc, MemoryStore, StoryIndex
from crawler.dedup.rebuild import RebuildCounts, rebuild_signatures

PARAMS = DedupParams(window_days=30)
NOW = 1_800_000_000.0
DAY = 86_400.0


def _iso(ts: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).isoformat()


def _record(n: int, title: str, ts: float | None, **extra: Any) -> dict[str, Any]:
    return {"id": f"r{n}", "url": f"https://example.org/{n}", "title": title,
            "published": None if ts is None else _iso(ts), "language": "en",
            "story_id": f"s{n}", "fetched_at": _iso(NOW - DAY), **extra}


def test_the_window_and_records_without_stories_are_counted_not_signed() -> None:
    records = [
        _record(1, "NATO ministers meet in Brussels on Ukraine aid", NOW - 2 * DAY),
        _record(2, "EU agrees new sanctions package against Russia", NOW - 40 * DAY,
                fetched_at=_iso(NOW - 40 * DAY)),
        _record(3, "Undated: Germany orders more Patriot systems", None),
        {**_record(4, "Written without story fields", NOW), "story_id": None},
        # A backfill: published long before, fetched yesterday; the window keeps a record
        # window_days from when it entered (was fetched), so the next crawl meets it.
        _record(5, "Archive: Bundestag debates arms exports in 2021", NOW - 400 * DAY),
    ]
    counts = RebuildCounts()
    rows = [row for batch in rebuild_signatures(records, PARAMS, NOW, counts)
            for row in batch]
    assert sorted(r.id for r in rows) == ["r1", "r3", "r5"]
    assert counts.as_dict() == {"records": 5, "signatures": 3, "outside_window": 1,
                                "without_story": 1}
    undated = next(r for r in rows if r.id == "r3")
    assert undated.ts == NOW - DAY  # an undated record counts from when it was fetched
    assert {r.id: (r.ts, r.seen) for r in rows}["r5"] == (NOW - 400 * DAY, NOW - DAY)


def test_rebuilt_rows_equal_what_the_index_stored() -> None:
    titles = ["NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)",
              "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)",
              "Putin droht der Ukraine"]
    body = " ".join(f"word{n} text{n % 7} more{n % 5}" for n in range(80))
    docs = [Doc(id=f"r{n}", url=f"https://example.org/{n}", title=t, language="de",
                published=_iso(NOW - DAY + n), text=body if n == 0 else None,
                source="zeitung" if n else "")
            for n, t in enumerate(titles)]
    store = MemoryStore()
    index = StoryIndex(PARAMS, store, now=NOW)
    decisions = {d.id: d for d in index.assign(docs)}
    index.flush()
    records = [{"id": d.id, "url": d.url, "title": d.title, "language": d.language,
                "published": d.published, "fetched_at": _iso(NOW), "text": d.text,
                "source": d.source or None,
                "story_id": decisions[d.id].story_id,
                "duplicate_of": decisions[d.id].duplicate_of} for d in docs]
    stored = {r.id: r for r in store.load(0.0)}
    rebuilt = {r.id: r for batch in rebuild_signatures(records, PARAMS, NOW) for r in batch}
    assert rebuilt == stored
