"""Clients named by project and history rows: matched by name, created when new."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.importers.report import Counts, Problem
from domain.importers.store import apply, load_in
from domain.tables import Client


class NamesClient(Protocol):
    """A record naming a client: project and history rows."""

    @property
    def client(self) -> str: ...

    @property
    def client_industry(self) -> str: ...

    def gave(self, name: str) -> bool: ...


def derived_external_id(name: str) -> str:
    """``Northwind Traders`` -> ``northwind-traders``: readable, and the same on every import."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:55] or "client"


def _with_digest(name: str) -> str:
    # Only for the rare slug already held by a differently named client.
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{derived_external_id(name)}-{digest}"


@dataclass
class ClientPlan:
    existing: dict[str, Client]  # by lower-cased name
    industries: dict[str, str]  # by lower-cased name, where the file gives one
    names: dict[str, str]  # lower-cased -> spelling of the first mention
    taken_ids: set[str]
    problems: list[Problem] = field(default_factory=list)

    def clients(self, session: Session, counts: Counts) -> dict[str, Client]:
        """Every mentioned client, by lower-cased name, created or updated as the file says."""
        result: dict[str, Client] = {}
        for key, name in self.names.items():
            industry = self.industries.get(key)
            client = self.existing.get(key)
            if client is None:
                external_id = derived_external_id(name)
                if external_id in self.taken_ids:
                    external_id = _with_digest(name)
                self.taken_ids.add(external_id)
                client = Client(external_id=external_id, name=name, industry=industry or "")
                session.add(client)
                counts.add("created")
            elif industry is not None and apply(client, {"industry": industry}):
                counts.add("updated")
            else:
                counts.add("unchanged")
            result[key] = client
        return result


def plan_clients(session: Session, rows: Iterable[tuple[int, NamesClient]]) -> ClientPlan:
    """Load the clients the rows name in one pass; flag rows that disagree on an industry."""
    names: dict[str, str] = {}
    industries: dict[str, str] = {}
    first_row: dict[str, int] = {}
    problems: list[Problem] = []
    for row, record in rows:
        key = record.client.lower()
        names.setdefault(key, record.client)
        if not record.gave("client_industry"):
            continue
        industry, known = record.client_industry, industries.get(key)
        if known is None:
            industries[key], first_row[key] = industry, row
        elif known != industry:
            problems.append(
                Problem(
                    row,
                    "client_industry",
                    f'"{industry}" differs from "{known}" given for {record.client} '
                    f"on row {first_row[key]}",
                )
            )
    existing = {
        c.name.lower(): c
        for c in load_in(session, select(Client), func.lower(Client.name), names.keys())
    }
    slugs = [derived_external_id(n) for k, n in names.items() if k not in existing]
    taken = set(load_in(session, select(Client.external_id), Client.external_id, slugs))
    return ClientPlan(existing, industries, names, taken, problems)
