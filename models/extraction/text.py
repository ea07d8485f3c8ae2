"""Words as the extraction rules see them: tokens, normalised and roughly stemmed."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'.\-]*")


def norm_token(token: str) -> str:
    """Lowercase, without possessive or trailing dots: "Fabrikam's" -> "fabrikam"."""
    t = token.lower().strip(".-'")
    if t.endswith("'s"):
        t = t[:-2]
    return t


def tokens(text: str) -> list[str]:
    return [t for t in (norm_token(w) for w in WORD.findall(text)) if t]


def stem(token: str) -> str:
    # Enough morphology for names: "migrations" ~ "migration", "analytics" stays.
    return (
        token[:-1] if len(token) > 4 and token.endswith("s") and not token.endswith("ss") else token
    )
