"""Which of the firm's people a request names: "is Ana Costa free in March?", "what is Dora
working on?".

A person matches by full name in any case, or by a first name written capitalised that one
active person has; a first name several people share gives them all, for the caller to ask
which. A first name in lowercase is an ordinary word ("will", "mark"), and so is a month
("in May") and a capitalised word that opens a question ("Will Ana be free?").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from models.extraction.dates import MONTHS
from models.extraction.text import WORD, norm_token

# First names that are also words a sentence opens with; alone they name nobody there.
_OPENERS = frozenset(("will", "may", "can", "mark", "bill", "pat", "sue", "grace", "hope", "joy",
                      "frank", "rich", "art", "max", "ray", "bob", "sunny"))  # fmt: skip


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class PersonMatch:
    people: tuple[PersonRef, ...] = ()  # named unambiguously, in the order mentioned
    candidates: tuple[PersonRef, ...] = ()  # a first name several people share


class PeopleIndex:
    """Full names and first names of the active people, for ``find``."""

    def __init__(self, people: list[PersonRef]) -> None:
        self.full: dict[tuple[str, ...], PersonRef] = {}
        self.by_first: dict[str, list[PersonRef]] = defaultdict(list)
        for p in people:
            toks = tuple(norm_token(w) for w in WORD.findall(p.name))
            if toks:
                self.full[toks] = p
                self.by_first[toks[0]].append(p)
        self.longest = max((len(t) for t in self.full), default=0)

    def find(self, text: str) -> PersonMatch:
        found: dict[int, PersonRef] = {}
        shared: dict[int, PersonRef] = {}
        words = [(m.group(), norm_token(m.group()), m.start()) for m in WORD.finditer(text)]
        i = 0
        while i < len(words):
            step = 1
            for n in range(min(self.longest, len(words) - i), 1, -1):
                person = self.full.get(tuple(w for _, w, _ in words[i : i + n]))
                if person is not None:
                    found.setdefault(person.id, person)
                    step = n
                    break
            else:
                raw, norm, at = words[i]
                if raw[:1].isupper() and not _a_word_here(text, at, norm):
                    same = self.by_first.get(norm, [])
                    into = found if len(same) == 1 else shared
                    for p in same:
                        into.setdefault(p.id, p)
            i += step
        candidates = tuple(p for pid, p in shared.items() if pid not in found)
        return PersonMatch(tuple(found.values()), candidates)


_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)\W*$")


def _a_word_here(text: str, at: int, norm: str) -> bool:
    """A month, or a word that opens sentences, opening one ("Will", "Mark my words")."""
    return norm in MONTHS or (norm in _OPENERS and bool(_SENTENCE_START.search(text[:at])))
