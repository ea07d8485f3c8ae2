"""Find the project, client, role, skills, hours and dates a request talks about.

Names are matched against the firm's own catalogue (clients, projects, skills) read from the
database on every call, so a project created a minute ago is found. Matching is by words, not
by fuzzy similarity: a name the firm does not know is reported as unknown (and the agent asks
about it) rather than snapped to the nearest known name.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.adapters.dates import MONTHS, date_range
from agents.ports import EntityMatch, Extraction
from domain.tables import Client, Project, Skill

_WORD = re.compile(r"[a-z0-9][a-z0-9&+#.'-]*")
_LEGAL_SUFFIXES = {"ltd", "inc", "gmbh", "corp", "corporation", "llc", "plc", "ag", "sa", "co"}
_GENERIC = {"project", "programme", "program", "phase", "the", "and", "of", "for", "a", "an"}
_GENERIC |= {"to", "in", "on", "with", "&", "-", "at", "by"}
_WEEKDAYS = {d.lower() for d in calendar.day_name} | {d.lower() for d in calendar.day_abbr}
# Words that start sentences or are capitalised for other reasons; never taken for a name.
_COMMON_WORDS = """
i i'm i'd i've we we're our us you your they their it it's its he she this that these
those there here what what's which who whom whose when where why how how's hi hello hey
thanks thank please can could would should will shall may might must do does did is are
was were be been am has have had need needs want wants wanted looking find get give show
tell send draft write prepare summarise summarize create make assign approve reject
ignore disregard forget add raise flag check update any all some no not yes ok okay also
and or but so then now today tomorrow yesterday next last this week month year client
clients customer the a an for from to of on in at by with about around as if let let's
just regarding re fyi note system user assistant admin approver manager team everyone
staffing status risk budget scope change request project projects summary report
"""
_COMMON = frozenset(_COMMON_WORDS.split())

_ROLE = re.compile(
    r"\b(?:(?P<seniority>junior|mid|mid-level|senior|sr\.?|lead|principal|staff)\s+)?"
    r"(?P<qualifier>(?:data|software|cloud|solutions?|business|security|devops|qa|test|ml|"
    r"machine learning|integration|front-?end|back-?end|full[- ]stack|platform|bi|power bi|"
    r"salesforce|sap|erp|crm|technical|enterprise|project|delivery|change|ux|ui|azure|aws)\s+)?"
    r"(?P<noun>engineer|developer|architect|analyst|consultant|scientist|manager|designer|"
    r"tester|administrator|specialist)s?\b",
    re.IGNORECASE,
)
_PER_WEEK = r"\s*(?:/|a|per|each)\s*(?:w|wk|week)\b"
_HOURS_PER_WEEK = re.compile(r"(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)" + _PER_WEEK, re.IGNORECASE)
_DAYS_PER_WEEK = re.compile(r"(\d(?:\.\d)?)\s*days?" + _PER_WEEK, re.IGNORECASE)
_HOURS_TOTAL = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?)\b(?!" + _PER_WEEK + ")", re.IGNORECASE
)
_PERSON_DAYS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:person[- ]days?|man[- ]days?)", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)*")


def words(text: str) -> list[str]:
    """Lower-cased words, with a trailing plural 's' dropped from longer words."""
    out = []
    for w in _WORD.findall(text.lower()):
        w = w.strip(".'-")
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        if w:
            out.append(w)
    return out


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


@dataclass(frozen=True)
class _Catalog:
    clients: list[tuple[int, str]]
    projects: list[tuple[int, str, str, int, str]]  # id, name, external id, client id, status
    skills: list[str]


def _catalog(session: Session) -> _Catalog:
    return _Catalog(
        clients=[(i, n) for i, n in session.execute(select(Client.id, Client.name))],
        projects=[
            (i, n, x, c, s)
            for i, n, x, c, s in session.execute(
                select(
                    Project.id, Project.name, Project.external_id, Project.client_id, Project.status
                )
            )
        ],
        skills=list(session.scalars(select(Skill.name))),
    )


class CatalogExtractor:
    """Implements ``agents.ports.Extractor`` against the clients, projects and skills tables."""

    def __init__(self, *, clock: Callable[[], date] = date.today) -> None:
        self.clock = clock

    def extract(self, session: Session, text: str) -> Extraction:
        """Everything the text says that the firm's data can confirm; see the module doc."""
        cat = _catalog(session)
        role = _ROLE.search(text)
        # "data engineer" names a role, not the "Data Platform" project: match names without it.
        toks = words(text[: role.start()] + " " + text[role.end() :] if role else text)
        client = _match_client(cat.clients, toks)
        projects = _match_projects(cat, toks, text, client)
        skills = _match_skills(cat.skills, text)
        start, end = date_range(text, self.clock())
        known = _known_words(cat)
        return Extraction(
            project=projects[0] if len(projects) == 1 else None,
            client=client,
            project_candidates=tuple(projects) if len(projects) > 1 else (),
            unknown_names=tuple(_unknown_names(text, known)),
            role=_role_name(role),
            seniority=_seniority(role),
            skills=tuple(skills),
            hours_per_week=_hours_per_week(text),
            start=start,
            end=end,
            hours_estimate=_hours_estimate(text),
        )


def _core(name: str) -> list[str]:
    return [w for w in words(name) if w not in _LEGAL_SUFFIXES] or words(name)


def _match_client(clients: list[tuple[int, str]], toks: list[str]) -> EntityMatch | None:
    firsts: dict[str, list[tuple[int, str]]] = {}
    for cid, name in clients:
        core = _core(name)
        firsts.setdefault(core[0], []).append((cid, name))
    found = [(cid, name) for cid, name in clients if _contains(toks, _core(name))]
    if not found:
        # "Northwind" for "Northwind Traders": the first word alone, if it is distinctive.
        found = [
            hits[0]
            for first, hits in firsts.items()
            if len(hits) == 1 and len(first) >= 4 and first not in _COMMON and first in toks
        ]
    if len(found) != 1:
        return None
    return EntityMatch(id=found[0][0], name=found[0][1])


def _match_projects(
    cat: _Catalog, toks: list[str], text: str, client: EntityMatch | None
) -> list[EntityMatch]:
    client_words = set(_core(client.name)) if client else set()
    lowered = text.lower()
    scored: list[tuple[float, int, str]] = []
    for pid, name, external_id, client_id, status in cat.projects:
        exact = _contains(toks, words(name)) or external_id.lower() in lowered
        distinctive = {w for w in words(name) if w not in _GENERIC and w not in client_words}
        hits = len(distinctive & set(toks))
        same_client = client is not None and client.id == client_id
        if not (exact or hits >= 2 or (same_client and hits >= 1)):
            continue
        score = (3.0 if exact else 0.0) + hits + (1.0 if same_client else 0.0)
        score -= 0.5 if status == "closed" else 0.0
        scored.append((score, pid, name))
    if not scored:
        return []
    best = max(s for s, _, _ in scored)
    return [EntityMatch(id=pid, name=name) for s, pid, name in sorted(scored) if s == best]


def _match_skills(skills: Iterable[str], text: str) -> list[str]:
    found: list[str] = []
    masked = text
    # Longest first, so "Azure Data Factory" is not also read as "Azure".
    for skill in sorted(skills, key=len, reverse=True):
        rx = re.compile(rf"(?<![\w#+.]){re.escape(skill)}(?![\w#+])", re.IGNORECASE)
        if rx.search(masked):
            found.append(skill)
            masked = rx.sub(" ", masked)
    return found


def _known_words(cat: _Catalog) -> set[str]:
    known = {w for _, name in cat.clients for w in words(name)}
    known |= {w for _, name, *_ in cat.projects for w in words(name)}
    known |= {w for s in cat.skills for w in words(s)}
    return known | _COMMON | set(MONTHS) | _WEEKDAYS


def _unknown_names(text: str, known: set[str]) -> list[str]:
    names: list[str] = []
    for match in _CAPITALISED.finditer(text):
        kept = [
            w
            for w in match.group(0).split()
            if not (words(w) and all(t in known for t in words(w)))
            and not (w.isupper() and len(w) <= 4)  # acronyms: SAP, UAT, CRM
        ]
        if kept:
            names.append(" ".join(kept))
    return list(dict.fromkeys(names))


def _role_name(m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    qualifier = (m.group("qualifier") or "").strip().lower()
    return f"{qualifier} {m.group('noun').lower()}".strip()


def _seniority(m: re.Match[str] | None) -> str | None:
    if m is None or not m.group("seniority"):
        return None
    s = m.group("seniority").lower().rstrip(".")
    return {"sr": "senior", "mid-level": "mid"}.get(s, s)


def _hours_per_week(text: str) -> float | None:
    if m := _HOURS_PER_WEEK.search(text):
        return float(m.group(1))
    if m := _DAYS_PER_WEEK.search(text):
        return float(m.group(1)) * 8
    if re.search(r"\bfull[- ]time\b", text, re.IGNORECASE):
        return 40.0
    if re.search(r"\b(part[- ]time|half[- ]time)\b", text, re.IGNORECASE):
        return 20.0
    return None


def _hours_estimate(text: str) -> float | None:
    if m := _HOURS_TOTAL.search(text):
        return float(m.group(1).replace(",", ""))
    if m := _PERSON_DAYS.search(text):
        return float(m.group(1)) * 8
    return None
