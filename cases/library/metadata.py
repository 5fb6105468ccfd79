"""What a case page offers machines and citing readers: citations, JSON-LD, its JSON twin."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.domain.queries.public_api import current_slug
from cases.interfaces.citations import apa, chicago, from_case
from cases.interfaces.reversing import slug_url
from cases.interfaces.structured_data import case_json_ld, json_ld_script


def case_page_metadata(request, case, permalink: str, *, keywords: list[str]) -> dict:
    api_url = request.build_absolute_uri(slug_url("api:case-detail", case.slug))
    citable = from_case(case, permalink)
    return {
        "citation_apa": apa(citable),
        "citation_chicago": chicago(citable),
        "api_url": api_url,
        "json_ld": json_ld_script(
            case_json_ld(
                case,
                permalink=permalink,
                api_url=api_url,
                site_name=_("EPSA Portal"),
                keywords=keywords,
            )
        ),
    }


def former_address_redirect(slug: str, url_name: str):
    """301 to the current address of a case whose title (and so slug) changed, else 404."""
    current = current_slug(slug)
    if current is None:
        raise Http404(_("No published case has this address."))
    return HttpResponsePermanentRedirect(reverse(url_name, kwargs={"slug": current}))
