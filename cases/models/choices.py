"""Fixed value lists. Rows with slugs (see vocabularies) are for lists coordinators may edit."""

from django.db import models
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# (field, language) -> {value: label}: filled on first use, never changed (the choices are fixed).
_LABELS: dict[tuple[int, str | None], dict] = {}


def choice_label(field, value):
    """The label of ``value`` among ``field``'s fixed choices, in the active language."""
    key = (id(field), get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {make_hashable(k): str(v) for k, v in field.flatchoices}
    return labels.get(make_hashable(value), value)


class ChoiceLabels:
    """Model mixin: ``get_FOO_display()`` from a table per language. Django's own hashes every
    lazy label of the field's choices on each call, a translation lookup each (25 for a case's
    language): a case page spent a tenth of its time there."""

    def _get_FIELD_display(self, field):
        return choice_label(field, getattr(self, field.attname))


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    EVALUATOR = "evaluator", _("Evaluator")
    COORDINATOR = "coordinator", _("Coordinator")


class GovernmentLevel(models.TextChoices):
    EU_INSTITUTION = "eu-institution", _("EU institution")
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    THIRD_SECTOR = "third-sector", _("Third sector")
    ACADEMIC = "academic", _("Academic")
    CITIZENS = "citizens", _("Citizens / community")


class EditionPhase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for submissions")
    ELIGIBILITY = "eligibility", _("Eligibility screening")
    EVALUATION = "evaluation", _("Evaluation")
    CONSENSUS = "consensus", _("Consensus")
    JURY = "jury", _("Jury")
    CLOSED = "closed", _("Closed")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    NONE = "none", _("No distinction")
    CERTIFICATE = "certificate", _("Good practice certificate")
    SPECIAL_RECOGNITION = "special-recognition", _("Special recognition")
    NOMINEE = "nominee", _("Nominee")
    WINNER = "winner", _("Winner")


class Provenance(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted through this portal")
    IMPORTED = "imported", _("Imported from published records")
    SYNTHETIC = "synthetic", _("Synthetic demo data")


class Licence(models.TextChoices):
    CC_BY_4 = "CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC_BY_SA_4 = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Member")


class CaseLanguage(models.TextChoices):
    """The language a case is written in (the EU's official languages, and any other)."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")
    DUTCH = "nl", _("Dutch")
    PORTUGUESE = "pt", _("Portuguese")
    POLISH = "pl", _("Polish")
    GREEK = "el", _("Greek")
    CZECH = "cs", _("Czech")
    SWEDISH = "sv", _("Swedish")
    DANISH = "da", _("Danish")
    FINNISH = "fi", _("Finnish")
    HUNGARIAN = "hu", _("Hungarian")
    ROMANIAN = "ro", _("Romanian")
    BULGARIAN = "bg", _("Bulgarian")
    CROATIAN = "hr", _("Croatian")
    SLOVAK = "sk", _("Slovak")
    SLOVENIAN = "sl", _("Slovenian")
    LITHUANIAN = "lt", _("Lithuanian")
    LATVIAN = "lv", _("Latvian")
    ESTONIAN = "et", _("Estonian")
    IRISH = "ga", _("Irish")
    MALTESE = "mt", _("Maltese")
    OTHER = "other", _("Other language")
