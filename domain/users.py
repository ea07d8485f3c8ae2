"""Users, roles and API keys. Keys are shown once and stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import Conflict, InvalidInput, NotFound, Unauthorized
from domain.tables import ApiKey, User
from domain.types import Role, utcnow

KEY_PREFIX = "ops_"


@dataclass(frozen=True)
class IssuedKey:
    user: User
    key: str  # the plaintext, returned once and never stored


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    practices: Sequence[str] = (),
    regions: Sequence[str] = (),
) -> User:
    if role not in Role.__members__:
        raise InvalidInput(f"Unknown role {role!r}; use one of: {', '.join(Role)}")
    email = email.strip().lower()
    if "@" not in email:
        raise InvalidInput(f"{email!r} is not an email address")
    if session.scalar(select(User).where(User.email == email)) is not None:
        raise Conflict(f"A user with email {email} already exists")
    user = User(email=email, name=name, role=role, practices=list(practices), regions=list(regions))
    session.add(user)
    session.flush()
    return user


def issue_key(session: Session, user: User, label: str = "") -> IssuedKey:
    secret = secrets.token_urlsafe(32)
    key = f"{KEY_PREFIX}{secret}"
    session.add(ApiKey(user_id=user.id, prefix=key[:12], key_hash=hash_key(key), label=label))
    session.flush()
    return IssuedKey(user=user, key=key)


def authenticate(session: Session, key: str) -> User:
    """The active user owning ``key``; raises Unauthorized for anything else."""
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if row is None or row.revoked_at is not None or not row.user.active:
        raise Unauthorized("Invalid or revoked API key")
    return row.user


def get_user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound.of("user", email)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def revoke_user(session: Session, email: str) -> int:
    """Deactivate a user and revoke every key they hold; returns how many keys were revoked."""
    user = get_user_by_email(session, email)
    user.active = False
    keys = session.scalars(
        select(ApiKey).where(ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None))
    ).all()
    for k in keys:
        k.revoked_at = utcnow()
    session.flush()
    return len(keys)
