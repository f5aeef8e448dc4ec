"""The story index: candidates from MinHash LSH, verified pairs, union-find stories.

Lifecycle (one writer decides; see the module docs of :mod:`crawler.merge`)::

    index = StoryIndex(params, store, now=time.time())  # loads the window's signatures
    decisions = index.assign(docs)                      # story ids for a batch
    ... write the records ...
    index.flush()                                       # only now persist the signatures
    index.evict()                                       # forget what left the window

:meth:`StoryIndex.assign` is deterministic: it sorts its batch itself (published, then URL,
then id), so the same batch in any order gives the same stories and story ids. Within a
batch, verified pairs are joined by union-find; a component that matches stories already
in the index joins the one whose canonical record is earliest (then lowest id); otherwise it
is a new story whose canonical record is its earliest member (then lowest URL) and whose id
is derived from that record's id. Stored stories are never merged or rewritten: output is
append-only.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from datasketch import LeanMinHash

from crawler.dedup.cluster import UnionFind
from crawler.dedup.lsh import CandidateIndex, SharedCandidateIndex
from crawler.dedup.params import DedupParams
from crawler.dedup.prepare import Prepared, Preparer
from crawler.dedup.prepare import paused_gc as _paused_gc
from crawler.dedup.signatures import from_bytes, to_bytes
from crawler.dedup.store import SignatureStore
from crawler.dedup.tokens import default_tokenizer
from crawler.dedup.types import Decision, Doc
from crawler.dedup.verify import Features, Verdict, features_of, verify
from crawler.errors import IncompatibleState
from crawler.models import MatchEvidence, StoredSignature


def story_id_for(canonical_id: str) -> str:
    """A story's id: stable, derived from its canonical record's id."""
    return "s" + hashlib.sha1(canonical_id.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class _Entry:
    story_id: str
    canonical_id: str
    features: Features


@dataclass(frozen=True, slots=True)
class _Fresh:
    """A batch record not seen before, with what it is compared by."""

    id: str
    order: tuple[float, str, str]
    features: Features
    title_sig: LeanMinHash
    body_sig: LeanMinHash | None


@dataclass(frozen=True, slots=True)
class _Edge:
    other: str
    verdict: Verdict

    def rank(self) -> tuple[float, str]:
        # Best evidence first: highest similarity, then the lowest id (deterministic).
        return (-(self.verdict.title_similarity + (self.verdict.body_similarity or 0.0)),
                self.other)


class StoryIndex:
    """Assigns records to stories; keeps the window's signatures in memory."""

    def __init__(self, params: DedupParams, store: SignatureStore | None = None,
                 now: float | None = None, *,
                 lsh_storage: Mapping[str, Any] | None = None) -> None:
        self.params = params
        self.now = time.time() if now is None else now
        self._store = store
        self._tokenizer = default_tokenizer()
        self.preparer = Preparer(params, self.now)
        self._title_lsh, self._body_lsh = _candidate_indexes(params, lsh_storage)
        self._entries: dict[str, _Entry] = {}
        self._stories: dict[str, tuple[float, str]] = {}  # story -> canonical (ts, id)
        # Records assigned since the last flush: made StoredSignatures only when asked for
        # (a run without a store never needs them).
        self._pending: list[tuple[_Fresh, str, str]] = []
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
        decisions = {doc.id: self._known(doc.id) for doc in docs if doc.id in self._entries}
        with _paused_gc():
            fresh = self._fresh(prepared, decisions)
            self._index(fresh)
            edges = self._edges(fresh)
            decisions.update(self._decide(fresh, edges))
        return [decisions[doc.id] for doc in docs]

    def pending(self) -> list[StoredSignature]:
        """Signatures of records assigned since the last flush, not yet in the store."""
        return [_stored(*row) for row in self._pending]

    def flush(self) -> None:
        """Persist pending signatures. Call it only after the records themselves are written:
        a crash in between then re-assigns them next run instead of losing them."""
        if self._store is not None and self._pending:
            self._store.add(self.pending())
        self._pending = []

    def evict(self, now: float | None = None) -> int:
        """Forget signatures older than the window before ``now`` (default: the index's
        clock), in memory and in the store; return how many the store (else the index) lost."""
        before = (self.now if now is None else now) - self.params.window_seconds
        old = [key for key, entry in self._entries.items() if entry.features.ts < before]
        for key in old:
            self._forget(key)
        live = {entry.story_id for entry in self._entries.values()}
        self._stories = {s: c for s, c in self._stories.items() if s in live}
        return self._store.evict(before) if self._store is not None else len(old)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._entries

    # -- loading ----------------------------------------------------------------------------
    def _open(self, store: SignatureStore) -> None:
        expected = self.params.fingerprint()
        found = store.params_fingerprint()
        if found is None:
            store.set_params_fingerprint(expected)
        elif found != expected:
            raise IncompatibleState(
                f"stored signatures were made with other parameters ({found}) than this"
                f" version uses ({expected}); they can never match. Clear the stored"
                " signatures (or use a fresh state directory) to start the index anew."
            )
        titles: list[tuple[str, LeanMinHash]] = []
        bodies: list[tuple[str, LeanMinHash]] = []
        with _paused_gc():
            for row in store.load(self.now - self.params.window_seconds):
                body = self._load(row)
                # Titles without tokens (stop words only) are not indexed (see _index).
                if row.title_tokens:
                    titles.append((row.id, from_bytes(row.title_sig)))
                if body is not None:
                    bodies.append((row.id, body))
            self._title_lsh.bulk_load(titles)
            self._body_lsh.bulk_load(bodies)

    def _load(self, row: StoredSignature) -> LeanMinHash | None:
        body = from_bytes(row.body_sig) if row.body_sig is not None else None
        features = features_of(self._tokenizer, frozenset(row.title_tokens), row.ts, row.language,
                               body)
        self._entries[row.id] = _Entry(row.story_id, row.canonical_id, features)
        known = self._stories.get(row.story_id)
        if row.id == row.canonical_id or known is None or (
                known[1] != row.canonical_id and row.ts < known[0]):
            self._stories[row.story_id] = (row.ts, row.canonical_id)
        return body

    # -- assigning ----------------------------------------------------------------------------
    def _fresh(self, prepared: Prepared, known: Mapping[str, Decision]) -> list[_Fresh]:
        """The prepared records not in the index, with their signatures."""
        titles, bodies = self.preparer.wrap(prepared)
        fresh = []
        for key, order, features, title_sig, body_sig in zip(
                prepared.ids, prepared.orders, prepared.features, titles, bodies, strict=True):
            if key in known:
                continue
            if body_sig is not None:
                fresh.append(_Fresh(key, order, replace(features, body=body_sig), title_sig,
                                    body_sig))
            else:
                fresh.append(_Fresh(key, order, features, title_sig, None))
        return fresh

    def _index(self, fresh: list[_Fresh]) -> None:
        # Titles without tokens (stop words only) have the empty signature; indexed, they
        # would all collide: they are not.
        self._title_lsh.insert_many([(item.id, item.title_sig) for item in fresh
                                     if item.features.tokens])
        self._body_lsh.insert_many([(item.id, item.body_sig) for item in fresh
                                    if item.body_sig is not None])

    def _edges(self, fresh: list[_Fresh]) -> dict[str, list[_Edge]]:
        """Verified pairs: each batch record against its candidates, each pair once.

        Most candidates share a frequent token pair and nothing more: :func:`plausible`'s
        test is inlined for them (a call per candidate cost more than the test itself)."""
        position = {item.id: n for n, item in enumerate(fresh)}
        edges: dict[str, list[_Edge]] = {item.id: [] for item in fresh}
        entries, least, params = self._entries, self.params.min_shared_tokens, self.params
        for n, (item, candidates) in enumerate(zip(fresh, self._candidates(fresh),
                                                   strict=True)):
            mine = item.features
            tokens, bodied = mine.tokens, mine.body is not None
            for other in candidates:
                at = position.get(other)
                if at is None:
                    entry = entries.get(other)
                    if entry is None:
                        continue  # a shared index's leftover from a merge that never committed
                    theirs = entry.features
                elif at > n:
                    theirs = fresh[at].features
                else:
                    continue  # itself, or a pair already seen from the other side
                if (len(tokens & theirs.tokens) < least and tokens != theirs.tokens
                        and not (bodied and theirs.body is not None)):
                    continue  # not plausible()
                verdict = verify(mine, theirs, params)
                if verdict.same:
                    edges[item.id].append(_Edge(other, verdict))
                    if at is not None:
                        edges[other].append(_Edge(item.id, verdict))
        return edges

    def _candidates(self, fresh: list[_Fresh]) -> list[set[str]]:
        """Each batch record's candidates (one lookup for the whole batch: a shared index
        answers it in one round trip)."""
        found: list[set[str]] = [set() for _ in fresh]
        titled = [n for n, item in enumerate(fresh) if item.features.tokens]
        for n, keys in zip(titled, self._title_lsh.query_many(
                [fresh[n].title_sig for n in titled]), strict=True):
            found[n].update(keys)
        bodied = [n for n, item in enumerate(fresh) if item.body_sig is not None]
        for n, keys in zip(bodied, self._body_lsh.query_many(
                [fresh[n].body_sig for n in bodied]), strict=True):
            found[n].update(keys)
        return found

    def _decide(self, fresh: list[_Fresh], edges: dict[str, list[_Edge]]
                ) -> dict[str, Decision]:
        by_id = {item.id: item for item in fresh}
        sets = UnionFind(by_id)
        for key, found in edges.items():
            for edge in found:
                if edge.other in by_id:
                    sets.union(key, edge.other)
        decisions: dict[str, Decision] = {}
        for members in sets.components():
            story_id, canonical = self._story_of(members, edges, by_id)
            for key in members:
                decisions[key] = self._decision(key, story_id, canonical, members, edges)
                self._remember(by_id[key], story_id, canonical)
        return decisions

    def _story_of(self, members: list[str], edges: dict[str, list[_Edge]],
                  by_id: dict[str, _Fresh]) -> tuple[str, str]:
        """The stored story a component joins (earliest canonical), or a new one."""
        stored = {self._entries[e.other].story_id for key in members for e in edges[key]
                  if e.other in self._entries}
        if stored:
            story_id = min(stored, key=lambda s: (*self._stories[s], s))
            return story_id, self._stories[story_id][1]
        canonical = min(members, key=lambda key: by_id[key].order)
        story_id = story_id_for(canonical)
        self._stories[story_id] = (by_id[canonical].features.ts, canonical)
        return story_id, canonical

    def _decision(self, key: str, story_id: str, canonical: str, members: list[str],
                  edges: dict[str, list[_Edge]]) -> Decision:
        if key == canonical:
            return Decision(key, story_id, None, None)
        mine = set(members)
        usable = [e for e in edges[key] if e.other in mine or (
            e.other in self._entries and self._entries[e.other].story_id == story_id)]
        best = min(usable or edges[key], key=_Edge.rank, default=None)
        return Decision(key, story_id, canonical, _evidence(best) if best else None)

    def _remember(self, item: _Fresh, story_id: str, canonical: str) -> None:
        self._entries[item.id] = _Entry(story_id, canonical, item.features)
        self._pending.append((item, story_id, canonical))

    def _known(self, key: str) -> Decision:
        """A record seen before keeps its story; evidence is measured against the canonical."""
        entry = self._entries[key]
        if entry.canonical_id == key:
            return Decision(key, entry.story_id, None, None)
        canonical = self._entries.get(entry.canonical_id)
        evidence = None
        if canonical is not None:
            verdict = verify(entry.features, canonical.features, self.params)
            evidence = MatchEvidence(
                rule="known", title_similarity=round(verdict.title_similarity, 4),
                body_similarity=_round(verdict.body_similarity), matched_id=entry.canonical_id,
            )
        return Decision(key, entry.story_id, entry.canonical_id, evidence)

    def _forget(self, key: str) -> None:
        del self._entries[key]
        for lsh in (self._title_lsh, self._body_lsh):
            if key in lsh:
                lsh.remove(key)


def _candidate_indexes(params: DedupParams, storage: Mapping[str, Any] | None
                       ) -> tuple[CandidateIndex | SharedCandidateIndex,
                                  CandidateIndex | SharedCandidateIndex]:
    """In memory (rebuilt from the stored signatures), or in the shared storage under a name
    that carries the parameters' fingerprint: an index of other parameters is never reused."""
    if storage is None:
        return (CandidateIndex(params.lsh_threshold, params.num_perm),
                CandidateIndex(params.body_lsh_threshold, params.body_num_perm))
    digest = hashlib.sha1(params.fingerprint().encode()).hexdigest()[:12]
    base = bytes(storage["basename"]) + b":" + digest.encode()
    return (SharedCandidateIndex(params.lsh_threshold, params.num_perm,
                                 {**storage, "basename": base + b":title"}),
            SharedCandidateIndex(params.body_lsh_threshold, params.body_num_perm,
                                 {**storage, "basename": base + b":body"}))


def _stored(item: _Fresh, story_id: str, canonical: str) -> StoredSignature:
    features = item.features
    return StoredSignature(
        id=item.id, story_id=story_id, canonical_id=canonical, ts=features.ts,
        language=features.language, title_tokens=tuple(sorted(features.tokens)),
        title_sig=to_bytes(item.title_sig),
        body_sig=to_bytes(item.body_sig) if item.body_sig is not None else None,
    )


def _evidence(edge: _Edge) -> MatchEvidence:
    return MatchEvidence(
        rule=edge.verdict.rule, title_similarity=round(edge.verdict.title_similarity, 4),
        body_similarity=_round(edge.verdict.body_similarity), matched_id=edge.other,
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
