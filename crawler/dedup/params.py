"""The parameters of story merging, stored beside the signatures they produced.

Two kinds of parameters live here. Those that shape signatures and tokens (permutations,
seed, hashing scheme, hash function, shingle size, the normalisation version) make up
:meth:`DedupParams.fingerprint`: a store written with another fingerprint cannot be compared
with, and :class:`crawler.dedup.index.StoryIndex` refuses it (never silently zero matches).
The others (thresholds, window) can change between runs: the LSH index is derived state,
rebuilt from stored signatures on every start.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import datasketch

from crawler.dedup.signatures import Signer
from crawler.dedup.tokens import NORMALISATION_VERSION
from crawler.errors import ConfigError, IncompatibleState

_SCHEME_HASHES = {"affine32": "xxh32", "affine64": "xxh64"}

#: The default cap on the records the window holds (DedupParams.window_records).
WINDOW_RECORDS = 500_000

# The first hash values datasketch gives the tokens ("policywire", "story", "merging") with 8
# permutations, seed 1 and each scheme, as computed by datasketch 2.0.0. Another value means
# the installed datasketch permutes differently, and every stored signature would mismatch.
_KNOWN_SIGNATURES = {
    "affine32": (1717605766, 162744610, 82440261, 38943694, 2499963783, 199727118, 789417256,
                 1848613875),
    "affine64": (9898122141783451689, 7949147913855285432, 2448457640258894517,
                 7917049703318378404, 8328472380728611948, 1208354396133778276,
                 1795652977671823734, 5914764342212213384),
}
_KNOWN_TOKENS = ("policywire", "story", "merging")


@dataclass(frozen=True)
class DedupParams:
    """How near-duplicate stories are found. Each default says where its value came from."""

    # -- signatures: part of the fingerprint --------------------------------------------------
    # Title signatures are over token pairs (see crawler.dedup.signatures) and feed only the
    # LSH index (verification compares exact token sets), so they need no more permutations
    # than bands x rows. Pair Jaccard of pairs verify() accepts is low (5% quantile 0.11), so
    # one row per band. On the tune splits (headline-pairs train + hard-pairs tune, 988
    # positive pairs verify() accepts) candidates cover 99.3% of them with 24 x 1 (16 x 1:
    # 98.2%, 20 x 1: 98.6%; the former single tokens at 16 x 2: 97.7%), and 24 x 1 gave the
    # best index F1 on those splits (de train 0.815 vs 0.806 at 16 x 1). Memory and time grow
    # with bands (see benchmarks/README.md).
    num_perm: int = 24
    # Body similarity is *estimated* from signatures (bodies are not stored): 64 permutations
    # give a standard error of 0.06 at Jaccard 0.5, enough beside a 0.5 threshold.
    body_num_perm: int = 64
    seed: int = 1
    # datasketch 2.0's permutation scheme, passed explicitly so that a change of default in a
    # later release cannot change our signatures; checked at start-up by check_datasketch().
    scheme: str = "affine32"
    # A 32-bit hash for the 32-bit scheme; xxhash is ~10x faster than datasketch's sha1.
    hash_name: str = "xxh32"
    # Word 3-grams: the usual size for near-duplicate text; wire copy repeats whole sentences.
    body_shingle: int = 3

    # -- candidates: derived state, free to change --------------------------------------------
    # Picks 24 bands x 1 row for 24 permutations (datasketch's optimal parameters), see above.
    lsh_threshold: float = 0.05
    # Candidates for the body rule: a little below body_threshold so estimates near it pass.
    body_lsh_threshold: float = 0.4

    # -- verification: free to change ----------------------------------------------------------
    # Minimum Jaccard of title token sets (a compound and its parts paired, see
    # verify.affixed), per language. Chosen on the *tune* splits only (headline-pairs train +
    # hard-pairs tune, pooled) with all of verify()'s vetoes on, through the whole index (LSH,
    # verification, star stories), by one rule: the highest threshold whose pooled index F1
    # is within 0.005 of the best, since a false merge costs more than a missed one.
    # With normalisation version 10 and a compound spelling making up one shared token
    # short (verify()): de: best F1 0.8619 at 0.26 and 0.27 (precision 0.894), 0.8561 at
    # 0.28-0.30, 0.8537 at 0.33 (precision 0.897); en: best 0.8998 at 0.43 and 0.44
    # (precision 0.950; 0.45: 0.8902). (Version 9, before the compound rule: de best
    # 0.8444 at 0.27, 0.8402 at 0.33, which the rule then chose.) Held-out figures in
    # benchmarks/README.md. Other languages get the English value.
    # With normalisation version 11 and a record joining the story whose canonical it is most
    # alike (crawler.dedup.index): de best 0.8695 at 0.26-0.27 (precision 0.894), 0.8646 at
    # 0.28-0.30 (precision 0.898), 0.8630 at 0.31-0.33; en best 0.9079 at 0.39-0.40
    # (precision 0.932), 0.9069 at 0.43-0.44 (precision 0.953), 0.8942 at 0.45.
    # With normalisation version 12 and no record joining a story that holds one it
    # contradicts (crawler.dedup.index.CONTRADICTIONS): de best 0.8821 at 0.26-0.27
    # (precision 0.909), 0.8757 at 0.28-0.30, 0.8750 at 0.31-0.33; en best 0.9137 at
    # 0.43-0.44 (precision 0.957), 0.9126 at 0.39-0.40, 0.8992 at 0.45.
    # With normalisation version 13 (an English question vetoed against a statement;
    # benchmarks/dedup_misses.py --sweep): de as before it, best 0.8850 at 0.26-0.27
    # (precision 0.911), 0.8778 at 0.28-0.30; en best 0.9163 at 0.43-0.44 (precision
    # 0.962; 0.9137 and 0.957 before it), 0.9151 at 0.39-0.40, 0.9018 at 0.45.
    title_thresholds: tuple[tuple[str, float], ...] = (("de", 0.27), ("en", 0.44))
    default_title_threshold: float = 0.44
    # Titles must share at least this many tokens (or be equal): two short headlines that
    # share only their entities ("Putin ... Ukraine") are not one story. On the same tune
    # splits, 3 rather than 2 raises precision at equal thresholds (de 0.824 -> 0.862 at 0.27)
    # and costs no F1.
    min_shared_tokens: int = 3
    # Jaccard of body 3-gram shingles above which two articles are the same text (wire copy
    # under another headline). Not calibrated on labelled data (we have no labelled bodies):
    # at 0.5 most sentences of both bodies are shared, which different reporting never does.
    body_threshold: float = 0.5
    # Bodies shorter than this (teasers, summaries) are not compared.
    min_body_words: int = 40
    # Two records whose texts' opening words (crawler.dedup.gist) have a Jaccard below this
    # wrote different words: a title match below texts_title_threshold is then no copy but
    # two articles (the story layer still groups them). Chosen on the real feeds' marked
    # pairs (benchmarks/eval_dup_feeds.py; figures in benchmarks/README.md): copies and
    # rewrites of one article score 0.5-1.0, two outlets' own summaries of one event mostly
    # below 0.2 and all labelled ones below 0.4 (but one dpa text in two feeds, 0.632); of
    # those, titles reach 0.88 (Bolsonaro "tests positive ... a third time", foxnews /
    # dailymail), and the same headline (1.0) under different teasers is as often a
    # republished copy (nzherald of nytimes) as not.
    gist_threshold: float = 0.4
    texts_title_threshold: float = 0.9
    # Records further apart than this never merge, and the index forgets older signatures.
    window_days: int = 30
    # At most this many records in the window (None: no cap); past it the first kept leave
    # first (crawler.dedup.cap). A bound on memory, not a rule, and not calibrated: 30 days
    # of ~16,000 new records a day; one rough look put an article with a 300-word body at
    # ~25 KB of the process's memory (docs/operations.md), lower it on a small machine.
    window_records: int | None = WINDOW_RECORDS
    # title_thresholds as a dict (set in __post_init__): looked up for every verified pair.
    _thresholds: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if _SCHEME_HASHES.get(self.scheme) != self.hash_name:
            raise ConfigError(
                f"scheme {self.scheme!r} needs hash {_SCHEME_HASHES.get(self.scheme)!r},"
                f" not {self.hash_name!r} (known schemes: {', '.join(_SCHEME_HASHES)})"
            )
        for name in ("lsh_threshold", "body_lsh_threshold", "body_threshold", "gist_threshold",
                     "texts_title_threshold",
                     "default_title_threshold", *(f"title:{k}" for k, _ in self.title_thresholds)):
            value = self._value(name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be within [0, 1], got {value}")
        if self.num_perm < 2 or self.body_num_perm < 2 or self.window_days < 1:
            raise ConfigError("num_perm and body_num_perm must be >= 2, window_days >= 1")
        if self.window_records is not None and self.window_records < 1:
            raise ConfigError("window_records must be >= 1")
        object.__setattr__(self, "_thresholds", dict(self.title_thresholds))

    @classmethod
    def configured(cls, window_days: int = 30, thresholds: Sequence[str] = (),
                   window_records: int = WINDOW_RECORDS) -> DedupParams:
        """The defaults with a window and title thresholds given as options: ``"de=0.3"``
        sets one language's, a bare ``"0.4"`` the one for every other language. Raises
        :class:`ConfigError` on a malformed or out-of-range value."""
        per_language = dict(cls.title_thresholds)
        default = cls.default_title_threshold
        for spec in thresholds:
            language, sep, value = spec.rpartition("=")
            try:
                number = float(value)
            except ValueError:
                raise ConfigError(f"title threshold {spec!r}: expected LANG=NUMBER or NUMBER"
                                  " (e.g. de=0.3)") from None
            if sep and not language.strip().isalpha():
                raise ConfigError(f"title threshold {spec!r}: {language!r} is not a language"
                                  " code (e.g. de, en)")
            if sep:
                per_language[language.strip().lower()] = number
            else:
                default = number
        return cls(window_days=window_days, title_thresholds=tuple(sorted(per_language.items())),
                   default_title_threshold=default, window_records=window_records)

    def title_threshold(self, language: str | None) -> float:
        """The title threshold for ``language`` (the default for others and for None)."""
        return self._thresholds.get(language or "", self.default_title_threshold)

    @property
    def window_seconds(self) -> float:
        return self.window_days * 86400.0

    def fingerprint(self) -> str:
        """Stable JSON of everything that shapes signatures and stored tokens."""
        return json.dumps(
            {"format": 2, "title_units": "pairs", "tokens": NORMALISATION_VERSION,
             "num_perm": self.num_perm,
             "body_num_perm": self.body_num_perm, "seed": self.seed, "scheme": self.scheme,
             "hash": self.hash_name, "body_shingle": self.body_shingle},
            sort_keys=True, separators=(",", ":"),
        )

    def title_signer(self) -> Signer:
        return Signer(self.num_perm, self.seed, self.scheme, self.hash_name)

    def body_signer(self) -> Signer:
        return Signer(self.body_num_perm, self.seed, self.scheme, self.hash_name)

    def _value(self, name: str) -> float:
        if name.startswith("title:"):
            return dict(self.title_thresholds)[name[6:]]
        return float(getattr(self, name))


def check_compatible(found: str | None, params: DedupParams, way_on: str | None = None
                     ) -> None:
    """Raise :class:`IncompatibleState` when signatures stored with fingerprint ``found``
    cannot be compared with those ``params`` make (None: nothing stored yet). ``way_on``
    says what remakes them where ``policywire reindex`` cannot (a shared Redis state)."""
    expected = params.fingerprint()
    if found is not None and found != expected:
        raise IncompatibleState(
            f"stored signatures were made with other parameters ({found}) than this version"
            f" uses ({expected}); they can never match. " + (way_on or (
                "Rebuild them from the records written so far with `policywire reindex"
                " --output-dir DIR --state-dir DIR` (seen entries stay: the next crawl is"
                " still incremental)")) + "."
        )


def check_datasketch() -> None:
    """Fail early if the installed datasketch does not hash as our stored signatures do.

    Raises :class:`IncompatibleState` when datasketch is older than 2.0 (no explicit schemes)
    or computes other values than :data:`_KNOWN_SIGNATURES` for a fixed input.
    """
    version = getattr(datasketch, "__version__", "0")
    if int(version.split(".")[0]) < 2:
        raise IncompatibleState(
            f"datasketch {version} is installed; story merging needs >= 2.0 (explicit"
            " permutation schemes). Install datasketch>=2.0,<3."
        )
    for scheme, known in _KNOWN_SIGNATURES.items():
        signer = Signer(8, 1, scheme, _SCHEME_HASHES[scheme])
        values = tuple(int(v) for v in signer.sign([_KNOWN_TOKENS])[0].hashvalues)
        if values != known:
            raise IncompatibleState(
                f"datasketch {version} computes other {scheme} signatures than the version"
                f" policywire was built with ({values[:2]}... instead of {known[:2]}...):"
                " stored signatures would never match again. Pin datasketch to a compatible"
                " release, or clear the signatures of the state directory."
            )
