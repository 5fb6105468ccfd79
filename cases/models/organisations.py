import unicodedata

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .choices import GovernmentLevel, Sector


def normalise_name(name: str) -> str:
    """A name as people mean it: case, spacing and punctuation do not count.

    "City of Ghent", "city of  ghent" and "City-of-Ghent." are one name. Organisation names are
    unique per country in this form, and conflicts of interest match partners by it.
    """
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=300)
    # Kept equal to normalise_name(name) by save() (bulk writes set it themselves).
    normalised_name = models.CharField(
        _("normalised name"), max_length=300, editable=False, default=""
    )
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
        constraints = [
            models.UniqueConstraint(
                fields=["country", "normalised_name"],
                name="organisation_unique_name_per_country",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalised_name"}
        super().save(*args, **kwargs)

    @property
    def may_lead_applications(self) -> bool:
        """EPSA rule: only public-sector bodies may lead an application."""
        return self.sector == Sector.PUBLIC
