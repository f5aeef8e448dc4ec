"""A record's story profile and a batch's sketches, made before any story is looked at.

:class:`Profiler` is pure (no story state), so ``policywire dedup`` runs it in the worker
that reads and prepares the input (:func:`crawler.storylayer.profiled`), and the main
process, which holds the stories, takes the profiles made (:mod:`crawler.stories.cluster`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crawler.dedup.tokens import default_tokenizer
from crawler.stories.candidates import Sketches, in_order, sketched, story_signer
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

    def __call__(self, doc: StoryDoc) -> Profile:
        return profile_of(self._tokenizer, doc, self._params)

    def sketches(self, profiles: Sequence[Profile]) -> Sketches:
        """What :meth:`StoryClusterer.assign_profiles` of ``profiles`` makes first, before
        it looks at any story: their candidate signatures and their pairs among themselves
        (pure as well: made ahead by the worker, they leave the main process ~2 of ~15 CPU
        seconds of 100,000 headlines)."""
        ordered = in_order(profiles, self._tokenizer, self._params)
        return sketched(ordered, self._signer, self._params, np.arange(len(ordered)))

