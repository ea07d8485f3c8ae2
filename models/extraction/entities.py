"""Which client and project a request is about.

Clients match by full name, by the distinctive first word of a longer name when written
capitalised ("Woodgrove" -> "Woodgrove Bank") or when it is no English word ("northwind"), or
by a close spelling of either. Projects match by the rare words of their names, helped by a
mention of their client: "the Fabrikam migration" -> "Fabrikam Cloud Migration".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from models.extraction.dates import MONTHS, WEEKDAYS
from models.extraction.index import STOPWORDS, ClientRef, FirmIndex, ProjectRef
from models.extraction.text import WORD, norm_token, stem

MatchStatus = Literal["project", "client_only", "ambiguous", "unknown", "none"]
# How far ahead the best project must be to be taken without asking.
MARGIN = 0.3
MAX_CANDIDATES = 5

# Capitalised words that are not names (sentence openers, greetings, office words).
_NOT_NAMES = frozenset(
    (
        "i", "i'm", "i'd", "i've", "i'll", "let's", "let", "hi", "hello", "hey", "dear", "thanks",
        "thank", "please", "pls", "fyi", "fw", "fwd", "re", "urgent", "new", "our", "the",
        "this", "that", "we", "they", "client", "customer", "project", "team", "can", "could",
        "would", "will", "need", "morning", "quick",
    )
) | frozenset(MONTHS) | frozenset(WEEKDAYS) | STOPWORDS  # fmt: skip
_NAME = r"[A-Z][A-Za-z0-9&'.\-]*"
_CUE_AFTER = (
    r"project|engagement|account|programme|program|migration|rollout|roll-out|implementation|"
    r"platform|upgrade|integration|pilot|deal|sow"
)
# "<Name> [one or two words] project", "client <Name>", and a name after a preposition
# ("status for Globex"): an unplaced name there is what the request is about, so it must be
# asked about rather than replaced by the project already in focus.
_MENTION_PATTERNS = (
    re.compile(
        rf"\b({_NAME}(?:\s+{_NAME}){{0,2}})(?:'s)?\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{_CUE_AFTER})\b"
    ),
    re.compile(rf"\b(?:client|customer|account)\s+({_NAME}(?:\s+{_NAME}){{0,2}})"),
    re.compile(rf"\b(?:for|about|at|with|on)\s+({_NAME}(?:\s+{_NAME}){{0,2}})"),
    # "how is Globex doing?", "how's Initech going": a status question about a name.
    re.compile(
        rf"\b(?:[Hh]ow\s+is|[Hh]ow's|[Hh]ow\s+are)\s+({_NAME}(?:\s+{_NAME}){{0,2}})"
        r"\s+(?:doing|going|getting\s+on|coming\s+along)\b"
    ),
)


@dataclass(frozen=True)
class EntityMatch:
    status: MatchStatus
    project: ProjectRef | None = None
    client: ClientRef | None = None
    clients: list[ClientRef] = field(default_factory=list)  # every client mentioned
    candidates: list[ProjectRef] = field(default_factory=list)
    unknown_mentions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "project": self.project.to_dict() if self.project else None,
            "client": self.client.to_dict() if self.client else None,
            "clients": [c.to_dict() for c in self.clients],
            "candidates": [p.to_dict() for p in self.candidates],
            "unknown_mentions": self.unknown_mentions,
        }


def _find_clients(
    words: list[tuple[str, str]], index: FirmIndex
) -> tuple[list[ClientRef], set[str]]:
    """Clients mentioned, and the words (as written) that named them."""
    # Each content word with the word before it: "a"/"an" never comes before a client's name.
    content = [
        (raw, n, words[k - 1][1] if k else "")
        for k, (raw, n) in enumerate(words)
        if n not in STOPWORDS
    ]
    norms = [n for _, n, _ in content]
    found: dict[int, ClientRef] = {}
    naming: set[str] = set()
    i = 0
    while i < len(norms):
        step = 1
        for toks in index.client_by_first.get(norms[i], []):
            if tuple(norms[i : i + len(toks)]) == toks:
                found.setdefault(index.client_full[toks].id, index.client_full[toks])
                step = len(toks)
                break
        else:
            raw, _, before = content[i]
            lead = index.client_lead.get(norms[i])
            if lead is None and raw[:1].isupper() and len(norms[i]) >= 5:
                lead = _close_client(norms[i], index)
            # In lowercase only a lead that is no English word ("how's northwind"), and not
            # as the adjective a rarer one can be ("a humongous backlog").
            lowercase = norms[i] in index.lowercase_leads and before not in ("a", "an")
            if lead is not None and (raw[:1].isupper() or lowercase):
                found.setdefault(lead.id, lead)
                naming.add(norms[i])
        i += step
    return list(found.values()), naming


def _close_client(token: str, index: FirmIndex) -> ClientRef | None:
    if token in index.known_words:
        return None
    close = difflib.get_close_matches(token, index.client_words.keys(), n=1, cutoff=0.85)
    return index.client_words[close[0]] if close else None


def _rank_projects(
    stems: set[str], clients: list[ClientRef], index: FirmIndex
) -> list[tuple[float, ProjectRef, frozenset[str]]]:
    client_ids = {c.id for c in clients}
    pool: dict[int, ProjectRef] = {}
    for t in stems:
        for p in index.token_projects.get(t, []):
            pool[p.id] = p
    ranked = []
    for p in pool.values():
        own = index.project_tokens[p.id]
        hits = own & stems
        weight = sum(index.token_weight[t] for t in own)
        coverage = sum(index.token_weight[t] for t in hits) / weight if weight else 0.0
        by_client = p.client_id in client_ids
        # Without its client, a project needs two of its words, or its one-word unique name.
        unique_name = len(own) == 1 and len(index.token_projects[next(iter(own))]) == 1
        if not (by_client or len(hits) >= 2 or unique_name):
            continue
        ranked.append((coverage + (1.0 if by_client else 0.0), p, hits))
    return sorted(ranked, key=lambda r: (-r[0], not r[1].live, r[1].name))


# Ids as people paste them: "PRJ-1042", "sow_17".
_ID = re.compile(r"[A-Za-z0-9][\w-]*\d[\w-]*")


def _by_external_id(text: str, index: FirmIndex) -> ProjectRef | None:
    return next(
        (p for t in _ID.findall(text) if (p := index.project_by_external_id.get(t.lower()))),
        None,
    )


def _unknown_mentions(text: str, index: FirmIndex, naming: set[str]) -> list[str]:
    out: list[str] = []
    for pattern in _MENTION_PATTERNS:
        for m in pattern.finditer(text):
            # A name does not run across a full stop: "... VanArsdel. Fixed fee project".
            parts = re.split(r"\.\s+", m.group(1).strip())
            phrase = parts[-1] if pattern is _MENTION_PATTERNS[0] else parts[0]
            # Short acronyms ("ERP", "CRM") name systems, not clients.
            names = [
                norm_token(w)
                for w in phrase.split()
                if norm_token(w) not in _NOT_NAMES
                and not (w.isupper() and len(w) <= 4)
                and w.lower() not in index.project_by_external_id
            ]
            if not names or all(w in index.known_words or w in naming for w in names):
                continue
            if phrase not in out:
                out.append(phrase)
    return out


def match_entities(text: str, index: FirmIndex) -> EntityMatch:
    """The client and project ``text`` refers to, with candidates when it is not clear."""
    words = [(w, norm_token(w)) for w in WORD.findall(text)]
    clients, naming = _find_clients(words, index)
    content = (norm_token(w) for w in WORD.findall(index.role_matcher.blank(text)))
    stems = {stem(n) for n in content if n and n not in STOPWORDS}
    ranked = _rank_projects(stems, clients, index)
    unknown = _unknown_mentions(text, index, naming)
    if (by_id := _by_external_id(text, index)) is not None:
        client = next((c for c in index.clients if c.id == by_id.client_id), None)
        return EntityMatch("project", by_id, client, clients, [], unknown)
    if ranked:
        top_score = ranked[0][0]
        near = [(p, hits) for s, p, hits in ranked if top_score - s < MARGIN]
        # The more specific match wins ("booking platform phase 2" over "booking platform"),
        # and between equally good ones a live project beats a closed one.
        close = [p for p, hits in near if not any(hits < other for _, other in near)]
        close = [p for p in close if p.live] or close
        top = close[0]
        if len(close) == 1:
            client = next((c for c in index.clients if c.id == top.client_id), None)
            return EntityMatch("project", top, client, clients, [], unknown)
        shared = {p.client_id for p in close}
        client = clients[0] if len(shared) == 1 and clients else None
        return EntityMatch("ambiguous", None, client, clients, close[:MAX_CANDIDATES], unknown)
    if clients:
        live = [p for c in clients for p in index.live_projects(c.id)]
        only = live[0] if len(live) == 1 else None
        return EntityMatch("client_only", only, clients[0], clients, live, unknown)
    return EntityMatch("unknown" if unknown else "none", unknown_mentions=unknown)
