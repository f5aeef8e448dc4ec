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

from importlib import import_module
from typing import TYPE_CHECKING, Any

from crawler.dedup.sketchlib import import_datasketch

# Before any submodule imports datasketch: scipy.integrate waits for its one call.
import_datasketch()

if TYPE_CHECKING:
    from crawler.dedup.index import StoryIndex, story_id_for
    from crawler.dedup.params import DedupParams, check_datasketch
    from crawler.dedup.store import MemoryStore, SignatureStore
    from crawler.dedup.stream import dedup_stream
    from crawler.dedup.tokens import body_shingles, match_tokens
    from crawler.dedup.types import Decision, Doc
    from crawler.dedup.verify import Features, Verdict
    from crawler.models import StoredSignature

# Loaded on first use (PEP 562): the page extraction workers import crawler.dedup.tokens
# only, and the package's eager imports pulled datasketch and scipy into each of them
# (~1.1 s and ~50 MB a worker).
_WHERE = {
    "StoryIndex": "index", "story_id_for": "index", "DedupParams": "params",
    "check_datasketch": "params", "MemoryStore": "store", "SignatureStore": "store",
    "dedup_stream": "stream", "body_shingles": "tokens", "match_tokens": "tokens",
    "Decision": "types", "Doc": "types", "Features": "verify", "Verdict": "verify",
}
# Not verify() itself: the submodule of that name takes the package attribute once imported
# (from crawler.dedup.verify import verify).


def __getattr__(name: str) -> Any:
    if name == "StoredSignature":
        return import_module("crawler.models").StoredSignature
    if name not in _WHERE:
        raise AttributeError(f"module 'crawler.dedup' has no attribute {name!r}")
    return getattr(import_module(f"crawler.dedup.{_WHERE[name]}"), name)


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
]
