"""One request per article URL a run: the first entry asks, the others take its outcome."""

from __future__ import annotations

import dataclasses

from crawler.models import Entry, Fetched, Page
from crawler.spiders.shared_pages import SharedPages


def _item(source: str, link: str) -> Fetched:
    return Fetched(source=source, entry=Entry(title=source, link=link), feed_url=None)


def test_entries_linking_one_page_take_the_first_ones_outcome() -> None:
    shared = SharedPages()
    first, waiting = _item("a", "https://x.eu/1"), _item("b", "https://x.eu/1")
    assert shared.ask(first) is True
    assert shared.ask(waiting) is False
    page = Page(title="One", text="Body")
    [taken] = shared.answered(dataclasses.replace(first, page=page, page_url="https://x.eu/1"))
    assert (taken.source, taken.page, taken.page_url) == ("b", page, "https://x.eu/1")
    late = shared.ask(_item("c", "https://x.eu/1"))
    assert isinstance(late, Fetched) and (late.source, late.page) == ("c", page)


def test_a_withdrawn_or_forgotten_page_is_asked_for_again() -> None:
    shared = SharedPages(keep=1)
    assert shared.ask(_item("a", "https://x.eu/1")) is True
    shared.withdraw(_item("a", "https://x.eu/1"))  # refused: the request budget
    assert shared.ask(_item("b", "https://x.eu/1")) is True
    shared.answered(_item("b", "https://x.eu/1"))
    assert shared.ask(_item("c", "https://x.eu/2")) is True
    shared.answered(_item("c", "https://x.eu/2"))  # keeps one outcome: the first is dropped
    assert shared.ask(_item("d", "https://x.eu/1")) is True
