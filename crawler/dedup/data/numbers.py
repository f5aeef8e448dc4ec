"""Number words that become digits, so "Drei-Wochen-Hoch" and "3-Wochen-Hoch" match, and
"seventh round" vs "eighth round" is vetoed like "Tag 412" vs "Tag 413". English and
German counts go up to twenty ("Sixteen killed" / "16 killed").

"one"/"ein"/"un" are left out: they are articles and pronouns far more often than counts.
German and French ordinals are listed with their inflected endings.
"""

from __future__ import annotations

from types import MappingProxyType

_CARDINALS = {
    "en": "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
          " sixteen seventeen eighteen nineteen twenty",
    "de": "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn"
          " fünfzehn sechzehn siebzehn achtzehn neunzehn zwanzig",
    "fr": "deux trois quatre cinq six sept huit neuf dix onze douze",
    "ru": "два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать",
    "uk": "два три чотири п'ять шість сім вісім дев'ять десять одинадцять дванадцять",
}
_ORDINALS = {
    "en": "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth",
    "de": "erst zweit dritt viert fünft sechst siebt acht neunt zehnt elft zwölft",
    "fr": "premier deuxième troisième quatrième cinquième sixième septième huitième neuvième"
          " dixième onzième douzième",
}
_GERMAN_ENDINGS = ("e", "er", "en", "es", "em")


def _table(language: str) -> MappingProxyType[str, str]:
    table = {word: str(n) for n, word in enumerate(_CARDINALS[language].split(), start=2)}
    for n, word in enumerate(_ORDINALS.get(language, "").split(), start=1):
        forms = [word + end for end in _GERMAN_ENDINGS] if language == "de" else [word]
        table.update(dict.fromkeys(forms, str(n)))
    if language == "fr":
        table["première"] = "1"
    table.pop("achten", None)  # far more often the verb ("darauf achten") than "eighth"
    return MappingProxyType(table)


#: Per language: number word -> its digits (written in natural spelling; folded on load).
BY_LANGUAGE = MappingProxyType({language: _table(language) for language in _CARDINALS})
