"""Import consultants with their skills and certifications, upserted by ``external_id``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload

from domain.importers.reading import read_source
from domain.importers.records import CertificationEntry, ConsultantRecord, SkillEntry
from domain.importers.report import Counts, ImportRejected, ImportReport, Problem
from domain.importers.store import apply, load_in, merge_by_name, writing
from domain.importers.validation import Parsed, repeated, repeated_names, validate_rows
from domain.tables import Certification, Consultant, ConsultantSkill, Skill

KIND = "consultants"
SCALARS = (
    "name",
    "email",
    "role_level",
    "title",
    "practice",
    "region",
    "timezone",
    "languages",
    "cost_rate",
    "bill_rate",
    "weekly_capacity_hours",
    "utilization_target",
)
CERT_FIELDS = ("name", "issuer", "issued_on", "expires_on")


def import_consultants(session: Session, path: Path) -> ImportReport:
    """Validate every row of ``path``, then create or update its consultants in one savepoint.

    Raises ImportRejected (nothing stored) when any row has a problem.
    """
    source = read_source(path)
    parsed, problems = validate_rows(source, ConsultantRecord, KIND)
    problems += repeated(source, "external_id")
    problems += repeated(source, "email", fold_case=True)
    problems += [q for p in parsed for q in _repeated_entries(p)]
    ids = [p.record.external_id for p in parsed]
    existing = {
        c.external_id: c for c in load_in(session, select(Consultant), Consultant.external_id, ids)
    }
    # Only the owner of each address matters here, not its skills and certifications.
    owners = select(Consultant).options(lazyload("*"))
    holders = {
        c.email: c
        for c in load_in(session, owners, Consultant.email, (p.record.email for p in parsed))
    }
    problems += _emails_held_elsewhere(parsed, holders, set(ids))
    if problems:
        raise ImportRejected(source.name, problems)

    report = ImportReport(KIND, source.name, len(parsed))
    counts = report.count(KIND)
    with writing(session, source.name):
        skills = _skills(session, parsed, report.count("skills"))
        _release_moving_emails(session, parsed, existing)
        for p in parsed:
            rec = p.record
            consultant = existing.get(rec.external_id)
            if consultant is None:
                consultant = Consultant(
                    external_id=rec.external_id, **rec.values(SCALARS, given_only=False)
                )
                consultant.skills = _skill_links(consultant, rec.skills, skills)
                consultant.certifications = _certifications(consultant, rec.certifications)
                session.add(consultant)
                counts.add("created")
                continue
            changed = apply(consultant, rec.values(SCALARS, given_only=True))
            if rec.gave("skills"):
                changed |= _replace_skills(consultant, rec.skills, skills)
            if rec.gave("certifications"):
                changed |= _replace_certifications(consultant, rec.certifications)
            counts.add("updated" if changed else "unchanged")
    return report


def _repeated_entries(p: Parsed[ConsultantRecord]) -> list[Problem]:
    skills = [e.name for e in p.record.skills]
    certifications = [e.name for e in p.record.certifications]
    return repeated_names(p.row, "skills", skills) + repeated_names(
        p.row, "certifications", certifications
    )


def _emails_held_elsewhere(
    parsed: list[Parsed[ConsultantRecord]], holders: dict[str, Consultant], ids: set[str]
) -> list[Problem]:
    # A holder that is itself in the file gives its address up in the same import (a swap).
    return [
        Problem(p.row, "email", f"already belongs to consultant {holder.external_id}")
        for p in parsed
        if (holder := holders.get(p.record.email)) is not None
        and holder.external_id != p.record.external_id
        and holder.external_id not in ids
    ]


def _release_moving_emails(
    session: Session, parsed: list[Parsed[ConsultantRecord]], existing: dict[str, Consultant]
) -> None:
    """When consultants trade addresses, park the old ones first: the unique index is checked
    row by row, so the second UPDATE of a swap would otherwise collide with the first."""
    wanted = {p.record.external_id: p.record.email for p in parsed}
    taken = set(wanted.values())
    parked = [c for xid, c in existing.items() if c.email != wanted[xid] and c.email in taken]
    for c in parked:
        c.email = f"moving-{c.id}@import.invalid"
    if parked:
        session.flush()


def _skills(
    session: Session, parsed: list[Parsed[ConsultantRecord]], counts: Counts
) -> dict[str, Skill]:
    """Every skill the file names, by lower-cased name; new ones are created once."""
    named: dict[str, str] = {}
    for p in parsed:
        for entry in p.record.skills:
            named.setdefault(entry.name.lower(), entry.name)
    known = {
        s.name.lower(): s for s in load_in(session, select(Skill), func.lower(Skill.name), named)
    }
    for key, name in named.items():
        if key in known:
            counts.add("unchanged")
            continue
        known[key] = Skill(name=name)
        session.add(known[key])
        counts.add("created")
    return known


def _skill_links(
    consultant: Consultant, entries: Sequence[SkillEntry], skills: dict[str, Skill]
) -> list[ConsultantSkill]:
    return [
        ConsultantSkill(
            consultant=consultant,
            skill=skills[e.name.lower()],
            proficiency=e.proficiency,
            years=e.years,
        )
        for e in entries
    ]


def _replace_skills(
    consultant: Consultant, entries: Sequence[SkillEntry], skills: dict[str, Skill]
) -> bool:
    # Update links in place rather than delete and re-insert: both would carry the same
    # (consultant_id, skill_id) primary key within one flush.
    wanted = merge_by_name(
        consultant.skills,
        lambda link: link.skill.name,
        entries,
        lambda e: _skill_links(consultant, [e], skills)[0],
        lambda e: {"proficiency": e.proficiency, "years": e.years},
    )
    if wanted is None:
        return False
    consultant.skills = wanted
    return True


def _certifications(
    consultant: Consultant, entries: Sequence[CertificationEntry]
) -> list[Certification]:
    return [
        Certification(consultant=consultant, **e.values(CERT_FIELDS, given_only=False))
        for e in entries
    ]


def _replace_certifications(consultant: Consultant, entries: Sequence[CertificationEntry]) -> bool:
    wanted = merge_by_name(
        consultant.certifications,
        lambda c: c.name,
        entries,
        lambda e: _certifications(consultant, [e])[0],
        lambda e: e.values(CERT_FIELDS, given_only=False),
    )
    if wanted is None:
        return False
    consultant.certifications = wanted
    return True
