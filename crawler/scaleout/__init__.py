"""Scale-out: many workers crawl, one merger at a time decides stories.

Work is distributed with RQ, not Celery: RQ forks a fresh work horse for every job, which is
exactly what a Scrapy crawl needs (its Twisted reactor cannot be restarted in a process), and
Redis is its only moving part — the same Redis that holds the shared state. Celery would need
``worker_max_tasks_per_child=1``, a result backend and more configuration for the same thing.

A round::

    policywire enqueue --sources FILE --redis URL
        one RQ job per enabled source (queue ``<namespace>``), the round's size in Redis
    policywire worker --redis URL --output-dir DIR [--burst]      (N of them, any machines)
        crawl_source: take the source's lock (two workers never crawl one source at once),
        crawl it reading the shared state and pacing requests per host across all workers,
        then append what it collected — one batch — to the stream ``<namespace>:batches``
        the job that completes the round merges: under the merge lock, every pending batch
        goes through one RunMerger (stories from the shared MinHash LSH in Redis), its output
        is written under that worker's --output-dir, and the shared state advances in the same
        MULTI/EXEC that deletes the consumed batches

Why one merger: near-duplicate decisions by two writers race ("check then insert" from two
writers let most near-duplicate pairs through); one decider per round makes story ids the
same as a single-machine run of the same sources gives. A killed worker's job never publishes
its batch and never advances the state, so its entries are fetched again by the next round.
"""
