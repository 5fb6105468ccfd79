from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .choices import GovernmentLevel, Sector


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=300)
    country = CountryField(_("country"), blank=True)
    level = models.CharField(
        _("level of government"), max_length=20, choices=GovernmentLevel.choices, blank=True
    )
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, default=Sector.PUBLIC
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="organisation_name_idx")]

    def __str__(self):
        return self.name

    @property
    def may_lead_applications(self) -> bool:
        """EPSA rule: only public-sector bodies may lead an application."""
        return self.sector == Sector.PUBLIC
