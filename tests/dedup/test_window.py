"""The window's pair filter: exactly the LSH candidates that plausible() lets through and
whose title similarity, where the window knows it, can reach the threshold."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
from datasketch import MinHashLSH

from crawler.dedup.keys import WIDTH
from crawler.dedup.lsh import BandIndex
from crawler.dedup.params import DedupParams
from crawler.dedup.signatures import title_units
from crawler.dedup.verify import Features, affixed, plausible, verify
from crawler.dedup.window import Window
from tests.dedup.test_keys import _colliding

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


def test_pairs_are_the_plausible_lsh_candidates_of_later_records_that_may_match() -> None:
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
    rows, slots, _ = window.pairs(batch, titles[old:], bodies[sum(bodied[:old]):], PARAMS)
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
    below = 0  # plausible, but a title similarity below the threshold and not two bodies
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
            shared = len(tokens[n] & tokens[other])
            union = max(len(tokens[n] | tokens[other]), 1)
            # Tokens of at most three letters: no compound spellings to pair, so the
            # similarity is shared / union (not counted for sets longer than WIDTH).
            counted = len(tokens[n]) <= WIDTH and len(tokens[other]) <= WIDTH
            hopeless = counted and (a.body is None or b.body is None) and (
                shared / union < PARAMS.title_threshold("en"))
            if plausible(a, b, PARAMS):
                below += hopeless
                if not hopeless:
                    expected.add((n, other))
            few = len(tokens[n] & tokens[other]) < PARAMS.min_shared_tokens
            if a.body is not None and b.body is not None and few:
                body_alike[a.body.jaccard(b.body) >= PARAMS.body_threshold] += 1
    assert got == expected
    assert below  # the threshold decided some pairs
    assert body_alike[True] and body_alike[False]  # the body comparison decided some pairs
    assert any(len(tokens[n]) > WIDTH for n, _ in expected)  # the long path was taken


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
    _, found, _ = window.pairs(again, titles[:1], no_body, PARAMS)
    assert not set(found.tolist()) & set(slots[:10].tolist())


def test_affix_counts_bound_what_affixed_pairs() -> None:
    # Compound spellings and their parts, people and places, numbers, markers and one set
    # longer than WIDTH: affixed() never pairs more tokens than the window's bound, and finds
    # none wherever the keys meet exactly twice per shared token (verify() then skips it).
    rng = random.Random(3)
    words = ["ostseekabel", "ostse", "kabel", "sabotageverdacht", "sabotag", "verdacht",
             "ukrainian", "ukrain", "kyiv", "nato", "gipfel", "2024", "20245", "~not", "eu",
             "marin", "ermittelt", "beschadigt", "kabelbruch", "bruch", "strafe", "strasse",
             "nacht"]
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
    meetings, joinable = window._affixes_met(mine, theirs)
    outcomes: Counter[str] = Counter()
    for slot, other, met, most in zip(mine.tolist(), theirs.tolist(), meetings.tolist(),
                                      joinable.tolist(), strict=True):
        a, b = sets[slot], sets[other]
        paired = affixed(a - b, b - a)
        if met == -1:
            assert most == -1
            outcomes["long"] += 1
            continue
        assert paired <= most, (sorted(a), sorted(b))
        if met == 2 * len(a & b):
            assert paired == 0, (sorted(a), sorted(b))
            outcomes["skipped"] += 1
        outcomes["paired" if paired else "none"] += 1
        outcomes["tight" if paired == most else "loose"] += 1
        # Keys that meet without a pairing: "strafe" / "strasse", "verdacht" / "nacht".
        outcomes["below meetings"] += most < met - 2 * len(a & b)
    assert all(outcomes[kind] for kind in ("long", "skipped", "paired", "none", "tight",
                                           "loose", "below meetings")), outcomes


def _reachable(window: Window, mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """What pairs() keeps of pairs of slots (the LSH aside): plausible, then reachable."""
    reach = np.zeros(len(mine), dtype=bool)
    reach[window.worth_verifying(mine, theirs, PARAMS)[0]] = True
    return reach


def test_pairs_left_out_below_the_threshold_are_never_ones_verify_accepts() -> None:
    # Compound spellings (affixed() raises the similarity), titles in two languages with
    # their own thresholds and in none, bodies on some records, sets longer than WIDTH.
    rng = random.Random(4)
    words = ["ostseekabel", "ostse", "kabel", "sabotageverdacht", "sabotag", "verdacht",
             "nato", "gipfel", "marin", "ermittelt", "kabelbruch", "bruch", "putin", "kyiv",
             "drohn", "angriff", "drohnenangriff", "abwehr", "luft", "luftabwehr"]
    sets = [frozenset(rng.sample(words, rng.randint(2, 9))) for _ in range(300)]
    sets += [frozenset(f"w{n}" for n in range(WIDTH + 2)) | sets[0]]
    languages = [rng.choice(["de", "en", None]) for _ in sets]
    bodied = [rng.random() < 0.2 for _ in sets]
    bodies = PARAMS.body_signer().values(
        [f"b{n % 2}", "x", "y"] for n, has in enumerate(bodied) if has)
    window = _window()
    features = [Features(t, 0.0, lang) for t, lang in zip(sets, languages, strict=True)]
    titles = PARAMS.title_signer().values(title_units(t) for t in sets)
    slots = window.add([f"r{n}" for n in range(len(sets))], features, titles, bodies, bodied)
    mine = np.repeat(slots, len(slots))
    theirs = np.tile(slots, len(slots))
    reach = _reachable(window, mine, theirs)
    outcomes: Counter[tuple[bool, bool]] = Counter()
    near: Counter[tuple[bool, bool]] = Counter()
    for slot, other, kept in zip(mine.tolist(), theirs.tolist(), reach.tolist(), strict=True):
        same = verify(*window.compared(slot, other), PARAMS).same
        assert kept or not same, (sorted(sets[slot]), sorted(sets[other]))
        outcomes[kept, same] += 1
        near[kept, same] += len(sets[slot] & sets[other]) == PARAMS.min_shared_tokens - 1
    # Some pairs left out, some kept that verify() rejects all the same (the bound is only
    # for similarities known exactly), and matches kept: some one token short of enough,
    # made up by a compound spelling.
    assert outcomes[False, False] and outcomes[True, False] and outcomes[True, True]
    assert near[True, True]


def test_the_window_registers_tokens_and_forgets_those_of_records_gone() -> None:
    x, y = _colliding()
    sets = [frozenset({x, "nato"}), frozenset({y, "nato"})]
    sets += [frozenset(f"w{n}-{k}" for k in range(7)) for n in range(10_000)]
    window = _window()
    titles = PARAMS.title_signer().values(title_units(t) for t in sets)
    no_body = np.zeros((0, PARAMS.body_num_perm), dtype=np.uint32)
    slots = window.add([f"r{n}" for n in range(len(sets))],
                       [Features(t, 0.0, "en") for t in sets], titles, no_body,
                       [False] * len(sets))
    assert len(window._collisions.ids) == 1
    window.remove(slots[1:])  # compacts, and the registry of 70,000 tokens is rebuilt
    assert not len(window._collisions.ids) and not window._collisions.stale()


def test_a_token_id_collision_never_leaves_out_a_match() -> None:
    # Two different tokens x and y with one 31-bit id make the window count one shared token
    # too many, and take x and y out of its compound pairings, where each pairs off with a
    # compound of the other side: the window's best similarity, (4 + 0) / 12, is below the
    # threshold (0.4 in English) but verify()'s, (3 + 2 paired) / (13 - 2), is not.
    x, y = _colliding()
    a = frozenset({x, "nato", "gipfel", "putin", y + "kabel", "ab", "ac", "ad"})
    b = frozenset({y, "nato", "gipfel", "putin", x + "stream", "ba", "bc", "bd"})
    assert verify(Features(a, 0.0, "en"), Features(b, 0.0, "en"), PARAMS).same
    window = _window()
    titles = PARAMS.title_signer().values(title_units(t) for t in (a, b))
    no_body = np.zeros((0, PARAMS.body_num_perm), dtype=np.uint32)
    slots = window.add(["a", "b"], [Features(a, 0.0, "en"), Features(b, 0.0, "en")], titles,
                       no_body, [False, False])
    mine, theirs = slots[:1], slots[1:]
    _, _, shared = window._plausible(mine, theirs, PARAMS.min_shared_tokens, PARAMS.body_threshold)
    assert shared.tolist() == [4] and window._affixes_met(mine, theirs)[1].tolist() == [0]
    assert _reachable(window, mine, theirs).tolist() == [True]


def _titles_only(window: Window, prefix: str, sets: list[frozenset[str]], language: str
                 ) -> np.ndarray:
    """Slots of records of these title token sets, without bodies."""
    signatures = PARAMS.title_signer().values(title_units(t) for t in sets)
    return window.add([f"{prefix}{n}" for n in range(len(sets))],
                      [Features(t, 0.0, language) for t in sets], signatures,
                      np.zeros((0, PARAMS.body_num_perm), dtype=np.uint32), [False] * len(sets))


def test_affix_masks_keep_every_pair_one_token_short_whose_keys_may_pair() -> None:
    # Titles sharing 2 tokens of compounds, their parts and made-up words, up to WIDTH tokens
    # (keys that share a mask bit within a title and across titles), one set longer than
    # WIDTH: the masks leave out only pairs whose affix keys pair nothing (joinable 0).
    rng = random.Random(5)
    words = ["ostseekabel", "ostse", "kabel", "sabotageverdacht", "sabotag", "verdacht",
             "kabelbruch", "bruch", "drohn", "drohnenangriff", "angriff", "luftabwehr",
             "abwehr", "2024", "~not"]
    words += ["".join(rng.choice("aeiklmnorstu") for _ in range(rng.randint(3, 9)))
              for _ in range(150)]
    sets = [frozenset(rng.sample(words, rng.randint(3, WIDTH))) for _ in range(300)]
    sets.append(frozenset(f"w{n}" for n in range(WIDTH + 1)) | {"kabel", "nato"})
    window = _window()
    slots = _titles_only(window, "r", sets, "de")
    # Each set against sets made to share exactly 2 of its tokens: two of it, then tokens
    # of another set that it does not have.
    of, others = [], []
    for n, tokens in enumerate(sets):
        for other in rng.sample(range(len(sets)), 30):
            rest = sorted(sets[other] - tokens)[:rng.randint(1, WIDTH - 2)]
            of.append(n)
            others.append(frozenset(rng.sample(sorted(tokens), 2) + rest))
    mine, theirs = slots[of], _titles_only(window, "x", others, "de")
    shared = np.full(len(mine), 2, dtype=np.int64)
    may = window._may_pair(mine, theirs, shared)
    _, joinable = window._affixes_met(mine, theirs)
    assert not (~may & (joinable != 0)).any()
    kinds = Counter(zip(may.tolist(), (joinable != 0).tolist(), strict=True))
    # Some left out, some kept that pair (all of them), and some kept on a bit shared by
    # chance.
    assert kinds[False, False] and kinds[True, True] and kinds[True, False], kinds
    assert window._may_pair(slots[-1:], theirs[:1], shared[:1]).tolist() == [True]  # long


def test_a_pair_one_token_short_whose_compounds_pair_nothing_is_not_verified() -> None:
    # "strafe" / "strasse" and "verdacht" / "nacht" meet by affix keys, but neither starts
    # or ends the other: verify() cannot accept the pair without bodies, so it is left out;
    # "ostseekabel" / "kabel" pairs, and that pair is kept.
    nato, putin = "nato", "putin"
    apart = [frozenset({nato, putin, "strafe", "verdacht"}),
             frozenset({nato, putin, "strasse", "nacht"})]
    paired = [frozenset({nato, putin, "ostseekabel"}),
              frozenset({nato, putin, "kabel", "ostse"})]
    window = _window()
    slots = _titles_only(window, "r", apart + paired, "de")
    mine, theirs = slots[[0, 2]], slots[[1, 3]]
    assert window._affixes_met(mine, theirs)[1].tolist()[0] > 0  # the keys meet
    assert _reachable(window, mine, theirs).tolist() == [False, True]
