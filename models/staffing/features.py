"""Hard constraints and the scored parts of one candidate for one request.

Every part is a number on 0..1 where more is better, so that weights are comparable and can be
learned from approvers' choices (``ranker.fit_weights_from_preferences``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from domain.availability import Availability
from models.staffing.profiles import Profile, SkillLevel
from models.staffing.request import Facts, SkillEvidence, StaffingRequest

FEATURES = (
    "skill_similarity",  # cosine between the request vector and the profile vector
    "skill_match",  # the named skills held at the levels asked
    "availability",  # share of capacity free in the busiest week of the window
    "margin",  # (rate - cost) / rate at the rate the work is billed
    "utilization_fit",  # how close the assignment brings them to their utilization target
    "client_history",  # has worked on this client's projects before
)

# Partial credit for a skill held below the level asked: a 3 for a 4 is worth something,
# but clearly less than the level asked.
BELOW_LEVEL_CREDIT = 0.5
NICE_TO_HAVE_WEIGHT = 0.5

EXCLUSION_REASONS = ("availability", "region", "language", "certification")


@lru_cache(maxsize=8192)
def _words(name: str) -> frozenset[str]:
    # Cached: matching tokenises every held skill of every candidate, and a firm has only a
    # few hundred distinct skill names.
    return frozenset(re.findall(r"[a-z0-9#+.]+", name.lower()))


class SkillMatcher:
    """Finds, for each skill a request names, the profile's skill that stands for it.

    Requests use the requester's words, profiles the firm's catalogue: "Spark" is held as
    "Apache Spark", "SAP MM" as "SAP S/4HANA MM". An exact (case-insensitive) name wins;
    otherwise a held skill whose name contains every word of the asked one (or the reverse),
    the most proficient first. Embedding similarity is no guide here: "SAP Finance" is as close
    to "SAP IBP" (0.74) as "Spark" is to "Apache Spark" (0.70), because the vendor word
    dominates; semantic closeness counts through ``skill_similarity`` instead.
    """

    def __init__(self, asked: Iterable[str]) -> None:
        self.asked = {name: _words(name) for name in dict.fromkeys(asked)}

    def match(self, p: Profile) -> dict[str, SkillLevel | None]:
        out: dict[str, SkillLevel | None] = {}
        held = sorted(p.skills.values(), key=lambda s: (-s.proficiency, s.name))
        for name, words in self.asked.items():
            exact = p.skill(name)
            if exact is not None:
                out[name] = exact
                continue
            out[name] = next(
                (s for s in held if words and (words <= _words(s.name) or _words(s.name) <= words)),
                None,
            )
        return out


def lacks_hours(avail: Availability, req: StaffingRequest) -> bool:
    """Fewer free hours in the busiest week of the window than the request asks for."""
    return avail.free_hours + 1e-9 < req.hours_per_week


def constraint_failure(p: Profile, avail: Availability | None, req: StaffingRequest) -> str | None:
    """The first hard constraint ``p`` breaks for ``req``, or None if they may be proposed."""
    if avail is None or lacks_hours(avail, req):
        return "availability"
    if req.region and p.region.strip().lower() != req.region.strip().lower():
        return "region"
    if any(not p.speaks(lang) for lang in req.languages):
        return "language"
    # A required certification must stay valid for the whole assignment, not just on day one.
    if any(not p.holds_certification(c, req.end) for c in req.certifications):
        return "certification"
    return None


def billing_rate(p: Profile, req: StaffingRequest, project_rate: float | None) -> tuple[float, str]:
    """The hourly rate the work is billed at, and where it came from."""
    if req.budget_rate:
        return req.budget_rate, "budget"
    if project_rate:
        return project_rate, "project"
    return p.bill_rate, "own"


def facts_for(
    p: Profile,
    avail: Availability,
    req: StaffingRequest,
    *,
    similarity: float,
    project_rate: float | None,
    client_projects: int,
    client_name: str | None,
    held: Mapping[str, SkillLevel | None] | None = None,
) -> Facts:
    """The facts behind one candidate's parts; ``held`` maps asked skill names to the
    profile's matching skill (``SkillMatcher``); without it only exact names count."""
    evidence = []
    for required, needs in ((True, req.required), (False, req.nice_to_have)):
        for need in needs:
            have = held[need.name] if held is not None else p.skill(need.name)
            evidence.append(
                SkillEvidence(
                    need.name,
                    have.proficiency if have else None,
                    need.min_level,
                    required,
                    have.name if have and have.name.lower() != need.name.lower() else None,
                )
            )
    rate, basis = billing_rate(p, req, project_rate)
    capacity = avail.capacity_hours or p.capacity_hours
    util_after = (avail.mean_committed_hours + req.hours_per_week) / capacity if capacity else 1.0
    return Facts(
        skills=tuple(evidence),
        free_hours=avail.free_hours,
        capacity_hours=capacity,
        utilization_after=util_after,
        utilization_target=p.utilization_target,
        margin=(rate - p.cost_rate) / rate if rate else 0.0,
        rate=rate,
        rate_basis=basis,
        client_projects=client_projects,
        client_name=client_name,
        similarity=similarity,
    )


def skill_match(facts: Facts) -> float:
    total = weight = 0.0
    for s in facts.skills:
        w = 1.0 if s.required else NICE_TO_HAVE_WEIGHT
        weight += w
        if s.level is None:
            continue
        total += w * (1.0 if s.level >= s.asked else BELOW_LEVEL_CREDIT * s.level / s.asked)
    return total / weight if weight else 0.0


def features(facts: Facts) -> dict[str, float]:
    """The parts, each on 0..1, in ``FEATURES`` order."""
    target = max(facts.utilization_target, 1e-6)
    return {
        "skill_similarity": max(0.0, min(1.0, facts.similarity)),
        "skill_match": skill_match(facts),
        "availability": min(1.0, facts.free_hours / facts.capacity_hours)
        if facts.capacity_hours
        else 0.0,
        "margin": max(0.0, min(1.0, facts.margin)),
        "utilization_fit": max(0.0, 1.0 - abs(facts.utilization_after - target) / target),
        "client_history": 1.0 if facts.client_projects > 0 else 0.0,
    }
