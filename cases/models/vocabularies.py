"""Controlled vocabularies of the collaborative-governance typology.

Slugs are stable (URLs, filters and exports use them) and seeded by a data migration;
coordinators may edit labels and descriptions in the admin.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.limits import SHORT_TEXT_MAX


class Vocabulary(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=SHORT_TEXT_MAX)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "slug"]

    def __str__(self):
        return self.label


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
    short_label = models.CharField(_("short label"), max_length=60, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("enabling-ecosystem factor")

    @property
    def display_short(self):
        return self.short_label or self.label


class PolicySector(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("policy sector")


class InnovationStage(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("innovation stage")
