"""Unrelated real pages stay apart: 80 pages of many sites, extracted, are 80 stories."""

from __future__ import annotations

import gzip
import json
from datetime import datetime

import pytest

from crawler.extract import extract_page
from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams
from tests.stories.shared import SHARED_DATA

PAGES = SHARED_DATA / "pages"


def _pages(count: int) -> list[StoryDoc]:
    docs: list[StoryDoc] = []
    for folder in ("trafilatura-eval", "trafilatura-cache"):
        truth = json.loads((PAGES / folder / "truth.json").read_text())
        for url, label in sorted(truth.items()):
            path = PAGES / folder / (label["file"] + ".gz")
            if len(docs) == count or not path.exists():
                continue
            page = extract_page(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"), url)
            published = datetime.fromisoformat(page.published.replace("Z", "+00:00")).timestamp() \
                if page.published else None
            docs.append(StoryDoc(url, page.title or url, page.text, None, published, url, None))
    return docs


def test_eighty_unrelated_real_pages_are_eighty_stories() -> None:
    if not PAGES.exists():
        pytest.skip(f"{PAGES} missing: the shared data sits beside the repository")
    docs = _pages(80)
    assert len(docs) == 80
    got = StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)
    joined = [(a.id, a.link.record_id) for a in got if a.link is not None]
    assert joined == []
