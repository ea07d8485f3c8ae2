"""What a delivery manager asks for, and what comes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.errors import InvalidInput


@dataclass(frozen=True)
class SkillNeed:
    name: str
    min_level: int = 3  # proficiency 1..5


@dataclass(frozen=True)
class StaffingRequest:
    """One role to fill. Region, languages and certifications, when given, are hard limits."""

    role: str
    start: date
    end: date
    hours_per_week: float
    required: tuple[SkillNeed, ...] = ()
    nice_to_have: tuple[SkillNeed, ...] = ()
    region: str | None = None
    languages: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    budget_rate: float | None = None  # hourly rate the client pays, when there is no project
    project_id: int | None = None
    description: str = ""
    top: int = 10

    def validate(self) -> StaffingRequest:
        """Raise ``InvalidInput`` naming the field to fix; return self when all is well."""
        problems = []
        if not self.role.strip() and not self.required:
            problems.append("role: give a role or at least one required skill")
        if self.end < self.start:
            problems.append(f"end: {self.end} is before start {self.start}")
        if not 0 < self.hours_per_week <= 80:
            problems.append(f"hours_per_week: {self.hours_per_week} is not between 1 and 80")
        for group, needs in (("required", self.required), ("nice_to_have", self.nice_to_have)):
            for i, need in enumerate(needs):
                if not need.name.strip():
                    problems.append(f"{group}[{i}].name: empty skill name")
                if not 1 <= need.min_level <= 5:
                    problems.append(f"{group}[{i}].min_level: {need.min_level} is not 1..5")
        if self.budget_rate is not None and self.budget_rate <= 0:
            problems.append(f"budget_rate: {self.budget_rate} must be positive")
        if not 1 <= self.top <= 100:
            problems.append(f"top: {self.top} is not between 1 and 100")
        if problems:
            raise InvalidInput("; ".join(problems), extra={"problems": problems})
        return self

    def text(self) -> str:
        """The request as one sentence (for full-text embedding baselines and logs)."""
        parts = [self.role] if self.role else []
        if self.required:
            parts.append("skills: " + ", ".join(f"{s.name} {s.min_level}/5" for s in self.required))
        if self.nice_to_have:
            parts.append("nice to have: " + ", ".join(s.name for s in self.nice_to_have))
        if self.description:
            parts.append(self.description)
        return "; ".join(parts)


@dataclass(frozen=True)
class SkillEvidence:
    name: str  # as asked
    level: int | None  # None: not held
    asked: int
    required: bool
    held_as: str | None = None  # the profile's name for it, when that differs ("Apache Spark")

    @property
    def label(self) -> str:
        return self.held_as or self.name


@dataclass(frozen=True)
class Facts:
    """What a candidate's score was computed from, kept for reasons and explanations."""

    skills: tuple[SkillEvidence, ...]
    free_hours: float
    capacity_hours: float
    utilization_after: float
    utilization_target: float
    margin: float
    rate: float
    rate_basis: str  # "project", "budget" or "own"
    client_projects: int
    client_name: str | None
    similarity: float


@dataclass(frozen=True)
class Candidate:
    consultant_id: int
    external_id: str
    name: str
    title: str
    role_level: str
    region: str
    score: float
    parts: dict[str, float]  # weight x feature, per part; they sum to ``score``
    features: dict[str, float]  # each part's value on 0..1 before weighting
    facts: Facts
    reasons: str = ""


@dataclass(frozen=True)
class Recommendation:
    request: StaffingRequest
    candidates: list[Candidate]
    considered: int  # profiles retrieved and checked
    excluded: dict[str, int] = field(default_factory=dict)  # by hard constraint
    model_version: str = ""
    search_mode: str = ""
