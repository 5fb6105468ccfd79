"""Controlled vocabularies of the collaborative-governance typology.

Slugs are stable (URLs, filters and exports use them) and seeded by a data migration;
coordinators may edit labels and descriptions in the admin.

Translations are columns, not gettext: a row is data that coordinators edit, so each
interface language has its own label (and description) column beside the English one
(``label``, ``label_fr``, ``label_de``, ``label_es``), edited in the same admin form. Pages show
:attr:`Vocabulary.display_label` (and ``str(row)``), which reads the column of the active
language and falls back to English while a translation is empty; queries that only need the
label select :func:`label_column` of the active language. Seeded rows get their translations
from migration 0014.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.models.limits import SHORT_TEXT_MAX

# The languages that have their own columns; English is the plain column.
TRANSLATED_LANGUAGES = ("fr", "de", "es")


def language_suffix() -> str:
    """``"_fr"`` while French is active, ``""`` for English or an unknown language."""
    code = (get_language() or "en").split("-")[0]
    return f"_{code}" if code in TRANSLATED_LANGUAGES else ""


def label_column(field: str = "label") -> str:
    """The column holding ``field`` in the active language (for ``values()`` queries)."""
    return field + language_suffix()


def translated_label_sql(alias: str, field: str = "label") -> str:
    """SQL for ``<alias>.<field>`` of a vocabulary row in the active language, English while
    untranslated (the SQL counterpart of ``translated``)."""
    column = label_column(field)
    if column == field:
        return f"{alias}.{field}"
    return f"COALESCE(NULLIF({alias}.{column}, ''), {alias}.{field})"


def translated(row, field: str) -> str:
    """``row.<field>`` in the active language, else in English."""
    suffix = language_suffix()
    if suffix:
        value = getattr(row, field + suffix, "")
        if value:
            return value
    return getattr(row, field)


class Vocabulary(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    label = models.CharField(_("label (English)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200, blank=True)
    label_de = models.CharField(_("label (German)"), max_length=200, blank=True)
    label_es = models.CharField(_("label (Spanish)"), max_length=200, blank=True)
    description = models.TextField(
        _("description (English)"), blank=True, max_length=SHORT_TEXT_MAX
    )
    description_fr = models.TextField(
        _("description (French)"), blank=True, max_length=SHORT_TEXT_MAX
    )
    description_de = models.TextField(
        _("description (German)"), blank=True, max_length=SHORT_TEXT_MAX
    )
    description_es = models.TextField(
        _("description (Spanish)"), blank=True, max_length=SHORT_TEXT_MAX
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "slug"]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self) -> str:
        return translated(self, "label")

    @property
    def display_description(self) -> str:
        return translated(self, "description")


class CollaborationType(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("collaboration type")


class CoproductionPhase(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("co-production phase")


class CoproductionLevel(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("co-production level")


class EcosystemFactor(Vocabulary):
    short_label = models.CharField(_("short label (English)"), max_length=60, blank=True)
    short_label_fr = models.CharField(_("short label (French)"), max_length=60, blank=True)
    short_label_de = models.CharField(_("short label (German)"), max_length=60, blank=True)
    short_label_es = models.CharField(_("short label (Spanish)"), max_length=60, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("enabling-ecosystem factor")

    @property
    def display_short(self):
        return translated(self, "short_label") or self.display_label


class PolicySector(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("policy sector")


class InnovationStage(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("innovation stage")
