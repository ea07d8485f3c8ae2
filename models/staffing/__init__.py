"""The staffing recommender: profile vectors in LanceDB, hard constraints, a learnable ranker."""

from models.staffing.ranker import (
    MODEL_NAME,
    StaffingRanker,
    explain_difference,
    fit_weights_from_preferences,
)
from models.staffing.recommender import StaffingRecommender
from models.staffing.request import Candidate, Recommendation, SkillNeed, StaffingRequest

__all__ = [
    "MODEL_NAME",
    "Candidate",
    "Recommendation",
    "SkillNeed",
    "StaffingRanker",
    "StaffingRecommender",
    "StaffingRequest",
    "explain_difference",
    "fit_weights_from_preferences",
]
