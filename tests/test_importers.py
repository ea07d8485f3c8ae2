"""Importing a firm's own data from CSV and JSON (domain.importers and ``opscopilot import``).

The example files under tests/fixtures/imports are the ones docs/data-formats.md shows; each
kind has a CSV and a JSON file holding the same records.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.settings import get_settings
from domain.importers import (
    ImportConflict,
    ImportRejected,
    ImportReport,
    UnreadableFile,
    import_consultants,
    import_file,
    import_history,
    import_projects,
    import_requests,
)
from domain.importers.store import writing
from domain.tables import (
    Assignment,
    Base,
    Certification,
    ChangeRequest,
    Client,
    Consultant,
    ConsultantSkill,
    IncomingRequest,
    Milestone,
    Project,
    Skill,
)

T = TypeVar("T")
FIXTURES = Path(__file__).parent / "fixtures" / "imports"
FORMATS = ["csv", "json"]
STORED: list[type[Base]] = [
    Consultant,
    Skill,
    ConsultantSkill,
    Certification,
    Client,
    Project,
    Milestone,
    Assignment,
    ChangeRequest,
    IncomingRequest,
]


def row_counts(session: Session) -> dict[str, int]:
    return {
        t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in STORED
    }


def counts(report: ImportReport, kind: str | None = None) -> tuple[int, int, int]:
    c = report.counts[kind or report.kind]
    return c.created, c.updated, c.unchanged


def by_external_id(session: Session, table: type[T], external_id: str) -> T:
    column = table.external_id  # type: ignore[attr-defined]
    return session.scalars(select(table).where(column == external_id)).one()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def problems_of(exc: pytest.ExceptionInfo[ImportRejected]) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in exc.value.problems]


def with_consultants(session: Session) -> None:
    import_consultants(session, FIXTURES / "consultants.csv")


def with_projects(session: Session) -> None:
    with_consultants(session)
    import_projects(session, FIXTURES / "projects.csv")


# -- clean files ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_consultants_are_stored_with_skills_certifications_and_languages(
    session: Session, fmt: str
) -> None:
    report = import_consultants(session, FIXTURES / f"consultants.{fmt}")

    assert counts(report) == (3, 0, 0)
    assert counts(report, "skills") == (7, 0, 0)
    priya = by_external_id(session, Consultant, "C-001")
    assert (priya.name, priya.email, priya.role_level) == (
        "Priya Raman",
        "priya.raman@example.com",
        "senior_consultant",
    )
    assert (priya.practice, priya.region, priya.timezone) == ("Data & AI", "EMEA", "Europe/Berlin")
    assert priya.languages == ["English", "German"]
    assert (priya.cost_rate, priya.bill_rate) == (85.0, 160.0)
    assert (priya.weekly_capacity_hours, priya.utilization_target) == (40.0, 0.8)
    assert {(s.skill.name, s.proficiency, s.years) for s in priya.skills} == {
        ("Spark", 4, 6.0),
        ("Azure Data Factory", 3, 2.0),
        ("Python", 5, 8.0),
    }
    assert {(c.name, c.issuer, c.issued_on, c.expires_on) for c in priya.certifications} == {
        ("AZ-900 Azure Fundamentals", "Microsoft", date(2024, 3, 1), date(2027, 3, 1)),
        ("DP-203 Azure Data Engineer", "Microsoft", date(2024, 6, 15), date(2026, 6, 15)),
    }
    mei = by_external_id(session, Consultant, "C-003")
    assert mei.certifications == []
    assert mei.weekly_capacity_hours == 32.0


@pytest.mark.parametrize("fmt", FORMATS)
def test_projects_are_stored_with_client_milestones_and_assignments(
    session: Session, fmt: str
) -> None:
    with_consultants(session)

    report = import_projects(session, FIXTURES / f"projects.{fmt}")

    assert counts(report) == (2, 0, 0)
    assert counts(report, "clients") == (2, 0, 0)
    project = by_external_id(session, Project, "P-100")
    assert (project.client.name, project.client.industry, project.client.external_id) == (
        "Northwind Traders",
        "Retail",
        "northwind-traders",
    )
    assert (project.engagement_type, project.contract_type, project.status) == (
        "implementation",
        "fixed_fee",
        "active",
    )
    assert (project.budget_hours, project.budget_amount, project.bill_rate) == (
        1200.0,
        198000.0,
        165.0,
    )
    assert (project.start_date, project.end_date) == (date(2025, 1, 6), date(2025, 6, 27))
    assert project.percent_complete == 45.0
    assert project.delivery_manager_email == "tom.okafor@example.com"
    assert [(m.name, m.due_date, m.amount) for m in project.milestones] == [
        ("Design sign-off", date(2025, 2, 14), 40000.0),
        ("Pilot live", date(2025, 4, 30), 80000.0),
        ("Go-live", date(2025, 6, 27), 78000.0),
    ]
    assignments = session.scalars(select(Assignment).where(Assignment.project_id == project.id))
    assert {(a.consultant.external_id, a.role, a.hours_per_week) for a in assignments} == {
        ("C-001", "Lead Data Engineer", 32.0),
        ("C-002", "Engagement Manager", 8.0),
    }
    assert by_external_id(session, Project, "P-101").milestones == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_history_is_stored_as_closed_projects_with_approved_change_requests(
    session: Session, fmt: str
) -> None:
    report = import_history(session, FIXTURES / f"history.{fmt}")

    assert counts(report) == (3, 0, 0)
    refresh = by_external_id(session, Project, "H-2022-001")
    assert (refresh.status, refresh.closed_on, refresh.percent_complete) == (
        "closed",
        date(2022, 8, 31),
        100.0,
    )
    assert (refresh.budget_hours, refresh.actual_hours) == (800.0, 1040.0)
    assert refresh.bill_rate == 160.0  # 128000 / 800: history has no rate of its own
    crs = session.scalars(select(ChangeRequest).where(ChangeRequest.project_id == refresh.id)).all()
    assert [(cr.status, cr.hours) for cr in crs] == [("approved", 60.0), ("approved", 60.0)]
    retainer = by_external_id(session, Project, "H-2023-003")
    assert (retainer.budget_amount, retainer.bill_rate) == (0.0, 0.0)
    assert (
        session.scalars(select(ChangeRequest).where(ChangeRequest.project_id == retainer.id)).all()
        == []
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_are_stored_with_times_in_utc_and_project_links(
    session: Session, fmt: str
) -> None:
    with_projects(session)

    report = import_requests(session, FIXTURES / f"requests.{fmt}")

    assert counts(report) == (3, 0, 0)
    first = by_external_id(session, IncomingRequest, "R-5001")
    assert first.body.splitlines()[1].startswith("the pilot scope grew")
    assert first.received_at == datetime(2025, 3, 4, 9, 15, tzinfo=UTC)
    assert (first.category, first.status) == ("staffing_request", "open")
    assert first.project_id == by_external_id(session, Project, "P-100").id
    chat = by_external_id(session, IncomingRequest, "R-5002")
    assert (chat.subject, chat.project_id) == ("", None)
    assert chat.received_at == datetime(2025, 3, 5, 15, 40, tzinfo=UTC)
    portal = by_external_id(session, IncomingRequest, "R-5003")
    assert portal.received_at == datetime(2025, 3, 6, 8, 0, tzinfo=UTC)  # no offset: UTC
    assert portal.category is None


@pytest.mark.parametrize("kind", ["consultants", "projects", "history", "requests"])
def test_csv_and_json_examples_hold_the_same_records(session: Session, kind: str) -> None:
    if kind == "projects":
        with_consultants(session)
    if kind == "requests":
        with_projects(session)
    import_file(session, kind, FIXTURES / f"{kind}.csv")
    before = row_counts(session)

    report = import_file(session, kind, FIXTURES / f"{kind}.json")

    assert report.counts[kind].created == report.counts[kind].updated == 0
    assert row_counts(session) == before


# -- rejected files ------------------------------------------------------------------------


def test_a_file_with_bad_rows_reports_every_problem_and_stores_nothing(session: Session) -> None:
    before = row_counts(session)

    with pytest.raises(ImportRejected) as exc:
        import_consultants(session, FIXTURES / "consultants_bad.csv")

    assert problems_of(exc) == [
        (2, "bill_rate"),
        (3, "email"),
        (3, "role_level"),
        (3, "utilization_target"),
        (3, "skills[1].proficiency"),
        (4, "external_id"),
        (5, "name"),
        (5, "cost_rate"),
        (5, "certifications[1].expires_on"),
        (6, "skills"),
    ]
    shown = [str(p) for p in exc.value.problems]
    assert 'row 2, field bill_rate: must be a number >= 0 (got "abc")' in shown
    assert 'row 4, field external_id: "C-201" appears again (first on row 2)' in shown
    assert "row 5, field name: is required" in shown
    assert (
        'row 3, field skills[1].proficiency: must be a whole number from 1 to 5 (got "7")' in shown
    )
    assert exc.value.detail == "consultants_bad.csv: 10 problems; nothing was imported"
    assert row_counts(session) == before


def test_json_problems_are_numbered_by_position_and_name_unknown_consultants(
    session: Session,
) -> None:
    with_consultants(session)
    before = row_counts(session)

    with pytest.raises(ImportRejected) as exc:
        import_projects(session, FIXTURES / "projects_bad.json")

    assert problems_of(exc) == [
        (1, "end_date"),
        (1, "percent_complete"),
        (2, "assignments[1].consultant"),
        (3, "engagement_type"),
        (3, "milestones[1].due_date"),
        (4, ""),
    ]
    assert str(exc.value.problems[2]) == (
        'row 2, field assignments[1].consultant: no consultant with external_id "C-999"; '
        "import consultants first"
    )
    assert str(exc.value.problems[-1]) == "row 4: must be a JSON object, not a number"
    assert row_counts(session) == before


def test_an_assignment_to_an_unknown_consultant_is_reported(
    session: Session, tmp_path: Path
) -> None:
    with_consultants(session)
    text = (FIXTURES / "projects.csv").read_text().replace("C-003|Cloud", "C-404|Cloud")

    with pytest.raises(ImportRejected) as exc:
        import_projects(session, write(tmp_path, "projects.csv", text))

    [problem] = exc.value.problems
    assert (problem.row, problem.field) == (3, "assignments[1].consultant")
    assert "C-404" in problem.reason
    assert session.scalar(select(func.count()).select_from(Project)) == 0


def test_a_request_naming_an_unknown_project_is_reported(session: Session) -> None:
    with pytest.raises(ImportRejected) as exc:
        import_requests(session, FIXTURES / "requests.csv")

    # R-5001 spans lines 2-4 of the CSV, so R-5003 starts on line 6.
    assert problems_of(exc) == [(2, "project"), (6, "project")]


def test_unknown_columns_are_rejected_except_in_history(session: Session, tmp_path: Path) -> None:
    text = (FIXTURES / "consultants.csv").read_text().replace("bill_rate,", "bil_rate,", 1)

    with pytest.raises(UnreadableFile, match="missing required column"):
        import_consultants(session, write(tmp_path, "consultants.csv", text))

    extra = (FIXTURES / "consultants.csv").read_text().splitlines()
    extra = [extra[0] + ",nickname"] + [line + ",x" for line in extra[1:]]
    with pytest.raises(ImportRejected) as exc:
        import_consultants(session, write(tmp_path, "extra.csv", "\n".join(extra)))
    assert problems_of(exc) == [(1, "nickname")]

    # history.csv carries team_size and overrun_reason for the risk trainer.
    assert counts(import_history(session, FIXTURES / "history.csv")) == (3, 0, 0)


def test_rows_naming_one_client_must_agree_on_its_industry(
    session: Session, tmp_path: Path
) -> None:
    with_consultants(session)
    text = (FIXTURES / "projects.csv").read_text()
    text = text.replace("Contoso Health,Healthcare", "northwind traders,Logistics")

    with pytest.raises(ImportRejected) as exc:
        import_projects(session, write(tmp_path, "projects.csv", text))

    assert [str(p) for p in exc.value.problems] == [
        'row 3, field client_industry: "Logistics" differs from "Retail" given for '
        "northwind traders on row 2"
    ]


def test_clients_whose_names_look_alike_get_distinct_ids(session: Session, tmp_path: Path) -> None:
    with_consultants(session)
    text = (FIXTURES / "projects.csv").read_text().replace("Contoso Health", "Northwind-Traders")

    report = import_projects(session, write(tmp_path, "projects.csv", text))

    assert counts(report, "clients") == (2, 0, 0)
    ids = sorted(session.scalars(select(Client.external_id)))
    assert ids[0] == "northwind-traders"
    assert ids[1].startswith("northwind-traders-")


def test_an_email_held_by_a_consultant_outside_the_file_is_reported(
    session: Session, tmp_path: Path
) -> None:
    with_consultants(session)
    header = (FIXTURES / "consultants.csv").read_text().splitlines()[0]
    row = "C-009,Sam Doe,Priya.Raman@example.com,analyst,,Cloud,EMEA,UTC,,50,90,,,,"

    with pytest.raises(ImportRejected) as exc:
        import_consultants(session, write(tmp_path, "c.csv", f"{header}\n{row}\n"))

    assert [str(p) for p in exc.value.problems] == [
        "row 2, field email: already belongs to consultant C-001"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.xlsx", b"PK\x03\x04", "unsupported file type '.xlsx'"),
        ("empty.csv", b"", "the file is empty"),
        ("blank.json", b"  \n", "the file is empty"),
        ("header.csv", b"external_id,name\n", "the file has no records"),
        ("none.json", b"[]", "the file has no records"),
        ("broken.json", b'[{"external_id": "C-1",}]', "not valid JSON"),
        ("object.json", b'{"external_id": "C-1"}', "must be a list of objects"),
        ("latin1.csv", "external_id,name\nC-1,Jürgen\n".encode("latin-1"), "not UTF-8 text"),
        ("semicolons.csv", b"external_id;name\nC-1;Ana\n", "semicolon-separated"),
        ("columns.csv", b"external_id,name\nC-1,Ana\n", "missing required column(s) email"),
        ("twice.csv", b"external_id,name,name\nC-1,Ana,Ana\n", "'name' appears twice"),
    ],
)
def test_malformed_files_get_a_clear_error(
    session: Session, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(UnreadableFile) as exc:
        import_consultants(session, write(tmp_path, name, content))
    assert message in exc.value.detail


def test_a_missing_file_gets_a_clear_error(session: Session, tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="no such file"):
        import_consultants(session, tmp_path / "nowhere.csv")


def test_csv_headers_may_use_spaces_and_capitals(session: Session, tmp_path: Path) -> None:
    lines = (FIXTURES / "consultants.csv").read_text().splitlines()
    header = lines[0].replace("external_id", "External ID").replace("bill_rate", "Bill-Rate")

    report = import_consultants(session, write(tmp_path, "c.csv", "\n".join([header, *lines[1:]])))

    assert counts(report) == (3, 0, 0)
    assert by_external_id(session, Consultant, "C-002").bill_rate == 210.0


def test_an_excel_csv_with_byte_order_mark_and_crlf_reads_like_any_other(
    session: Session, tmp_path: Path
) -> None:
    with_projects(session)
    import_requests(session, FIXTURES / "requests.csv")
    excel = (FIXTURES / "requests.csv").read_text().replace("\n", "\r\n")

    report = import_requests(session, write(tmp_path, "r.csv", b"\xef\xbb\xbf" + excel.encode()))

    assert counts(report) == (0, 0, 3)


# -- re-import -----------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(session: Session) -> None:
    with_projects(session)
    import_history(session, FIXTURES / "history.csv")
    import_requests(session, FIXTURES / "requests.csv")
    before = row_counts(session)

    reports = [
        import_file(session, kind, FIXTURES / f"{kind}.csv")
        for kind in ("consultants", "projects", "history", "requests")
    ]

    assert [counts(r) for r in reports] == [(0, 0, 3), (0, 0, 2), (0, 0, 3), (0, 0, 3)]
    assert row_counts(session) == before


def test_reimporting_changed_consultants_updates_them_and_replaces_skills(
    session: Session, tmp_path: Path
) -> None:
    with_consultants(session)
    priya_id = by_external_id(session, Consultant, "C-001").id
    text = (FIXTURES / "consultants.csv").read_text()
    text = text.replace(",85,160,", ",85,175,").replace("Spark:4:6; ", "Spark:5:7; Dbt:2:1; ")
    text = text.replace("; DP-203 Azure Data Engineer|2024-06-15|2026-06-15|Microsoft", "")

    report = import_consultants(session, write(tmp_path, "consultants.csv", text))

    assert counts(report) == (0, 1, 2)
    assert counts(report, "skills") == (1, 0, 7)
    priya = by_external_id(session, Consultant, "C-001")
    assert (priya.id, priya.bill_rate) == (priya_id, 175.0)
    assert {(s.skill.name, s.proficiency) for s in priya.skills} == {
        ("Spark", 5),
        ("Dbt", 2),
        ("Azure Data Factory", 3),
        ("Python", 5),
    }
    assert [c.name for c in priya.certifications] == ["AZ-900 Azure Fundamentals"]
    assert session.scalar(select(func.count()).select_from(Consultant)) == 3


def test_consultants_may_trade_email_addresses(session: Session, tmp_path: Path) -> None:
    with_consultants(session)
    text = (FIXTURES / "consultants.csv").read_text()
    text = text.replace("priya.raman@", "SWAP@").replace("tom.okafor@", "priya.raman@")
    text = text.replace("SWAP@", "tom.okafor@")

    report = import_consultants(session, write(tmp_path, "swapped.csv", text))

    assert counts(report) == (0, 2, 1)
    assert by_external_id(session, Consultant, "C-001").email == "tom.okafor@example.com"
    assert by_external_id(session, Consultant, "C-002").email == "priya.raman@example.com"


def test_reimporting_changed_projects_updates_milestones_and_assignments_in_place(
    session: Session, tmp_path: Path
) -> None:
    with_projects(session)
    p100 = by_external_id(session, Project, "P-100")
    lead = session.scalars(
        select(Assignment).where(
            Assignment.project_id == p100.id, Assignment.role == "Lead Data Engineer"
        )
    ).one()
    design = p100.milestones[0]
    design.status = "accepted"  # decided in the app since the first import
    text = (FIXTURES / "projects.csv").read_text()
    text = text.replace("|32|2025-01-06|", "|24|2025-01-06|").replace(
        "; C-002|Engagement Manager|8|2025-01-06|2025-06-27", ""
    )
    text = text.replace("; Go-live|2025-06-27|78000", "").replace(",45,active,", ",60,active,")

    report = import_projects(session, write(tmp_path, "projects.csv", text))

    assert counts(report) == (0, 1, 1)
    assert counts(report, "clients") == (0, 0, 2)
    session.expire_all()
    p100 = by_external_id(session, Project, "P-100")
    assert p100.percent_complete == 60.0
    assert [(m.name, m.status) for m in p100.milestones] == [
        ("Design sign-off", "accepted"),
        ("Pilot live", "pending"),
    ]
    [assignment] = session.scalars(select(Assignment).where(Assignment.project_id == p100.id))
    assert (assignment.id, assignment.hours_per_week) == (lead.id, 24.0)
    assert design.id == p100.milestones[0].id
    assert session.scalar(select(func.count()).select_from(Project)) == 2


def test_history_closes_an_imported_project_and_updates_change_requests(
    session: Session, tmp_path: Path
) -> None:
    with_projects(session)
    row = (
        "P-100,Northwind Traders,Lakehouse migration,implementation,fixed_fee,"
        "1200,1500,2025-01-06,2025-06-27,,,,90,3"
    )
    header = (
        "external_id,client,name,engagement_type,contract_type,budget_hours,actual_hours,"
        "start_date,end_date,budget_amount,practice,region,change_request_hours,change_request_count"
    )

    report = import_history(session, write(tmp_path, "h.csv", f"{header}\n{row}\n"))
    again = import_history(session, write(tmp_path, "h2.csv", f"{header}\n{row[:-4]}60,1\n"))

    assert counts(report) == (0, 1, 0)
    assert counts(again) == (0, 1, 0)
    project = by_external_id(session, Project, "P-100")
    assert (project.status, project.actual_hours, project.bill_rate) == ("closed", 1500.0, 165.0)
    assert project.practice == "Data & AI"  # blank in the file: kept
    crs = session.scalars(select(ChangeRequest).where(ChangeRequest.project_id == project.id))
    assert [cr.hours for cr in crs] == [60.0]


# -- how it writes ------------------------------------------------------------------------


def test_a_refused_write_leaves_nothing_behind_and_the_session_usable(session: Session) -> None:
    with pytest.raises(ImportConflict, match="nothing was imported"), writing(session, "f.csv"):
        session.add_all([Skill(name="Rust"), Skill(name="Rust")])

    assert session.scalar(select(func.count()).select_from(Skill)) == 0


def consultants_csv(n: int, prefix: str = "X") -> str:
    header = (FIXTURES / "consultants.csv").read_text().splitlines()[0]
    rows = [
        f"{prefix}-{i},Person {i},{prefix}{i}@example.com,consultant,,Cloud,EMEA,UTC,English,50,100,40,0.8,"
        f"Skill {i % 7}:3:2; Terraform:2:1,Cert {i}|2024-01-01|2026-01-01"
        for i in range(n)
    ]
    return "\n".join([header, *rows])


def test_queries_do_not_grow_with_the_number_of_rows(
    session: Session, engine: Engine, tmp_path: Path
) -> None:
    def selects_for(n: int) -> int:
        # Distinct ids per size, so the second size starts from the same (empty) state.
        path = write(tmp_path, f"c{n}.csv", consultants_csv(n, prefix=f"N{n}"))
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            import_consultants(session, path)  # creates
            import_consultants(session, path)  # finds every row unchanged
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return sum(s.lstrip().upper().startswith("SELECT") for s in statements)

    assert selects_for(10) == selects_for(200)


# -- the format document -------------------------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-formats.md"


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_the_format_doc_shows_each_example_file_verbatim(name: str) -> None:
    assert (FIXTURES / name).read_text().rstrip("\n") in DOC.read_text()


def test_the_format_doc_shows_the_problems_the_bad_examples_produce(session: Session) -> None:
    with_consultants(session)
    shown: list[str] = []
    for kind, name in (("consultants", "consultants_bad.csv"), ("projects", "projects_bad.json")):
        with pytest.raises(ImportRejected) as exc:
            import_file(session, kind, FIXTURES / name)
        shown += [exc.value.detail, *(str(p) for p in exc.value.problems)]

    doc = DOC.read_text()
    assert [line for line in shown if line not in doc] == []


# -- CLI -----------------------------------------------------------------------------------


@pytest.fixture
def cli_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI on a fresh SQLite database under a temporary data directory."""
    monkeypatch.setenv("OPSCOPILOT_DATA_DIR", str(data_dir))
    monkeypatch.delenv("OPSCOPILOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("OPSCOPILOT_DATABASE__URL", raising=False)
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()


def test_cli_prints_every_problem_and_exits_1(cli_env: Path) -> None:
    from app.cli.main import cli

    result = CliRunner().invoke(
        cli, ["import", "consultants", str(FIXTURES / "consultants_bad.csv")]
    )

    assert result.exit_code == 1
    assert "consultants_bad.csv: 10 problems; nothing was imported" in result.output
    assert 'row 2, field bill_rate: must be a number >= 0 (got "abc")' in result.output
    assert 'row 6, field skills: entry 1 ("Terraform:3") must look like' in result.output
    assert "Traceback" not in result.output


def test_cli_imports_and_prints_counts(cli_env: Path) -> None:
    from app.cli.main import cli

    runner = CliRunner()
    first = runner.invoke(cli, ["import", "consultants", str(FIXTURES / "consultants.csv")])
    again = runner.invoke(
        cli, ["import", "consultants", str(FIXTURES / "consultants.json"), "--json"]
    )
    broken = runner.invoke(cli, ["import", "projects", str(cli_env / "missing.json")])

    assert first.exit_code == 0, first.output
    assert "consultants: 3 created, 0 updated, 0 unchanged" in first.output
    assert "skills: 7 created, 0 updated, 0 unchanged" in first.output
    assert again.exit_code == 0, again.output
    assert '"unchanged": 3' in again.output
    assert broken.exit_code == 1
    assert "no such file" in broken.output
