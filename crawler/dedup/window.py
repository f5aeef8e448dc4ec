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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from datasketch import LeanMinHash

from crawler.dedup.keys import WIDTH, Collisions, affix_keys, token_ids
from crawler.dedup.lsh import BandIndex, distinct
from crawler.dedup.params import DedupParams
from crawler.dedup.shared_lsh import SharedBands
from crawler.dedup.signatures import Signer
from crawler.dedup.tablerows import entries_met, equal_counts, rows_of, width_of
from crawler.dedup.verify import COMPOUNDING, Features, affixed

_MASKS = 2
# Masks of each title's affix keys (prefixes, suffixes), each from other bits of the keys:
# a compound spelling can pair off only where all of them meet (see _may_pair). Two: 4%
# less CPU than four on 100,000 generated German headlines (more masks cost more than the
# pairs they leave out save).
_AFFIX_MASKS = 2
# Pairs pre-checked at once: bounds the (pairs x tokens x tokens) comparison to ~16 MB.
_CHUNK = 1 << 16

Bands = BandIndex | SharedBands
#: A body is boilerplate, not a story's text, when this many records have it (itself
#: included) over more than BOILERPLATE_SPAN seconds, or this many of one source: wire copy
#: of one story runs within a day or two, from many outlets; a site's paywall or consent
#: notice for weeks, from that site. Not calibrated on labelled bodies
#: (we have none): set so that 300 paywalled pages over 28 days stay 300 stories while 20
#: copies of one text within a day still merge (tests/dedup/test_index.py).
BOILERPLATE_COPIES = 8
BOILERPLATE_SPAN = 3 * 86400.0


class Window:
    """Slots of the records in the window, and their LSH indexes."""

    def __init__(self, title: Bands, body: Bands, body_signer: Signer) -> None:
        self.title, self.body = title, body
        self._body_signer = body_signer
        self.ids: list[str | None] = []
        self.features: list[Features | None] = []
        self.slot_of: dict[str, int] = {}
        self._ts, self._kept = np.zeros(0), np.zeros(0)  # published; entered the window
        self._live = np.zeros(0, dtype=bool)
        self._bodied = np.zeros(0, dtype=bool)
        self._tokens = np.zeros((0, WIDTH), dtype=np.int32)
        self._affixes = np.zeros((0, 2 * WIDTH), dtype=np.int32)  # see affix_keys
        self._counts = np.zeros(0, dtype=np.int32)
        # How many tokens of each title name a place (Features.place_words): verify() may
        # pair that many more (verify.place_pairs), which _reachable's bound allows for.
        self._placed = np.zeros(0, dtype=np.int32)
        self._languages: dict[str | None, int] = {}  # language -> its code in _language
        self._language = np.zeros(0, dtype=np.int32)
        self._sources: dict[str, int] = {"": -1}  # source -> its code in _source (-1: unknown)
        self._source = np.zeros(0, dtype=np.int32)
        # Two 64-bit masks of each title's tokens (bits: two 6-bit pieces of the token id)
        # and, for each, the tokens minus the bits they set (see _plausible).
        self._masks = [np.zeros(0, dtype=np.uint64) for _ in range(_MASKS)]
        self._slack = [np.zeros(0, dtype=np.int16) for _ in range(_MASKS)]
        # The same of the affix keys, per side (prefixes, suffixes) and mask (see _may_pair).
        self._affix_masks = np.zeros((0, 2, _AFFIX_MASKS), dtype=np.uint64)
        self._affix_slack = np.zeros((0, 2, _AFFIX_MASKS), dtype=np.int16)
        self._free: list[int] = []
        self._removed: list[int] = []  # not reusable before the LSH indexes compact
        self._collisions = Collisions()

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

    def __len__(self) -> int:
        return len(self.slot_of)

    def _allocate(self, count: int) -> np.ndarray:
        reused = [self._free.pop() for _ in range(min(count, len(self._free)))]
        start = len(self.ids)
        new = count - len(reused)
        self.ids += [None] * new
        self.features += [None] * new
        if len(self.ids) > len(self._ts):
            self._grow(max(len(self.ids), 2 * len(self._ts), 1024))
        return np.array(reused + list(range(start, start + new)), dtype=np.int64)

    def _grow(self, capacity: int) -> None:
        extra = capacity - len(self._ts)
        self._ts, self._kept = (np.concatenate([a, np.zeros(extra)]) for a in (self._ts,
                                                                               self._kept))
        self._live = np.concatenate([self._live, np.zeros(extra, dtype=bool)])
        self._bodied = np.concatenate([self._bodied, np.zeros(extra, dtype=bool)])
        self._counts = np.concatenate([self._counts, np.zeros(extra, dtype=np.int32)])
        self._placed = np.concatenate([self._placed, np.zeros(extra, dtype=np.int32)])
        self._language = np.concatenate([self._language, np.zeros(extra, dtype=np.int32)])
        self._source = np.concatenate([self._source, np.zeros(extra, dtype=np.int32)])
        self._masks = [np.concatenate([m, np.zeros(extra, np.uint64)]) for m in self._masks]
        self._slack = [np.concatenate([s, np.zeros(extra, np.int16)]) for s in self._slack]
        self._tokens = np.concatenate([self._tokens, np.zeros((extra, WIDTH), np.int32)])
        self._affixes = np.concatenate([self._affixes,
                                        np.zeros((extra, 2 * WIDTH), np.int32)])
        self._affix_masks = np.concatenate([self._affix_masks,
                                            np.zeros((extra, 2, _AFFIX_MASKS), np.uint64)])
        self._affix_slack = np.concatenate([self._affix_slack,
                                            np.zeros((extra, 2, _AFFIX_MASKS), np.int16)])

    def _set_affixes(self, slots: np.ndarray, rows: np.ndarray) -> None:
        self._affixes[slots] = rows
        keys = rows.reshape(len(rows), 2, 1, WIDTH)  # (slots, side, 1, keys)
        bit = ((keys >> (6 * np.arange(_AFFIX_MASKS).reshape(1, 1, -1, 1))) & 63
               ).astype(np.uint64)
        bits = np.where(keys >= 0, np.left_shift(np.uint64(1), bit), np.uint64(0))
        masks = np.bitwise_or.reduce(bits, axis=3)
        self._affix_masks[slots] = masks
        self._affix_slack[slots] = (np.count_nonzero(keys >= 0, axis=3)
                                    - np.bitwise_count(masks))

    def _set_tokens(self, slots: np.ndarray, token_sets: Sequence[frozenset[str]],
                    rows: np.ndarray) -> None:
        counts = np.array([len(tokens) for tokens in token_sets], dtype=np.int32)
        self._counts[slots] = counts
        self._tokens[slots] = rows
        for n in range(_MASKS):
            bit = ((rows >> (6 * n)) & 63).astype(np.uint64)
            bits = np.where(rows >= 0, np.left_shift(np.uint64(1), bit), np.uint64(0))
            masks = np.bitwise_or.reduce(bits, axis=1) if len(rows) else bits[:, 0]
            self._masks[n][slots] = masks
            # (long sets, > WIDTH tokens, have no ids here and are never bounded: clipped)
            self._slack[n][slots] = np.minimum(counts - np.bitwise_count(masks), WIDTH)

    def _plausible(self, mine: np.ndarray, theirs: np.ndarray, least: int, same_body: float
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`crawler.dedup.verify.plausible` of each pair of slots: enough shared title
        tokens, or equal token sets, or bodies on both sides as similar as ``same_body``.

        First a bound from 64-bit token masks (bit = 6 bits of the token id): shared
        tokens set bits in both masks, and at most ``slack`` of a record's tokens share a bit
        with another of its tokens, so ``shared <= popcount(a & b) + min(slack_a, slack_b)``;
        two masks of other bits give two bounds, the lower counts. Most candidates share one
        token pair and fail the bound; the others are counted exactly from the token ids.
        Equal token sets have equal masks. Then, of the pairs with a body on both sides
        whose titles share too little, the body signatures are compared (articles in a busy
        window meet many others in the body index: most are not the same text).
        A pair one token short of ``least`` (``near``: both titles in a language of
        compounds, :data:`crawler.dedup.verify.COMPOUNDING`) is plausible when a compound
        spelling pairs off (:func:`crawler.dedup.verify.plausible`): the caller, which
        counts the affix keys that meet, decides those.
        Returns the outcome, the pairs one token short, and the shared token ids counted
        (-1 where not counted)."""
        bound = np.full(len(mine), WIDTH, dtype=np.int16)  # shared <= WIDTH anyway
        same_masks = np.ones(len(mine), dtype=bool)
        for masks, slack in zip(self._masks, self._slack, strict=True):
            ours, others = masks[mine], masks[theirs]
            shared_bits = np.bitwise_count(ours & others).astype(np.int16)
            np.minimum(bound, shared_bits + np.minimum(slack[mine], slack[theirs]), out=bound)
            same_masks &= ours == others
        ours, others = self._counts[mine], self._counts[theirs]
        long = (ours > WIDTH) | (others > WIDTH)
        ok = np.zeros(len(mine), dtype=bool)
        shared = np.full(len(mine), -1, dtype=np.int64)
        # A compound spelling may make up one token, in a language of compounds.
        codes = [code for language, code in self._languages.items() if language in COMPOUNDING]
        compounding = np.isin(self._language[mine], codes) & (
            self._language[mine] == self._language[theirs])
        short = max(least - 1, 1)
        count = ~long & ((bound >= least) | same_masks | ((bound >= short) & compounding))
        shared[count] = equal_counts(self._tokens, self._counts, mine[count], theirs[count],
                                     np.uint8)
        ok[count] = (shared[count] >= least) | ((shared[count] == ours[count])
                                                 & (shared[count] == others[count]))
        for n in np.flatnonzero(long).tolist():
            ok[n] = self._plausible_sets(int(mine[n]), int(theirs[n]), least)
        bodies = np.flatnonzero(~ok & self._bodied[mine] & self._bodied[theirs])
        if len(bodies):
            ok[bodies] = self._same_bodies(mine[bodies], theirs[bodies], same_body)
        near = ~ok & (shared == least - 1) & (shared > 0) & compounding
        return ok, near, shared

    def _reachable(self, mine: np.ndarray, theirs: np.ndarray, shared: np.ndarray,
                   joinable: np.ndarray, params: DedupParams) -> np.ndarray:
        """Of plausible pairs, those whose title similarity may reach the pair's threshold.

        :func:`verify` counts ``shared`` tokens plus the compound spellings it pairs off
        (:func:`crawler.dedup.verify.affixed`), at most ``joinable`` of them: its title
        similarity is at most ``(shared + joinable) / (union - joinable)``. Below the
        threshold, with no body on one side, it cannot accept the pair. Most plausible
        pairs of a busy window end so: over 300,000 generated headlines, verify() runs
        136,618 times, against 337,377 when only pairs that could pair nothing were left
        out (503,000 of the 558,000 plausible pairs of the last 100,000 are).
        Token ids may collide and count a token as shared that is not (and then take it
        out of ``joinable``): a pair whose rows both hold an id two tokens of the window
        share (see :class:`crawler.dedup.keys.Collisions`) is kept unless its token sets
        share exactly as many tokens (checked on the sets), so a collision never changes a
        decision."""
        ours, others = self._counts[mine], self._counts[theirs]
        union = np.maximum(ours + others - shared, 1)
        languages = self._language[mine]
        by_code = np.array([params.title_threshold(language) for language in self._languages],
                           dtype=np.float64)
        threshold = np.where(languages == self._language[theirs], by_code[languages],
                             params.title_threshold(None))
        # Place words pair off beside compound spellings (verify.place_pairs), at most as
        # many as either side has.
        joinable = np.where(joinable >= 0,
                            joinable + np.minimum(self._placed[mine], self._placed[theirs]),
                            joinable)
        # The same float verify() compares, at its best: in double precision.
        best = (shared + joinable) / np.maximum(union - joinable, 1)
        below = ((shared >= 0) & (joinable >= 0) & (best < threshold)
                 & ~(self._bodied[mine] & self._bodied[theirs]))
        reach: np.ndarray = ~below
        drop = np.flatnonzero(below)
        doubt = drop[self._collisions.in_doubt(self._tokens[mine[drop]],
                                                self._tokens[theirs[drop]])]
        features = self.features
        reach[doubt] = [len(features[slot].tokens & features[other].tokens) != count
                        for slot, other, count in zip(mine[doubt].tolist(),
                                                      theirs[doubt].tolist(),
                                                      shared[doubt].tolist(), strict=True)]
        return reach

    def _same_bodies(self, mine: np.ndarray, theirs: np.ndarray, least: float) -> np.ndarray:
        """Body signatures at least ``least`` alike, as ``LeanMinHash.jaccard`` computes it
        (equal values over the number of values: the same float, so the same outcome)."""
        ours, others = self.body.signatures(mine), self.body.signatures(theirs)
        alike: np.ndarray = np.count_nonzero(ours == others, axis=1) / ours.shape[1] >= least
        return alike

    def _affixes_met(self, mine: np.ndarray, theirs: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
        """For each pair: how often the two records' affix keys meet, prefix with prefix and
        suffix with suffix; and at most how many compound spellings verify() can pair off:
        a pairing is of a token only one side has with one only the other has, of one
        prefix or suffix (see :func:`affix_keys`), each token at most once, so no more than
        the tokens of either side that meet such a token of the other. -1 for both when
        either set is longer than WIDTH (it has no keys)."""
        width = width_of(self._counts, mine, theirs)
        ours, others = rows_of(self._tokens, mine, theirs, 0, width)
        same = ours[:, :, None] == others[:, None, :]
        alone = (~same.any(axis=2))[:, :, None] & (~same.any(axis=1))[:, None, :]
        prefixes = entries_met(*rows_of(self._affixes, mine, theirs, 0, width))
        suffixes = entries_met(*rows_of(self._affixes, mine, theirs, WIDTH, width))
        meetings = (prefixes.view(np.uint8).sum(axis=(1, 2), dtype=np.int64)
                    + suffixes.view(np.uint8).sum(axis=(1, 2), dtype=np.int64))
        pairable = (prefixes | suffixes) & alone
        joinable = np.minimum(np.count_nonzero(pairable.any(axis=2), axis=1),
                              np.count_nonzero(pairable.any(axis=1), axis=1))
        long = (self._counts[mine] > WIDTH) | (self._counts[theirs] > WIDTH)
        meetings[long] = -1
        joinable[long] = -1
        return meetings, joinable

    def _may_pair(self, mine: np.ndarray, theirs: np.ndarray, shared: np.ndarray
                  ) -> np.ndarray:
        """Of pairs sharing ``shared`` tokens, those whose affix keys may pair a token only
        one side has with one only the other has (``joinable`` of :meth:`_affixes_met` not
        0): a necessary condition, from 64-bit masks of the keys (bit = 6 bits of the key).

        Such a pairing needs a bit of a prefix (or suffix) mask on both sides beside those
        of the shared tokens, or that one of both sides' keys shares a bit with a shared
        token's: with ``slack`` the keys of a title minus the bits they set,
        ``popcount(a & b) + min(slack_a, slack_b) > shared`` in each mask of that side.
        Sets longer than WIDTH (no keys) and pairs a token id collision may miscount
        (:class:`crawler.dedup.keys.Collisions`) are kept."""
        common = np.bitwise_count(self._affix_masks[mine] & self._affix_masks[theirs])
        slack = np.minimum(self._affix_slack[mine], self._affix_slack[theirs])
        may: np.ndarray = ((common.astype(np.int16) + slack > shared[:, None, None])
                           .all(axis=2).any(axis=1))
        may |= (self._counts[mine] > WIDTH) | (self._counts[theirs] > WIDTH)
        doubt = np.flatnonzero(~may)
        may[doubt] = self._collisions.in_doubt(self._tokens[mine[doubt]],
                                               self._tokens[theirs[doubt]])
        return may

    def _plausible_sets(self, slot: int, other: int, least: int) -> bool:
        a, b = self.features[slot], self.features[other]
        assert a is not None and b is not None
        shared = len(a.tokens & b.tokens)
        return shared >= least or a.tokens == b.tokens or (
            0 < shared == least - 1 and a.language == b.language and a.language in COMPOUNDING
            and affixed(a.tokens - b.tokens, b.tokens - a.tokens) > 0)
