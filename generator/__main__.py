"""``python -m generator`` runs the same command as ``warraq``."""

import sys

from .cli import main

sys.exit(main())
