"""Seed the demo firm into a database: generate it in memory, then insert it in batches."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from app.demo.build import DemoData, Row, build_demo
from app.demo.users import DEMO_EMAILS, DemoUserKey, create_demo_users
from domain.errors import Conflict, InvalidInput
from domain.tables import Base, Client, Consultant, Project, Skill, User

if TYPE_CHECKING:
    from app.settings import Settings

Progress = Callable[[str, int, int], None]
BATCH_ROWS = 5_000
# Generation reports four steps, insertion the rest.
STEPS = 4 + 5


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    as_of: date
    scale: float
    counts: dict[str, int]  # rows inserted per table
    closed_projects: int
    overrun_share: float  # of closed projects: actual hours > 1.1 x (budget + approved changes)
    users: tuple[DemoUserKey, ...]
    seconds: float

    @property
    def keys(self) -> dict[str, str]:
        """Plaintext API key per demo user email (shown once; only hashes are stored)."""
        return {u.email: u.key for u in self.users}


def existing_firm(session: Session) -> dict[str, int]:
    """Rows that would clash with a demo seed; empty when the database is free for one."""
    found = {
        "consultants": session.scalar(select(func.count()).select_from(Consultant)) or 0,
        "clients": session.scalar(select(func.count()).select_from(Client)) or 0,
        "projects": session.scalar(select(func.count()).select_from(Project)) or 0,
        "demo users": session.scalar(
            select(func.count()).select_from(User).where(User.email.in_(DEMO_EMAILS))
        )
        or 0,
    }
    return {k: v for k, v in found.items() if v}


def seed_demo(
    session: Session,
    *,
    seed: int = 7,
    as_of: date | None = None,
    scale: float = 1.0,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty database with the demo firm and its users; flushes, the caller commits.

    The same ``seed``, ``as_of`` and ``scale`` always give the same firm (API keys excepted:
    they are secrets). ``scale`` shrinks the firm for quick trials and tests; 1.0 is about
    300 consultants. Raises ``Conflict`` if the database already holds a firm.
    """
    if not 0.05 <= scale <= 2.0:
        raise InvalidInput(f"scale must be between 0.05 and 2.0, not {scale}")
    if seed < 0:
        raise InvalidInput(f"seed must be zero or positive, not {seed}")
    found = existing_firm(session)
    if found:
        listed = ", ".join(f"{n} {what}" for what, n in found.items())
        raise Conflict(
            f"The database already holds a firm ({listed}); the demo firm is only seeded into "
            "an empty database.",
            extra=found,
        )
    started = time.perf_counter()
    as_of = as_of or date.today()
    step = _Stepper(progress)
    data = build_demo(seed, as_of, scale, lambda label, _n, _total: step(label))
    counts = _insert(session, data, step)
    step("creating demo users and keys")
    users = tuple(create_demo_users(session))
    counts["users"] = len(users)
    closed, share = overrun_share(data.projects, data.change_requests)
    return DemoSummary(
        seed=seed,
        as_of=as_of,
        scale=scale,
        counts=counts,
        closed_projects=closed,
        overrun_share=share,
        users=users,
        seconds=time.perf_counter() - started,
    )


def seed_demo_cli(
    settings: Settings,
    *,
    seed: int = 7,
    as_of: date | None = None,
    scale: float = 1.0,
    echo: Callable[[str], None] = print,
) -> DemoSummary:
    """Seed the database ``settings`` points at, write the keys file, report what was made.

    What ``opscopilot seed-demo`` and ``opscopilot bootstrap`` run: one transaction, then the
    demo users' keys in ``<data_dir>/demo-keys.json``. Raises ``Conflict`` when the database
    already holds a firm.
    """
    from app.demo.report import KEYS_FILE, summary_lines, write_keys_file
    from app.runtime import open_runtime
    from domain.db import unit_of_work

    runtime = open_runtime(settings)
    try:
        with unit_of_work(runtime.sessions) as session:
            summary = seed_demo(
                session,
                seed=seed,
                as_of=as_of,
                scale=scale,
                progress=lambda label, step, total: echo(f"seeding: {label} ({step}/{total})"),
            )
    finally:
        runtime.engine.dispose()
    # Written only once committed: keys for users that do not exist would only confuse.
    keys_file = settings.data_dir / KEYS_FILE
    write_keys_file(keys_file, summary)
    for line in summary_lines(summary, keys_file):
        echo(line)
    return summary


def overrun_share(projects: Sequence[Row], change_requests: Sequence[Row]) -> tuple[int, float]:
    """Closed projects, and the share that overran (actual > 1.1 x budget incl. approved changes)."""
    approved: dict[str, float] = {}
    for cr in change_requests:
        if cr["status"] == "approved":
            approved[cr["project_key"]] = approved.get(cr["project_key"], 0.0) + cr["hours"]
    closed = [p for p in projects if p["status"] == "closed"]
    over = sum(
        1
        for p in closed
        if p["actual_hours"] > 1.1 * (p["budget_hours"] + approved.get(p["external_id"], 0.0))
    )
    return len(closed), (over / len(closed) if closed else 0.0)


class _Stepper:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.done = 0

    def __call__(self, label: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(label, self.done, STEPS)


def _insert(session: Session, data: DemoData, step: _Stepper) -> dict[str, int]:
    step("inserting consultants and skills")
    skill_ids = _skill_ids(session, data.skills)
    consultants = _insert_returning(session, "consultants", data.consultants)
    _insert_many(
        session,
        "consultant_skills",
        [
            {
                "consultant_id": consultants[r["consultant_key"]],
                "skill_id": skill_ids[r["skill_name"]],
                "proficiency": r["proficiency"],
                "years": r["years"],
            }
            for r in data.consultant_skills
        ],
    )
    _insert_many(session, "certifications", _resolve(data.certifications, consultants=consultants))

    step("inserting clients, projects and assignments")
    clients = _insert_returning(session, "clients", data.clients)
    project_rows = [
        {**_without(r, "client_key"), "client_id": clients[r["client_key"]]} for r in data.projects
    ]
    projects = _insert_returning(session, "projects", project_rows)
    _insert_many(session, "milestones", _resolve(data.milestones, projects=projects))
    _insert_many(
        session,
        "assignments",
        _resolve(data.assignments, projects=projects, consultants=consultants),
    )

    step("inserting time entries")
    _insert_many(
        session,
        "time_entries",
        _resolve(data.time_entries, projects=projects, consultants=consultants),
    )

    step("inserting status notes, change requests and the inbox")
    _insert_many(session, "status_notes", _resolve(data.status_notes, projects=projects))
    _insert_many(session, "change_requests", _resolve(data.change_requests, projects=projects))
    _insert_many(session, "incoming_requests", _resolve(data.incoming_requests, projects=projects))
    session.flush()
    return {f.name: len(getattr(data, f.name)) for f in fields(data)}


def _skill_ids(session: Session, skills: list[Row]) -> dict[str, int]:
    # Skills are a shared vocabulary: reuse any that an import already created.
    known = {name: id_ for id_, name in session.execute(select(Skill.id, Skill.name))}
    missing = [r for r in skills if r["name"] not in known]
    if missing:
        table = _table("skills")
        result = session.execute(insert(table).returning(table.c.id, table.c.name), missing)
        known.update({name: id_ for id_, name in result})
    return known


def _table(name: str) -> Table:
    # Core inserts: the ORM's per-object bookkeeping is wasted on tens of thousands of rows.
    return Base.metadata.tables[name]


def _insert_returning(session: Session, name: str, rows: list[Row]) -> dict[str, int]:
    """Insert rows and map each one's external id to its new primary key."""
    table = _table(name)
    ids: dict[str, int] = {}
    for chunk in _chunks(rows):
        result = session.execute(insert(table).returning(table.c.id, table.c.external_id), chunk)
        ids.update({external_id: id_ for id_, external_id in result})
    return ids


def _insert_many(session: Session, name: str, rows: list[Row]) -> None:
    table = _table(name)
    for chunk in _chunks(rows):
        session.execute(insert(table), chunk)


def _chunks(rows: list[Row]) -> list[list[Row]]:
    return [rows[i : i + BATCH_ROWS] for i in range(0, len(rows), BATCH_ROWS)]


def _without(row: Row, *keys: str) -> Row:
    return {k: v for k, v in row.items() if k not in keys}


def _resolve(
    rows: list[Row],
    *,
    projects: dict[str, int] | None = None,
    consultants: dict[str, int] | None = None,
) -> list[Row]:
    """Swap the external-id references the generator uses for database ids."""
    out = []
    for r in rows:
        new = _without(r, "project_key", "consultant_key")
        if projects is not None:
            key = r.get("project_key")
            new["project_id"] = projects[key] if key is not None else None
        if consultants is not None:
            new["consultant_id"] = consultants[r["consultant_key"]]
        out.append(new)
    return out
