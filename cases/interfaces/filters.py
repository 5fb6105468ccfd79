"""The library's GET parameters (the public URL contract), validated and forgiving.

A shared library URL must keep working when a vocabulary value is renamed or a visitor edits
it by hand: unknown values are dropped with a notice the page shows, never an error page.
"""

import copy

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.domain.queries.library import (
    FACETS,
    MAX_QUERY_LENGTH,
    MAX_SEARCH_TERMS,
    LibraryCriteria,
    facet_vocabulary,
    has_searchable_words,
    library_cases,
    limit_search_terms,
    published_cases,
)
from cases.models import Case

FACET_LABELS = {
    "collaboration": _("Collaboration type"),
    "phase": _("Co-production phase"),
    "coproduction_level": _("Co-production level"),
    "factor": _("Strong on factor"),
    "country": _("Country"),
    "gov_level": _("Level of government"),
    "sector": _("Policy sector"),
    "edition": _("Edition"),
    "category": _("Category"),
    "outcome": _("Outcome"),
    "stage": _("Innovation stage"),
    "language": _("Language"),
    "provenance": _("Provenance"),
}

SORT_CHOICES = (
    ("relevance", _("Relevance")),
    ("real-first", _("Real cases first")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("title", _("Title A-Z")),
)

MIN_YEAR, MAX_YEAR = 1900, 2100
# More values than any vocabulary holds: a longer list is not a real filter.
MAX_VALUES_PER_FACET = 60


def _noop(queryset, name, value):
    return queryset


def _choices(options):
    """The choices of a facet as a function (which copying a form shares, not copies)."""

    def choices() -> list[tuple[str, str]]:
        return [(option.value, option.label) for option in options]

    return choices


# The filters and form class last built in each language, with the vocabulary their choices
# read: the vocabulary is one object per library generation and language (``facet_vocabulary``),
# so a new one means new ones.
_BUILT: dict[str, tuple] = {}


class _SharedFields:
    """A form that reads its class's fields instead of copying them. Django copies every field
    for each form so that one form may change its own; the library's filter form never changes
    one (it only validates), and copying its 17 took a twentieth of a search page's time."""

    def __init__(self, *args, **kwargs):
        self.base_fields = {}  # the copy made of this one is empty
        super().__init__(*args, **kwargs)
        del self.base_fields
        self.fields = self.base_fields


class LibraryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method=_noop, widget=forms.TextInput(attrs={"type": "search"})
    )
    collaboration = django_filters.MultipleChoiceFilter(method=_noop)
    phase = django_filters.MultipleChoiceFilter(method=_noop)
    coproduction_level = django_filters.MultipleChoiceFilter(method=_noop)
    factor = django_filters.MultipleChoiceFilter(method=_noop)
    country = django_filters.MultipleChoiceFilter(method=_noop)
    gov_level = django_filters.MultipleChoiceFilter(method=_noop)
    sector = django_filters.MultipleChoiceFilter(method=_noop)
    edition = django_filters.MultipleChoiceFilter(method=_noop)
    category = django_filters.MultipleChoiceFilter(method=_noop)
    outcome = django_filters.MultipleChoiceFilter(method=_noop)
    stage = django_filters.MultipleChoiceFilter(method=_noop)
    language = django_filters.MultipleChoiceFilter(method=_noop)
    provenance = django_filters.MultipleChoiceFilter(method=_noop)
    year_from = django_filters.NumberFilter(
        label=_("From year"), method=_noop, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    year_to = django_filters.NumberFilter(
        label=_("To year"), method=_noop, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method=_noop, empty_label=None
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, vocabulary=None, request=None, prefix=None):
        self.vocabulary = vocabulary if vocabulary is not None else facet_vocabulary()
        self.notices: list[str] = []
        # The same notices, under the parameter each is about (the API answers them with 400).
        self.problems: dict[str, list[str]] = {}
        if data is not None:
            data = self._sanitised(data)
        # What django-filter's __init__ sets, without its deep copy of every filter for each
        # request: the filters are built once per vocabulary (``_build``) and only read.
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset if queryset is not None else published_cases()
        self.request = request
        self.form_prefix = prefix
        self.filters, self._form_class = self._build()

    def _build(self) -> tuple[dict, type]:
        """The filters and the form class for this vocabulary and language, built once
        (django-filter copies every filter and creates every field and its choices again per
        request: together about a tenth of a search's time)."""
        language = get_language() or ""
        vocabulary, filters, form_class = _BUILT.get(language, (None, None, None))
        if vocabulary is not self.vocabulary:
            filters = copy.deepcopy(self.base_filters)
            for name, filter_ in filters.items():
                filter_.model = Case
                if name in FACETS:
                    filter_.label = FACET_LABELS[name]
                    # A callable: the form copies its fields for every request, and copying a
                    # list of 250 countries (and the other vocabularies) cost more than the
                    # rest of the form.
                    filter_.extra["choices"] = _choices(self.vocabulary[name])
            self.filters = filters
            built = super().get_form_class()
            form_class = type(built.__name__, (_SharedFields, built), {})
            _BUILT[language] = (self.vocabulary, filters, form_class)
        return filters, form_class

    def get_form_class(self):
        return self._form_class

    def facet_choices(self, name: str) -> list[tuple[str, str]]:
        """The values (and labels) facet ``name`` accepts."""
        return [(option.value, option.label) for option in self.vocabulary[name]]

    def _notice(self, parameter: str, problem, consequence) -> None:
        """Record what is wrong with ``parameter`` and what the page did about it.

        The page shows both; the API, which does nothing with a bad parameter, answers 400
        with the problem alone."""
        self.notices.append(format_lazy("{} {}", problem, consequence))
        self.problems.setdefault(parameter, []).append(str(problem))

    def _sanitised(self, data):
        """A copy of ``data`` without unknown facet values, and with a usable query text."""
        data = data.copy()
        for name in FACETS:
            raw = [value.strip() for value in data.getlist(name) if value.strip()]
            if name == "country":
                raw = [value.upper() for value in raw]
            known_values = {option.value for option in self.vocabulary[name]}
            known, unknown = [], []
            for value in raw[:MAX_VALUES_PER_FACET]:
                target = known if value in known_values else unknown
                if value not in target:
                    target.append(value)
            if len(raw) > MAX_VALUES_PER_FACET:
                self._notice(
                    name,
                    _("“%(facet)s” takes at most %(count)s values.")
                    % {"count": MAX_VALUES_PER_FACET, "facet": FACET_LABELS[name]},
                    _("Only the first %(count)s were used.") % {"count": MAX_VALUES_PER_FACET},
                )
            if unknown:
                self._notice(
                    name,
                    _("“%(facet)s” has no value %(values)s.")
                    % {
                        "facet": FACET_LABELS[name],
                        "values": ", ".join(f"“{value[:40]}”" for value in unknown[:5]),
                    },
                    _("That part of the filter was ignored."),
                )
            data.setlist(name, known)
        q = " ".join(data.get("q", "").split())
        if len(q) > MAX_QUERY_LENGTH:
            q = q[:MAX_QUERY_LENGTH]
            self._notice(
                "q",
                _("Your search is longer than %(max)s characters.") % {"max": MAX_QUERY_LENGTH},
                _("Only the start was used."),
            )
        q, cut = limit_search_terms(q)
        if cut:
            self.notices.append(
                _("Your search had more than %(max)s words; only the first %(max)s were used.")
                % {"max": MAX_SEARCH_TERMS}
            )
        if q and not has_searchable_words(q):
            self._notice(
                "q",
                _("Your search “%(q)s” contains no letters or digits.") % {"q": q},
                _("All cases are shown."),
            )
            q = ""
        data["q"] = q
        return data

    @property
    def criteria(self) -> LibraryCriteria:
        if not hasattr(self, "_criteria"):
            self._criteria = self._build_criteria()
        return self._criteria

    def _build_criteria(self) -> LibraryCriteria:
        if not self.is_bound:
            return LibraryCriteria()
        form = self.form
        form.is_valid()
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else name
            self._notice(
                name,
                _("“%(field)s” is not valid: %(error)s") % {"field": label, "error": errors[0]},
                _("It was ignored."),
            )
        cleaned = form.cleaned_data
        values = {name: tuple(cleaned.get(name) or ()) for name in FACETS}
        year_from = cleaned.get("year_from")
        year_to = cleaned.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            self._notice(
                "year_from",
                _("“From year” is after “To year”."),
                _("The two were swapped."),
            )
            year_from, year_to = year_to, year_from
        return LibraryCriteria(
            q=cleaned.get("q") or "",
            year_from=int(year_from) if year_from is not None else None,
            year_to=int(year_to) if year_to is not None else None,
            sort=cleaned.get("sort") or "",
            **values,
        )

    def filter_queryset(self, queryset):
        return library_cases(self.criteria, queryset=queryset)
