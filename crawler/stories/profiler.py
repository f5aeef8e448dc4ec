"""A record's story profile and a batch's sketches, made before any story is looked at.

:class:`Profiler` is pure (no story state), so ``policywire dedup`` runs it where the
input is prepared (:class:`crawler.storylayer.StoryProfiles`: the worker that reads it, or
the main process for the share it takes), and the main process, which holds the stories,
takes the profiles made (:mod:`crawler.stories.cluster`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from crawler.dedup.tokens import default_tokenizer
from crawler.dedup.verify import Features, Title
from crawler.stories.candidates import Sketches, in_order, sketched, story_signer, unsieved
from crawler.stories.features import Profile, profile_of
from crawler.stories.params import StoryParams
from crawler.stories.types import StoryDoc


class Profiler:
    """``Profiler(params)(doc)`` -> the doc's :class:`Profile`: pure (no story state), so
    it can run where the records are read, in another process, before they are clustered."""

    def __init__(self, params: StoryParams) -> None:
        self._params = params
        self._tokenizer = default_tokenizer()
        self._signer = story_signer(params)

    def __call__(self, doc: StoryDoc, lead: list[str] | None = None,
                 title: Title | None = None) -> Profile:
        """``lead``: the folded words of the doc's text (its lead), when made already;
        ``title``: its title read (:func:`crawler.dedup.verify.read_title`), likewise."""
        return profile_of(self._tokenizer, doc, self._params, lead, title)

    def sketches(self, profiles: Sequence[Profile]) -> Sketches:
        """What :meth:`StoryClusterer.assign_profiles` of ``profiles`` makes first, before
        it looks at any story: their candidate signatures and their pairs among themselves
        (pure as well: made ahead by the worker, they leave the main process ~2 of ~15 CPU
        seconds of 100,000 headlines)."""
        ordered = in_order(profiles, self._tokenizer, self._params)
        return sketched(ordered, self._signer, self._params, unsieved(ordered))


@dataclass(frozen=True, slots=True)
class ProfileBatch:
    """A batch's profiles and their :meth:`Profiler.sketches` (None: made where they are
    used, or a slice's, not the batch's): what travels with a prepared batch, or a slice of
    one, from the worker that reads the input to the main process
    (:class:`crawler.storylayer.StoryProfiles`).

    Pickled as columns, one tuple per field, and rebuilt by ``map`` over them: no Python
    call per profile (measured, unpickling: 8.2 -> 5.9 us a generated headline's profile,
    15.7 -> 11.1 us an article's; the main process unpickles every one of them)."""

    profiles: list[Profile]
    sketches: Sketches | None

    def __reduce__(self) -> tuple[Any, ...]:
        profiles = self.profiles
        if not profiles:
            return ProfileBatch, ([], self.sketches)
        columns = (zip(*map(_DOC_FIELDS, [p.doc for p in profiles]), strict=True),
                   zip(*map(_CHECK_FIELDS, [p.check for p in profiles]), strict=True),
                   zip(*map(_REST_FIELDS, profiles), strict=True))
        return _rebuilt, (*map(tuple, columns), self.sketches)


def _rebuilt(docs: tuple[tuple[Any, ...], ...], checks: tuple[tuple[Any, ...], ...],
             rest: tuple[tuple[Any, ...], ...], sketches: Sketches | None) -> ProfileBatch:
    title, *more = rest  # Profile's fields after doc and check, title first
    return ProfileBatch(list(map(Profile, map(StoryDoc, *docs), title,
                                 map(Features, *checks), *more)), sketches)


_DOC_FIELDS = attrgetter(*(f.name for f in fields(StoryDoc)))
_CHECK_FIELDS = attrgetter(*(f.name for f in fields(Features)))
_REST_FIELDS = attrgetter(*(f.name for f in fields(Profile) if f.name not in ("doc", "check")))
