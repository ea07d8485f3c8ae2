"""Hard constraints: whoever breaks one is never proposed, however good a fit they are."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from models.staffing import SkillNeed
from tests.models.staffing_firm import START, assign, person, project, recommender, request


def names(session: Session, tmp_path: Path, **kw: object) -> list[str]:
    rec = recommender(session, tmp_path)
    return [c.external_id for c in rec.recommend(session, request(**kw)).candidates]


def test_busy_people_are_left_out_even_when_they_fit_best(session: Session, tmp_path: Path) -> None:
    star = person(session, "star", {"Spark": 5, "Python": 5})
    person(session, "solid", {"Spark": 4})
    elsewhere = project(session, "Fabrikam")
    # Booked 20 h/week for one month inside the window: the busiest week leaves 20 h free.
    assign(session, star, elsewhere, 20, date(2027, 4, 1), date(2027, 4, 30))

    rec = recommender(session, tmp_path)
    wanted_30 = rec.recommend(session, request(hours_per_week=30))
    assert [c.external_id for c in wanted_30.candidates] == ["solid"]
    assert wanted_30.excluded == {"availability": 1}

    wanted_20 = rec.recommend(session, request(hours_per_week=20))
    assert sorted(c.external_id for c in wanted_20.candidates) == ["solid", "star"]
    assert all(c.facts.free_hours >= 20 for c in wanted_20.candidates)


def test_bookings_outside_the_window_do_not_count(session: Session, tmp_path: Path) -> None:
    busy_before = person(session, "busy-before", {"Spark": 5})
    fabrikam = project(session, "Fabrikam")
    assign(session, busy_before, fabrikam, 40, date(2026, 1, 1), date(2027, 2, 28))
    busy_after = person(session, "busy-after", {"Spark": 5})
    assign(session, busy_after, fabrikam, 40, date(2027, 7, 5), date(2027, 12, 31))
    assert sorted(names(session, tmp_path)) == ["busy-after", "busy-before"]
    assert START.weekday() == 0  # the window starts on a Monday: no shared week with February


def test_an_expired_certification_does_not_count(session: Session, tmp_path: Path) -> None:
    person(
        session, "valid", {"Spark": 3}, certs=(("Azure Data Engineer Associate", date(2028, 1, 1)),)
    )
    person(
        session,
        "lapsed",
        {"Spark": 5},
        certs=(("Azure Data Engineer Associate", date(2027, 1, 1)),),
    )
    # Expires mid-assignment: the client needs the certification for the whole window.
    person(
        session,
        "lapsing",
        {"Spark": 5},
        certs=(("Azure Data Engineer Associate", date(2027, 5, 1)),),
    )
    person(session, "never", {"Spark": 5})
    person(session, "no-expiry", {"Spark": 2}, certs=(("azure data engineer associate", None),))

    got = names(session, tmp_path, certifications=("Azure Data Engineer Associate",))
    assert sorted(got) == ["no-expiry", "valid"]
    assert names(session, tmp_path)[:3] != got[:3]  # without the constraint the experts lead


def test_region_and_language_are_respected(session: Session, tmp_path: Path) -> None:
    person(session, "emea-de", {"Spark": 4}, region="EMEA", languages=("English", "German"))
    person(session, "emea-en", {"Spark": 5}, region="EMEA")
    person(session, "na-de", {"Spark": 5}, region="NA", languages=("English", "German"))

    assert sorted(names(session, tmp_path, region="EMEA")) == ["emea-de", "emea-en"]
    assert sorted(names(session, tmp_path, languages=("german",))) == ["emea-de", "na-de"]
    assert names(session, tmp_path, region="emea", languages=("German",)) == ["emea-de"]
    assert names(session, tmp_path, region="APAC") == []


def test_a_rare_match_is_found_beyond_the_first_search_pool(
    session: Session, tmp_path: Path
) -> None:
    # 150 better fits who all lack the language; the only speaker ranks last by similarity.
    for i in range(150):
        person(session, f"fit-{i:03d}", {"Spark": 5, "Databricks": 4})
    person(
        session,
        "speaker",
        {"React": 3},
        title="Frontend Developer",
        languages=("English", "Japanese"),
    )

    rec = recommender(session, tmp_path)
    result = rec.recommend(
        session, request(languages=("Japanese",), required=(SkillNeed("Spark", 4),))
    )
    assert [c.external_id for c in result.candidates] == ["speaker"]
    assert result.considered == 151
    assert result.excluded == {"language": 150}


def test_inactive_consultants_are_never_proposed(session: Session, tmp_path: Path) -> None:
    gone = person(session, "gone", {"Spark": 5})
    person(session, "here", {"Spark": 3})
    rec = recommender(session, tmp_path)
    gone.active = False
    session.flush()
    # Even before the index is refreshed, the tables are the authority.
    assert [c.external_id for c in rec.recommend(session, request()).candidates] == ["here"]
    rec.refresh(session)
    assert rec.index.size == 1
