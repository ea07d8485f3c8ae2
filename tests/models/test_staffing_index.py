"""The profile index follows the firm's tables, and both search paths find the right people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.tables import Consultant, ConsultantSkill
from models.encoder import HashingEncoder
from models.staffing import SkillNeed
from models.staffing.index import StaffingIndex
from models.staffing.profiles import load_profiles
from models.staffing.store import AnnConfig, VectorStore
from models.staffing.synthetic import generate_people, insert_people
from models.staffing.vectors import compose_profiles
from tests.factories import skill
from tests.models.staffing_firm import person, recommender, request


def test_refresh_picks_up_a_changed_consultant(session: Session, tmp_path: Path) -> None:
    person(session, "ana", {"React": 5}, title="Frontend Developer")
    person(session, "ben", {"Spark": 3})
    rec = recommender(session, tmp_path)
    assert rec.recommend(session, request()).candidates[0].external_id == "ben"

    # Ana retrains: the row changes and her skills change.
    ana = session.scalar(select(Consultant).where(Consultant.external_id == "ana"))
    assert ana is not None
    ana.title = "Data Engineer"
    ana.updated_at = datetime.now(UTC) + timedelta(seconds=1)
    session.add(
        ConsultantSkill(
            consultant_id=ana.id, skill_id=skill(session, "Spark").id, proficiency=5, years=1
        )
    )
    session.flush()
    assert rec.index.stale(session) == ([ana.id], [])
    report = rec.refresh(session)
    assert (report.upserted, report.removed) == (1, 0)
    assert rec.recommend(session, request()).candidates[0].external_id == "ana"
    assert rec.index.stale(session) == ([], [])
    assert rec.refresh(session).upserted == 0


def test_a_skill_change_alone_makes_a_profile_stale(session: Session, tmp_path: Path) -> None:
    # Importers may touch only the skills table; the consultant row's updated_at stays put.
    ben = person(session, "ben", {"Spark": 3, "Python": 4})
    rec = recommender(session, tmp_path)
    spark = skill(session, "Spark").id
    python = skill(session, "Python").id
    session.execute(
        update(ConsultantSkill)
        .where(ConsultantSkill.consultant_id == ben.id, ConsultantSkill.skill_id == spark)
        .values(proficiency=4)
    )
    session.execute(
        update(ConsultantSkill)
        .where(ConsultantSkill.consultant_id == ben.id, ConsultantSkill.skill_id == python)
        .values(proficiency=3)
    )
    assert rec.index.stale(session) == ([ben.id], [])
    rec.refresh(session)
    (c,) = rec.recommend(session, request()).candidates
    assert c.features["skill_match"] == 1.0  # Spark 4 now meets the 4 asked


def test_removed_consultants_leave_the_index_and_upsert_adds_new_ones(
    session: Session, tmp_path: Path
) -> None:
    gone = person(session, "gone", {"Spark": 5})
    rec = recommender(session, tmp_path)
    gone.active = False
    new = person(session, "new", {"Spark": 4})
    assert rec.upsert(session, [gone.id, new.id]) == 1
    assert set(rec.index.store.signatures()) == {new.id}


def test_phrases_are_embedded_once_and_kept_beside_the_index(
    session: Session, tmp_path: Path
) -> None:
    class Counting(HashingEncoder):
        calls = 0

        def encode(self, texts):  # type: ignore[no-untyped-def]
            Counting.calls += len(texts)
            return super().encode(texts)

    person(session, "ana", {"Spark": 5, "Python": 4})
    person(session, "ben", {"Spark": 3, "Python": 2})
    store = VectorStore(str(tmp_path / "db"), "consultants", dim=384, ann_threshold=1000)
    StaffingIndex(store, Counting()).refresh(session)
    assert Counting.calls == 4  # Spark, Python, the title and the practice; each once
    again = StaffingIndex(
        VectorStore(str(tmp_path / "db"), "consultants", dim=384, ann_threshold=1000), Counting()
    )
    assert len(again.bank) == 4
    again.request_vector(role="Data Engineer", required={"spark": 4}, nice_to_have={})
    assert Counting.calls == 4  # known phrases, in any case, are not embedded again


@pytest.fixture
def synthetic_firm(session: Session) -> list[int]:
    return insert_people(session, generate_people(400, seed=3))


def test_ann_and_exact_search_agree_on_the_top_results(
    session: Session, tmp_path: Path, synthetic_firm: list[int]
) -> None:
    exact = recommender(session, tmp_path / "exact", ann_threshold=10_000)
    ann = recommender(session, tmp_path / "ann", ann_threshold=100)
    assert (exact.index.store.mode, ann.index.store.mode) == ("memory", "ann")

    ids, vectors = compose_profiles(exact.index.bank, load_profiles(session).values())
    matrix, id_array = np.asarray(vectors), np.asarray(ids)
    overlaps = []
    for need in [
        "Spark",
        "Kubernetes",
        "SAP FICO",
        "Penetration Testing",
        "React",
        "Change Management",
    ]:
        q = exact.index.request_vector(role="Consultant", required={need: 4}, nice_to_have={})
        truth = id_array[np.argsort(-(matrix @ q))[:10]]
        got_exact, _ = exact.index.search(q, 10)
        got_ann, _ = ann.index.search(q, 10)
        assert got_exact[0] == truth[0] and got_ann[0] == truth[0]
        assert set(got_exact.tolist()) == set(truth.tolist())
        overlaps.append(len(set(got_ann.tolist()) & set(truth.tolist())) / 10)
    assert np.mean(overlaps) >= 0.9

    req = request(
        role="Cloud Engineer",
        required=(SkillNeed("Kubernetes", 3), SkillNeed("Terraform", 3)),
        region="EMEA",
    )
    by_exact = [c.consultant_id for c in exact.recommend(session, req).candidates]
    by_ann = [c.consultant_id for c in ann.recommend(session, req).candidates]
    assert by_ann[:3] == by_exact[:3]
    assert all(c.region == "EMEA" for c in ann.recommend(session, req).candidates)


def test_ann_config_scales_partitions_with_the_firm() -> None:
    assert AnnConfig().partitions_for(100_000) == 316
    assert AnnConfig().partitions_for(100) == 10
    assert AnnConfig(partitions=64).partitions_for(100_000) == 64
