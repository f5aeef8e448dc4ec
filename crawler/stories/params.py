"""How stories are found. Each default says where its value came from."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

from crawler.dedup.tokens import NORMALISATION_VERSION
from crawler.errors import ConfigError

#: Seconds in a day: the unit of the day-valued parameters (and of dating's day numbers).
DAY = 86400.0

#: Bump when the payload encoding or the meaning of a stored field changes (3: a story's
#: dated span and the weekdays it was reported on; 4: the same, after two branches had each
#: written a version 3, one with a first_seen where the span now is).
PAYLOAD_VERSION = 4

#: Bump when what a record's profile holds changes (crawler.stories.features: its words,
#: names, teaser rule) while no parameter does: stories made with other features score new
#: records otherwise, so a state holding them is refused until ``policywire reindex``.
#: 2: German function words left out of the profile and a teaser's body (before, such a
#: state was refused only because NORMALISATION_VERSION moved at the same time). 3: more
#: German function words (adjectives and light verbs of any report), and a German verb form
#: read as its act's noun ("festgenommen" as "Festnahme"); and in English the disease's and
#: its virus's names read as one word (crawler.stories.synonyms.one_name: "Covid-19" as
#: "coronavirus"), which changes English profiles too. 4: a German summary's or text's weak
#: participle read as its present ("gerast" as "rast") and "3.000" as "3000"
#: (crawler.stories.german.german_forms). 5: genehmigen's, genügen's, gebühren's and
#: gewichten's forms keep their "ge" (4 read "genehmigt" as "nehmigt").
FEATURES_VERSION = 5


@dataclass(frozen=True)
class SummaryModel:
    """A logistic regression's coefficients over standardised features
    (:mod:`crawler.stories.learned`): ``(x - mean) / scale`` per feature, weighed."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float


#: A feed summary's fit to a story (English; crawler.stories.learned), fitted on the English
#: real-feed pairs of rounds 1-3 only, by
#:     PYTHONPATH=. python benchmarks/fit_story_feeds.py --write
#: (L2-regularised, deterministic; the folds and the threshold: benchmarks/README.md, "Real
#: feeds", branch sq-feeds5).
SUMMARY_MODEL = SummaryModel(
    features=(
        'hand', 'cosine', 'title', 'title_in_story', 'headline_in_record', 'names',
        'window_rare_names', 'language_rare_names', 'event_words', 'rare_terms',
        'numbers_differ', 'places_differ', 'hours_after', 'days_run',
    ),
    mean=(
        0.453416, 0.399297, 0.310469, 0.56751, 0.596856, 1.346175, 0.272727, 1.323864, 0.136364,
        1.5625, 0.056818, 0.556818, 2.131949, 1.257733,
    ),
    scale=(
        0.219623, 0.154114, 0.220693, 0.239171, 0.239252, 0.613493, 0.616575, 1.1593, 0.389692,
        1.660559, 0.231495, 0.496761, 1.506452, 1.219905,
    ),
    weights=(
        0.773703, 0.663471, -0.179552, 0.439527, 0.235335, 0.039715, 0.071231, -0.378285,
        0.265503, 0.280888, 0.018788, -0.178496, -0.02176, -0.944384,
    ),
    intercept=0.265485,
)


# The scene bonus chosen on the German real-feed pairs of rounds 1-2 (StoryParams.scene_bonus's
# default: why there).
SCENE_BONUS = 0.3

@dataclass(frozen=True)
class StoryParams:
    """Story clustering's parameters; :meth:`fingerprint` is stored beside the stories."""

    # -- time -----------------------------------------------------------------------------------
    # A story takes new members while its latest member is at most this old. story-clusters'
    # follow-ups run days to a year apart (a check-in and the check-out weeks later are one
    # event): headline F1 at 3 / 7 / 30 / 60 / 400 days 0.844 / 0.858 / 0.865 / 0.908 / 0.914
    # (benchmarks/README.md). Real feeds of six days: no effect.
    window_days: float = 60.0
    # At most this many stories held (in memory and in a crawl's state); past it the first
    # kept leave first (crawler.stories.held). A bound on memory, not a rule, and not
    # calibrated (docs/operations.md); not in the fingerprint: it decides no story's members.
    window_stories: int = 300_000
    # "A few days" (the issue): past fresh_days after a story's latest member a record needs
    # stale_margin more score (content and title thresholds alike) to join it, so a late
    # follow-up joins on evidence a little stronger than a same-week report needs. Headline
    # F1 at a margin of 0 / 0.05 / 0.1: 0.908 / 0.908 / 0.898 (the first two the same:
    # no labelled stale pair here turns on it; a guard, not a measured gain).
    fresh_days: float = 7.0
    stale_margin: float = 0.05

    # -- what a record is made of ---------------------------------------------------------------
    # A body's lead carries the event (who, what, where); later paragraphs carry background
    # that different events of one kind share. Characters of the body read (1,000: headline
    # F1 0.849 against 0.866 on story-clusters; the lead's tokens are a third of the time).
    lead_chars: int = 1500
    # Fewer body terms than this and a record counts as having no body: it joins by its
    # title and names only and adds nothing to its story.
    min_body_terms: int = 5
    # Fewer than this and its body is a summary (a feed's teaser; real-feeds' summaries have
    # 26 words at the median): few terms make a noisy cosine, so it needs summary_threshold.
    full_body_terms: int = 25
    # Title tokens count this many times in the record's term vector: a headline names the
    # event in few words (not tuned).
    title_weight: int = 3
    # Terms of a record's vector: its most frequent (title tokens first, by their weight).
    # story-clusters headline F1 at 25 / 40 / 80 terms: 0.857 / 0.864 / 0.860.
    record_terms: int = 40
    # A story's centroid keeps its top terms (by members containing them), pruned back to
    # centroid_terms when it reaches twice as many: memory per story stays bounded (0.41 GB
    # per 100,000 articles, benchmarks/README.md; not tuned for quality).
    centroid_terms: int = 60

    # -- candidates (MinHash LSH over title tokens and the record's names) -------------------
    # datasketch's bands for these: 32 x 1 row. Same-event articles share few tokens, so one
    # row a band; 64 permutations (2 rows) lost recall (headline F1 0.868 -> 0.814).
    lsh_num_perm: int = 32
    lsh_threshold: float = 0.1
    # Its most named names, places and numbers that join the title tokens in a signature
    # (story-clusters headline F1 at 30 / 50 / 80: 0.841 / 0.858 / 0.858 with a 7-day
    # window, 0.893 / 0.908 at 60 days; 9 headline rows met no member of their story at
    # 30). 30, not 50: in German every noun is capitalised and counts as a name, and at 50
    # "Putin droht der Ukraine mit neuer Offensive" met the seed story ("NATO: Wladimir
    # Putin scheitert im Krieg in der Ukraine") in the loopback crawl and joined it at a
    # score of 0.28 (tests/test_story_levels.py, test_crawl_e2e.py): the mission's two
    # different stories about Putin and Ukraine must stay two. Not the lead's most frequent
    # words: their band values hundreds of records share, and past 256 a band answers with
    # the earliest only.
    signature_terms: int = 30
    # A candidate shares at least this many bands with the record (one band: a single
    # frequent term in both signatures' minimum; two: some overlap of their terms). 1 band:
    # headline F1 +0.01 and every frequent title word a candidate.
    min_band_hits: int = 2
    # Stories scored per record: those with the most LSH hits (10: headline recall 0.68,
    # 100: 0.73 in the first version; 30 gave the latter's).
    max_candidates: int = 30

    # -- decision -------------------------------------------------------------------------------
    # A record with a body joins the best story whose score reaches this. Chosen on
    # story-clusters (benchmarks/eval_stories.py: the best F1 over both halves of its topics).
    content_threshold: float = 0.12
    # ... and one whose body is a summary. Chosen on the German real-feed pairs (the highest
    # recall with at most 1 false merge in 15: 0.3 merged 1 of 8); English reported held-out
    # (benchmarks/eval_story_feeds.py, benchmarks/README.md).
    summary_threshold: float = 0.4
    # Two stories merge (the older id survives) when a record fits both and their centroids'
    # cosine reaches this: one event whose first reports found no common words starts two
    # stories, and a later report that fits both shows them one (what average-link clustering
    # has and centroid clustering lacks). Chosen on story-clusters' headline rows, where every
    # pair of stories above 0.25 was one event (benchmarks/README.md).
    merge_threshold: float = 0.3
    # ... and that record's body has at least this many terms (an article's lead; the real
    # feeds' summaries have 26 words at the median). Merges made by summaries chained the
    # stories of one theme: English feeds 5 -> 8 of 67 related events merged at 25 terms.
    merge_body_terms: int = 100
    # ... which a summary's score gains when it shares a name with the story that no other
    # active story holds (crawler.stories.rarity). Chosen on the German real-feed pairs as
    # the threshold was: 0.05 found 23 of 42 (20 without), 0 of 8 merged; 0.1: 25 and 1 of 8.
    # On the story's first day a name a few reports hold earns 1 / reports of it
    # (rarity.rare_name_share).
    rare_name_bonus: float = 0.05
    # ... and when it shares a word of the story's headlines that is rare in the language and
    # that at most three active stories hold, no name (crawler.stories.eventwords; English
    # only). Chosen on the English real-feed pairs of rounds 1-3 (before the headline
    # condition): 0.05 / 0.1 found 72-73 / 74-75 of 101 (72 without), merged 11-12 of 146
    # at either (11 without); 0.15 with two such words asked, 73 and 11. As it is (with the
    # headline condition and the disease's one name): 0 / 0.05 / 0.1 found 76 / 77 / 78,
    # merged 11 at each; 0.15 / 0.2 (without the one name) 74 and 11 / 74 and 12
    # (benchmarks/README.md, "Real feeds").
    event_word_bonus: float = 0.1
    # ... and when it names the story's town and one of its kinds of act (an attack, a crash,
    # a verdict) within a day of the story's first report, neither its title nor the story's
    # first naming a reaction (crawler.stories.eventkinds: one event's other facets, the
    # Magdeburg attack's toll, suspect and route). Chosen on the German real-feed pairs of
    # rounds 1-2 as summary_threshold was (the most found with at most 1 in 15 related pairs
    # merged): 0.2 / 0.25 / 0.3 / 0.35 / 0.4 found 60 / 61 / 70 / 69 / 69 of 86 (37
    # without), merged 0 / 0 / 1 / 1 / 1 of 44; English rounds 1-3 unchanged at each (78 of
    # 101, 11 of 146) (benchmarks/README.md, "Real feeds", branch sq-de3). Since the rule
    # asks for a particular of the act (eventkinds.PARTICULARS, branch feeds-de3) at 0.3:
    # German 66 of 86, 0 of 44 (37, 0 without); held out, round 4, 5 of 11, 0 of 7 (0 of 11
    # without). On by default since branch scene-on (issue 18, "German works like English"):
    # story-clusters' held-out F1 unchanged (headline rows 0.907, all rows 0.896), the 80
    # unrelated real pages 80 stories, English unchanged (82 of 101, 11 of 146). It was off
    # while it merged 5 of round 4's 7 related pairs (before the particular) and while it
    # carried a score that differed between one run and the same records split over two
    # across the threshold (none since crawler.stories.held). 0 turns it off, and then it is
    # left out of the fingerprint: a state made before it was on is valid again.
    scene_bonus: float = SCENE_BONUS
    # What a summary's score loses per day its story has run past its first day (since its
    # earliest member; two days at most, crawler.stories.score._AGED_DAYS): a story of
    # summaries days old is the same people's theme, and their next move (a positive test
    # after a drug's praise, a divorce after a rally) must share more with it than a
    # same-day report needs. Counted from the story's first member, not its latest: a chain
    # of daily reports keeps the latest fresh. Chosen on the English real-feed pairs of
    # rounds 1-3 (0.03 / 0.05 / 0.1 / 0.15 a day past 12 / 24 / 48 hours): 0.05 past a
    # day, 19 -> 13 of 146 related pairs merged for 70 -> 69 of 101 same-event pairs found
    # (benchmarks/README.md, "Real feeds"); German's one capture is one day.
    summary_decay: float = 0.05
    # An English feed summary joins the best story whose learned probability reaches this
    # (crawler.stories.learned; 0: off, the hand score and summary_threshold decide).
    learned_threshold: float = 0.0
    # Two stories merge when a summary (a feed's teaser, or a body under full_body_terms)
    # fits both (at summary_threshold, or by its title) and their centroids' cosine reaches
    # this, unless either was begun by a title naming a reaction
    # (crawler.stories.merging.begun_by): one event whose first reports shared too few words
    # begins as two parallel stories, and a later report telling both facets shows them
    # one ("Five people escape isolation facility in Hamilton" and "Adult and 4 kids escape
    # isolation hotel"). 0: off. Set to summary_threshold, the bar a summary joins by, not
    # tuned: English rounds 1-3, found / merged of 101 / 146 at 0.3 / 0.35 / 0.4 / 0.45 /
    # 0.5: 82 / 82 / 82 / 82 / 80 and 11 at each (80 and 11 off); German rounds 1-2 37 of
    # 86 found at each, 1 / 0 / 0 / 0 / 0 of 44 merged (benchmarks/README.md, feeds-en3).
    summary_merge_threshold: float = 0.4
    # The title similarity's weight in a record's score against a story (0.5: headline F1
    # 0.876 against 0.881 at 0.2).
    title_bonus: float = 0.2
    # A record without a body joins the best story whose title similarity reaches this, with
    # at least min_shared_title tokens shared. Not calibrated on labelled data (no body-less
    # set here): near the near-duplicate layer's English title threshold (0.40), a little
    # stricter since a story's members are many titles.
    title_threshold: float = 0.45
    min_shared_title: int = 2
    # Titles at least this similar share a template: different numbers, places, opposite
    # verbs or a negation then mean different events ("Day 412" / "Day 413"). At 0.25 they
    # vetoed rewrites of one event: headline recall 0.68 against 0.85 at 0.5.
    template_similarity: float = 0.5
    # ... headlines only: a lead sentence standing in for a title (longer than this many
    # tokens) names numbers and places of its own that are no template (lead-sentence
    # recall +0.03).
    template_tokens: int = 12
    # A record's key names (its most named) and a story's (its names most members share):
    # a story and a record join only when each names one of the other's key names. All
    # rows' precision 0.59 -> 0.70 (two celebrities' check-ins apart); headline F1 at 1 / 3 /
    # 5 key names: 0.52 / 0.86 / 0.87.
    key_names: int = 5
    # An undated record with an article's body whose text names no year or weekday of a
    # dated story's joins it only when their names agree this much
    # (crawler.stories.dating.name_agreement, a story's names weighed by the members naming
    # them; 0: off). Chosen on the whole of story-clusters (as merge_threshold was; held out
    # there is content_threshold only): held-out F1 at 0.35 / 0.4 / 0.45 / 0.5 / 0.55,
    # headline rows 0.915 / 0.911 / 0.907 / 0.907 / 0.903, all rows 0.816 / 0.848 / 0.868 /
    # 0.893 / 0.894 (benchmarks/README.md, "What each attempt gave").
    undated_names: float = 0.5
    # Member titles a story keeps for title similarity and vetoes (its first ones), and
    # stores. Chosen on tuning data only (branch quality, session 23): story-clusters' first
    # half of topics, pairs right at 1 / 2 / 3 / 4 / 5-8 / 12: headline rows 774 / 774 / 774
    # / 766 / 756 / 756, all rows 1548 / 1560 / 1560 / 1552 / 1542 / 1521 (52 wrong at each);
    # feeds' development rounds, English found of 140 and merged of 236, German of 127 and
    # 125: at 4-6 107, 12; 118, 1; at 8 107, 13; 118, 1; at 3 108, 13; 116, 2 (German lost
    # two); at 2 96, 13; 116, 2; at 1 94, 28; 116, 4. More titles, more vetoes: at 8 a
    # story's later template title kept one of ECB+ topic 25's reports apart
    # (tests/stories/test_member_titles.py). A stored field: a state made at 8 needs
    # ``policywire reindex`` (its fingerprint differs).
    member_titles: int = 4

    def __post_init__(self) -> None:
        for name in ("content_threshold", "summary_threshold", "title_threshold", "lsh_threshold",
                     "template_similarity", "merge_threshold", "rare_name_bonus",
                     "event_word_bonus", "scene_bonus", "undated_names", "summary_decay",
                     "learned_threshold", "summary_merge_threshold"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{name} must be within [0, 1], got {getattr(self, name)}")
        if self.window_days <= 0 or self.centroid_terms < 1 or self.lsh_num_perm < 2:
            raise ConfigError("window_days must be > 0, centroid_terms >= 1, lsh_num_perm >= 2")
        if self.window_stories < 1:
            raise ConfigError("window_stories must be >= 1")

    @classmethod
    def overridden(cls, overrides: Mapping[str, object]) -> StoryParams:
        """The defaults with ``overrides`` (field name -> value, as a user's setting gives
        them): an unknown name, or a value that is no finite number of the field's kind
        (``true`` or ``"30"`` for window_days), is a ConfigError naming it."""
        kinds = {f.name: type(getattr(cls, f.name)) for f in fields(cls)}
        for name, value in overrides.items():
            if name not in kinds:
                raise ConfigError(f"unknown story parameter {name!r} (--story-threshold is"
                                  f" content_threshold; known: {', '.join(kinds)})")
            # bool is an int to Python; an int field given 2.5 would index with a float.
            allowed = (int,) if kinds[name] is int else (int, float)
            if (isinstance(value, bool) or not isinstance(value, allowed)
                    or not math.isfinite(value)):
                raise ConfigError(f"story parameter {name} must be a finite"
                                  f" {kinds[name].__name__}, got {value!r}")
        return replace(cls(), **overrides)  # type: ignore[arg-type]

    @property
    def window_seconds(self) -> float:
        return self.window_days * DAY

    @property
    def fresh_seconds(self) -> float:
        return self.fresh_days * DAY

    def fingerprint(self) -> str:
        """A short hash of every parameter, the payload and features versions and the
        normalisation: stored beside the stories, so that a state made with other settings
        is noticed."""
        described = {**asdict(self), "payload": PAYLOAD_VERSION, "features": FEATURES_VERSION,
                     "normalisation": NORMALISATION_VERSION}
        # The learned summary score, off by default: then neither its threshold nor its
        # model is described, so a state made before either existed keeps its fingerprint.
        if self.learned_threshold:
            described["summary_model"] = asdict(SUMMARY_MODEL)
        else:
            del described["learned_threshold"]
        # Likewise the scene bonus turned off: a state made while it was off by default
        # (before branch scene-on) holds the same stories as one made with it off now.
        if not self.scene_bonus:
            del described["scene_bonus"]
        del described["window_stories"]  # a bound on memory (held.py), not a rule
        return hashlib.sha1(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]
