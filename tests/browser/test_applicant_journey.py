"""Item 10 of the applicant-area issue: the whole journey in a real browser.

Register, follow the verification link from the e-mail, create an organisation, fill every
section (with an attachment), submit, see "Submitted" and the confirmation e-mail.
"""

import re

from django.core import mail

from cases.models import Case, CaseStatus, EcosystemFactor
from tests.factories import CategoryFactory, EditionFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state("domcontentloaded")


def test_applicant_journey(live_server, page, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    edition = EditionFactory(slug="epsa-browser", name="EPSA Browser Edition")
    CategoryFactory(edition=edition, name="Digital transformation")
    mail.outbox = []
    page.set_default_timeout(15000)

    # Register.
    page.goto(f"{live_server.url}/accounts/register/")
    page.fill("#id_full_name", "Petra Public")
    page.fill("#id_email", "petra@city.example")
    page.select_option("#id_country", "AT")
    page.fill("#id_password1", "lantern-ferry-quietly-92")
    page.fill("#id_password2", "lantern-ferry-quietly-92")
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url("**/accounts/profile/")
    assert "not confirmed" in page.content()

    # Follow the verification link from the e-mail.
    (message,) = [m for m in mail.outbox if "petra@city.example" in m.to]
    link = re.search(r"https?://\S+/accounts/verify/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.wait_for_url("**/accounts/profile/")
    assert "is confirmed" in page.content()

    # Create the organisation.
    page.get_by_role("link", name="Create an organisation").first.click()
    page.fill("#id_name", "City of Graz")
    page.select_option("#id_country", "AT")
    page.select_option("#id_level", "local")
    page.select_option("#id_sector", "public")
    page.get_by_role("button", name="Create the organisation").click()
    page.wait_for_url("**/apply/")

    # Start an application from the open call.
    page.get_by_role("link", name="Start an application for EPSA Browser Edition").click()
    page.get_by_role("button", name="Start the application").click()
    page.wait_for_url("**/edit/applicant/")

    # (a) Applicant and contacts: prefilled from the account.
    assert page.input_value("#id_contact_email") == "petra@city.example"
    page.fill("#id_contact_phone", "+43 316 000")
    save_and_continue(page)

    # (b) Project information.
    page.wait_for_url("**/edit/project/")
    page.fill("#id_title", "Graz neighbourhood energy circles")
    page.select_option("#id_category", label="Digital transformation")
    page.select_option("#id_country", "AT")
    page.select_option("#id_level", "local")
    page.get_by_label("Environment and climate").check()
    page.fill("#id_start_date", "2022-03-01")
    page.get_by_label("The project is ongoing").check()
    save_and_continue(page)

    # (c) Executive summary, with the live word count.
    page.wait_for_url("**/edit/summary/")
    page.fill("#id_summary", "Residents, the utility and the university share rooftop solar power.")
    assert "10 / 300 words" in page.inner_text("#id_summary_wordcount")
    # Autosave: a moment after typing stops, the section is saved without pressing a button.
    # (A function, not a bare expression: Playwright evaluates the latter with eval(), which
    # the Content-Security-Policy refuses.)
    page.wait_for_function(
        "() => document.querySelector('.autosave-status').textContent.startsWith('Saved at')"
    )
    assert Case.objects.get(title="Graz neighbourhood energy circles").summary.startswith(
        "Residents"
    )
    save_and_continue(page)

    # (d) Project description.
    page.wait_for_url("**/edit/description/")
    for name in ("problem", "solution", "results", "sustainability", "transferability"):
        page.fill(f"#id_{name}", f"What we wrote about {name}.")
    save_and_continue(page)

    # (e) Collaboration: a partner and a type.
    page.wait_for_url("**/edit/collaboration/")
    page.fill("#id_partners-0-name", "Graz University of Technology")
    page.select_option("#id_partners-0-sector", "academic")
    page.select_option("#id_partners-0-country", "AT")
    page.fill("#id_partners-0-role", "Measures the energy savings.")
    page.get_by_role("button", name="Add a partner").click()
    page.fill("#id_partners-1-name", "Energy cooperative Graz")
    page.select_option("#id_partners-1-sector", "citizens")
    # Suggestions follow the partners' sectors as they are chosen, before saving.
    suggested = page.locator("#suggested-types [data-suggested-type]")
    assert suggested.evaluate_all("items => items.map(i => i.dataset.suggestedType)") == [
        "public-research",
        "public-citizen",
    ]
    page.get_by_label("Public–research").check()
    save_and_continue(page)

    # (f) Enabling-ecosystem self-assessment: eight factors.
    page.wait_for_url("**/edit/ecosystem/")
    for factor in EcosystemFactor.objects.order_by("order"):
        page.fill(f"#id_factor_{factor.pk}_text", f"How we meet {factor.slug}.")
        page.select_option(f"#id_factor_{factor.pk}_rating", "3")
    save_and_continue(page)

    # (g) Attachments: upload a PDF.
    page.wait_for_url("**/edit/attachments/")
    page.fill("#id_title", "Energy report")
    page.set_input_files(
        "#id_file",
        files=[{"name": "energy-report.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("link", name="Energy report", exact=True).is_visible()
    page.get_by_role("link", name="Continue").click()

    # (h) Declarations.
    page.wait_for_url("**/edit/declarations/")
    page.check("#id_declares_accuracy")
    page.check("#id_consents_to_evaluation")
    page.check("#id_publication_consent")
    save_and_continue(page)

    # Review and submit.
    page.wait_for_url("**/review/")
    assert "Every section is complete." in page.content()
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(re.compile(r".*/apply/case/\d+/$"))
    assert page.inner_text("#case-status") == "Submitted"

    case = Case.objects.get(title="Graz neighbourhood energy circles")
    assert case.status == CaseStatus.SUBMITTED
    assert case.attachments.count() == 1
    confirmations = [m for m in mail.outbox if m.subject.startswith("Application submitted")]
    assert [m.to for m in confirmations] == [["petra@city.example"]]
    assert "Graz University of Technology" in confirmations[0].body
    assert [p.name for p in case.partners.all()] == [
        "Graz University of Technology",
        "Energy cooperative Graz",
    ]
    assert f"{live_server.url}/apply/case/{case.pk}/" in confirmations[0].body
