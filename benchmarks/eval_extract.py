"""Extraction quality on labelled real pages: policywire's record vs trafilatura alone.

Pages and labels: ../shared/data/pages/{trafilatura-eval,trafilatura-cache} (see its MANIFEST).
Per page: share of ``with`` snippets found in the body, ``without`` boilerplate absent,
title exactly right, date right to the day. Prints both tools side by side: over all pages,
per half (each folder is the other's held-out half: rules were judged on one, the other
says whether they generalise) and per language (detected on the page's text).

    python benchmarks/eval_extract.py [--data ../shared/data/pages] [--json] [--mirror]
        [--title-misses] [--date-misses]

``--title-misses`` and ``--date-misses`` list each labelled page's miss with its cause's
class (:mod:`benchmarks.extract_misses`), then the hand-labelled pages' misses.

Then the exact-title score on the pages ``truth.json`` leaves without a title, labelled by
hand in ``benchmarks/data/page_titles.jsonl`` (pages labelled "none" are no article and left
out), in two halves by line (odd, even) so that a rule judged on one can be checked on the other.

Then the date share on the pages ``benchmarks/data/page_dates.jsonl`` labels by hand (the
cache half's pages ``truth.json`` leaves undated): a null label met by no date counts right,
a date where the label is null is an invented date, counted apart.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import trafilatura
from scrapy.http import HtmlResponse

# Run as a script from the repository's root, the package `benchmarks` is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.extract_misses import date_cause, title_cause
from crawler.extract import extract_page
from crawler.language import choose_language
from crawler.normalize import parse_date

_KEYS = ("title", "date", "with", "without")
TITLE_LABELS = Path(__file__).resolve().parent / "data" / "page_titles.jsonl"
_PAGE_DATES = Path(__file__).resolve().parent / "data" / "page_dates.jsonl"
# Languages with fewer labelled pages than this are reported together as "other".
_MIN_PAGES = 8


def default_data() -> Path:
    """``shared/data/pages`` beside the checkout, found from a worktree as well
    (``/work/main`` and ``/work/wt/<name>`` both reach ``/work/shared``)."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data" / "pages"
        if candidate.is_dir():
            return candidate
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "pages"


@dataclass
class Score:
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KEYS, 0))
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KEYS, 0))
    pages: int = 0

    def add(self, key: str, ok: bool) -> None:
        self.totals[key] += 1
        self.hits[key] += ok

    def share(self, key: str) -> float:
        return self.hits[key] / self.totals[key] if self.totals[key] else 0.0

    def body(self) -> float:
        total = self.totals["with"] + self.totals["without"]
        return (self.hits["with"] + self.hits["without"]) / total if total else 0.0

    def row(self) -> dict[str, float]:
        return {"title": self.share("title"), "date": self.share("date"),
                "with": self.share("with"), "without": self.share("without"),
                "body": self.body(), "pages": self.pages}


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
    score.pages += 1
    if label.get("title"):
        score.add("title", (title or "").strip() == str(label["title"]).strip())
    if label.get("date"):
        score.add("date", (date or "")[:10] == str(label["date"])[:10])
    for snippet in label.get("with", []):  # type: ignore[attr-defined]
        score.add("with", snippet in text)
    for snippet in label.get("without", []):  # type: ignore[attr-defined]
        score.add("without", snippet not in text)


def pages(data: Path) -> Iterator[tuple[str, str, dict[str, object], str]]:
    """(half, url, label, markup) of every labelled page; the half is its folder's name."""
    for folder in sorted(p for p in data.iterdir() if (p / "truth.json").is_file()):
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        for url, label in truth.items():
            path = folder / label["file"]
            path = path if path.exists() else path.with_name(path.name + ".gz")
            if path.exists():
                raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else \
                    path.read_bytes()
                yield folder.name, url, label, decoded(raw, url)


def decoded(raw: bytes, url: str) -> str:
    """The page's text as the crawl decodes it (``response.text`` of Scrapy's
    ``HtmlResponse``: declared charset, ``<meta>``, BOM, then detection). A stored page has
    no headers, so its own declaration decides; as UTF-8 with replacement, the four cp1252
    pages (mix1.de, landwirt.com, ...) were garbled here and not in a crawl."""
    page_url = url if url.startswith(("http://", "https://")) else "http://localhost/"
    return HtmlResponse(url=page_url, body=raw).text


def evaluate(data: Path, mirror: bool = False,
             misses: list[str] | None = None) -> dict[str, dict[str, Score]]:
    """Scores per tool, keyed by group: ``all``, each half, each language. ``mirror``: each
    page fetched from a loopback mirror (``http://127.0.0.1:8000/<half>/<file>``, a URL that
    names no site and no day), as a one-off scrape of a local copy would. ``misses``, where
    given, gets a line per title and date policywire misses, with its cause's class."""
    found: dict[str, dict[str, Score]] = {"policywire": {}, "trafilatura": {}}
    for half, real_url, label, markup in pages(data):
        url = f"http://127.0.0.1:8000/{half}/{label['file']}" if mirror else real_url
        page = extract_page(markup, url)
        text = page.text or ""
        groups = ("all", half, f"lang:{choose_language(text[:600], page.language) or '?'}")
        doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True)
        if misses is not None:
            misses += _misses((half, real_url), label, page.title,
                              local_day(page.published, page.published_raw), markup)
        for group in groups:
            score_page(found["policywire"].setdefault(group, Score()), label, page.title,
                       local_day(page.published, page.published_raw), text)
            score_page(found["trafilatura"].setdefault(group, Score()), label,
                       doc.title if doc else None, doc.date if doc else None,
                       (doc.text or "") if doc else "")
    return {tool: _fold_small_languages(groups) for tool, groups in found.items()}


def _misses(where: tuple[str, str], label: dict[str, object], title: str | None, day: str,
            markup: str) -> list[str]:
    """A line per missed title and date of one page (``where``: its half and URL): the
    label, ours, the cause's class."""
    half, url = where
    found = []
    want = str(label.get("title") or "").strip()
    if want and (title or "").strip() != want:
        found.append(f"title {half:<18} {url}\n    label: {want}\n    ours:  {title}\n"
                     f"    cause: {title_cause(want, title, markup)}")
    day_wanted = str(label.get("date") or "")[:10]
    if day_wanted and day[:10] != day_wanted:
        found.append(f"date  {half:<18} {url}\n    label: {day_wanted}  ours: {day[:10] or None}"
                     f"\n    cause: {date_cause(day_wanted, day[:10] or None, markup, url)}")
    return found


def _fold_small_languages(groups: dict[str, Score]) -> dict[str, Score]:
    kept = {g: s for g, s in groups.items() if not g.startswith("lang:") or s.pages >= _MIN_PAGES}
    other = Score()
    for group, score in groups.items():
        if group not in kept:
            other.pages += score.pages
            for key in _KEYS:
                other.hits[key] += score.hits[key]
                other.totals[key] += score.totals[key]
    if other.pages:
        kept["lang:other"] = other
    return kept


def self_labelled_titles(data: Path, labels: Path = TITLE_LABELS,
                         ) -> tuple[dict[str, dict[str, Score]], list[tuple[str, str, str]]]:
    """Exact titles on the hand-labelled pages, per tool and half (``all``, ``odd``,
    ``even`` by line), and policywire's misses as (file, label, title)."""
    found: dict[str, dict[str, Score]] = {"policywire": {}, "trafilatura": {}}
    misses: list[tuple[str, str, str]] = []
    lines = labels.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        label = json.loads(line)
        if label["title"] == "none":
            continue
        path = data / label["file"]
        path = path if path.exists() else path.with_name(path.name + ".gz")
        markup = decoded(gzip.decompress(path.read_bytes()), label["url"])
        url = label["url"] if label["url"].startswith("http") else "http://localhost/"
        ours = extract_page(markup, url).title
        doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True)
        for group in ("all", "odd" if number % 2 else "even"):
            found["policywire"].setdefault(group, Score()).add("title", ours == label["title"])
            found["trafilatura"].setdefault(group, Score()).add(
                "title", (doc.title if doc else None) == label["title"])
        if ours != label["title"]:
            misses.append((label["file"], label["title"], ours or ""))
    return found, misses


def print_self_labelled(data: Path, show_misses: bool) -> None:
    found, misses = self_labelled_titles(data)
    print("\nexact titles on the self-labelled pages (benchmarks/data/page_titles.jsonl)")
    for group in ("all", "odd", "even"):
        for tool, groups in found.items():
            score = groups[group]
            print(f"{group:<20} {tool:<12} {score.totals['title']:5d} {score.share('title'):6.3f}"
                  f" ({score.hits['title']}/{score.totals['title']})")
    for file, label, title in misses if show_misses else ():
        print(f"miss {file}\n  label: {label}\n  ours:  {title}")


@dataclass
class DateScore:
    """Dates against hand labels that may be null: right (the day, or null for null), wrong
    (another day), missing (null for a day) and invented (a day for null)."""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("right", "wrong", "missing", "invented"), 0))
    misses: list[str] = field(default_factory=list)

    def add(self, url: str, label: str | None, found: str | None) -> None:
        day = found[:10] if found else None
        kind = "right" if day == label else "invented" if label is None else \
            "missing" if day is None else "wrong"
        self.counts[kind] += 1
        if kind != "right":
            self.misses.append(f"{kind:<8} {url} label {label} found {day}")

    def share(self) -> float:
        return self.counts["right"] / max(1, sum(self.counts.values()))


def page_date_labels(path: Path = _PAGE_DATES) -> list[dict[str, str | None]]:
    """The hand labels of ``benchmarks/data/page_dates.jsonl`` (url, file, date, evidence)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate_page_dates(data: Path, mirror: bool = False) -> dict[str, DateScore]:
    """Each tool's dates on the hand-labelled pages, read as ``evaluate`` reads its pages."""
    found = {"policywire": DateScore(), "trafilatura": DateScore()}
    for label in page_date_labels():
        path = data / f"{label['file']}.gz"
        real_url = str(label["url"])
        url = f"http://127.0.0.1:8000/{label['file']}" if mirror else real_url
        markup = decoded(gzip.decompress(path.read_bytes()), real_url)
        page = extract_page(markup, url)
        doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True)
        date = label["date"]
        found["policywire"].add(real_url, date, local_day(page.published, page.published_raw)
                                or None)
        found["trafilatura"].add(real_url, date, doc.date if doc else None)
    return found


def print_page_dates(scores: dict[str, DateScore], misses: bool) -> None:
    print(f"\nhand-labelled dates ({_PAGE_DATES.name})")
    for tool, score in scores.items():
        counts = " ".join(f"{k} {v}" for k, v in score.counts.items())
        print(f"{tool:<12} {sum(score.counts.values()):3d} pages  date {score.share():.3f}  "
              f"{counts}")
        for line in score.misses if misses else ():
            print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--mirror", action="store_true",
                        help="pages as fetched from a loopback mirror (their URLs unknown)")
    parser.add_argument("--title-misses", action="store_true",
                        help="list the self-labelled pages whose title is missed")
    parser.add_argument("--date-misses", action="store_true",
                        help="list each hand-labelled page whose date is not the label's")
    args = parser.parse_args()
    misses: list[str] = []
    rows = {tool: {group: score.row() for group, score in groups.items()}
            for tool, groups in evaluate(args.data, args.mirror, misses).items()}
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'group':<20} {'tool':<12} {'pages':>5} {'title':>6} {'date':>6} {'with':>6} "
          f"{'without':>8} {'body':>6}")
    # All pages first, then the two halves, then the languages.
    for group in sorted(rows["policywire"], key=lambda g: (g != "all", g.startswith("lang:"), g)):
        for tool, groups in rows.items():
            row = groups[group]
            print(f"{group:<20} {tool:<12} {row['pages']:5.0f} {row['title']:6.3f} "
                  f"{row['date']:6.3f} {row['with']:6.3f} {row['without']:8.3f} "
                  f"{row['body']:6.3f}")
    for line in misses:
        if args.title_misses if line.startswith("title") else args.date_misses:
            print(line)
    print_self_labelled(args.data, args.title_misses)
    print_page_dates(evaluate_page_dates(args.data, args.mirror), args.date_misses)


if __name__ == "__main__":
    main()
