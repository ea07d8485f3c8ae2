"""Engagement templates (``templates.yaml``): the firm's standard delivery patterns.

Per engagement type: the roles staffed at kickoff, the approvals the engagement needs, how it
bills and when it may close. A ``deal.approved`` event turns the kickoff roles into
``assign_staff`` proposals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.types import EngagementType
from governance.types import ProposalType
from governance.yamlconfig import load_yaml_model

DEFAULT_TEMPLATE_PATH = Path(__file__).with_name("templates.yaml")

ClosureCheck = Literal[
    "all_milestones_accepted",
    "no_open_change_requests",
    "final_status_note",
    "no_future_assignments",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KickoffRole(Strict):
    role: str = Field(min_length=1, max_length=80)
    hours_per_week: float = Field(gt=0, le=80)
    skills: list[str] = []
    role_level: str | None = None


class EngagementTemplate(Strict):
    description: str = ""
    kickoff_roles: list[KickoffRole] = Field(min_length=1)
    required_approvals: list[ProposalType] = []
    billing_trigger: Literal["milestone", "monthly_time_and_materials", "retainer"]
    closure_criteria: list[ClosureCheck] = []


class Templates(Strict):
    version: Literal[1]
    engagement_types: dict[EngagementType, EngagementTemplate]

    @model_validator(mode="after")
    def _complete(self) -> Templates:
        missing = [t.value for t in EngagementType if t not in self.engagement_types]
        if missing:
            raise ValueError(f"engagement_types: no template for {', '.join(missing)}")
        return self

    def for_type(self, engagement_type: str) -> EngagementTemplate:
        return self.engagement_types[EngagementType(engagement_type)]


def load_templates(path: Path = DEFAULT_TEMPLATE_PATH) -> Templates:
    """Read and validate the template file; raises ConfigFileError naming the path and field."""
    return load_yaml_model(path, Templates)
