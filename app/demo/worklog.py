"""What people write in a timesheet line: short, specific to their craft and the project phase.

Placeholders: ``{tech}`` a tool of the person's track, ``{data}`` a business object of the
client's industry, ``{sprint}`` the sprint number, ``{n}`` a small number.
"""

from __future__ import annotations

import random

# Track -> the family of work it does.
# fmt: off
FAMILY: dict[str, str] = {
    "data_eng_azure": "data_eng", "data_eng_aws": "data_eng", "analytics_bi": "bi",
    "data_science": "ds", "data_governance": "governance", "azure_platform": "cloud",
    "aws_platform": "cloud", "platform_devops": "devops", "cloud_security": "security",
    "cloud_ops": "ops", "sap_finance": "erp", "sap_supply_chain": "erp", "dynamics": "erp",
    "salesforce": "crm", "workday": "hcm", "servicenow": "itsm", "frontend": "web",
    "backend": "backend", "mobile": "mobile", "experience_design": "design",
    "commerce_cms": "commerce", "delivery_pmo": "pmo", "change": "change", "strategy": "strategy",
    "business_analysis": "ba",
}
# fmt: on

# Track -> the tools its people name in a timesheet line.
# fmt: off
TOOLS: dict[str, tuple[str, ...]] = {
    "data_eng_azure": ("Azure Data Factory", "Databricks", "Spark", "Fabric"),
    "data_eng_aws": ("Glue", "dbt", "Airflow", "Snowflake", "Redshift"),
    "analytics_bi": ("Power BI", "Tableau"),
    "data_science": ("scikit-learn", "PyTorch", "Azure ML", "SageMaker"),
    "data_governance": ("Purview", "Collibra"),
    "azure_platform": ("Azure Policy", "Bicep", "Terraform"),
    "aws_platform": ("Control Tower", "CloudFormation", "Terraform"),
    "platform_devops": ("GitHub Actions", "Azure DevOps", "GitLab CI"),
    "cloud_security": ("Sentinel", "Defender for Cloud", "Entra ID", "Okta"),
    "cloud_ops": ("Datadog", "Splunk", "Azure Monitor"),
    "sap_finance": ("S/4HANA FI", "S/4HANA CO", "Group Reporting"),
    "sap_supply_chain": ("S/4HANA MM", "S/4HANA SD", "EWM"),
    "dynamics": ("D365 Finance", "D365 SCM", "Power Automate"),
    "salesforce": ("Sales Cloud", "Service Cloud", "CPQ"),
    "workday": ("Workday HCM", "Workday Payroll"),
    "servicenow": ("ServiceNow ITSM", "ServiceNow ITOM"),
    "frontend": ("React", "Next.js", "Angular"),
    "backend": ("Spring Boot", ".NET", "Node.js"),
    "mobile": ("Swift", "Kotlin", "React Native", "Flutter"),
    "experience_design": ("Figma",),
    "commerce_cms": ("AEM", "Sitecore", "commercetools", "Salesforce Commerce Cloud"),
    "delivery_pmo": ("Jira", "MS Project"),
    "change": ("the LMS",),
    "strategy": ("the cost model",),
    "business_analysis": ("Jira", "Celonis"),
}
# fmt: on

# family -> phase -> lines. Phases: design, build, close (implementation) and run.
# fmt: off
WORK: dict[str, dict[str, tuple[str, ...]]] = {
    "data_eng": {
        "design": (
            "Source system analysis for {data} feeds",
            "Design of bronze/silver/gold layers in {tech}",
            "Environment setup and access requests", "Workshop with data owners on {data} data",
        ),
        "build": (
            "Sprint {sprint}: {tech} pipeline for {data} ingestion",
            "Incremental load logic for {data} tables", "Code review and PR fixes",
            "Data quality checks on {data} feed", "Curated layer for {data} in {tech}",
        ),
        "close": (
            "Performance tuning of {tech} jobs", "UAT defect fixes on {data} pipelines",
            "Runbook and handover documentation", "Production deployment support",
        ),
        "run": (
            "Monitoring and reruns of failed loads",
            "Incident: {data} load failure, root cause and fix",
            "Small enhancement: new {data} extract", "Monthly cost review and cluster tuning",
        ),
    },
    "bi": {
        "design": (
            "KPI definition workshop with finance", "Report inventory and rationalisation",
            "Wireframes for {data} dashboard", "Semantic model design",
        ),
        "build": (
            "Sprint {sprint}: {data} dashboard in {tech}", "DAX measures for {data} KPIs",
            "Row-level security setup", "Star schema for {data} reporting",
            "Report migration, batch {n}",
        ),
        "close": (
            "UAT support for finance reports", "Fixes from report UAT feedback",
            "Report user training session", "Refresh schedule and gateway configuration",
        ),
        "run": (
            "Dashboard refresh failure investigation", "New {data} report request",
            "Monthly usage review", "Support ticket: incorrect {data} totals",
        ),
    },
    "ds": {
        "design": (
            "Exploratory analysis of {data} data", "Use-case prioritisation workshop",
            "Data availability assessment for {data}", "Baseline model scoping",
        ),
        "build": (
            "Feature engineering for {data} model",
            "Sprint {sprint}: model training and evaluation in {tech}",
            "Backtesting against last year's {data}", "Prompt and retrieval tuning",
            "Experiment tracking in MLflow",
        ),
        "close": (
            "Model validation write-up", "Deployment of scoring pipeline",
            "Handover session with client data team", "Monitoring dashboard for model drift",
        ),
        "run": (
            "Monthly model retrain on {data}", "Drift investigation on {data} model",
            "Model performance report", "Support request: scoring job failed",
        ),
    },
    "governance": {
        "design": (
            "Data ownership interviews", "Current-state review of {data} definitions",
            "Policy gap analysis", "Governance operating model draft",
        ),
        "build": (
            "Business glossary entries for {data}", "Data quality rules for {data} in {tech}",
            "Lineage capture for {data} flows", "Steward onboarding session",
        ),
        "close": (
            "Governance council dry run", "Handover of stewardship processes",
            "Final data quality scorecard", "Training for data stewards",
        ),
        "run": (
            "Monthly data quality report", "Stewardship forum", "Glossary update requests",
            "Access review",
        ),
    },
    "cloud": {
        "design": (
            "Landing zone design workshop", "Application discovery and dependency mapping",
            "Migration wave planning", "Network and IP address design",
        ),
        "build": (
            "Wave {n} workload migration and testing", "{tech} guardrails and RBAC configuration",
            "Terraform modules for shared services", "Cutover rehearsal for wave {n}",
            "Backup and DR configuration",
        ),
        "close": (
            "Wave {n} cutover support", "Decommissioning of migrated servers",
            "Post-migration performance checks", "Operational handover to run team",
        ),
        "run": (
            "Patching and vulnerability remediation", "Cost optimisation review",
            "Incident: VM unavailable", "Change request implementation: firewall rules",
        ),
    },
    "devops": {
        "design": (
            "Platform architecture and cluster sizing", "CI/CD current-state assessment",
            "Golden path design for service teams", "Tooling selection workshop",
        ),
        "build": (
            "CI/CD pipeline templates in {tech}", "Cluster provisioning with Terraform",
            "Helm charts for shared services", "Sprint {sprint}: GitOps setup with Argo CD",
            "Observability stack configuration",
        ),
        "close": (
            "Onboarding of first product teams", "Platform runbooks", "Load testing and tuning",
            "Knowledge transfer to platform team",
        ),
        "run": (
            "Cluster upgrade", "Pipeline failure investigation",
            "On-call handover and incident review", "Developer support requests",
        ),
    },
    "security": {
        "design": (
            "Security architecture review", "Identity current-state assessment",
            "Threat modelling workshop", "Conditional access policy design",
        ),
        "build": (
            "{tech} configuration and tuning", "Privileged access rollout, group {n}",
            "Detection rules for SOC", "Zero Trust pilot configuration",
        ),
        "close": (
            "Security testing and remediation", "Policy documentation", "Handover to SOC team",
            "Final controls evidence pack",
        ),
        "run": (
            "Alert triage and tuning", "Monthly security posture report", "Access review",
            "Vulnerability scan follow-up",
        ),
    },
    "ops": {
        "design": (
            "Service transition planning", "Monitoring requirements workshop", "Runbook inventory",
            "ITSM process alignment",
        ),
        "build": (
            "Monitoring and alerting setup in {tech}", "Runbook automation",
            "Alert routing configuration", "Backup policy rollout",
        ),
        "close": (
            "Operational acceptance testing", "Hypercare support", "Service handover documentation",
            "Knowledge transfer sessions",
        ),
        "run": (
            "P2 incident resolution", "Monthly service review pack", "Patch cycle",
            "Capacity and cost review", "Problem ticket root cause analysis",
        ),
    },
    "erp": {
        "design": (
            "Fit-to-standard workshop: {data}", "Process design for {data}",
            "Blueprint documentation", "Data migration strategy",
        ),
        "build": (
            "{tech} configuration for {data}", "Functional spec for {data} interface",
            "Unit testing of {data} scenarios", "Data migration mock load {n}",
            "Sprint {sprint}: {tech} build",
        ),
        "close": (
            "SIT defect resolution", "UAT support: {data} scenarios", "Cutover rehearsal",
            "End-user training", "Go-live support",
        ),
        "run": (
            "Incident: {data} posting error", "Month-end close support",
            "Minor enhancement: {data} report", "Transport and release management",
        ),
    },
    "crm": {
        "design": (
            "Discovery workshop: sales process", "User story refinement for {data}",
            "Data model design", "Integration design with ERP",
        ),
        "build": (
            "Sprint {sprint}: {tech} configuration", "Apex triggers for {data}",
            "Lightning components for {data}", "Flow automation for approvals",
            "Data migration of accounts and contacts",
        ),
        "close": (
            "UAT support with sales ops", "Defect fixes from UAT", "Admin training",
            "Go-live and hypercare",
        ),
        "run": (
            "User access requests", "New field and layout request", "Release regression testing",
            "Support ticket: {data} sync issue",
        ),
    },
    "hcm": {
        "design": (
            "Workshop: hire to retire process", "Configuration workbook review", "Tenant setup",
            "Integration inventory",
        ),
        "build": (
            "{tech} business process configuration", "EIB data load, iteration {n}",
            "Integration build: payroll feed", "Security group configuration", "Compensation setup",
        ),
        "close": (
            "Parallel payroll run {n}", "End-to-end testing", "HR user training", "Go-live cutover",
        ),
        "run": (
            "Biannual release review", "Support ticket: absence plan", "Report request from HR",
            "Integration monitoring",
        ),
    },
    "itsm": {
        "design": (
            "Process workshop: incident and change", "CMDB design", "Service catalogue review",
            "Instance strategy",
        ),
        "build": (
            "{tech} configuration: incident workflow", "Catalogue items batch {n}",
            "Flow Designer automation", "Integration with monitoring tools",
            "Sprint {sprint}: {tech} build",
        ),
        "close": (
            "UAT with service desk", "Agent training", "Knowledge base migration",
            "Go-live support",
        ),
        "run": (
            "Upgrade testing", "Catalogue item request", "Support ticket: SLA calculation",
            "Platform health check",
        ),
    },
    "web": {
        "design": (
            "Component inventory and audit", "Frontend architecture spike",
            "Accessibility review of designs", "Design handover session",
        ),
        "build": (
            "Sprint {sprint}: {data} pages in {tech}", "Component library work",
            "API integration for {data}", "Unit tests and code review", "Responsive layout fixes",
        ),
        "close": (
            "Cross-browser testing and fixes", "Accessibility remediation",
            "Performance tuning (Core Web Vitals)", "Release preparation",
        ),
        "run": (
            "Bug fix: {data} page", "Dependency upgrades", "Small enhancement request",
            "Release support",
        ),
    },
    "backend": {
        "design": (
            "Service decomposition and API design", "Technical spike on {tech}",
            "Domain model for {data}", "Non-functional requirements review",
        ),
        "build": (
            "Sprint {sprint}: {data} service in {tech}", "REST endpoints for {data}",
            "Integration tests", "Code review and refactoring", "Database migration scripts",
        ),
        "close": (
            "Load testing and tuning", "Defect fixes from SIT", "Release and deployment support",
            "Operational documentation",
        ),
        "run": (
            "Production incident: {data} API errors", "Security patching",
            "Minor enhancement: {data} endpoint", "Release support",
        ),
    },
    "mobile": {
        "design": (
            "App architecture and navigation design", "Prototype review with client",
            "Analytics event plan", "Store submission planning",
        ),
        "build": (
            "Sprint {sprint}: {data} screens in {tech}", "Offline sync for {data}",
            "Push notification setup", "Unit and UI tests", "API integration",
        ),
        "close": (
            "Beta build and TestFlight feedback", "Crash fixes from beta", "App store submission",
            "Release support",
        ),
        "run": (
            "OS compatibility fixes", "Crash report triage", "Minor feature request",
            "Store release",
        ),
    },
    "design": {
        "design": (
            "Stakeholder interviews", "User research sessions ({n} participants)",
            "Journey mapping workshop", "Competitive review",
        ),
        "build": (
            "Wireframes for {data} journey", "High-fidelity designs in Figma",
            "Design system components", "Usability testing round {n}", "Design QA with developers",
        ),
        "close": (
            "Design handover documentation", "Final usability test", "Accessibility annotations",
            "Research synthesis report",
        ),
        "run": (
            "Design support for new feature", "Design system maintenance", "Research readout",
            "Design QA",
        ),
    },
    "commerce": {
        "design": (
            "Catalogue and content model design", "Platform configuration workshop",
            "Migration content audit", "Checkout journey review",
        ),
        "build": (
            "Sprint {sprint}: {tech} templates", "Product catalogue import", "Checkout integration",
            "Content migration batch {n}", "Promotions engine setup",
        ),
        "close": (
            "Performance testing for peak", "UAT defect fixes", "Content author training",
            "Launch support",
        ),
        "run": (
            "Content update request", "Platform patching", "Bug fix: checkout",
            "Campaign page build",
        ),
    },
    "pmo": {
        "design": (
            "Project charter and governance setup", "Integrated plan baseline", "RAID log setup",
            "Kick-off preparation",
        ),
        "build": (
            "Status reporting and RAID review", "Sprint {sprint} planning and review",
            "Steering committee pack", "Budget and forecast update",
            "Dependency tracking with client teams",
        ),
        "close": (
            "Cutover planning", "Lessons learned workshop", "Project closure report",
            "Benefits tracking handover",
        ),
        "run": (
            "Portfolio reporting", "Monthly governance forum", "Resource plan update",
            "Risk review",
        ),
    },
    "change": {
        "design": (
            "Change impact assessment", "Stakeholder mapping", "Change readiness survey",
            "Communications plan draft",
        ),
        "build": (
            "Training materials for {data} process", "Change network session",
            "Communications for wave {n}", "Leadership briefing pack",
        ),
        "close": (
            "Training delivery wave {n}", "Adoption survey analysis", "Sustainment plan",
            "Go-live communications",
        ),
        "run": (
            "Adoption check-in", "Change network call", "Communications update", "Training refresh",
        ),
    },
    "strategy": {
        "design": (
            "Interviews with business unit leads", "Current-state cost baseline",
            "Benchmark research", "Hypothesis tree and workplan",
        ),
        "build": (
            "Options analysis and financial model", "Operating model design workshop",
            "Business case drafting", "Synthesis for steering committee",
        ),
        "close": (
            "Final recommendations deck", "Roadmap and implementation plan",
            "Executive readout preparation", "Handover to programme team",
        ),
        "run": (
            "Quarterly value tracking", "Executive advisory session", "Benefits review",
            "Board paper review",
        ),
    },
    "ba": {
        "design": (
            "Current-state process mapping for {data}", "Requirements workshop",
            "Stakeholder interviews", "As-is documentation",
        ),
        "build": (
            "User stories for {data} features", "Backlog refinement", "Acceptance criteria review",
            "Functional walkthrough with client", "Test scenario design",
        ),
        "close": (
            "UAT coordination", "Defect triage with client", "Process documentation update",
            "Handover",
        ),
        "run": (
            "Requirements for enhancement", "Backlog grooming", "Process change analysis",
            "Stakeholder check-in",
        ),
    },
}
# fmt: on

LEAD = (
    "Steering committee and account review",
    "Engagement oversight and QA review",
    "Client sponsor check-in",
    "Quality assurance review of deliverables",
    "Commercial review with PM",
)
MANAGER = (
    "Status reporting and RAID log update",
    "Weekly client check-in and planning",
    "Team stand-ups and sprint planning",
    "Budget forecast and resourcing update",
    "Steering committee preparation",
    "Dependency and risk review with client",
)
ARCHITECT = (
    "Solution design review",
    "Architecture decision records",
    "Technical design authority",
    "Design walkthrough with client architects",
    "Review of build standards and code quality",
)
ADVISORY = (
    "Interviews with {data} process owners",
    "Current-state assessment of {data} processes",
    "Options paper drafting",
    "Analysis of {data} data sample",
    "Target-state workshop",
    "Steering committee deck preparation",
    "Synthesis of findings",
    "Benchmarking against peers",
)
HANDOVER = (
    "Handover and knowledge transfer",
    "Onboarding: project context and access",
    "Shadowing and handover sessions",
)
REWORK = (
    "Rework after UAT feedback",
    "Defect backlog burn-down",
    "Extra testing cycle after failed SIT",
    "Fixes for issues raised by client",
)


def describe(
    rng: random.Random,
    *,
    track: str | None,
    role: str,
    lead: bool,
    manager: bool,
    phase: str,
    advisory: bool,
    data: tuple[str, ...],
    sprint: int,
    handover: bool,
    troubled: bool,
) -> str:
    if handover:
        pool: tuple[str, ...] = HANDOVER
    elif lead:
        pool = LEAD
    elif manager:
        pool = MANAGER
    elif role == "Solution Architect" and phase != "run":
        pool = ARCHITECT
    elif advisory:
        pool = ADVISORY
    elif troubled and phase == "close" and rng.random() < 0.35:
        pool = REWORK
    else:
        family = FAMILY.get(track or "", "pmo")
        pool = WORK[family][phase]
    line = rng.choice(pool)
    return line.format(
        tech=rng.choice(TOOLS.get(track or "", ("the platform",))),
        data=rng.choice(data),
        sprint=sprint,
        n=rng.randint(1, 4),
    )
