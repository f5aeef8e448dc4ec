"""The key-name veto over a record's candidate stories (crawler/stories/veto.py): which
stories a record is scored against at all, in their rank order."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.dedup.tokens import default_tokenizer
from crawler.stories import StoryDoc, StoryParams
from crawler.stories.features import Profile, profile_of
from crawler.stories.story import Story
from crawler.stories.veto import admitted

T0 = datetime(2013, 10, 5, 20, tzinfo=UTC).timestamp()
PARAMS = StoryParams()
TOKENIZER = default_tokenizer()

KLITSCHKO = (
    "Wladimir Klitschko defended his heavyweight titles against Alexander Povetkin in Moscow "
    "on Saturday. Klitschko won every round on the judges' cards, and Povetkin was knocked "
    "down four times. " * 3)
KLITSCHKO_AGAIN = (
    "In Moscow, Wladimir Klitschko kept his belts: Alexander Povetkin went down four times "
    "and lost every round. Klitschko said Povetkin had been brave. " * 3)
HAYE = (
    "David Haye returned to the ring in London against Derek Chisora on Saturday night. Haye "
    "stopped Chisora in the fifth round before a sold-out crowd at Upton Park. " * 3)
# A feed's teaser in lower case: its only name is its title's first word.
TEASER = ("the champion klitschko beat povetkin in moscow on saturday, the ukrainian said "
          "after the fight.")


def _profile(id_: str, title: str, text: str | None) -> Profile:
    doc = StoryDoc(id_, title, text, "en", T0, "example.org", None)
    return profile_of(TOKENIZER, doc, PARAMS)


def _story(profile: Profile) -> Story:
    story = Story(f"s-{profile.doc.id}", profile.doc.id, T0)
    story.add(profile, PARAMS, None)
    return story


def _ids(stories: list[Story]) -> list[str]:
    return [s.story_id for s in stories]


def test_a_report_meets_only_stories_of_its_people_and_those_without_key_names() -> None:
    klitschko = _story(_profile("k", "Klitschko retains his belts against Povetkin", KLITSCHKO))
    haye = _story(_profile("h", "Haye stops Chisora in London", HAYE))
    numbers = _story(_profile("n", "12 hurt as 40 flee", None))  # numbers are no key names
    report = _profile("r", "Klitschko beats Povetkin in Moscow", KLITSCHKO_AGAIN)
    assert not report.thin and report.key_names
    assert _ids(admitted(report, [haye, klitschko, numbers], PARAMS.key_names)) == [
        "s-k", "s-n"]
    assert _ids(admitted(report, [numbers, klitschko, haye], PARAMS.key_names)) == [
        "s-n", "s-k"]


def test_a_teaser_meets_a_story_whose_key_names_are_among_its_words_in_any_case() -> None:
    # Its key name ("champion", its title's first word) is none of the story's names: an
    # article's body would be vetoed; a teaser's few words are read whole, lower case too.
    klitschko = _story(_profile("k", "Klitschko retains his belts against Povetkin", KLITSCHKO))
    haye = _story(_profile("h", "Haye stops Chisora in London", HAYE))
    teaser = _profile("t", "Champion retains belts in straight rounds", TEASER)
    assert teaser.thin and teaser.key_names.isdisjoint(klitschko.names)
    assert _ids(admitted(teaser, [haye, klitschko], PARAMS.key_names)) == ["s-k"]


def test_a_one_report_storys_key_keeps_every_name_its_report_gave_once() -> None:
    # One report counts each name once: cut by spelling, its key was "amtsmissbrauch, chef,
    # freiheitsberaub, gericht, geschloss", and another outlet's Salvini teaser, naming none
    # of them, was vetoed (German real feeds, round 2: two same-event pairs).
    doc = StoryDoc("a", "Geschlossene Häfen: Freispruch für Lega-Chef Matteo Salvini", None,
                   "de", T0, "example.de", None,
                   "Lega-Chef Matteo Salvini hat in den Jahren 2018 und 2019 mit seiner "
                   "„Politik der geschlossenen Häfen“ keine Straftat begangen: Er ist vom "
                   "Gericht von Palermo vom Vorwurf der Freiheitsberaubung und des "
                   "Amtsmissbrauchs freigesprochen worden.")
    story = _story(profile_of(TOKENIZER, doc, PARAMS))
    teaser = profile_of(TOKENIZER, StoryDoc(
        "b", "Was der Freispruch im Prozess um ein Rettungsschiff für Salvini bedeutet", None,
        "de", T0, "example.com", None,
        "Mit dem Freispruch hat Italiens Vize-Ministerpräsident Salvini sein Ziel erreicht. Er"
        " war wegen seines Umgangs mit Migranten auf einem Schiff vor Lampedusa angeklagt."),
        PARAMS)
    assert teaser.thin and set(story.names.values()) == {1}
    assert "salvini" in story.key_names(PARAMS.key_names)
    assert _ids(admitted(teaser, [story], PARAMS.key_names)) == ["s-a"]


def test_a_record_without_key_names_meets_every_story() -> None:
    stories = [_story(_profile("k", "Klitschko retains his belts", KLITSCHKO)),
               _story(_profile("h", "Haye stops Chisora in London", HAYE))]
    bare = _profile("b", "12 hurt as 40 flee", None)
    assert not bare.key_names
    assert _ids(admitted(bare, stories, PARAMS.key_names)) == ["s-k", "s-h"]


def test_a_storys_key_names_follow_its_new_members() -> None:
    # The key is cached on the story until a member changes its names: a story that took in
    # the Haye reports three times over is Haye's, and a Klitschko report no longer meets it.
    story = _story(_profile("k", "Klitschko retains his belts against Povetkin", KLITSCHKO))
    report = _profile("r", "Klitschko beats Povetkin in Moscow", KLITSCHKO_AGAIN)
    assert _ids(admitted(report, [story], PARAMS.key_names)) == ["s-k"]
    for n in range(3):
        story.add(_profile(f"h{n}", "Haye stops Chisora in London", HAYE), PARAMS, None)
    assert admitted(report, [story], PARAMS.key_names) == []
