"""Extraction quality on labelled real pages: policywire's record vs trafilatura alone.

Pages and labels: ../shared/data/pages/{trafilatura-eval,trafilatura-cache} (see its MANIFEST).
Per page: share of ``with`` snippets found in the body, ``without`` boilerplate absent,
title exactly right, date right to the day. Prints both tools side by side.

    python benchmarks/eval_extract.py [--data ../shared/data/pages] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import trafilatura

from crawler.extract import extract_page
from crawler.normalize import parse_date

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pages"


@dataclass
class Score:
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("title", "date", "with", "without"), 0))
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("title", "date", "with", "without"), 0))

    def add(self, key: str, ok: bool) -> None:
        self.totals[key] += 1
        self.hits[key] += ok

    def share(self, key: str) -> float:
        return self.hits[key] / self.totals[key] if self.totals[key] else 0.0

    def body(self) -> float:
        total = self.totals["with"] + self.totals["without"]
        return (self.hits["with"] + self.hits["without"]) / total if total else 0.0


def local_day(published: str | None, raw: str | None) -> str:
    """The publication day as the publisher states it (labels are local dates); a UTC
    timestamp near midnight would otherwise land on a neighbouring day."""
    if raw and published and parse_date(raw) == published:
        try:
            return datetime.fromisoformat(raw.strip().replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            pass
    return (published or "")[:10]


def score_page(score: Score, label: dict[str, object], title: str | None, date: str | None,
               text: str) -> None:
    if label.get("title"):
        score.add("title", (title or "").strip() == str(label["title"]).strip())
    if label.get("date"):
        score.add("date", (date or "")[:10] == str(label["date"])[:10])
    for snippet in label.get("with", []):  # type: ignore[attr-defined]
        score.add("with", snippet in text)
    for snippet in label.get("without", []):  # type: ignore[attr-defined]
        score.add("without", snippet not in text)


def pages(data: Path) -> list[tuple[str, dict[str, object], str]]:
    found = []
    for folder in sorted(p for p in data.iterdir() if (p / "truth.json").is_file()):
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        for url, label in truth.items():
            path = folder / label["file"]
            path = path if path.exists() else path.with_name(path.name + ".gz")
            if path.exists():
                raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else \
                    path.read_bytes()
                found.append((url, label, raw.decode("utf-8", "replace")))
    return found


def evaluate(data: Path) -> dict[str, Score]:
    ours, alone = Score(), Score()
    for url, label, markup in pages(data):
        page = extract_page(markup, url)
        score_page(ours, label, page.title, local_day(page.published, page.published_raw),
                   page.text or "")
        doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True)
        score_page(alone, label, doc.title if doc else None, doc.date if doc else None,
                   (doc.text or "") if doc else "")
    return {"policywire": ours, "trafilatura": alone}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = evaluate(args.data)
    rows = {name: {"title": s.share("title"), "date": s.share("date"), "with": s.share("with"),
                   "without": s.share("without"), "body": s.body(), "pages": s.totals["title"]}
            for name, s in results.items()}
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'tool':<12} {'title':>6} {'date':>6} {'with':>6} {'without':>8} {'body':>6}")
    for name, row in rows.items():
        print(f"{name:<12} {row['title']:6.3f} {row['date']:6.3f} {row['with']:6.3f} "
              f"{row['without']:8.3f} {row['body']:6.3f}")


if __name__ == "__main__":
    main()
