"""The window: the records a new one is compared with, by slot, in arrays where it counts.

:class:`crawler.dedup.index.StoryIndex` keeps the stories; this keeps what comparing needs:
each record's :class:`Features` (without its body signature), its title tokens as small
ints, its date, and the two LSH indexes (titles, bodies). Records are *slots*: rows of the
arrays, reused once the LSH indexes dropped a removed record's entries.

Why arrays: a headline gets dozens of LSH candidates in a busy window (a frequent token pair
is the minimum of one band in many titles), and almost all of them share fewer title tokens
than verification needs, or too few for the title threshold. :meth:`Window.pairs` rejects
those for a whole batch at once, from the token ids and body signatures (exactly what
:func:`crawler.dedup.verify.plausible` checks, and the title similarity where it is known
exactly, or its best case where compound spellings may add to it), so Python only sees
pairs worth verifying; and it counts, from each title's affix keys, whether verification can
skip pairing compound spellings. Body signatures live in the body index's array (256 bytes a
record) and become ``LeanMinHash`` objects only for a pair being verified.

The arrays and their growth live in :mod:`crawler.dedup.slots`, the pair gates in
:mod:`crawler.dedup.gates`; this module adds, pairs, compares and removes records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from datasketch import LeanMinHash

from crawler.dedup.gates import Gates
from crawler.dedup.keys import affix_keys, token_ids
from crawler.dedup.lsh import BandIndex, distinct
from crawler.dedup.params import DedupParams
from crawler.dedup.shared_lsh import SharedBands, SharedCandidateIndex
from crawler.dedup.signatures import Signer
from crawler.dedup.verify import Features

# Pairs pre-checked at once: bounds the (pairs x tokens x tokens) comparison to ~16 MB.
_CHUNK = 1 << 16

#: A body is boilerplate, not a story's text, when this many records have it (itself
#: included) over more than BOILERPLATE_SPAN seconds, or this many of one source: wire copy
#: of one story runs within a day or two, from many outlets; a site's paywall or consent
#: notice for weeks, from that site. Not calibrated on labelled bodies
#: (we have none): set so that 300 paywalled pages over 28 days stay 300 stories while 20
#: copies of one text within a day still merge (tests/dedup/test_index.py).
BOILERPLATE_COPIES = 8
BOILERPLATE_SPAN = 3 * 86400.0


class Window(Gates):
    """The records in the window: added, paired with a batch, compared, removed."""

    def add(self, ids: Sequence[str], features: Sequence[Features], title_values: np.ndarray,
            body_values: np.ndarray, bodied: Sequence[bool], *, load: bool = False,
            token_rows: np.ndarray | None = None, affix_rows: np.ndarray | None = None,
            kept: Sequence[float] | None = None) -> np.ndarray:
        """Slots for new records; ``body_values`` has a row per bodied record, in order;
        ``kept``: when each entered the window (default: its published time); ``token_rows``,
        ``affix_rows``: :func:`token_ids` and :func:`affix_keys` of the features' tokens, if
        made already. Titles without tokens (stop words only) are not indexed: they would all
        collide. ``load``: the shared index is made to hold exactly these records (see
        :meth:`crawler.dedup.shared_lsh.SharedBands.bulk_load`)."""
        slots = self._allocate(len(ids))
        at = slots.tolist()
        for slot, key, item in zip(at, ids, features, strict=True):
            self.ids[slot], self.features[slot], self.slot_of[key] = key, item, slot
        self._ts[slots] = [item.ts for item in features]
        self._kept[slots] = self._ts[slots] if kept is None else kept
        self._placed[slots] = [len(item.place_words) for item in features]
        codes = self._languages
        self._language[slots] = [codes.setdefault(item.language, len(codes)) for item in features]
        sources = self._sources
        self._source[slots] = [sources.setdefault(item.source, len(sources)) for item in features]
        tokens = [item.tokens for item in features]
        self._collisions.add(tokens)
        self._set_tokens(slots, tokens, token_ids(tokens) if token_rows is None else token_rows)
        self._set_affixes(slots, affix_keys(tokens) if affix_rows is None else affix_rows)
        self._live[slots] = True
        self._bodied[slots] = np.asarray(bodied, dtype=bool)
        titled = np.array([bool(item.tokens) for item in features], dtype=bool)
        with_body = slots[np.asarray(bodied, dtype=bool)] if len(slots) else slots
        if load and isinstance(self.title, SharedBands) and isinstance(self.body, SharedBands):
            self.title.bulk_load(slots[titled], title_values[titled])
            self.body.bulk_load(with_body, body_values)
        else:
            self.title.add(slots[titled], title_values[titled])
            self.body.add(with_body, body_values)
        return slots

    def pairs(self, slots: np.ndarray, title_values: np.ndarray, body_values: np.ndarray,
              params: DedupParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(row, slot, meetings)`` of each pair of a batch record (``slots[row]``) and a
        candidate worth verifying: LSH candidates of the title or body, each pair once (a
        batch record meets a later batch record, never itself or an earlier one), that pass
        :func:`crawler.dedup.verify.plausible` and whose title similarity, where it is known
        here, could reach the threshold (see :meth:`_reachable`); ``meetings``: how often
        the two records' :func:`affix_keys` meet (-1: not counted, a set too long)."""
        if not len(slots):
            none = np.zeros(0, dtype=np.int64)
            return none, none, none
        titled = np.flatnonzero(self._counts[slots] > 0)
        bodied = np.flatnonzero(self._bodied[slots])
        title_rows, title_slots = self.title.query(title_values[titled], once=False)
        body_rows, body_slots = self.body.query(body_values, once=False)
        self._unbody_boilerplate(slots[bodied], body_rows, body_slots)
        rows = np.concatenate([titled[title_rows], bodied[body_rows]])
        found = np.concatenate([title_slots, body_slots])
        position = np.full(len(self.ids), len(slots), dtype=np.int64)  # not in the batch: last
        position[slots] = np.arange(len(slots))
        other = position[found]
        if self.title.truncated or self.body.truncated:
            # Two batch records: the pair as (earlier row, later slot), whichever of the two
            # the LSH answered for (a crowded band value answers for its first records only).
            keep, swap = other != rows, other < rows  # not itself; an earlier batch record
            rows, found = np.where(swap, other, rows), np.where(swap, slots[rows], found)
        else:
            keep = other > rows  # LSH answers both records of a pair: keep one of the two
        width = np.int64(len(self.ids))
        pairs = distinct(rows[keep] * width + found[keep])
        rows, found = pairs // width, pairs % width
        kept: list[np.ndarray] = [np.zeros(0, np.int64)]
        meetings: list[np.ndarray] = [np.zeros(0, np.int64)]
        for at in range(0, len(rows), _CHUNK):
            worth, met = self.worth_verifying(slots[rows[at:at + _CHUNK]],
                                              found[at:at + _CHUNK], params)
            kept.append(at + worth)
            meetings.append(met)
        chosen = np.concatenate(kept)
        return rows[chosen], found[chosen], np.concatenate(meetings)

    def worth_verifying(self, mine: np.ndarray, theirs: np.ndarray, params: DedupParams
                        ) -> tuple[np.ndarray, np.ndarray]:
        """Of pairs of slots, the positions of those worth verifying (plausible, see
        :meth:`_plausible`, and able to reach the threshold, see :meth:`_reachable`) and how
        often their affix keys meet (see :meth:`_affixes_met`)."""
        keep, near, shared = self._plausible(mine, theirs, params.min_shared_tokens,
                                             params.body_threshold)
        # Most pairs one token short have no compound spelling to pair: cheaper told apart
        # by masks than by their affix keys.
        near_at = np.flatnonzero(near)
        near[near_at] = self._may_pair(mine[near_at], theirs[near_at], shared[near_at])
        at = np.flatnonzero(keep | near)
        met, joinable = self._affixes_met(mine[at], theirs[at])
        # One token short: plausible only where a compound spelling may pair off.
        made_up = ~near[at] | (joinable != 0)
        at, met, joinable = at[made_up], met[made_up], joinable[made_up]
        reach = self._reachable(mine[at], theirs[at], shared[at], joinable, params)
        at, met = at[reach], met[reach]
        # Of those one token short, verify() accepts none that affixed() pairs nothing for
        # by title, and without bodies on both sides none at all: told on the token sets,
        # at a fifth of verify()'s time.
        doubt = np.flatnonzero(near[at] & ~(self._bodied[mine[at]] & self._bodied[theirs[at]]))
        least = params.min_shared_tokens
        paired = np.ones(len(at), dtype=bool)
        paired[doubt] = [self._plausible_sets(slot, other, least) for slot, other in
                         zip(mine[at[doubt]].tolist(), theirs[at[doubt]].tolist(), strict=True)]
        return at[paired], met[paired]

    def _unbody_boilerplate(self, queried: np.ndarray, rows: np.ndarray, found: np.ndarray
                            ) -> None:
        """Take the body off records whose body is a site's boilerplate, not a story's text:
        the same text as :data:`BOILERPLATE_COPIES` or more records' over more than
        :data:`BOILERPLATE_SPAN`, or from one source (a paywall or consent notice that
        trafilatura returns for every page of a site). Without this, the body rule made 300
        articles of one site with 236 different headlines one story. Their body signatures
        stay in the index, so later copies still find the crowd."""
        if len(rows) < BOILERPLATE_COPIES - 1:
            return
        width = np.int64(len(self.ids))
        pairs = distinct(rows * width + found)
        rows, found = pairs // width, pairs % width
        apart = found != queried[rows]
        rows, found = rows[apart], found[apart]
        if not len(rows):
            return
        first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        own = self._ts[queried[rows[first]]]
        ts = self._ts[found]
        low = np.minimum(np.minimum.reduceat(ts, first), own)
        high = np.maximum(np.maximum.reduceat(ts, first), own)
        copies = np.diff(np.r_[first, len(rows)]) + 1
        # Or that many of one known source at once (a first crawl of a paywalled site):
        # wire copy is the same text from different outlets.
        source = self._source[queried[rows]]
        same = ((self._source[found] == source) & (source >= 0)).astype(np.int64)
        one_site = np.add.reduceat(same, first) + 1 >= BOILERPLATE_COPIES
        spread = high - low > BOILERPLATE_SPAN
        crowded = rows[first][(copies >= BOILERPLATE_COPIES) & (spread | one_site)]
        if len(crowded):
            self._bodied[queried[crowded]] = False
            self._bodied[found[np.isin(rows, crowded)]] = False

    def compared(self, slot: int, other: int, bodies: dict[int, Features] | None = None
                 ) -> tuple[Features, Features]:
        """The features verification compares: with body signatures when both have one.
        ``bodies`` keeps features with a body already made (a batch meets the same stored
        articles again and again)."""
        mine, theirs = self.features[slot], self.features[other]
        assert mine is not None and theirs is not None
        if not (self._bodied[slot] and self._bodied[other]):
            return mine, theirs
        bodies = {} if bodies is None else bodies
        return self._with_body(slot, mine, bodies), self._with_body(other, theirs, bodies)

    def _with_body(self, slot: int, features: Features, bodies: dict[int, Features]
                   ) -> Features:
        found = bodies.get(slot)
        if found is None:
            found = bodies[slot] = replace(features, body=self.body_signature(slot))
        return found

    def body_signature(self, slot: int) -> LeanMinHash | None:
        """The body signature of a slot (a ``LeanMinHash``), None without a body."""
        if not self._bodied[slot]:
            return None
        return self._body_signer.lean(self.body.signature_values(slot))

    def older_than(self, before: float) -> np.ndarray:
        """Slots of records that entered the window before ``before``."""
        return np.flatnonzero(self._live & (self._kept < before))

    def entered(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The records' slots, when each entered the window, and when it was published."""
        live = np.flatnonzero(self._live)
        return live, self._kept[live], self._ts[live]

    def remove(self, slots: np.ndarray) -> None:
        """Forget the records of ``slots``; their slots are reused after the indexes compact."""
        self.title.remove(slots)  # the shared index needs the ids: before they go
        self.body.remove(slots)
        for slot in slots.tolist():
            key = self.ids[slot]
            assert key is not None
            del self.slot_of[key]
            self.ids[slot] = self.features[slot] = None
        self._live[slots] = self._bodied[slots] = False
        self._counts[slots] = 0
        self._removed += slots.tolist()
        if len(self._removed) >= max(1024, len(self.slot_of) // 4):
            self.title.compact()
            self.body.compact()
            self._free += self._removed
            self._removed = []
            if self._collisions.stale():
                self._collisions.rebuild(item.tokens for item in self.features if item)


def new_window(params: DedupParams, title_signer: Signer, body_signer: Signer,
               storage: Mapping[str, Any] | None) -> Window:
    """A window with LSH in memory (rebuilt from the stored signatures), or in the shared
    storage under a name that carries the parameters' fingerprint: an index of other
    parameters is never reused."""
    if storage is None:
        return Window(BandIndex(params.lsh_threshold, params.num_perm),
                      BandIndex(params.body_lsh_threshold, params.body_num_perm),
                      body_signer)
    digest = hashlib.sha1(params.fingerprint().encode()).hexdigest()[:12]
    base = bytes(storage["basename"]) + b":" + digest.encode()
    ids: list[str | None] = []
    slot_of: dict[str, int] = {}
    title = SharedBands(SharedCandidateIndex(params.lsh_threshold, params.num_perm,
                                             {**storage, "basename": base + b":title"}),
                        title_signer.wrap, ids, slot_of)
    body = SharedBands(SharedCandidateIndex(params.body_lsh_threshold, params.body_num_perm,
                                            {**storage, "basename": base + b":body"}),
                       body_signer.wrap, ids, slot_of)
    window = Window(title, body, body_signer)
    window.ids, window.slot_of = ids, slot_of  # the shared bands translate through these
    return window
