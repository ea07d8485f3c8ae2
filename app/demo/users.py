"""The people who sign into the demo: one per seat in the product, each with an API key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from domain import users as user_service
from domain.types import Role


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    title: str  # the job behind the role; the users table has no column for it
    practices: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoUserKey:
    email: str
    name: str
    role: str
    title: str
    practices: tuple[str, ...]
    key: str  # plaintext, shown once; only its hash is stored


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "dana.dm@opscopilot-demo.com",
        "Dana Whitfield",
        Role.delivery_manager,
        "Delivery Manager, Data & AI",
    ),
    DemoUser(
        "ravi.dm@opscopilot-demo.com",
        "Ravi Chandran",
        Role.delivery_manager,
        "Delivery Manager, Cloud & Enterprise Apps",
    ),
    DemoUser(
        "helen.dm@opscopilot-demo.com",
        "Helen Okoro",
        Role.delivery_manager,
        "Delivery Manager, Digital & Strategy",
    ),
    DemoUser("rosa.rm@opscopilot-demo.com", "Rosa Lindqvist", Role.approver, "Resource Manager"),
    DemoUser(
        "nadia.pl@opscopilot-demo.com",
        "Nadia Petrova",
        Role.approver,
        "Practice Lead, Data & AI",
        practices=("Data & AI",),
    ),
    DemoUser("victor.dd@opscopilot-demo.com", "Victor Almeida", Role.approver, "Delivery Director"),
    DemoUser("jordan.ds@opscopilot-demo.com", "Jordan Pike", Role.data_scientist, "Data Scientist"),
    DemoUser("alex.admin@opscopilot-demo.com", "Alex Morgan", Role.admin, "Platform Administrator"),
)
DEMO_EMAILS: tuple[str, ...] = tuple(u.email for u in DEMO_USERS)


def create_demo_users(session: Session) -> list[DemoUserKey]:
    keys = []
    for u in DEMO_USERS:
        user = user_service.create_user(
            session,
            email=u.email,
            name=u.name,
            role=u.role.value,
            practices=u.practices,
            regions=u.regions,
        )
        issued = user_service.issue_key(session, user, label="demo")
        keys.append(DemoUserKey(u.email, u.name, u.role.value, u.title, u.practices, issued.key))
    return keys
