"""Staffing recommender evaluation for the ``opscopilot eval`` harness.

Labelled requests over the demo firm (``datasets/staffing/cases.yaml``): for each, who a
resource manager would consider good, derived from the firm's tables by the case's criteria.
Reported for our recommender beside baselines that rank the whole firm by
- full-text MiniLM similarity between the request and each profile (no constraints),
- the same, with the hard constraints applied afterwards,
- keyword overlap between the request's words and each profile's skills and title.
The ranker's weights are not fitted to these cases (they are defaults, or learned from
approvers' preferences), so these are held-out numbers. Constraint checks here are written
independently of ``models.staffing.features``, so the violation rate checks that code too.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.availability import Availability, availability
from domain.tables import Client, Project, TimeEntry
from evals.metrics import MetricRow, Threshold
from evals.registered import load_registered, need_store
from models.encoder import Encoder
from models.registry import CHAMPION
from models.staffing import (
    MODEL_NAME,
    SkillNeed,
    StaffingRanker,
    StaffingRecommender,
    StaffingRequest,
)
from models.staffing.index import StaffingIndex
from models.staffing.profiles import Profile, client_history, load_profiles
from models.staffing.store import VectorStore

CASES = Path(__file__).resolve().parent / "datasets" / "staffing" / "cases.yaml"
TOP = 10


@dataclass(frozen=True)
class Group:
    any_of: tuple[str, ...]
    min_level: int

    def held_by(self, p: Profile) -> bool:
        return any(
            (s := p.skill(n)) is not None and s.proficiency >= self.min_level for n in self.any_of
        )


@dataclass(frozen=True)
class Case:
    name: str
    request: StaffingRequest
    all_of: tuple[Group, ...]
    bonus: tuple[Group, ...]
    client_id: int | None


def firm_day(session: Session, fallback: date) -> date:
    """The firm's "today": the week after its last recorded work (or ``fallback``)."""
    last = session.scalar(select(func.max(TimeEntry.work_date)))
    return last + timedelta(days=7) if last else fallback


def _groups(raw: list[dict[str, Any]] | None) -> tuple[Group, ...]:
    return tuple(Group(tuple(g["any_of"]), int(g["min_level"])) for g in raw or [])


def _project(session: Session, spec: dict[str, str] | None) -> Project | None:
    if not spec:
        return None
    return session.scalar(
        select(Project)
        .join(Client)
        .where(
            Client.name == spec["client"],
            Project.practice == spec["practice"],
            Project.status == "active",
        )
        .order_by(Project.start_date.desc())
        .limit(1)
    )


def load_cases(session: Session, day: date, path: Path = CASES) -> list[Case]:
    cases = []
    for raw in yaml.safe_load(path.read_text()):
        r = raw["request"]
        start = day + timedelta(days=int(r["start_in_days"]))
        project = _project(session, r.get("project"))
        req = StaffingRequest(
            role=r.get("role", ""),
            start=start,
            end=start + timedelta(weeks=int(r["weeks"])) - timedelta(days=1),
            hours_per_week=float(r["hours_per_week"]),
            required=tuple(SkillNeed(n, int(lv)) for n, lv in (r.get("required") or {}).items()),
            nice_to_have=tuple(
                SkillNeed(n, int(lv)) for n, lv in (r.get("nice_to_have") or {}).items()
            ),
            region=r.get("region"),
            languages=tuple(r.get("languages") or ()),
            certifications=tuple(r.get("certifications") or ()),
            project_id=project.id if project else None,
            top=TOP,
        )
        good = raw["good"]
        cases.append(
            Case(
                raw["name"],
                req,
                _groups(good["all_of"]),
                _groups(good.get("bonus")),
                project.client_id if project else None,
            )
        )
    return cases


def breaks_constraint(p: Profile, a: Availability | None, req: StaffingRequest) -> bool:
    """An independent statement of the hard constraints (see the module docstring)."""
    if a is None or a.capacity_hours - a.peak_committed_hours < req.hours_per_week:
        return True
    if req.region is not None and p.region.lower() != req.region.lower():
        return True
    spoken = {lang.lower() for lang in p.languages}
    if any(lang.lower() not in spoken for lang in req.languages):
        return True
    valid = {n.lower() for n, exp in p.certifications if exp is None or exp >= req.end}
    return any(c.lower() not in valid for c in req.certifications)


def gains(
    case: Case, people: dict[int, Profile], free: dict[int, Availability], history: dict[int, int]
) -> dict[int, int]:
    out = {}
    for cid, p in people.items():
        if breaks_constraint(p, free.get(cid), case.request) or not all(
            g.held_by(p) for g in case.all_of
        ):
            continue
        out[cid] = 2 if any(g.held_by(p) for g in case.bonus) or history.get(cid, 0) > 0 else 1
    return out


def ndcg_at(ranked: Sequence[int], gain: dict[int, int], k: int = TOP) -> float:
    dcg = sum(gain.get(cid, 0) / math.log2(i + 2) for i, cid in enumerate(ranked[:k]))
    ideal = sorted(gain.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else float("nan")


def recall_at(ranked: Sequence[int], gain: dict[int, int], k: int = 5) -> float:
    """Share of the good people found in the top ``k``, out of at most ``k`` there are."""
    if not gain:
        return float("nan")
    return sum(1 for cid in ranked[:k] if cid in gain) / min(k, len(gain))


def profile_text(p: Profile) -> str:
    skills = ", ".join(
        f"{s.name} ({s.proficiency}/5)"
        for s in sorted(p.skills.values(), key=lambda s: -s.proficiency)
    )
    return f"{p.title}. {p.practice}. Skills: {skills}."


def keyword_score(p: Profile, req: StaffingRequest) -> float:
    words = {w for s in (*req.required, *req.nice_to_have) for w in s.name.lower().split()}
    words |= set(req.role.lower().split())
    text = " ".join([p.title.lower(), *(s.name.lower() for s in p.skills.values())])
    return float(sum(1 for w in words if w in text))


def evaluate(
    session: Session,
    encoder: Encoder,
    *,
    store: Any = None,
    compare: tuple[str, str] | None = None,
    today: date | None = None,
    progress: Callable[[str], None] = print,
    cases_path: Path = CASES,
) -> list[MetricRow]:
    """recall@5, nDCG@10 and the hard-constraint violation rate, ours beside the baselines."""
    day = firm_day(session, today or date.today())
    cases = load_cases(session, day, cases_path)
    people = load_profiles(session)
    progress(f"staffing: {len(cases)} cases over {len(people)} consultants, firm day {day}")
    rankers = _rankers(store, compare)
    progress(f"staffing: ours = {rankers['ours'].version}")
    with tempfile.TemporaryDirectory(prefix="eval-staffing-") as tmp:
        vectors = VectorStore(tmp, "consultants", dim=encoder.dim, ann_threshold=10**9)
        index = StaffingIndex(vectors, encoder)
        index.refresh(session)
        ids = sorted(people)
        texts = encoder.encode([profile_text(people[i]) for i in ids])
        systems: dict[str, list[list[int]]] = {
            name: [] for name in [*rankers, "embedding", "embedding_filtered", "keyword"]
        }
        labels = []
        for case in cases:
            req = case.request
            free = availability(session, req.start, req.end, ids)
            history = (
                client_history(session, case.client_id, ids, req.start) if case.client_id else {}
            )
            labels.append((case, gains(case, people, free, history), free))
            for name, ranker in rankers.items():
                rec = StaffingRecommender(index, ranker).recommend(session, req)
                systems[name].append([c.consultant_id for c in rec.candidates])
            sims = texts @ encoder.encode([req.text()])[0]
            by_text = [ids[i] for i in np.argsort(-sims, kind="stable")]
            systems["embedding"].append(by_text[:TOP])
            systems["embedding_filtered"].append(
                [c for c in by_text if not breaks_constraint(people[c], free.get(c), req)][:TOP]
            )
            by_words = sorted(ids, key=lambda c: -keyword_score(people[c], req))
            systems["keyword"].append(by_words[:TOP])
    scores = {name: _score(lists, labels, people) for name, lists in systems.items()}
    for i, (case, gain, _) in enumerate(labels):
        progress(
            f"staffing: {case.name}: {len(gain)} good; nDCG@10 ours "
            f"{ndcg_at(systems['ours'][i], gain):.2f}, embedding {ndcg_at(systems['embedding'][i], gain):.2f}"
        )
    empty = [c.name for c, g, _ in labels if not g]
    progress(
        f"staffing: cases with nobody good in the firm (left out of recall and nDCG): {empty or 'none'}"
    )
    return _rows(scores, rankers, compare)


def _rankers(store: Any, compare: tuple[str, str] | None) -> dict[str, StaffingRanker]:
    """``ours`` is the champion, or the candidate of ``compare`` beside its reference.

    ``composed_only`` ranks by the composed profile vectors alone, with the hard constraints:
    set beside full-text similarity with the same constraints, it shows what composing
    vectors from phrase embeddings costs or gains against embedding whole profile texts.
    """
    if compare is None:
        rankers = {"ours": _champion_or_defaults(store)}
    else:
        need_store(store)
        rankers = {
            "ours": _registered(store, compare[1]),
            "reference": _registered(store, compare[0]),
        }
    only_similarity = {f: 0.0 for f in StaffingRanker().weights} | {"skill_similarity": 1.0}
    return rankers | {"composed_only": StaffingRanker().with_weights(only_similarity, "eval")}


def _registered(store: Any, alias: str) -> StaffingRanker:
    """The version behind ``alias``; refused, like the other evaluators, when none has it."""
    return _named(load_registered(store, MODEL_NAME, alias, "staffing"), alias)


def _champion_or_defaults(store: Any) -> StaffingRanker:
    """The champion the service serves; with none registered, the default weights (which
    the service does not serve: its staffing routes answer 503 until a champion exists)."""
    found = store.load_alias(MODEL_NAME, CHAMPION) if store is not None else None
    if found is not None:
        return _named(found, CHAMPION)
    ranker = StaffingRanker()
    why = "no champion registered" if store is not None else "no model store given"
    ranker.version = f"default weights ({why})"
    return ranker


def _named(found: tuple[str, StaffingRanker], alias: str) -> StaffingRanker:
    version, ranker = found
    ranker.version = f"{alias} v{version}"
    return ranker


def _score(
    lists: list[list[int]],
    labels: list[tuple[Case, dict[int, int], dict[int, Availability]]],
    people: dict[int, Profile],
) -> dict[str, float]:
    recalls, ndcgs, shown, broken = [], [], 0, 0
    for ranked, (case, gain, free) in zip(lists, labels, strict=True):
        if gain:
            recalls.append(recall_at(ranked, gain))
            ndcgs.append(ndcg_at(ranked, gain))
        shown += len(ranked)
        broken += sum(1 for c in ranked if breaks_constraint(people[c], free.get(c), case.request))
    return {
        "recall_at_5": float(np.mean(recalls)) if recalls else math.nan,
        "ndcg_at_10": float(np.mean(ndcgs)) if ndcgs else math.nan,
        "constraint_violation_rate": broken / shown if shown else 0.0,
    }


def _rows(
    scores: dict[str, dict[str, float]],
    rankers: dict[str, StaffingRanker],
    compare: tuple[str, str] | None,
) -> list[MetricRow]:
    ours = scores["ours"]
    text = (
        f"ours = {rankers['ours'].version}; embedding_only = full-text MiniLM similarity, "
        "whole firm"
    )
    rows = [
        MetricRow(
            MODEL_NAME,
            "recall_at_5",
            ours["recall_at_5"],
            scores["embedding"]["recall_at_5"],
            baseline_name="embedding_only",
            note=text,
        ),
        MetricRow(
            MODEL_NAME,
            "ndcg_at_10",
            ours["ndcg_at_10"],
            scores["embedding"]["ndcg_at_10"],
            baseline_name="embedding_only",
        ),
        MetricRow(
            MODEL_NAME,
            "constraint_violation_rate",
            ours["constraint_violation_rate"],
            scores["embedding"]["constraint_violation_rate"],
            higher_is_better=False,
            baseline_name="embedding_only",
            threshold=Threshold(max=0.0),
            note="share of proposed candidates breaking a hard constraint; must be 0",
        ),
        MetricRow(
            MODEL_NAME,
            "ndcg_at_10_vs_filtered",
            ours["ndcg_at_10"],
            scores["embedding_filtered"]["ndcg_at_10"],
            baseline_name="embedding_then_constraints",
            note="full-text similarity with our hard constraints applied afterwards",
        ),
        MetricRow(
            MODEL_NAME,
            "ndcg_at_10_vs_keyword",
            ours["ndcg_at_10"],
            scores["keyword"]["ndcg_at_10"],
            baseline_name="keyword_match",
        ),
        MetricRow(
            MODEL_NAME,
            "composed_similarity_ndcg_at_10",
            scores["composed_only"]["ndcg_at_10"],
            scores["embedding_filtered"]["ndcg_at_10"],
            baseline_name="embedding_then_constraints",
            note="the similarity part alone: composed phrase vectors against full-text "
            "embeddings, both with the hard constraints",
        ),
    ]
    if compare:
        ref = rankers["reference"].version
        rows += [
            MetricRow(
                MODEL_NAME,
                f"{m}_vs_{compare[0]}",
                ours[m],
                scores["reference"][m],
                baseline_name=ref,
                note=f"ours is {rankers['ours'].version}",
            )
            for m in ("recall_at_5", "ndcg_at_10")
        ]
    return rows
