"""Exports too large for a request are prepared in the task queue (issue 11).

Tests lower ``LIBRARY_INLINE_EXPORT_ROWS`` so that a few cases make a "large" set. Tasks run at
once in the test's process (the immediate backend, tests/settings.py), once the transaction
that queued them commits: ``committed()`` stands for that commit.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from cases.domain.library_exports import expire_exports
from cases.models import ExportStatus, LibraryExport, OutboundEmail
from cases.tasks import periodic, prepare_library_export
from tests.committing import committed
from tests.factories import PublishedCaseFactory, UserFactory

pytestmark = pytest.mark.django_db

FORMATS = {
    "csv": "library:export_csv",
    "json": "library:export_json",
    "bibtex": "library:export_bibtex",
    "ris": "library:export_ris",
    "csl-json": "library:export_csl_json",
}


@pytest.fixture
def large(settings):
    """Three published cases, more than a request may export."""
    settings.LIBRARY_INLINE_EXPORT_ROWS = 2
    return [PublishedCaseFactory(title=f"Case {n}", country="BE" if n else "FR") for n in range(3)]


def streamed(client, settings, url_name, params=None):
    """What the export URL streams when the set is small enough."""
    threshold = settings.LIBRARY_INLINE_EXPORT_ROWS
    settings.LIBRARY_INLINE_EXPORT_ROWS = 10_000
    try:
        response = client.get(reverse(url_name), params or {})
        assert response.streaming
        return response["Content-Type"], b"".join(response.streaming_content)
    finally:
        settings.LIBRARY_INLINE_EXPORT_ROWS = threshold


def prepare(client, format_name, **params):
    with committed():
        return client.post(reverse("library:export_prepare"), {"format": format_name, **params})


def test_a_set_within_the_limit_still_streams(client, settings):
    settings.LIBRARY_INLINE_EXPORT_ROWS = 2
    PublishedCaseFactory(), PublishedCaseFactory()
    response = client.get(reverse("library:export_csv"))
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert not LibraryExport.objects.exists()


def test_a_larger_set_answers_with_a_page_that_offers_to_prepare_it(client, large):
    response = client.get(reverse("library:export_csv"), {"country": "BE"})
    assert response.streaming  # BE: 2 cases, within the limit
    response = client.get(reverse("library:export_csv"))
    assert response.status_code == 200 and not response.streaming
    html = response.content.decode()
    assert "This CSV export holds 3 cases." in html
    assert "Prepare the export" in html
    assert f'action="{reverse("library:export_prepare")}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert not LibraryExport.objects.exists()  # only the POST asks for it
    # The list's links no longer claim to be downloads.
    listing = client.get(reverse("library:list")).content.decode()
    assert f'href="{reverse("library:export_csv")}" download' not in listing
    assert "prepared in the background" in listing


def test_a_filtered_set_is_counted_under_its_filters(client, settings, large):
    settings.LIBRARY_INLINE_EXPORT_ROWS = 1
    response = client.get(reverse("library:export_csv"), {"country": "BE"})
    assert not response.streaming
    assert "This CSV export holds 2 cases." in response.content.decode()
    response = client.get(reverse("library:export_csv"), {"country": "FR"})
    assert response.streaming  # FR: 1 case, within the limit


@pytest.mark.parametrize("format_name", FORMATS)
def test_the_prepared_file_holds_what_the_stream_would(client, settings, large, format_name):
    url_name = FORMATS[format_name]
    content_type, expected = streamed(client, settings, url_name, {"sort": "title"})
    response = prepare(client, format_name, sort="title")
    export = LibraryExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:export_status", args=[export.token])
    assert export.status == ExportStatus.READY
    assert export.query == {"sort": ["title"]}
    assert export.rows == 3 and export.bytes == len(expected)
    page = client.get(response["Location"]).content.decode()
    assert "Ready to download" in page
    download = client.get(reverse("library:export_download", args=[export.token]))
    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"] == f'attachment; filename="{export.file_name}"'
    assert b"".join(download.streaming_content) == expected


def test_the_status_page_shows_rows_size_expiry_and_download(client, large):
    response = prepare(client, "csv")
    export = LibraryExport.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert 'data-status="ready"' in html
    assert reverse("library:export_download", args=[export.token]) in html
    assert f"<dd>{export.rows}</dd>" in html
    assert "Available until" in html
    assert 'http-equiv="refresh"' not in html  # ready: nothing left to wait for
    assert "Keep this address" in html  # a visitor who is not signed in


def test_a_pending_export_page_refreshes_itself_and_says_what_happens(client, large):
    client.post(reverse("library:export_prepare"), {"format": "json"})  # never committed
    export = LibraryExport.objects.get()
    assert export.status == ExportStatus.QUEUED
    response = client.get(reverse("library:export_status", args=[export.token]))
    html = response.content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "waiting for its turn in the queue" in html
    download = client.get(reverse("library:export_download", args=[export.token]))
    assert download.status_code == 302 and download["Location"] == response.wsgi_request.path


def test_asking_again_reuses_the_export_until_the_library_changes(client, large):
    first = prepare(client, "csv")
    second = prepare(client, "csv", unknown="x")  # what the library ignores changes nothing
    assert second["Location"] == first["Location"]
    assert LibraryExport.objects.count() == 1
    # Another format, or another query, is another export.
    prepare(client, "json")
    prepare(client, "csv", country="BE")
    assert LibraryExport.objects.count() == 3
    PublishedCaseFactory()  # the library changed
    third = prepare(client, "csv")
    assert third["Location"] != first["Location"]
    assert LibraryExport.objects.filter(format="csv", query={}).count() == 2
    assert LibraryExport.objects.order_by("-id").first().rows == 4


def test_running_the_task_twice_does_no_harm(client, large):
    prepare(client, "csv")
    export = LibraryExport.objects.get()
    finished = export.finished_at
    assert prepare_library_export.call(export_id=export.pk) == {"skipped": export.pk}
    export.refresh_from_db()
    assert export.finished_at == finished
    _folders, files = default_storage.listdir(f"library-exports/{export.token}")
    assert files == [export.file_name]


def test_a_signed_in_requester_gets_an_email_and_a_list(client, large):
    user = UserFactory(email="reader@example.eu")
    client.force_login(user)
    response = prepare(client, "csv")
    export = LibraryExport.objects.get()
    assert export.requested_by == user and export.requester_key == ""
    message = OutboundEmail.objects.get(template="library_export_ready")
    assert message.to == "reader@example.eu"
    assert "Your CSV export of the case library is ready" in message.subject
    link = f"/library/exports/{export.token}/"
    assert link in message.body
    assert [sent.to for sent in mail.outbox] == [["reader@example.eu"]]
    page = client.get(response["Location"]).content.decode()
    assert "Keep this address" not in page
    listing = client.get(reverse("library:exports")).content.decode()
    assert reverse("library:export_status", args=[export.token]) in listing
    # Someone else's list does not show it, though its address still works for them.
    client.force_login(UserFactory())
    assert export.token not in client.get(reverse("library:exports")).content.decode()
    assert client.get(reverse("library:export_status", args=[export.token])).status_code == 200


def test_a_visitor_sees_the_exports_of_their_session(client, large):
    prepare(client, "ris")
    export = LibraryExport.objects.get()
    assert export.requested_by is None and export.requester_key
    assert export.token in client.get(reverse("library:exports")).content.decode()
    assert not OutboundEmail.objects.exists()  # nobody to write to
    from django.test import Client

    stranger = Client()
    assert export.token not in stranger.get(reverse("library:exports")).content.decode()


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("library:export_status", args=["no-such-token"])).status_code == 404
    assert client.get(reverse("library:export_download", args=["nope"])).status_code == 404


def test_an_expired_export_is_gone_and_can_be_prepared_again(client, large):
    prepare(client, "csv")
    export = LibraryExport.objects.get()
    stored = export.file
    assert default_storage.exists(stored)
    export.expires_at = timezone.now() - timedelta(seconds=1)
    export.save(update_fields=["expires_at"])
    # Past its date, even before the periodic task ran: 410 and an offer to prepare it again.
    page = client.get(reverse("library:export_status", args=[export.token]))
    assert page.status_code == 410
    assert "Prepare it again" in page.content.decode()
    assert client.get(reverse("library:export_download", args=[export.token])).status_code == 410
    result = periodic.call()
    assert result["exports"] == {"expired": 1, "stalled": 0}
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and export.file == ""
    assert not default_storage.exists(stored)
    assert client.get(reverse("library:export_status", args=[export.token])).status_code == 410
    again = prepare(client, "csv")
    assert again["Location"] != reverse("library:export_status", args=[export.token])
    assert LibraryExport.objects.get(status=ExportStatus.READY).rows == 3


def test_an_export_pending_for_hours_is_given_up(client, large):
    client.post(reverse("library:export_prepare"), {"format": "csv"})  # never committed
    export = LibraryExport.objects.get()
    assert expire_exports(now=timezone.now() + timedelta(hours=7)) == {
        "expired": 0,
        "stalled": 1,
    }
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "six hours" in export.error


def test_each_requester_has_a_few_pending_exports_at_most(client, settings, large):
    settings.LIBRARY_EXPORTS_PENDING = 2
    for format_name in ("csv", "json"):  # never committed: they stay in the queue
        client.post(reverse("library:export_prepare"), {"format": format_name})
    response = client.post(reverse("library:export_prepare"), {"format": "ris"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "You have 2 exports being prepared." in html
    assert reverse("library:exports") in html
    assert response["Retry-After"]
    assert LibraryExport.objects.count() == 2
    # Asking again for one already waiting is not a new export: no refusal.
    again = client.post(reverse("library:export_prepare"), {"format": "csv"})
    assert again.status_code == 302


def test_an_unknown_format_is_refused(client):
    response = client.post(reverse("library:export_prepare"), {"format": "xlsx"})
    assert response.status_code == 400
    assert "This export format is not known." in response.content.decode()


def test_a_failed_export_says_so_and_offers_to_try_again(client, settings, large, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage expects a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocked, "base_url": None},
        },
    }
    response = prepare(client, "csv")
    export = LibraryExport.objects.get()
    assert export.status == ExportStatus.FAILED
    assert "Error" in export.error  # e.g. NotADirectoryError: [Errno 20] Not a directory
    html = client.get(response["Location"]).content.decode()
    assert "could not be prepared" in html
    assert export.error.split(":")[0] in html
    assert "Try again" in html and 'http-equiv="refresh"' not in html


def test_status_page_query_count_is_fixed(client, large, django_assert_num_queries):
    prepare(client, "csv")
    ready = LibraryExport.objects.get()
    client.post(reverse("library:export_prepare"), {"format": "json"})
    pending = LibraryExport.objects.get(format="json")
    for export in (ready, pending):
        url = reverse("library:export_status", args=[export.token])
        with django_assert_num_queries(2):  # the session, the export
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_export_list_query_count_is_fixed(client, settings, django_assert_num_queries, count):
    settings.LIBRARY_EXPORTS_PENDING = 5
    user = UserFactory()
    client.force_login(user)
    for format_name in list(FORMATS)[:count]:
        client.post(reverse("library:export_prepare"), {"format": format_name})
    assert LibraryExport.objects.count() == count
    with django_assert_num_queries(4):  # the session, the user, its roles (menu), the exports
        html = client.get(reverse("library:exports")).content.decode()
    assert html.count("/library/exports/") >= count


def test_the_admin_lists_exports_read_only(client, large):
    from cases.models import User

    prepare(client, "csv")
    client.force_login(User.objects.create_superuser("root@example.eu", "correct-horse-battery"))
    listing = client.get(reverse("admin:cases_libraryexport_changelist"))
    assert listing.status_code == 200 and "CSV" in listing.content.decode()
    assert client.get(reverse("admin:cases_libraryexport_add")).status_code == 403
    export = LibraryExport.objects.get()
    detail = client.get(reverse("admin:cases_libraryexport_change", args=[export.pk]))
    assert detail.status_code == 200
    assert export.token not in detail.content.decode()
