"""Page extraction in a spawned process pool gives what inline extraction gives."""

from __future__ import annotations

import asyncio

from crawler.extract import extract_page
from crawler.spiders.pool import PageExtractor, default_workers
from tests.sitesrv import SITE


def test_pool_and_inline_extraction_agree_on_every_fixture_article() -> None:
    pages = sorted((SITE / "articles").glob("*.html"))
    assert pages
    extractor = PageExtractor(1)

    async def both() -> list[tuple[object, object]]:
        found = []
        for path in pages:
            markup = path.read_bytes().decode("utf-8", errors="replace")
            url = f"http://127.0.0.1/articles/{path.name}"
            found.append((await extractor.extract(markup, url), extract_page(markup, url)))
        return found

    try:
        pairs = asyncio.run(both())
    finally:
        extractor.close()
    assert all(pooled == inline for pooled, inline in pairs)
    assert extractor._pool is None  # closed


def test_no_pool_without_workers() -> None:
    extractor = PageExtractor(0)
    page = asyncio.run(extractor.extract("<html><h1>T</h1><p>x</p></html>", "http://h/a"))
    assert page == extract_page("<html><h1>T</h1><p>x</p></html>", "http://h/a")
    assert extractor._pool is None
    assert 0 <= default_workers() <= 4
