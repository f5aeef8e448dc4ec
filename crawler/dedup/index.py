"""The story index: candidates from MinHash LSH, verified pairs, stories as stars.

Lifecycle (one writer decides; see the module docs of :mod:`crawler.merge`)::

    index = StoryIndex(params, store, now=time.time())  # loads the window's signatures
    decisions = index.assign(docs)                      # story ids for a batch
    ... write the records ...
    index.flush()                                       # only now persist the signatures
    index.evict()                                       # forget what left the window

The window: a record stays ``window_days`` from when it entered it, the clock of the run that
first stored it (``StoredSignature.seen``), whatever its published date; a pair is verified
only when the two were published at most ``window_days`` apart (:func:`verify`). So records
of any age, last year's archive too, split over runs less than ``window_days`` apart meet
each other as in one run, and a record dated in the future moves nothing; memory holds what
the runs of ``window_days`` stored. (Counted back from the clock by published date, a
backfill run met its own records but the next run met none of them.) ``replay``: an archive
replayed (:func:`crawler.dedup.stream.dedup_stream`) enters each record at its published time,
and evicts by the newest one seen.

:meth:`StoryIndex.assign` is deterministic: it sorts its batch itself (published, then URL,
then id), so the same batch in any order gives the same stories and story ids. Records are
decided in that order: a record joins, of the stories (stored or of this batch) that its
verified pairs reach and that hold no record it contradicts (a veto), the one whose canonical
record it is itself one story with and most alike (then the earliest canonical, then the
lowest story id); otherwise it starts a story of its own, whose canonical record it is and
whose id is derived from its id. Stories are never merged or rewritten: output is
append-only.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from datasketch import LeanMinHash

from crawler.dedup.cap import log_capped, oldest
from crawler.dedup.edges import Edge, Entry, Fresh, evidence, rounded
from crawler.dedup.params import DedupParams, check_compatible
from crawler.dedup.prepare import Prepared, Preparer
from crawler.dedup.prepare import paused_gc as _paused_gc
from crawler.dedup.signatures import from_bytes, to_bytes
from crawler.dedup.store import SignatureStore
from crawler.dedup.tokens import default_tokenizer
from crawler.dedup.types import Decision, Doc
from crawler.dedup.verify import Features, Verdict, features_of, verify
from crawler.dedup.window import new_window
from crawler.models import MatchEvidence, StoredSignature

#: How far past the clock a record's date moves a replay's window (crawler.dedup.stream): a
#: day of time zones and clock skew; a record dated 2099 must not evict the window.
FUTURE_SKEW = 86400.0
#: The vetoes that say two records report different events (verify()): a record does not
#: join a story holding one it contradicts so. Not "window" (time apart says nothing of
#: what a record reports) nor "texts" (two outlets' articles of one event).
CONTRADICTIONS = frozenset({"numbers", "places", "opposites", "negation"})


def story_id_for(canonical_id: str) -> str:
    """A story's id: stable, derived from its canonical record's id."""
    return "s" + hashlib.sha1(canonical_id.encode()).hexdigest()[:16]


class StoryIndex:
    """Assigns records to stories; keeps the window's signatures in memory."""

    def __init__(self, params: DedupParams, store: SignatureStore | None = None,
                 now: float | None = None, *,
                 lsh_storage: Mapping[str, Any] | None = None, replay: bool = False) -> None:
        self.params = params
        self.now = time.time() if now is None else now
        self._replay = replay
        self._store = store
        self._tokenizer = default_tokenizer()
        self.preparer = Preparer(params, self.now)
        self._title_signer, self._body_signer = params.title_signer(), params.body_signer()
        self._window = new_window(params, self._title_signer, self._body_signer, lsh_storage)
        self._entries: dict[str, Entry] = {}
        self._stories: dict[str, tuple[float, str]] = {}  # story -> canonical (ts, id)
        self._members: dict[str, int] = {}  # story -> its records in the window
        # Records assigned since the last flush: made StoredSignatures only when asked for
        # (a run without a store never needs them).
        self._pending: list[tuple[Fresh, str, str]] = []
        if store is not None:
            self._open(store)

    # -- verbs ------------------------------------------------------------------------------
    def assign(self, docs: Sequence[Doc]) -> list[Decision]:
        """The story of each doc, in the order given."""
        with _paused_gc():
            prepared = self.preparer([doc for doc in docs if doc.id not in self._entries])
        return self.assign_prepared(docs, prepared)

    def assign_prepared(self, docs: Sequence[Doc], prepared: Prepared) -> list[Decision]:
        """:meth:`assign` of ``docs`` given ``self.preparer(docs)`` (or of the docs among
        them not yet in the index), made beforehand or elsewhere."""
        return self.assign_ids([doc.id for doc in docs], prepared)

    def assign_ids(self, ids: Sequence[str], prepared: Prepared) -> list[Decision]:
        """:meth:`assign_prepared` given only the docs' ids (all the index needs of them once
        they are prepared)."""
        decisions = {key: self._known(key) for key in ids if key in self._entries}
        with _paused_gc():
            fresh, title_values, body_values = self._fresh(prepared, decisions)
            edges, vetoed = self._edges(fresh, title_values, body_values)
            decisions.update(self._decide(fresh, edges, vetoed))
        return [decisions[key] for key in ids]

    def pending(self) -> list[StoredSignature]:
        """Signatures of records assigned since the last flush, not yet in the store."""
        return [self._stored(*row) for row in self._pending]

    def flush(self) -> None:
        """Persist pending signatures. Call it only after the records themselves are written:
        a crash in between then re-assigns them next run instead of losing them."""
        if self._store is not None and self._pending:
            self._store.add(self.pending())
        self._pending = []

    def evict(self, now: float | None = None) -> int:
        """Forget signatures that entered the window more than ``window_days`` before ``now``
        (default: the index's clock), in memory and in the store; return how many the store
        (else the index) lost."""
        before = (self.now if now is None else now) - self.params.window_seconds
        old = self._window.older_than(before)
        self._forget(old)
        lost = self._store.evict(before) if self._store is not None else len(old)
        return lost + self._cap()

    def _cap(self) -> int:
        """Let the records over ``params.window_records`` go, the first kept first
        (:mod:`crawler.dedup.cap`), here and in the store; return how many."""
        cap = self.params.window_records
        if cap is None or len(self._window) <= cap:
            return 0
        slots, kept, ts = self._window.entered()
        gone = oldest(slots, kept, ts, self._window.ids, len(slots) - cap)
        log_capped(len(gone), cap, float(kept[np.isin(slots, gone)].max()))
        ids = self._forget(gone)
        if self._store is not None:
            self._store.forget(ids)
        return len(ids)

    def _forget(self, slots: np.ndarray) -> list[str]:
        """Take the records of ``slots`` out of the window and their stories; their ids."""
        ids: list[str] = []
        for slot in slots.tolist():
            key = self._window.ids[slot]
            assert key is not None
            ids.append(key)
            story = self._entries.pop(key).story_id
            self._members[story] -= 1
            if not self._members[story]:
                del self._members[story], self._stories[story]
        self._window.remove(slots)
        return ids

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._entries

    # -- loading ----------------------------------------------------------------------------
    def _open(self, store: SignatureStore) -> None:
        found = store.params_fingerprint()
        check_compatible(found, self.params)
        if found is None:
            store.set_params_fingerprint(self.params.fingerprint())
        with _paused_gc():
            rows = list(store.load(self.now - self.params.window_seconds))
            features = [features_of(self._tokenizer, frozenset(row.title_tokens), row.ts,
                                    row.language, source=sys.intern(row.source),
                                    gist=row.gist)
                        for row in rows]
            titles = _values([from_bytes(row.title_sig) for row in rows], self.params.num_perm)
            bodies = _values([from_bytes(row.body_sig) for row in rows
                              if row.body_sig is not None], self.params.body_num_perm)
            slots = self._window.add([row.id for row in rows], features, titles, bodies,
                                     [row.body_sig is not None for row in rows], load=True,
                                     kept=[row.kept_from for row in rows])
            for row, slot in zip(rows, slots.tolist(), strict=True):
                self._load(row, slot)
        self._cap()  # a state stored under a larger cap

    def _load(self, row: StoredSignature, slot: int) -> None:
        self._entries[row.id] = Entry(row.story_id, row.canonical_id, slot)
        self._members[row.story_id] = self._members.get(row.story_id, 0) + 1
        known = self._stories.get(row.story_id)
        if row.id == row.canonical_id or known is None or (
                known[1] != row.canonical_id and row.ts < known[0]):
            self._stories[row.story_id] = (row.ts, row.canonical_id)

    # -- assigning ----------------------------------------------------------------------------
    def _fresh(self, prepared: Prepared, known: Mapping[str, Decision]
               ) -> tuple[list[Fresh], np.ndarray, np.ndarray]:
        """The prepared records not in the index, now in the window; their title signatures
        and the body signatures of those with a body (rows of arrays)."""
        body_row = np.cumsum(prepared.bodied, dtype=np.int64) - 1
        rows = [n for n, key in enumerate(prepared.ids) if key not in known]
        features = [prepared.features[n] for n in rows]
        bodied = [prepared.bodied[n] for n in rows]
        title_values = prepared.title_values[rows]
        with_body = np.array([n for n in rows if prepared.bodied[n]], dtype=np.int64)
        body_values = prepared.body_values[body_row[with_body]]
        slots = self._window.add([prepared.ids[n] for n in rows],
                                 features, title_values,
                                 body_values, bodied, token_rows=prepared.token_ids[rows],
                                 affix_rows=prepared.affix_keys[rows],
                                 kept=[self._kept(item.ts) for item in features])
        bodies = iter(body_values)
        fresh = [Fresh(prepared.ids[n], prepared.orders[n], prepared.features[n], slot,
                        title, next(bodies) if has else None)
                 for n, slot, title, has in zip(rows, slots.tolist(), title_values, bodied,
                                                strict=True)]
        return fresh, title_values, body_values

    def _edges(self, fresh: list[Fresh], title_values: np.ndarray, body_values: np.ndarray
               ) -> tuple[dict[str, list[Edge]], dict[str, set[str]]]:
        """Verified pairs: each batch record against its candidates, each pair once; and
        the records each batch record contradicts (a pair a veto rejects, see
        :data:`CONTRADICTIONS`)."""
        window = self._window
        edges: dict[str, list[Edge]] = {item.id: [] for item in fresh}
        vetoed: dict[str, set[str]] = {}
        slots = np.array([item.slot for item in fresh], dtype=np.int64)
        rows, others, meetings = window.pairs(slots, title_values, body_values, self.params)
        bodies: dict[int, Features] = {}
        for row, other, met in zip(rows.tolist(), others.tolist(), meetings.tolist(),
                                   strict=True):
            item = fresh[row]
            verdict = verify(*window.compared(item.slot, other, bodies), self.params,
                             meetings=met)
            if verdict.same:
                key = window.ids[other]
                assert key is not None
                edges[item.id].append(Edge(key, verdict))
                if key in edges:
                    edges[key].append(Edge(item.id, verdict))
            elif verdict.rule in CONTRADICTIONS and not self._same_text(verdict):
                key = window.ids[other]
                vetoed.setdefault(item.id, set()).add(str(key))
                if key in edges:
                    vetoed.setdefault(str(key), set()).add(item.id)
        return edges, vetoed

    def _decide(self, fresh: list[Fresh], edges: dict[str, list[Edge]],
                vetoed: Mapping[str, set[str]]) -> dict[str, Decision]:
        """Stories as stars around their canonical record: a record joins a story only when
        it is one story with that story's canonical record (an edge to it, or verify()
        accepting the two), not through a chain of members. "A" like "B" and "B" like "C"
        does not make "A" like "C": on the tune splits single links chained different
        stories of one actor ("Putin says ..."), costing 0.03-0.06 of precision at equal F1.

        Records are taken in assignment order (earliest first), so the same batch in any
        input order gives the same stories; a record joins the story whose canonical it agrees
        with and is most alike (:meth:`_star_of`), and that holds no record it contradicts,
        else starts its own.
        """
        decisions: dict[str, Decision] = {}
        joined: dict[str, tuple[str, str]] = {}  # batch record -> (story, canonical)
        members: dict[str, list[str]] = {}  # story -> its batch records (for evidence)
        for item in fresh:
            found = edges[item.id]
            story = self._star_of(item, found, joined, vetoed.get(item.id, ())
                                  ) if found else None
            if story is None:
                story = (story_id_for(item.id), item.id)
                self._stories[story[0]] = (item.features.ts, item.id)
            joined[item.id] = story
            mine = members.setdefault(story[0], [])
            mine.append(item.id)
            decisions[item.id] = self._decision(item.id, *story, mine, edges)
            self._remember(item, *story)
        return decisions

    def _star_of(self, item: Fresh, found: list[Edge], joined: Mapping[str, tuple[str, str]],
                 contradicted: Iterable[str]) -> tuple[str, str] | None:
        """The story ``item`` joins: of the stories its verified neighbours belong to, the
        one whose canonical ``item`` is one story with and most alike (then the earliest
        canonical, then the lowest story id); None for none.

        Most alike, not the earliest: a record often agrees with the canonicals of two
        stories of one actor ("Mursi als ägyptischer Präsident vereidigt" with its
        near-copy and with "Irak unterstützt das ägyptische Vorgehen gegen
        Mohamed-Morsi-Anhänger"), and which canonical came first says nothing of which
        story it reports (in one batch of undated records: the order of their URLs). On
        the tune splits, 8 German and 1 English same-story pairs more found, 1 false merge
        more in German and 1 fewer in English (benchmarks/README.md).

        Not a story holding a record ``item`` contradicts (``contradicted``: a veto rejected
        the two, "13th" / "14th sanctions package", "approves" / "blocks"): both agreeing with
        one canonical made them one story through it, two events of one actor."""
        options: dict[tuple[str, str], float] = {}  # story -> best link to one of its members
        for edge in found:
            if edge.other in joined:
                story = joined[edge.other]
            elif edge.other in self._entries:
                entry = self._entries[edge.other]
                story = (entry.story_id, entry.canonical_id)
            else:
                continue  # a later record of the batch: it decides itself
            options[story] = max(options.get(story, -1.0), -edge.rank()[0])
        alike = {edge.other: -edge.rank()[0] for edge in found}
        barred = {self._story_of(other, joined) for other in contradicted}
        best: tuple[float, tuple[str, str]] | None = None
        for story, link in sorted(options.items(),
                                  key=lambda o: (*self._stories[o[0][0]], o[0][0])):
            canonical = story[1]
            if story[0] in barred:
                continue
            held = self._entries.get(canonical)
            if canonical in alike:
                score = alike[canonical]
            elif held is None:
                # A canonical older than the window is gone: its story is joined by any
                # link, as alike as the best of them.
                score = link
            else:
                verdict = verify(*self._window.compared(item.slot, held.slot), self.params)
                if not verdict.same:
                    continue
                score = verdict.title_similarity + (verdict.body_similarity or 0.0)
            if best is None or score > best[0]:
                best = (score, story)
        return None if best is None else best[1]

    def _same_text(self, verdict: Verdict) -> bool:
        """Bodies of one text: wire copy under headlines a veto tells apart is no
        contradiction (the body rule makes it one story through its canonical)."""
        return (verdict.body_similarity or 0.0) >= self.params.body_threshold

    def _story_of(self, key: str, joined: Mapping[str, tuple[str, str]]) -> str | None:
        """The story of a record decided before (of this batch or stored); None for one not
        yet decided."""
        if key in joined:
            return joined[key][0]
        entry = self._entries.get(key)
        return None if entry is None else entry.story_id

    def _decision(self, key: str, story_id: str, canonical: str, members: list[str],
                  edges: dict[str, list[Edge]]) -> Decision:
        if key == canonical:
            return Decision(key, story_id, None, None)
        mine = set(members)
        usable = [e for e in edges[key] if e.other in mine or (
            e.other in self._entries and self._entries[e.other].story_id == story_id)]
        best = min(usable or edges[key], key=Edge.rank, default=None)
        return Decision(key, story_id, canonical, evidence(best) if best else None)

    def _remember(self, item: Fresh, story_id: str, canonical: str) -> None:
        self._entries[item.id] = Entry(story_id, canonical, item.slot)
        self._members[story_id] = self._members.get(story_id, 0) + 1
        self._pending.append((item, story_id, canonical))

    def _known(self, key: str) -> Decision:
        """A record seen before keeps its story; evidence is measured against the canonical."""
        entry = self._entries[key]
        if entry.canonical_id == key:
            return Decision(key, entry.story_id, None, None)
        canonical = self._entries.get(entry.canonical_id)
        evidence = None
        if canonical is not None:
            verdict = verify(*self._window.compared(entry.slot, canonical.slot), self.params)
            evidence = MatchEvidence(
                rule="known", title_similarity=round(verdict.title_similarity, 4),
                body_similarity=rounded(verdict.body_similarity), matched_id=entry.canonical_id,
            )
        return Decision(key, entry.story_id, entry.canonical_id, evidence)

    def _stored(self, item: Fresh, story_id: str, canonical: str) -> StoredSignature:
        features = item.features
        body = item.body_values
        return StoredSignature(
            id=item.id, story_id=story_id, canonical_id=canonical, ts=features.ts,
            language=features.language, title_tokens=tuple(sorted(features.tokens)),
            title_sig=to_bytes(self._title_signer.lean(item.title_values)),
            body_sig=to_bytes(self._body_signer.lean(body)) if body is not None else None,
            source=features.source, gist=features.gist,
            seen=self._kept(features.ts),
        )

    def _kept(self, ts: float) -> float:
        """When a record published at ``ts`` enters the window: the clock; in a replay its
        published time, but no later than the clock's :data:`FUTURE_SKEW` (kept from 2099, a
        record outlived every window: no replay's eviction reaches past the clock)."""
        return min(ts, self.now + FUTURE_SKEW) if self._replay else self.now


def _values(signatures: Sequence[LeanMinHash], num_perm: int) -> np.ndarray:
    """Stored signatures as rows of one array (the signer's dtype: uint32 or uint64)."""
    if not signatures:
        return np.zeros((0, num_perm), dtype=np.uint32)
    return np.stack([sig.hashvalues for sig in signatures])
