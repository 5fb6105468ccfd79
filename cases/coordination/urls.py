from django.urls import path

from . import import_views, message_views, outbox_views, pool_views, views

app_name = "coordination"

urlpatterns = [
    path("", views.editions, name="editions"),
    path("tasks/failed/", outbox_views.failed_tasks, name="failed_tasks"),
    path("import/", import_views.import_start, name="import"),
    path("import/template.csv", import_views.import_template, name="import_template"),
    path("import/check/", import_views.import_check, name="import_check"),
    path("import/<int:import_id>/", import_views.import_detail, name="import_detail"),
    path("import/<int:import_id>/run/", import_views.import_run, name="import_run"),
    path("<slug:edition>/", views.dashboard, name="dashboard"),
    path("<slug:edition>/eligibility/", views.eligibility, name="eligibility"),
    path("<slug:edition>/assignments/", views.assignments, name="assignments"),
    path("<slug:edition>/ranking/", views.ranking, name="ranking"),
    path("<slug:edition>/case/<int:case_id>/", views.case_detail, name="case"),
    path("<slug:edition>/results/", views.results, name="results"),
    path("<slug:edition>/settings/", views.edition_settings, name="settings"),
    path("<slug:edition>/outbox/", outbox_views.outbox_list, name="outbox"),
    path(
        "<slug:edition>/outbox/<int:email_id>/", outbox_views.outbox_message, name="outbox_message"
    ),
    path(
        "<slug:edition>/outbox/<int:email_id>/retry/",
        outbox_views.outbox_retry,
        name="outbox_retry",
    ),
    path("<slug:edition>/pool/", pool_views.pool, name="pool"),
    path("<slug:edition>/pool/invite/", pool_views.invite, name="invite"),
    path("<slug:edition>/messages/", message_views.message_list, name="messages"),
    path("<slug:edition>/messages/preview/", message_views.message_preview, name="message_preview"),
    path("<slug:edition>/messages/send/", message_views.message_send, name="message_send"),
]
