"""The ``texts`` rule: records whose texts clearly differ are no copies of each other.

Real-shaped pairs from the real feeds (../shared/data/real-feeds, titles and summaries as
the feeds gave them; benchmarks/data/real_feed_pairs.jsonl labels the two cross-outlet
pairs one event): two outlets' own summaries under similar titles are two articles of one
story, a wire copy's near-identical summaries one article.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.dedup import DedupParams, Doc, StoryIndex
from crawler.dedup.gist import gist_of, gist_similarity
from crawler.dedup.rebuild import RebuildCounts, rebuild_signatures
from crawler.dedup.tokens import default_tokenizer
from crawler.state import StateStore
from tests.conftest import read_jsonl, run_cli

# rnd and tagesschau on one event, each in its own words (labelled "same": one story).
MUSK_RND = Doc(
    "8cd979d74d2e", "https://www.rnd.de/politik/musk-scholz.html",
    'Magdeburg-Anschlag: Musk fordert Rücktritt von Scholz - "Unfähiger Idiot"',
    "Eine Amokfahrt auf einem Weihnachtsmarkt erschüttert kurz vor Weihnachten die"
    " Bundesrepublik. Nach Bekanntwerden der Nachrichten am Freitagabend haben sich zahlreiche"
    " Politikerinnen und Politiker zu der Tat geäußert.",
    "de", "2024-12-21T09:52:14+00:00", "rnd")
MUSK_TAGESSCHAU = Doc(
    "748a3efc931e", "https://www.tagesschau.de/inland/musk-scholz-100.html",
    "Nach Anschlag in Magdeburg: Musk fordert Rücktritt von Kanzler Scholz",
    "Kurz nachdem er mit einem AfD-freundlichen Post im Online-Netzwerk X für Irritation in"
    " Berlin sorgte, setzt Tech-Milliardär Musk nach: Wegen des Attentats in Magdeburg fordert"
    " er den Rücktritt von Kanzler Scholz.",
    "de", "2024-12-21T01:27:34+00:00", "tagesschau")
# The Wall Street Journal and CNN on one settlement (labelled "same"), each its own teaser.
GOLDMAN_WSJ = Doc(
    "63e2894b48fc", "https://www.wsj.com/articles/goldman-1mdb",
    "Goldman Settles 1MDB Dispute With Malaysia for $3.9 Billion", None, "en",
    "2020-07-24T19:16:00+00:00", "wsj-world",
    summary="The Wall Street bank will pay $2.5 billion to the government of Malaysia for its"
    " role in the alleged theft of billions of dollars from a government investment fund, and"
    " guarantee the recovery of $1.4 billion in assets allegedly stolen from the fund.")
GOLDMAN_CNN = Doc(
    "f56d65bfdde5", "https://edition.cnn.com/2020/07/24/business/goldman-sachs-1mdb",
    "Goldman Sachs agrees to a $3.9 billion 1MDB settlement with Malaysia", None, "en",
    "2020-07-24T15:34:24+00:00", "cnn",
    summary="Goldman Sachs has agreed to a $3.9 billion deal with the Malaysian government to"
    " settle claims relating to the bank's role in the huge corruption scandal at 1Malaysia"
    " Development Berhad, the sovereign wealth fund.")
# One dpa text in two outlets' feeds, its sentences swapped: a copy.
STONEHENGE_SPIEGEL = Doc(
    "cb0d2b53346b", "https://www.spiegel.de/panorama/stonehenge.html",
    "Stonehenge: Tausende feiern Wintersonnenwende",
    "Der jahrtausendealte Steinkreis Stonehenge ist eng mit dem Verlauf der Sonne im"
    " Jahreszyklus verbunden. Zahlreiche Menschen läuteten dort den kürzesten Tag des Jahres"
    " mit Musik und Tanz ein.", "de", "2024-12-21T15:01:00+00:00", "spiegel")
STONEHENGE_RND = Doc(
    "657d1d34d80f", "https://www.rnd.de/panorama/stonehenge.html",
    "Wintersonnenwende: Tausende Menschen feiern in Stonehenge",
    "Der kürzeste Tag des Jahres wird in Stonehenge mit Musik, Tanz und Gesängen eingeläutet."
    " Der jahrtausendealte Steinkreis ist eng mit dem Verlauf der Sonne im Jahreszyklus"
    " verbunden.", "de", "2024-12-21T17:01:06+00:00", "rnd")
# A Reuters story rewritten an hour later ("approaches" -> "surpasses"): one article's variants.
REUTERS_EARLY = Doc(
    "9936cadbfec7", "https://www.gmanetwork.com/news/world/us-approaches-4-million",
    "US records 2,600 new coronavirus cases every hour as total approaches 4 million", None,
    "en", "2020-07-23T14:19:07+00:00", "gmanews",
    summary="US coronavirus cases were approaching 4 million on Thursday, with over 2,600 new"
    " cases every hour on average, the highest rate in the world, according to a Reuters tally.")
REUTERS_LATE = Doc(
    "a8f37ecffd76", "https://www.gmanetwork.com/news/world/us-surpasses-4-million",
    "US records 2,600 new coronavirus cases every hour as total surpasses 4 million", None,
    "en", "2020-07-23T15:40:24+00:00", "gmanews",
    summary="U.S. coronavirus cases topped 4 million on Thursday, with over 2,600 new cases"
    " every hour on average, the highest rate in the world, according to a Reuters tally.")


def _pair(a: Doc, b: Doc) -> tuple[str | None, str | None]:
    decisions = {d.id: d for d in StoryIndex(DedupParams()).assign([a, b])}
    later = decisions[b.id]
    return later.duplicate_of, later.evidence.rule if later.evidence else None


@pytest.mark.parametrize(("a", "b"), [(MUSK_TAGESSCHAU, MUSK_RND), (GOLDMAN_CNN, GOLDMAN_WSJ)],
                         ids=["de-musk", "en-goldman"])
def test_two_outlets_own_words_are_no_duplicates(a: Doc, b: Doc) -> None:
    assert _pair(a, b) == (None, None)
    # The same titles without text are judged by their titles, as before.
    bare = [Doc(d.id, d.url, d.title, None, d.language, d.published, d.source) for d in (a, b)]
    assert _pair(*bare) == (a.id, "title")


@pytest.mark.parametrize(("a", "b"), [(STONEHENGE_SPIEGEL, STONEHENGE_RND),
                                      (REUTERS_EARLY, REUTERS_LATE)],
                         ids=["de-wire-copy", "en-rewrite"])
def test_copies_with_near_identical_texts_stay_duplicates(a: Doc, b: Doc) -> None:
    assert _pair(a, b) == (a.id, "title")


def test_gist_similarity_is_the_word_sets_jaccard() -> None:
    tokenizer = default_tokenizer()
    one = gist_of(tokenizer, "alpha beta gamma delta epsilon zeta eta theta", "en")
    two = gist_of(tokenizer, "alpha beta gamma delta epsilon zeta iota kappa", "en")
    assert one is not None and two is not None
    assert gist_similarity(one, two) == pytest.approx(6 / 10)
    assert gist_of(tokenizer, "Eine Stadt. dpa", "de") is None  # too few words to judge by


def test_dedup_keeps_two_outlets_articles_in_one_story(tmp_path: Path) -> None:
    """policywire dedup: the two articles are no duplicates, and still one story."""
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({
        "id": d.id, "url": d.url, "title": d.title, "text": d.text, "language": d.language,
        "published": d.published, "source": d.source}, ensure_ascii=False) + "\n"
        for d in (MUSK_TAGESSCHAU, MUSK_RND)), encoding="utf-8")
    run = run_cli("dedup", str(source), "-o", str(target), cwd=tmp_path)
    assert run.code == 0, run.stderr[-3000:]
    rows = read_jsonl(target)
    assert [r["duplicate_of"] for r in rows] == [None, None]
    assert rows[0]["story_id"] == rows[1]["story_id"]


def test_a_teaser_meets_its_article_page_as_a_copy() -> None:
    """One outlet's page (its body fetched) and another's feed entry of the same wire text
    (its teaser: the text's first sentences): the gists take as many words of each, so the
    teaser is not a small part of a long lead."""
    body = (
        "Der jahrtausendealte Steinkreis Stonehenge ist eng mit dem Verlauf der Sonne im"
        " Jahreszyklus verbunden. Zahlreiche Menschen läuteten dort den kürzesten Tag des Jahres"
        " mit Musik und Tanz ein. Wie jedes Jahr hatten sich Druiden, Heiden und Neugierige schon"
        " vor Sonnenaufgang an den Steinen in der Grafschaft Wiltshire versammelt, viele in"
        " Umhängen und mit Blumenkränzen im Haar. Die Organisation English Heritage, die das"
        " Monument verwaltet, sprach von mehreren Tausend Besuchern. Der Steinkreis wurde vor"
        " rund 4500 Jahren errichtet; seine Achse ist nach dem Sonnenaufgang zur Sommer- und dem"
        " Sonnenuntergang zur Wintersonnenwende ausgerichtet. Forscher rätseln bis heute, wie"
        " die tonnenschweren Blöcke aus Wales an ihren Platz gebracht wurden.")
    page = Doc(STONEHENGE_SPIEGEL.id, STONEHENGE_SPIEGEL.url, STONEHENGE_SPIEGEL.title, body,
               "de", STONEHENGE_SPIEGEL.published, "spiegel")
    teaser = Doc(STONEHENGE_RND.id, STONEHENGE_RND.url, STONEHENGE_RND.title, None, "de",
                 STONEHENGE_RND.published, "rnd",
                 summary="Der jahrtausendealte Steinkreis Stonehenge ist eng mit dem Verlauf der"
                 " Sonne im Jahreszyklus verbunden. Zahlreiche Menschen läuteten dort den"
                 " kürzesten Tag des Jahres mit Musik und Tanz ein.")
    assert _pair(page, teaser) == (page.id, "title")


def test_a_later_run_meets_the_stored_records_text(tmp_path: Path) -> None:
    """An hourly crawl meets one outlet's article stored by the run before: the stored
    gist keeps the two outlets' own articles apart then too (a real SQLite state)."""
    now = datetime(2024, 12, 22, tzinfo=UTC).timestamp()
    state = StateStore(tmp_path)
    try:
        first = StoryIndex(DedupParams(), state, now=now)
        first.assign([MUSK_TAGESSCHAU])
        first.flush()
        later = StoryIndex(DedupParams(), state, now=now).assign([MUSK_RND])[0]
    finally:
        state.close()
    assert later.duplicate_of is None


def test_reindex_stores_the_gist_of_a_records_summary() -> None:
    """policywire reindex signs records again: a feed-only record's summary gives its gist,
    as the crawl that wrote it stored it."""
    record = {"id": MUSK_RND.id, "url": MUSK_RND.url, "title": MUSK_RND.title,
              "summary": MUSK_RND.text, "language": "de", "published": MUSK_RND.published,
              "story_id": "s1", "source": "rnd"}
    now = datetime(2024, 12, 22, tzinfo=UTC).timestamp()
    rows = [row for batch in rebuild_signatures([record], DedupParams(), now, RebuildCounts())
            for row in batch]
    assert [row.gist for row in rows] == [gist_of(default_tokenizer(), MUSK_RND.text, "de")]
    assert rows[0].gist is not None
