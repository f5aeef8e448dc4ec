"""verify(): which candidate pairs are one story, and why."""

from __future__ import annotations

import random

import pytest

from crawler.dedup.params import DedupParams
from crawler.dedup.tokens import default_tokenizer
from crawler.dedup.verify import (
    Features,
    affixed,
    features_of,
    plausible,
    read_title,
    verify,
)

PARAMS = DedupParams()


def _features(title: str, language: str | None, ts: float = 0.0, body: str | None = None
              ) -> Features:
    tokenizer = default_tokenizer()
    signature = None
    if body is not None:
        signature = PARAMS.body_signer().sign([tokenizer.body_shingles(body, language)])[0]
    return features_of(tokenizer, tokenizer.title_tokens(title, language), ts, language,
                       signature)


def test_seed_pair_is_one_story() -> None:
    verdict = verify(
        _features("NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)", "de"),
        _features("NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)", "de"), PARAMS)
    assert verdict.same
    assert verdict.rule == "title"
    assert verdict.title_similarity == 1.0


@pytest.mark.parametrize(("a", "b", "language", "rule"), [
    ("Putin scheitert in der Ukraine", "Putin droht der Ukraine", "de", "different"),
    ("Tag 412 des Krieges", "Tag 413 des Krieges", "de", "numbers"),
    ("EU agrees 14th sanctions package against Russia",
     "EU agrees 15th sanctions package against Russia", "en", "numbers"),
    ("Das 14. Sanktionspaket der EU gegen Russland", "Das 15. Sanktionspaket der EU gegen Russland",
     "de", "numbers"),
    ("Security Council to vote on Gaza ceasefire resolution",
     "Security Council to vote on Sudan ceasefire resolution", "en", "places"),
    ("Senate passes Ukraine aid bill", "Senate blocks Ukraine aid bill", "en", "opposites"),
    ("Putin says Russia will use nuclear weapons in Ukraine",
     "Putin says Russia will not use nuclear weapons in Ukraine", "en", "negation"),
    ("NATO-Gipfel: Ukraine bekommt Beitrittseinladung",
     "NATO-Gipfel: Ukraine bekommt keine Beitrittseinladung", "de", "negation"),
    ("Bundeswehr soll 35 F-35-Jets bekommen", "Bundeswehr soll 15 weitere F-35-Jets bekommen",
     "de", "numbers"),
    ("China-Aktien schließen am Freitag höher", "China-Aktien schließen am Montag höher", "de",
     "numbers"),
    ("Tokyo stocks close higher on Tuesday", "Tokyo stocks close higher on Wednesday", "en",
     "numbers"),
    ("Heavy fighting reported in Syria's Aleppo", "Heavy fighting reported in Syria's Homs", "en",
     "places"),
    ("Romney wins Republican primary in Indiana", "Romney wins Republican primary in Florida",
     "en", "places"),
    ("Tokioter Aktien öffnen höher", "Tokioter Aktien öffnen tiefer", "de", "opposites"),
    ("Burundische Polizei feuert Tränengas auf Demonstranten",
     "Montenegrinische Polizei feuert Tränengas auf Demonstranten", "de", "places"),
    ("Senegalese president to visit China", "Somali president to visit China", "en", "places"),
    ("FAA continues ban on US flights to Tel Aviv", "FAA lifts ban on US flights to Tel Aviv",
     "en", "opposites"),
    ("Parlament stimmt für Rentenreform", "Parlament stimmt gegen Rentenreform", "de",
     "opposites"),
    ("Parlament stimmt für Rentenreform", "Parlament lehnt Rentenreform ab", "de",
     "opposites"),
    ("Parlament stimmt gegen Rentenreform", "Parlament stimmt der Rentenreform zu", "de",
     "opposites"),
    ("Senate votes for Ukraine aid bill", "Senate votes against Ukraine aid bill", "en",
     "opposites"),
    ("Gericht ordnet Neuwahl in Berlin an", "Gericht lehnt Neuwahl in Berlin ab", "de",
     "opposites"),
    ("Regierung hält Einreisestopp aufrecht", "Regierung hebt Einreisestopp auf", "de",
     "opposites"),
    ("Iran agrees to direct talks with US", "Iran rules out direct talks with US", "en",
     "opposites"),
    ("Aust shares close higher on bank gains", "Singapore shares close higher on bank gains",
     "en", "places"),
    # Designations are hard tokens like numbers: another aircraft, another deal.
    ("F-35 deal: Switzerland signs contract", "F-16 deal: Switzerland signs contract", "en",
     "numbers"),
    ("Turkey buys S-400 air defence system from Russia",
     "Turkey buys S-300 air defence system from Russia", "en", "numbers"),
    ("Schweiz kauft F-35-Kampfjets", "Schweiz kauft F-16-Kampfjets", "de", "numbers"),
    ("NATO sends more troops to the Baltic states",
     "Will NATO send more troops to the Baltic states?", "en", "question"),
])
def test_hard_negatives_stay_apart(a: str, b: str, language: str, rule: str) -> None:
    verdict = verify(_features(a, language), _features(b, language), PARAMS)
    assert not verdict.same
    assert verdict.rule == rule


def test_verify_is_symmetric() -> None:
    a = _features("Castro celebrates 86th birthday Monday", "en")
    b = _features("Fidel Castro celebrates 86th birthday", "en")
    assert verify(a, b, PARAMS) == verify(b, a, PARAMS)


def test_the_same_designation_in_other_words_is_one_story() -> None:
    a = _features("F-35 deal: Switzerland signs contract", "en")
    b = _features("Switzerland signs contract for F-35 jets", "en")
    assert verify(a, b, PARAMS).same


def test_a_number_added_on_one_side_is_no_veto() -> None:
    a = _features("Five killed in Kabul bomb attack", "en")
    b = _features("Five killed, 12 wounded in Kabul bomb attack", "en")
    assert verify(a, b, PARAMS).same


def test_a_city_and_its_country_agree() -> None:
    a = _features("Moscow expels German diplomats over spy case", "en")
    b = _features("Russia expels German diplomats over spy case", "en")
    assert verify(a, b, PARAMS).same


def test_records_further_apart_than_the_window_differ() -> None:
    title = "EU agrees sanctions package against Russia"
    later = PARAMS.window_seconds + 1
    verdict = verify(_features(title, "en"), _features(title, "en", ts=later), PARAMS)
    assert (verdict.same, verdict.rule) == (False, "window")


BODY = " ".join(f"Satz {n} über die Lage an der Front und die Lieferung von Munition."
                for n in range(12))


def test_same_body_under_another_headline_is_one_story() -> None:
    a = _features("Kiew meldet schwere Kämpfe im Osten", "de", body=BODY)
    b = _features("Front im Donbass unter Druck", "de", body=BODY)
    verdict = verify(a, b, PARAMS)
    assert (verdict.same, verdict.rule) == (True, "body")
    assert verdict.body_similarity == 1.0


def test_title_match_with_same_body_says_so() -> None:
    title = "Kiew meldet schwere Kämpfe im Osten der Ukraine"
    verdict = verify(_features(title, "de", body=BODY), _features(title, "de", body=BODY), PARAMS)
    assert verdict.rule == "title+body"


@pytest.mark.parametrize(("a", "b", "language"), [
    ("Heavy fighting reported in Aleppo", "Heavy fighting reported in Syria's Aleppo", "en"),
    ("Drone attack on Kharkiv power plant", "Drone attack on Ukrainian power plant in Kharkiv",
     "en"),
    ("Tokyo stocks close higher on Tuesday", "Tokyo stocks close higher", "en"),
])
def test_a_place_or_day_named_on_one_side_only_is_no_veto(a: str, b: str, language: str) -> None:
    assert verify(_features(a, language), _features(b, language), PARAMS).same


def test_both_sides_negated_is_no_veto() -> None:
    verdict = verify(_features("Russia will not sign New START extension", "en"),
                     _features("Russia won't sign extension of New START", "en"), PARAMS)
    assert verdict.same


def test_two_questions_are_no_veto() -> None:
    verdict = verify(_features("Will NATO send more troops to the Baltic states?", "en"),
                     _features("Is NATO sending more troops to the Baltic states?", "en"),
                     PARAMS)
    assert verdict.same


def test_the_question_mark_is_no_shared_word() -> None:
    # Two words in common and both asking: two shared words, one short of enough.
    verdict = verify(_features("Can Scholz survive?", "en"),
                     _features("Will Scholz survive the coalition's winter crisis?", "en"),
                     PARAMS)
    assert verdict.rule == "different"


def test_compound_spellings_count_as_shared() -> None:
    # Three exact tokens are shared (beschädigt, Marine, ermittelt): enough to compare; only
    # with "ostseekabel" paired with "ostse" + "kabel" (and "sabotageverdacht" with
    # "sabotag" + "verdacht") is the similarity above the threshold.
    fa = _features("Ostsee-Kabel beschädigt – Verdacht auf Sabotage, Marine ermittelt", "de")
    fb = _features("Ostseekabel beschädigt: Sabotageverdacht, Marine ermittelt", "de")
    assert plausible(fa, fb, PARAMS)
    assert verify(fa, fb, PARAMS).same


def test_paired_spellings_do_not_make_up_for_too_few_shared_tokens() -> None:
    # plausible() stays a necessary condition of verify(): one exact token shared is too few.
    fa = _features("Ostsee-Kabel beschädigt – Verdacht auf Sabotage", "de")
    fb = _features("Ostseekabel beschädigt: Sabotageverdacht", "de")
    assert not plausible(fa, fb, PARAMS)
    assert not verify(fa, fb, PARAMS).same


def test_a_compound_spelling_makes_up_for_one_token_short() -> None:
    # Two exact tokens shared (Marine, meldet), one short of enough: "ostseekabelschad"
    # pairs with "schad" (and "ostseekabel" is left) and makes up the third.
    fa = _features("Marine meldet Ostseekabelschaden", "de")
    fb = _features("Marine meldet Schaden am Ostseekabel", "de")
    assert plausible(fa, fb, PARAMS)
    assert verify(fa, fb, PARAMS).same
    # Two tokens shared and nothing to pair: still too few.
    fc = _features("Marine meldet Ausfall in der Nordsee", "de")
    assert not plausible(fa, fc, PARAMS)
    assert not verify(fa, fc, PARAMS).same
    # Only in a language of compounds (German): in English the rule found no tune pair.
    ea = _features("Navy reports sea cable damage", "en")
    eb = _features("Navy reports seacable", "en")
    assert len(ea.tokens & eb.tokens) == PARAMS.min_shared_tokens - 1
    assert not plausible(ea, eb, PARAMS) and not verify(ea, eb, PARAMS).same


def test_a_place_named_in_other_words_counts_as_shared() -> None:
    # Three tokens are shared (blocks, NATO, bid): 3 of 9 is below the threshold. "Sweden"
    # and "Swedish" name one place and pair off as a compound and its parts do; "Turkish"
    # has no counterpart ("Turkey" is no place token in English: the bird).
    fa = _features("Turkey blocks Sweden's NATO membership bid", "en")
    fb = _features("Turkish parliament blocks Swedish NATO bid", "en")
    verdict = verify(fa, fb, PARAMS)
    assert verdict.same
    assert verdict.title_similarity == 0.5


def test_a_place_word_pairs_off_only_with_one_naming_its_place() -> None:
    # "UK" and "British" name Britain, "France" another country: "Britain" pairs with one
    # of the two, "France" with neither. 3 shared + 1 pair of 11 - 1 is 0.4, below the
    # threshold; counted by number, "France" paired with "UK" too (5 of 9: the same story).
    fa = _features("UK: British car exports fall after tariff row", "en")
    fb = _features("Britain and France: car exports fall as demand weakens", "en")
    verdict = verify(fa, fb, PARAMS)
    assert verdict.title_similarity == 0.4
    assert not verdict.same


def test_place_words_do_not_make_up_for_too_few_shared_tokens() -> None:
    fa = _features("Sweden joins NATO", "en")
    fb = _features("Swedish accession to NATO completed", "en")
    assert not verify(fa, fb, PARAMS).same


def test_american_and_british_spellings_are_one_token() -> None:
    # "defense" / "defence" were two stems: 3 tokens of 10 shared, below the threshold.
    fa = _features("Ministers raise defence spending to 2.5 percent", "en")
    fb = _features("Cabinet agrees defense spending rise to 2.5 percent", "en")
    assert verify(fa, fb, PARAMS).same


@pytest.mark.parametrize(("a", "b", "language"), [
    ("Sixteen soldiers killed in Sahel ambush", "17 soldiers killed in Sahel ambush", "en"),
    ("Zwanzig Jahre Haft für Anschlag in Hanau", "19 Jahre Haft für Anschlag in Hanau", "de"),
])
def test_number_words_up_to_twenty_are_counts(a: str, b: str, language: str) -> None:
    assert verify(_features(a, language), _features(b, language), PARAMS).rule == "numbers"


def test_affixed_pairs_each_token_once_and_never_numbers() -> None:
    assert affixed(frozenset({"ostseekabel"}), frozenset({"ostse", "kabel"})) == 1
    assert affixed(frozenset({"ostse", "kabel"}), frozenset({"ostseekabel"})) == 1
    assert affixed(frozenset({"2024"}), frozenset({"20245"})) == 0
    assert affixed(frozenset({"~not"}), frozenset({"~note"})) == 0
    assert affixed(frozenset({"war"}), frozenset({"warsaw"})) == 0  # below the shortest affix
    assert affixed(frozenset({"kabel"}), frozenset({"satellit"})) == 0


def test_affixed_pairs_two_forms_of_a_word_but_not_a_shared_first_part() -> None:
    # Most of the shorter token opens both: one word the stemmer left in two forms, or one
    # compound with another head. A shared first part alone ("krankenhaus", 11 of 18
    # letters) is two things in one place, and five letters are too few to tell.
    assert affixed(frozenset({"terrorismusdelikt"}), frozenset({"terrorist"})) == 1
    assert affixed(frozenset({"familienzusammenfuhr"}),
                   frozenset({"familienzusammenschluss"})) == 1
    assert affixed(frozenset({"krankenhausentlass"}),
                   frozenset({"krankenhausaufenthalt"})) == 0
    assert affixed(frozenset({"venezuela"}), frozenset({"venezolan"})) == 0


def test_a_word_in_two_forms_makes_up_for_a_shared_token() -> None:
    # Two exact tokens shared ("5", "angeklagt"); "Terrorismusdelikten" / "terroristischer"
    # is the third (before: "different", as the stems "terrorismusdelikt" and "terrorist"
    # neither start nor end each other).
    verdict = verify(_features("Fünf wegen Terrorismusdelikten angeklagt", "de"),
                     _features("Fünf wegen terroristischer Straftaten angeklagt", "de"), PARAMS)
    assert verdict.same and verdict.rule == "title", verdict



def _pairs_in_turn(a: frozenset[str], b: frozenset[str]) -> int:
    """affixed() as it first read: each word of ``a``, in order, pairs with the first free
    word of ``b``, in order, that starts or ends it or that it starts or ends, or that opens
    as it does for 5 letters and 3/4 of the shorter of the two."""
    def words(tokens: frozenset[str]) -> list[str]:
        return sorted(t for t in tokens if len(t) >= 4 and t[0].isalpha())

    def kin(x: str, y: str) -> bool:
        opening = next((n for n, (c, d) in enumerate(zip(x, y, strict=False)) if c != d),
                       min(len(x), len(y)))
        return opening >= max(5, 0.75 * min(len(x), len(y)))

    free, pairs = words(b), 0
    for x in words(a):
        y = next((y for y in free if x.startswith(y) or x.endswith(y) or y.startswith(x)
                  or y.endswith(x) or kin(x, y)), None)
        if y is not None:
            free.remove(y)
            pairs += 1
    return pairs


def test_affixed_pairs_as_trying_every_token_in_turn() -> None:
    # Parts that start and end several compounds, and compounds of several parts: which
    # token a part pairs with first decides what is left for the others.
    rng = random.Random(6)
    parts = ["ost", "ostse", "kabel", "kabe", "see", "schad", "bruch", "abel", "2024", "~not",
             "ostseek"]
    words = ["".join(rng.sample(parts, rng.randint(1, 3))) for _ in range(200)]
    for _ in range(5000):
        a = frozenset(rng.sample(words, rng.randint(0, 6)))
        b = frozenset(rng.sample(words, rng.randint(0, 6)))
        assert affixed(a, b) == _pairs_in_turn(a, b), (sorted(a), sorted(b))


def test_a_vote_against_is_the_side_of_a_rejection() -> None:
    # "stimmt" alone agrees ("stimmt zu", against "lehnt ab"); "stimmt gegen" rejects.
    verdict = verify(_features("Parlament stimmt gegen Rentenreform", "de"),
                     _features("Parlament lehnt Rentenreform ab", "de"), PARAMS)
    assert verdict.same, verdict


def test_features_read_a_titles_places_stances_and_numbers_made_for_it_only() -> None:
    tokenizer = default_tokenizer()
    tokens = tokenizer.title_tokens("Senate passes 14th Ukraine aid bill in Kyiv vote", "en")
    title = read_title(tokenizer, tokens, "en")
    assert title.places and title.stances and title.numbers
    made = features_of(tokenizer, tokens, 0.0, "en", title=title)
    assert made == features_of(tokenizer, tokens, 0.0, "en")
    # Read, not made again: the very sets the title read holds.
    assert made.places is title.places and made.stances is title.stances
    assert made.numbers is title.numbers
    # A read of other tokens, or of these in another language, is not read.
    other = read_title(tokenizer, tokenizer.title_tokens("Paris bans 5 cars", "en"), "en")
    assert features_of(tokenizer, tokens, 0.0, "en", title=other) == made
    german = read_title(tokenizer, tokens, "de")
    assert features_of(tokenizer, tokens, 0.0, "en", title=german).places is not german.places
    assert features_of(tokenizer, tokens, 0.0, "en", title=german) == made
