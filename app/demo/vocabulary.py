"""What the firm knows: practices, their specialist tracks, skills, certifications and levels.

A consultant belongs to one track of their practice (a Data & AI consultant is a data engineer
on Azure, or a BI developer, ...), and the track decides which skills they are strong in,
which certifications they hold and which project role they fill. That coherence is what makes
skill-based staffing meaningful on the demo data.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.types import RoleLevel


@dataclass(frozen=True)
class Track:
    key: str
    practice: str
    specialism: str  # shown in titles: "Senior Consultant, Data Engineering"
    role: str  # the role this person fills on a project
    share: float  # of the practice's headcount
    core: tuple[str, ...]
    adjacent: tuple[str, ...]
    certifications: tuple[str, ...]


@dataclass(frozen=True)
class Level:
    level: RoleLevel
    title: str
    share: float  # of headcount: the firm is a pyramid
    cost_rate: float  # USD per hour, North America; other regions scale it
    bill_rate: float
    utilization_target: float
    experience_years: tuple[float, float]
    proficiency: float  # typical proficiency in core skills


PRACTICES: dict[str, float] = {
    "Data & AI": 0.24,
    "Cloud & Infrastructure": 0.22,
    "Enterprise Applications": 0.22,
    "Digital Experience": 0.16,
    "Strategy & Transformation": 0.16,
}

LEVELS: tuple[Level, ...] = (
    Level(RoleLevel.analyst, "Analyst", 0.18, 52, 125, 0.85, (0.5, 2.5), 2.0),
    Level(RoleLevel.consultant, "Consultant", 0.24, 68, 160, 0.85, (2, 5), 2.8),
    Level(RoleLevel.senior_consultant, "Senior Consultant", 0.22, 88, 200, 0.82, (4, 9), 3.5),
    Level(RoleLevel.manager, "Manager", 0.16, 108, 240, 0.75, (7, 13), 3.9),
    Level(RoleLevel.senior_manager, "Senior Manager", 0.10, 132, 285, 0.70, (10, 17), 4.1),
    Level(RoleLevel.director, "Director", 0.06, 162, 335, 0.55, (13, 22), 4.2),
    Level(RoleLevel.partner, "Partner", 0.04, 205, 410, 0.40, (17, 30), 4.3),
)
LEVEL_INDEX: dict[RoleLevel, int] = {lv.level: i for i, lv in enumerate(LEVELS)}


# Skills by category. A year marks a technology that did not exist before it, which caps how
# many years anyone can have in it.
# fmt: off
SKILLS: dict[str, dict[str, int | None]] = {
    "data engineering": {
        "Apache Spark": 2014, "PySpark": 2014, "Databricks": 2015, "Delta Lake": 2019,
        "Azure Data Factory": 2015, "Azure Synapse Analytics": 2019, "Microsoft Fabric": 2023,
        "Azure Data Lake Storage": 2016, "AWS Glue": 2017, "Amazon Redshift": 2013,
        "Amazon EMR": 2010, "Amazon Kinesis": 2014, "Apache Kafka": 2011, "Apache Airflow": 2015,
        "dbt": 2016, "Snowflake": 2015, "Informatica PowerCenter": None, "SSIS": None,
        "Google BigQuery": 2011, "Data Vault 2.0": 2013,
    },
    "analytics & BI": {
        "Power BI": 2015, "DAX": 2010, "Tableau": None, "Looker": 2013, "Qlik Sense": 2014,
        "Dimensional Modeling": None, "Excel Financial Modeling": None, "SSAS Tabular": 2012,
    },
    "data science & AI": {
        "scikit-learn": 2010, "PyTorch": 2017, "TensorFlow": 2015, "MLflow": 2018,
        "Azure Machine Learning": 2015, "Amazon SageMaker": 2017, "Statistical Modeling": None,
        "Time Series Forecasting": None, "Natural Language Processing": None,
        "Computer Vision": None, "Generative AI": 2022, "LangChain": 2022,
        "Azure OpenAI Service": 2023, "Feature Engineering": None, "MLOps": 2018,
        "Prompt Engineering": 2022,
    },
    "data management": {
        "Data Governance": None, "Microsoft Purview": 2022, "Collibra": 2010,
        "Data Quality Management": None, "Master Data Management": None, "GDPR Compliance": 2016,
        "Informatica MDM": None,
    },
    "cloud platform": {
        "Microsoft Azure": 2010, "Azure Landing Zones": 2019, "Azure Networking": 2012,
        "Azure Kubernetes Service": 2018, "Bicep": 2020, "Amazon Web Services": 2008,
        "AWS Control Tower": 2019, "Amazon EKS": 2018, "AWS CloudFormation": 2011,
        "Amazon VPC Networking": 2010, "AWS Lambda": 2014, "Google Cloud Platform": 2012,
        "Google Kubernetes Engine": 2015, "Cloud Migration Planning": None, "FinOps": 2019,
    },
    "infrastructure": {
        "VMware vSphere": None, "Windows Server": None, "Linux Administration": None,
        "Microsoft Entra ID": 2014, "Active Directory": None, "Microsoft 365 Administration": 2011,
        "Network Engineering": None,
    },
    "devops": {
        "Kubernetes": 2015, "Docker": 2014, "Helm": 2016, "Terraform": 2014, "Ansible": 2013,
        "GitHub Actions": 2019, "Azure DevOps": 2018, "Jenkins": 2011, "Argo CD": 2018,
        "GitLab CI": 2015, "Prometheus": 2015, "Grafana": 2014,
        "Site Reliability Engineering": 2016, "Datadog": 2012, "Splunk": None, "PowerShell": None,
    },
    "security": {
        "Cloud Security Architecture": None, "Zero Trust Architecture": 2019,
        "Microsoft Sentinel": 2019, "Microsoft Defender for Cloud": 2021,
        "Identity and Access Management": None, "Okta": 2011, "Palo Alto Networks": None,
        "ISO 27001": None, "Vulnerability Management": None,
    },
    "ERP": {
        "SAP S/4HANA FI": 2015, "SAP S/4HANA CO": 2015, "SAP S/4HANA MM": 2015,
        "SAP S/4HANA SD": 2015, "SAP S/4HANA PP": 2015, "SAP EWM": 2013, "SAP IBP": 2016,
        "SAP Activate": 2016, "SAP Fiori": 2013, "SAP BTP": 2019, "ABAP": None,
        "SAP Group Reporting": 2019, "SAP Central Finance": 2016, "Dynamics 365 Finance": 2018,
        "Dynamics 365 Supply Chain Management": 2018, "Workday Financials": 2008,
        "Oracle Fusion Financials": 2012,
    },
    "CRM": {
        "Salesforce Sales Cloud": None, "Salesforce Service Cloud": 2009,
        "Salesforce Marketing Cloud": 2013, "Salesforce CPQ": 2015, "Apex": None,
        "Lightning Web Components": 2019, "MuleSoft": None, "Dynamics 365 Sales": 2016,
        "HubSpot": None,
    },
    "HCM": {
        "Workday HCM": None, "Workday Integrations": None, "Workday Payroll": None,
        "SuccessFactors": None,
    },
    "ITSM": {
        "ServiceNow ITSM": None, "ServiceNow ITOM": None, "ServiceNow HRSD": 2017,
        "ServiceNow CSM": 2016, "ServiceNow Flow Designer": 2019, "ITIL 4": 2019,
    },
    "low-code": {"Power Platform": 2019, "Power Apps": 2016, "Power Automate": 2016},
    "frontend": {
        "React": 2013, "TypeScript": 2012, "JavaScript": None, "Angular": 2016, "Vue.js": 2014,
        "Next.js": 2016, "HTML and CSS": None, "Web Accessibility (WCAG)": None, "Storybook": 2017,
        "Jest": 2014,
    },
    "backend": {
        "Java": None, "Spring Boot": 2014, ".NET": None, "C#": None, "Node.js": 2010,
        "GraphQL": 2015, "REST API Design": None, "Microservices Architecture": 2014, "Go": 2012,
        "Python": None, "SQL": None,
    },
    "database": {
        "PostgreSQL": None, "SQL Server": None, "MongoDB": 2009, "Oracle Database": None,
        "Azure Cosmos DB": 2017, "Redis": 2010,
    },
    "mobile": {
        "Swift": 2014, "Kotlin": 2016, "React Native": 2015, "Flutter": 2018,
        "iOS Development": 2008, "Android Development": 2008,
    },
    "design": {
        "UX Research": None, "UI Design": None, "Figma": 2016, "Design Systems": 2014,
        "Service Design": None, "Usability Testing": None, "Information Architecture": None,
        "Content Strategy": None,
    },
    "digital platforms": {
        "Adobe Experience Manager": None, "Sitecore": None, "Contentful": 2013,
        "Salesforce Commerce Cloud": 2016, "Shopify Plus": 2014, "commercetools": 2013,
        "Optimizely": 2010, "Google Analytics 4": 2020,
    },
    "delivery management": {
        "PMO": None, "Program Management": None, "PRINCE2": None, "Agile Delivery": None,
        "Scrum": None, "SAFe": 2011, "Jira": None, "Microsoft Project": None,
        "Risk Management": None, "Budget and Forecast Management": None, "Vendor Management": None,
    },
    "change & people": {
        "Change Management": None, "Prosci ADKAR": None, "Stakeholder Management": None,
        "Training Design": None, "Communications Planning": None, "Organisation Design": None,
    },
    "strategy": {
        "Operating Model Design": None, "Business Case Development": None,
        "Celonis Process Mining": 2016, "Lean Six Sigma": None, "BPMN Process Modeling": None,
        "Cost Transformation": None, "Post-Merger Integration": None, "Digital Strategy": None,
        "IT Strategy": None, "Enterprise Architecture": None, "TOGAF": None,
    },
    "business analysis": {
        "Business Analysis": None, "Requirements Engineering": None, "User Story Writing": None,
        "Process Mapping": None,
    },
    "architecture": {"Solution Architecture": None},
    "commercial": {"Presales": None, "Client Workshop Facilitation": None},
    "industry": {
        "Banking Domain": None, "Insurance Domain": None, "Retail Domain": None,
        "Manufacturing Domain": None, "Healthcare Domain": None,
        "Energy and Utilities Domain": None, "Public Sector Domain": None,
        "Life Sciences Domain": None, "Travel and Hospitality Domain": None, "Media Domain": None,
    },
}
# fmt: on
SKILL_CATEGORY: dict[str, str] = {name: cat for cat, names in SKILLS.items() for name in names}
SKILL_SINCE: dict[str, int] = {
    name: year for names in SKILLS.values() for name, year in names.items() if year is not None
}

# name -> (issuer, years valid or None for lifetime, first year it could be earned)
# fmt: off
CERTIFICATIONS: dict[str, tuple[str, int | None, int]] = {
    "Microsoft Certified: Azure Data Engineer Associate": ("Microsoft", 1, 2019),
    "Microsoft Certified: Fabric Analytics Engineer Associate": ("Microsoft", 1, 2024),
    "Microsoft Certified: Power BI Data Analyst Associate": ("Microsoft", 1, 2020),
    "Microsoft Certified: Azure AI Engineer Associate": ("Microsoft", 1, 2020),
    "Microsoft Certified: Azure Data Scientist Associate": ("Microsoft", 1, 2019),
    "Microsoft Certified: Azure Administrator Associate": ("Microsoft", 1, 2019),
    "Microsoft Certified: Azure Solutions Architect Expert": ("Microsoft", 1, 2019),
    "Microsoft Certified: DevOps Engineer Expert": ("Microsoft", 1, 2019),
    "Microsoft Certified: Security Operations Analyst Associate": ("Microsoft", 1, 2020),
    "Microsoft Certified: Azure Developer Associate": ("Microsoft", 1, 2019),
    "Microsoft Certified: Dynamics 365 Finance Functional Consultant Associate": ("Microsoft", 1, 2019),
    "Microsoft Certified: Power Platform Functional Consultant Associate": ("Microsoft", 1, 2020),
    "Databricks Certified Data Engineer Associate": ("Databricks", 2, 2021),
    "Databricks Certified Data Engineer Professional": ("Databricks", 2, 2022),
    "Databricks Certified Machine Learning Associate": ("Databricks", 2, 2022),
    "SnowPro Core Certification": ("Snowflake", 2, 2019),
    "Confluent Certified Developer for Apache Kafka": ("Confluent", 2, 2018),
    "dbt Analytics Engineering Certification": ("dbt Labs", 2, 2022),
    "Tableau Certified Data Analyst": ("Tableau", 2, 2021),
    "AWS Certified Solutions Architect - Associate": ("Amazon Web Services", 3, 2013),
    "AWS Certified Solutions Architect - Professional": ("Amazon Web Services", 3, 2014),
    "AWS Certified Data Engineer - Associate": ("Amazon Web Services", 3, 2024),
    "AWS Certified Machine Learning - Specialty": ("Amazon Web Services", 3, 2019),
    "AWS Certified SysOps Administrator - Associate": ("Amazon Web Services", 3, 2014),
    "AWS Certified Security - Specialty": ("Amazon Web Services", 3, 2018),
    "AWS Certified Developer - Associate": ("Amazon Web Services", 3, 2014),
    "Google Cloud Professional Cloud Architect": ("Google Cloud", 2, 2017),
    "Google Cloud Professional Data Engineer": ("Google Cloud", 2, 2017),
    "HashiCorp Certified: Terraform Associate": ("HashiCorp", 2, 2020),
    "Certified Kubernetes Administrator (CKA)": ("CNCF", 2, 2015),
    "Certified Kubernetes Application Developer (CKAD)": ("CNCF", 2, 2018),
    "CISSP": ("ISC2", 3, 1994),
    "CCSP": ("ISC2", 3, 2015),
    "ITIL 4 Foundation": ("PeopleCert", None, 2019),
    "VMware Certified Professional - Data Center Virtualization": ("VMware", None, 2010),
    "SAP Certified Associate - SAP S/4HANA Cloud Private Edition, Financial Accounting": ("SAP", None, 2016),
    "SAP Certified Associate - SAP S/4HANA Sourcing and Procurement": ("SAP", None, 2016),
    "SAP Certified Associate - SAP S/4HANA Sales": ("SAP", None, 2016),
    "SAP Certified Associate - SAP Activate Project Manager": ("SAP", None, 2017),
    "SAP Certified Associate - Back-End Developer - ABAP Cloud": ("SAP", None, 2019),
    "Salesforce Certified Administrator": ("Salesforce", 1, 2008),
    "Salesforce Certified Platform Developer I": ("Salesforce", 1, 2015),
    "Salesforce Certified Sales Cloud Consultant": ("Salesforce", 1, 2010),
    "Salesforce Certified Service Cloud Consultant": ("Salesforce", 1, 2012),
    "Salesforce Certified B2C Commerce Developer": ("Salesforce", 1, 2018),
    "Workday Pro HCM": ("Workday", 1, 2012),
    "Workday Pro Integrations": ("Workday", 1, 2012),
    "ServiceNow Certified System Administrator": ("ServiceNow", 1, 2012),
    "ServiceNow Certified Implementation Specialist - ITSM": ("ServiceNow", 1, 2014),
    "Oracle Certified Professional: Java SE 17 Developer": ("Oracle", None, 2021),
    "Associate Android Developer": ("Google", 3, 2017),
    "Google UX Design Professional Certificate": ("Google", None, 2021),
    "NN/g UX Certification": ("Nielsen Norman Group", None, 2014),
    "IAAP CPACC": ("IAAP", 3, 2016),
    "Adobe Certified Expert - AEM Sites Developer": ("Adobe", 2, 2016),
    "Sitecore 10 .NET Developer Certification": ("Sitecore", None, 2021),
    "PMP": ("PMI", 3, 1984),
    "PRINCE2 Practitioner": ("PeopleCert", 3, 1996),
    "Certified ScrumMaster (CSM)": ("Scrum Alliance", 2, 2002),
    "Professional Scrum Master I (PSM I)": ("Scrum.org", None, 2010),
    "SAFe 6 Agilist": ("Scaled Agile", 1, 2023),
    "Prosci Certified Change Practitioner": ("Prosci", None, 2000),
    "APMG Change Management Practitioner": ("APMG International", 5, 2012),
    "Lean Six Sigma Green Belt": ("IASSC", None, 2000),
    "TOGAF Enterprise Architecture Practitioner": ("The Open Group", None, 2011),
    "CBAP": ("IIBA", 3, 2004),
    "ECBA": ("IIBA", None, 2010),
}

TRACKS: tuple[Track, ...] = (
    Track(
        "data_eng_azure", "Data & AI", "Data Engineering", "Data Engineer", 0.3,
        (
            "Azure Data Factory", "Databricks", "Apache Spark", "PySpark", "Delta Lake",
            "Azure Synapse Analytics", "Azure Data Lake Storage", "SQL", "Python",
            "Microsoft Fabric",
        ),
        (
            "dbt", "Apache Kafka", "Azure DevOps", "Data Vault 2.0", "SSIS", "Power BI",
            "Snowflake",
        ),
        (
            "Microsoft Certified: Azure Data Engineer Associate",
            "Databricks Certified Data Engineer Associate",
            "Databricks Certified Data Engineer Professional",
            "Microsoft Certified: Fabric Analytics Engineer Associate",
        ),
    ),
    Track(
        "data_eng_aws", "Data & AI", "Data Engineering", "Data Engineer", 0.18,
        (
            "AWS Glue", "Amazon Redshift", "Snowflake", "dbt", "Apache Airflow", "Apache Kafka",
            "Apache Spark", "SQL", "Python", "Amazon Kinesis",
        ),
        (
            "Amazon EMR", "Terraform", "Google BigQuery", "Data Vault 2.0", "Looker", "AWS Lambda",
        ),
        (
            "AWS Certified Data Engineer - Associate", "SnowPro Core Certification",
            "dbt Analytics Engineering Certification",
            "Confluent Certified Developer for Apache Kafka",
            "AWS Certified Solutions Architect - Associate",
            "Google Cloud Professional Data Engineer",
        ),
    ),
    Track(
        "analytics_bi", "Data & AI", "Analytics", "BI Developer", 0.22,
        ("Power BI", "DAX", "Dimensional Modeling", "SQL", "Tableau", "SSAS Tabular"),
        (
            "Looker", "Qlik Sense", "Snowflake", "Excel Financial Modeling", "Microsoft Fabric",
            "dbt", "Python",
        ),
        (
            "Microsoft Certified: Power BI Data Analyst Associate",
            "Tableau Certified Data Analyst",
            "Microsoft Certified: Fabric Analytics Engineer Associate",
        ),
    ),
    Track(
        "data_science", "Data & AI", "Data Science & AI", "Data Scientist", 0.2,
        (
            "Python", "scikit-learn", "Statistical Modeling", "Feature Engineering", "PyTorch",
            "Time Series Forecasting", "MLflow", "Generative AI",
        ),
        (
            "Natural Language Processing", "Computer Vision", "Azure Machine Learning",
            "Amazon SageMaker", "TensorFlow", "LangChain", "Azure OpenAI Service", "MLOps",
            "Prompt Engineering", "Databricks", "SQL",
        ),
        (
            "Microsoft Certified: Azure AI Engineer Associate",
            "Microsoft Certified: Azure Data Scientist Associate",
            "AWS Certified Machine Learning - Specialty",
            "Databricks Certified Machine Learning Associate",
        ),
    ),
    Track(
        "data_governance", "Data & AI", "Data Governance", "Data Governance Consultant", 0.1,
        (
            "Data Governance", "Data Quality Management", "Master Data Management",
            "Microsoft Purview", "Collibra",
        ),
        (
            "GDPR Compliance", "Informatica MDM", "Business Analysis", "SQL",
            "Stakeholder Management",
        ),
        ("CBAP",),
    ),
    Track(
        "azure_platform", "Cloud & Infrastructure", "Azure Platform", "Cloud Engineer", 0.3,
        (
            "Microsoft Azure", "Azure Landing Zones", "Azure Networking", "Terraform", "Bicep",
            "Azure Kubernetes Service", "PowerShell", "Microsoft Entra ID",
        ),
        (
            "Azure DevOps", "Windows Server", "Cloud Migration Planning", "FinOps",
            "VMware vSphere", "Active Directory", "Microsoft 365 Administration",
        ),
        (
            "Microsoft Certified: Azure Administrator Associate",
            "Microsoft Certified: Azure Solutions Architect Expert",
            "HashiCorp Certified: Terraform Associate",
        ),
    ),
    Track(
        "aws_platform", "Cloud & Infrastructure", "AWS Platform", "Cloud Engineer", 0.22,
        (
            "Amazon Web Services", "AWS Control Tower", "Amazon VPC Networking",
            "AWS CloudFormation", "Terraform", "Amazon EKS", "Linux Administration", "AWS Lambda",
        ),
        (
            "Python", "Cloud Migration Planning", "FinOps", "Google Cloud Platform",
            "Google Kubernetes Engine", "Datadog",
        ),
        (
            "AWS Certified Solutions Architect - Associate",
            "AWS Certified Solutions Architect - Professional",
            "AWS Certified SysOps Administrator - Associate",
            "HashiCorp Certified: Terraform Associate", "Google Cloud Professional Cloud Architect",
        ),
    ),
    Track(
        "platform_devops", "Cloud & Infrastructure", "Platform Engineering", "DevOps Engineer", 0.22,
        (
            "Kubernetes", "Docker", "Helm", "Terraform", "GitHub Actions", "Argo CD", "Prometheus",
            "Grafana",
        ),
        (
            "Ansible", "Jenkins", "GitLab CI", "Azure DevOps", "Go", "Python",
            "Site Reliability Engineering",
        ),
        (
            "Certified Kubernetes Administrator (CKA)",
            "Certified Kubernetes Application Developer (CKAD)",
            "HashiCorp Certified: Terraform Associate",
            "Microsoft Certified: DevOps Engineer Expert",
        ),
    ),
    Track(
        "cloud_security", "Cloud & Infrastructure", "Cloud Security", "Security Engineer", 0.12,
        (
            "Cloud Security Architecture", "Identity and Access Management",
            "Zero Trust Architecture", "Microsoft Sentinel", "Microsoft Defender for Cloud",
            "Microsoft Entra ID",
        ),
        (
            "Okta", "Palo Alto Networks", "ISO 27001", "Vulnerability Management",
            "Microsoft Azure", "Amazon Web Services", "Terraform",
        ),
        (
            "CISSP", "CCSP", "Microsoft Certified: Security Operations Analyst Associate",
            "AWS Certified Security - Specialty",
        ),
    ),
    Track(
        "cloud_ops", "Cloud & Infrastructure", "Cloud Operations", "Site Reliability Engineer", 0.14,
        (
            "Site Reliability Engineering", "Linux Administration", "Windows Server", "Datadog",
            "Splunk", "ITIL 4", "VMware vSphere",
        ),
        (
            "Microsoft Azure", "Amazon Web Services", "PowerShell", "Ansible",
            "Network Engineering", "Prometheus", "ServiceNow ITSM",
        ),
        (
            "ITIL 4 Foundation", "VMware Certified Professional - Data Center Virtualization",
            "Microsoft Certified: Azure Administrator Associate",
            "AWS Certified SysOps Administrator - Associate",
        ),
    ),
    Track(
        "sap_finance", "Enterprise Applications", "SAP Finance", "SAP FI/CO Consultant", 0.22,
        (
            "SAP S/4HANA FI", "SAP S/4HANA CO", "SAP Activate", "SAP Fiori", "SAP Group Reporting",
            "SAP Central Finance",
        ),
        (
            "ABAP", "SAP BTP", "Excel Financial Modeling", "Business Analysis", "Process Mapping",
        ),
        (
            "SAP Certified Associate - SAP S/4HANA Cloud Private Edition, Financial Accounting",
            "SAP Certified Associate - SAP Activate Project Manager",
        ),
    ),
    Track(
        "sap_supply_chain", "Enterprise Applications", "SAP Supply Chain", "SAP Logistics Consultant", 0.18,
        (
            "SAP S/4HANA MM", "SAP S/4HANA SD", "SAP S/4HANA PP", "SAP EWM", "SAP IBP",
            "SAP Activate",
        ),
        ("ABAP", "SAP Fiori", "SAP BTP", "Process Mapping", "Manufacturing Domain"),
        (
            "SAP Certified Associate - SAP S/4HANA Sourcing and Procurement",
            "SAP Certified Associate - SAP S/4HANA Sales",
            "SAP Certified Associate - Back-End Developer - ABAP Cloud",
        ),
    ),
    Track(
        "salesforce", "Enterprise Applications", "Salesforce", "Salesforce Consultant", 0.24,
        (
            "Salesforce Sales Cloud", "Salesforce Service Cloud", "Apex",
            "Lightning Web Components", "Salesforce CPQ",
        ),
        (
            "Salesforce Marketing Cloud", "MuleSoft", "JavaScript", "HubSpot", "Business Analysis",
        ),
        (
            "Salesforce Certified Administrator", "Salesforce Certified Platform Developer I",
            "Salesforce Certified Sales Cloud Consultant",
            "Salesforce Certified Service Cloud Consultant",
        ),
    ),
    Track(
        "workday", "Enterprise Applications", "Workday", "Workday Consultant", 0.14,
        (
            "Workday HCM", "Workday Integrations", "Workday Payroll", "Workday Financials",
        ),
        (
            "SuccessFactors", "Change Management", "Business Analysis", "Excel Financial Modeling",
        ),
        ("Workday Pro HCM", "Workday Pro Integrations"),
    ),
    Track(
        "servicenow", "Enterprise Applications", "ServiceNow", "ServiceNow Developer", 0.12,
        (
            "ServiceNow ITSM", "ServiceNow ITOM", "ServiceNow Flow Designer", "JavaScript",
            "ITIL 4",
        ),
        ("ServiceNow HRSD", "ServiceNow CSM", "REST API Design", "Business Analysis"),
        (
            "ServiceNow Certified System Administrator",
            "ServiceNow Certified Implementation Specialist - ITSM", "ITIL 4 Foundation",
        ),
    ),
    Track(
        "dynamics", "Enterprise Applications", "Dynamics 365", "Dynamics 365 Consultant", 0.1,
        (
            "Dynamics 365 Finance", "Dynamics 365 Supply Chain Management", "Power Platform",
            "Power Automate", "Power Apps",
        ),
        (
            "Dynamics 365 Sales", "C#", "SQL Server", "Oracle Fusion Financials", "Azure DevOps",
        ),
        (
            "Microsoft Certified: Dynamics 365 Finance Functional Consultant Associate",
            "Microsoft Certified: Power Platform Functional Consultant Associate",
        ),
    ),
    Track(
        "frontend", "Digital Experience", "Frontend Engineering", "Frontend Developer", 0.26,
        ("React", "TypeScript", "JavaScript", "Next.js", "HTML and CSS", "Jest"),
        (
            "Angular", "Vue.js", "Storybook", "Web Accessibility (WCAG)", "GraphQL", "Node.js",
            "Figma",
        ),
        ("Microsoft Certified: Azure Developer Associate",),
    ),
    Track(
        "backend", "Digital Experience", "Software Engineering", "Software Engineer", 0.26,
        (
            "Java", "Spring Boot", ".NET", "C#", "REST API Design", "Microservices Architecture",
            "PostgreSQL",
        ),
        (
            "Node.js", "GraphQL", "Go", "MongoDB", "Redis", "Azure Cosmos DB", "Docker",
            "Kubernetes", "SQL Server", "Oracle Database",
        ),
        (
            "Oracle Certified Professional: Java SE 17 Developer",
            "Microsoft Certified: Azure Developer Associate", "AWS Certified Developer - Associate",
        ),
    ),
    Track(
        "mobile", "Digital Experience", "Mobile Engineering", "Mobile Developer", 0.12,
        (
            "Swift", "Kotlin", "iOS Development", "Android Development", "React Native", "Flutter",
        ),
        ("TypeScript", "REST API Design", "GraphQL", "UI Design"),
        ("Associate Android Developer",),
    ),
    Track(
        "experience_design", "Digital Experience", "Experience Design", "UX Designer", 0.2,
        (
            "UX Research", "UI Design", "Figma", "Design Systems", "Usability Testing",
            "Information Architecture",
        ),
        (
            "Service Design", "Content Strategy", "Web Accessibility (WCAG)", "HTML and CSS",
            "Client Workshop Facilitation", "Google Analytics 4",
        ),
        (
            "Google UX Design Professional Certificate", "NN/g UX Certification", "IAAP CPACC",
        ),
    ),
    Track(
        "commerce_cms", "Digital Experience", "Commerce & Content", "Commerce Developer", 0.16,
        (
            "Adobe Experience Manager", "Sitecore", "Salesforce Commerce Cloud", "commercetools",
            "Contentful", "Shopify Plus",
        ),
        (
            "Optimizely", "Java", ".NET", "JavaScript", "Google Analytics 4", "Retail Domain",
        ),
        (
            "Adobe Certified Expert - AEM Sites Developer",
            "Sitecore 10 .NET Developer Certification",
            "Salesforce Certified B2C Commerce Developer",
        ),
    ),
    Track(
        "delivery_pmo", "Strategy & Transformation", "Delivery & PMO", "PMO Consultant", 0.3,
        (
            "PMO", "Program Management", "Risk Management", "Budget and Forecast Management",
            "Agile Delivery", "Scrum", "Jira", "Microsoft Project",
        ),
        (
            "PRINCE2", "SAFe", "Vendor Management", "Stakeholder Management", "Change Management",
        ),
        (
            "PMP", "PRINCE2 Practitioner", "Certified ScrumMaster (CSM)",
            "Professional Scrum Master I (PSM I)", "SAFe 6 Agilist",
        ),
    ),
    Track(
        "change", "Strategy & Transformation", "Change & People", "Change Consultant", 0.22,
        (
            "Change Management", "Prosci ADKAR", "Stakeholder Management", "Training Design",
            "Communications Planning",
        ),
        (
            "Organisation Design", "Business Analysis", "Client Workshop Facilitation",
            "Workday HCM",
        ),
        (
            "Prosci Certified Change Practitioner", "APMG Change Management Practitioner",
        ),
    ),
    Track(
        "strategy", "Strategy & Transformation", "Strategy & Operations", "Strategy Consultant", 0.28,
        (
            "Operating Model Design", "Business Case Development", "Cost Transformation",
            "Digital Strategy", "IT Strategy", "Lean Six Sigma",
        ),
        (
            "Post-Merger Integration", "Celonis Process Mining", "Enterprise Architecture", "TOGAF",
            "Excel Financial Modeling", "Client Workshop Facilitation", "Vendor Management",
        ),
        ("Lean Six Sigma Green Belt", "TOGAF Enterprise Architecture Practitioner"),
    ),
    Track(
        "business_analysis", "Strategy & Transformation", "Business Analysis", "Business Analyst", 0.2,
        (
            "Business Analysis", "Requirements Engineering", "User Story Writing",
            "Process Mapping", "BPMN Process Modeling",
        ),
        ("Jira", "SQL", "Celonis Process Mining", "Agile Delivery", "Power BI"),
        ("CBAP", "ECBA", "Professional Scrum Master I (PSM I)"),
    ),
)
# fmt: on
TRACKS_BY_KEY: dict[str, Track] = {t.key: t for t in TRACKS}

# Skills anyone may pick up whatever their track, and those seniors accumulate.
GENERAL_SKILLS: tuple[str, ...] = (
    "SQL",
    "Python",
    "Agile Delivery",
    "Scrum",
    "Jira",
    "Client Workshop Facilitation",
)
LEADERSHIP_SKILLS: tuple[str, ...] = (
    "Stakeholder Management",
    "Presales",
    "Program Management",
    "Solution Architecture",
    "Risk Management",
    "Budget and Forecast Management",
)
LEADERSHIP_CERTIFICATIONS: tuple[str, ...] = (
    "PMP",
    "PRINCE2 Practitioner",
    "Certified ScrumMaster (CSM)",
)
INDUSTRY_SKILLS: tuple[str, ...] = tuple(n for n, c in SKILL_CATEGORY.items() if c == "industry")


def _check() -> None:
    # Fail at import time, not halfway through a seed, when a track names an unknown skill.
    for track in TRACKS:
        for name in (*track.core, *track.adjacent):
            if name not in SKILL_CATEGORY:
                raise ValueError(f"track {track.key} names unknown skill {name!r}")
        for cert in track.certifications:
            if cert not in CERTIFICATIONS:
                raise ValueError(f"track {track.key} names unknown certification {cert!r}")
    for name in (*GENERAL_SKILLS, *LEADERSHIP_SKILLS):
        if name not in SKILL_CATEGORY:
            raise ValueError(f"unknown skill {name!r}")


_check()
