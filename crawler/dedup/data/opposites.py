"""Words that reverse a headline: "Senate passes aid bill" vs "Senate blocks aid bill".

One pair per line, written naturally per language and stemmed on load. verify() rejects a
pair of titles when one has a word of an opposing pair and the other has its counterpart
(and neither has both): the same actors and objects with opposite outcomes are two stories.

Particle verbs pair by their verbs, since the particle is a stop word or a word of its own:
"ordnet ... an" / "lehnt ... ab" (orders / rejects), "hält ... aufrecht" / "hebt ... auf"
(upholds / lifts), "lässt ... ein" / "weist ... aus" (lets in / expels), "ist bereit" /
"schließt ... aus" (ready to / rules out), "agrees" or "resumes" / "rules out".
"""

from __future__ import annotations

from types import MappingProxyType


def _pairs(rows: str) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, _, b in (row.partition("/") for row in rows.split()))


BY_LANGUAGE = MappingProxyType({
    "en": _pairs("""
passes/blocks passes/rejects agrees/refuses agrees/rejects allows/expels allows/bans
lifts/tightens lifts/imposes eases/tightens extends/ends approves/rejects approves/blocks
accepts/rejects confirms/denies wins/loses rises/falls opens/closes resumes/suspends
joins/leaves joins/quits raises/cuts raises/lowers increases/cuts increases/reduces
supports/opposes acquitted/convicted starts/ends begins/ends up/down gains/loses
higher/lower strengthens/weakens rallies/slumps rebounds/falls surges/plunges widens/narrows
upholds/overturns upholds/lifts keeps/lifts continues/lifts extends/lifts resumes/halts
restores/cuts allows/blocks accepts/refuses agrees/rules resumes/rules
"""),
    "de": _pairs("""
billigt/blockiert billigt/ablehnt stimmt/lehnt zustimmen/ablehnen verlängert/beendet
bestätigt/dementiert lockert/verschärft erhöht/senkt steigt/sinkt steigt/fällt
gewinnt/verliert öffnet/schließt Beitritt/Austritt erlaubt/verbietet aufheben/verhängen
hebt/verhängt Freispruch/Verurteilung freigesprochen/verurteilt akzeptiert/lehnt
unterstützt/blockiert beginnt/endet
öffnen/schließen steigen/sinken steigen/fallen höher/tiefer höher/niedriger gewinnen/verlieren
erhöhen/senken lockern/verschärfen billigen/ablehnen verlängern/beenden stärkt/schwächt
Gewinne/Verluste Plus/Minus
ordnet/lehnt hält/hebt lässt/weist bereit/schließt
"""),
    "fr": _pairs("""
adopte/rejette lève/impose accepte/refuse confirme/dément prolonge/termine gagne/perd
hausse/baisse ouvre/ferme autorise/interdit
"""),
    "ru": _pairs("""
одобрил/отклонил снял/ввел подтвердил/опроверг продлил/прекратил выиграл/проиграл
открыл/закрыл разрешил/запретил
"""),
    "uk": _pairs("""
схвалив/відхилив зняв/запровадив підтвердив/спростував продовжив/припинив виграв/програв
відкрив/закрив дозволив/заборонив
"""),
})

#: Voting verbs per language, and the words for voting for and against. The two are stop
#: words ("Hilfe für", "Kampf gegen", "calls for"), but after a voting verb they are the
#: outcome: "Bundestag stimmt für Taurus-Lieferung" and "... stimmt gegen ..." are two
#: stories. Each becomes a marker token there (see :data:`crawler.dedup.tokens.VOTE_FOR`).
VOTES = MappingProxyType({
    "en": ("vote votes voted voting", "for", "against"),
    "de": ("stimmt stimmen stimmte stimmten votiert votieren votierte votierten", "für", "gegen"),
    "fr": ("vote votent voté votera voteront", "pour", "contre"),
})
