"""The consultants: who they are, where they sit, what they cost, what they know."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.demo.geography import CULTURES, HOME_OFFICES, REGIONS, Region
from app.demo.timeline import Timeline, stream
from app.demo.vocabulary import (
    CERTIFICATIONS,
    GENERAL_SKILLS,
    INDUSTRY_SKILLS,
    LEADERSHIP_CERTIFICATIONS,
    LEADERSHIP_SKILLS,
    LEVELS,
    PRACTICES,
    SKILL_SINCE,
    TRACKS,
    Level,
    Track,
)

EMAIL_DOMAIN = "opscopilot-demo.com"
FULL_SCALE_HEADCOUNT = 300

# Practices whose skills the market pays more for.
PRACTICE_PREMIUM: dict[str, float] = {
    "Data & AI": 1.05,
    "Cloud & Infrastructure": 1.03,
    "Enterprise Applications": 1.08,
    "Digital Experience": 1.0,
    "Strategy & Transformation": 1.06,
}
EXTRA_LANGUAGES = ("Spanish", "French", "German", "Portuguese", "Italian", "Mandarin")


@dataclass(frozen=True)
class SkillHolding:
    name: str
    proficiency: int
    years: float


@dataclass(frozen=True)
class CertificationHolding:
    name: str
    issuer: str
    issued_on: date
    expires_on: date | None


@dataclass
class Person:
    index: int
    external_id: str
    name: str
    first_name: str  # given names can hold a space ("Wei Ling"), so it is not split from name
    email: str
    level_index: int
    practice: str
    track: Track
    region: str
    timezone: str
    languages: list[str]
    cost_rate: float
    bill_rate: float
    capacity: float
    utilization_target: float
    experience_years: float
    leave_week: int | None = None  # left the firm that week; not staffed after it
    skills: list[SkillHolding] = field(default_factory=list)
    certifications: list[CertificationHolding] = field(default_factory=list)

    @property
    def level(self) -> Level:
        return LEVELS[self.level_index]

    @property
    def title(self) -> str:
        if self.level_index >= 5:  # directors and partners lead a practice area, not a craft
            return f"{self.level.title}, {self.practice}"
        return f"{self.level.title}, {self.track.specialism}"


def quota(total: int, shares: dict[str, float]) -> list[str]:
    """``total`` labels split by ``shares`` with largest remainders, so small firms keep the mix."""
    raw = {k: total * s / sum(shares.values()) for k, s in shares.items()}
    counts = {k: int(v) for k, v in raw.items()}
    short = total - sum(counts.values())
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[:short]:
        counts[k] += 1
    return [k for k, n in counts.items() for _ in range(n)]


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == " ").replace(" ", "")


def _office(rng: random.Random, region: Region, culture: str) -> str:
    offices = [o.timezone for o, _ in region.offices]
    home = [tz for tz in HOME_OFFICES.get(culture, ()) if tz in offices]
    if home and rng.random() < 0.85:
        return rng.choice(home)
    return rng.choices(offices, [w for _, w in region.offices])[0]


def _languages(rng: random.Random, region: Region, culture: str, timezone: str) -> list[str]:
    office_language = next(o.language for o, _ in region.offices if o.timezone == timezone)
    heritage = CULTURES[culture].languages
    langs: list[str] = []
    at_home = timezone in HOME_OFFICES.get(culture, ())
    if heritage and (office_language in heritage or rng.random() < (0.9 if at_home else 0.5)):
        langs.append(office_language if office_language in heritage else rng.choice(heritage))
    langs += [office_language, "English"]
    if rng.random() < 0.15:
        langs.append(rng.choice(EXTRA_LANGUAGES))
    return list(dict.fromkeys(langs))


def _skills(rng: random.Random, person: Person, as_of: date) -> list[SkillHolding]:
    level = person.level
    track = person.track
    # Earlier core skills are the track's bread and butter, so they are likelier to be held.
    core = _weighted_sample(rng, track.core, rng.randint(4, min(7, len(track.core))))
    adjacent = rng.sample(track.adjacent, rng.randint(1, min(4, len(track.adjacent))))
    general = rng.sample(GENERAL_SKILLS, rng.randint(0, 2))
    leadership = rng.sample(LEADERSHIP_SKILLS, rng.randint(1, 3)) if person.level_index >= 3 else []
    industry = rng.sample(
        INDUSTRY_SKILLS, rng.choice((0, 1, 1, 2)) if person.experience_years > 3 else 0
    )

    # (skills, proficiency relative to the level's, share of the career spent using them)
    groups: list[tuple[list[str], float, tuple[float, float]]] = [
        (core, 0.0, (0.45, 1.0)),
        (leadership, 0.2, (0.3, 0.7)),
        (adjacent, -0.9, (0.15, 0.6)),
        (general, -0.5, (0.2, 0.8)),
        (industry, -0.4, (0.3, 0.9)),
    ]
    chosen: dict[str, tuple[float, float]] = {}  # name -> (proficiency mean, share of career)
    for names, offset, career in groups:
        for name in names:
            if name not in chosen:
                chosen[name] = (level.proficiency + offset, rng.uniform(*career))
    holdings: list[SkillHolding] = []
    for name, (mean, share) in list(chosen.items())[:15]:
        years = person.experience_years * share
        if name in SKILL_SINCE:
            years = min(years, max(0.5, as_of.year - SKILL_SINCE[name] + rng.uniform(-0.5, 0.5)))
        years = max(0.5, round(years * 2) / 2)
        proficiency = round(rng.gauss(mean, 0.6))
        # Nobody is an expert in something they have used for a year.
        proficiency = max(1, min(5, proficiency, 2 + int(years)))
        holdings.append(SkillHolding(name, proficiency, years))
    return holdings


def _weighted_sample(rng: random.Random, items: tuple[str, ...], k: int) -> list[str]:
    pool = list(items)
    weights = [1.0 / (1 + 0.25 * i) for i in range(len(pool))]
    picked: list[str] = []
    for _ in range(k):
        i = rng.choices(range(len(pool)), weights)[0]
        picked.append(pool.pop(i))
        weights.pop(i)
    return picked


def _certifications(rng: random.Random, person: Person, as_of: date) -> list[CertificationHolding]:
    pool = list(person.track.certifications)
    if person.level_index >= 3 and rng.random() < 0.45:
        pool.append(rng.choice(LEADERSHIP_CERTIFICATIONS))
    wanted = min(len(pool), rng.choice((0, 1, 1, 2, 2, 3)) + (person.level_index >= 2))
    held: list[CertificationHolding] = []
    for name in rng.sample(pool, wanted):
        issuer, valid_years, since = CERTIFICATIONS[name]
        earliest = max(
            date(since, 1, 1), as_of - timedelta(days=int(person.experience_years * 365))
        )
        latest = as_of - timedelta(days=20)
        if earliest >= latest:
            continue
        if valid_years is not None and rng.random() < 0.62:
            # Kept current: renewed within its validity window.
            earliest = max(earliest, as_of - timedelta(days=365 * valid_years - 30))
        issued = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
        expires = None if valid_years is None else _add_years(issued, valid_years)
        held.append(CertificationHolding(name, issuer, issued, expires))
    return held


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def generate_people(seed: int, timeline: Timeline, scale: float) -> list[Person]:
    rng = stream(seed, "people")
    total = max(25, round(FULL_SCALE_HEADCOUNT * scale))
    practices = quota(total, PRACTICES)
    rng.shuffle(practices)
    level_shares = {str(i): lv.share for i, lv in enumerate(LEVELS)}
    levels_by_practice = {}
    for practice in PRACTICES:
        labels = quota(practices.count(practice), level_shares)
        rng.shuffle(labels)
        levels_by_practice[practice] = labels
    tracks_by_practice = {}
    for practice in PRACTICES:
        shares = {t.key: t.share for t in TRACKS if t.practice == practice}
        labels = quota(practices.count(practice), shares)
        rng.shuffle(labels)
        tracks_by_practice[practice] = labels
    region_names = list(REGIONS)
    region_weights = [REGIONS[r].headcount_share for r in region_names]
    track_by_key = {t.key: t for t in TRACKS}

    people: list[Person] = []
    seen_names: set[str] = set()
    seen_emails: set[str] = set()
    for i, practice in enumerate(practices):
        region = REGIONS[rng.choices(region_names, region_weights)[0]]
        culture_key = _pick(rng, region.cultures)
        culture = CULTURES[culture_key]
        for _ in range(20):
            first, last = rng.choice(culture.first_names), rng.choice(culture.last_names)
            if f"{first} {last}" not in seen_names:
                break
        name = f"{first} {last}"
        seen_names.add(name)
        local = f"{_ascii(first)}.{_ascii(last)}"
        email, n = f"{local}@{EMAIL_DOMAIN}", 2
        while email in seen_emails:
            email, n = f"{local}{n}@{EMAIL_DOMAIN}", n + 1
        seen_emails.add(email)

        level_index = int(levels_by_practice[practice].pop())
        level = LEVELS[level_index]
        track = track_by_key[tracks_by_practice[practice].pop()]
        timezone = _office(rng, region, culture_key)
        capacity = rng.choices((40.0, 32.0, 24.0), (0.91, 0.06, 0.03))[0]
        premium = PRACTICE_PREMIUM[practice]
        person = Person(
            index=i,
            external_id=f"C{i + 1:04d}",
            name=name,
            first_name=first,
            email=email,
            level_index=level_index,
            practice=practice,
            track=track,
            region=region.name,
            timezone=timezone,
            languages=_languages(rng, region, culture_key, timezone),
            cost_rate=round(level.cost_rate * region.cost_factor * rng.lognormvariate(0, 0.06)),
            bill_rate=5
            * round(
                level.bill_rate * region.bill_factor * premium * rng.lognormvariate(0, 0.05) / 5
            ),
            capacity=capacity,
            utilization_target=round(
                min(0.95, max(0.3, level.utilization_target + rng.gauss(0, 0.03))) * 20
            )
            / 20,
            experience_years=round(rng.uniform(*level.experience_years), 1),
        )
        person.skills = _skills(rng, person, timeline.as_of)
        person.certifications = _certifications(rng, person, timeline.as_of)
        people.append(person)

    # A few people have left the firm: their history stays, they are not staffed after leaving.
    leavers = rng.sample([p for p in people if p.level_index < 6], max(1, round(total * 0.04)))
    for p in leavers:
        p.leave_week = rng.randint(30, timeline.as_of_week - 4)
    return people
