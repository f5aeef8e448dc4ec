"""Token ids and affix keys: stable across processes; collisions recorded, not hidden."""

from __future__ import annotations

import functools

from crawler.dedup.keys import WIDTH, Collisions, token_ids
from crawler.dedup.verify import AFFIX


def test_token_ids_are_stable_and_mark_long_sets() -> None:
    rows = token_ids([frozenset({"putin", "nato"}), frozenset(f"w{n}" for n in range(WIDTH + 1))])
    again = token_ids([frozenset({"nato", "putin"})])
    assert sorted(rows[0][:2].tolist()) == sorted(again[0][:2].tolist())
    assert (rows[0][2:] == -1).all() and (rows[1] == -1).all()
    assert (rows[0][:2] >= 0).all()


@functools.cache
def _colliding() -> tuple[str, str]:
    """Two tokens of letters, of other prefixes and suffixes, with one 31-bit token id."""
    seen: dict[int, str] = {}
    n = 0
    while True:
        token = "".join("qwrtzpsdfghjklxcvbnm"[int(d)] for d in f"{n:07d}")  # letters only
        key = int(token_ids([frozenset({token})])[0][0])
        if key in seen and seen[key][:AFFIX] != token[:AFFIX] and (
                seen[key][-AFFIX:] != token[-AFFIX:]):
            return seen[key], token
        seen[key] = token
        n += 1


def test_collisions_are_the_ids_two_tokens_share_rebuilt_from_the_records_left() -> None:
    x, y = _colliding()
    collisions = Collisions()
    collisions.add([frozenset({x, "nato"}), frozenset({"putin"})])
    assert not len(collisions.ids)
    collisions.add([frozenset({y, "putin"})])
    assert collisions.ids.tolist() == [token_ids([frozenset({x})])[0][0]]
    rows = token_ids([frozenset({x, "nato"}), frozenset({y, "putin"}),
                      frozenset({"nato", "putin"})])
    # A token counted as shared is in doubt only where both rows hold the id.
    assert collisions.in_doubt(rows[[0, 0, 2]], rows[[1, 2, 2]]).tolist() == [True, False,
                                                                             False]
    assert not collisions.stale()
    collisions.add(frozenset({f"w{n}"}) for n in range(70_000))  # a long run's tokens
    assert collisions.stale()
    collisions.rebuild([frozenset({x, "nato"})])  # y's record left the window
    assert not len(collisions.ids) and not collisions.stale()
