"""The disease and its virus by one name in the story layer (crawler.stories.synonyms).

The texts are written for these tests in the form of the real feeds' items
(../shared/data/real-feeds): a title and a teaser, or a bare title (a feed without summaries).
"""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.stories import MemoryStoryState, StoryClusterer, StoryDoc, StoryParams
from crawler.stories.synonyms import one_name

T0 = datetime(2020, 7, 22, 9, tzinfo=UTC).timestamp()
HOUR = 3600.0


def doc(id_: str, title: str, summary: str | None, at: float, language: str = "en"
        ) -> StoryDoc:
    return StoryDoc(id_, title, None, language, at, f"{id_}.example", None, summary=summary)


def test_a_bare_title_naming_the_disease_joins_the_story_naming_the_virus() -> None:
    docs = [
        doc("a", "Brazil's Bolsonaro tests positive for the novel coronavirus again",
            "Brazilian President Jair Bolsonaro has tested positive for the coronavirus for a"
            " third time since July 7, a government official said on Wednesday.", T0),
        doc("b", "Brazil President Bolsonaro tests positive for the coronavirus for a third time",
            "Jair Bolsonaro has tested positive three times in three weeks; his latest result"
            " was announced by the government on Wednesday.", T0 + HOUR),
        # Another outlet's bare title: "Covid-19" where the others say "coronavirus".
        doc("c", "Brazil's president again tests positive for Covid-19", None, T0 + 3 * HOUR),
        # Other people's tests the same day: another event of the kind.
        doc("d", "Four more staffers test positive for COVID-19 at vice president's office",
            "Four more staff members of the Office of the Vice President in Manila have tested"
            " positive for COVID-19, the office said on Wednesday.", T0 + 4 * HOUR),
    ]
    got = [a.story_id for a in StoryClusterer(StoryParams(), MemoryStoryState()).assign(docs)]
    assert got[0] == got[1] == got[2]
    assert got[3] != got[0]


def test_only_english_texts_naming_the_disease_are_read_otherwise() -> None:
    named = one_name(doc("x", "COVID19 and Covid-19: SARS-CoV-2 in covid 19 wards", "Covid", T0),
                     1500)
    assert named.title == "coronavirus and coronavirus: coronavirus in coronavirus wards"
    assert named.summary == "coronavirus"
    untouched = doc("y", "Covidiots ignore the rules; Ovid's poems", None, T0)
    assert one_name(untouched, 1500) == untouched
    german = doc("z", "Covid-19: neue Regeln", "Covid", T0, language="de")
    assert one_name(german, 1500) is german
