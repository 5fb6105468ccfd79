import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.domain import edition_settings as actions
from cases.domain.evaluation.errors import InvalidInput, StaleForm, WrongState
from cases.models import Category, Criterion, Edition, Role
from tests.coordination.actions import post_action
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    CoordinatorFactory,
    EditionFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    UserFactory,
    submitted_review,
)

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def edition():
    return EvaluationEditionFactory(slug="epsa-2026")


@pytest.fixture
def coordinator(edition):
    return CoordinatorFactory(editions=[edition])


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def settings_url(edition):
    return reverse("coordination:settings", args=[edition.slug])


def settings_data(edition, **changes):
    local = {
        name: getattr(edition, name).astimezone(BRUSSELS).strftime("%Y-%m-%dT%H:%M")
        for name in ("submissions_open_at", "deadline", "evaluation_deadline")
    }
    data = {
        "action": "settings",
        "version": edition.version,
        "name": edition.name,
        "theme": edition.theme,
        **local,
        "evaluators_per_entry": edition.evaluators_per_entry,
        "score_min": edition.score_min,
        "score_max": edition.score_max,
        "disagreement_threshold": edition.disagreement_threshold,
        "nominees_per_category": edition.nominees_per_category,
        "rules": edition.rules,
    }
    if edition.same_country_conflicts:
        data["same_country_conflicts"] = "on"
    if edition.anonymous_reviews:
        data["anonymous_reviews"] = "on"
    if edition.reminders_enabled:
        data["reminders_enabled"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# Permissions ------------------------------------------------------------------------------------


def test_only_the_editions_coordinators_and_staff_reach_the_settings(client, edition):
    url = settings_url(edition)
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.url
    # Not a coordinator: 403; a coordinator of another edition: 404 (not theirs to know).
    for user, status in (
        (CoordinatorFactory(editions=[EditionFactory()]), 404),
        (EvaluatorFactory(), 403),
        (UserFactory(roles=[Role.APPLICANT]), 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url, settings_data(edition, name="Taken over")).status_code == status
    edition.refresh_from_db()
    assert edition.name != "Taken over"
    client.force_login(CoordinatorFactory(editions=[edition]))
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(is_staff=True, roles=[Role.COORDINATOR]))
    assert client.get(url).status_code == 200


def test_unknown_edition_is_404(coordinator_client):
    assert coordinator_client.get("/coordinate/no-such-edition/settings/").status_code == 404


def test_dashboard_links_to_the_settings(coordinator_client, edition):
    response = coordinator_client.get(reverse("coordination:dashboard", args=[edition.slug]))
    assert f'href="{settings_url(edition)}"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_settings_page_queries_do_not_grow(
    coordinator_client, edition, django_assert_num_queries, count
):
    CategoryFactory.create_batch(count, edition=edition)
    # session, user, roles, edition, coordinator check, categories with entry counts,
    # criteria, submitted-review check
    with django_assert_num_queries(8):
        response = coordinator_client.get(settings_url(edition))
    assert len(response.context["categories"]) == count
    assert len(response.context["criteria"]) == 6


# Settings ---------------------------------------------------------------------------------------


def test_settings_are_saved_with_dates_in_brussels_time(coordinator_client, edition):
    response = coordinator_client.get(settings_url(edition))
    assert "Europe/Brussels" in response.content.decode()
    response = post_action(
        coordinator_client,
        edition,
        settings_data(
            edition,
            name="EPSA 2026 renamed",
            submissions_open_at="2026-01-10T09:00",
            deadline="2026-03-31T23:59",
            evaluation_deadline="2026-06-30T18:00",
            evaluators_per_entry=3,
            disagreement_threshold="1.5",
            nominees_per_category=4,
            anonymous_reviews=None,
            same_country_conflicts=None,
            rules="Entries in English.",
        ),
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.name == "EPSA 2026 renamed"
    assert edition.deadline == datetime.datetime(2026, 3, 31, 23, 59, tzinfo=BRUSSELS)
    assert edition.deadline == datetime.datetime(2026, 3, 31, 21, 59, tzinfo=datetime.UTC)
    assert edition.evaluation_deadline == datetime.datetime(2026, 6, 30, 18, 0, tzinfo=BRUSSELS)
    assert edition.evaluators_per_entry == 3
    assert edition.disagreement_threshold == Decimal("1.5")
    assert edition.nominees_per_category == 4
    assert not edition.anonymous_reviews and not edition.same_country_conflicts
    assert edition.reminders_enabled  # still on: the form sent it unchanged
    assert edition.rules == "Entries in English."
    assert edition.version == 2
    page = coordinator_client.get(settings_url(edition)).content.decode()
    assert 'value="2026-03-31T23:59"' in page


def test_saving_unchanged_keeps_exact_times_and_changes_nothing(coordinator_client, edition):
    assert edition.deadline.microsecond or edition.deadline.second  # factories use now()
    deadline = edition.deadline
    response = post_action(coordinator_client, edition, settings_data(edition), follow=True)
    assert "Nothing was changed." in response.content.decode()
    edition.refresh_from_db()
    assert edition.deadline == deadline and edition.version == 1


def test_bad_dates_are_400_with_the_typed_values_kept(coordinator_client, edition):
    response = post_action(
        coordinator_client,
        edition,
        settings_data(
            edition,
            name="Kept name",
            submissions_open_at="2026-05-01T09:00",
            deadline="2026-04-01T09:00",
        ),
    )
    assert response.status_code == 400
    assert "must be after the opening" in str(response.context["form"].errors["deadline"])
    assert 'value="Kept name"' in response.content.decode()
    edition.refresh_from_db()
    assert edition.name != "Kept name"


def test_scale_change_is_refused_once_a_review_is_submitted(coordinator_client, edition):
    response = post_action(coordinator_client, edition, settings_data(edition, score_max=5))
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.score_max == 5
    submitted_review(AssignmentFactory(case=EligibleCaseFactory(edition=edition)), scores=3)

    response = post_action(
        coordinator_client, edition, settings_data(edition, score_max=20, name="Also renamed")
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "scoring scale cannot change" in content
    assert 'value="20"' in content
    edition.refresh_from_db()
    assert (edition.score_max, edition.name) == (5, edition.name)
    assert edition.name != "Also renamed"
    # Other settings still change when the scale stays as it is.
    response = post_action(coordinator_client, edition, settings_data(edition, name="Ok"))
    assert response.status_code == 302


def test_inverted_scale_is_400(coordinator_client, edition):
    response = post_action(
        coordinator_client, edition, settings_data(edition, score_min=5, score_max=5)
    )
    assert response.status_code == 400
    assert "above the lowest score" in str(response.context["form"].errors["score_max"])


def test_stale_settings_form_is_409_and_keeps_what_was_typed(coordinator_client, edition):
    data = settings_data(edition, theme="My new theme")
    actions.add_category(
        edition=edition, by=None, name="Meanwhile", expected_version=edition.version
    )
    response = post_action(coordinator_client, edition, data)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed" in content
    assert "My new theme" in content
    edition.refresh_from_db()
    assert edition.theme != "My new theme"
    # The form now carries the current version: sending it again is accepted.
    assert response.context["form"]["version"].value() == str(edition.version)


# Categories ------------------------------------------------------------------------------------


def test_add_and_rename_a_category(coordinator_client, edition):
    response = post_action(
        coordinator_client,
        edition,
        {
            "action": "add-category",
            "new-category-version": edition.version,
            "new-category-name": "Green transition",
        },
    )
    assert response.status_code == 302
    category = Category.objects.get(edition=edition, name="Green transition")
    assert category.slug == "green-transition"
    edition.refresh_from_db()
    prefix = f"category-{category.pk}"
    response = post_action(
        coordinator_client,
        edition,
        {
            "action": "rename-category",
            "target": category.pk,
            f"{prefix}-version": edition.version,
            f"{prefix}-name": "Green and digital transition",
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.slug) == ("Green and digital transition", "green-transition")


def test_empty_or_duplicate_category_names_are_refused(coordinator_client, edition):
    CategoryFactory(edition=edition, name="Digital")
    data = {"action": "add-category", "new-category-version": edition.version}
    response = post_action(coordinator_client, edition, {**data, "new-category-name": ""})
    assert response.status_code == 400
    response = post_action(coordinator_client, edition, {**data, "new-category-name": "digital"})
    assert response.status_code == 400
    assert "already has a category" in response.content.decode()
    assert Category.objects.filter(edition=edition).count() == 1


def test_deleting_an_unused_category_asks_for_confirmation(coordinator_client, edition):
    category = CategoryFactory(edition=edition, name="Unused")
    data = {"action": "delete-category", "target": category.pk, "version": edition.version}
    response = post_action(coordinator_client, edition, data)
    assert response.status_code == 200
    assert "This cannot be undone" in response.content.decode()
    assert Category.objects.filter(pk=category.pk).exists()
    response = post_action(coordinator_client, edition, {**data, "confirm": "yes"})
    assert response.status_code == 302
    assert not Category.objects.filter(pk=category.pk).exists()


def test_a_category_in_use_cannot_be_deleted(coordinator_client, edition):
    category = CategoryFactory(edition=edition)
    EligibleCaseFactory(edition=edition, category=category)
    data = {"action": "delete-category", "target": category.pk, "version": edition.version}
    response = post_action(coordinator_client, edition, {**data, "confirm": "yes"})
    assert response.status_code == 409
    assert "entries use it" in response.content.decode()
    assert Category.objects.filter(pk=category.pk).exists()
    with pytest.raises(WrongState):
        actions.delete_category(category=category, by=None, expected_version=None)


def test_another_editions_category_is_404(coordinator_client, edition):
    foreign = CategoryFactory(edition=EditionFactory())
    data = {"action": "delete-category", "target": foreign.pk, "version": edition.version}
    assert post_action(coordinator_client, edition, data).status_code == 404
    data["target"] = 999999
    assert post_action(coordinator_client, edition, data).status_code == 404


# Criteria ---------------------------------------------------------------------------------------


def test_update_and_add_criteria(coordinator_client, edition):
    criterion = edition.criteria.get(slug="impact")
    prefix = f"criterion-{criterion.pk}"
    response = post_action(
        coordinator_client,
        edition,
        {
            "action": "update-criterion",
            "target": criterion.pk,
            f"{prefix}-version": edition.version,
            f"{prefix}-name": "Impact",
            f"{prefix}-guidance": "Evidence of results.",
            f"{prefix}-weight": "2.5",
            f"{prefix}-order": "1",
        },
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.name, criterion.weight, criterion.order) == ("Impact", Decimal("2.5"), 1)
    assert criterion.guidance == "Evidence of results."
    edition.refresh_from_db()
    response = post_action(
        coordinator_client,
        edition,
        {
            "action": "add-criterion",
            "new-criterion-version": edition.version,
            "new-criterion-name": "Inclusiveness",
            "new-criterion-weight": "1",
        },
    )
    assert response.status_code == 302
    added = Criterion.objects.get(edition=edition, name="Inclusiveness")
    assert added.slug == "inclusiveness"
    assert added.order > max(c.order for c in edition.criteria.exclude(pk=added.pk))


@pytest.mark.parametrize("weight", ["0", "-1"])
def test_weights_must_be_positive(coordinator_client, edition, weight):
    criterion = edition.criteria.first()
    prefix = f"criterion-{criterion.pk}"
    response = post_action(
        coordinator_client,
        edition,
        {
            "action": "update-criterion",
            "target": criterion.pk,
            f"{prefix}-version": edition.version,
            f"{prefix}-name": "Renamed",
            f"{prefix}-weight": weight,
        },
    )
    assert response.status_code == 400
    assert "above zero" in response.content.decode()
    assert 'value="Renamed"' in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.weight == 1
    with pytest.raises(InvalidInput):
        actions.update_criterion(
            criterion=criterion,
            by=None,
            name="x",
            guidance="",
            weight=Decimal(0),
            order=1,
            expected_version=None,
        )


def test_no_criterion_is_added_once_reviews_are_submitted(coordinator_client, edition):
    submitted_review(AssignmentFactory(case=EligibleCaseFactory(edition=edition)))
    response = post_action(
        coordinator_client,
        edition,
        {
            "action": "add-criterion",
            "new-criterion-version": edition.version,
            "new-criterion-name": "Late criterion",
            "new-criterion-weight": "1",
        },
    )
    assert response.status_code == 409
    assert "cannot be added" in response.content.decode()
    assert not Criterion.objects.filter(name="Late criterion").exists()


def test_stale_criterion_form_is_409(coordinator_client, edition):
    criterion = edition.criteria.first()
    prefix = f"criterion-{criterion.pk}"
    Edition.objects.filter(pk=edition.pk).update(version=5)
    response = post_action(
        coordinator_client,
        edition,
        {
            "action": "update-criterion",
            "target": criterion.pk,
            f"{prefix}-version": 1,
            f"{prefix}-name": "Typed name",
            f"{prefix}-weight": "3",
        },
    )
    assert response.status_code == 409
    assert 'value="Typed name"' in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.weight == 1
    with pytest.raises(StaleForm):
        actions.add_category(edition=edition, by=None, name="Old view", expected_version=1)


def test_the_settings_page_takes_no_posted_action(coordinator_client, edition):
    """Each change has its own URL: the page itself only shows the forms."""
    response = coordinator_client.post(settings_url(edition), {"action": "settings"})
    assert response.status_code == 405
