"""Seed the controlled vocabularies and the role groups with their stable slugs.

The data is written out here rather than imported so that this migration keeps meaning
what it meant when it was written. Labels may be edited later in the admin; slugs may not.
"""

from django.db import migrations

COLLABORATION_TYPES = [
    (
        "public-public-horizontal",
        "Public–public, horizontal",
        "Agencies of the same level of government working together.",
    ),
    (
        "public-public-vertical",
        "Public–public, vertical",
        "Across levels of government (EU, national, regional, local).",
    ),
    ("cross-border", "Cross-border public", "Administrations of different countries."),
    (
        "public-private",
        "Public–private",
        "Businesses sharing resources, risks and benefits, beyond plain outsourcing.",
    ),
    (
        "public-third-sector",
        "Public–third sector",
        "Non-profits, NGOs, social enterprises and community groups as partners in design and delivery.",
    ),
    (
        "public-research",
        "Public–research",
        "Universities and research institutes bringing scientific evidence.",
    ),
    (
        "public-citizen",
        "Public–citizen co-production",
        "Service users and citizens contributing voice and action.",
    ),
    (
        "multi-stakeholder",
        "Multi-stakeholder (quadruple helix)",
        "Government, business, research and civil society together.",
    ),
]

COPRODUCTION_PHASES = [
    (
        "co-commissioning",
        "Co-commissioning",
        "Citizens help set priorities and decide what is funded.",
    ),
    ("co-design", "Co-design", "Users shape the service."),
    ("co-delivery", "Co-delivery", "Citizens put in their own effort to produce the service."),
    ("co-assessment", "Co-assessment", "Citizens help monitor and evaluate quality and outcomes."),
]

COPRODUCTION_LEVELS = [
    ("individual", "Individual", "Co-production that benefits the individual taking part."),
    ("group", "Group", "Co-production that benefits a group of people with shared traits."),
    ("collective", "Collective", "Co-production that benefits the whole community."),
]

ECOSYSTEM_FACTORS = [
    (
        "policy-environment",
        "Policy environment",
        "An enabling policy environment, supportive of collaboration and not over-committed to competition between providers.",
    ),
    (
        "partnership-platform",
        "Partnership platform",
        "A partnership platform that brings actors across sectors together and systematically catalyses collaborative action.",
    ),
    (
        "partner-selection",
        "Partner selection",
        "Partner organisations fit for, and committed to, sharing and partnering.",
    ),
    (
        "resources-capacity",
        "Resources and capacity",
        "Sufficient resources and capacities of the public organisations to make collaboration effective.",
    ),
    (
        "partnership-skills",
        "Partnership skills",
        "Public stakeholders and individuals with partnership knowledge and skills.",
    ),
    (
        "partnership-design",
        "Partnership design",
        "Partnerships designed to good-practice standards, delivering outcomes for the quality of life of priority stakeholders.",
    ),
    (
        "risk-acknowledgement",
        "Risk acknowledgement",
        "Potential risks of collaboration acknowledged and embraced, including political sensitivities and public scrutiny.",
    ),
    (
        "transparency-joint-decisions",
        "Transparency and joint decisions",
        "Arrangements for transparency and joint decision-making that make those risks acceptable to service users and communities.",
    ),
]

POLICY_SECTORS = [
    ("public-health-social-affairs", "Public health and social affairs"),
    ("justice-police-security", "Justice, police, human rights and security"),
    ("education-training", "Education and training"),
    ("public-administration-reform", "Public administration and reform"),
    ("science-research-innovation", "Science, research, innovation"),
    ("employment-gender-equality", "Employment and gender equality"),
    ("regional-development", "Regional development"),
    ("environment-climate", "Environment and climate"),
    ("digital-government", "Digital government"),
    ("cross-sectoral", "Cross-sectoral"),
    ("other", "Other"),
]

INNOVATION_STAGES = [
    ("identifying-problems", "Identifying problems"),
    ("generating-ideas", "Generating ideas"),
    ("developing-proposals", "Developing proposals"),
    ("implementing", "Implementing"),
    ("evaluating", "Evaluating"),
    ("diffusing-lessons", "Diffusing lessons"),
]

ROLES = ["applicant", "evaluator", "coordinator"]


def seed(apps, schema_editor):
    def put(model_name, rows, **extra_for):
        model = apps.get_model("cases", model_name)
        for order, row in enumerate(rows, start=1):
            slug, label, *rest = row
            defaults = {"label": label, "order": order}
            if rest:
                defaults["description"] = rest[0]
            model.objects.update_or_create(slug=slug, defaults=defaults)

    put("CollaborationType", COLLABORATION_TYPES)
    put("CoproductionPhase", COPRODUCTION_PHASES)
    put("CoproductionLevel", COPRODUCTION_LEVELS)
    put("PolicySector", POLICY_SECTORS)
    put("InnovationStage", INNOVATION_STAGES)
    factor_model = apps.get_model("cases", "EcosystemFactor")
    for order, (slug, short, description) in enumerate(ECOSYSTEM_FACTORS, start=1):
        factor_model.objects.update_or_create(
            slug=slug,
            defaults={
                "label": description.rstrip("."),
                "short_label": short,
                "description": description,
                "order": order,
            },
        )
    group_model = apps.get_model("auth", "Group")
    for name in ROLES:
        group_model.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
