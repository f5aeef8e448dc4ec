"""The window's pair filter: exactly the LSH candidates that plausible() lets through."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
from datasketch import MinHashLSH

from crawler.dedup.lsh import BandIndex
from crawler.dedup.params import DedupParams
from crawler.dedup.signatures import title_units
from crawler.dedup.verify import Features, affixed, plausible
from crawler.dedup.window import WIDTH, Window, token_ids

PARAMS = DedupParams()


def _window() -> Window:
    return Window(BandIndex(PARAMS.lsh_threshold, PARAMS.num_perm),
                  BandIndex(PARAMS.body_lsh_threshold, PARAMS.body_num_perm),
                  PARAMS.body_signer())


def _records(count: int, seed: int) -> list[frozenset[str]]:
    rng = random.Random(seed)
    words = [f"t{n}" for n in range(30)]  # few words: many candidates, some plausible
    sets = [frozenset(rng.sample(words, rng.choice([1, 2, 3, 4, 6, 8, 12, WIDTH + 3])))
            for _ in range(count)]
    return [*sets, sets[0], frozenset()]  # an equal set; a title of stop words only


def test_pairs_are_the_plausible_lsh_candidates_of_later_records() -> None:
    tokens = _records(300, seed=1)
    bodied = [n % 5 == 0 for n in range(len(tokens))]
    features = [Features(t, 0.0, "en") for t in tokens]
    titles = PARAMS.title_signer().values(title_units(t) for t in tokens)
    # Bodies alike by 1/5, 1/2 or wholly: some body candidates are the same text, some not.
    bodies = PARAMS.body_signer().values(
        [f"b{n % 7}", f"c{n % 3}", "x"] for n, has in enumerate(bodied) if has)
    window = _window()
    old = 200  # in the window before; the rest come as a batch
    window.add([f"r{n}" for n in range(old)], features[:old], titles[:old],
               bodies[:sum(bodied[:old])], bodied[:old])
    batch = window.add([f"r{n}" for n in range(old, len(tokens))], features[old:],
                       titles[old:], bodies[sum(bodied[:old]):], bodied[old:])
    rows, slots, _ = window.pairs(batch, titles[old:], bodies[sum(bodied[:old]):],
                               PARAMS.min_shared_tokens, PARAMS.body_threshold)
    got = {(old + int(row), int(slot)) for row, slot in zip(rows, slots, strict=True)}

    lsh = MinHashLSH(threshold=PARAMS.lsh_threshold, num_perm=PARAMS.num_perm)
    for n, signature in enumerate(PARAMS.title_signer().wrap(titles)):
        if tokens[n]:
            lsh.insert(n, signature)
    body_lsh = MinHashLSH(threshold=PARAMS.body_lsh_threshold, num_perm=PARAMS.body_num_perm)
    body_of = dict(zip([n for n, has in enumerate(bodied) if has],
                       PARAMS.body_signer().wrap(bodies), strict=True))
    for n, signature in body_of.items():
        body_lsh.insert(n, signature)
    expected = set()
    body_alike: Counter[bool] = Counter()
    for n in range(old, len(tokens)):
        found = set(lsh.query(PARAMS.title_signer().wrap(titles[n:n + 1])[0])) if tokens[n] \
            else set()
        if n in body_of:
            found |= set(body_lsh.query(body_of[n]))
        for other in found:
            if other == n or (other >= old and other < n):
                continue
            a = Features(tokens[n], 0.0, body=body_of.get(n))
            b = Features(tokens[other], 0.0, body=body_of.get(other))
            if plausible(a, b, PARAMS):
                expected.add((n, other))
            few = len(tokens[n] & tokens[other]) < PARAMS.min_shared_tokens
            if a.body is not None and b.body is not None and few:
                body_alike[a.body.jaccard(b.body) >= PARAMS.body_threshold] += 1
    assert got == expected
    assert body_alike[True] and body_alike[False]  # the body comparison decided some pairs
    assert any(len(tokens[n]) > WIDTH for n, _ in expected)  # the long path was taken


def test_token_ids_are_stable_and_mark_long_sets() -> None:
    rows = token_ids([frozenset({"putin", "nato"}), frozenset(f"w{n}" for n in range(WIDTH + 1))])
    again = token_ids([frozenset({"nato", "putin"})])
    assert sorted(rows[0][:2].tolist()) == sorted(again[0][:2].tolist())
    assert (rows[0][2:] == -1).all() and (rows[1] == -1).all()
    assert (rows[0][:2] >= 0).all()


def test_removed_slots_are_reused_only_after_compaction() -> None:
    window = _window()
    tokens = _records(40, seed=2)[:40]
    features = [Features(t, float(n), "en") for n, t in enumerate(tokens)]
    titles = PARAMS.title_signer().values(title_units(t) for t in tokens)
    no_body = np.zeros((0, PARAMS.body_num_perm), dtype=np.uint32)
    slots = window.add([f"r{n}" for n in range(40)], features, titles, no_body, [False] * 40)
    window.remove(window.older_than(10.0))
    assert len(window) == 30 and "r3" not in window.slot_of
    again = window.add(["s"], features[:1], titles[:1], no_body, [False])
    assert int(again[0]) not in slots[:10].tolist()  # ten removed: not yet compacted
    _, found, _ = window.pairs(again, titles[:1], no_body, PARAMS.min_shared_tokens,
                            PARAMS.body_threshold)
    assert not set(found.tolist()) & set(slots[:10].tolist())


def test_affixed_is_skipped_only_where_it_pairs_nothing() -> None:
    # Compound spellings and their parts, people and places, numbers, markers and one set
    # longer than WIDTH: wherever the keys meet exactly twice per shared token, affixed()
    # finds no pair (so verify() may skip it), and it does find some where they meet more.
    rng = random.Random(3)
    words = ["ostseekabel", "ostse", "kabel", "sabotageverdacht", "sabotag", "verdacht",
             "ukrainian", "ukrain", "kyiv", "nato", "gipfel", "2024", "20245", "~not", "eu",
             "marin", "ermittelt", "beschadigt", "kabelbruch", "bruch"]
    sets = [frozenset(rng.sample(words, rng.randint(1, 8))) for _ in range(400)]
    sets.append(frozenset(f"w{n}" for n in range(WIDTH + 1)))
    window = _window()
    features = [Features(t, 0.0, "de") for t in sets]
    titles = PARAMS.title_signer().values(title_units(t) for t in sets)
    no_body = np.zeros((0, PARAMS.body_num_perm), dtype=np.uint32)
    slots = window.add([f"r{n}" for n in range(len(sets))], features, titles, no_body,
                       [False] * len(sets))
    mine = np.repeat(slots, 20)
    theirs = np.array([rng.choice(slots.tolist()) for _ in mine], dtype=np.int64)
    meetings = window._meetings(mine, theirs)
    outcomes: Counter[tuple[bool, bool, bool]] = Counter()
    for slot, other, met in zip(mine.tolist(), theirs.tolist(), meetings.tolist(),
                                strict=True):
        a, b = sets[slot], sets[other]
        paired = affixed(a - b, b - a)
        if met == 2 * len(a & b):
            assert paired == 0, (sorted(a), sorted(b))
        outcomes[met == -1, met == 2 * len(a & b), paired > 0] += 1
    assert outcomes[False, False, True] and outcomes[False, True, False]
    assert any(long for long, _, _ in outcomes)  # the long set has no keys: -1
