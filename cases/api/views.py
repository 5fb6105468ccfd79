"""The public read API, version 1: published cases, facets, editions, vocabularies, statistics.

Read-only and anonymous. Each view reads the library through its own query functions (the
single gate ``published_cases()``, the ``LibraryFilterSet``, ``cached_facet_counts``), so the
API filters, counts and hides exactly as the library page does. Unlike the page, which drops
what it cannot use with a notice, the API answers 400 with the same messages, per parameter.
"""

import hashlib
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.domain.derived import edition_year
from cases.domain.queries.library import (
    FACETS,
    OUTCOME_SLUGS,
    cached_facet_counts,
    cached_library_statistics,
    editions_newest_first,
    facet_vocabulary,
    published_cases,
)
from cases.domain.queries.public_api import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    BadCursor,
    current_slug,
    cursor_page,
    library_last_modified,
    published_case_for_api,
)
from cases.interfaces.api_serializers import (
    CaseDetailSerializer,
    CasePageSerializer,
    CaseSerializer,
    EditionSerializer,
    ErrorSerializer,
    FacetsSerializer,
    StatsSerializer,
    VocabulariesSerializer,
)
from cases.interfaces.filters import FACET_LABELS, LibraryFilterSet
from cases.models import (
    Category,
    CollaborationType,
    CoproductionLevel,
    CoproductionPhase,
    EcosystemFactor,
    Edition,
    GovernmentLevel,
    InnovationStage,
    Outcome,
    PolicySector,
    Sector,
)

from .errors import BadParameters
from .schema import FacetQuerySchema, LibraryQuerySchema

PAGING_PARAMETERS = ("cursor", "page_size")
CACHE_SECONDS = 60

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="A parameter is not valid.")
TOO_MANY = OpenApiResponse(
    ErrorSerializer, description="Too many requests: wait the seconds Retry-After gives."
)
NOT_MODIFIED = OpenApiResponse(description="Not modified since the ETag or date given.")


class PublicView(APIView):
    """GET (and HEAD) only, with ETag and Last-Modified: a conditional GET is answered 304."""

    http_method_names = ["get", "head", "options"]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        last_modified = library_last_modified()
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified.timestamp())
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        return get_conditional_response(
            request, etag=etag, last_modified=int(last_modified.timestamp()), response=response
        )


def _criteria(request, *, allowed_extra=()):
    """The library criteria of the request, or 400 with every problem by parameter."""
    filterset = LibraryFilterSet(request.query_params)
    criteria = filterset.criteria
    problems = {name: list(messages) for name, messages in filterset.problems.items()}
    allowed = set(filterset.filters) | set(allowed_extra)
    for name in request.query_params:
        if name not in allowed:
            problems[name] = [
                _("“%(name)s” is not a parameter of this endpoint (see /api/schema/).")
                % {"name": name[:40]}
            ]
    if problems:
        raise BadParameters(problems)
    return criteria


def _page_size(request) -> int:
    raw = request.query_params.get("page_size", "")
    if raw == "":
        return DEFAULT_PAGE_SIZE
    if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE_SIZE:
        return int(raw)
    raise BadParameters(
        {
            "page_size": [
                _("“page_size” must be a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}
            ]
        }
    )


def _factors():
    return list(EcosystemFactor.objects.order_by("order").only("id", "slug", "order"))


class CaseListView(PublicView):
    schema = LibraryQuerySchema()

    @extend_schema(
        operation_id="cases_list",
        summary=gettext_lazy("Published cases"),
        description=gettext_lazy(
            "The published cases that match the library parameters, as /library/ takes them, "
            "in the order of `sort`, a cursor page at a time (stable while cases are published)."
        ),
        responses={200: CasePageSerializer, 304: NOT_MODIFIED, 400: BAD_REQUEST, 429: TOO_MANY},
    )
    def get(self, request):
        criteria = _criteria(request, allowed_extra=PAGING_PARAMETERS)
        size = _page_size(request)
        try:
            page = cursor_page(criteria, cursor=request.query_params.get("cursor"), size=size)
        except BadCursor:
            raise BadParameters(
                {
                    "cursor": [
                        _(
                            "This cursor was not made for this query; start again without "
                            "“cursor” and follow the “next” links."
                        )
                    ]
                }
            ) from None
        next_url = None
        if page.next_cursor:
            params = criteria.as_params()
            if "page_size" in request.query_params:
                params["page_size"] = [str(size)]
            params["cursor"] = [page.next_cursor]
            query = urlencode([(key, value) for key, values in params.items() for value in values])
            next_url = request.build_absolute_uri(f"{request.path}?{query}")
        context = {"request": request, "factors": _factors()}
        body = {
            "count": cached_facet_counts(criteria).total,
            "next": next_url,
            "query": criteria.as_params(),
            "results": CaseSerializer(page.cases, many=True, context=context).data,
        }
        response = Response(body)
        if next_url:
            response["Link"] = f'<{next_url}>; rel="next"'
        return response


class CaseDetailView(PublicView):
    @extend_schema(
        operation_id="cases_retrieve",
        summary=gettext_lazy("One published case"),
        description=gettext_lazy(
            "A published case with its full public text. A former slug (the title changed) "
            "answers 301 to the current address."
        ),
        responses={
            200: CaseDetailSerializer,
            301: OpenApiResponse(description="The case's current address (Location)."),
            304: NOT_MODIFIED,
            404: OpenApiResponse(ErrorSerializer, description="No published case has this slug."),
            429: TOO_MANY,
        },
    )
    def get(self, request, slug):
        case = published_case_for_api(slug)
        if case is None:
            current = current_slug(slug)
            if current is None:
                raise Http404(_("No published case has this address."))
            response = Response(status=301)
            response["Location"] = reverse("api:case-detail", kwargs={"slug": current})
            return response
        context = {"request": request, "factors": _factors()}
        return Response(CaseDetailSerializer(case, context=context).data)


class FacetsView(PublicView):
    schema = FacetQuerySchema()

    @extend_schema(
        operation_id="facets",
        summary=gettext_lazy("Facet counts"),
        description=gettext_lazy(
            "For the query, the number of results and, for each value of each facet, how many "
            "results it would give with the other filters kept (as the library's facet panel "
            "counts). Values with no result are left out unless selected."
        ),
        responses={200: FacetsSerializer, 304: NOT_MODIFIED, 400: BAD_REQUEST, 429: TOO_MANY},
    )
    def get(self, request):
        criteria = _criteria(request)
        vocabulary = facet_vocabulary()
        counts = cached_facet_counts(criteria)
        facets = []
        for name in FACETS:
            selected = set(getattr(criteria, name))
            options = []
            for option in vocabulary[name]:
                count = sum(counts.count(name, key) for key in option.keys)
                if count or option.value in selected:
                    options.append(
                        {
                            "value": option.value,
                            "label": option.label,
                            "count": count,
                            "selected": option.value in selected,
                        }
                    )
            facets.append({"name": name, "label": str(FACET_LABELS[name]), "options": options})
        return Response({"total": counts.total, "query": criteria.as_params(), "facets": facets})


def _no_parameters(request):
    if request.query_params:
        raise BadParameters(
            {name[:40]: [_("This endpoint takes no parameters.")] for name in request.query_params}
        )


class EditionListView(PublicView):
    @extend_schema(
        operation_id="editions_list",
        summary=gettext_lazy("Award editions"),
        description=gettext_lazy(
            "Every edition, newest first, with its categories and its number of published cases."
        ),
        responses={200: EditionSerializer(many=True), 304: NOT_MODIFIED, 429: TOO_MANY},
    )
    def get(self, request):
        from django.db.models import Count, Q

        _no_parameters(request)
        editions = editions_newest_first(
            Edition.objects.annotate(
                published=Count("cases", filter=Q(cases__in=published_cases()))
            ).only("pk", "slug", "name", "year_label", "theme")
        )
        categories: dict[int, list[dict]] = {}
        for edition_id, slug, name in Category.objects.order_by("order", "name").values_list(
            "edition_id", "slug", "name"
        ):
            categories.setdefault(edition_id, []).append({"slug": slug, "name": name})
        return Response(
            [
                {
                    "slug": edition.slug,
                    "name": edition.name,
                    "year_label": edition.year_label,
                    "year": edition_year(edition.year_label),
                    "theme": edition.theme,
                    "categories": categories.get(edition.pk, []),
                    "published_cases": edition.published,
                }
                for edition in editions
            ]
        )


def _entries(model) -> list[dict]:
    return [
        {"slug": slug, "label": label, "description": description}
        for slug, label, description in model.objects.order_by("order", "slug").values_list(
            "slug", "label", "description"
        )
    ]


OUTCOME_DESCRIPTIONS = {
    "winner": gettext_lazy("Placed 1st, 2nd or 3rd in its category by the jury."),
    "nominee": gettext_lazy("Shortlisted for the jury in its category."),
    "certificate": gettext_lazy("Good or best practice certificate."),
    "special-recognition": gettext_lazy("Special recognition of the jury."),
    "submitted": gettext_lazy("Eligible entry with no distinction."),
}


class VocabulariesView(PublicView):
    @extend_schema(
        operation_id="vocabularies",
        summary=gettext_lazy("Vocabularies"),
        description=gettext_lazy(
            "Every controlled list a case is tagged with, with stable slugs (the values the "
            "filters take) and descriptions."
        ),
        responses={200: VocabulariesSerializer, 304: NOT_MODIFIED, 429: TOO_MANY},
    )
    def get(self, request):
        _no_parameters(request)
        factors = [
            {
                "slug": slug,
                "label": label,
                "short_label": short_label or label,
                "description": description,
            }
            for slug, label, short_label, description in EcosystemFactor.objects.order_by(
                "order"
            ).values_list("slug", "label", "short_label", "description")
        ]
        return Response(
            {
                "collaboration_types": _entries(CollaborationType),
                "coproduction_phases": _entries(CoproductionPhase),
                "coproduction_levels": _entries(CoproductionLevel),
                "factors": factors,
                "policy_sectors": _entries(PolicySector),
                "innovation_stages": _entries(InnovationStage),
                "outcomes": [
                    {
                        "slug": slug,
                        "label": str(Outcome(value).label),
                        "description": str(OUTCOME_DESCRIPTIONS[slug]),
                    }
                    for slug, value in OUTCOME_SLUGS.items()
                ],
                "government_levels": [
                    {"slug": value, "label": str(label), "description": ""}
                    for value, label in GovernmentLevel.choices
                ],
                "partner_sectors": [
                    {"slug": value, "label": str(label), "description": ""}
                    for value, label in Sector.choices
                ],
            }
        )


class StatsView(PublicView):
    @extend_schema(
        operation_id="stats",
        summary=gettext_lazy("The library in figures"),
        description=gettext_lazy("The figures behind /library/stats/."),
        responses={200: StatsSerializer, 304: NOT_MODIFIED, 429: TOO_MANY},
    )
    def get(self, request):
        _no_parameters(request)
        figures = cached_library_statistics()
        editions = dict(Edition.objects.values_list("pk", "slug"))
        types = dict(CollaborationType.objects.values_list("pk", "slug"))
        phases = list(CoproductionPhase.objects.order_by("order").values_list("pk", "slug"))
        factors = list(EcosystemFactor.objects.order_by("order").values_list("pk", "slug"))
        by_edition = sorted(
            (
                {
                    "edition": editions.get(edition_id),
                    "collaboration_type": types[type_id],
                    "cases": count,
                }
                for (edition_id, type_id), count in figures.collaboration_by_edition.items()
                if type_id in types
            ),
            key=lambda row: (row["edition"] or "", row["collaboration_type"]),
        )
        coverage = []
        for pk, slug in factors:
            with_value, strong, mean = figures.factor_coverage.get(pk, (0, 0, None))
            coverage.append(
                {
                    "factor": slug,
                    "cases_with_value": with_value,
                    "cases_strong": strong,
                    "mean": round(mean, 2) if mean is not None else None,
                }
            )
        return Response(
            {
                "total": figures.total,
                "collaboration_by_edition": by_edition,
                "by_country": [
                    {"country": code or None, "cases": count} for code, count in figures.by_country
                ],
                "by_phase": [
                    {"phase": slug, "cases": figures.by_phase.get(pk, 0)} for pk, slug in phases
                ],
                "factor_coverage": coverage,
            }
        )


class NotFoundView(APIView):
    """Any other address under /api/v1/: a JSON 404, not the site's HTML page."""

    http_method_names = ["get", "head", "options"]
    schema = None

    def get(self, request, rest=""):
        raise Http404(_("The API has no such address; see /api/docs/."))
