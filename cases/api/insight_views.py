"""The API's insight endpoints: factor analytics for library filters, and a case's similar
cases. The figures and lists are the same as on /library/stats/ and the case pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from cases.domain.derived import similar_list_ready
from cases.domain.queries.analytics import cached_factor_analytics
from cases.domain.queries.library import published_cases
from cases.interfaces.similarity import similar_items

from .schema import FacetQuerySchema
from .views import BAD_REQUEST, NOT_MODIFIED, TOO_MANY, PublicView, _criteria


class FactorAnalyticsView(PublicView):
    schema = FacetQuerySchema()

    @extend_schema(
        operation_id="stats_factors",
        summary=gettext_lazy("Factor analytics for library filters"),
        description=gettext_lazy(
            "For the published cases the library parameters select: each factor's cases per "
            "rating 0-4, the mean profile per collaboration type and per outcome group, and "
            "how many cases are strong (3 or more) on each pair of factors. Every figure has "
            "its number of cases; figures resting on fewer than min_cases cases are "
            "suppressed (value null, suppressed true). Method: /library/methods/."
        ),
        responses={
            200: OpenApiResponse(description="The figures (see /library/methods/)."),
            304: NOT_MODIFIED,
            400: BAD_REQUEST,
            429: TOO_MANY,
        },
    )
    def get(self, request):
        criteria = _criteria(request)
        data = cached_factor_analytics(criteria).as_dict()
        params = criteria.as_params()
        params.pop("sort", None)
        data["query"] = params
        return Response(data)


class SimilarCasesView(PublicView):
    @extend_schema(
        operation_id="cases_similar",
        summary=gettext_lazy("The published cases most similar to one case"),
        description=gettext_lazy(
            "Up to five published cases, most similar first, each with its score (0 to 1) and "
            "a one-line reason. Method: /library/methods/#similar-cases."
        ),
        responses={
            200: OpenApiResponse(description="The similar cases."),
            304: NOT_MODIFIED,
            404: OpenApiResponse(description="No published case has this slug."),
            429: TOO_MANY,
        },
    )
    def get(self, request, slug):
        case = published_cases().filter(slug=slug).only("id", "slug").first()
        if case is None:
            raise Http404(_("No published case has this address."))
        similar_list_ready(case.pk)
        return Response(
            {
                "case": case.slug,
                "similar": [
                    {
                        "slug": item.case.slug,
                        "title": item.case.title,
                        "url": request.build_absolute_uri(item.case.get_absolute_url()),
                        "score": item.score,
                        "reason": item.reason,
                    }
                    for item in similar_items(case.pk)
                ],
            }
        )
