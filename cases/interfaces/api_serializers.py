"""JSON shapes of the public API (version 1). Read-only: nothing here writes.

Every serializer reads objects that ``cases.domain.queries.public_api`` has already loaded
with their relations, so serializing a page runs no query per case. ``CaseSerializer`` is the
list item; ``CaseDetailSerializer`` adds the full public text. A later field (for instance
similar cases) is one more declared field on either, with its data prefetched by the query.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.domain.queries.library import OUTCOME_BY_VALUE, OUTCOME_SLUGS
from cases.models import (
    NARRATIVE_FIELDS,
    Case,
    FactorProfileSource,
    GovernmentLevel,
    Licence,
    Provenance,
    Sector,
)


class NullableChoiceField(serializers.ChoiceField):
    """A choice whose empty stored value is shown as null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


@extend_schema_field({"type": "string", "nullable": True, "example": "ES"})
class CountryCodeField(serializers.Field):
    """ISO 3166-1 alpha-2 code (EU for EU institutions), or null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.code if value else None


class OutcomeField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=list(OUTCOME_SLUGS), read_only=True, **kwargs)

    def to_representation(self, value):
        return OUTCOME_BY_VALUE.get(value, value)


class VocabularyItemSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class EditionRefSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    year_label = serializers.CharField(read_only=True)


class CategoryRefSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class PartnerSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    sector = NullableChoiceField(choices=Sector.choices)
    country = CountryCodeField()


class FactorValueSerializer(serializers.Serializer):
    factor = serializers.CharField(read_only=True, help_text=_("Slug of the factor."))
    value = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("0 (absent) to 4 (strong); null if none.")
    )
    source = NullableChoiceField(choices=FactorProfileSource.choices)


class CaseSerializer(serializers.Serializer):
    """A published case as the API lists it."""

    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    organisation = serializers.CharField(
        source="lead_organisation.name", read_only=True, allow_null=True, default=None
    )
    country = CountryCodeField()
    level = NullableChoiceField(choices=GovernmentLevel.choices)
    policy_sectors = VocabularyItemSerializer(many=True, read_only=True)
    edition = EditionRefSerializer(read_only=True, allow_null=True)
    category = CategoryRefSerializer(read_only=True, allow_null=True)
    year = serializers.IntegerField(read_only=True, allow_null=True)
    outcome = OutcomeField()
    place = serializers.IntegerField(read_only=True, allow_null=True)
    innovation_stage = VocabularyItemSerializer(read_only=True, allow_null=True)
    start_date = serializers.DateField(read_only=True, allow_null=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    ongoing = serializers.BooleanField(read_only=True)
    collaboration_types = VocabularyItemSerializer(many=True, read_only=True)
    coproduction_phases = VocabularyItemSerializer(many=True, read_only=True)
    coproduction_levels = VocabularyItemSerializer(many=True, read_only=True)
    partners = PartnerSerializer(many=True, read_only=True)
    factor_profile = serializers.SerializerMethodField()
    licence = serializers.ChoiceField(choices=Licence.choices, read_only=True)
    provenance = serializers.ChoiceField(choices=Provenance.choices, read_only=True)
    published_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    permalink = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(FactorValueSerializer(many=True))
    def get_factor_profile(self, case: Case) -> list[dict]:
        """Every factor in order, with the case's value and its source (null where none)."""
        values = {item.factor_id: item for item in case.profile_values.all()}
        rows = []
        for factor in self.context["factors"]:
            item = values.get(factor.pk)
            rows.append(
                {
                    "factor": factor.slug,
                    "value": float(item.value) if item else None,
                    "source": item.source if item else None,
                }
            )
        return rows

    @extend_schema_field(OpenApiTypes.URI)
    def get_permalink(self, case: Case) -> str:
        return self._absolute(case.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, case: Case) -> str:
        return self._absolute(reverse("api:case-detail", kwargs={"slug": case.slug}))


class SectionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=list(NARRATIVE_FIELDS), read_only=True)
    title = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)


class SelfAssessmentSerializer(serializers.Serializer):
    factor = serializers.CharField(read_only=True)
    not_applicable = serializers.BooleanField(read_only=True)
    self_rating = serializers.IntegerField(read_only=True, allow_null=True)
    text = serializers.CharField(read_only=True)
    evidence = serializers.CharField(read_only=True)


class AttachmentSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True)


class CitationSerializer(serializers.Serializer):
    apa = serializers.CharField(read_only=True)
    chicago = serializers.CharField(read_only=True)
    bibtex = serializers.URLField(read_only=True)
    ris = serializers.URLField(read_only=True)
    csl_json = serializers.URLField(read_only=True)


class CaseDetailSerializer(CaseSerializer):
    """A published case with its full public text: the sections its library page shows."""

    website = serializers.URLField(read_only=True)
    source_note = serializers.CharField(read_only=True)
    registration_number = serializers.CharField(read_only=True, allow_null=True)
    sections = serializers.SerializerMethodField()
    self_assessments = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    citation = serializers.SerializerMethodField()

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, case: Case) -> list[dict]:
        """The narrative sections that have text, in the order the case page shows them."""
        return [
            {
                "name": name,
                "title": str(Case._meta.get_field(name).verbose_name),
                "text": getattr(case, name),
            }
            for name in NARRATIVE_FIELDS
            if getattr(case, name).strip()
        ]

    @extend_schema_field(SelfAssessmentSerializer(many=True))
    def get_self_assessments(self, case: Case) -> list[dict]:
        slugs = {factor.pk: factor.slug for factor in self.context["factors"]}
        order = {factor.pk: index for index, factor in enumerate(self.context["factors"])}
        items = sorted(case.factor_assessments.all(), key=lambda item: order.get(item.factor_id))
        return [
            {
                "factor": slugs.get(item.factor_id),
                "not_applicable": item.not_applicable,
                "self_rating": item.self_rating,
                "text": item.text,
                "evidence": item.evidence,
            }
            for item in items
            if item.text.strip() or item.evidence.strip() or item.not_applicable
        ]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, case: Case) -> list[dict]:
        return [
            {
                "title": item.title,
                "size": item.size,
                "content_type": item.content_type,
                "url": self._absolute(
                    reverse("library:attachment", kwargs={"slug": case.slug, "pk": item.pk})
                ),
            }
            for item in case.public_attachments
        ]

    @extend_schema_field(CitationSerializer)
    def get_citation(self, case: Case) -> dict:
        from cases.interfaces.citations import apa, chicago, from_case

        citable = from_case(case, self.get_permalink(case))
        return {
            "apa": apa(citable),
            "chicago": chicago(citable),
            "bibtex": self._absolute(reverse("library:case_bibtex", kwargs={"slug": case.slug})),
            "ris": self._absolute(reverse("library:case_ris", kwargs={"slug": case.slug})),
            "csl_json": self._absolute(
                reverse("library:case_csl_json", kwargs={"slug": case.slug})
            ),
        }


# --- the other endpoints --------------------------------------------------------------------


class CasePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("How many published cases match the query."))
    next = serializers.URLField(
        allow_null=True, help_text=_("The next page (same query, a cursor), or null.")
    )
    query = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("The query as understood, parameter to values."),
    )
    results = CaseSerializer(many=True)


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


class FacetsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    query = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    facets = FacetSerializer(many=True)


class EditionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    year_label = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    theme = serializers.CharField()
    categories = CategoryRefSerializer(many=True)
    published_cases = serializers.IntegerField()


class VocabularyEntrySerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()


class FactorEntrySerializer(VocabularyEntrySerializer):
    short_label = serializers.CharField()


class VocabulariesSerializer(serializers.Serializer):
    collaboration_types = VocabularyEntrySerializer(many=True)
    coproduction_phases = VocabularyEntrySerializer(many=True)
    coproduction_levels = VocabularyEntrySerializer(many=True)
    factors = FactorEntrySerializer(many=True)
    policy_sectors = VocabularyEntrySerializer(many=True)
    innovation_stages = VocabularyEntrySerializer(many=True)
    outcomes = VocabularyEntrySerializer(many=True)
    government_levels = VocabularyEntrySerializer(many=True)
    partner_sectors = VocabularyEntrySerializer(many=True)


class EditionCountSerializer(serializers.Serializer):
    edition = serializers.CharField(allow_null=True)
    collaboration_type = serializers.CharField()
    cases = serializers.IntegerField()


class CountryCountSerializer(serializers.Serializer):
    country = serializers.CharField(allow_null=True)
    cases = serializers.IntegerField()


class PhaseCountSerializer(serializers.Serializer):
    phase = serializers.CharField()
    cases = serializers.IntegerField()


class FactorCoverageSerializer(serializers.Serializer):
    factor = serializers.CharField()
    cases_with_value = serializers.IntegerField()
    cases_strong = serializers.IntegerField(help_text=_("Cases with a value of 3 or more."))
    mean = serializers.FloatField(allow_null=True)


class StatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    collaboration_by_edition = EditionCountSerializer(many=True)
    by_country = CountryCountSerializer(many=True)
    by_phase = PhaseCountSerializer(many=True)
    factor_coverage = FactorCoverageSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Parameter name to the messages about it (400 only)."),
    )
    retry_after = serializers.IntegerField(
        required=False, help_text=_("Seconds to wait before the next request (429 only).")
    )
