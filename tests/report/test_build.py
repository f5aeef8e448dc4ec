"""The whole file, without a browser: escaping, self-containment, the CSP, the options."""

from __future__ import annotations

import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import msgspec
import pytest

from crawler.errors import ConfigError
from crawler.models import MatchEvidence, Record
from crawler.report import build_report
from crawler.report.assets import SCRIPT, script_hash
from tests.report.sample import HOSTILE_SUMMARY, HOSTILE_TITLE, record, write_sample


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Elements]:
    root = tmp_path_factory.mktemp("built")
    write_sample(root / "output")
    stats = build_report(root / "output", root / "out" / "report.html")
    assert (stats.stories, stats.records, stats.duplicates, stats.runs) == (12, 14, 2, 2)
    assert stats.drift == ("nato-news",)
    page = (root / "out" / "report.html").read_text(encoding="utf-8")
    parsed = Elements()
    parsed.feed(page)
    return page, parsed


def test_hostile_title_and_summary_are_text(built: tuple[str, Elements]) -> None:
    page, parsed = built
    assert [tag for tag, _ in parsed.tags if tag in {"script", "img", "iframe"}] == ["script"]
    assert HOSTILE_TITLE in parsed.text and HOSTILE_SUMMARY in parsed.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Breaking" in page
    handlers = [k for _, attrs in parsed.tags for k in attrs if k.startswith("on")]
    assert handlers == []


def test_only_http_links_and_page_anchors(built: tuple[str, Elements]) -> None:
    _, parsed = built
    hrefs = [attrs["href"] or "" for tag, attrs in parsed.tags if "href" in attrs]
    assert hrefs and all(h.startswith(("https://", "http://", "#")) for h in hrefs)
    assert "javascript:alert(document.domain)" in parsed.text


def test_nothing_is_loaded_from_elsewhere(built: tuple[str, Elements]) -> None:
    page, parsed = built
    assert not [a for _, a in parsed.tags if "src" in a]
    assert not [t for t, _ in parsed.tags if t == "link"]
    assert "@import" not in page and "url(" not in page


def test_csp_allows_exactly_the_inline_script(built: tuple[str, Elements]) -> None:
    page, parsed = built
    [csp] = [a["content"] or "" for t, a in parsed.tags if a.get("http-equiv")]
    assert f"script-src {script_hash()}" in csp and "default-src 'none'" in csp
    assert f"<script>{SCRIPT}</script>" in page


def test_seed_story_card_holds_both_variants(built: tuple[str, Elements]) -> None:
    page, _ = built
    card = re.search(r'<article class="story" id="story-st-nato-putin".*?</article>', page)
    assert card is not None
    assert card.group().count("<tr class=") == 2
    assert ("title+body</span> · title 0.74 · body 0.88 · matched <bdi>welt-politik</bdi>"
            in card.group())
    assert 'data-languages="[&quot;de&quot;]"' in card.group()


def test_window_limits_the_report(tmp_path: Path) -> None:
    write_sample(tmp_path / "output")
    stats = build_report(tmp_path / "output", tmp_path / "r.html", since="2024-03-05")
    assert (stats.records, stats.runs) == (7, 1)
    stats = build_report(tmp_path / "output", tmp_path / "r.html", until="2024-03-05")
    assert (stats.records, stats.runs) == (7, 1)


def test_empty_output_dir_gives_a_page(tmp_path: Path) -> None:
    stats = build_report(tmp_path, tmp_path / "r.html")
    assert stats.stories == 0
    assert "No records in this window." in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_bad_arguments_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such output directory"):
        build_report(tmp_path / "missing", tmp_path / "r.html")
    with pytest.raises(ConfigError, match=r"--since: cannot read .* as a date"):
        build_report(tmp_path, tmp_path / "r.html", since="last tuesday-ish")


def test_the_page_is_readable_by_others_as_the_umask_allows(tmp_path: Path) -> None:
    # mkstemp made it 0600: a web server running as another user could not serve it.
    write_sample(tmp_path / "output")
    old = os.umask(0o022)
    try:
        build_report(tmp_path / "output", tmp_path / "r.html")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o644


def _write_records(output_dir: Path, *records: Record) -> None:
    folder = output_dir / "2025" / "01" / "02"
    folder.mkdir(parents=True)
    (folder / "records-20250102T000000Z-a1.jsonl").write_bytes(
        b"".join(msgspec.json.encode(r) + b"\n" for r in records))


def test_the_time_axis_names_the_year_when_the_data_spans_two(tmp_path: Path) -> None:
    # Before: "12-30 12-31 01-01 01-02", read as going back in time.
    _write_records(tmp_path / "out", *(
        record(f"https://example.org/{day}", "s", f"Story of {day}", published=f"{day}T10:00:00Z")
        for day in ("2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02")))
    build_report(tmp_path / "out", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    ticks = re.findall(r'<text class="tick" x="[\d.]+" y="\d+" text-anchor="middle">([^<]+)<',
                       page)
    assert ticks[:4] == ["2024-12-30", "12-31", "2025-01-01", "01-02"]


def test_one_year_of_data_keeps_the_short_labels(tmp_path: Path) -> None:
    write_sample(tmp_path / "output")
    build_report(tmp_path / "output", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'text-anchor="middle">03-04<' in page and "middle\">2024-" not in page


def test_a_record_whose_page_failed_is_marked(tmp_path: Path) -> None:
    failed = record("https://example.org/gone", "s", "Feed title only",
                    published="2025-01-02T10:00:00Z", page_error="http_404", text=None)
    fine = record("https://example.org/fine", "s", "A whole other story",
                  published="2025-01-02T11:00:00Z")
    _write_records(tmp_path / "out", failed, fine)
    build_report(tmp_path / "out", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count('class="badge page-error"') == 1
    row = page[page.index(f'data-record="{failed.id}"'):]
    assert 'title="page not fetched: http_404">page failed' in row[:row.index("</tr>")]


class Isolation(HTMLParser):
    """Each text node with whether an enclosing element isolates its direction (a ``<bdi>``
    or a ``dir`` attribute: both are ``unicode-bidi: isolate`` in browsers' stylesheets)."""

    VOID = frozenset({"meta", "br", "col", "input", "img", "hr", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag == "bdi" or "dir" in dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append((data, any(self.stack)))


def test_right_to_left_titles_and_sources_are_isolated(tmp_path: Path) -> None:
    # An analyst's trial: an Arabic title ending in "!" showed its "!" and the VIDEO badge on
    # the wrong side, and " · matched" after a Hebrew source name swapped places.
    title, source, summary = "!عقوبات جديدة على إيران 2024", "חדשות-ביטחון", "ملخص الخبر."
    first = record("https://example.org/ar", source, f"{title} (VIDEO)", summary=summary,
                   published="2025-01-02T10:00:00Z", story_id="st-rtl")
    copy = record("https://example.org/ar-copy", "copies", title, story_id="st-rtl",
                  published="2025-01-02T11:00:00Z", duplicate_of=first.id,
                  match=MatchEvidence(rule="title", title_similarity=1.0, matched_id=first.id))
    _write_records(tmp_path / "out", first, copy)
    build_report(tmp_path / "out", tmp_path / "r.html")
    parsed = Isolation()
    parsed.feed((tmp_path / "r.html").read_text(encoding="utf-8"))
    # Text in an isolating element, or (in SVG labels and tooltips) between FSI and PDI.
    shown = [(text, isolated or f"\u2068{value}\u2069" in text)
             for text, isolated in parsed.texts for value in (title, source, summary, "VIDEO")
             if value in text]
    assert len(shown) >= 9  # h3 and two rows' titles, rows' and table's sources, the chart's
    assert all(isolated for _, isolated in shown), shown


def test_a_records_words_carry_its_language(built: tuple[str, Elements]) -> None:
    # The page is lang="en": a German title under it is hyphenated and read aloud as English.
    page, _ = built
    card = re.search(r'<article class="story" id="story-st-nato-putin".*?</article>', page)
    assert card is not None
    assert '<h3 class="title" lang="de">' in card.group()
    assert card.group().count(' lang="de">') == 4  # the title, the summary, two rows' titles


def test_only_a_language_tag_becomes_a_lang_attribute(tmp_path: Path) -> None:
    fine = record("https://example.org/fine", "s", "Fine", language="pt-BR",
                  published="2025-01-02T11:00:00Z")
    odd = record("https://example.org/odd", "s", "Odd", language="German (Germany)",
                 published="2025-01-02T10:00:00Z")
    _write_records(tmp_path / "out", odd, fine)
    build_report(tmp_path / "out", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<h3 class="title" lang="pt-BR">' in page
    assert '<h3 class="title">' in page and 'lang="German' not in page  # a row's free text
