"""Synthetic firms for benchmarks and scale tests: realistic skill mixes, no real people.

Profiles are drawn the way a consultancy's bench looks: each person belongs to a practice,
holds mostly that practice's skills (a few from neighbouring ones), at proficiencies that rise
with seniority. The vocabulary is also the one the benchmark embeds with MiniLM, so that the
vectors it builds have the shape of real profile vectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from domain.tables import Certification, Consultant, ConsultantSkill, Skill

PRACTICES: dict[str, list[str]] = {
    "Data & AI": [
        "Python",
        "SQL",
        "Spark",
        "PySpark",
        "Databricks",
        "Azure Data Factory",
        "Snowflake",
        "dbt",
        "Airflow",
        "Kafka",
        "Power BI",
        "Tableau",
        "Machine Learning",
        "MLOps",
        "Data Modelling",
        "Data Governance",
        "Pandas",
        "TensorFlow",
        "PyTorch",
        "Natural Language Processing",
        "Computer Vision",
        "Statistics",
        "BigQuery",
        "Looker",
    ],
    "Cloud & Infrastructure": [
        "AWS",
        "Azure",
        "Google Cloud",
        "Terraform",
        "Kubernetes",
        "Docker",
        "Linux",
        "Networking",
        "Ansible",
        "CI/CD",
        "Azure DevOps",
        "GitHub Actions",
        "Prometheus",
        "Site Reliability Engineering",
        "Identity and Access Management",
        "VMware",
        "Windows Server",
        "Cloud Security",
        "Serverless",
        "Helm",
    ],
    "Software Engineering": [
        "Java",
        "Spring Boot",
        "C#",
        ".NET",
        "TypeScript",
        "React",
        "Angular",
        "Node.js",
        "Go",
        "Kotlin",
        "Swift",
        "REST API Design",
        "GraphQL",
        "Microservices",
        "PostgreSQL",
        "MongoDB",
        "Test Automation",
        "Domain-Driven Design",
        "Vue.js",
        "Rust",
    ],
    "Enterprise Applications": [
        "SAP S/4HANA",
        "SAP FICO",
        "SAP MM",
        "SAP ABAP",
        "Salesforce",
        "Salesforce Apex",
        "ServiceNow",
        "Microsoft Dynamics 365",
        "Workday",
        "Oracle ERP Cloud",
        "MuleSoft",
        "SAP BW",
        "SuccessFactors",
        "Business Process Modelling",
        "Data Migration",
    ],
    "Strategy & Change": [
        "Business Analysis",
        "Stakeholder Management",
        "Change Management",
        "Agile Coaching",
        "Scrum",
        "Programme Management",
        "PRINCE2",
        "Process Improvement",
        "Lean Six Sigma",
        "Financial Modelling",
        "Operating Model Design",
        "Requirements Engineering",
        "Workshop Facilitation",
        "Benefits Realisation",
        "Vendor Management",
    ],
    "Cyber Security": [
        "Penetration Testing",
        "Security Architecture",
        "ISO 27001",
        "SOC Operations",
        "Threat Modelling",
        "Incident Response",
        "Zero Trust",
        "GDPR Compliance",
        "Vulnerability Management",
        "SIEM",
        "Cloud Security",
        "Identity and Access Management",
    ],
}

TITLES: dict[str, list[str]] = {
    "Data & AI": [
        "Data Engineer",
        "Data Scientist",
        "Analytics Engineer",
        "ML Engineer",
        "BI Developer",
        "Data Architect",
    ],
    "Cloud & Infrastructure": [
        "Cloud Engineer",
        "DevOps Engineer",
        "Platform Engineer",
        "Cloud Architect",
        "Site Reliability Engineer",
    ],
    "Software Engineering": [
        "Backend Developer",
        "Frontend Developer",
        "Full-Stack Developer",
        "Software Architect",
        "Mobile Developer",
        "QA Engineer",
    ],
    "Enterprise Applications": [
        "SAP Consultant",
        "Salesforce Developer",
        "ERP Consultant",
        "Integration Specialist",
        "Functional Consultant",
    ],
    "Strategy & Change": [
        "Business Analyst",
        "Project Manager",
        "Change Manager",
        "Agile Coach",
        "Management Consultant",
    ],
    "Cyber Security": [
        "Security Consultant",
        "Penetration Tester",
        "Security Architect",
        "SOC Analyst",
    ],
}

CERTIFICATIONS: dict[str, list[str]] = {
    "Data & AI": ["Azure Data Engineer Associate", "Databricks Certified Data Engineer"],
    "Cloud & Infrastructure": [
        "AWS Solutions Architect",
        "Certified Kubernetes Administrator",
        "Azure Administrator Associate",
    ],
    "Software Engineering": ["Oracle Certified Java Programmer"],
    "Enterprise Applications": [
        "SAP Certified Application Associate",
        "Salesforce Certified Platform Developer",
    ],
    "Strategy & Change": ["PMP", "PRINCE2 Practitioner", "Certified ScrumMaster"],
    "Cyber Security": ["CISSP", "OSCP", "CISM"],
}

LEVELS = ["analyst", "consultant", "senior_consultant", "manager", "senior_manager", "director"]
LEVEL_SHARE = [0.18, 0.3, 0.25, 0.15, 0.08, 0.04]
REGIONS = {"EMEA": 0.45, "NA": 0.35, "APAC": 0.2}
LANGUAGES = {
    "EMEA": ["English", "German", "French", "Spanish", "Dutch"],
    "NA": ["English", "Spanish", "French"],
    "APAC": ["English", "Japanese", "Mandarin", "Hindi"],
}
COST_BY_LEVEL = [45.0, 60.0, 75.0, 95.0, 115.0, 140.0]


def vocabulary() -> list[str]:
    """Every skill, title and practice phrase a synthetic profile can hold."""
    skills = sorted({s for names in PRACTICES.values() for s in names})
    titles = sorted({t for names in TITLES.values() for t in names})
    return skills + titles + sorted(PRACTICES)


@dataclass
class SyntheticPerson:
    """One generated consultant, in plain values (no ORM)."""

    external_id: str
    name: str
    role_level: str
    title: str
    practice: str
    region: str
    languages: list[str]
    cost_rate: float
    bill_rate: float
    skills: dict[str, tuple[int, float]] = field(default_factory=dict)
    certifications: list[tuple[str, date | None]] = field(default_factory=list)


def generate_people(
    n: int, *, seed: int = 0, as_of: date = date(2027, 1, 1)
) -> list[SyntheticPerson]:
    """``n`` consultants with practice-typical skills and seniority-typical proficiency."""
    rng = np.random.default_rng(seed)
    practices = sorted(PRACTICES)
    all_skills = sorted({s for names in PRACTICES.values() for s in names})
    regions, region_p = list(REGIONS), list(REGIONS.values())
    people = []
    for i in range(n):
        practice = practices[rng.integers(len(practices))]
        level = int(rng.choice(len(LEVELS), p=LEVEL_SHARE))
        own = PRACTICES[practice]
        k_own = int(rng.integers(3, min(9, len(own)) + 1))
        chosen = list(rng.choice(own, size=k_own, replace=False))
        # Neighbouring skills: most people pick up one or two outside their practice.
        for s in rng.choice(all_skills, size=int(rng.integers(0, 3)), replace=False):
            if s not in chosen:
                chosen.append(str(s))
        skills = {}
        for s in chosen:
            prof = int(np.clip(round(rng.normal(2.2 + 0.45 * level, 0.9)), 1, 5))
            years = float(np.round(max(0.5, rng.gamma(2.0, 1.0 + level)), 1))
            skills[str(s)] = (prof, years)
        region = regions[int(rng.choice(len(regions), p=region_p))]
        langs = ["English"]
        extra = [x for x in LANGUAGES[region] if x != "English"]
        for lang in extra:
            if rng.random() < 0.3:
                langs.append(lang)
        certs: list[tuple[str, date | None]] = []
        for c in CERTIFICATIONS[practice]:
            if rng.random() < 0.25:
                certs.append((c, as_of + timedelta(days=int(rng.integers(-400, 900)))))
        cost = COST_BY_LEVEL[level] * float(rng.uniform(0.85, 1.15))
        people.append(
            SyntheticPerson(
                external_id=f"SYN-{seed}-{i:06d}",
                name=f"Synthetic Person {i}",
                role_level=LEVELS[level],
                title=TITLES[practice][int(rng.integers(len(TITLES[practice])))],
                practice=practice,
                region=region,
                languages=langs,
                cost_rate=round(cost, 2),
                bill_rate=round(cost * float(rng.uniform(1.5, 2.2)), 2),
                skills=skills,
                certifications=certs,
            )
        )
    return people


def insert_people(
    session: Session, people: list[SyntheticPerson], *, batch: int = 5_000
) -> list[int]:
    """Write ``people`` with their skills and certifications in bulk; returns their ids."""
    names = sorted({s for p in people for s in p.skills})
    known = {name: sid for name, sid in session.execute(select(Skill.name, Skill.id))}
    fresh = [{"name": n, "category": "general"} for n in names if n not in known]
    if fresh:
        session.execute(insert(Skill), fresh)
        known = {name: sid for name, sid in session.execute(select(Skill.name, Skill.id))}
    now = datetime.now(UTC)
    ids: list[int] = []
    for start in range(0, len(people), batch):
        part = people[start : start + batch]
        rows = [
            {
                "external_id": p.external_id,
                "name": p.name,
                "email": f"{p.external_id.lower()}@example.com",
                "role_level": p.role_level,
                "title": p.title,
                "practice": p.practice,
                "region": p.region,
                "timezone": "UTC",
                "languages": p.languages,
                "cost_rate": p.cost_rate,
                "bill_rate": p.bill_rate,
                "weekly_capacity_hours": 40.0,
                "utilization_target": 0.8,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            for p in part
        ]
        session.execute(insert(Consultant), rows)
        by_key = {
            key: cid
            for key, cid in session.execute(
                select(Consultant.external_id, Consultant.id).where(
                    Consultant.external_id.in_([p.external_id for p in part])
                )
            )
        }
        skill_rows = [
            {
                "consultant_id": by_key[p.external_id],
                "skill_id": known[s],
                "proficiency": lv,
                "years": yr,
            }
            for p in part
            for s, (lv, yr) in p.skills.items()
        ]
        cert_rows = [
            {"consultant_id": by_key[p.external_id], "name": c, "issuer": "", "expires_on": exp}
            for p in part
            for c, exp in p.certifications
        ]
        session.execute(insert(ConsultantSkill), skill_rows)
        if cert_rows:
            session.execute(insert(Certification), cert_rows)
        ids.extend(by_key[p.external_id] for p in part)
    return ids
