"""Skills (from the firm's skills table, with common aliases) and roles with seniority."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from models.extraction.english import english_words, is_ordinary_english

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
    "spark": ("apache spark",),
    "azure": ("microsoft azure",),
    "kafka": ("apache kafka",),
}
# Skill names that are also everyday words: as written ("Go", "Spark") they are skills; in
# lowercase only where the text is plainly naming skills (``SkillMatcher._everyday_hits``).
_EVERYDAY = frozenset(
    {"go", "r", "c", "access", "excel", "word", "teams", "project", "spark", "azure"}
)
# Those of them that after "with" or "in" are nearly always the tool ("a DE with spark"),
# unlike "someone with access", "sync with teams", "hours in project X".
_TOOL_WORDS = frozenset({"go", "excel", "spark", "azure"})
_JOINER = r"(?:\s*[,+&/]\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+)"
_JOINER_BEFORE = re.compile(_JOINER + r"\Z", re.IGNORECASE)
_JOINER_AFTER = re.compile(_JOINER, re.IGNORECASE)
_TOOL_CUE_BEFORE = re.compile(r"\b(?:with|w/|in|knows?|using)\s+\Z", re.IGNORECASE)
_ROLE_NOUNS = r"(?:developers?|devs?|engineers?|architects?|consultants?|experts?|specialists?)\b"
_ROLE_NOUN_AFTER = re.compile(r"\s+" + _ROLE_NOUNS, re.IGNORECASE)
# A following word that makes a phrase of the everyday word ("a spark of", "access to prod",
# "project management"); joiners, prepositions and role nouns do not.
_PHRASE_AFTER = re.compile(
    r"\s+(?!(?:and|or|for|on|at|in|from|with|by|please|asap)\b|" + _ROLE_NOUNS + r")[a-z]",
    re.IGNORECASE,
)

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
# Shortened role words, in any case ("sr data eng"), and abbreviations, only in capitals: "de",
# "pm" and "ba" are words or times in other places.
ROLE_SHORTHANDS = {"data eng": "data engineer"}
ROLE_ABBREVIATIONS = {
    "DE": "data engineer", "PM": "project manager", "BA": "business analyst", "QA": "qa engineer",
}  # fmt: skip
# Not "3 PM" or "10:30 PM" (a plural "2 PMs" is people), not "PM me", not "PMO" or "PMS";
# not the country or language in "based in DE", "DE/AT", "DE and EN".
_ABBREVIATION = (
    r"(?-i:(?:BA|QA|PM(?=s)|(?<!\d)(?<!\d\s)PM(?!\s+me\b)"
    r"|(?<!\bin\s)(?<!\bfrom\s)(?<![A-Z]{2}/)DE(?!\s*(?:/|,|and|&)\s*[A-Z]{2}\b))(?![A-Z]))"
)
SENIORITY = {
    "junior": "junior", "jr": "junior", "graduate": "junior", "mid": "mid", "mid-level": "mid",
    "senior": "senior", "sr": "senior", "snr": "senior", "lead": "lead",
    "principal": "principal", "staff": "staff", "head": "head",
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
        everyday: dict[str, str] = {}  # lowercase, matched where skills are being named
        for low, name in canonical.items():
            if len(low) <= 2 or low in _EVERYDAY:
                strict[_key(name)] = name
            else:
                loose[low] = name
            if low in _EVERYDAY:
                everyday[low] = name
            words = name.split()
            if len(words) >= 3:  # "Azure Data Factory" -> "ADF", only in capitals
                strict.setdefault("".join(w[0] for w in words).upper(), name)
        for alias, targets in SKILL_ALIASES.items():
            target = next((canonical[t] for t in targets if t in canonical), None)
            if target is None or alias in canonical:
                continue
            if alias in _EVERYDAY:  # "Spark" for "Apache Spark", but not "a spark of"
                strict.setdefault(alias.capitalize(), target)
                everyday.setdefault(alias, target)
            else:
                loose.setdefault(alias, target)
        self._loose = loose
        self._strict = strict
        self._everyday = everyday
        self._loose_re = (
            re.compile(f"{_BEFORE}(?:{_alternation(loose)}){_AFTER}", re.IGNORECASE)
            if loose
            else None
        )
        self._strict_re = (
            re.compile(f"{_BEFORE}(?:{_alternation(strict)}){_AFTER}") if strict else None
        )
        self._everyday_re = (  # "spark/azure", "spark+azure" too: a joiner is context here
            re.compile(rf"(?<![\w.#])(?:{_alternation(everyday)}){_AFTER}", re.IGNORECASE)
            if everyday
            else None
        )

    def find(self, text: str) -> list[str]:
        """Skill names in order of first mention, each once."""
        hits: list[tuple[int, int, str]] = []
        if self._loose_re is not None:
            hits += [
                (m.start(), m.end(), self._loose[_key(m.group(0)).lower()])
                for m in self._loose_re.finditer(text)
            ]
        if self._strict_re is not None:
            hits += [
                (m.start(), m.end(), self._strict[_key(m.group(0))])
                for m in self._strict_re.finditer(text)
            ]
        if self._everyday_re is not None:
            hits += self._everyday_hits(text, self._everyday_re, hits)
        out: list[str] = []
        reach = 0
        # Longest first at each place: "Azure" inside "Azure Data Factory" is not a second skill.
        for start, end, name in sorted(hits, key=lambda h: (h[0], h[0] - h[1])):
            if start < reach:
                continue
            reach = end
            if name not in out:
                out.append(name)
        return out

    def _everyday_hits(
        self, text: str, pattern: re.Pattern[str], hits: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """Everyday words ("spark", "go", "access") that ``text`` names as skills.

        Such a word counts where skills are plainly being listed: joined by ",", "+", "/",
        "&", "and" or "or" to another skill ("spark + azure", "python, r and go"); and, for
        the words that are seldom anything else there (``_TOOL_WORDS``), right after "with",
        "w/", "in", "knows", "using" or before a role noun ("an azure architect"). Either way
        no word that starts a phrase of its own may follow: "a spark of interest", "access
        to prod", "project management" stay out.
        """
        spans = [(s, e) for s, e, _ in hits]
        waiting = [
            m
            for m in pattern.finditer(text)
            if not any(m.start() < e and s < m.end() for s, e in spans)
            and not _PHRASE_AFTER.match(text, m.end())
        ]
        found: list[tuple[int, int, str]] = []
        grew = True
        while grew:  # "with spark, go and azure": each word joins the one listed before it
            grew = False
            for m in list(waiting):
                word = _key(m.group(0)).lower()
                listed = self._joined(text, m, spans)
                cued = word in _TOOL_WORDS and (
                    _TOOL_CUE_BEFORE.search(text, 0, m.start()) is not None
                    or _ROLE_NOUN_AFTER.match(text, m.end()) is not None
                )
                if listed or cued:
                    waiting.remove(m)
                    spans.append((m.start(), m.end()))
                    found.append((m.start(), m.end(), self._everyday[word]))
                    grew = True
        return found

    @staticmethod
    def _joined(text: str, m: re.Match[str], spans: list[tuple[int, int]]) -> bool:
        before = _JOINER_BEFORE.search(text, 0, m.start())
        after = _JOINER_AFTER.match(text, m.end())
        return any(
            (before is not None and e == before.start()) or (after is not None and s == after.end())
            for s, e in spans
        )


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
        self._slips = _SlipIndex(w for r in roles for w in _key(r).split())
        roles |= set(ROLE_SHORTHANDS)
        sen = "|".join(sorted((re.escape(s) for s in SENIORITY), key=len, reverse=True))
        # Up to two words may sit between a seniority and its role ("senior Azure data
        # engineer"), but not an article or another seniority: in "staff a senior data
        # engineer", "staff" is the verb and "senior" the level.
        filler = rf"(?!(?:a|an|the|{sen})\b)[\w/+#.-]+\s+"
        self._re = re.compile(
            rf"\b(?:(?P<sen>{sen})\.?\s+(?:{filler}){{0,2}}?)?"
            rf"(?P<role>{_alternation(_key(r) for r in roles)}|{_ABBREVIATION})(?:e?s)?\b",
            re.IGNORECASE,
        )

    def blank(self, text: str) -> str:
        """``text`` with role phrases replaced by spaces: the "data" of "data engineer" says
        nothing about which project is meant."""
        fixed, moves = self._slips.respell(text)
        if not moves:
            return self._re.sub(lambda m: " " * len(m.group(0)), text)

        def original(at: int) -> int:  # a position in ``fixed`` -> the same one in ``text``
            return at - sum(change for where, change in moves if where < at)

        chars = list(text)
        for m in self._re.finditer(fixed):
            start, end = original(m.start()), original(m.end())
            chars[start:end] = " " * (end - start)
        return "".join(chars)

    def find(self, text: str) -> list[RoleMention]:
        """Roles mentioned in ``text``, each once, with slips in role words forgiven
        ("data enginer") and abbreviations spelled out ("senior DE")."""
        text, _ = self._slips.respell(text)
        out: list[RoleMention] = []
        for m in self._re.finditer(text):
            role = _key(m.group("role")).lower()
            role = ROLE_SHORTHANDS.get(role) or ROLE_ABBREVIATIONS.get(role.upper(), role)
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


_LONG_WORD = re.compile(r"[A-Za-z]{6,}")


class _SlipIndex:
    """One-letter slips in long role words: "enginer", "managr", "busines".

    A word of six or more letters is read as a role word when it is one letter dropped, added
    or changed away from exactly one of them, keeps its first and last letter, and is not
    itself an English word: "managed", "manages", "tested", "trainee", "charge" or "analyse"
    stay what they are. The role matcher reads the fixed text, so a fix counts only where it
    completes a role ("data enginer"; "enginer" alone is none).
    """

    def __init__(self, role_words: Iterable[str]) -> None:
        self._words = {w for w in role_words if len(w) >= 6 and w.isalpha()}
        self._english = english_words()
        self._dropped: dict[str, set[str]] = {}  # role word less one letter -> role words
        self._changed: dict[tuple[int, str], set[str]] = {}  # (where, the rest) -> role words
        for w in self._words:
            for i in range(len(w)):
                rest = w[:i] + w[i + 1 :]
                self._dropped.setdefault(rest, set()).add(w)
                self._changed.setdefault((i, rest), set()).add(w)

    def fix(self, word: str) -> str | None:
        """The role word ``word`` is a slip of, if exactly one."""
        low = word.lower()
        if low in self._words:
            return None
        near = set(self._dropped.get(low, ()))
        for i in range(len(low)):
            rest = low[:i] + low[i + 1 :]
            if rest in self._words:
                near.add(rest)
            near |= self._changed.get((i, rest), set())
        near = {w for w in near if w[0] == low[0] and w[-1] == low[-1]}
        if len(near) != 1 or is_ordinary_english(low, self._english):
            return None
        return near.pop()

    def respell(self, text: str) -> tuple[str, list[tuple[int, int]]]:
        """``text`` with slips fixed, and where each fix sits in the new text with how much
        longer it made it."""
        parts: list[str] = []
        moves: list[tuple[int, int]] = []
        last = shift = 0
        for m in _LONG_WORD.finditer(text):
            fixed = self.fix(m.group(0))
            if fixed is None:
                continue
            parts += [text[last : m.start()], fixed]
            moves.append((m.start() + shift, len(fixed) - len(m.group(0))))
            shift += len(fixed) - len(m.group(0))
            last = m.end()
        if not moves:
            return text, []
        return "".join(parts) + text[last:], moves
