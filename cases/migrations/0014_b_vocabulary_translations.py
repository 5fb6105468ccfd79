"""French, German and Spanish labels and descriptions of the seeded vocabulary rows.

Written out here, like the English seed of 0002, so that the migration keeps meaning what it
meant. Only empty translation columns are filled: a coordinator's edit is never overwritten.
Each row: slug -> {language: (label, description)}; factors also carry a short label first.
"""

from django.db import migrations

COLLABORATION_TYPES = {
    "public-public-horizontal": {
        "fr": (
            "Public–public, horizontale",
            "Des organismes d’un même niveau de gouvernement travaillent ensemble.",
        ),
        "de": (
            "Öffentlich–öffentlich, horizontal",
            "Behörden derselben Verwaltungsebene arbeiten zusammen.",
        ),
        "es": (
            "Público–público, horizontal",
            "Organismos del mismo nivel de gobierno que trabajan juntos.",
        ),
    },
    "public-public-vertical": {
        "fr": (
            "Public–public, verticale",
            "Entre niveaux de gouvernement (UE, national, régional, local).",
        ),
        "de": (
            "Öffentlich–öffentlich, vertikal",
            "Über Verwaltungsebenen hinweg (EU, national, regional, lokal).",
        ),
        "es": (
            "Público–público, vertical",
            "Entre niveles de gobierno (UE, nacional, regional, local).",
        ),
    },
    "cross-border": {
        "fr": ("Publique transfrontalière", "Des administrations de pays différents."),
        "de": ("Grenzüberschreitend öffentlich", "Verwaltungen verschiedener Länder."),
        "es": ("Pública transfronteriza", "Administraciones de distintos países."),
    },
    "public-private": {
        "fr": (
            "Public–privé",
            "Des entreprises qui partagent ressources, risques et bénéfices, au-delà de la simple externalisation.",
        ),
        "de": (
            "Öffentlich–privat",
            "Unternehmen, die Ressourcen, Risiken und Nutzen teilen, über bloßes Outsourcing hinaus.",
        ),
        "es": (
            "Público–privada",
            "Empresas que comparten recursos, riesgos y beneficios, más allá de la mera externalización.",
        ),
    },
    "public-third-sector": {
        "fr": (
            "Public–tiers secteur",
            "Associations, ONG, entreprises sociales et groupes locaux, partenaires de la conception et de la mise en œuvre.",
        ),
        "de": (
            "Öffentlich–Dritter Sektor",
            "Gemeinnützige Organisationen, NRO, Sozialunternehmen und Bürgergruppen als Partner bei Gestaltung und Umsetzung.",
        ),
        "es": (
            "Público–tercer sector",
            "Entidades sin ánimo de lucro, ONG, empresas sociales y grupos comunitarios como socios en el diseño y la prestación.",
        ),
    },
    "public-research": {
        "fr": (
            "Public–recherche",
            "Des universités et instituts de recherche qui apportent des données scientifiques.",
        ),
        "de": (
            "Öffentlich–Forschung",
            "Hochschulen und Forschungseinrichtungen, die wissenschaftliche Evidenz einbringen.",
        ),
        "es": (
            "Público–investigación",
            "Universidades e institutos de investigación que aportan evidencia científica.",
        ),
    },
    "public-citizen": {
        "fr": (
            "Coproduction public–citoyens",
            "Des usagers et des citoyens qui apportent leur voix et leur action.",
        ),
        "de": (
            "Koproduktion öffentlich–Bürger",
            "Nutzerinnen und Nutzer sowie Bürgerinnen und Bürger bringen ihre Stimme und ihr Handeln ein.",
        ),
        "es": (
            "Coproducción público–ciudadanía",
            "Personas usuarias y ciudadanía que aportan su voz y su acción.",
        ),
    },
    "multi-stakeholder": {
        "fr": (
            "Multipartite (quadruple hélice)",
            "Pouvoirs publics, entreprises, recherche et société civile ensemble.",
        ),
        "de": (
            "Multi-Stakeholder (Vierfach-Helix)",
            "Staat, Wirtschaft, Forschung und Zivilgesellschaft gemeinsam.",
        ),
        "es": (
            "Multiactor (cuádruple hélice)",
            "Administración, empresas, investigación y sociedad civil juntas.",
        ),
    },
}

COPRODUCTION_PHASES = {
    "co-commissioning": {
        "fr": (
            "Co-commande",
            "Les citoyens aident à fixer les priorités et à décider de ce qui est financé.",
        ),
        "de": (
            "Ko-Beauftragung",
            "Bürgerinnen und Bürger helfen, Prioritäten zu setzen und über die Finanzierung zu entscheiden.",
        ),
        "es": (
            "Co-encargo",
            "La ciudadanía ayuda a fijar prioridades y a decidir qué se financia.",
        ),
    },
    "co-design": {
        "fr": ("Co-conception", "Les usagers façonnent le service."),
        "de": ("Ko-Design", "Nutzerinnen und Nutzer gestalten die Leistung mit."),
        "es": ("Co-diseño", "Las personas usuarias dan forma al servicio."),
    },
    "co-delivery": {
        "fr": (
            "Co-production du service",
            "Les citoyens consacrent leurs propres efforts à la production du service.",
        ),
        "de": (
            "Ko-Erbringung",
            "Bürgerinnen und Bürger wirken mit eigenem Einsatz an der Erbringung der Leistung mit.",
        ),
        "es": (
            "Co-prestación",
            "La ciudadanía aporta su propio esfuerzo para producir el servicio.",
        ),
    },
    "co-assessment": {
        "fr": (
            "Co-évaluation",
            "Les citoyens aident à suivre et à évaluer la qualité et les résultats.",
        ),
        "de": (
            "Ko-Evaluation",
            "Bürgerinnen und Bürger helfen, Qualität und Ergebnisse zu überwachen und zu bewerten.",
        ),
        "es": (
            "Co-evaluación",
            "La ciudadanía ayuda a supervisar y evaluar la calidad y los resultados.",
        ),
    },
}

COPRODUCTION_LEVELS = {
    "individual": {
        "fr": ("Individuel", "Une coproduction qui profite à la personne qui y participe."),
        "de": ("Individuell", "Koproduktion, die der teilnehmenden Person zugutekommt."),
        "es": ("Individual", "Coproducción que beneficia a la persona que participa."),
    },
    "group": {
        "fr": (
            "Groupe",
            "Une coproduction qui profite à un groupe de personnes ayant des caractéristiques communes.",
        ),
        "de": (
            "Gruppe",
            "Koproduktion, die einer Gruppe von Menschen mit gemeinsamen Merkmalen zugutekommt.",
        ),
        "es": ("Grupal", "Coproducción que beneficia a un grupo de personas con rasgos comunes."),
    },
    "collective": {
        "fr": ("Collectif", "Une coproduction qui profite à toute la collectivité."),
        "de": ("Kollektiv", "Koproduktion, die dem ganzen Gemeinwesen zugutekommt."),
        "es": ("Colectivo", "Coproducción que beneficia a toda la comunidad."),
    },
}

# slug -> {language: (short label, description)}; the long label is the description without
# its final full stop, as in the English seed.
ECOSYSTEM_FACTORS = {
    "policy-environment": {
        "fr": (
            "Cadre politique",
            "Un cadre politique favorable, propice à la collaboration et qui ne mise pas à l’excès sur la concurrence entre prestataires.",
        ),
        "de": (
            "Politisches Umfeld",
            "Ein förderliches politisches Umfeld, das Zusammenarbeit unterstützt und nicht übermäßig auf Wettbewerb zwischen Anbietern setzt.",
        ),
        "es": (
            "Entorno político",
            "Un entorno político favorable, que apoya la colaboración y no apuesta en exceso por la competencia entre proveedores.",
        ),
    },
    "partnership-platform": {
        "fr": (
            "Plateforme de partenariat",
            "Une plateforme de partenariat qui réunit des acteurs de différents secteurs et suscite systématiquement l’action collaborative.",
        ),
        "de": (
            "Partnerschaftsplattform",
            "Eine Partnerschaftsplattform, die Akteure verschiedener Sektoren zusammenbringt und gemeinsames Handeln systematisch anstößt.",
        ),
        "es": (
            "Plataforma de colaboración",
            "Una plataforma de colaboración que reúne a actores de distintos sectores y cataliza sistemáticamente la acción conjunta.",
        ),
    },
    "partner-selection": {
        "fr": (
            "Choix des partenaires",
            "Des organisations partenaires aptes au partage et au partenariat, et engagées en ce sens.",
        ),
        "de": (
            "Partnerauswahl",
            "Partnerorganisationen, die für Teilen und Partnerschaft geeignet und ihnen verpflichtet sind.",
        ),
        "es": (
            "Selección de socios",
            "Organizaciones socias aptas para compartir y colaborar, y comprometidas con ello.",
        ),
    },
    "resources-capacity": {
        "fr": (
            "Ressources et capacités",
            "Des ressources et des capacités suffisantes des organismes publics pour rendre la collaboration efficace.",
        ),
        "de": (
            "Ressourcen und Kapazitäten",
            "Ausreichende Ressourcen und Kapazitäten der öffentlichen Stellen, um die Zusammenarbeit wirksam zu machen.",
        ),
        "es": (
            "Recursos y capacidades",
            "Recursos y capacidades suficientes de los organismos públicos para que la colaboración sea eficaz.",
        ),
    },
    "partnership-skills": {
        "fr": (
            "Compétences de partenariat",
            "Des acteurs publics et des personnes dotés de connaissances et de compétences en matière de partenariat.",
        ),
        "de": (
            "Partnerschaftskompetenz",
            "Öffentliche Akteure und Personen mit Wissen und Fähigkeiten in der Partnerschaftsarbeit.",
        ),
        "es": (
            "Competencias de colaboración",
            "Actores públicos y personas con conocimientos y competencias en materia de colaboración.",
        ),
    },
    "partnership-design": {
        "fr": (
            "Conception du partenariat",
            "Des partenariats conçus selon les bonnes pratiques, qui améliorent la qualité de vie des parties prenantes prioritaires.",
        ),
        "de": (
            "Gestaltung der Partnerschaft",
            "Partnerschaften nach guter fachlicher Praxis gestaltet, die Ergebnisse für die Lebensqualität der vorrangigen Zielgruppen erbringen.",
        ),
        "es": (
            "Diseño de la colaboración",
            "Colaboraciones diseñadas según buenas prácticas, que generan resultados para la calidad de vida de las partes interesadas prioritarias.",
        ),
    },
    "risk-acknowledgement": {
        "fr": (
            "Prise en compte des risques",
            "Des risques potentiels de la collaboration reconnus et assumés, y compris les sensibilités politiques et le regard du public.",
        ),
        "de": (
            "Umgang mit Risiken",
            "Mögliche Risiken der Zusammenarbeit werden anerkannt und angenommen, einschließlich politischer Empfindlichkeiten und öffentlicher Kontrolle.",
        ),
        "es": (
            "Reconocimiento de riesgos",
            "Riesgos potenciales de la colaboración reconocidos y asumidos, incluidas las sensibilidades políticas y el escrutinio público.",
        ),
    },
    "transparency-joint-decisions": {
        "fr": (
            "Transparence et décisions conjointes",
            "Des dispositifs de transparence et de décision conjointe qui rendent ces risques acceptables pour les usagers et les collectivités.",
        ),
        "de": (
            "Transparenz und gemeinsame Entscheidungen",
            "Regelungen für Transparenz und gemeinsame Entscheidungsfindung, die diese Risiken für Nutzerinnen, Nutzer und Gemeinschaften annehmbar machen.",
        ),
        "es": (
            "Transparencia y decisiones conjuntas",
            "Mecanismos de transparencia y de toma de decisiones conjunta que hacen esos riesgos aceptables para las personas usuarias y las comunidades.",
        ),
    },
}

POLICY_SECTORS = {
    "public-health-social-affairs": {
        "fr": "Santé publique et affaires sociales",
        "de": "Öffentliche Gesundheit und Soziales",
        "es": "Salud pública y asuntos sociales",
    },
    "justice-police-security": {
        "fr": "Justice, police, droits de l’homme et sécurité",
        "de": "Justiz, Polizei, Menschenrechte und Sicherheit",
        "es": "Justicia, policía, derechos humanos y seguridad",
    },
    "education-training": {
        "fr": "Éducation et formation",
        "de": "Allgemeine und berufliche Bildung",
        "es": "Educación y formación",
    },
    "public-administration-reform": {
        "fr": "Administration publique et réforme",
        "de": "Öffentliche Verwaltung und Reform",
        "es": "Administración pública y reforma",
    },
    "science-research-innovation": {
        "fr": "Science, recherche, innovation",
        "de": "Wissenschaft, Forschung, Innovation",
        "es": "Ciencia, investigación, innovación",
    },
    "employment-gender-equality": {
        "fr": "Emploi et égalité entre les femmes et les hommes",
        "de": "Beschäftigung und Gleichstellung der Geschlechter",
        "es": "Empleo e igualdad de género",
    },
    "regional-development": {
        "fr": "Développement régional",
        "de": "Regionalentwicklung",
        "es": "Desarrollo regional",
    },
    "environment-climate": {
        "fr": "Environnement et climat",
        "de": "Umwelt und Klima",
        "es": "Medio ambiente y clima",
    },
    "digital-government": {
        "fr": "Administration numérique",
        "de": "Digitale Verwaltung",
        "es": "Administración digital",
    },
    "cross-sectoral": {"fr": "Intersectoriel", "de": "Sektorübergreifend", "es": "Intersectorial"},
    "other": {"fr": "Autre", "de": "Sonstiges", "es": "Otro"},
}

INNOVATION_STAGES = {
    "identifying-problems": {
        "fr": "Identification des problèmes",
        "de": "Probleme erkennen",
        "es": "Identificación de problemas",
    },
    "generating-ideas": {
        "fr": "Génération d’idées",
        "de": "Ideen entwickeln",
        "es": "Generación de ideas",
    },
    "developing-proposals": {
        "fr": "Élaboration de propositions",
        "de": "Vorschläge ausarbeiten",
        "es": "Elaboración de propuestas",
    },
    "implementing": {"fr": "Mise en œuvre", "de": "Umsetzung", "es": "Implementación"},
    "evaluating": {"fr": "Évaluation", "de": "Evaluierung", "es": "Evaluación"},
    "diffusing-lessons": {
        "fr": "Diffusion des enseignements",
        "de": "Erkenntnisse verbreiten",
        "es": "Difusión de lecciones aprendidas",
    },
}

LANGUAGES = ("fr", "de", "es")


def _fill(row, values: dict) -> list[str]:
    """Set each empty column of ``values`` on ``row``; return the names that changed."""
    changed = []
    for name, value in values.items():
        if not getattr(row, name):
            setattr(row, name, value)
            changed.append(name)
    return changed


def translate(apps, schema_editor):
    def put(model_name, table, *, with_description=True):
        model = apps.get_model("cases", model_name)
        for row in model.objects.filter(slug__in=table):
            values = {}
            for code in LANGUAGES:
                entry = table[row.slug][code]
                if with_description:
                    values[f"label_{code}"], values[f"description_{code}"] = entry
                else:
                    values[f"label_{code}"] = entry
            changed = _fill(row, values)
            if changed:
                row.save(update_fields=changed)

    put("CollaborationType", COLLABORATION_TYPES)
    put("CoproductionPhase", COPRODUCTION_PHASES)
    put("CoproductionLevel", COPRODUCTION_LEVELS)
    put("PolicySector", POLICY_SECTORS, with_description=False)
    put("InnovationStage", INNOVATION_STAGES, with_description=False)
    factor_model = apps.get_model("cases", "EcosystemFactor")
    for row in factor_model.objects.filter(slug__in=ECOSYSTEM_FACTORS):
        values = {}
        for code in LANGUAGES:
            short, description = ECOSYSTEM_FACTORS[row.slug][code]
            values[f"short_label_{code}"] = short
            values[f"label_{code}"] = description.rstrip(".")
            values[f"description_{code}"] = description
        changed = _fill(row, values)
        if changed:
            row.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_i18n")]

    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
