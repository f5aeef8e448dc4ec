"""``python -m crawler.cli``: the same as the ``policywire`` command."""

import sys

from crawler.cli import main

sys.exit(main())
