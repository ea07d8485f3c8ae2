"""The firm's market: clients, the kinds of engagement it sells, and what each one involves."""

from __future__ import annotations

from dataclasses import dataclass

from domain.types import ContractType, EngagementType

E = EngagementType


@dataclass(frozen=True)
class ClientDef:
    name: str
    industry: str
    region: str
    weight: float  # how much work the firm does for them (key accounts are heavier)


@dataclass(frozen=True)
class Theme:
    name: str  # project name after the client's: "Fabrikam Cloud Migration"
    practice: str
    engagement: EngagementType
    tracks: tuple[str, ...]  # specialist tracks the delivery team is drawn from


# fmt: off
CLIENTS: tuple[ClientDef, ...] = (
    ClientDef("Contoso", "Manufacturing", "North America", 3.0),
    ClientDef("Fabrikam", "Consumer Goods", "North America", 2.6),
    ClientDef("Northwind Traders", "Wholesale Distribution", "EMEA", 2.4),
    ClientDef("Adventure Works", "Manufacturing", "North America", 1.6),
    ClientDef("Tailspin Toys", "Retail", "North America", 0.8),
    ClientDef("Wide World Importers", "Wholesale Distribution", "APAC", 1.4),
    ClientDef("Litware", "Software", "North America", 1.0),
    ClientDef("Woodgrove Bank", "Banking", "EMEA", 2.2),
    ClientDef("Proseware", "Software", "EMEA", 0.9),
    ClientDef("Fourth Coffee", "Food & Beverage", "North America", 0.8),
    ClientDef("Alpine Ski House", "Travel & Hospitality", "EMEA", 0.6),
    ClientDef("Coho Winery", "Food & Beverage", "LATAM", 0.6),
    ClientDef("Lucerne Publishing", "Media", "EMEA", 0.8),
    ClientDef("Margie's Travel", "Travel & Hospitality", "APAC", 0.9),
    ClientDef("Trey Research", "Life Sciences", "North America", 1.3),
    ClientDef("Blue Yonder Airlines", "Airlines", "North America", 1.5),
    ClientDef("Humongous Insurance", "Insurance", "North America", 1.9),
    ClientDef("Wingtip Toys", "Retail", "EMEA", 0.7),
    ClientDef("Relecloud", "Technology", "APAC", 1.2),
    ClientDef("VanArsdel", "Retail", "LATAM", 1.1),
    ClientDef("A. Datum", "Financial Services", "APAC", 1.2),
    ClientDef("Consolidated Messenger", "Logistics", "LATAM", 1.0),
    ClientDef("Southridge Video", "Media", "North America", 0.7),
    ClientDef("City Power & Light", "Energy & Utilities", "North America", 1.5),
    ClientDef("Bellows College", "Education", "North America", 0.7),
    ClientDef("Munson's Pickles", "Food & Beverage", "North America", 0.5),
    ClientDef("Lamna Healthcare", "Healthcare", "EMEA", 1.4),
    ClientDef("Tailwind Traders", "Retail", "APAC", 1.1),
    ClientDef("Graphic Design Institute", "Education", "EMEA", 0.5),
    ClientDef("Best For You Organics", "Food & Beverage", "LATAM", 0.6),
)
# fmt: on

# The industry knowledge a consultant would list for experience with such a client.
INDUSTRY_SKILL: dict[str, str] = {
    "Manufacturing": "Manufacturing Domain",
    "Consumer Goods": "Retail Domain",
    "Wholesale Distribution": "Retail Domain",
    "Retail": "Retail Domain",
    "Software": "Media Domain",
    "Technology": "Media Domain",
    "Banking": "Banking Domain",
    "Financial Services": "Banking Domain",
    "Insurance": "Insurance Domain",
    "Food & Beverage": "Retail Domain",
    "Travel & Hospitality": "Travel and Hospitality Domain",
    "Airlines": "Travel and Hospitality Domain",
    "Media": "Media Domain",
    "Life Sciences": "Life Sciences Domain",
    "Healthcare": "Healthcare Domain",
    "Logistics": "Manufacturing Domain",
    "Energy & Utilities": "Energy and Utilities Domain",
    "Education": "Public Sector Domain",
}

# Business data each industry's projects revolve around; used in time entries and notes.
# fmt: off
INDUSTRY_DATA: dict[str, tuple[str, ...]] = {
    "Manufacturing": (
        "production orders", "bill of materials", "plant maintenance", "supplier",
        "quality inspection",
    ),
    "Consumer Goods": (
        "trade promotion", "sell-out", "SKU master", "distributor orders", "demand plan",
    ),
    "Wholesale Distribution": (
        "purchase orders", "inventory", "customer accounts", "shipment", "pricing",
    ),
    "Retail": ("POS sales", "inventory", "loyalty", "e-commerce orders", "store"),
    "Software": (
        "subscription", "product usage", "customer accounts", "support tickets", "billing",
    ),
    "Technology": ("subscription", "telemetry", "customer accounts", "support tickets", "billing"),
    "Banking": ("transactions", "loan book", "customer KYC", "payments", "general ledger"),
    "Financial Services": ("portfolio", "trades", "customer KYC", "fees", "general ledger"),
    "Insurance": ("claims", "policy", "underwriting", "broker", "premium"),
    "Food & Beverage": (
        "production batches", "distributor orders", "inventory", "recipes", "route-to-market",
    ),
    "Travel & Hospitality": (
        "bookings", "guest profiles", "revenue management", "loyalty", "rates",
    ),
    "Airlines": ("bookings", "loyalty", "crew rostering", "flight operations", "ancillary revenue"),
    "Media": ("subscribers", "content catalogue", "advertising", "royalties", "viewing"),
    "Life Sciences": (
        "clinical trials", "batch records", "lab results", "regulatory submissions", "samples",
    ),
    "Healthcare": ("patient encounters", "claims", "scheduling", "clinical coding", "pharmacy"),
    "Logistics": ("parcels", "routes", "depot operations", "shipment tracking", "fleet"),
    "Energy & Utilities": (
        "meter readings", "outages", "customer billing", "asset register", "field work orders",
    ),
    "Education": (
        "student records", "enrolment", "course catalogue", "research grants", "timetabling",
    ),
}
# fmt: on

# fmt: off
THEMES: tuple[Theme, ...] = (
    # Data & AI
    Theme("Data Platform", "Data & AI", E.implementation, ("data_eng_azure", "data_eng_aws", "analytics_bi")),
    Theme("Analytics Modernisation", "Data & AI", E.implementation, ("analytics_bi", "data_eng_azure")),
    Theme("Lakehouse Build", "Data & AI", E.implementation, ("data_eng_azure", "data_eng_azure", "analytics_bi")),
    Theme("Customer 360", "Data & AI", E.implementation, ("data_eng_aws", "data_science", "analytics_bi")),
    Theme("Demand Forecasting", "Data & AI", E.implementation, ("data_science", "data_eng_azure")),
    Theme("GenAI Knowledge Assistant", "Data & AI", E.implementation, ("data_science", "data_eng_azure")),
    Theme("Finance Reporting Refresh", "Data & AI", E.implementation, ("analytics_bi",)),
    Theme("Master Data Programme", "Data & AI", E.implementation, ("data_governance", "data_eng_azure")),
    Theme("Data Strategy", "Data & AI", E.advisory, ("data_governance", "analytics_bi")),
    Theme("AI Readiness Assessment", "Data & AI", E.advisory, ("data_science",)),
    Theme("Data Governance Assessment", "Data & AI", E.advisory, ("data_governance",)),
    Theme("Data Platform Managed Service", "Data & AI", E.managed_service, ("data_eng_azure", "data_eng_aws")),
    Theme("BI Support Retainer", "Data & AI", E.support_retainer, ("analytics_bi",)),
    Theme("ML Model Support", "Data & AI", E.support_retainer, ("data_science",)),
    # Cloud & Infrastructure
    Theme("Cloud Migration", "Cloud & Infrastructure", E.implementation, ("azure_platform", "aws_platform", "cloud_ops")),
    Theme("Azure Landing Zone", "Cloud & Infrastructure", E.implementation, ("azure_platform", "cloud_security")),
    Theme("Kubernetes Platform", "Cloud & Infrastructure", E.implementation, ("platform_devops",)),
    Theme("DevOps Enablement", "Cloud & Infrastructure", E.implementation, ("platform_devops", "azure_platform")),
    Theme("Zero Trust Programme", "Cloud & Infrastructure", E.implementation, ("cloud_security",)),
    Theme("Data Centre Exit", "Cloud & Infrastructure", E.implementation, ("cloud_ops", "azure_platform", "aws_platform")),
    Theme("Cloud Cost Optimisation", "Cloud & Infrastructure", E.advisory, ("azure_platform", "aws_platform")),
    Theme("Cloud Security Review", "Cloud & Infrastructure", E.advisory, ("cloud_security",)),
    Theme("Cloud Strategy", "Cloud & Infrastructure", E.advisory, ("azure_platform", "aws_platform")),
    Theme("Cloud Operations Managed Service", "Cloud & Infrastructure", E.managed_service, ("cloud_ops", "azure_platform")),
    Theme("Platform Support Retainer", "Cloud & Infrastructure", E.support_retainer, ("platform_devops",)),
    # Enterprise Applications
    Theme("S/4HANA Finance Transformation", "Enterprise Applications", E.implementation, ("sap_finance",)),
    Theme("S/4HANA Supply Chain Rollout", "Enterprise Applications", E.implementation, ("sap_supply_chain",)),
    Theme("Salesforce Sales Cloud Rollout", "Enterprise Applications", E.implementation, ("salesforce",)),
    Theme("Service Cloud Implementation", "Enterprise Applications", E.implementation, ("salesforce",)),
    Theme("Workday HCM Implementation", "Enterprise Applications", E.implementation, ("workday",)),
    Theme("ServiceNow ITSM Rollout", "Enterprise Applications", E.implementation, ("servicenow",)),
    Theme("Dynamics 365 Finance Implementation", "Enterprise Applications", E.implementation, ("dynamics",)),
    Theme("ERP Selection", "Enterprise Applications", E.advisory, ("sap_finance", "dynamics")),
    Theme("CRM Roadmap", "Enterprise Applications", E.advisory, ("salesforce",)),
    Theme("SAP Application Management", "Enterprise Applications", E.managed_service, ("sap_finance", "sap_supply_chain")),
    Theme("Salesforce Managed Service", "Enterprise Applications", E.managed_service, ("salesforce",)),
    Theme("Workday Support Retainer", "Enterprise Applications", E.support_retainer, ("workday",)),
    Theme("ServiceNow Support Retainer", "Enterprise Applications", E.support_retainer, ("servicenow",)),
    # Digital Experience
    Theme("Customer Portal Rebuild", "Digital Experience", E.implementation, ("frontend", "backend", "experience_design")),
    Theme("Mobile App Refresh", "Digital Experience", E.implementation, ("mobile", "experience_design", "backend")),
    Theme("E-commerce Replatform", "Digital Experience", E.implementation, ("commerce_cms", "frontend", "backend")),
    Theme("Design System", "Digital Experience", E.implementation, ("experience_design", "frontend")),
    Theme("Accessibility Remediation", "Digital Experience", E.implementation, ("frontend", "experience_design")),
    Theme("Booking Platform", "Digital Experience", E.implementation, ("backend", "frontend")),
    Theme("Digital Experience Audit", "Digital Experience", E.advisory, ("experience_design",)),
    Theme("Customer Journey Redesign", "Digital Experience", E.advisory, ("experience_design",)),
    Theme("Digital Platform Managed Service", "Digital Experience", E.managed_service, ("backend", "frontend")),
    Theme("Website Support Retainer", "Digital Experience", E.support_retainer, ("commerce_cms", "frontend")),
    # Strategy & Transformation
    Theme("PMO Setup", "Strategy & Transformation", E.implementation, ("delivery_pmo",)),
    Theme("Agile Transformation", "Strategy & Transformation", E.implementation, ("delivery_pmo", "change")),
    Theme("Post-Merger Integration", "Strategy & Transformation", E.implementation, ("strategy", "delivery_pmo", "change")),
    Theme("Finance Operating Model Implementation", "Strategy & Transformation", E.implementation, ("strategy", "business_analysis")),
    Theme("Process Excellence Programme", "Strategy & Transformation", E.implementation, ("business_analysis", "strategy")),
    Theme("Operating Model Review", "Strategy & Transformation", E.advisory, ("strategy",)),
    Theme("Cost Transformation", "Strategy & Transformation", E.advisory, ("strategy", "business_analysis")),
    Theme("IT Strategy Refresh", "Strategy & Transformation", E.advisory, ("strategy",)),
    Theme("Technology Due Diligence", "Strategy & Transformation", E.advisory, ("strategy", "business_analysis")),
    Theme("Portfolio PMO Service", "Strategy & Transformation", E.managed_service, ("delivery_pmo",)),
    Theme("Change Advisory Retainer", "Strategy & Transformation", E.support_retainer, ("change",)),
)
# fmt: on

# How often each engagement type is sold, and its length in weeks (low, high).
ENGAGEMENT_MIX: dict[EngagementType, float] = {
    E.implementation: 0.42,
    E.advisory: 0.30,
    E.managed_service: 0.11,
    E.support_retainer: 0.17,
}
DURATION_WEEKS: dict[EngagementType, tuple[int, int]] = {
    E.implementation: (16, 46),
    E.advisory: (6, 18),
    E.managed_service: (39, 91),
    E.support_retainer: (26, 52),
}
CONTRACT_MIX: dict[EngagementType, dict[ContractType, float]] = {
    E.implementation: {ContractType.fixed_fee: 0.45, ContractType.time_and_materials: 0.55},
    E.advisory: {ContractType.fixed_fee: 0.6, ContractType.time_and_materials: 0.4},
    E.managed_service: {ContractType.retainer: 0.7, ContractType.fixed_fee: 0.3},
    E.support_retainer: {ContractType.retainer: 0.85, ContractType.time_and_materials: 0.15},
}

# fmt: off
MILESTONES: dict[EngagementType, tuple[tuple[str, float], ...]] = {
    E.implementation: (
        ("Discovery and design sign-off", 0.2),
        ("Build complete", 0.6),
        ("System integration testing complete", 0.72),
        ("User acceptance sign-off", 0.85),
        ("Go-live", 0.92),
        ("Hypercare exit", 1.0),
    ),
    E.advisory: (
        ("Current-state assessment", 0.35),
        ("Options paper", 0.7),
        ("Final recommendations and roadmap", 1.0),
    ),
    E.managed_service: (
        ("Service transition complete", 0.12), ("First quarterly service review", 0.3),
        ("Mid-term service review", 0.55), ("Annual service review", 0.8),
        ("Contract term end", 1.0),
    ),
    E.support_retainer: (
        ("Onboarding complete", 0.1), ("Quarterly review", 0.5), ("Retainer term end", 1.0),
    ),
}
# fmt: on
# How a fixed fee is invoiced across an implementation's milestones (others split evenly).
IMPLEMENTATION_PAYMENTS: tuple[float, ...] = (0.15, 0.25, 0.1, 0.2, 0.2, 0.1)
