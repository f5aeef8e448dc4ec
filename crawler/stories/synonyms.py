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


def one_name(doc: StoryDoc) -> StoryDoc:
    """``doc`` with its title, text and summary naming the disease and the virus by one
    word; ``doc`` itself when it is not English or names neither (the common case)."""
    if base_language(doc.language) != "en":
        return doc
    title, text, summary = (_named(doc.title), _named(doc.text), _named(doc.summary))
    if title is doc.title and text is doc.text and summary is doc.summary:
        return doc
    return replace(doc, title=title or "", text=text, summary=summary)


def _named(text: str | None) -> str | None:
    # A substring test first: most texts name neither, and a search of the pattern tries
    # its alternatives at every character of a 1,500-character lead.
    if not text or not ("ovid" in text or "OVID" in text or "CoV" in text):
        return text
    return _NAMES.sub(_ONE, text)
