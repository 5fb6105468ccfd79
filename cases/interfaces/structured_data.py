"""schema.org JSON-LD for case pages, so that search engines and reference managers read a
case's facts (organisation, country, dates, licence) without scraping the page."""

import json

from django.utils.safestring import mark_safe

from cases.interfaces.maps import country_name
from cases.models import Case, Licence

LICENCE_URLS = {
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
}
# What json.dumps leaves that would end or confuse an HTML <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _organisation(name: str, country: str = "") -> dict:
    item = {"@type": "GovernmentOrganization", "name": name}
    if country:
        item["address"] = {"@type": "PostalAddress", "addressCountry": country}
    return item


def case_json_ld(
    case: Case, *, permalink: str, api_url: str, site_name: str, keywords: list[str]
) -> dict:
    """A ``CreativeWork`` (the case study) about a ``GovernmentService`` (the project);
    ``keywords`` are the English labels of its collaboration types and policy sectors."""
    country = case.country.code if case.country else ""
    area = {"@type": "Country", "name": country_name(country)}
    project = {"@type": "GovernmentService", "name": case.title}
    if case.lead_organisation:
        project["provider"] = _organisation(case.lead_organisation.name, country)
    if country:
        project["areaServed"] = area
    if case.level:
        project["serviceType"] = str(case.get_level_display())
    work = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": permalink,
        "url": permalink,
        "identifier": case.slug,
        "name": case.title,
        "genre": "case study",
        "about": project,
        "publisher": {"@type": "Organization", "name": site_name},
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": api_url,
            "encodingFormat": "application/json",
        },
    }
    if case.summary:
        work["abstract"] = case.summary
    if case.lead_organisation:
        work["author"] = _organisation(case.lead_organisation.name, country)
    if case.published_at:
        work["datePublished"] = case.published_at.date().isoformat()
    if case.updated_at:
        work["dateModified"] = case.updated_at.date().isoformat()
    if case.start_date:
        end = case.end_date.isoformat() if case.end_date else ".."
        work["temporalCoverage"] = f"{case.start_date.isoformat()}/{end}"
    if country:
        work["spatialCoverage"] = dict(area)
    if case.licence in LICENCE_URLS:
        work["license"] = LICENCE_URLS[case.licence]
    else:
        work["copyrightNotice"] = str(case.get_licence_display())
    if case.edition:
        work["isPartOf"] = {"@type": "CreativeWorkSeries", "name": case.edition.name}
    if keywords:
        work["keywords"] = list(keywords)
    return work


def json_ld_script(data: dict) -> str:
    """``data`` as a <script type="application/ld+json"> element, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
