"""German in the story layer: the words of a German summary that tell no event, the verb
forms that tell an act its noun names, and the forms one word takes that Snowball leaves
apart (a weak participle and its present, "3.000" and "3000": :func:`german_forms`).

The near-duplicate layer's German stop words (:mod:`crawler.dedup.data.stopwords`, Snowball's
list) are articles, pronouns, conjunctions and the auxiliaries' commonest forms: enough for
two headlines of one story, which share most of their words anyway. A feed summary of 25
words weighs every word it keeps, and German news prose fills them with adverbs, particles
and light verbs that any story of the day uses ("mehr", "immer", "bereits", "offenbar",
"gibt", "wurde", "worden", "bisher"): on the German real feeds "mehr" stood in 36 of 230
entries, "viel" in 19, "gibt" in 16, "immer" in 14 (more than "Scholz"), so two reports of
one event met on their names diluted by these, and two different events met on them.

Here: those function words (no nouns, no verb that names an act), taken out of a German
record's story terms only. They stay in the near-duplicate layer's tokens, whose figures on
the German headline pairs they must not move (benchmarks/eval_dedup.py), and in a title's
tokens, whose template vetoes compare whole headlines.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from functools import lru_cache

from crawler.dedup.languages import base_language
from crawler.dedup.tokens import Tokenizer
from crawler.stories.types import StoryDoc

# Adverbs of time, degree and manner, modal particles, pronominal adverbs, the auxiliaries'
# and modal verbs' other forms, and light verbs ("geben", "gehen", "kommen", "machen",
# "stehen": "es gibt", "es geht um", "kommt es zu"). A word here must be one a report of any
# event could use in any sentence: none names who, what or where. Left out: words whose stem
# is a noun's ("macht": Macht, "stand": Stand, "natürlich": Natur, "tatsächlich": Tatsache,
# "morgen": Morgen), "gestanden" (confessed: an act), and "nie" (a negation the vetoes read).
# The last three lines (branch sq-de2): adjectives of any report ("neue", "letzten",
# "große", "mehrere"), "mindestens", "zufolge", "statt", and the light verbs "machen",
# "bekommen", "nehmen", "setzen" (not "machte", whose stem is Macht's); found in a teaser
# that a compound splitter tried on this branch had moved under the threshold ("im
# letzten Moment ... gemacht": the Senate's vote against the stopgap's story), then read
# off the 150 most frequent lower-case words of the German feeds. They change no German
# real-feed pair of rounds 1-2 (34 of 86, 0 of 44 merged, benchmarks/README.md).
_FUNCTION_WORDS = """
mehr meist meisten immer bereits schon bisher bislang derzeit inzwischen mittlerweile
zuletzt erneut wieder weiterhin bald gerade sofort heute gestern damals nun
offenbar offensichtlich allerdings jedoch trotzdem dennoch sogar eben etwa fast kaum rund
ganz genau wohl eigentlich vielleicht möglicherweise womöglich
besonders deutlich ebenfalls zudem außerdem zunächst später danach dabei dafür dagegen
darauf daran darum darüber davon dazu hierzu hingegen daher deshalb deswegen dort hier
wer wen wem wessen warum weshalb wieso wann wohin woher welche
viele vielen vieler wenig wenige wenigen weniger
gibt gab gäbe geben gegeben geht ging gehen gegangen kommt kam kommen gekommen
steht stehen sieht sah sehen gesehen lässt ließ lassen
tun tut getan bleibt blieb bleiben geblieben
worden wurde wurden würde würden wäre wären sei seien habe hätte hätten hatte hatten
kann könne konnte konnten können könnten muss müsse musste mussten müssen müsste soll
solle sollte sollten sollen darf durfte dürfen dürfte will wollte wollten wollen mag
möchte möchten
neue neuen neuer neues mehrere mehreren letzte letzten letzter letztes mindestens zufolge
statt große großen großer großes gemacht machen bekommt bekommen bekam nimmt nehmen
nahm setzt setzen setzte
"""

# A news act's noun, then its verb's forms that a report writes instead ("Festnahme" /
# "festgenommen", "Rücktritt" / "zurückgetreten", "Freispruch" / "freigesprochen"):
# German strong verbs change their vowel (nehmen / genommen / -nahme, sprechen / gesprochen
# / Spruch, treten / getreten / Tritt) and put "ge" inside a particle verb (an-ge-griffen,
# ab-ge-stürzt), and Snowball strips suffixes only, so the noun and the participle of one
# act stayed two terms where English "arrest" / "arrested" meet. The acts news reports
# (arrests, attacks, verdicts, resignations, deals, closures, accidents); a form that is no
# single term of 4+ letters, or another word's too ("nahm"), is left out.
_VERB_NOUNS = """
Festnahme: festgenommen festnehmen
Rücktritt: zurückgetreten zurücktreten zurücktritt
Freispruch: freigesprochen freisprechen
Angriff: angegriffen angreifen angreift
Auslieferung: ausgeliefert ausliefern
Abschiebung: abgeschoben abschieben
Einigung: geeinigt einigt
Urteil: verurteilt verurteilung
Ermittlung: ermittelt ermitteln
Flucht: geflohen fliehen flieht geflüchtet flüchten
Forderung: gefordert fordert fordern
Warnung: gewarnt warnt warnen
Einsturz: eingestürzt einstürzen
Rettung: gerettet retten rettet
Absturz: abgestürzt abstürzen
Ausbruch: ausgebrochen
Beschluss: beschlossen beschließt beschließen
Vorwurf: vorgeworfen vorwerfen
Anklage: angeklagt
Streik: gestreikt
Schließung: geschlossen schließen schließt
Abbau: abgebaut abbauen
Kritik: kritisiert kritisieren
Tod: getötet töten tötet tot
Sieg: gesiegt siegt
"""


def function_word_terms(tokenizer: Tokenizer) -> frozenset[str]:
    """The story terms of the German function words (as the tokenizer makes them: folded and
    stemmed, so "immer" is the "imm" that a summary's "immer" gives)."""
    return _terms_of(tokenizer)


@lru_cache(maxsize=4)
def _terms_of(tokenizer: Tokenizer) -> frozenset[str]:
    # Once per tokenizer (one a process): ~150 words through the tokenizer's rules.
    return frozenset(tokenizer.content_terms(_FUNCTION_WORDS, "de"))


def verb_noun_terms(tokenizer: Tokenizer) -> dict[str, str]:
    """A verb form's story term -> its act's noun's (:data:`_VERB_NOUNS`, as the tokenizer
    makes them: "festgenomm" -> "festnahm")."""
    return _verb_nouns_of(tokenizer)


@lru_cache(maxsize=4)
def _verb_nouns_of(tokenizer: Tokenizer) -> dict[str, str]:
    # Once per tokenizer, as _terms_of.
    table: dict[str, str] = {}
    for line in filter(None, map(str.strip, _VERB_NOUNS.splitlines())):
        noun, _, forms = line.partition(":")
        [act] = tokenizer.content_terms(noun, "de")
        for form in forms.split():
            found = tokenizer.content_terms(form, "de")
            if len(found) == 1 and len(found[0]) >= 4 and found[0] != act:
                table[found[0]] = act
    return table


def is_german(language: str | None) -> bool:
    """Whether a record's language tag is German ("de", "de-AT", "de_CH")."""
    return base_language(language) == "de"


def content_words(tokenizer: Tokenizer, terms: Collection[str], language: str | None
                  ) -> Collection[str]:
    """``terms`` without the German function words and with a verb form as its act's noun,
    for a German record (others as given, not copied: the common case costs one test)."""
    if not is_german(language):
        return terms
    get = _rewrites_of(tokenizer).get
    return [w for t in terms if (w := get(t, t))]


@lru_cache(maxsize=4)
def _rewrites_of(tokenizer: Tokenizer) -> dict[str, str]:
    # Both tables in one: a function word -> "" (left out), a verb form -> its noun; one
    # look-up a term (two cost ~5% of a German profile's time).
    return {**verb_noun_terms(tokenizer), **dict.fromkeys(function_word_terms(tokenizer), "")}


# A weak verb's participle, written lower-case (a German noun is capitalised: "Gewalt",
# "Gericht", "Gebiet" are no participles), with a separable particle before its "ge":
# "gerast", "gemeldet", "abgesagt", "festgestellt". Snowball strips no "-t", so the
# participle, the present ("rast", "meldet") and the past ("raste", "meldete") were two
# terms where English "attacked" / "attacks" meet; without its "ge" the participle is the
# present's form, "gerast" / "rast" ("Auto in Menschenmenge gerast" / "rast ein Mann mit
# einem Auto in die Menschenmenge").
_PARTICIPLE = re.compile(
    r"\b(ab|an|auf|aus|bei|dar|durch|ein|fest|fort|frei|her|heraus|hin|hinaus|hoch|los|"
    r"mit|nach|statt|um|vor|weg|weiter|wieder|zu|zurück|zusammen|)ge([a-zäöüß]{3,}e?t)\b")
# Verbs whose own first syllable is "ge" (gewinnen, gestehen, gehören): their present is
# no participle ("gesteht" is a confession, not "steht"), nor are these adjectives.
_GE_VERBS = ("gewinn", "gesteh", "gehör", "gefäll", "gefall", "gewähr", "gefährd", "genieß",
             "gelang", "geling", "gescheh", "geschieh", "gedenk", "gebrauch", "gehorch",
             "gewöhn", "gestatt", "gestalt", "gebiet", "gelt", "gesamt", "gerecht", "gemacht",
             # genehmigen, genügen, gebühren, gewichten: "genehmigt" (approves) was
             # "nehmigt", apart from "genehmigte", which Snowball makes "genehmigt"
             "genehmig", "genüg", "gebühr", "gewicht")
# A thousands separator: German "3.000" and "2.500.000", which the tokenizer reads as two
# numbers, "3" and "000", where another outlet writes "3000" (not a date, "21.12.2024", nor
# the decimal comma, "1,500").
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d]|[.,]\d)")


def german_forms(doc: StoryDoc, chars: int) -> StoryDoc:
    """``doc`` with its summary's and text's first ``chars`` characters written in the forms
    the story terms meet by (a weak participle as its present, "3.000" as "3000"); ``doc``
    itself when it is not German. The title keeps its words: the template vetoes and the
    scene rule's reaction words read it as written."""
    if not is_german(doc.language):
        return doc
    text, summary = _forms(doc.text, chars), _forms(doc.summary, chars)
    if text == doc.text and summary == doc.summary:
        return doc
    return replace(doc, text=text, summary=summary)


def _forms(text: str | None, chars: int) -> str | None:
    """``text`` with its first ``chars`` characters in the story terms' forms (the rest as
    it is: the story layer reads no further)."""
    if not text:
        return text
    part = _PARTICIPLE.sub(_present, text[:chars])
    return _THOUSANDS.sub(lambda m: m.group(0).replace(".", ""), part) + text[chars:]


def _present(match: re.Match[str]) -> str:
    particle, rest = match.group(1), match.group(2)
    if not particle and match.group(0).startswith(_GE_VERBS):
        return match.group(0)
    return particle + rest
