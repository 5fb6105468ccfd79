"""OpenAPI description of the library's query parameters, made from the ``LibraryFilterSet``
itself when the schema is generated, so the schema lists exactly the filters and values the
library page and the API accept."""

import django_filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from cases.domain.queries.public_api import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from cases.interfaces.filters import FACET_LABELS, MAX_VALUES_PER_FACET, LibraryFilterSet

QUERY_DESCRIPTION = (
    "Free-text search in web-search syntax, as on /library/: words must all occur; "
    '"a quoted phrase", `or` between alternatives, `-word` to exclude.'
)


# Where a client finds the values of each facet (the schema lists them too).
VALUE_SOURCES = {
    "country": "Values: ISO 3166-1 alpha-2 codes, EU for EU institutions.",
    "edition": "Values: the slugs of /api/v1/editions/.",
    "category": "Values: the category slugs of /api/v1/editions/.",
    "factor": "Values: factor slugs (/api/v1/vocabularies/); a case is strong on a factor "
    "with a profile value of 3 or more.",
    "default": "Values: the slugs of /api/v1/vocabularies/.",
}


def library_parameters(*, sort: bool = True, paging: bool = False) -> list[OpenApiParameter]:
    filterset = LibraryFilterSet()
    parameters = []
    for name, item in filterset.filters.items():
        if name == "sort" and not sort:
            continue
        if isinstance(item, django_filters.MultipleChoiceFilter):
            values = [value for value, _label in filterset.facet_choices(name)]
            parameters.append(
                OpenApiParameter(
                    name,
                    str,
                    many=True,
                    enum=values,
                    explode=True,
                    description=(
                        f"{FACET_LABELS[name]}: cases with any of the values (repeat the "
                        f"parameter for several, at most {MAX_VALUES_PER_FACET}). "
                        f"{VALUE_SOURCES.get(name, VALUE_SOURCES['default'])}"
                    ),
                )
            )
        elif isinstance(item, django_filters.NumberFilter):
            parameters.append(
                OpenApiParameter(
                    name,
                    {
                        "type": "integer",
                        "minimum": item.extra["min_value"],
                        "maximum": item.extra["max_value"],
                    },
                    description=f"{item.label}: the library year of the case (inclusive).",
                )
            )
        elif isinstance(item, django_filters.ChoiceFilter):
            parameters.append(
                OpenApiParameter(
                    name,
                    str,
                    enum=[value for value, _label in item.extra["choices"]],
                    description=(
                        "Order of the results, one of "
                        + ", ".join(value for value, _label in item.extra["choices"])
                        + "; default: relevance with a search, else newest."
                    ),
                )
            )
        else:
            parameters.append(OpenApiParameter(name, str, description=QUERY_DESCRIPTION))
    if paging:
        parameters += [
            OpenApiParameter(
                "cursor",
                str,
                description="Where the page starts: copy it from the `next` link of a page.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                description=f"Cases per page (default {DEFAULT_PAGE_SIZE}).",
            ),
        ]
    return parameters


class LibraryQuerySchema(AutoSchema):
    """The case list: every library parameter, the sort and the cursor."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), *library_parameters(paging=True)]


class FacetQuerySchema(AutoSchema):
    """Facet counts: every library parameter except the sort, which changes no count."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), *library_parameters(sort=False)]
