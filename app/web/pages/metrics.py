"""Queue metrics for data scientists: outcome rates over time by type and model version,
reason codes, time to decision, backlog and SLA, and champion vs challenger with a button that
proposes (never performs) a promotion.

Outcome rates, weekly series and reason codes are ``app.feedback.report``'s override metrics
(the numbers ``opscopilot feedback report`` prints); backlog, cycle time and SLA adherence are
``Governance.queue_metrics``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.feedback import report
from app.feedback.mlflow_ui import mlflow_links
from app.routers.proposals import GovernanceDep
from app.services import ServicesDep
from app.web import charts
from app.web.forms import read_form
from app.web.model_registry import MlflowRegistryReader, RegistryReader, RegistryView
from app.web.routing import page_router
from app.web.templating import TYPE_LABELS, render
from app.web.viewer import PageSession, Viewer, require_page
from domain.errors import InvalidInput
from domain.types import Id, utcnow
from governance import access
from governance.actor import Actor
from governance.metrics import QueueMetrics, percentiles
from governance.schemas import Evidence, ProposalCreate, ProposalFilters
from governance.service import Governance
from governance.types import ProposalType

router = page_router()
MetricsViewer = Annotated[Viewer, Depends(require_page("metrics"))]
WINDOWS = (4, 12, 26)
SLA_TARGET = 0.9
OUTCOME_KEYS = list(report.OUTCOMES)


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    counts: dict[str, int]  # per outcome
    median_hours: float | None  # from proposal to a person's decision

    @property
    def label(self) -> str:
        return self.start.strftime("%d %b")


def registry_reader(request: Request, services: ServicesDep) -> RegistryReader:
    # Tests and deployments without MLflow plug in their own reader under this name.
    reader: RegistryReader | None = services.extras.get("model_registry")
    return reader or MlflowRegistryReader(request.app.state.runtime.settings)


RegistryDep = Annotated[RegistryReader, Depends(registry_reader)]


def _firm_wide(viewer: Viewer) -> Actor:
    # Metrics are about the models, so data scientists read the whole firm, as the API does.
    return Actor("*", "admin") if viewer.role in ("admin", "data_scientist") else viewer.actor


def weekly(
    metrics: report.OverrideMetrics, rows: Sequence[report.DecisionRow], starts: list[date]
) -> list[Week]:
    """One bucket per week shown, oldest first, weeks without decisions included."""
    counts = {w.week_start: w.counts for w in metrics.weekly}
    hours: dict[date, list[float]] = defaultdict(list)
    for r in rows:  # as report.TimeToDecision counts: people's decisions, expiries left out
        if r.by_person and r.action != "expire":
            took = (r.decided_at - r.created_at).total_seconds() / 3600
            hours[report.week_start(r.decided_at)].append(took)
    return [Week(s, counts.get(s, {}), percentiles(hours[s]).p50) for s in starts]


def reason_counts(metrics: report.OverrideMetrics) -> list[tuple[str, str, int]]:
    """(reason code, the outcome it was most often given with, count), most used first."""
    out = [
        (code, max(OUTCOME_KEYS, key=lambda o: r.counts[o]), r.decided)
        for code, r in metrics.by_reason_code.items()
    ]
    return sorted(out, key=lambda x: (-x[2], x[0]))


@router.get("/metrics")
def metrics_page(
    request: Request,
    session: PageSession,
    viewer: MetricsViewer,
    gov: GovernanceDep,
    registry: RegistryDep,
    weeks: int = 12,
    kind: Annotated[str, Query(alias="type")] = "",
    model: str = "",
    promoted: Id | None = None,
) -> Response:
    weeks = weeks if weeks in WINDOWS else 12
    kind = kind if kind in ProposalType.__members__ else ""
    now = utcnow()
    # The window is the weeks the chart shows, so the headline figures and the chart agree.
    this_week = report.week_start(now)
    starts = [this_week - timedelta(weeks=n) for n in reversed(range(weeks))]
    since = datetime.combine(starts[0], time(), tzinfo=UTC)
    summary = gov.queue_metrics(session, viewer.actor, since=since, now=now)
    scope = access.visible_sql(gov.ctx.policies, _firm_wide(viewer))
    rows = [
        r
        for r in report.decision_rows(session, since=since, until=now, scope=scope)
        if not kind or r.type == kind
    ]
    versions = sorted({r.model_version or report.NONE_KEY for r in rows})
    model = model if model in versions else ""
    if model:
        rows = [r for r in rows if (r.model_version or report.NONE_KEY) == model]
    outcomes = report.compute_metrics(rows, since=since, until=now)
    week_list = weekly(outcomes, rows, starts)
    reasons = reason_counts(outcomes)
    view = registry.read()
    settings = request.app.state.runtime.settings
    context: dict[str, Any] = {
        # Links into the MLflow UI that `opscopilot serve` runs beside the app.
        "mlflow": mlflow_links(settings) if settings.mlflow.serve_ui else None,
        "pending_promotions": _pending_promotions(session, gov, viewer),
        "weeks": weeks,
        "windows": WINDOWS,
        "kind": kind,
        "model": model,
        "versions": versions,
        "types": list(ProposalType),
        "summary": summary,
        "outcomes": outcomes,
        "week_list": week_list,
        "reasons": reasons,
        "registry": view,
        "promoted": promoted,
        "sla_target": SLA_TARGET,
        "outcome_keys": OUTCOME_KEYS,
        "outcome_labels": charts.OUTCOME_LABELS,
        "outcome_colors": charts.OUTCOME_COLORS,
        "charts": _charts(summary, outcomes, week_list, reasons),
    }
    return render(request, "metrics.html", context, page="metrics")


def _charts(
    summary: QueueMetrics, outcomes: report.OverrideMetrics, week_list: list[Week],
    reasons: list[tuple[str, str, int]],
) -> dict[str, Any]:  # fmt: skip
    def label(t: str) -> str:
        return TYPE_LABELS.get(t, t)

    by_type = [(label(t), r.counts) for t, r in outcomes.by_type.items()]
    by_model = [(m, r.counts) for m, r in outcomes.by_model_version.items()]
    cycle = [
        charts.Bar(label(t), p.p50 or 0.0, "#4263eb", note=f"median {p.p50:g} h · p90 {p.p90:g} h")
        for t, p in summary.cycle_time_hours.items()
        if t != "all" and p.p50 is not None
    ]
    sla = [
        charts.Bar(label(t), v, "#2b8a3e" if v >= SLA_TARGET else "#e8590c", note=f"{v:.0%}")
        for t, v in summary.sla_adherence.items()
        if t != "all" and v is not None
    ]
    backlog = [
        charts.Bar(
            label(b.type), float(b.pending), "#e8590c" if b.overdue else "#4263eb",
            note=f"{b.pending} pending · {b.overdue} overdue",
        )
        for b in summary.backlog
    ]  # fmt: skip
    reason_bars = [
        charts.Bar(code.replace("_", " "), float(n), charts.OUTCOME_COLORS.get(outcome, "#868e96"))
        for code, outcome, n in reasons[:12]
    ]
    return {
        "weekly": charts.stacked_columns(
            [(w.label, w.counts) for w in week_list], OUTCOME_KEYS,
            title="Share of decisions by outcome, per week",
        ),
        "by_type": charts.stacked_rows(by_type, OUTCOME_KEYS, title="Outcomes by proposal type")
        if by_type else None,
        "by_model": charts.stacked_rows(by_model, OUTCOME_KEYS, title="Outcomes by model version")
        if by_model else None,
        "reasons": charts.bars(reason_bars, title="Decisions by reason code", fmt=lambda v: f"{v:g}")
        if reason_bars else None,
        "cycle": charts.bars(cycle, title="Median hours from proposal to decision, by type")
        if cycle else None,
        "sla": charts.bars(
            sla, title="Share decided within the SLA, by type", max_value=1.0,
            target=SLA_TARGET, target_label=f"target {SLA_TARGET:.0%}",
        ) if sla else None,
        "backlog": charts.bars(backlog, title="Pending proposals by type") if backlog else None,
        "median_trend": charts.sparkline(
            [w.median_hours for w in week_list], title="Median hours to decision, per week"
        ),
    }  # fmt: skip


def _pending_promotions(session: Session, gov: Governance, viewer: Viewer) -> dict[str, int]:
    """Pending promotion proposals by ``model@version``, so the page offers no second one."""
    page = gov.list_proposals(
        session, viewer.actor,
        ProposalFilters(status="pending", type=ProposalType.promote_model), limit=200,
    )  # fmt: skip
    return {
        f"{p.payload.get('model_name')}@{p.payload.get('challenger_version')}": p.id
        for p in page.items
    }


@router.post("/metrics/promote")
async def propose_promotion(
    request: Request,
    session: PageSession,
    viewer: MetricsViewer,
    gov: GovernanceDep,
    registry: RegistryDep,
) -> Response:
    form = await read_form(request)
    name = form.get("model_name")
    view: RegistryView = registry.read()
    found = view.find(name)
    if found is None or not found.promotable or found.challenger is None:
        raise InvalidInput(
            f"There is no challenger of {name or 'that model'} to promote; register one first "
            "(`opscopilot tune`), then reload the metrics page."
        )
    actor = viewer.actor
    pending = _pending_promotions(session, gov, viewer).get(
        f"{found.name}@{found.challenger.version}"
    )
    if pending is not None:
        return RedirectResponse(f"/metrics?promoted={pending}#models", status_code=303)
    data = ProposalCreate(
        type=ProposalType.promote_model,
        payload={
            "model_name": found.name,
            "challenger_version": found.challenger.version,
            "champion_version": found.champion.version if found.champion else None,
            "eval_report": found.eval_report(),
        },
        evidence=Evidence(summary=f"Proposed from the metrics page by {viewer.email}"),
        model_version=f"{found.name}@{found.challenger.version}",
    )
    created = gov.submit_as(session, data, actor)
    return RedirectResponse(f"/metrics?promoted={created.id}#models", status_code=303)
