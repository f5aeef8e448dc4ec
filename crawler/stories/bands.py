"""The story layer's candidate index: held stories' member signatures, and whose each is.

:class:`StoryBands` keeps the signatures in a :class:`crawler.dedup.lsh.BandIndex` under
slots it allocates, each slot's story by number (numbers, not ids: the candidate pairs are
counted in numpy), and answers a batch's queries with each row's candidate stories
(:class:`crawler.stories.candidates.HeldPairs`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from crawler.dedup.lsh import BandIndex
from crawler.stories.candidates import HeldPairs, counted, query
from crawler.stories.params import StoryParams

# A story id as crawler.dedup.index.story_id_for makes it.
_HEX_ID = re.compile(r"s[0-9a-f]{16}")


class StoryBands:
    """``add(story_ids, values)``, ``candidates(values, asking)``, ``remove(story_id)``."""

    def __init__(self, params: StoryParams) -> None:
        self._params = params
        self._bands = BandIndex(params.lsh_threshold, params.lsh_num_perm)
        # Index slot -> its story's number (-1: removed); numbers -> story ids and back.
        self._slot_owner = np.zeros(0, dtype=np.int64)
        self._used = 0
        self._owners: list[str] = []
        self._owner: dict[str, int] = {}
        # Each number's story id as a number that sorts as the id does (its 16 hex digits),
        # while every id is one of story_id_for's ("s" + 16 lower-case hex digits).
        self._keys: list[int] = []
        self._hex = True
        self._slots_of: dict[str, list[int]] = {}  # story id -> its slots

    def add(self, story_ids: list[str], values: np.ndarray) -> None:
        """Index the signatures ``values`` (one row each) as members of ``story_ids``."""
        if story_ids:
            self._bands.add(self._allot(story_ids), values)

    def candidates(self, values: np.ndarray, asking: np.ndarray
                   ) -> tuple[list[dict[str, int]], HeldPairs]:
        """The candidate stories of each of the rows ``asking`` of ``values``, with the bands
        its signature shares with their members (every one: ``min_band_hits`` applies to the
        total with the batch's own records, in the clusterer): each row's top
        ones (:meth:`HeldPairs.top`: what can rank among ``max_candidates``), and all the
        pairs (:meth:`HeldPairs.hits`, by :attr:`numbers`); none for the other rows."""
        rows, slots = query(self._bands, values[asking], self._params.lsh_num_perm,
                            self._slot_owner)
        owners = self._slot_owner[slots]
        keep = owners >= 0
        width = max(1, len(self._owners))
        pairs, hits = counted(asking[rows[keep]] * width + owners[keep], 1)
        held = HeldPairs(pairs, hits, width, len(values))
        # Top ranks those that qualify alone; one hit more from the batch is looked up.
        return held.top(self._params.max_candidates, self._owners, self._sort_keys(),
                        self._params.min_band_hits), held

    @property
    def numbers(self) -> Mapping[str, int]:
        """Each indexed story's number, the ``owner`` of its pairs in
        :meth:`HeldPairs.hits` (a story not indexed has no pairs)."""
        return self._owner

    def remove(self, story_id: str) -> None:
        """Forget the signatures of ``story_id`` (until :meth:`compact`, their entries stay)."""
        slots = self._slots_of.pop(story_id, [])
        self._slot_owner[slots] = -1
        self._bands.remove(np.asarray(slots, dtype=np.int64))

    def compact(self) -> None:
        self._bands.compact()

    def _sort_keys(self) -> np.ndarray:
        """Each story number's place in the order of the story ids (as numbers)."""
        if self._hex:
            return np.array(self._keys, dtype=np.uint64)
        return np.argsort(np.array(self._owners)).argsort()

    def _allot(self, story_ids: list[str]) -> np.ndarray:
        """The next ``len(story_ids)`` slots, each its story's (numbered on first sight): one
        pass, the slots' owners set at once (a slot each of ~80,000 stories begun by
        100,000 generated headlines)."""
        first, count = self._used, len(story_ids)
        if first + count > len(self._slot_owner):
            grown = np.full(max(1024, 2 * (first + count)), -1, dtype=np.int64)
            grown[:first] = self._slot_owner[:first]
            self._slot_owner = grown
        owner, slots_of = self._owner, self._slots_of
        numbers = []
        for slot, story_id in enumerate(story_ids, first):
            number = owner.get(story_id)
            if number is None:
                number = self._number(story_id)
            numbers.append(number)
            mine = slots_of.get(story_id)
            if mine is None:
                slots_of[story_id] = [slot]
            else:
                mine.append(slot)
        self._used = first + count
        self._slot_owner[first:self._used] = numbers
        return np.arange(first, self._used)

    def _number(self, story_id: str) -> int:
        number = self._owner[story_id] = len(self._owners)
        self._owners.append(story_id)
        self._hex = self._hex and _HEX_ID.fullmatch(story_id) is not None
        self._keys.append(int(story_id[1:], 16) if self._hex else 0)
        return number
