"""A realistic output directory for report tests, written with the real Record type.

Two runs over six sources: the seed pair (one German story told by two sources), a different
Putin/Ukraine story, English stories (one merged across two sources), a hostile record, and a
source whose second run lost bodies and authors (extraction drift).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from crawler.models import MatchEvidence, Record, Reject, TopicMatch

RUN_1 = "20240304T060000Z-a1b2"
RUN_2 = "20240305T060000Z-c3d4"
HOSTILE_TITLE = "<script>alert(1)</script>Breaking"
HOSTILE_SUMMARY = "<img src=x onerror=alert(1)>"
SEED_TITLES = (
    "NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)",
    "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)",
)


def rid(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()


def topics(**terms: list[str]) -> list[TopicMatch]:
    return [TopicMatch(topic=name.replace("_", "-"), terms=t) for name, t in terms.items()]


def record(url: str, source: str, title_raw: str, **fields: Any) -> Record:
    """A record as the crawl writes it; ``title`` loses a trailing ``(VIDEO)`` into ``media``."""
    title, media = title_raw, []
    if title_raw.endswith(" (VIDEO)"):
        title, media = title_raw.removesuffix(" (VIDEO)"), ["VIDEO"]
    defaults: dict[str, Any] = {
        "id": rid(url), "url": url, "source": source, "title": title, "title_raw": title_raw,
        "media": media, "fetched_at": "2024-03-04T06:05:00Z", "content_hash": rid(title_raw),
        "run_id": RUN_1, "story_id": "st-" + rid(url)[:12], "text": f"Body of {title}.",
        "authors": ["Staff"], "language": "en",
    }
    return Record(**{**defaults, **fields})


def seed_pair() -> tuple[Record, Record]:
    welt = "https://www.welt.de/politik/ausland/article250401/nato-putin-scheitert.html"
    krone = "https://www.krone.at/3301234"
    story = "st-nato-putin"
    canonical = record(
        welt, "welt-politik", SEED_TITLES[0], language="de", story_id=story,
        published="2024-03-04T08:15:00Z", summary="Der NATO-Generalsekretär sieht Russland "
        "militärisch gescheitert.", topics=topics(nato=["NATO"], russia_ukraine=["Ukraine"]),
    )
    variant = record(
        krone, "krone-ausland", SEED_TITLES[1], language="de", story_id=story,
        published="2024-03-04T09:02:00Z", duplicate_of=canonical.id,
        match=MatchEvidence(rule="title+body", title_similarity=0.74, body_similarity=0.88,
                            matched_id=canonical.id),
        topics=topics(nato=["NATO"], russia_ukraine=["Ukraine-Krieg"]),
    )
    return canonical, variant


def english_records() -> list[Record]:
    nato = record("https://www.nato.int/cps/en/natohq/news_223001.htm", "nato-news",
                  "NATO allies agree to boost air defence for Ukraine",
                  published="2024-03-05T10:00:00Z", run_id=RUN_2, topics=topics(nato=["NATO"]),
                  story_id="st-air-defence", text=None, authors=[])
    reuters = record("https://www.reuters.com/world/europe/nato-air-defences-2024-03-05/",
                     "reuters-world", "NATO allies pledge more air defences to Ukraine",
                     published="2024-03-05T11:30:00Z", run_id=RUN_2, story_id="st-air-defence",
                     duplicate_of=nato.id, topics=topics(nato=["NATO"]),
                     match=MatchEvidence(rule="title", title_similarity=0.62, matched_id=nato.id))
    return [
        nato, reuters,
        record("https://www.consilium.europa.eu/en/press/2024/02/23/sanctions-13th/",
               "eu-council", "EU adopts 13th package of sanctions against Russia",
               published="2024-03-04T12:00:00Z", topics=topics(sanctions=["sanctions"])),
        record("https://www.reuters.com/technology/cybersecurity/cisa-water-2024-03-05/",
               "reuters-world", "CISA warns of state-backed intrusions into water utilities",
               published="2024-03-05T14:00:00Z", run_id=RUN_2, topics=topics(cyber=["CISA"])),
    ]


def drift_records() -> list[Record]:
    """nato-news: full records in run 1; run 2 (with the air-defence record) loses them."""
    first = [record(f"https://www.nato.int/cps/en/natohq/news_2229{n}.htm", "nato-news",
                    f"Secretary General meets defence minister {n}",
                    published=f"2024-03-04T0{n}:00:00Z", topics=topics(nato=["NATO"]))
             for n in range(1, 5)]
    second = [record(f"https://www.nato.int/cps/en/natohq/news_2230{n}.htm", "nato-news",
                     f"Allied exercise Steadfast Defender phase {n}",
                     published=f"2024-03-05T0{n}:00:00Z", run_id=RUN_2, text=None, authors=[],
                     topics=topics(nato=["NATO"]))
              for n in range(1, 3)]
    return first + second


def other_putin_story() -> Record:
    return record("https://www.tagesschau.de/ausland/europa/putin-atomwaffen-100.html",
                  "tagesschau-ausland", "Putin droht dem Westen erneut mit Atomwaffen",
                  language="de", published="2024-03-05T07:45:00Z", run_id=RUN_2,
                  topics=topics(nuclear=["Atomwaffen"], russia_ukraine=["Putin"]))


def hostile_record() -> Record:
    return record("javascript:alert(document.domain)", "shady-blog", HOSTILE_TITLE,
                  summary=HOSTILE_SUMMARY, published="2024-03-05T16:00:00Z", run_id=RUN_2,
                  authors=['<b onmouseover="alert(2)">x</b>'], topics=topics(cyber=["hack"]))


@dataclass(frozen=True)
class Sample:
    output_dir: Path
    records: list[Record]
    stories: int


def write_sample(output_dir: Path) -> Sample:
    """Write records, a rejects file and runs.jsonl the way two crawl runs would."""
    records = [*seed_pair(), *english_records(), *drift_records(), other_putin_story(),
               hostile_record()]
    for run, day in ((RUN_1, "2024/03/04"), (RUN_2, "2024/03/05")):
        folder = output_dir / day
        folder.mkdir(parents=True, exist_ok=True)
        lines = [msgspec.json.encode(r) for r in records if r.run_id == run]
        (folder / f"records-{run}.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    reject = Reject(reason="http_error", url="https://www.consilium.europa.eu/rss",
                    source="eu-council", run_id=RUN_2, detail="503 Service Unavailable",
                    at="2024-03-05T06:01:10Z")
    (output_dir / "2024/03/05" / f"rejects-{RUN_2}.jsonl").write_bytes(
        msgspec.json.encode(reject) + b"\n")
    runs = [_summary(RUN_1, "2024-03-04T06:00:00Z", records, {}),
            _summary(RUN_2, "2024-03-05T06:00:00Z", records, {"eu-council": 1})]
    (output_dir / "runs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in runs))
    stories = len({r.story_id for r in records})
    return Sample(output_dir, records, stories)


def _summary(run: str, started: str, records: list[Record], rejects: dict[str, int]
             ) -> dict[str, Any]:
    sources: dict[str, dict[str, int]] = {}
    for r in records:
        if r.run_id == run:
            counts = sources.setdefault(r.source, {"records": 0, "revised": 0, "unchanged": 2,
                                                   "rejects": 0, "duplicates": 0})
            counts["records"] += 1
            counts["duplicates"] += r.duplicate_of is not None
    for name, n in rejects.items():
        sources.setdefault(name, {"records": 0, "revised": 0, "unchanged": 0, "rejects": 0,
                                  "duplicates": 0})["rejects"] = n
    return {"run_id": run, "started": started, "finished": started, "sources": sources,
            "reject_reasons": {"http_error": sum(rejects.values())}, "files": [],
            "exit_code": 0, "totals": {}}
