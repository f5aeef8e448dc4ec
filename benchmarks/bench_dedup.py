"""Story-merging throughput and memory: StoryIndex on synthetic records, vs a naive loop.

Records are generated with a fixed seed (``--seed``): headlines of 5-8 words drawn from a
vocabulary of 30,000 made-up words with weights 1/(rank + 8) (plus a number in one of five),
published over 30 days; 20% are near-copies of an earlier record (words reordered, a media
tag, an outlet suffix, a word dropped). The weights mimic real headlines after stop words
go: in the headline-pairs and hard-pairs titles (en, 3,076 titles) the most frequent token is
in 10.5% of titles and a title has 6.2 tokens; here the most frequent is in ~9%. Frequent
tokens matter: they decide how many LSH candidates each record gets. Articles add a ~300-word
body (copies keep 90% of it).

Measured in one run:

* ``headline`` / ``article`` records/s through :func:`crawler.dedup.dedup_stream` (what
  ``policywire dedup`` runs) in batches of ``--batch`` records (tokens, signatures, LSH insert
  and query, verification, stories; with ``--parallel`` the next batch is prepared in a
  worker process), by the wall clock and per second of CPU time of this process and its
  worker (``records_per_cpu_s``: on a machine shared with other jobs the wall-clock rate
  varies by 2x between runs, this less);
* ``cli`` (with ``--cli N``): the real ``policywire dedup`` command, once on a generated
  JSONL of ``N`` headline records and once on ``N // 5`` articles, JSON in and out and the
  command's start-up (~1.5 s of imports) included: records/s by the wall clock and per CPU
  second (the command and its worker), and the peak RSS of the larger of those processes;
  each with both levels (``stories``) and then with the near-duplicate layer alone
  (``no_stories``: ``--no-stories``, the baseline of the same run), and ``ratio``, the
  first's records/s over the second's (what the story layer costs);
* ``naive``: the signature stage done the textbook way, one ``MinHash.update`` per title
  token pair or body shingle with datasketch's default sha1 hash (on a subsample; its rate is
  per record); the same stage done our way (xxhash, the whole batch permuted in one numpy
  expression) on the same records, the ratio of the two, and the ratio of the whole index's
  rate to the naive stage;
* LSH candidates per record (title and body LSH together, the record itself excluded);
* peak RSS of the process (``resource.getrusage``) and the index's own memory per 100,000
  records (``tracemalloc`` around a separate build of ``--mem-n`` headline records, and of
  the ``--articles`` articles).

    python benchmarks/bench_dedup.py [--n 20000] [--articles 4000] [--cli 100000] [--json]
                                     [--profile] [--parallel]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np
from datasketch import MinHash

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.dedup import DedupParams, Doc, StoryIndex, dedup_stream  # noqa: E402
from crawler.dedup.lsh import BandIndex  # noqa: E402
from crawler.dedup.prepare import Preparer  # noqa: E402
from crawler.dedup.signatures import title_units  # noqa: E402
from crawler.dedup.tokens import Tokenizer  # noqa: E402

START = datetime(2024, 5, 1, tzinfo=UTC).timestamp()
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "bra", "del", "fin", "gor",
             "han", "jul", "kes", "lim", "mor", "nus", "pet", "qua", "ris", "sol", "tur"]
OUTLETS = [" - Reuters", " | DW", " (VIDEO)", "", ""]


class Corpus:
    """Deterministic synthetic headlines and bodies."""

    def __init__(self, seed: int, vocabulary: int = 30_000) -> None:
        self.random = random.Random(seed)
        words = {self._word() for _ in range(vocabulary * 2)}
        self.words = sorted(words)[:vocabulary]
        self.random.shuffle(self.words)
        self.weights = [1.0 / (rank + 8) for rank in range(len(self.words))]
        # What random.choices computes from the weights on every call: the same draws.
        self.cumulative = list(accumulate(self.weights))

    def docs(self, n: int, bodies: bool) -> list[Doc]:
        docs: list[Doc] = []
        for i in range(n):
            published = START + i * (30 * 86400 / n)
            if docs and self.random.random() < 0.2:
                docs.append(self._copy(self.random.choice(docs[-2000:]), i, published))
            else:
                docs.append(self._fresh(i, published, bodies))
        return docs

    def _fresh(self, i: int, published: float, bodies: bool) -> Doc:
        title = self._words(self.random.randint(5, 8))
        if self.random.random() < 0.2:
            title.insert(self.random.randrange(len(title)), str(self.random.randint(2, 999)))
        text = " ".join(self._words(300)) if bodies else None
        return self._doc(i, " ".join(title).capitalize(), text, published)

    def _copy(self, original: Doc, i: int, published: float) -> Doc:
        words = original.title.split()
        self.random.shuffle(words)
        if len(words) > 6:
            words.pop(self.random.randrange(len(words)))
        title = " ".join(words) + self.random.choice(OUTLETS)
        text = original.text
        if text is not None:
            body = text.split()
            for _ in range(len(body) // 10):
                body[self.random.randrange(len(body))] = self.random.choice(self.words)
            text = " ".join(body)
        return self._doc(i, title, text, published)

    def _doc(self, i: int, title: str, text: str | None, published: float) -> Doc:
        iso = datetime.fromtimestamp(published, UTC).isoformat().replace("+00:00", "Z")
        return Doc(id=f"r{i:07d}", url=f"https://outlet{i % 50}.example/{i}", title=title,
                   text=text, language="en", published=iso, source=f"outlet{i % 50}")

    def _words(self, k: int) -> list[str]:
        return self.random.choices(self.words, cum_weights=self.cumulative, k=k)

    def _word(self) -> str:
        return "".join(self.random.choice(SYLLABLES) for _ in range(self.random.randint(2, 4)))


def candidates_per_record(docs: Sequence[Doc], params: DedupParams, batch: int) -> float:
    """LSH candidates per record (itself excluded), title and body LSH together: what the
    index looks up before its shared-token pre-check, batch by batch, nothing evicted."""
    titles = BandIndex(params.lsh_threshold, params.num_perm)
    bodies = BandIndex(params.body_lsh_threshold, params.body_num_perm)
    preparer = Preparer(params, START + 31 * 86400)
    total = start = 0
    for at in range(0, len(docs), batch):
        ready = preparer(docs[at:at + batch])
        slots = np.arange(start, start + len(ready.ids))
        start += len(ready.ids)
        titled = np.array([n for n, f in enumerate(ready.features) if f.tokens], dtype=int)
        bodied = np.flatnonzero(ready.bodied)
        titles.add(slots[titled], ready.title_values[titled])
        bodies.add(slots[bodied], ready.body_values)
        title_rows, title_slots = titles.query(ready.title_values[titled])
        body_rows, body_slots = bodies.query(ready.body_values)
        rows = np.concatenate([titled[title_rows], bodied[body_rows]])
        found = np.concatenate([title_slots, body_slots])
        pairs = np.unique(rows * start + found)
        total += int((pairs % start != slots[pairs // start]).sum())
    return total / len(docs)


def index_rate(docs: Sequence[Doc], params: DedupParams, batch: int,
               parallel: bool = False) -> tuple[float, float, int]:
    """Records/s through dedup_stream (wall clock, and per second of the CPU time of this
    process and its worker: steadier when other jobs share the machine), and the duplicates
    it found."""
    duplicates = 0
    started, cpu = time.perf_counter(), _cpu_seconds()
    for decision in dedup_stream(iter(docs), params, batch_size=batch,
                                 now=START + 31 * 86400, parallel=parallel):
        duplicates += decision.duplicate_of is not None
    cpu = _cpu_seconds() - cpu
    return len(docs) / (time.perf_counter() - started), len(docs) / cpu, duplicates


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that ended (the stream's worker)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def cli_rates(docs: Sequence[Doc]) -> dict[str, Any]:
    """``policywire dedup`` on a JSONL of ``docs``, with both levels and with the
    near-duplicate layer alone (``--no-stories``: the baseline measured in the same run),
    alternating, and the ratio of their records/s (wall clock and per CPU second)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        with source.open("w") as out:
            for number, doc in enumerate(docs):
                out.write(json.dumps({**doc.__dict__, "id": f"{doc.id}-{number}"}) + "\n")
        both = cli_rate(source, len(docs))
        alone = cli_rate(source, len(docs), "--no-stories")
    return {"stories": both, "no_stories": alone,
            "ratio": {key: round(both[key] / alone[key], 3)
                      for key in ("records_per_s", "records_per_cpu_s")}}


def cli_rate(source: Path, records: int, *options: str) -> dict[str, float]:
    """``policywire dedup SOURCE`` (of ``records`` records) with ``options``: records/s by
    the wall clock (start-up included) and per CPU second of the command and its worker,
    the CPU seconds of each (the main process bounds the wall clock on two free cores),
    and the peak RSS of the larger of the two."""
    target = source.with_name("out.jsonl")
    command = [sys.executable, "-c", _COMMAND, "dedup", str(source), "-o", str(target),
               "--quiet", *options]
    started = time.perf_counter()
    # Through a small launcher: a process started from this one counts this one's
    # memory (copied at the fork) in its peak RSS, even after exec.
    report = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - started
    *said, last = report.splitlines()
    status, cpu, peak_kb = json.loads(last)
    if status or not said:
        raise subprocess.CalledProcessError(status, command)
    main_cpu = json.loads(said[-1])["main_cpu_s"]
    return {"records": records, "records_per_s": round(records / wall),
            "records_per_cpu_s": round(records / cpu), "seconds": round(wall, 2),
            "main_cpu_s": round(main_cpu, 2), "worker_cpu_s": round(cpu - main_cpu, 2),
            "peak_rss_gb": round(peak_kb / 1e6, 3)}


# `policywire dedup` as `python -m crawler.cli` runs it, and then the CPU seconds of its
# main process alone (its worker, waited for, is counted apart: RUSAGE_CHILDREN).
_COMMAND = """
import json, resource, sys
from crawler.cli import main
status = main(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"main_cpu_s": usage.ru_utime + usage.ru_stime}), flush=True)
sys.exit(status)
"""


# Runs a command, prints its exit status, CPU seconds (with its worker) and peak RSS (KB).
_LAUNCHER = """
import json, os, subprocess, sys
process = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(process.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime,
                  usage.ru_maxrss]))
"""


def token_sets(docs: Sequence[Doc]) -> tuple[list[list[str]], list[set[str]]]:
    """What titles are signed over (token pairs) and body shingles, made before the
    signature stages are timed."""
    tokenizer = Tokenizer()
    titles = [title_units(tokenizer.title_tokens(d.title, d.language)) for d in docs]
    return titles, [tokenizer.body_shingles(d.text, d.language) for d in docs if d.text]


def naive_rate(docs: Sequence[Doc], params: DedupParams) -> float:
    """Records/s of signatures made with MinHash.update per token/shingle and sha1."""
    titles, bodies = token_sets(docs)
    started = time.perf_counter()
    for tokens in titles:
        title = MinHash(num_perm=params.num_perm, seed=params.seed, scheme=params.scheme)
        for token in tokens:
            title.update(token.encode())
    for shingles in bodies:
        body = MinHash(num_perm=params.body_num_perm, seed=params.seed, scheme=params.scheme)
        for shingle in shingles:
            body.update(shingle.encode())
    return len(docs) / (time.perf_counter() - started)


def signature_rate(docs: Sequence[Doc], params: DedupParams) -> float:
    """Records/s of the same signatures made our way: xxhash, update_batch, one MinHash."""
    titles, bodies = token_sets(docs)
    started = time.perf_counter()
    params.title_signer().sign(titles)
    params.body_signer().sign(bodies)
    return len(docs) / (time.perf_counter() - started)


def index_bytes_per_100k(docs: Sequence[Doc], params: DedupParams) -> float:
    """Memory the index holds after assigning ``docs``, scaled to 100,000 records."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = StoryIndex(params, now=START + 31 * 86400)
    for at in range(0, len(docs), 5000):
        index.assign(docs[at:at + 5000])
        index.flush()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del index
    return held / len(docs) * 100_000


def profile(run: Callable[[], object], top: int = 15) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(run)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="headline records")
    parser.add_argument("--articles", type=int, default=4_000, help="records with bodies")
    parser.add_argument("--naive", type=int, default=2_000, help="records for the naive loop")
    parser.add_argument("--mem-n", type=int, default=20_000, help="records for the memory pass")
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the headline run")
    parser.add_argument("--parallel", action="store_true",
                        help="prepare the next batch in a worker process (dedup_stream's "
                             "parallel=True; off by default: no gain measured on 2 cores)")
    parser.add_argument("--cli", type=int, default=0, metavar="N",
                        help="also time `policywire dedup` on N generated headlines + N/5"
                             " articles, with stories and with --no-stories")
    args = parser.parse_args(argv)
    params = DedupParams()
    corpus = Corpus(args.seed)
    headlines = corpus.docs(args.n, bodies=False)
    articles = corpus.docs(args.articles, bodies=True)
    parallel = args.parallel
    if args.profile:
        profile(lambda: index_rate(headlines, params, args.batch, parallel=False))
    headline_rate, headline_cpu, headline_dups = index_rate(headlines, params, args.batch,
                                                            parallel)
    article_rate, article_cpu, article_dups = index_rate(articles, params, args.batch,
                                                         parallel)
    naive_headline = naive_rate(headlines[:args.naive], params)
    naive_article = naive_rate(articles[:max(args.naive // 10, 1)], params)
    ours_headline = signature_rate(headlines[:args.naive], params)
    ours_article = signature_rate(articles[:max(args.naive // 10, 1)], params)
    result = {
        "n": args.n, "articles": args.articles, "batch": args.batch, "seed": args.seed,
        "headline_records_per_s": round(headline_rate),
        "article_records_per_s": round(article_rate),
        "records_per_cpu_s": {"headline": round(headline_cpu), "article": round(article_cpu)},
        "duplicates_found": {"headline": headline_dups, "article": article_dups,
                             "generated_share": 0.2},
        "naive_signature_records_per_s": {"headline": round(naive_headline),
                                          "article": round(naive_article)},
        "signature_records_per_s": {"headline": round(ours_headline),
                                    "article": round(ours_article)},
        "signature_speedup_vs_naive": {"headline": round(ours_headline / naive_headline, 1),
                                       "article": round(ours_article / naive_article, 1)},
        "index_vs_naive_signatures": {"headline": round(headline_rate / naive_headline, 1),
                                      "article": round(article_rate / naive_article, 1)},
        "candidates_per_record": {
            "headline": round(candidates_per_record(headlines, params, args.batch), 2),
            "article": round(candidates_per_record(articles, params, args.batch), 2)},
        "index_gb_per_100k_headlines": round(
            index_bytes_per_100k(headlines[:args.mem_n], params) / 1e9, 3),
        "index_gb_per_100k_articles": round(index_bytes_per_100k(articles, params) / 1e9, 3),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 3),
    }
    if args.cli:
        corpus = Corpus(args.seed + 1)
        result["cli"] = {"headline": cli_rates(corpus.docs(args.cli, bodies=False)),
                         "article": cli_rates(corpus.docs(args.cli // 5, bodies=True))}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:32s} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
