"""The Atom feed of a library search: the cases most recently published that match it.

It takes the parameters of /library/ through the same ``LibraryFilterSet`` (forgiving like the
page: unusable values are dropped) and reads ``library_cases``, so it shows published cases only.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.domain.queries.library import library_cases
from cases.interfaces.filters import LibraryFilterSet

FEED_SIZE = 50


class SearchFeed(Feed):
    """Newly published cases matching a library query: the same parameters as /library/."""

    feed_type = Atom1Feed
    description = gettext_lazy("Cases newly published in the EPSA Portal case library.")

    def get_object(self, request):
        self.request = request
        filterset = LibraryFilterSet(request.GET)
        return filterset.criteria

    def title(self, criteria):
        if criteria.q:
            return _("EPSA case library: “%(q)s”") % {"q": criteria.q}
        if criteria.active_facets() or criteria.year_from or criteria.year_to:
            return _("EPSA case library: a filtered search")
        return _("EPSA case library: new cases")

    def subtitle(self, criteria):
        return self.description

    def link(self, criteria):
        query = self.request.GET.urlencode()
        return reverse("library:list") + (f"?{query}" if query else "")

    def items(self, criteria):
        return list(
            library_cases(criteria)
            .order_by("-published_at", "-id")
            .only(
                "id",
                "slug",
                "title",
                "summary",
                "published_at",
                "updated_at",
                "lead_organisation__name",
            )
            .select_related("lead_organisation")[:FEED_SIZE]
        )

    def item_title(self, case):
        return case.title

    def item_description(self, case):
        return case.summary

    def item_link(self, case):
        return case.get_absolute_url()

    item_guid_is_permalink = False

    def item_guid(self, case):
        # Stable when the case's slug changes with its title (a tag URI, RFC 4151).
        host = self.request.get_host().split(":")[0]
        return f"tag:{host},2024:case-{case.pk}"

    def item_pubdate(self, case):
        return case.published_at

    def item_updateddate(self, case):
        return max(case.updated_at, case.published_at)

    def item_author_name(self, case):
        return case.lead_organisation.name if case.lead_organisation else None
