"""The window's pair gates: which LSH candidates of a batch are worth verifying.

Checked a whole batch of pairs at once on the arrays of :class:`crawler.dedup.slots.Slots`:
plausible (:meth:`Gates._plausible`: enough shared title tokens, or alike bodies), able to
reach the title threshold (:meth:`Gates._reachable`), and, for a pair one token short, whether a
compound spelling may pair off (:meth:`Gates._may_pair`, :meth:`Gates._affixes_met`). Each
answers exactly what :func:`crawler.dedup.verify.verify` would, or lets the pair through.
"""

from __future__ import annotations

import numpy as np

from crawler.dedup.keys import WIDTH
from crawler.dedup.params import DedupParams
from crawler.dedup.slots import Slots
from crawler.dedup.tablerows import entries_met, equal_counts, rows_of, width_of
from crawler.dedup.verify import COMPOUNDING, affixed


class Gates(Slots):
    """The pair gates, on the window's arrays."""

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
