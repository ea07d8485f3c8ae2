"""Incoming requests waiting in the demo inbox: emails and chats from clients and project staff.

They name real demo projects and people so that routing them (staffing, scope change, billing,
...) leads somewhere in the data. About one in five has no known category, as in a real inbox.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from app.demo.catalog import MILESTONES
from app.demo.history import Row
from app.demo.people import Person
from app.demo.projects import ProjectPlan
from app.demo.staffing import Stint
from app.demo.timeline import Timeline, stream
from domain.types import EngagementType, ProjectStatus, RequestCategory

C = RequestCategory
CONTACTS = (
    "Maria",
    "John",
    "Aisha",
    "Peter",
    "Mei",
    "Carlos",
    "Sophie",
    "Tom",
    "Ingrid",
    "Raj",
    "Lucy",
    "Hiro",
)

# (category, sender kind, source, subject, body)
# fmt: off
TEMPLATES: tuple[tuple[RequestCategory, str, str, str, str], ...] = (
    (C.staffing_request, "pm", "email", "Need a {role} on {project}",
     "Hi all, we need another {role} with {skill} experience on {project} from {date} for about "
     "{weeks} weeks, {hours}h a week. The client wants someone who can start quickly. Can "
     "resourcing suggest names? Thanks, {pm}"),
    (C.staffing_request, "dm", "chat", "",
     "who's free for {project}? need a {skill} person, {hours}h/wk starting {date}"),
    (C.staffing_request, "client", "email", "Extending {first} on {project}",
     "Hello, we would like to keep {first} on the team until the end of {month}. The team has "
     "been great. Could you confirm availability? Best regards, {contact}"),
    (C.staffing_request, "pm", "portal", "Replacement needed: {role}",
     "{person} is rolling off {project} in two weeks. We need a replacement {role} ({skill}) "
     "with some overlap for handover."),
    (C.staffing_request, "dm", "email", "Bench check before the {client} kick-off",
     "The {client} deal is close to signature. Before we promise dates, can you check who on the"
     " bench has {skill} and could start around {date}?"),
    (C.scope_change, "client", "email", "Additional scope for {project}",
     "Hi {pm}, following yesterday's workshop we would like to add two more reports for the "
     "regional sales teams. Can you tell us what this does to cost and timeline? {contact}"),
    (C.scope_change, "pm", "email", "CR needed on {project}?",
     "The client keeps adding items to the backlog that were not in the SOW ({skill} integration"
     " this time). I think we need a change request before the next sprint. Can we discuss?"),
    (C.scope_change, "client", "email", "Change to go-live approach",
     "We have decided to go live by region instead of big bang. Please assess the impact on "
     "{project} and send us an updated plan and estimate. Regards, {contact}"),
    (C.scope_change, "pm", "chat", "",
     "client asking for extra environments on {project}, not in scope. roughly {hours}h of work,"
     " raising a CR?"),
    (C.scope_change, "client", "portal", "Add new data source",
     "Can the team also bring in the data from our warehouse management system? We understand "
     "this may be a change request."),
    (C.status_report, "client", "email", "Status update for steering committee",
     "Hi {pm}, could you send me a short status summary for {project} by Thursday? The steering "
     "committee meets on Friday and I need progress, risks and the next milestone. Thanks, "
     "{contact}"),
    (C.status_report, "dm", "chat", "",
     "can I get a one-paragraph status on {project} for the account review tomorrow?"),
    (C.status_report, "client", "email", "Where are we on {milestone}?",
     "Hello, our CFO is asking whether {milestone} is still on track. Please send a quick "
     "update. {contact}"),
    (C.status_report, "dm", "email", "Monthly portfolio summary",
     "Please prepare the monthly status summary for {client}: all active projects, RAG, budget "
     "position and top risks."),
    (C.status_report, "client", "portal", "Weekly report missing",
     "We did not receive last week's status report for {project}. Can you resend it?"),
    (C.timesheet_expense, "consultant", "email", "Timesheet correction",
     "Hi, I booked 8 hours to the wrong project last Tuesday; they should be on {project}. Can "
     "someone reopen my timesheet? {first}"),
    (C.timesheet_expense, "pm", "chat", "",
     "three people on {project} still haven't submitted last week's timesheets, can finance "
     "chase?"),
    (C.timesheet_expense, "consultant", "portal", "Travel expenses for client visit",
     "Submitting flights and hotel for the {client} on-site workshop. Is this rechargeable to "
     "the client under the SOW?"),
    (C.timesheet_expense, "consultant", "email", "Cannot log time",
     "The timesheet tool does not show {project} for me although I am assigned from this week. "
     "{first}"),
    (C.timesheet_expense, "pm", "email", "Overtime approval",
     "The team worked the weekend for the cutover on {project}. How do we record the overtime "
     "and is it billable?"),
    (C.billing_invoice, "client", "email", "Invoice query",
     "Dear team, invoice {invoice} for {project} includes hours for a role we did not agree. "
     "Please review and send a corrected invoice. Kind regards, {contact}"),
    (C.billing_invoice, "client", "email", "PO number for invoices",
     "Please quote our new purchase order number on all future invoices for {project}. Thank "
     "you, {contact}"),
    (C.billing_invoice, "pm", "chat", "",
     "{milestone} was signed off yesterday on {project}, can we release the milestone invoice?"),
    (C.billing_invoice, "client", "portal", "Payment terms",
     "Our finance team asks whether the invoices for {project} can move to 45-day payment terms."),
    (C.billing_invoice, "dm", "email", "Unbilled hours on {project}",
     "There seem to be unbilled hours from last month on {project}. Can finance check before "
     "month-end close?"),
    (C.risk_escalation, "client", "email", "Concerns about delivery of {project}",
     "Hi, I am increasingly concerned about {project}. Deadlines have slipped twice and the team"
     " seems stretched. I would like a call with your delivery director this week. {contact}"),
    (C.risk_escalation, "pm", "email", "Budget risk on {project}",
     "Heads up: we have burned most of the budget on {project} and we are not at the same share "
     "of progress. I think we need to flag this before the next steering committee. {pm}"),
    (C.risk_escalation, "consultant", "chat", "",
     "the {skill} environment on {project} is still not ready, we've lost a week already. this "
     "will hit the milestone"),
    (C.risk_escalation, "client", "email", "Key person leaving",
     "We heard that {first} is leaving the project. This is a real risk for us; who will replace"
     " them and how will the handover work? {contact}"),
    (C.risk_escalation, "pm", "portal", "Client dependency blocking {project}",
     "Client test data still not delivered after three reminders. UAT cannot start; milestone "
     "{milestone} at risk."),
    (C.project_setup, "dm", "email", "New project setup: {client}",
     "SOW signed for the next phase with {client}. Please set up the project code, budget and "
     "team in the PSA so that people can book time from {date}."),
    (C.project_setup, "pm", "portal", "Add milestones to {project}",
     "Please add the milestone plan from the SOW to {project} so billing can be scheduled."),
    (C.project_setup, "dm", "chat", "",
     "need a project code for the {client} discovery phase, fixed fee, 6 weeks, starting {date}"),
    (C.project_setup, "pm", "email", "Access for new starters",
     "Two new team members join {project} on {date}. Please arrange laptop, VPN and client "
     "system access."),
    (C.general_question, "consultant", "chat", "",
     "does anyone know if the {skill} certification is paid by the firm?"),
    (C.general_question, "client", "email", "Holiday coverage",
     "Hi, who is our contact on {project} while {first} is on holiday in {month}? {contact}"),
    (C.general_question, "consultant", "email", "Training budget",
     "Is there budget left this year for a {skill} course? My manager said to ask here."),
    (C.general_question, "dm", "chat", "",
     "what's the current policy on working from the client site vs remote for {client}?"),
    (C.general_question, "client", "portal", "Knowledge sharing session",
     "Could your team run a lunch-and-learn on {skill} for our internal staff?"),
    (C.risk_escalation, "dm", "email", "Margin on {project}",
     "Margin on {project} has dropped below target for the second month. Can we review staffing "
     "and the forecast?"),
    (C.staffing_request, "client", "email", "Senior support for the cutover",
     "For the cutover weekend of {project} we would like a senior {role} on call. Is that "
     "possible? {contact}"),
    (C.billing_invoice, "client", "email", "Credit note request",
     "The outage on {project} breached the SLA twice last month. Per the contract we are "
     "requesting service credits. {contact}"),
)
# fmt: on
# Shares of the inbox whose category is unknown (to be triaged).
UNLABELLED_SHARE = 0.2


def _next_milestone(plan: ProjectPlan, timeline: Timeline) -> str:
    """The project's next milestone after ``as_of`` (its last one if all are due)."""
    milestones = MILESTONES[plan.engagement]
    for name, share in milestones:
        if plan.start_week + round(share * (plan.weeks - 1)) >= timeline.as_of_week:
            return name
    return milestones[-1][0]


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def incoming_requests(
    seed: int,
    timeline: Timeline,
    plans: list[ProjectPlan],
    staffing: dict[int, list[Stint]],
    people: list[Person],
    count: int = 40,
) -> list[Row]:
    rng = stream(seed, "requests")
    live = [p for p in plans if p.status in (ProjectStatus.active, ProjectStatus.planned)]
    rows: list[Row] = []
    templates = list(TEMPLATES)
    rng.shuffle(templates)
    for n in range(count):
        category, sender_kind, source, subject, body = templates[n % len(templates)]
        # Cutovers and UAT only happen on implementations.
        implementing = any(word in body for word in ("cutover", "UAT"))
        pool = (
            [p for p in live if p.engagement is EngagementType.implementation]
            if implementing
            else live
        )
        plan = next((p for p in pool if p.featured), pool[0]) if n < 3 else rng.choice(pool)
        team = [s for s in staffing[plan.index] if not s.slot.lead]
        member = people[rng.choice(team).person]
        manager = next((people[s.person] for s in team if s.slot.manager), member)
        delivery = [s for s in team if not s.slot.manager] or team
        role_stint = rng.choice(delivery)
        role_person = people[role_stint.person]
        skill = rng.choice([k.name for k in role_person.skills[:4]])
        when = timeline.as_of + timedelta(days=rng.randint(7, 35))
        contact = rng.choice(CONTACTS)
        values = {
            "project": plan.name,
            "client": plan.client.name,
            "role": role_stint.slot.role,
            "skill": skill,
            "first": member.first_name,
            "person": member.name,
            "pm": manager.first_name,
            "contact": contact,
            "hours": rng.choice((16, 20, 24, 32, 40)),
            "weeks": rng.choice((4, 6, 8, 12)),
            "date": when.strftime("%d %B").lstrip("0"),
            "month": when.strftime("%B"),
            "milestone": _next_milestone(plan, timeline),
            "invoice": f"INV-{rng.randint(24000, 29999)}",
        }
        sender = {
            "client": f"{contact.lower()}@{_slug(plan.client.name)}.com",
            "pm": manager.email,
            "dm": plan.delivery_manager,
            "consultant": member.email,
        }[sender_kind]
        received = datetime.combine(
            timeline.as_of - timedelta(days=rng.randint(0, 20)),
            time(rng.randint(7, 18), rng.randint(0, 59)),
            tzinfo=UTC,
        )
        rows.append(
            {
                "external_id": f"REQ-{timeline.as_of:%Y%m}-{n + 1:03d}",
                "source": source,
                "sender": sender,
                "subject": subject.format(**values),
                "body": body.format(**values),
                "received_at": received,
                "category": None if rng.random() < UNLABELLED_SHARE else category.value,
                "project_key": plan.external_id,
                "status": "open"
                if received.date() > timeline.as_of - timedelta(days=7)
                else rng.choice(("open", "closed")),
            }
        )
    # The inbox reads newest first.
    rows.sort(key=lambda r: r["received_at"], reverse=True)
    return rows
