"""Classify a request and say what it refers to (read-only: nothing is stored)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.deps import CurrentUser, SessionDep
from app.services import ServicesDep
from domain.errors import InvalidInput
from domain.types import Text

router = APIRouter(prefix="/v1/requests", tags=["requests"])


class ClassifyRequest(BaseModel):
    text: Text = Field(max_length=20_000, description="The request as received (email, chat)")


class Alternative(BaseModel):
    label: str
    probability: float


class ClassifyResponse(BaseModel):
    label: str | None = Field(description="The category, or null when the model abstains")
    top_label: str = Field(description="The model's best guess, even when it abstains")
    confidence: float = Field(description="Calibrated probability of top_label")
    abstained: bool = Field(description="True: route the request to human triage")
    abstain_reason: str | None = Field(description="low_confidence or out_of_domain")
    alternatives: list[Alternative] = Field(description="The three likeliest categories")
    extraction: dict[str, Any] = Field(
        description="Project/client (with candidates or unknown names), roles, skills, hours, "
        "dates and money found in the text"
    )
    model_version: str


@router.post("/classify", response_model=ClassifyResponse)
def classify(
    body: ClassifyRequest, session: SessionDep, services: ServicesDep, _: CurrentUser
) -> dict[str, Any]:
    from models.classifier.triage import triage

    text = body.text.strip()
    if not text:
        raise InvalidInput("text is empty: send the request's wording in 'text'")
    classifier = services.require("classifier")
    index = services.require("firm_index").get(session)
    return triage(text, classifier, index, date.today()).to_dict()
