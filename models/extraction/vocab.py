"""Skills (from the firm's skills table, with common aliases) and roles with seniority."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Alias -> skill names it may stand for; an alias is used only if one of them is in the
# firm's vocabulary.
SKILL_ALIASES: dict[str, tuple[str, ...]] = {
    "adf": ("azure data factory",),
    "k8s": ("kubernetes",),
    "pbi": ("power bi",),
    "powerbi": ("power bi",),
    "sfdc": ("salesforce",),
    "d365": ("dynamics 365", "microsoft dynamics 365"),
    "gcp": ("google cloud", "google cloud platform"),
    "aws": ("amazon web services",),
    "amazon web services": ("aws",),
    "postgres": ("postgresql",),
    "js": ("javascript",),
    "ts": ("typescript",),
    "reactjs": ("react",),
    "react.js": ("react",),
    "nodejs": ("node.js",),
    "dotnet": (".net",),
    "golang": ("go",),
    "dbx": ("databricks",),
    "ml": ("machine learning",),
    "s/4": ("sap s/4hana",),
    "s4hana": ("sap s/4hana",),
    "s/4hana": ("sap s/4hana",),
    "ado": ("azure devops",),
    "cicd": ("ci/cd",),
    "aad": ("azure ad", "microsoft entra id", "entra id"),
    "entra": ("microsoft entra id", "entra id", "azure ad"),
    "m365": ("microsoft 365",),
    "o365": ("microsoft 365", "office 365"),
    "synapse": ("azure synapse", "azure synapse analytics"),
    "gen ai": ("generative ai",),
    "genai": ("generative ai",),
    "llm": ("generative ai", "large language models"),
    "tableau desktop": ("tableau",),
}
# Skill names that are also everyday words: matched only as written ("Go", not "go").
_EVERYDAY = frozenset({"go", "r", "c", "access", "excel", "word", "teams", "project", "spark"})

ROLES = (
    "data engineer", "data scientist", "data analyst", "data architect", "solution architect",
    "solutions architect", "enterprise architect", "cloud architect", "technical architect",
    "security architect", "software engineer", "software developer", "full-stack developer",
    "full stack developer", "frontend developer", "front-end developer", "backend developer",
    "back-end developer", "web developer", "mobile developer", "bi developer", "bi analyst",
    "integration developer", "qa engineer", "test engineer", "test lead", "test manager",
    "tester", "business analyst", "project manager", "programme manager", "program manager",
    "delivery manager", "engagement manager", "scrum master", "product owner",
    "product manager", "devops engineer", "platform engineer", "site reliability engineer",
    "security consultant", "security engineer", "ux designer", "ui designer", "ux researcher",
    "functional consultant", "technical consultant", "tech lead", "technical lead",
    "team lead", "release manager", "change manager", "trainer", "machine learning engineer",
    "ml engineer", "dba", "database administrator", "support engineer", "pmo analyst",
    "developer", "architect", "designer",
)  # fmt: skip
SENIORITY = {
    "junior": "junior", "jr": "junior", "graduate": "junior", "mid": "mid", "mid-level": "mid",
    "senior": "senior", "sr": "senior", "lead": "lead", "principal": "principal",
    "staff": "staff", "head": "head",
}  # fmt: skip
_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_BEFORE = r"(?<![\w.#+/])"
_AFTER = r"(?![\w#+]|-\w)"


def _key(name: str) -> str:
    """Spacing and hyphens do not matter: "Power-BI" and "power  bi" are the same key."""
    return " ".join(name.replace("-", " ").split())


def _alternation(names: Iterable[str]) -> str:
    # Longest first, so "Azure Data Factory" wins over "Azure".
    ordered = sorted(set(names), key=len, reverse=True)
    return "|".join(r"[\s-]+".join(re.escape(p) for p in n.split()) for n in ordered)


class SkillMatcher:
    """Finds the firm's skills in a text: exact names, aliases, and acronyms of long names."""

    def __init__(self, skills: Iterable[str]) -> None:
        canonical = {_key(s).lower(): s for s in skills}
        # Case-insensitive keys (lowercase) and as-written keys (short or everyday names).
        loose: dict[str, str] = {}
        strict: dict[str, str] = {}
        for low, name in canonical.items():
            if len(low) <= 2 or low in _EVERYDAY:
                strict[_key(name)] = name
            else:
                loose[low] = name
            words = name.split()
            if len(words) >= 3:  # "Azure Data Factory" -> "ADF", only in capitals
                strict.setdefault("".join(w[0] for w in words).upper(), name)
        for alias, targets in SKILL_ALIASES.items():
            target = next((canonical[t] for t in targets if t in canonical), None)
            if target is not None and alias not in canonical:
                loose.setdefault(alias, target)
        self._loose = loose
        self._strict = strict
        self._loose_re = (
            re.compile(f"{_BEFORE}(?:{_alternation(loose)}){_AFTER}", re.IGNORECASE)
            if loose
            else None
        )
        self._strict_re = (
            re.compile(f"{_BEFORE}(?:{_alternation(strict)}){_AFTER}") if strict else None
        )

    def find(self, text: str) -> list[str]:
        """Skill names in order of first mention, each once."""
        hits: list[tuple[int, str]] = []
        if self._loose_re is not None:
            hits += [
                (m.start(), self._loose[_key(m.group(0)).lower()])
                for m in self._loose_re.finditer(text)
            ]
        if self._strict_re is not None:
            hits += [
                (m.start(), self._strict[_key(m.group(0))]) for m in self._strict_re.finditer(text)
            ]
        out: list[str] = []
        for _, name in sorted(hits):
            if name not in out:
                out.append(name)
        return out


@dataclass(frozen=True)
class RoleMention:
    role: str
    seniority: str | None
    count: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "seniority": self.seniority, "count": self.count}


class RoleMatcher:
    """Finds roles ("senior data engineer", "two testers") with seniority and headcount."""

    def __init__(self, titles: Iterable[str] = ()) -> None:
        roles = {r.lower() for r in ROLES}
        for title in titles:
            words = [w for w in title.lower().split() if w.strip(".") not in SENIORITY]
            if words:
                roles.add(" ".join(words))
        sen = "|".join(sorted((re.escape(s) for s in SENIORITY), key=len, reverse=True))
        # Up to two words may sit between a seniority and its role ("senior Azure data
        # engineer"), but not an article or another seniority: in "staff a senior data
        # engineer", "staff" is the verb and "senior" the level.
        filler = rf"(?!(?:a|an|the|{sen})\b)[\w/+#.-]+\s+"
        self._re = re.compile(
            rf"\b(?:(?P<sen>{sen})\.?\s+(?:{filler}){{0,2}}?)?"
            rf"(?P<role>{_alternation(_key(r) for r in roles)})(?:e?s)?\b",
            re.IGNORECASE,
        )

    def blank(self, text: str) -> str:
        """``text`` with role phrases replaced by spaces: the "data" of "data engineer" says
        nothing about which project is meant."""
        return self._re.sub(lambda m: " " * len(m.group(0)), text)

    def find(self, text: str) -> list[RoleMention]:
        out: list[RoleMention] = []
        for m in self._re.finditer(text):
            role = _key(m.group("role")).lower()
            sen = SENIORITY.get(m.group("sen").lower()) if m.group("sen") else None
            before = re.findall(r"[\w]+", text[max(0, m.start() - 25) : m.start()].lower())[-3:]
            count = next(
                (
                    int(w) if w.isdigit() else _COUNT_WORDS[w]
                    for w in before
                    if w.isdigit() or w in _COUNT_WORDS
                ),
                None,
            )
            mention = RoleMention(role, sen, count)
            if mention not in out:
                out.append(mention)
        return out
