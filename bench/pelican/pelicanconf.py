"""Pelican settings for the benchmark corpus.

bench/run copies this file next to the generated ``content/`` and runs
``pelican content -s pelicanconf.py -o OUTPUT``. The aim is a fair, plain
Pelican: the default theme, tags, pagination of 20 like Warraq and Hugo,
no feeds, and no content cache, so every timed run is a cold build. The
other default pages stay: the tag and category indexes, the single "misc"
category (Pelican's counterpart of Hugo's paginated posts section) and the
archives page; no author is set, so there are no author pages. Pelican has
no related-articles list without a plugin, so its article pages do a little
less work than Warraq's and Hugo's.
"""

SITENAME = "أرشيف"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "ar"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

RELATIVE_URLS = True
DEFAULT_PAGINATION = 20

# Feeds off: neither Warraq nor the Hugo site writes any.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Every run is a cold build.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False
