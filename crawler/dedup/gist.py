"""A record's gist: the words its text opens with, to tell a copy from another outlet's own
article under a similar title.

Feed entries whose pages were not fetched carry a summary of 15-40 words: too short for the
body rule's 3-gram MinHash (``min_body_words``), yet enough to see that two outlets wrote
different words ("Nur wenige Stunden vor Ablauf der Frist ..." / "Im letzten Moment ist in
den USA der Shutdown abgewendet worden ..."), while a wire copy repeats them. The gist is
the set of the first :data:`GIST_WORDS` folded content words of the text, as 32-bit CRCs
packed in bytes (~110 bytes a record in the window, measured on the real feeds' summaries;
a frozenset of the words would take ~2 KB). The same number of words from a page body and
from a teaser: a teaser that is the article's first sentences meets the page's lead as its
equal, not as a small part of it.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence

from crawler.dedup.tokens import Tokenizer

# The lead only: a teaser's length, the part a copy keeps word for word.
GIST_WORDS = 30
# Fewer content words than this (a photo credit, "dpa"): too little text to judge by.
MIN_GIST_WORDS = 6


def gist_of(tokenizer: Tokenizer, text: str | None, language: str | None) -> bytes | None:
    """The gist of ``text`` (None: no text, or too few words to judge by)."""
    return gist_words(tokenizer.body_words(text, language)) if text else None


def gist_words(words: Sequence[str]) -> bytes | None:
    """The gist of a text's content words in order (:meth:`Tokenizer.body_words`: a body's
    are made already for its signature, and not made twice)."""
    first = set(words[:GIST_WORDS])
    if len(first) < MIN_GIST_WORDS:
        return None
    return array("I", sorted({zlib.crc32(w.encode()) for w in first})).tobytes()


def gist_similarity(a: bytes, b: bytes) -> float:
    """The Jaccard similarity of the word sets two gists were made from (of their hashes:
    two words of one CRC, one in 4 billion pairs, count as one)."""
    mine, theirs = set(array("I", a)), set(array("I", b))
    return len(mine & theirs) / len(mine | theirs)
