"""Article bodies of real pages through story merging's body path, vs the textbook way.

The generated articles of ``bench_dedup.py`` are ASCII; real bodies are not (German umlauts,
typographic quotes and dashes), and a real article is longer. This takes the main text of
the real pages in ``../shared/data/pages`` (mostly German news, see its MANIFEST; extracted
once with trafilatura, not timed) and measures on the same texts, median of ``--repeats``
passes, microseconds per text:

* ``textbook``: the usual folding for matching, as policywire did it before: the whole text
  composed (NFC), case folded, umlauts spelled out, decomposed (NFKD) with its combining
  marks filtered out in Python, then the words found with the pattern ``[^\\W_]+``;
* ``policywire``: :meth:`crawler.dedup.tokens.Tokenizer.body_words` without its stop-word
  filter, i.e. :func:`crawler.dedup.fold.fold_words` split (the same words: checked here);
* ``body_words``: :meth:`~crawler.dedup.tokens.Tokenizer.body_words` (stop words out);
* ``body_path``: what preparing a batch does with its bodies: ``body_words`` of every text,
  then the MinHash signatures of their word 3-grams in one call.

    python benchmarks/bench_bodies.py [--data ../shared/data/pages] [--repeats 5] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.shared_data import SHARED_DATA  # noqa: E402
from crawler.dedup import DedupParams  # noqa: E402
from crawler.dedup.fold import _TABLE, fold_words  # noqa: E402
from crawler.dedup.tokens import default_tokenizer  # noqa: E402

DEFAULT_DATA = SHARED_DATA / "pages"
_WORD = re.compile(r"[^\W_]+")


def texts(data: Path, least: int = 500) -> list[str]:
    """The main text of every page under ``data`` with at least ``least`` characters."""
    found = []
    for page in sorted(data.glob("*/*.html*")):
        raw = page.read_bytes()
        html = (gzip.decompress(raw) if page.suffix == ".gz" else raw).decode("utf-8", "replace")
        text = trafilatura.extract(html)
        if text and len(text) >= least:
            found.append(text)
    return found


def textbook_words(text: str) -> list[str]:
    """The words of ``text`` folded the textbook way (see the module docs)."""
    if text.isascii():
        return _WORD.findall(text.lower())
    folded = unicodedata.normalize("NFC", text).casefold().translate(_TABLE)
    decomposed = unicodedata.normalize("NFKD", folded)
    return _WORD.findall("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def per_text_us(run: Callable[[Sequence[str]], object], corpus: Sequence[str],
                repeats: int) -> float:
    """Microseconds per text of ``run(corpus)``, median of ``repeats`` passes."""
    passes = []
    for _ in range(repeats):
        started = time.perf_counter()
        run(corpus)
        passes.append(time.perf_counter() - started)
    return round(1e6 * statistics.median(passes) / len(corpus), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    corpus = texts(args.data)
    if not corpus:
        print(f"no pages with text under {args.data}", file=sys.stderr)
        return 1
    mismatched = sum(fold_words(text).split() != textbook_words(text) for text in corpus)
    tokenizer = default_tokenizer()
    params = DedupParams()
    signer = params.body_signer()

    def words(batch: Sequence[str]) -> list[list[str]]:
        return [tokenizer.body_words(text, "de") for text in batch]

    def body_path(batch: Sequence[str]) -> object:
        return signer.shingle_values(words(batch), params.body_shingle)

    results: dict[str, object] = {
        "texts": len(corpus),
        "characters_per_text": round(sum(map(len, corpus)) / len(corpus)),
        "ascii_texts": sum(text.isascii() for text in corpus),
        "words_differ": mismatched,
        "us_per_text": {
            "textbook": per_text_us(lambda batch: list(map(textbook_words, batch)), corpus,
                                    args.repeats),
            "policywire": per_text_us(lambda batch: [fold_words(t).split() for t in batch],
                                      corpus, args.repeats),
            "body_words": per_text_us(words, corpus, args.repeats),
            "body_path": per_text_us(body_path, corpus, args.repeats),
        },
    }
    times = results["us_per_text"]
    assert isinstance(times, dict)
    results["speedup_vs_textbook"] = round(times["textbook"] / times["policywire"], 2)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(f"{key}: {value}")
    return 1 if mismatched else 0


if __name__ == "__main__":
    raise SystemExit(main())
