"""``python -m crawler.cli``: the same as the ``policywire`` command."""

import sys

from crawler.cli import main

# The guard matters: the extraction pool's spawned workers import this module again.
if __name__ == "__main__":
    sys.exit(main())
