"""Article bodies, reached through ``body_of`` alone.

No ``Site`` holds a body: in a build the parse workers store each body in
the cache and hand back the article without it, and ``load_site`` drops
them the same way. A view names the body it shows with a ``Body`` (the
source and the digest of its bytes), so an edit to a body changes the key
of every output that shows it; the body itself is read only to render,
from the cache, or by parsing the source again when the cache lacks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .articles import parse_file, plain_text
from .cache import read_body
from .config import Config
from .errors import WarraqError
from .models import Block, Body
from .topics import TopicDictionary, compile_topics


@dataclass(frozen=True)
class BodyStore:
    """Where bodies are kept: the build cache (None: nowhere, parse again)."""

    cache_path: Path | None
    config: Config


def body_of(store: BodyStore, body: Body) -> tuple[Block, ...]:
    """The blocks of ``body``: from the cache, else from its source again."""
    blocks = read_body(store.cache_path, body.digest) if store.cache_path else None
    return _parsed_again(store, body) if blocks is None else blocks


def text_of(store: BodyStore, body: Body) -> str:
    """The readable text of ``body``, without markup or read-also lines."""
    return plain_text(body_of(store, body))


def _parsed_again(store: BodyStore, body: Body) -> tuple[Block, ...]:
    config = store.config
    parsed = parse_file(body.source, config.root / body.source, config, _dictionary(config))
    if parsed.article is None:
        raise WarraqError(parsed.problems)
    return parsed.body


@lru_cache(maxsize=4)
def _dictionary(config: Config) -> TopicDictionary:
    return compile_topics(config.topics)
