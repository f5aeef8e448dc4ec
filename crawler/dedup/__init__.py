"""Story merging: near-duplicate news records grouped into stories.

A small library in datasketch's manners: match tokens (:func:`match_tokens`), MinHash
signatures, LSH candidates, a separate pure :func:`verify`, and stories around one
deterministic canonical record each. Its parameters (:class:`DedupParams`) are stored
beside its signatures; a mismatch raises :class:`crawler.errors.IncompatibleState`.

Typical use::

    check_datasketch()                      # once at start-up
    index = StoryIndex(DedupParams(), store)
    decisions = index.assign(docs)
    ...                                     # write the records
    index.flush()
    index.evict()

or :func:`dedup_stream` over a large file.
"""

from crawler.dedup.index import StoryIndex, story_id_for
from crawler.dedup.params import DedupParams, check_datasketch
from crawler.dedup.store import MemoryStore, SignatureStore
from crawler.dedup.stream import dedup_stream
from crawler.dedup.tokens import body_shingles, match_tokens
from crawler.dedup.types import Decision, Doc
from crawler.dedup.verify import Features, Verdict, verify
from crawler.models import StoredSignature

__all__ = [
    "Decision",
    "DedupParams",
    "Doc",
    "Features",
    "MemoryStore",
    "SignatureStore",
    "StoredSignature",
    "StoryIndex",
    "Verdict",
    "body_shingles",
    "check_datasketch",
    "dedup_stream",
    "match_tokens",
    "story_id_for",
    "verify",
]
