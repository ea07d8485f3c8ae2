from sqlalchemy import Engine, inspect

from app import dbadmin
from domain.db import make_engine

EXPECTED = {
    "consultants",
    "skills",
    "consultant_skills",
    "certifications",
    "clients",
    "projects",
    "milestones",
    "assignments",
    "time_entries",
    "status_notes",
    "change_requests",
    "incoming_requests",
    "users",
    "api_keys",
}


def test_migrations_create_every_table(engine: Engine) -> None:
    assert set(inspect(engine).get_table_names()) >= EXPECTED


def test_migrations_downgrade_to_base_and_back(db_url: str) -> None:
    # A separate engine: the shared one must keep its schema for the other tests.
    eng = make_engine(db_url)
    try:
        dbadmin.downgrade(eng, "base")
        assert not (EXPECTED & dbadmin.current_tables(eng))
        dbadmin.upgrade(eng)
        assert dbadmin.current_tables(eng) >= EXPECTED
    finally:
        eng.dispose()
