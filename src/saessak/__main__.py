"""``python -m saessak``: the ``saessak`` command."""

import sys

from .cli import main

sys.exit(main())
