"""Stories: one event across outlets over a few days, above the near-duplicate layer.

The near-duplicate layer (:mod:`crawler.dedup`) says which record copies which; this package
groups records into stories (Miranda et al., EMNLP 2018: online clustering against story
centroids, on weighted content, titles, names and time). It imports from ``crawler.dedup``
and is never imported by it. Typical use::

    clusterer = StoryClusterer(StoryParams(), MemoryStoryState())
    assignments = clusterer.assign(docs)    # StoryDoc -> StoryAssignment
    ...                                     # write the records
    clusterer.flush()
    clusterer.evict()
"""

from crawler.models import StoredStory
from crawler.stories.candidates import Sketches
from crawler.stories.cluster import StoryClusterer
from crawler.stories.features import Profile
from crawler.stories.memory import MemoryStoryState
from crawler.stories.params import StoryParams
from crawler.stories.profiler import ProfileBatch, Profiler
from crawler.stories.types import StoryAssignment, StoryDoc, StoryLink, StoryState

__all__ = [
    "MemoryStoryState",
    "Profile",
    "ProfileBatch",
    "Profiler",
    "Sketches",
    "StoredStory",
    "StoryAssignment",
    "StoryClusterer",
    "StoryDoc",
    "StoryLink",
    "StoryParams",
    "StoryState",
]
