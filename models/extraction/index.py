"""What extraction matches against: the firm's clients, projects, skills and role titles.

``FirmIndex`` is built once from the database (or from plain lists in tests) and holds
everything precomputed, so extraction itself is pure and takes well under a millisecond.
``FirmIndexCache`` rebuilds it only when a cheap fingerprint of the tables changes.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.tables import Assignment, Client, Consultant, Project, Skill
from models.extraction.english import english_words, is_ordinary_english
from models.extraction.people import PeopleIndex, PersonRef
from models.extraction.text import stem, tokens
from models.extraction.vocab import RoleMatcher, SkillMatcher

STOPWORDS = frozenset(
    (
        "a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "&", "-",
        "+", "inc", "ltd", "llc", "plc", "gmbh", "corp", "co", "corporation", "company",
        "group",
    )
)  # fmt: skip
LIVE_STATUSES = frozenset({"planned", "active", "on_hold"})


@dataclass(frozen=True)
class ClientRef:
    id: int
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class ProjectRef:
    id: int
    name: str
    client_id: int
    client_name: str
    status: str
    external_id: str = ""  # the PSA's id ("PRJ-1042"), which people paste into requests

    @property
    def live(self) -> bool:
        return self.status in LIVE_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "client": self.client_name,
            "status": self.status,
        }


@dataclass
class FirmIndex:
    """Names to match, with lookup tables derived from them at construction."""

    clients: list[ClientRef]
    projects: list[ProjectRef]
    skills: list[str]
    roles: list[str] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)  # the active people
    # Derived lookups (see ``__post_init__``).
    client_full: dict[tuple[str, ...], ClientRef] = field(init=False)
    client_by_first: dict[str, list[tuple[str, ...]]] = field(init=False)
    client_lead: dict[str, ClientRef] = field(init=False)
    lowercase_leads: frozenset[str] = field(init=False)  # leads that name a client uncapitalised
    client_words: dict[str, ClientRef] = field(init=False)  # one word naming one client
    project_tokens: dict[int, frozenset[str]] = field(init=False)
    token_projects: dict[str, list[ProjectRef]] = field(init=False)
    token_weight: dict[str, float] = field(init=False)
    projects_by_client: dict[int, list[ProjectRef]] = field(init=False)
    project_by_external_id: dict[str, ProjectRef] = field(init=False)  # lower-cased ids
    known_words: frozenset[str] = field(init=False)
    skill_matcher: SkillMatcher = field(init=False)
    role_matcher: RoleMatcher = field(init=False)
    people_index: PeopleIndex = field(init=False)

    def __post_init__(self) -> None:
        self.skill_matcher = SkillMatcher(self.skills)
        self.people_index = PeopleIndex(self.people)
        self.role_matcher = RoleMatcher(self.roles)
        self.client_full = {}
        lead_count: Counter[str] = Counter()
        leads: dict[str, ClientRef] = {}
        for c in self.clients:
            toks = tuple(t for t in tokens(c.name) if t not in STOPWORDS)
            if not toks:
                continue
            self.client_full[toks] = c
            if len(toks) > 1 and len(toks[0]) >= 3:
                # "Woodgrove" stands for "Woodgrove Bank"; the tail words are usually generic.
                lead_count[toks[0]] += 1
                leads[toks[0]] = c
        self.client_by_first = defaultdict(list)
        for toks in sorted(self.client_full, key=len, reverse=True):
            self.client_by_first[toks[0]].append(toks)
        single = {toks[0] for toks in self.client_full if len(toks) == 1}
        self.client_lead = {
            t: c for t, c in leads.items() if lead_count[t] == 1 and t not in single
        }
        # "northwind" names Northwind Traders even in lowercase; "fourth" (Fourth Coffee) or
        # "alpine" must be capitalised, as they are ordinary words too.
        english = english_words()
        self.lowercase_leads = frozenset(
            t for t in self.client_lead if not is_ordinary_english(t, english)
        )
        self.client_words = {
            **{t[0]: c for t, c in self.client_full.items() if len(t) == 1},
            **self.client_lead,
        }

        self.project_by_external_id = {
            p.external_id.lower(): p for p in self.projects if p.external_id
        }
        client_toks = {c.id: {stem(t) for t in tokens(c.name)} for c in self.clients}
        self.project_tokens = {}
        self.token_projects = defaultdict(list)
        self.projects_by_client = defaultdict(list)
        for p in self.projects:
            own = frozenset(
                stem(t)
                for t in tokens(p.name)
                if t not in STOPWORDS and stem(t) not in client_toks.get(p.client_id, set())
            )
            self.project_tokens[p.id] = own
            for t in own:
                self.token_projects[t].append(p)
            self.projects_by_client[p.client_id].append(p)
        n = max(1, len(self.projects))
        # Rare words in project names identify a project; "migration" or "platform" do not.
        self.token_weight = {t: math.log(1 + n / len(ps)) for t, ps in self.token_projects.items()}
        words: set[str] = set()
        for name in [*(c.name for c in self.clients), *(p.name for p in self.projects)]:
            words.update(tokens(name))
        for name in [*self.skills, *self.roles, *(p.name for p in self.people)]:
            words.update(tokens(name))
        self.known_words = frozenset(words)

    @classmethod
    def build(
        cls,
        clients: Iterable[tuple[int, str]],
        projects: Iterable[tuple[int, str, int, str] | tuple[int, str, int, str, str]],
        skills: Iterable[str],
        roles: Iterable[str] = (),
        people: Iterable[tuple[int, str]] = (),
    ) -> FirmIndex:
        """From plain rows: clients ``(id, name)``, projects ``(id, name, client_id, status)``
        with the project's external id as an optional fifth field, people ``(id, name)``."""
        client_refs = [ClientRef(i, n) for i, n in clients]
        names = {c.id: c.name for c in client_refs}
        project_refs = [
            ProjectRef(row[0], row[1], row[2], names.get(row[2], ""), row[3], *row[4:])
            for row in projects
        ]
        return cls(
            client_refs,
            project_refs,
            sorted(set(skills)),
            sorted(set(roles)),
            [PersonRef(i, n) for i, n in people],
        )

    @classmethod
    def from_session(cls, session: Session) -> FirmIndex:
        """Read the names from the firm's tables (five small queries)."""
        clients = session.execute(select(Client.id, Client.name)).all()
        projects = session.execute(
            select(Project.id, Project.name, Project.client_id, Project.status, Project.external_id)
        ).all()
        skills = session.scalars(select(Skill.name)).all()
        # Project roles ("Data Engineer"), not job titles ("Senior Consultant, Analytics").
        roles = session.scalars(select(Assignment.role).distinct()).all()
        people = session.execute(
            select(Consultant.id, Consultant.name).where(Consultant.active)
        ).all()
        return cls.build(
            [(i, n) for i, n in clients],
            [(i, n, c, s, x or "") for i, n, c, s, x in projects],
            skills,
            [r for r in roles if r],
            people=[(i, n) for i, n in people if n],
        )

    def live_projects(self, client_id: int) -> list[ProjectRef]:
        return [p for p in self.projects_by_client.get(client_id, []) if p.live]


def fingerprint(session: Session) -> tuple[Any, ...]:
    """A cheap summary that changes whenever names the index holds may have changed."""
    row = session.execute(
        select(
            select(func.count()).select_from(Project).scalar_subquery(),
            select(func.max(Project.updated_at)).scalar_subquery(),
            select(func.count()).select_from(Client).scalar_subquery(),
            select(func.max(Client.updated_at)).scalar_subquery(),
            select(func.count()).select_from(Skill).scalar_subquery(),
            select(func.max(Skill.id)).scalar_subquery(),
            select(func.count()).select_from(Consultant).scalar_subquery(),
            select(func.max(Consultant.updated_at)).scalar_subquery(),
            select(func.max(Assignment.updated_at)).scalar_subquery(),
        )
    ).one()
    return tuple(row)


class FirmIndexCache:
    """One ``FirmIndex`` per process, re-checked against the database at most every
    ``max_age_seconds`` and rebuilt only when the fingerprint moved."""

    def __init__(self, max_age_seconds: float = 30.0) -> None:
        self.max_age_seconds = max_age_seconds
        self._index: FirmIndex | None = None
        self._fingerprint: tuple[Any, ...] | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def get(self, session: Session) -> FirmIndex:
        now = time.monotonic()
        if self._index is not None and now - self._checked_at < self.max_age_seconds:
            return self._index
        with self._lock:
            fp = fingerprint(session)
            if self._index is None or fp != self._fingerprint:
                self._index = FirmIndex.from_session(session)
                self._fingerprint = fp
            self._checked_at = now
            return self._index
