"""One fetch per article URL a run, whichever entries link it.

A source's feed entry known by its guid, the same site's sitemap and its home page's feed may
all link one article: each entry is its own (a guid's identity is its source's), but the page
is one. The first entry asks for it; the others wait for its outcome and take it as theirs,
so the merge writes one record and counts the others ``also_in_run`` (:mod:`crawler.merge`).
"""

from __future__ import annotations

import dataclasses

from crawler.models import Fetched
from crawler.normalize import identity_url

#: Outcomes kept for entries that come later in the run, the oldest dropped first: ~10 KB a
#: page, ~20 MB at most. An entry whose URL's outcome was dropped fetches the page again,
#: and the merge still writes one record of it.
KEEP = 2_000


class SharedPages:
    """``ask(item)`` before an article is requested; ``answered(item)`` with its outcome, or
    ``withdraw(item)`` when it is not requested after all."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._waiting: dict[str, list[Fetched]] = {}
        self._done: dict[str, Fetched] = {}  # in insertion order: the oldest dropped first

    def ask(self, item: Fetched) -> Fetched | bool:
        """True: fetch the page (then call :meth:`answered`); False: another entry's fetch
        of it is under way, and ``item`` comes out of :meth:`answered`; else ``item`` with
        the outcome of the page fetched earlier in the run."""
        key = _key(item)
        if key in self._done:
            return _taking(item, self._done[key])
        if key in self._waiting:
            self._waiting[key].append(item)
            return False
        self._waiting[key] = []
        return True

    def withdraw(self, item: Fetched) -> None:
        """``item``'s page is not asked for (refused at once: the request budget); an
        entry that links it later asks for it."""
        self._waiting.pop(_key(item), None)

    def answered(self, item: Fetched) -> list[Fetched]:
        """The entries that waited for ``item``'s page, with its outcome."""
        key = _key(item)
        self._done[key] = item
        if len(self._done) > self._keep:
            del self._done[next(iter(self._done))]
        return [_taking(waiting, item) for waiting in self._waiting.pop(key, [])]


def _key(item: Fetched) -> str:
    return identity_url(item.entry.link or "")


def _taking(item: Fetched, fetched: Fetched) -> Fetched:
    return dataclasses.replace(item, page=fetched.page, page_url=fetched.page_url,
                               page_error=fetched.page_error)
