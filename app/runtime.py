"""What a process needs to talk to the firm's data: settings, engine, sessions.

The CLI opens one per command; the web app opens one in its lifespan.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app import dbadmin
from app.settings import Settings, get_settings
from domain.db import make_engine, make_session_factory


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]


def open_runtime(settings: Settings | None = None, *, migrate: bool = True) -> Runtime:
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(
        settings.db_url, echo=settings.database.echo, pool_size=settings.database.pool_size
    )
    if migrate:
        dbadmin.upgrade(engine)
    return Runtime(settings=settings, engine=engine, sessions=make_session_factory(engine))
