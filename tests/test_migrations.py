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


def test_the_copilots_raised_flags_survive_their_rename(db_url: str) -> None:
    from sqlalchemy import text

    from domain.db import make_session_factory, unit_of_work
    from tests import factories

    eng = make_engine(db_url)
    try:
        with unit_of_work(make_session_factory(eng)) as s:
            project_id = factories.project(s).id
        dbadmin.downgrade(eng, "0005")
        with eng.begin() as c:
            c.execute(
                text(
                    "INSERT INTO agent_risk_flags (project_id, probability, proposal_id, "
                    "flagged_at) VALUES (:p, 0.8, '41', CURRENT_TIMESTAMP)"
                ),
                {"p": project_id},
            )
        dbadmin.upgrade(eng)
        with eng.connect() as c:
            rows = c.execute(
                text(
                    "SELECT probability, proposal_id FROM agent_raised_flags WHERE project_id = :p"
                ),
                {"p": project_id},
            ).all()
        assert [tuple(r) for r in rows] == [(0.8, "41")]
        assert "agent_risk_flags" not in dbadmin.current_tables(eng)
    finally:
        # Leave the shared database empty again, as the tests after this one expect.
        dbadmin.downgrade(eng, "base")
        dbadmin.upgrade(eng)
        eng.dispose()
