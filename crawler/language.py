"""Offline language identification with py3langid's bundled model (no download at run time).

The model is loaded once per process on first use, not at import, so importing policywire
and commands that never detect a language stay cheap.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Below this many letters a statistical guess is worse than the page's or feed's own claim.
MIN_LETTERS_TO_DETECT = 60


@cache
def _identifier() -> object:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


# py3langid's model also answers with ISO 639-3 labels. A record's language is ISO 639-1 (the
# schema, ``export --language``): a variety takes its macrolanguage's code; a label with none
# (``bcl``, ``zxx``: no linguistic content) is no answer, and the page's or feed's claim wins.
_TO_ISO_639_1 = {"yue": "zh", "wuu": "zh", "arz": "ar", "ary": "ar", "uzs": "uz", "gug": "gn",
                 "sdh": "ku", "fuv": "ff", "kik": "ki"}


def detect(text: str) -> tuple[str | None, float]:
    """The most likely ISO 639-1 code of ``text`` (None where the model's best label has no
    such code) and its probability."""
    lang, prob = _identifier().classify(text)  # type: ignore[attr-defined]
    code = _TO_ISO_639_1.get(str(lang), str(lang))
    return (code if len(code) == 2 else None), float(prob)


def choose_language(text: str | None, *claims: str | None) -> str | None:
    """Detect from enough text; else trust the first claim (page, entry, source hint).

    A confident detection beats a claim: feeds often declare one language for all items.
    """
    letters = sum(ch.isalpha() for ch in text) if text else 0
    if text and letters >= MIN_LETTERS_TO_DETECT:
        lang, prob = detect(text)
        if lang is not None and prob >= 0.9:
            return lang
    for claim in claims:
        if claim:
            return claim
    if text and letters >= 10:
        return detect(text)[0]
    return None
