"""A record's gist: a small sketch of the words its text opens with, to tell a copy from
another outlet's own article under a similar title.

Feed entries whose pages were not fetched carry a summary of 15-40 words: too short for the
body rule's 3-gram MinHash (``min_body_words``), yet enough to see that two outlets wrote
different words ("Nur wenige Stunden vor Ablauf der Frist ..." / "Im letzten Moment ist in
den USA der Shutdown abgewendet worden ..."), while a wire copy repeats them. The gist is a
bottom-k sketch of the set of folded content words of the text's first :data:`GIST_CHARS`
characters: the k smallest 32-bit CRCs, packed in bytes (~100 bytes a record in the window;
a frozenset of the words would take ~2 KB).
"""

from __future__ import annotations

import zlib
from array import array

from crawler.dedup.titletext import prefix
from crawler.dedup.tokens import Tokenizer

# The lead only: a teaser or a page's first paragraph, the part a copy keeps word for word.
GIST_CHARS = 600
# Hashes kept: the estimate's standard error at Jaccard 0.25 is ~0.08, beside a gap between
# different outlets' summaries (mostly below 0.15) and copies (above 0.5).
GIST_K = 32
# Fewer content words than this (a photo credit, "dpa"): too little text to judge by.
MIN_GIST_WORDS = 6


def gist_of(tokenizer: Tokenizer, text: str | None, language: str | None) -> bytes | None:
    """The gist of ``text`` (None: no text, or too few words to judge by)."""
    if not text:
        return None
    words = set(tokenizer.body_words(prefix(text, GIST_CHARS), language))
    if len(words) < MIN_GIST_WORDS:
        return None
    hashes = sorted({zlib.crc32(w.encode()) for w in words})[:GIST_K]
    return array("I", hashes).tobytes()


def gist_similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of the word sets two gists were made from (exact
    when their union has at most :data:`GIST_K` words): of the k smallest hashes of their
    union, the share both sides hold. Each of those is among its own set's k smallest, so
    a gist holds it if and only if its set does."""
    mine, theirs = set(array("I", a)), set(array("I", b))
    smallest = sorted(mine | theirs)[:GIST_K]
    return sum(h in mine and h in theirs for h in smallest) / len(smallest)
