"""The first half of assigning a batch: what each record is compared by, index state aside.

:class:`Preparer` turns a batch of docs into a :class:`Prepared` batch (match tokens,
features, title and body signatures, timestamps) without looking at any index: it is a pure
function of its parameters and clock, so it can run in another process while the index
assigns the previous batch (:func:`crawler.dedup.stream.dedup_items` does). A prepared batch
is plain data (lists, frozensets, three numpy arrays): cheap to pickle, no ``Doc`` texts.

A :class:`Companion` is another layer's work on the same records (the story layer's
profiles: :mod:`crawler.storylayer`), done record by record beside the preparing, so that
whoever prepares a slice of a batch makes its part too: it is shared between the worker and
the caller like the preparing (:func:`crawler.dedup.stream._share`).
"""

from __future__ import annotations

import gc
import math
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, Protocol

import numpy as np
from datasketch import LeanMinHash

from crawler.dedup.gist import gist_of, gist_words
from crawler.dedup.keys import affix_keys, token_ids
from crawler.dedup.languages import base_language
from crawler.dedup.params import DedupParams
from crawler.dedup.signatures import title_units
from crawler.dedup.tokens import default_tokenizer
from crawler.dedup.types import Doc
from crawler.dedup.verify import Features, Title, features_of, read_title


@dataclass(frozen=True, slots=True)
class Prepared:
    """A batch's records in assignment order (earliest published, then URL, then id), one per
    id (its earliest copy); ``bodied`` marks those with a body signature, in the order of
    ``body_values``' rows. Features carry no body yet: the signatures travel as arrays."""

    ids: list[str]
    orders: list[tuple[float, str, str]]
    features: list[Features]
    title_values: np.ndarray
    body_values: np.ndarray
    bodied: list[bool]
    newest: float | None  # the latest published date of the whole batch (None: no dates)
    token_ids: np.ndarray  # crawler.dedup.keys.token_ids of the features' tokens
    affix_keys: np.ndarray  # crawler.dedup.keys.affix_keys of the features' tokens
    # What a Companion made of these records: one part per slice prepared apart, until
    # Preparer.finished leaves one for the whole batch (empty without a companion).
    attached: list[Any]

    @classmethod
    def joined(cls, parts: Sequence[Prepared]) -> Prepared:
        """Consecutive slices of one :class:`Ordered` batch, prepared apart, as the batch
        prepared whole (the slices carry the batch's ``newest``)."""
        def rows(name: str) -> np.ndarray:
            return np.concatenate([getattr(part, name) for part in parts])

        return cls(ids=[key for part in parts for key in part.ids],
                   orders=[order for part in parts for order in part.orders],
                   features=[item for part in parts for item in part.features],
                   title_values=rows("title_values"), body_values=rows("body_values"),
                   bodied=[has for part in parts for has in part.bodied],
                   newest=parts[0].newest, token_ids=rows("token_ids"),
                   affix_keys=rows("affix_keys"),
                   attached=[made for part in parts for made in part.attached])

    def __reduce__(self) -> tuple[Any, ...]:
        # Features as columns: pickle rebuilds a slots dataclass through a generic
        # __setstate__ (~10 us each, measured), the constructor takes ~1.5 us.
        values = attrgetter(*(field.name for field in fields(Features)))
        columns = tuple(zip(*map(values, self.features), strict=True))
        return _unpickled, ((self.ids, self.orders, columns, self.title_values,
                             self.body_values, self.bodied, self.newest, self.token_ids,
                             self.affix_keys, self.attached),)


@dataclass(frozen=True, slots=True)
class Ordered:
    """A batch's docs in assignment order (earliest published, then URL, then id), one per
    id, with their orders, and the latest published date of the whole batch (None: no
    dates): what :meth:`Preparer.prepare` takes; a slice of it keeps the batch's date."""

    docs: list[Doc]
    orders: list[tuple[float, str, str]]
    newest: float | None

    def __getitem__(self, part: slice) -> Ordered:
        return Ordered(self.docs[part], self.orders[part], self.newest)

    def __len__(self) -> int:
        return len(self.docs)


def _unpickled(state: tuple[Any, ...]) -> Prepared:
    ids, orders, columns, *arrays = state
    features = list(map(Features, *columns)) if columns else []
    return Prepared(ids, orders, features, *arrays)


class Companion(Protocol):
    """Another layer's work on a batch's records, made where they are prepared: ``part``
    of a slice of the batch's docs (assignment order) and their titles read
    (:func:`read_title` of their match tokens in their base language, so that a title is
    tokenised and read once) gives what it made of them (the match keeps those tokens);
    ``whole`` of the parts of one batch, in order, what it made of the batch. ``part`` is
    given the folded words of each text's first ``lead_chars`` characters
    (:meth:`Tokenizer.content_terms`' words) where the body's are made (a text long enough
    to sign; None for the others), so that a body is folded and split once for both
    layers: one at a time, made as it reads them, while they are in the processor's
    cache."""

    @property
    def lead_chars(self) -> int: ...
    def part(self, docs: Sequence[Doc], leads: Iterable[list[str] | None],
             titles: Sequence[Title]) -> Any: ...
    def whole(self, parts: Sequence[Any]) -> Any: ...


class Preparer:
    """``Preparer(params, now)(docs)`` -> :class:`Prepared`; ``now`` dates undated records
    of a batch without any dated one (see :meth:`prepare`); a ``companion``'s work travels
    with each batch (:attr:`Prepared.attached`)."""

    def __init__(self, params: DedupParams, now: float, companion: Companion | None = None
                 ) -> None:
        self.params = params
        self.now = now
        self.companion = companion
        self._tokenizer = default_tokenizer()
        self._title_signer = params.title_signer()
        self._body_signer = params.body_signer()

    def __call__(self, docs: Sequence[Doc]) -> Prepared:
        return self.finished([self.prepare(self.ordered(docs))])

    def finished(self, parts: Sequence[Prepared]) -> Prepared:
        """The slices of one batch, prepared apart, as the batch (:meth:`Prepared.joined`),
        with the companion's work on the whole batch."""
        joined = Prepared.joined(parts)
        if self.companion is None:
            return joined
        return replace(joined, attached=[self.companion.whole(joined.attached)])

    def ordered(self, docs: Sequence[Doc]) -> Ordered:
        """The first, cheap step: ``docs`` in assignment order, one per id (its earliest
        copy). Any consecutive slices of it prepared apart and joined (:meth:`Prepared.joined`)
        are the prepared batch: the rest of the work is record by record."""
        published = [parse_timestamp(doc.published) for doc in docs]
        dated = [ts for ts in published if ts is not None]
        orders: dict[str, tuple[float, str, str]] = {}
        chosen: dict[str, Doc] = {}
        for doc, ts in sorted(zip(docs, published, strict=True), key=lambda pair: _order(*pair)):
            if doc.id not in chosen:  # a repeated id: its first (earliest) copy counts
                chosen[doc.id], orders[doc.id] = doc, _order(doc, ts)
        return Ordered(list(chosen.values()), list(orders.values()), max(dated, default=None))

    def prepare(self, ordered: Ordered) -> Prepared:
        """The records of ``ordered`` prepared (tokens, features, signatures)."""
        unique = ordered.docs
        attached: list[Any] = []
        titles = [read_title(self._tokenizer, self._tokenizer.title_tokens(d.title, d.language),
                             base_language(d.language)) for d in unique]
        # The match's own tokens, with a companion or not: a companion that reads a title
        # otherwise (the story layer's one name for Covid-19) must not change which records
        # are copies, or `dedup` and `dedup --no-stories` would disagree.
        tokens = [title.tokens for title in titles]
        if self.companion is not None:
            bodies: list[list[str] | None] = []
            leads = self._lead_and_body_words(unique, self.companion.lead_chars, bodies)
            attached.append(self.companion.part(unique, leads, titles))
            deque(leads, maxlen=0)  # the bodies of any leads the companion left unread
        else:
            bodies = self._body_words(unique)
        # An undated record is taken to be as recent as its batch's newest dated one (an
        # archive replays like the days it covers: "now" put its undated records years after
        # every dated copy of their story), and no time apart vetoes it (a story's copies in
        # an archive spanning more than the window still meet it).
        undated = self.now if ordered.newest is None else min(ordered.newest, self.now)
        features = [features_of(self._tokenizer, words,
                                undated if order[0] == math.inf else order[0],
                                base_language(doc.language),
                                source=sys.intern(doc.source),  # one string per source
                                dated=order[0] != math.inf,
                                gist=gist_of(self._tokenizer, doc.text or doc.summary,
                                             base_language(doc.language))
                                if body is None else gist_words(body), title=title)
                    for doc, words, order, body, title in zip(unique, tokens, ordered.orders,
                                                              bodies, titles, strict=True)]
        return Prepared(
            ids=[doc.id for doc in unique], orders=ordered.orders, features=features,
            title_values=self._title_signer.values(title_units(t) for t in tokens),
            body_values=self._body_signer.shingle_values((w for w in bodies if w),
                                                         self.params.body_shingle),
            bodied=[w is not None for w in bodies], newest=ordered.newest,
            token_ids=token_ids(tokens), affix_keys=affix_keys(tokens), attached=attached)

    def wrap(self, prepared: Prepared) -> tuple[list[LeanMinHash], list[LeanMinHash | None]]:
        """The batch's title signatures and body signatures (None: no body to compare)."""
        titles = self._title_signer.wrap(prepared.title_values)
        bodies = iter(self._body_signer.wrap(prepared.body_values))
        return titles, [next(bodies) if has else None for has in prepared.bodied]

    def _body_words(self, docs: list[Doc]) -> list[list[str] | None]:
        """The words of the bodies long enough to compare (None for the others)."""
        words = [self._tokenizer.body_words(d.text, d.language)
                 if d.text and self._signed(d.text) else None for d in docs]
        return [w or None for w in words]  # no words left (stop words only): nothing to sign

    def _lead_and_body_words(self, docs: list[Doc], lead_chars: int,
                             bodies: list[list[str] | None]) -> Iterator[list[str] | None]:
        """The folded words of the leads of the bodies long enough to compare (None for
        the others), one doc at a time; each doc's :meth:`_body_words` added to ``bodies``
        as its lead is read: one fold and split of each body (~15 us a generated article's,
        measured), while its words are in the processor's cache for the lead's look-ups."""
        for doc in docs:
            lead, body = (self._tokenizer.lead_and_body_words(doc.text, doc.language, lead_chars)
                          if doc.text and self._signed(doc.text) else (None, None))
            bodies.append(body or None)
            yield lead

    def _signed(self, text: str) -> bool:
        """Whether a text is long enough for a body signature (before its stop words go)."""
        return text.count(" ") + 1 >= self.params.min_body_words


def parse_timestamp(published: str | None) -> float | None:
    """Epoch seconds of an ISO 8601 date (UTC when it has no zone); None if absent or
    unreadable (the record is then treated as undated)."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def order_of(doc: Doc) -> tuple[float, str, str]:
    """Batch order and canonical choice: earliest published (undated last), lowest URL, id."""
    return _order(doc, parse_timestamp(doc.published))


def _order(doc: Doc, published: float | None) -> tuple[float, str, str]:
    return (math.inf if published is None else published, doc.url, doc.id)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Building an index allocates millions of small containers and no cycles; the cyclic
    collector would rescan them over and over (measured: inserts ~1.4x faster without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
