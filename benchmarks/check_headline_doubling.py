"""Headline doubling: does any record's body start with a rendering of its headline?

For every page of ../shared/data/pages (labelled or not), every page fixture of
tests/fixtures/{german-news,cms-shapes,publisher-shapes}, the fixture site's articles and the
two seed pages made from them (tests/test_extract.py): the body's first three lines, each
folded, against every title candidate the page declares (JSON-LD, og:title, twitter:title,
<title>, each h1, the chosen title, each without the site's name), as ``strip_headlines``
would miss them: the same words, a candidate's words with at most a short tail, the same
letters however spaces and marks part them ("Jahreshauptversammlungwählt ..."), or a line
sharing 0.6 of its match tokens with one. Prints each suspect line and a count.

    python benchmarks/check_headline_doubling.py [--data ../shared/data/pages]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

# Run as a script from the repository's root, the package `benchmarks` is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.eval_extract import default_data, pages
from crawler.dedup.tokens import match_tokens
from crawler.extract import extract_page
from crawler.extract.sitenames import squash
from crawler.extract.title_sources import page_headings
from crawler.normalize import clean_text, fold

_FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
_FOLDERS = ("german-news", "cms-shapes", "publisher-shapes")
_HEAD_LINES = 3
_JACCARD = 0.6
# A line is the headline with at most a mark or a tag after it.
_TAIL = 25


def _fixtures() -> Iterator[tuple[str, str]]:
    for folder in _FOLDERS:
        expected = json.loads((_FIXTURES / folder / "expected.json").read_text(encoding="utf-8"))
        for name, want in expected.items():
            yield str(want["url"]), (_FIXTURES / folder / name).read_text(encoding="utf-8")


def _site_articles() -> Iterator[tuple[str, str]]:
    """The fixture site's articles and the seed pages, as tests/test_extract.py serves them."""
    from tests.test_extract import EXPECTED, _page, _seed_pages

    for path in EXPECTED["articles"]:
        yield f"http://127.0.0.1:9{path}", _page(path)
    for path, body in _seed_pages().items():
        yield f"http://127.0.0.1:9{path}", body.decode("utf-8")


def _candidates(markup: str, title: str | None) -> set[str]:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(markup.encode("utf-8"))
    found = {title or "", clean_text(tree.findtext(".//title"))}
    found |= {clean_text(m.get("content")) for m in tree.iter("meta")
              if (m.get("property") or m.get("name") or "").lower() in ("og:title",
                                                                       "twitter:title")}
    found |= set(page_headings(tree, "h1"))
    return {c for c in found if fold(c)}


def _doubled(line: str, candidate: str) -> bool:
    folded, wanted = fold(line), fold(candidate)
    if folded == wanted or (folded.startswith(wanted) and len(folded) <= len(wanted) + _TAIL):
        return True
    if squash(line) and squash(line) == squash(candidate):
        return True
    mine, theirs = match_tokens(line, None), match_tokens(candidate, None)
    shared = len(mine & theirs) / len(mine | theirs) if mine | theirs else 0.0
    return len(mine) >= 3 and shared >= _JACCARD and len(line) <= 2 * len(candidate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    args = parser.parse_args()
    checked = suspects = 0
    sources = [(url, markup) for _, url, _, markup in pages(args.data)] + list(_fixtures()) + \
        list(_site_articles())
    for url, markup in sources:
        page = extract_page(markup, url)
        checked += 1
        head = (page.text or "").split("\n")[:_HEAD_LINES]
        for index, line in enumerate(head):
            hits = [c for c in _candidates(markup, page.title) if _doubled(line, c)]
            if hits:
                suspects += 1
                print(f"{url}\n  title: {page.title}\n  line {index}: {line[:100]}\n"
                      f"  restates: {hits[0][:100]}\n  above: {head[:index]}")
    print(f"{suspects} suspect lines in the first {_HEAD_LINES} lines of {checked} pages")


if __name__ == "__main__":
    main()
