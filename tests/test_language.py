"""A record's ``language`` is an ISO 639-1 code, as the record schema says and as ``export
--language`` takes it, whatever py3langid's model answers.

Before, the model's three-letter labels came through: a page titled "Unicode Demo" (no body)
got ``language: "bcl"`` (Central Bikol, at probability 0.04), which no ``--language`` filter
can name."""

from __future__ import annotations

import re
import resource
import subprocess
import sys

import pytest

from crawler.language import choose_language

ISO_639_1 = re.compile(r"^[a-z]{2}$")


def test_a_guess_with_no_iso_639_1_code_is_no_language() -> None:
    assert choose_language("Unicode Demo") is None


def test_a_guess_with_no_iso_639_1_code_gives_way_to_a_claim() -> None:
    assert choose_language("Unicode Demo", None, "en") == "en"


@pytest.mark.parametrize("text", [
    "Unicode Demo",
    "廣東話係廣東省同廣西嘅主要語言，香港同澳門都講廣東話，佢哋嘅報紙同電台都用廣東話。",
    "ازيك يا صاحبي، عامل ايه النهارده؟ انا كويس الحمد لله، وانت اخبارك ايه؟ فين الناس دي كلها",
])
def test_a_detected_language_is_an_iso_639_1_code_or_none(text: str) -> None:
    language = choose_language(text)
    assert language is None or ISO_639_1.match(language), language


def test_a_confident_german_text_is_de() -> None:
    text = ("Die Bundesregierung hat am Mittwoch beschlossen, die Ausgaben für die"
            " Verteidigung im kommenden Jahr deutlich zu erhöhen.")
    assert choose_language(text, "en") == "de"


def test_the_model_loads_under_a_file_size_limit() -> None:
    """Under ``ulimit -f 5000`` (5 MB, as cron jobs set) every record of a run failed
    (``record_failed``, "OSError: [Errno 27] File too large"): py3langid's loader wrote the
    68 MB model, decompressed, to a temporary file. A fresh process, so the model is loaded
    under the limit."""
    limit = 5000 * 1024

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    text = ("Die Bundesregierung hat am Mittwoch beschlossen, die Ausgaben für die"
            " Verteidigung im kommenden Jahr deutlich zu erhöhen.")
    run = subprocess.run(
        [sys.executable, "-c", f"from crawler.language import detect; print(detect({text!r})[0])"],
        capture_output=True, text=True, timeout=120, check=False, preexec_fn=limited)
    assert (run.returncode, run.stdout.strip()) == (0, "de"), run.stderr
