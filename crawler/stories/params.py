"""How stories are found. Each default says where its value came from."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from crawler.dedup.tokens import NORMALISATION_VERSION
from crawler.errors import ConfigError

#: Bump when the payload encoding or the meaning of a stored field changes.
PAYLOAD_VERSION = 2


@dataclass(frozen=True)
class StoryParams:
    """Story clustering's parameters; :meth:`fingerprint` is stored beside the stories."""

    # -- time -----------------------------------------------------------------------------------
    # A story takes new members while its latest member is at most this old (the issue: "a
    # few days"; follow-ups of one event in story-clusters run over days to weeks).
    window_days: float = 7.0

    # -- what a record is made of ---------------------------------------------------------------
    # A body's lead carries the event (who, what, where); later paragraphs carry background
    # that different events of one kind share. Characters of the body read.
    lead_chars: int = 1500
    # Fewer body terms than this and a record counts as having no body: it joins by its
    # title and names only and adds nothing to its story.
    min_body_terms: int = 5
    # Fewer than this and its body is a summary (a feed's teaser): few terms make a noisy
    # cosine, so it needs summary_threshold to join.
    full_body_terms: int = 25
    # Title tokens count this many times in the record's term vector: a headline names the
    # event in few words.
    title_weight: int = 3
    # Terms of a record's vector: its most frequent (title tokens first, by their weight).
    record_terms: int = 40
    # A story's centroid keeps its top terms (by members containing them), pruned back to
    # centroid_terms when it reaches twice as many: memory per story stays bounded.
    centroid_terms: int = 60

    # -- candidates (MinHash LSH over title tokens and the body's lead terms) -----------------
    lsh_num_perm: int = 32
    lsh_threshold: float = 0.1
    # Terms of a record's lead that go into its signature (besides its title tokens).
    signature_terms: int = 30
    # A candidate shares at least this many bands with the record (one band: a single
    # frequent term in both signatures' minimum; two: some overlap of their terms).
    min_band_hits: int = 2
    # Stories scored per record: those with the most LSH hits.
    max_candidates: int = 30

    # -- decision -------------------------------------------------------------------------------
    # A record with a body joins the best story whose score reaches this. Chosen on
    # story-clusters (benchmarks/eval_stories.py: the best F1 over both halves of its topics).
    content_threshold: float = 0.12
    # ... and one whose body is a summary. Chosen on the German real-feed pairs (the highest
    # recall with at most 1 false merge in 15: 0.3 merged 1 of 8); English reported held-out
    # (benchmarks/eval_story_feeds.py, benchmarks/README.md).
    summary_threshold: float = 0.4
    # The title similarity's weight in a record's score against a story.
    title_bonus: float = 0.2
    # A record without a body joins the best story whose title similarity reaches this, with
    # at least min_shared_title tokens shared.
    title_threshold: float = 0.45
    min_shared_title: int = 2
    # Titles at least this similar share a template: different numbers, places, opposite
    # verbs or a negation then mean different events ("Day 412" / "Day 413").
    template_similarity: float = 0.5
    # ... headlines only: a lead sentence standing in for a title (longer than this many
    # tokens) names numbers and places of its own that are no template.
    template_tokens: int = 12
    # A record's key names (its most named) and a story's (its names most members share):
    # a story and a record join only when each names one of the other's key names.
    key_names: int = 5
    # Member titles a story keeps for title similarity and vetoes (its first ones).
    member_titles: int = 8

    def __post_init__(self) -> None:
        for name in ("content_threshold", "summary_threshold", "title_threshold", "lsh_threshold",
                     "template_similarity"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{name} must be within [0, 1], got {getattr(self, name)}")
        if self.window_days <= 0 or self.centroid_terms < 1 or self.lsh_num_perm < 2:
            raise ConfigError("window_days must be > 0, centroid_terms >= 1, lsh_num_perm >= 2")

    @property
    def window_seconds(self) -> float:
        return self.window_days * 86400.0

    def fingerprint(self) -> str:
        """A short hash of every parameter, the payload version and the normalisation: stored
        beside the stories, so that a state made with other settings is noticed."""
        described = {**asdict(self), "payload": PAYLOAD_VERSION,
                     "normalisation": NORMALISATION_VERSION}
        return hashlib.sha1(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]
