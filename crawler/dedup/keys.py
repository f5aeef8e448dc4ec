"""Title tokens as small ints, for the window's arrays: token ids, affix keys, collisions.

Prepared in the worker with each batch (:mod:`crawler.dedup.prepare`) and kept by the window
(:mod:`crawler.dedup.window`), which compares titles by them a whole batch at a time. Both
are 31-bit hashes, the same in every process; :class:`Collisions` records where two tokens
of the window share an id, so that no decision depends on one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import xxhash

from crawler.dedup.verify import AFFIX

#: Title tokens kept as ids per record. Titles with more tokens (rare: headlines have ~6
#: after stop words) are pre-checked with their token sets instead.
WIDTH = 16
_token_id = xxhash.xxh32_intdigest


def token_ids(token_sets: Sequence[frozenset[str]]) -> np.ndarray:
    """Each token set as a row of WIDTH token ids (31-bit xxhash of the token, -1 after the
    last; all -1 for a set of more than WIDTH tokens).

    Hashes, not a vocabulary: the same in every process (batches are prepared in a worker)
    and nothing that grows with a long run. Two tokens with one id can only make
    :meth:`crawler.dedup.window.Window.pairs` count *more* shared tokens, so a colliding
    pair is verified rather than skipped: decisions never depend on a collision.
    """
    ids, used = _per_token(token_sets, _id_of)
    rows = np.full((len(token_sets), WIDTH), -1, dtype=np.int32)
    rows[used] = ids
    return rows


def affix_keys(token_sets: Sequence[frozenset[str]]) -> np.ndarray:
    """Each token set as a row of 2 x WIDTH keys: of every token, a hash of its first four
    letters, then of its last four (of the whole token when it is shorter than four or not
    a word: :func:`crawler.dedup.verify.affixed` never pairs those); -1 after the last.
    All -1 for a set of more than WIDTH tokens.

    Two records' keys meet at least twice per shared token (each meets itself, as prefix
    and as suffix); one more meeting is needed before ``affixed`` can pair anything, so
    :meth:`crawler.dedup.window.Window.pairs` counts the meetings and verification skips
    ``affixed`` when they are exactly twice the shared tokens. A hash collision only adds
    meetings: ``affixed`` then runs and decides as always.
    """
    keys, used = _per_token(token_sets, _affix_keys)
    rows = np.full((len(token_sets), 2, WIDTH), -1, dtype=np.int32)
    rows[:, 0][used] = keys >> 32
    rows[:, 1][used] = keys & 0x7FFFFFFF
    return rows.reshape(len(token_sets), 2 * WIDTH)


def _per_token(token_sets: Sequence[frozenset[str]], key: Callable[[str], int]
               ) -> tuple[np.ndarray, np.ndarray]:
    """``key`` of every token of the sets of at most WIDTH tokens, in order, and where they
    go in rows of WIDTH columns: row n's first ``len(set n)`` columns (long sets: none)."""
    counts = np.array([len(tokens) for tokens in token_sets], dtype=np.int64)
    short = counts <= WIDTH
    keys = np.array([key(token) for tokens, fits in zip(token_sets, short.tolist(), strict=True)
                     if fits for token in tokens], dtype=np.int64)
    used: np.ndarray = (np.arange(WIDTH) < counts[:, None]) & short[:, None]
    return keys, used


def _id_of(token: str) -> int:
    return _token_id(token.encode()) & 0x7FFFFFFF


def token_id(token: str) -> int:
    """A token's 31-bit id, as in :func:`token_ids` (the same in every process)."""
    return _id_of(token)


@functools.lru_cache(maxsize=1 << 17)  # news vocabulary repeats: a token is keyed once
def _affix_keys(token: str) -> int:
    """A token's two keys in one int (prefix key << 32 | suffix key)."""
    if len(token) >= AFFIX and token[0].isalpha():
        head, tail = "<" + token[:AFFIX], ">" + token[-AFFIX:]
    else:
        head = tail = "=" + token
    return (_token_id(head.encode()) & 0x7FFFFFFF) << 32 | _token_id(tail.encode()) & 0x7FFFFFFF


class Collisions:
    """The token ids that two different tokens of the window share (31-bit hashes: rare,
    but no decision may depend on one). A shared token counted from ids is then in doubt
    only for a pair whose two rows both hold such an id (see
    :meth:`crawler.dedup.gates.Gates._reachable`).

    Tokens are registered as records come; the registry is rebuilt from the records left
    once it holds twice the tokens it held after the last rebuild (it would otherwise grow
    with every token a long run meets)."""

    def __init__(self) -> None:
        self._id: dict[str, int] = {}  # token -> its id
        self._token: dict[int, str] = {}  # id -> the first token met with it
        self._rebuilt = 0
        self.ids = np.zeros(0, dtype=np.int32)  # sorted

    def add(self, token_sets: Iterable[frozenset[str]]) -> None:
        known, first = self._id, self._token
        shared = []
        for tokens in token_sets:
            for token in tokens:
                if token not in known:
                    key = known[token] = _id_of(token)
                    if first.setdefault(key, token) != token:
                        shared.append(key)
        if shared:
            self.ids = np.union1d(self.ids, np.array(shared, dtype=np.int32))

    def stale(self) -> bool:
        return len(self._id) > 2 * self._rebuilt + 65536

    def rebuild(self, token_sets: Iterable[frozenset[str]]) -> None:
        self._id, self._token = {}, {}
        self.ids = np.zeros(0, dtype=np.int32)
        self.add(token_sets)
        self._rebuilt = len(self._id)

    def in_doubt(self, ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
        """For rows of token ids of pairs: whether both rows hold a shared id."""
        if not len(self.ids):
            return np.zeros(len(ours), dtype=bool)
        doubt: np.ndarray = np.logical_and(np.isin(ours, self.ids).any(axis=1),
                                           np.isin(theirs, self.ids).any(axis=1))
        return doubt


__all__ = ["WIDTH", "Collisions", "affix_keys", "token_id", "token_ids"]
