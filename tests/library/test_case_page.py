from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.domain.derived import refresh_derived_data
from cases.domain.profiles import refresh_factor_profiles
from cases.models import (
    Attachment,
    CollaborationType,
    CoproductionPhase,
    EcosystemFactor,
    Provenance,
    Sector,
)
from tests.factories import FactorAssessmentFactory, PartnerFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db


def full_case(**kwargs):
    case = PublishedCaseFactory(
        problem="Rural buses ran empty.",
        solution="On-demand minibuses booked by phone.",
        website="https://example.eu/bus",
        **kwargs,
    )
    case.collaboration_types.add(CollaborationType.objects.get(slug="public-third-sector"))
    case.coproduction_phases.add(CoproductionPhase.objects.get(slug="co-delivery"))
    PartnerFactory(case=case, name="Volunteer Drivers Club", sector=Sector.THIRD_SECTOR)
    factor = EcosystemFactor.objects.get(slug="partnership-skills")
    FactorAssessmentFactory(case=case, factor=factor, self_rating=3)
    return case


def test_case_page_shows_every_section(client):
    case = full_case()
    response = client.get(case.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        case.title,
        case.summary,
        "Rural buses ran empty.",
        "On-demand minibuses booked by phone.",
        "Volunteer Drivers Club",
        "Third sector",
        case.edition.name,
        case.category.name,
        "No distinction",
        "https://example.eu/bus",
        "Applicant&#x27;s self-assessment",
        "How to cite this case",
        "http://testserver" + case.get_absolute_url(),
        "<svg",
        "Add to comparison",
    ):
        assert text in html, text
    assert "?collaboration=public-third-sector" in html
    assert "?phase=co-delivery" in html
    assert f"?category={case.category.slug}" in html


def test_profile_table_names_consensus_as_source(client):
    case = full_case()
    factor = EcosystemFactor.objects.get(slug="risk-acknowledgement")
    refresh_factor_profiles([case.pk], consensus={case.pk: {factor.pk: Decimal("2.5")}})
    rows = client.get(case.get_absolute_url()).context["profile_rows"]
    by_slug = {row["factor"].slug: row["value"] for row in rows}
    assert by_slug["risk-acknowledgement"].value == Decimal("2.50")
    assert by_slug["risk-acknowledgement"].get_source_display() == "Evaluators' consensus"
    assert by_slug["partnership-skills"].get_source_display() == "Applicant's self-assessment"
    assert by_slug["policy-environment"] is None


def test_synthetic_case_says_so(client):
    case = PublishedCaseFactory(provenance=Provenance.SYNTHETIC)
    assert "Synthetic demo case" in client.get(case.get_absolute_url()).content.decode()


def test_fact_only_case_says_the_description_is_missing(client):
    case = PublishedCaseFactory(
        provenance=Provenance.IMPORTED, summary="", edition=None, category=None
    )
    html = client.get(case.get_absolute_url()).content.decode()
    assert "its full description is not available" in html
    assert html.count('class="notice') == 1  # one short notice
    assert "Not from an award edition" in html
    for absent in (">None<", "None (imported", "No value", "Licence of the text", "–</td>"):
        assert absent not in html
    for empty_section in ("typology-heading", "partners-heading", "profile-heading"):
        assert empty_section not in html


def test_fact_only_case_names_its_source_and_edition_label(client):
    from tests.factories import EditionFactory

    edition = EditionFactory(name="EPSA 2023-24", year_label="2023-24")
    case = PublishedCaseFactory(
        provenance=Provenance.IMPORTED,
        summary="",
        edition=edition,
        source_note="Facts only: from the published results of EPSA 2023-24.",
    )
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Facts only: from the published results of EPSA 2023-24." in html
    assert "<span>EPSA 2023-24</span>" in html
    assert "<span>2023</span>" not in html


def test_case_text_is_escaped(client):
    case = PublishedCaseFactory(title="<script>alert(1)</script>")
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("count", [1, 3])
def test_case_page_query_count_is_fixed(client, django_assert_num_queries, count):
    case = full_case()
    factors = EcosystemFactor.objects.exclude(slug="partnership-skills").order_by("order")
    for index in range(count - 1):
        PartnerFactory(case=case, name=f"Extra partner {index}")
        case.collaboration_types.add(CollaborationType.objects.order_by("order")[index + 2])
        FactorAssessmentFactory(case=case, factor=factors[index], text=f"Assessment {index}")
    refresh_derived_data([case.pk])  # as after the commit that published it
    _attachment(case, public=True)
    # One statement: the case and every list its page shows, its similar cases included.
    with django_assert_num_queries(1):
        response = client.get(case.get_absolute_url())
    assert len(response.context["partners"]) == count
    assert len(response.context["assessment_rows"]) == count
    assert len(response.context["types"]) == count
    assert len(response.context["files"]) == 1


def test_case_page_shows_self_assessments_and_evidence(client):
    case = full_case()
    skills = EcosystemFactor.objects.get(slug="partnership-skills")
    case.factor_assessments.filter(factor=skills).update(
        text="Every team lead took the partnership course.",
        evidence="Training records 2021-2023.",
    )
    risk = EcosystemFactor.objects.get(slug="risk-acknowledgement")
    FactorAssessmentFactory(
        case=case, factor=risk, text="", evidence="", not_applicable=True, self_rating=None
    )
    # Nothing to show: a rating alone is in the profile table already.
    platform = EcosystemFactor.objects.get(slug="partnership-platform")
    FactorAssessmentFactory(case=case, factor=platform, text="", evidence="", self_rating=1)
    response = client.get(case.get_absolute_url())
    html = response.content.decode()
    assert "Self-assessment by the applicant" in html
    assert "Every team lead took the partnership course." in html
    assert "Training records 2021-2023." in html
    assert "marked this factor as not applicable" in html
    shown = [row["factor"].slug for row in response.context["assessment_rows"]]
    assert shown == ["partnership-skills", "risk-acknowledgement"]  # in factor order
    assert f'id="assessment-{platform.slug}"' not in html


def test_self_assessment_text_is_escaped(client):
    case = full_case()
    case.factor_assessments.update(evidence="<img src=x onerror=alert(1)>")
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_unpublished_case_pages_are_not_found(client, hidden_cases):
    for case in hidden_cases:
        response = client.get(reverse("library:case", kwargs={"slug": case.slug}))
        assert response.status_code == 404


def _attachment(case, *, public):
    return Attachment.objects.create(
        case=case,
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 evidence", content_type="application/pdf"),
        title="Evaluation report",
        size=17,
        content_type="application/pdf",
        is_public=public,
    )


def test_public_attachment_is_listed_and_served(client):
    case = PublishedCaseFactory()
    public = _attachment(case, public=True)
    private = _attachment(case, public=False)
    html = client.get(case.get_absolute_url()).content.decode()
    public_url = reverse("library:attachment", kwargs={"slug": case.slug, "pk": public.pk})
    private_url = reverse("library:attachment", kwargs={"slug": case.slug, "pk": private.pk})
    assert public_url in html
    assert private_url not in html
    response = client.get(public_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert "attachment" in response["Content-Disposition"]
    assert client.get(private_url).status_code == 404


def test_attachments_of_unpublished_cases_are_not_served(client, hidden_cases):
    for case in hidden_cases:
        item = _attachment(case, public=True)
        url = reverse("library:attachment", kwargs={"slug": case.slug, "pk": item.pk})
        assert client.get(url).status_code == 404


def test_attachment_must_belong_to_the_case_in_the_url(client):
    item = _attachment(PublishedCaseFactory(), public=True)
    other = PublishedCaseFactory()
    url = reverse("library:attachment", kwargs={"slug": other.slug, "pk": item.pk})
    assert client.get(url).status_code == 404


def test_library_pages_need_no_login_and_serve_every_role(client):
    from tests.factories import UserFactory

    first, second = PublishedCaseFactory(), PublishedCaseFactory()
    pages = (
        reverse("library:list"),
        first.get_absolute_url(),
        reverse("library:compare") + f"?cases={first.slug},{second.slug}",
        reverse("library:export_csv"),
        reverse("library:export_json"),
        reverse("library:stats"),
    )
    for roles in (None, [], ["applicant"], ["evaluator"], ["coordinator"]):
        if roles is not None:
            client.force_login(UserFactory(roles=roles))
        for url in pages:
            assert client.get(url).status_code == 200, (roles, url)
        response = client.post(reverse("library:compare_add"), {"case": first.slug})
        assert response.status_code == 302
        client.post(reverse("library:compare_clear"))
        client.logout()
