"""Stored read models of the library's insight features: similar cases and saved collections.

``SimilarityFeatures`` is one row per case (profile, tag masks, and what the exact score reads:
tag ids and content words) so that the nearest published cases come in one read, and ``SimilarCase``
keeps each published case's five nearest neighbours ready for its page (see
``cases.domain.similarity``). Both are derived data: only ``cases.domain.derived`` writes them.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.limits import LONG_TEXT_MAX

TAG_IDS_MAX = 2_000
WORDS_MAX = 300 + 1 + LONG_TEXT_MAX  # a title, a space, a summary

# One nullable column per enabling-ecosystem factor, in the factors' display order.
FEATURE_FACTOR_COLUMNS = tuple(f"f{index}" for index in range(1, 9))


class SimilarityFeatures(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="similarity"
    )
    is_published = models.BooleanField(default=False)
    # Profile values in hundredths (0-400), NULL where the case has no value for the factor.
    f1 = models.PositiveSmallIntegerField(null=True)
    f2 = models.PositiveSmallIntegerField(null=True)
    f3 = models.PositiveSmallIntegerField(null=True)
    f4 = models.PositiveSmallIntegerField(null=True)
    f5 = models.PositiveSmallIntegerField(null=True)
    f6 = models.PositiveSmallIntegerField(null=True)
    f7 = models.PositiveSmallIntegerField(null=True)
    f8 = models.PositiveSmallIntegerField(null=True)
    # One bit per collaboration type / co-production phase (bit = primary key modulo 62).
    collaboration_mask = models.BigIntegerField(default=0)
    phase_mask = models.BigIntegerField(default=0)
    collaboration_count = models.PositiveSmallIntegerField(default=0)
    phase_count = models.PositiveSmallIntegerField(default=0)
    # Whether the case's stored list of similar cases is current (False after a bulk import).
    list_ready = models.BooleanField(default=False)
    # What the exact score reads, so that the candidates need no further query: the tag ids
    # (space-separated) and the content words of title and summary (space-separated, in order
    # of first appearance; ``cases.domain.similarity.content_words``).
    # Bounded like every text of the models (tests/applications/test_hostile_input.py): a few
    # ids of small vocabularies, and at most the words of a title and a summary.
    collaboration_ids = models.TextField(blank=True, default="", max_length=TAG_IDS_MAX)
    phase_ids = models.TextField(blank=True, default="", max_length=TAG_IDS_MAX)
    words = models.TextField(blank=True, default="", max_length=WORDS_MAX)

    class Meta:
        verbose_name = _("similarity features")
        verbose_name_plural = _("similarity features")
        indexes = [
            models.Index(fields=["is_published"], name="similarity_published_idx"),
            # The candidate search reads published rows by their tag masks, nearest first, and
            # computes their distance from this index alone (an index-only scan: the rows, wide
            # with their words, are read only for the nearest).
            models.Index(
                fields=[
                    "collaboration_mask",
                    "phase_mask",
                    "case",
                    *FEATURE_FACTOR_COLUMNS,
                    "collaboration_count",
                    "phase_count",
                ],
                name="similarity_search_idx",
                condition=models.Q(is_published=True),
            ),
        ]

    def __str__(self):
        return f"features of case {self.case_id}"


class SimilarCase(models.Model):
    """One of the nearest published neighbours of a case, with what makes them alike."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="similar_cases")
    similar = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    # Structured reason (shared type and phase ids, profile distance, shared words), rendered
    # in the reader's language by cases.interfaces.similarity.
    reason = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("similar case")
        ordering = ["case", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["case", "similar"], name="similar_case_once"),
            models.CheckConstraint(
                condition=~models.Q(case=models.F("similar")), name="similar_case_not_itself"
            ),
        ]
        indexes = [models.Index(fields=["similar"], name="similar_case_target_idx")]

    def __str__(self):
        return f"{self.case_id} ~ {self.similar_id} ({self.score:.2f})"


def new_share_token() -> str:
    return secrets.token_urlsafe(16)


class Collection(models.Model):
    """A signed-in user's named set of published cases, with a note; shareable read-only."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_collections"
    )
    name = models.CharField(_("name"), max_length=200)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    share_token = models.CharField(max_length=40, unique=True, default=new_share_token)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("collection")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="collection_owner_idx")]

    def __str__(self):
        return self.name


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case in a collection")
        ordering = ["collection", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "case"], name="collection_case_once")
        ]

    def __str__(self):
        return f"{self.collection_id} / {self.case_id}"
