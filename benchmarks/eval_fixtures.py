"""Exact titles and publication days on the pages written for the tests.

Each folder of ``tests/fixtures`` with an ``expected.json`` (``german-news``, ``cms-shapes``,
``publisher-shapes``, ``web-pages``) gives per page the URL it stands for, its true title and
publication; a null publication (an undated page) is met only by no date.
Pages written before a rule saw them score the code on fresh evidence: the branch that wrote
``german-news``' last 34 pages measured main on them so (``benchmarks/README.md``, "Fresh
pages of the security-policy field"). Each page is read from its own URL and from a loopback
mirror; the day is the record's ``published`` day (UTC, as ``expected.json`` states it: a
page's local day is in its own zone, which the record's UTC stamp may cross).

    python benchmarks/eval_fixtures.py [--folder german-news] [--pages a.html b.html ...]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from crawler.extract import extract_page

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def score(folder: Path, names: list[str], mirrored: bool) -> tuple[int, int, list[str]]:
    """(titles right, days right, a line per miss) over ``names`` of ``folder``."""
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    titles = days = 0
    misses = []
    for name in names:
        want = expected[name]
        url = f"http://127.0.0.1:8000/{folder.name}/{name}" if mirrored else want["url"]
        page = extract_page((folder / name).read_text(encoding="utf-8"), url)
        day = (page.published or "")[:10]
        titles += page.title == want["title"]
        days += day == str(want["published"] or "")[:10]
        if page.title != want["title"] or day != str(want["published"] or "")[:10]:
            misses.append(f"  {name}: title {page.title!r}, day {day or None}")
    return titles, days, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default="german-news")
    parser.add_argument("--pages", nargs="*", help="these pages only (default: all)")
    args = parser.parse_args()
    folder = FIXTURES / args.folder
    names = args.pages or sorted(json.loads((folder / "expected.json").read_text(
        encoding="utf-8")))
    for mirrored in (False, True):
        titles, days, misses = score(folder, names, mirrored)
        print(f"{'loopback' if mirrored else 'own URL':<9} {len(names):3d} pages  titles "
              f"{titles / len(names):.3f} ({titles})  days {days / len(names):.3f} ({days})")
        for line in misses:
            print(line)


if __name__ == "__main__":
    main()
