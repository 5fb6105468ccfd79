import pytest
from django.urls import reverse

from cases.models import Role
from tests.factories import CoordinatorFactory, EvaluatorFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize(
    ("factory", "roles", "landing"),
    [
        (UserFactory, [Role.APPLICANT], "applications:dashboard"),
        (EvaluatorFactory, None, "evaluation:assignments"),
        (CoordinatorFactory, None, "coordination:editions"),
        (UserFactory, [], "home"),
    ],
)
def test_log_in_lands_where_the_user_works(client, db, factory, roles, landing):
    user = factory(roles=roles) if roles is not None else factory()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse(landing)


def test_log_in_with_next_goes_there(client, db):
    user = EvaluatorFactory()
    response = client.post(
        reverse("login"),
        {"username": user.email, "password": PASSWORD, "next": reverse("library:list")},
    )
    assert response.url == reverse("library:list")


def test_real_cases_come_first_in_the_unsearched_library(client, db):
    import datetime

    from django.utils import timezone

    from cases.models import Provenance
    from tests.factories import PublishedCaseFactory

    now = timezone.now()
    synthetic = PublishedCaseFactory(
        title="Newest synthetic", provenance=Provenance.SYNTHETIC, published_at=now
    )
    facts = PublishedCaseFactory(
        title="Facts only",
        provenance=Provenance.IMPORTED,
        summary="",
        published_at=now - datetime.timedelta(days=2),
    )
    real = PublishedCaseFactory(title="Real", published_at=now - datetime.timedelta(days=5))
    response = client.get(reverse("library:list"))
    assert [case.pk for case in response.context["results"]] == [real.pk, facts.pk, synthetic.pk]
    assert response.context["sort"] == "real-first"
    html = response.content.decode()
    assert html.count("Synthetic demo case") == 1  # labelled in the list
    newest = client.get(reverse("library:list"), {"sort": "newest"})
    assert [case.pk for case in newest.context["results"]][0] == synthetic.pk


def test_provenance_is_a_facet_with_counts(client, db):
    from cases.models import Provenance
    from tests.factories import PublishedCaseFactory

    PublishedCaseFactory(provenance=Provenance.SYNTHETIC)
    PublishedCaseFactory(provenance=Provenance.SYNTHETIC)
    real = PublishedCaseFactory()
    response = client.get(reverse("library:list"), {"provenance": "submitted"})
    assert [case.pk for case in response.context["results"]] == [real.pk]
    facet = next(item for item in response.context["facets"] if item["name"] == "provenance")
    counts = {option["value"]: option["count"] for option in facet["options"]}
    assert counts["synthetic"] == 2 and counts["submitted"] == 1
    assert any(chip["facet"] == "Provenance" for chip in response.context["chips"])
    export = b"".join(
        client.get(reverse("library:export_csv"), {"provenance": "synthetic"}).streaming_content
    ).decode()
    assert real.title not in export


def test_breadcrumb_back_to_the_library_keeps_the_filters(client, db):
    from tests.factories import PublishedCaseFactory

    case = PublishedCaseFactory()
    came_from = "http://testserver/library/?country=BE&sort=title"
    response = client.get(case.get_absolute_url(), HTTP_REFERER=came_from)
    assert response.context["library_url"] == "/library/?country=BE&sort=title"
    elsewhere = client.get(case.get_absolute_url(), HTTP_REFERER="https://evil.example/library/?x")
    assert elsewhere.context["library_url"] == reverse("library:list")


def test_comparison_buttons_return_to_the_case_acted_on(client, db):
    from tests.factories import PublishedCaseFactory

    case = PublishedCaseFactory()
    library = reverse("library:list")
    html = client.get(library).content.decode()
    assert f'id="compare-{case.slug}"' in html
    assert f'value="{library}#compare-{case.slug}"' in html
    response = client.post(
        reverse("library:compare_add"),
        {"case": case.slug, "next": f"{library}#compare-{case.slug}"},
    )
    assert response["Location"] == f"{library}#compare-{case.slug}"


def test_filters_read_as_a_sentence(client, db):
    from cases.models import CollaborationType
    from tests.factories import PublishedCaseFactory

    kind = CollaborationType.objects.get(slug="public-private")
    for _ in range(2):
        PublishedCaseFactory(level="local").collaboration_types.add(kind)
    response = client.get(
        reverse("library:list"),
        {"collaboration": "public-private", "gov_level": "local", "factor": "partner-selection"},
    )
    sentence = response.context["filter_sentence"]
    assert sentence.startswith("0 cases of type Public–private")
    assert "at level Local" in sentence and "strong on" in sentence
    plain = client.get(reverse("library:list"), {"collaboration": "public-private"})
    assert plain.context["filter_sentence"] == "2 cases of type Public–private."


def test_facets_fold_to_their_top_values_and_keep_selected_ones(client, db):
    from tests.factories import PublishedCaseFactory

    for code, count in (("AT", 5), ("BE", 4), ("CZ", 3), ("DE", 2), ("EE", 2), ("FI", 1)):
        for _ in range(count):
            PublishedCaseFactory(country=code)
    PublishedCaseFactory(country="PT")
    response = client.get(reverse("library:list"), {"country": "PT"})
    facet = next(item for item in response.context["facets"] if item["name"] == "country")
    shown = [option["value"] for option in facet["shown"]]
    assert "PT" in shown  # selected, though it has the fewest results
    assert {"AT", "BE", "CZ"} <= set(shown)
    assert facet["folded"]
    assert "Show all" in response.content.decode()


def test_section_badges_differ_between_complete_and_incomplete(client, db):
    from cases.models import Role
    from tests.factories import CaseFactory, EvaluationEditionFactory, MembershipFactory

    user = UserFactory(roles=[Role.APPLICANT])
    membership = MembershipFactory(user=user)
    draft = CaseFactory(
        lead_organisation=membership.organisation,
        created_by=user,
        edition=EvaluationEditionFactory(),
        summary="A summary.",
    )
    client.force_login(user)
    html = client.get(reverse("applications:edit", args=[draft.pk, "summary"])).content.decode()
    assert 'class="badge badge-incomplete"' in html
    assert 'class="badge badge-optional"' in html  # the attachments section


def test_unfiltered_library_counts_each_provenance(client, db):
    from cases.domain.derived import rebuild_library_figures
    from cases.models import LibraryFigure, Provenance
    from tests.factories import PublishedCaseFactory

    PublishedCaseFactory(provenance=Provenance.SYNTHETIC)
    PublishedCaseFactory(provenance=Provenance.SYNTHETIC)
    PublishedCaseFactory()
    response = client.get(reverse("library:list"))
    facet = next(item for item in response.context["facets"] if item["name"] == "provenance")
    counts = {option["value"]: option["count"] for option in facet["options"]}
    assert counts["synthetic"] == 2 and counts["submitted"] == 1
    rebuild_library_figures()  # as the queue does after the commit: the table the page reads
    stored = dict(LibraryFigure.objects.filter(kind="facet:provenance").values_list("key", "n"))
    assert stored == {"synthetic": 2, "submitted": 1}
