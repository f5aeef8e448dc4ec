"""Offline language identification with py3langid's bundled model (no download at run time).

The model is loaded once per process on first use, not at import, so importing policywire
and commands that never detect a language stay cheap. It is decompressed in memory:
py3langid's own loader streams the 68 MB model through a temporary file, which a file-size
limit below that (``ulimit -f``, as cron jobs set) refused, and every record of a run failed.
"""

from __future__ import annotations

import io
import lzma
from functools import cache

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import _to_array

# Below this many letters a statistical guess is worse than the page's or feed's own claim.
MIN_LETTERS_TO_DETECT = 60


@cache
def _identifier() -> object:
    """py3langid's bundled model, as ``LanguageIdentifier.from_model_file`` builds it (its
    ``modelio.load_model``, the temporary file aside)."""
    npz = io.BytesIO(lzma.decompress((MODEL_DIR / MODEL_FILE).read_bytes()))
    with np.load(npz, allow_pickle=False) as data:
        return LanguageIdentifier(
            np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
            _to_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
            tk_row=_to_array(data["nextmove_row"]))


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
    """Detect from enough text; else trust the first claim (the sources file's, the
    page's, the entry's or its feed's).

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
