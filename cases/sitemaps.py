"""sitemap.xml: the library's pages and every published case."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cases.domain.queries.library import published_cases


class LibrarySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["library:list", "library:stats", "library:data", "api-docs"]

    def location(self, item):
        return reverse(item)


class CaseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 10000
    # Each case in every interface language (/fr/library/<slug>/ …), with hreflang alternates.
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return published_cases().order_by("published_at", "id").only("slug", "updated_at")

    def lastmod(self, case):
        return case.updated_at


SITEMAPS = {"library": LibrarySitemap, "cases": CaseSitemap}
