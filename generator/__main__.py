"""``python -m generator`` runs the same command as ``warraq``."""

from .cli import run

run()
