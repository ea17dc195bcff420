"""Simplified and traditional Chinese, converted by OpenCC.

Character by character with OpenCC's phrase tables, never word substitution (``s2twp``
would turn 发布 into 釋出 and 信息 into 資訊): a government document keeps its wording
in either script. One converter per configuration, built once per process (building one
reads its dictionaries, about 0.4 s; converting is fast).
"""

import functools

import opencc
from django.conf import settings

# The traditional forms a site may choose (PORTAL_TRADITIONAL_VARIANT): Taiwan's standard
# glyphs (為, 裡, 群眾), Hong Kong's (為, 裏, 羣眾) or OpenCC's own inherited forms (爲, 裏, 羣衆).
VARIANTS = {"tw": "s2tw", "hk": "s2hk", "standard": "s2t"}
DEFAULT_VARIANT = "tw"


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_traditional(text: str, variant: str | None = None) -> str:
    """``text`` in traditional characters, in ``variant`` (default: the site's setting)."""
    config = VARIANTS[variant or settings.PORTAL_TRADITIONAL_VARIANT]
    return _converter(config).convert(text)


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, whichever traditional forms it was typed in.

    What search needs: the reports are stored simplified, so a query typed in 繁體
    (為, 爲, 裡 or 裏 alike) must be made simplified before it is matched.
    """
    return _converter("t2s").convert(text)
