from django.urls import path

from . import lockouts, revision_views
from .views import (
    assignments,
    editions,
    eligibility,
    entries,
    imports,
    messages,
    outbox,
    pool,
    ranking,
    results,
    settings,
)

app_name = "coordination"

E = "<slug:edition>/"

urlpatterns = [
    path("", editions.editions, name="editions"),
    path("lockouts/", lockouts.lockouts, name="lockouts"),
    path("lockouts/unlock/", lockouts.unlock, name="unlock"),
    path("tasks/failed/", outbox.failed_tasks, name="failed_tasks"),
    path("import/", imports.import_start, name="import"),
    path("import/template.csv", imports.import_template, name="import_template"),
    path("import/check/", imports.import_check, name="import_check"),
    path("import/<int:import_id>/", imports.import_detail, name="import_detail"),
    path("import/<int:import_id>/run/", imports.import_run, name="import_run"),
    path(E, editions.dashboard, name="dashboard"),
    path(E + "phase/", editions.change_phase, name="change_phase"),
    path(E + "eligibility/", eligibility.eligibility, name="eligibility"),
    path(E + "eligibility/screen/", eligibility.screen, name="screen"),
    path(E + "assignments/", assignments.assignments, name="assignments"),
    path(E + "assignments/automatic/", assignments.assign_automatically, name="assign_automatic"),
    path(E + "assignments/manual/", assignments.assign_manually, name="assign_manual"),
    path(E + "assignments/withdraw/", assignments.remove_assignment, name="remove_assignment"),
    path(E + "assignments/override/", assignments.override_conflict, name="override_conflict"),
    path(E + "assignments/check-conflicts/", assignments.check_conflicts, name="check_conflicts"),
    path(E + "ranking/", ranking.ranking, name="ranking"),
    path(E + "case/<int:case_id>/", entries.case_detail, name="case"),
    path(E + "case/<int:case_id>/outcome/", entries.set_outcome, name="set_outcome"),
    path(E + "case/<int:case_id>/revise/", revision_views.revise_case, name="revise_case"),
    path(E + "results/", results.results, name="results"),
    path(E + "results/publish/", results.publish_results, name="publish_results"),
    path(E + "results/library/", results.publish_library, name="publish_library"),
    path(E + "settings/", settings.edition_settings, name="settings"),
    path(E + "settings/edition/", settings.save_settings, name="save_settings"),
    path(E + "settings/categories/add/", settings.add_category, name="add_category"),
    path(
        E + "settings/categories/<int:category_id>/rename/",
        settings.rename_category,
        name="rename_category",
    ),
    path(
        E + "settings/categories/<int:category_id>/delete/",
        settings.delete_category,
        name="delete_category",
    ),
    path(E + "settings/criteria/add/", settings.add_criterion, name="add_criterion"),
    path(
        E + "settings/criteria/<int:criterion_id>/",
        settings.update_criterion,
        name="update_criterion",
    ),
    path(E + "outbox/", outbox.outbox_list, name="outbox"),
    path(E + "outbox/<int:email_id>/", outbox.outbox_message, name="outbox_message"),
    path(E + "outbox/<int:email_id>/retry/", outbox.outbox_retry, name="outbox_retry"),
    path(E + "pool/", pool.pool, name="pool"),
    path(E + "pool/invite/", pool.invite, name="invite"),
    path(E + "messages/", messages.message_list, name="messages"),
    path(E + "messages/preview/", messages.message_preview, name="message_preview"),
    path(E + "messages/send/", messages.message_send, name="message_send"),
]
