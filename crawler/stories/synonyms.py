"""One name for what outlets call by several: the pandemic's disease and its virus.

"Brazil's president again tests positive for Covid-19" and "Brazil's Bolsonaro tests positive
for the novel coronavirus again" report one test: outlets name the disease (Covid-19, COVID,
Covid19) and the virus (coronavirus, SARS-CoV-2) for one another, and a headline of six
content words that calls it otherwise shares one word fewer with every member title (a bare
title joins by that share alone). The near-duplicate layer keeps the names apart (its figures
are fixed on its own pairs); the story layer reads them as one word, "coronavirus", in English
titles, leads and summaries (and so drops the "19" that "Covid-19" brings among a title's
numbers). English real-feed pairs of rounds 1-3: 4 same-event pairs more found, no related
pair merged more (benchmarks/README.md, "Real feeds").
"""

from __future__ import annotations

import re
from dataclasses import replace

from crawler.dedup.languages import base_language
from crawler.stories.types import StoryDoc

# The disease's and the virus's names as written: "Covid-19", "COVID19", "covid 19", "Covid",
# "SARS-CoV-2" (not "covidiots": a word boundary after the name).
_NAMES = re.compile(r"\b(?:covid|sars-cov-2)(?:[- ]?19)?\b", re.IGNORECASE)
_ONE = "coronavirus"


def one_name(doc: StoryDoc, chars: int) -> StoryDoc:
    """``doc`` with its title, text and summary naming the disease and the virus by one
    word, of its text and summary the first ``chars`` characters (what the story layer
    reads: ``StoryParams.lead_chars``); ``doc`` itself when it is not English or names
    neither (the common case)."""
    if base_language(doc.language) != "en":
        return doc
    title, text, summary = _named(doc.title), _named(doc.text, chars), _named(doc.summary, chars)
    if title is None and text is None and summary is None:
        return doc
    return replace(doc, title=doc.title if title is None else title,
                   text=doc.text if text is None else text,
                   summary=doc.summary if summary is None else summary)


def _named(text: str | None, chars: int | None = None) -> str | None:
    """``text`` (its first ``chars`` characters) with the names read as one word; None when
    it names neither."""
    if not text:
        return None
    part = text if chars is None else text[:chars]
    # A substring test first: most texts name neither, and a search of the pattern tries
    # its alternatives at every character of a 1,500-character lead.
    if not ("ovid" in part or "OVID" in part or "CoV" in part):
        return None
    return _NAMES.sub(_ONE, part)
