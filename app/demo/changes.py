"""What change requests are about, per practice, and how they are written up."""

from __future__ import annotations

# (title, what the client asked for). ``{data}`` is a business object of the client's industry.
CHANGES: dict[str, tuple[tuple[str, str], ...]] = {
    "Data & AI": (
        (
            "Additional source systems",
            "Client asked to onboard {n} further source systems for {data} data.",
        ),
        (
            "Extended data retention",
            "Retention of {data} history extended from 3 to 7 years, requiring backfill.",
        ),
        ("Near-real-time ingestion", "Move {data} ingestion from nightly batch to near-real-time."),
        ("Additional finance reports", "{n} additional reports requested by the CFO's office."),
        ("Row-level security changes", "New security model by region and business unit."),
        (
            "Model scope extension",
            "Add a second forecasting horizon and {data} segment to the model.",
        ),
        (
            "Data quality remediation",
            "Source {data} data quality worse than assumed at sign-off; cleansing rules required.",
        ),
    ),
    "Cloud & Infrastructure": (
        ("Additional workloads in scope", "{n} further applications added to the migration waves."),
        ("Disaster recovery region", "Client now requires a secondary region with DR runbooks."),
        ("Extended hypercare", "Hypercare extended by {n} weeks after go-live."),
        (
            "Legacy OS remediation",
            "Unsupported operating systems found in discovery need upgrading before migration.",
        ),
        ("Additional security controls", "New controls required by the client's internal audit."),
        (
            "Network redesign",
            "Client changed its network provider; connectivity design must be redone.",
        ),
    ),
    "Enterprise Applications": (
        ("Additional legal entities", "{n} legal entities added to the rollout."),
        ("New interface", "New interface to the client's {data} system required."),
        (
            "Custom approval workflow",
            "Client-specific approval workflow replacing the standard process.",
        ),
        (
            "Additional data migration cycle",
            "An extra mock load needed because of {data} data quality.",
        ),
        ("Extended hypercare", "Hypercare extended by {n} weeks after go-live."),
        ("Reporting extension", "{n} additional operational reports for {data}."),
        ("Extra training wave", "Training for a further {n} user groups."),
    ),
    "Digital Experience": (
        ("Additional user journeys", "{n} further journeys added to scope, including {data}."),
        ("Multi-language support", "Site to launch in {n} additional languages."),
        ("Accessibility uplift to WCAG 2.2 AA", "Target moved from WCAG 2.1 A to 2.2 AA."),
        ("New payment provider", "Client switched payment provider late in the build."),
        ("Design refresh", "Brand refresh mid-project requires rework of approved designs."),
        ("Additional integration", "Integration with the client's {data} platform added."),
    ),
    "Strategy & Transformation": (
        ("Additional business units", "{n} more business units included in the assessment."),
        ("Extended benefits tracking", "Benefits tracking support extended for another quarter."),
        ("Board pack preparation", "Additional board-level materials and rehearsals."),
        ("Additional workshops", "{n} extra design workshops requested by the sponsor."),
        ("Deeper cost analysis", "Cost baseline to be broken down to {data} level."),
    ),
}


def change_wording(practice: str, kind: int, data: str) -> tuple[str, str]:
    title, ask = CHANGES[practice][kind % len(CHANGES[practice])]
    return title, ask.format(n=2 + kind % 4, data=data)
