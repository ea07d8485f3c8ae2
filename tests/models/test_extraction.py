"""Extraction: what a request refers to, matched against the firm's names.

Dates are resolved against a fixed today: Thursday 26 November 2026.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from models.extraction import FirmIndex, FirmIndexCache, extract
from models.extraction.english import english_words
from models.extraction.people import PeopleIndex
from models.extraction.vocab import RoleMatcher, SkillMatcher
from tests import factories

TODAY = date(2026, 11, 26)  # a Thursday

INDEX = FirmIndex.build(
    clients=[
        (1, "Fabrikam"),
        (2, "Contoso"),
        (3, "Northwind Traders"),
        (4, "Woodgrove Bank"),
        (5, "Alpine Ski House"),
        (6, "Fourth Coffee"),
    ],
    projects=[
        (10, "Fabrikam Cloud Migration", 1, "active"),
        (11, "Fabrikam Data Platform", 1, "active"),
        (12, "Fabrikam Cloud Migration Phase 0", 1, "closed"),
        (20, "Contoso Data Platform", 2, "active"),
        (21, "Contoso Lakehouse Build", 2, "planned"),
        (30, "Northwind Traders ERP Selection", 3, "closed"),
        (31, "Northwind Traders Analytics Modernisation", 3, "active"),
        (40, "Woodgrove Bank Core Banking Modernisation", 4, "active"),
        (50, "Alpine Ski House Booking Platform", 5, "active"),
        (51, "Alpine Ski House Booking Platform Phase 2", 5, "active", "PRJ-5102"),
    ],
    skills=["Azure Data Factory", "Databricks", "Power BI", "Python", "Go", "Kubernetes", "C#"],
    roles=["Data Engineer", "Solution Architect", "Project Manager"],
    people=[(1, "Priya Nair"), (2, "Marco Rossi")],
)


def ex(text: str):
    return extract(text, INDEX, TODAY)


def test_a_project_by_partial_name_and_its_client() -> None:
    e = ex("Can we add a tester to the Fabrikam migration?").entities
    assert e.status == "project"
    assert e.project is not None and e.project.name == "Fabrikam Cloud Migration"
    assert e.client is not None and e.client.name == "Fabrikam"


def test_a_project_by_the_id_people_paste_from_the_psa() -> None:
    e = ex("Can you draft the status for prj-5102?").entities
    assert (e.status, e.project.id if e.project else None) == ("project", 51)
    assert e.client is not None and e.client.name == "Alpine Ski House"
    assert e.unknown_mentions == []
    assert ex("status for PRJ-9999").entities.status != "project"  # no such id: not a guess


def test_as_soon_as_possible_starts_today() -> None:
    assert ex("need a data engineer asap").start_date == TODAY
    assert ex("Can someone start immediately?").start_date == TODAY


def test_a_live_project_wins_over_a_closed_one_of_the_same_name() -> None:
    e = ex("Status of the Fabrikam cloud migration please").entities
    assert e.project is not None and e.project.id == 10


def test_the_client_by_its_first_word_and_a_typo() -> None:
    assert ex("Woodgrove core banking is at risk").entities.project.id == 40  # type: ignore[union-attr]
    typo = ex("The Fabrikm migration is slipping").entities
    assert typo.project is not None and typo.project.id == 10
    assert typo.unknown_mentions == []


def test_role_words_do_not_pick_a_project() -> None:
    # "data" belongs to "data engineer", not to "Fabrikam Data Platform".
    e = ex("Need a senior data engineer on the Fabrikam migration").entities
    assert e.project is not None and e.project.id == 10


def test_a_client_alone_lists_its_live_projects() -> None:
    e = ex("Contoso wants a status update by Friday").entities
    assert e.status == "client_only" and e.project is None
    assert {p.id for p in e.candidates} == {20, 21}
    single = ex("Can we extend Marco on Northwind Traders until 30 Sept?").entities
    assert single.status == "client_only"
    assert single.project is not None and single.project.id == 31  # its only live project


def test_two_equally_good_projects_are_candidates_not_a_guess() -> None:
    e = ex("The data platform project needs a tester").entities
    assert e.status == "ambiguous" and e.project is None
    assert {p.id for p in e.candidates} == {11, 20}
    phase = ex("Alpine booking platform phase 2 needs a tester").entities
    assert phase.project is not None and phase.project.id == 51


def test_an_unknown_project_or_client_is_flagged() -> None:
    e = ex("Staffing for the Initech portal project: two Java developers").entities
    assert e.status == "unknown" and e.project is None and e.client is None
    assert e.unknown_mentions == ["Initech"]
    assert ex("Please staff the ERP project").entities.unknown_mentions == []
    assert ex("Thanks, the team is great").entities.status == "none"


def test_roles_with_seniority_and_headcount() -> None:
    roles = ex("We need a senior data engineer and two project managers").roles
    assert [(r.role, r.seniority, r.count) for r in roles] == [
        ("data engineer", "senior", 1),
        ("project manager", None, 2),
    ]


def test_staff_as_a_verb_is_not_a_seniority() -> None:
    [role] = ex("Please staff a senior data engineer on the rollout").roles
    assert (role.role, role.seniority) == ("data engineer", "senior")
    [role] = ex("Can you staff a data engineer from May?").roles
    assert (role.role, role.seniority) == ("data engineer", None)
    [role] = ex("a senior Azure data engineer").roles  # words between level and role
    assert (role.role, role.seniority) == ("data engineer", "senior")


def test_skills_from_the_vocabulary_with_aliases() -> None:
    e = ex("Looking for ADF and databricks experience, plus power-bi and C#; go-live is close")
    assert e.skills == ["Azure Data Factory", "Databricks", "Power BI", "C#"]
    assert ex("a Go developer").skills == ["Go"]
    assert ex("AZURE DATA FACTORY pipelines").skills == ["Azure Data Factory"]


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("30h a week", 30),
        ("20 hrs/wk", 20),
        ("40 hours per week", 40),
        ("half time", 20),
        ("full-time", 40),
        ("3 days a week", 24),
        ("0.5 FTE", 20),
        ("no hours here", None),
    ],
)
def test_hours_per_week(text: str, hours: float | None) -> None:
    assert ex(text).hours_per_week == hours


def test_estimated_hours_are_not_weekly_hours() -> None:
    assert ex("about 80 hours of extra work").estimated_hours == 80
    assert ex("CR for 95 hours, 30h a week").estimated_hours == 95
    assert ex("roughly 5 person-days").estimated_hours == 40
    assert ex("30h a week").estimated_hours is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("from March", date(2027, 3, 1), None),
        ("starting next Monday", date(2026, 11, 30), None),
        ("on 2027-01-15", date(2027, 1, 15), None),
        ("in Q2", date(2027, 4, 1), None),
        ("from 3 March through end of June", date(2027, 3, 3), date(2027, 6, 30)),
        ("until 30 Sept", None, date(2027, 9, 30)),
        ("from November", TODAY, None),  # inside the month named: from today
        ("from 2027-01-04 for 6 weeks", date(2027, 1, 4), date(2027, 2, 14)),
        ("by Friday", None, date(2026, 11, 27)),
        ("we may need help", None, None),
    ],
)
def test_dates_relative_to_today(text: str, start: date | None, end: date | None) -> None:
    e = ex(text)
    assert (e.start_date, e.end_date) == (start, end)


def test_budgets_and_rates() -> None:
    e = ex("Budget of $50k, rate €1,200 per day; second quote 150 USD/h")
    assert e.budget is not None and (e.budget.amount, e.budget.currency) == (50_000, "USD")
    assert e.rate is not None and (e.rate.amount, e.rate.currency, e.rate.per) == (
        1200,
        "EUR",
        "day",
    )
    assert [m.per for m in e.money] == [None, "day", "hour"]


def test_the_result_is_plain_json() -> None:
    import json

    d = ex("senior data engineer on the Fabrikam migration from March, 30h a week").to_dict()
    assert json.loads(json.dumps(d))["project"]["name"] == "Fabrikam Cloud Migration"
    assert d["start_date"] == "2027-03-01" and d["hours_per_week"] == 30


def test_extraction_reuses_the_index_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names and matchers are compiled once, with the index; extracting never builds them
    again (the per-message cost is measured by the turn's bench, not asserted here)."""
    built: list[str] = []
    for cls in (FirmIndex, SkillMatcher, RoleMatcher, PeopleIndex):

        def counting(self: object, *args: object, _init=cls.__init__, _name=cls.__name__) -> None:
            built.append(_name)
            _init(self, *args)

        monkeypatch.setattr(cls, "__init__", counting)
    FirmIndex.build(clients=[(1, "Fabrikam")], projects=[], skills=["Databricks"])
    assert sorted(built) == ["FirmIndex", "PeopleIndex", "RoleMatcher", "SkillMatcher"]
    built.clear()
    text = "We need a senior data engineer with Databricks on the Fabrikam migration, 30h a week"
    english_words()  # the word list is read once per process, not per message
    reads = english_words.cache_info().misses

    hours = {extract(text, INDEX, TODAY).hours_per_week for _ in range(20)}

    assert built == [] and hours == {30}
    assert english_words.cache_info().misses == reads


def test_the_index_comes_from_the_database_and_refreshes(session: Session) -> None:
    fab = factories.client(session, "Fabrikam")
    factories.project(session, "Fabrikam Cloud Migration", fab)
    factories.skill(session, "Azure Data Factory")
    cache = FirmIndexCache(max_age_seconds=0)
    e = extract("ADF help on the Fabrikam migration", cache.get(session), TODAY)
    assert e.entities.project is not None and e.entities.project.name == "Fabrikam Cloud Migration"
    assert e.skills == ["Azure Data Factory"]
    first = cache.get(session)
    assert cache.get(session) is first  # nothing changed: not rebuilt

    factories.project(session, "Fabrikam Data Platform", fab)
    refreshed = cache.get(session)
    assert refreshed is not first
    assert extract("Fabrikam data platform", refreshed, TODAY).entities.project is not None


# Skills that are also everyday words, in the firm's own spelling and in the demo firm's.
_EVERYDAY_NAMES = ["Spark", "Azure", "Azure Data Factory", "Python", "Databricks", "R", "Access"]
EVERYDAY_SKILLS = FirmIndex.build(
    clients=[], projects=[], skills=[*_EVERYDAY_NAMES, "Project", "Teams", "Excel"]
)
CATALOGUE_NAMES = FirmIndex.build(
    clients=[],
    projects=[],
    skills=["Apache Spark", "Microsoft Azure", "Azure Landing Zones", "Python"],
)


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("need a data engineer with spark and azure", ["Spark", "Azure"]),
        ("senior DE w/ spark + azure", ["Spark", "Azure"]),
        ("python, spark, azure for contoso", ["Python", "Spark", "Azure"]),
        ("someone who knows excel", ["Excel"]),
        ("we run it in azure", ["Azure"]),
        ("an azure architect from March", ["Azure"]),
        ("python and r", ["Python", "R"]),
        ("python/spark/azure", ["Python", "Spark", "Azure"]),
        ("Spark and Azure", ["Spark", "Azure"]),  # as written, as before
        ("Azure Data Factory or Databricks", ["Azure Data Factory", "Databricks"]),  # not Azure
        # Ordinary English stays out.
        ("a spark of interest from the client", []),
        ("the azure sky over the office", []),
        ("someone with access, please", []),
        ("databricks and access to prod", ["Databricks"]),
        ("python and project management", ["Python"]),
        ("sync with teams on Friday", []),
        ("I'll go and check with spark plugs", []),
    ],
)
def test_everyday_skill_words_in_lowercase_count_where_skills_are_listed(
    text: str, skills: list[str]
) -> None:
    assert extract(text, EVERYDAY_SKILLS, TODAY).skills == skills


def test_short_skill_names_stand_for_the_catalogue_names() -> None:
    found = extract("need a data engineer with spark and azure", CATALOGUE_NAMES, TODAY)
    assert found.skills == ["Apache Spark", "Microsoft Azure"]
    assert extract("Spark, Python", CATALOGUE_NAMES, TODAY).skills == ["Apache Spark", "Python"]
    assert extract("a spark of interest", CATALOGUE_NAMES, TODAY).skills == []
    course = extract("budget for an Azure Landing Zones course?", CATALOGUE_NAMES, TODAY)
    assert course.skills == ["Azure Landing Zones"]  # one name, not also "Azure"


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("senior DE w/ spark + azure", ("data engineer", "senior", None)),
        ("sr data eng for contoso", ("data engineer", "senior", None)),
        ("snr. BA for the Fabrikam migration", ("business analyst", "senior", None)),
        ("contoso needs a data enginer", ("data engineer", None, 1)),
        ("a senior busines analyst", ("business analyst", "senior", 1)),
        ("need a PM for Northwind", ("project manager", None, 1)),
        ("two PMs and", ("project manager", None, 2)),
        ("jr QA from March", ("qa engineer", "junior", None)),
    ],
)
def test_role_abbreviations_and_one_letter_slips(
    text: str, role: tuple[str, str | None, int | None]
) -> None:
    assert [(r.role, r.seniority, r.count) for r in ex(text).roles] == [role]


@pytest.mark.parametrize(
    "text",
    [
        "call at 3 PM about Contoso",
        "the review is at 10:30 PM",
        "PM me the details",
        "the PMS rollout",
        "the project managed to ship on time",
        "it was designed and tested last week",
        "we need a trainee",
        "Banco de Portugal",
        "fluent in DE and EN",
        "the DE/AT rollout",
    ],
)
def test_times_and_ordinary_words_are_not_roles(text: str) -> None:
    assert ex(text).roles == []


def test_an_abbreviated_role_keeps_its_words_out_of_project_matching() -> None:
    # "data" belongs to the role, so Contoso's two live projects are the candidates.
    e = ex("sr data eng for contoso").entities
    assert e.status == "client_only" and {p.id for p in e.candidates} == {20, 21}


@pytest.mark.parametrize(
    ("text", "client", "project"),
    [
        ("how's northwind", "Northwind Traders", 31),
        ("status report northwind", "Northwind Traders", 31),
        ("any news from woodgrove?", "Woodgrove Bank", 40),
        ("we met on the fourth day of the workshop", None, None),
        ("an alpine lodge for the offsite", None, None),
    ],
)
def test_the_first_word_of_a_client_in_lowercase_when_it_is_no_english_word(
    text: str, client: str | None, project: int | None
) -> None:
    e = ex(text).entities
    assert (e.client.name if e.client else None, e.project.id if e.project else None) == (
        client,
        project,
    )


def test_a_rarer_english_word_leading_a_client_is_not_read_as_the_client_after_a() -> None:
    # "humongous" and "tailspin" are missing from the English word list; "a" before them
    # still marks the ordinary word.
    firm = FirmIndex.build(
        clients=[(1, "Humongous Insurance"), (2, "Tailspin Toys")], projects=[], skills=[]
    )
    assert extract("we have a humongous backlog", firm, TODAY).entities.clients == []
    assert extract("sales went into a tailspin", firm, TODAY).entities.clients == []
    [client] = extract("how is tailspin doing?", firm, TODAY).entities.clients
    assert client.name == "Tailspin Toys"


@pytest.mark.parametrize("text", ["from 15/01 for 6 weeks", "for 6 weeks", "start 1/3 for 6 weeks"])
def test_a_length_without_a_start_is_kept_and_numeric_dates_are_not_guessed(text: str) -> None:
    # Day and month order differs by country (docs/models/classifier.md): "15/01" is left
    # unread, and the end waits for a start the caller supplies.
    e = ex(text)
    assert (e.duration_weeks, e.start_date, e.end_date, e.dates) == (6.0, None, None, [])


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("how is Globex doing?", ["Globex"]),
        ("how's Initech going", ["Initech"]),
        ("how is everything going?", []),
        ("how is Fabrikam doing?", []),
    ],
)
def test_a_status_question_about_an_unknown_name_reports_it(text: str, unknown: list[str]) -> None:
    assert extract(text, INDEX, TODAY).entities.unknown_mentions == unknown
