"""The policy table: what every URL answers to every role, in every state of an entry.

``tests/test_url_policy.py`` walks the URL configuration and checks each named URL (the Django
admin apart, which has its own permissions) against its entry here, with GET and with POST, for
each role of ``ROLES`` and each state of ``STATES``. A URL without an entry fails that test.

Adding a URL: add one entry to ``TABLE`` under its name (``"namespace:name"``)::

    "coordination:shortlist": Entry(edition_coordinators, args=edition_args, per_state=True),

- the first argument, the *audience*, says what each role gets when it asks: ``OK`` (the view
  answers it: 200, a redirect other than to the log-in page, 400 or 409), ``LOGIN`` (sent to log
  in), ``DENIED`` (403), ``HIDDEN`` (404). Reuse an audience below or write one:
  ``def audience(role, state) -> outcome``.
- ``args(world, role)`` gives the URL's arguments from the objects of ``World`` (see
  ``test_url_policy.build_world``); ``methods`` the methods the view accepts (a role the
  audience lets in gets 405 for the others); ``data(world)`` what a POST sends (nothing by
  default: a form then answers 400); ``per_state=True`` when the answer depends on the entry's
  state (the URL is then checked in all six states, otherwise only in ``published``);
  ``methods_first=True`` when the view refuses other methods (405) before any access check;
  ``post`` an audience of its own for POST when it differs from GET's.
- POSTs run inside a transaction that is rolled back, so an entry may post freely.
"""

from dataclasses import dataclass
from typing import Any

OK = "ok"
LOGIN = "login"
DENIED = 403
HIDDEN = 404
NOT_ALLOWED = 405

ROLES = (
    "anonymous",
    "applicant",  # approved member of the entry's lead organisation
    "other_applicant",  # approved member of another organisation
    "unconfirmed",  # applicant with an unconfirmed address who asked to join the organisation
    "assigned_evaluator",
    "unassigned_evaluator",
    "conflicted_evaluator",  # assigned, with a conflict of interest with the entry
    "coordinator",  # coordinates the entry's edition
    "other_coordinator",  # coordinates another edition
    "staff",
    "superuser",
)

STATES = ("draft", "submitted", "eligible", "under_evaluation", "decided", "published")
# States in which the entry is eligible, so its assigned evaluators read it.
EVALUATED = ("eligible", "under_evaluation", "decided", "published")
APPLICANTS = ("applicant", "other_applicant", "unconfirmed")
EVALUATORS = ("assigned_evaluator", "unassigned_evaluator", "conflicted_evaluator")
AWARD_TEAM = ("coordinator", "staff", "superuser")  # coordinators of the entry's edition


# --- Audiences: (role, state) -> outcome -----------------------------------------------------


def everyone(role, state):
    return OK


def signed_in(role, state):
    return LOGIN if role == "anonymous" else OK


def _area(members):
    def audience(role, state):
        if role == "anonymous":
            return LOGIN
        return OK if role in members else DENIED

    return audience


applicants = _area(APPLICANTS)
evaluators = _area(EVALUATORS)
coordinators = _area((*AWARD_TEAM, "other_coordinator"))


def edition_coordinators(role, state):
    """The back office of one edition: other coordinators do not learn about it."""
    if role == "other_coordinator":
        return HIDDEN
    return coordinators(role, state)


def entry_coordinators(role, state):
    """An entry in the back office: a draft is the applicant's own until submitted."""
    outcome = edition_coordinators(role, state)
    return HIDDEN if outcome == OK and state == "draft" else outcome


def case_members(role, state):
    if role == "anonymous":
        return LOGIN
    return OK if role == "applicant" else HIDDEN


def attachment_readers(role, state):
    """Private files: members; the edition's coordinators once submitted; assigned evaluators
    once eligible. No log-in page: a visitor gets the 404 of a file that is not theirs."""
    if role == "applicant":
        return OK
    if role in AWARD_TEAM and state != "draft":
        return OK
    if role == "assigned_evaluator" and state in EVALUATED:
        return OK
    return HIDDEN


def own_assignment(role, state):
    """The evaluator's own assignment; a conflicted one explains why it is closed (403)."""
    if role == "anonymous":
        return LOGIN
    if role not in EVALUATORS:
        return DENIED
    if state not in EVALUATED or role == "unassigned_evaluator":
        return HIDDEN
    return OK if role == "assigned_evaluator" else DENIED


def membership_deciders(role, state):
    """A request to join the organisation: its members and the coordinators decide it."""
    if role == "anonymous":
        return LOGIN
    if role in ("applicant", *AWARD_TEAM, "other_coordinator"):
        return OK
    return HIDDEN


def confirmed_applicants(role, state):
    """Asking to join an organisation: applicants who confirmed their address."""
    return DENIED if role == "unconfirmed" else applicants(role, state)


def own_import(role, state):
    """An import is its coordinator's own: the rest of the award team does not see it. (A view
    refuses the other method, 405, before it looks the import up: that method gets
    ``coordinators``; the same goes for an entry's actions and ``edition_coordinators``.)"""
    outcome = coordinators(role, state)
    return HIDDEN if outcome == OK and role != "coordinator" else outcome


def invited_evaluator(role, state):
    """An invitation to the pool: its evaluator answers it; whoever else holds the link is asked
    to log in, or told it is another account's (the account has a password)."""
    if role == "anonymous":
        return LOGIN
    return OK if role == "assigned_evaluator" else DENIED


def published_only(role, state):
    return OK if state == "published" else HIDDEN


def nobody(role, state):
    """A catch-all address that exists only to answer 404 (the API's unknown paths)."""
    return HIDDEN


# --- URL arguments ---------------------------------------------------------------------------


def no_args(world, role):
    return {}


def case_args(world, role):
    return {"pk": world.case.pk}


def edition_args(world, role):
    return {"edition": world.edition.slug}


def attachment_args(world, role):
    return {"pk": world.case.pk, "attachment_pk": world.attachment.pk}


def entry_args(world, role):
    return {"edition": world.edition.slug, "case_id": world.case.pk}


def category_args(world, role):
    return {"edition": world.edition.slug, "category_id": world.case.category_id}


def criterion_args(world, role):
    return {"edition": world.edition.slug, "criterion_id": world.criterion.pk}


def email_args(world, role):
    return {"edition": world.edition.slug, "email_id": world.email.pk}


def import_args(world, role):
    return {"import_id": world.case_import.pk}


def invitation_args(world, role):
    return {"token": world.invitation.token}


def assignment_args(world, role):
    """The evaluator's own assignment when they have one, else the assigned evaluator's."""
    assignment = world.assignments.get(role, world.assignments["assigned_evaluator"])
    return {"assignment_id": assignment.pk}


def export_args(world, role):
    """A library export waiting in the queue, asked for by a visitor, made on first use."""
    if getattr(world, "library_export", None) is None:
        from cases.models import LibraryExport

        world.library_export = LibraryExport.objects.create(
            format="csv",
            base_url="http://testserver",
            request_key="0" * 64,
            generation=1,
            file_name="epsa-library.csv",
            requester_key="a-visitor",
        )
    return {"token": world.library_export.token}


@dataclass(frozen=True)
class Entry:
    audience: Any
    args: Any = no_args
    methods: tuple = ("GET", "POST")
    data: Any = None
    per_state: bool = False
    # The view refuses other methods before it looks at anything (a public page).
    methods_first: bool = False
    # When a POST is answered otherwise than a GET: its own audience.
    post: Any = None

    def expected(self, role, state, method):
        if method not in self.methods and self.methods_first:
            return NOT_ALLOWED
        audience = self.post if method == "POST" and self.post else self.audience
        outcome = audience(role, state)
        if outcome == OK and method not in self.methods:
            return NOT_ALLOWED
        return outcome


GET = ("GET",)
POST = ("POST",)

TABLE = {
    # Site pages and Django's authentication views
    "home": Entry(everyone),
    "set_language": Entry(
        everyone, methods=POST, data=lambda world: {"language": "fr", "next": "/library/"}
    ),
    "about": Entry(everyone),
    "favicon.ico": Entry(everyone),
    "login": Entry(everyone),
    "logout": Entry(everyone, methods=POST),
    "password_reset": Entry(everyone),
    "password_reset_done": Entry(everyone, methods=GET),
    "password_reset_confirm": Entry(
        everyone, args=lambda world, role: {"uidb64": "MQ", "token": "not-a-token"}
    ),
    "password_reset_complete": Entry(everyone, methods=GET),
    "robots": Entry(everyone, methods=GET),
    "sitemap": Entry(everyone, methods=GET),
    "sitemap-section": Entry(everyone, args=lambda world, role: {"section": "cases"}, methods=GET),
    # The public read API and its documentation
    "api-schema": Entry(everyone, methods=GET),
    "api-docs": Entry(everyone, methods=GET),
    "api-redoc": Entry(everyone, methods=GET),
    "api:case-list": Entry(everyone, methods=GET),
    "api:case-detail": Entry(
        published_only,
        args=lambda world, role: {"slug": world.case.slug},
        methods=GET,
        methods_first=True,
        per_state=True,
    ),
    "api:facets": Entry(everyone, methods=GET),
    "api:editions": Entry(everyone, methods=GET),
    "api:vocabularies": Entry(everyone, methods=GET),
    "api:stats": Entry(everyone, methods=GET),
    "api:not-found": Entry(
        nobody, args=lambda world, role: {"rest": "no-such-thing/"}, methods=GET, methods_first=True
    ),
    # The public library
    "library:list": Entry(everyone, methods=GET),
    "library:compare": Entry(everyone, methods=GET),
    "library:compare_add": Entry(
        everyone, methods=POST, data=lambda world: {"case": world.case.slug}
    ),
    "library:compare_remove": Entry(
        everyone, methods=POST, data=lambda world: {"case": world.case.slug}
    ),
    "library:compare_clear": Entry(everyone, methods=POST),
    "library:export_fields": Entry(everyone, methods=GET),
    "library:export_csv": Entry(everyone, methods=GET),
    "library:export_json": Entry(everyone, methods=GET),
    "library:stats": Entry(everyone, methods=GET),
    "library:export_bibtex": Entry(everyone, methods=GET),
    "library:export_ris": Entry(everyone, methods=GET),
    "library:export_csl_json": Entry(everyone, methods=GET),
    "library:feed": Entry(everyone, methods=GET),
    # Exports prepared in the queue: anyone may ask; a prepared export's pages answer whoever
    # holds its token (the world's export waits in the queue: its download leads to its page).
    "library:exports": Entry(everyone, methods=GET),
    "library:export_prepare": Entry(everyone, methods=POST, data=lambda world: {"format": "csv"}),
    "library:export_status": Entry(everyone, args=export_args, methods=GET),
    "library:export_download": Entry(everyone, args=export_args, methods=GET),
    "library:data": Entry(everyone, methods=GET),
    # No data package is built in the test world: the download answers 404 to everyone.
    "library:data_download": Entry(nobody, methods=GET, methods_first=True),
    "library:case": Entry(
        published_only,
        args=lambda world, role: {"slug": world.case.slug},
        methods=GET,
        methods_first=True,
        per_state=True,
    ),
    "library:case_bibtex": Entry(
        published_only,
        args=lambda world, role: {"slug": world.case.slug},
        methods=GET,
        methods_first=True,
        per_state=True,
    ),
    "library:case_ris": Entry(
        published_only,
        args=lambda world, role: {"slug": world.case.slug},
        methods=GET,
        methods_first=True,
        per_state=True,
    ),
    "library:case_csl_json": Entry(
        published_only,
        args=lambda world, role: {"slug": world.case.slug},
        methods=GET,
        methods_first=True,
        per_state=True,
    ),
    "library:attachment": Entry(
        published_only,
        args=lambda world, role: {"slug": world.case.slug, "pk": world.attachment.pk},
        methods=GET,
        methods_first=True,
        per_state=True,
    ),
    # Accounts
    "accounts:register": Entry(everyone),
    "accounts:verify": Entry(everyone, args=lambda world, role: {"token": "not-a-token"}),
    "accounts:resend_verification": Entry(signed_in, methods=POST),
    "accounts:profile": Entry(signed_in),
    "accounts:create_organisation": Entry(applicants),
    "accounts:join_organisation": Entry(
        applicants,
        post=confirmed_applicants,
        data=lambda world: {"organisation": world.case.lead_organisation_id},
    ),
    "accounts:membership_requests": Entry(signed_in),
    "accounts:decide_membership": Entry(
        membership_deciders,
        args=lambda world, role: {"pk": world.pending_request.pk},
        methods=POST,
    ),
    # Applications
    "applications:dashboard": Entry(applicants),
    "applications:new": Entry(
        applicants, args=lambda world, role: {"edition_slug": world.edition.slug}, per_state=True
    ),
    "applications:case": Entry(case_members, args=case_args, per_state=True),
    "applications:edit": Entry(
        case_members,
        args=lambda world, role: {"pk": world.case.pk, "section": "description"},
        per_state=True,
    ),
    "applications:review": Entry(case_members, args=case_args, per_state=True),
    "applications:withdraw": Entry(case_members, args=case_args, per_state=True),
    "applications:attachment": Entry(
        attachment_readers, args=attachment_args, methods=("GET", "HEAD"), per_state=True
    ),
    "applications:attachment_delete": Entry(case_members, args=attachment_args, per_state=True),
    # Evaluation
    "evaluation:assignments": Entry(evaluators),
    "evaluation:profile": Entry(evaluators),
    "evaluation:invitations": Entry(signed_in),
    "evaluation:invitation": Entry(invited_evaluator, args=invitation_args),
    "evaluation:accept_invitation": Entry(invited_evaluator, args=invitation_args, methods=POST),
    "evaluation:decline_invitation": Entry(invited_evaluator, args=invitation_args, methods=POST),
    "evaluation:review": Entry(own_assignment, args=assignment_args, per_state=True),
    "evaluation:declare_conflict": Entry(own_assignment, args=assignment_args, per_state=True),
    # Coordination
    "coordination:editions": Entry(coordinators, methods=GET),
    "coordination:dashboard": Entry(
        edition_coordinators, args=edition_args, methods=GET, per_state=True
    ),
    "coordination:eligibility": Entry(
        edition_coordinators, args=edition_args, methods=GET, per_state=True
    ),
    "coordination:assignments": Entry(
        edition_coordinators, args=edition_args, methods=GET, per_state=True
    ),
    "coordination:ranking": Entry(
        edition_coordinators, args=edition_args, methods=GET, per_state=True
    ),
    "coordination:case": Entry(
        entry_coordinators, post=edition_coordinators, args=entry_args, methods=GET, per_state=True
    ),
    "coordination:revise_case": Entry(
        entry_coordinators,
        args=lambda world, role: {"edition": world.edition.slug, "case_id": world.case.pk},
        per_state=True,
    ),
    "coordination:results": Entry(
        edition_coordinators, args=edition_args, methods=GET, per_state=True
    ),
    "coordination:settings": Entry(
        edition_coordinators, args=edition_args, methods=GET, per_state=True
    ),
    # The coordination back office: one URL per action
    "coordination:lockouts": Entry(coordinators),
    "coordination:unlock": Entry(
        coordinators, methods=POST, data=lambda world: {"kind": "account", "value": "x@example.eu"}
    ),
    "coordination:failed_tasks": Entry(coordinators, methods=GET),
    "coordination:import": Entry(coordinators, methods=GET),
    "coordination:import_template": Entry(coordinators, methods=GET),
    "coordination:import_check": Entry(coordinators, methods=POST),
    "coordination:import_detail": Entry(
        own_import, post=coordinators, args=import_args, methods=GET
    ),
    "coordination:import_run": Entry(coordinators, post=own_import, args=import_args, methods=POST),
    "coordination:change_phase": Entry(
        edition_coordinators, args=edition_args, methods=POST, per_state=True
    ),
    "coordination:screen": Entry(
        edition_coordinators, args=edition_args, methods=POST, per_state=True
    ),
    "coordination:assign_automatic": Entry(
        edition_coordinators, args=edition_args, methods=POST, per_state=True
    ),
    "coordination:assign_manual": Entry(
        edition_coordinators, args=edition_args, methods=POST, per_state=True
    ),
    "coordination:remove_assignment": Entry(
        edition_coordinators, args=edition_args, methods=POST, per_state=True
    ),
    "coordination:override_conflict": Entry(
        edition_coordinators, args=edition_args, methods=POST, per_state=True
    ),
    "coordination:check_conflicts": Entry(
        edition_coordinators, args=edition_args, methods=POST, per_state=True
    ),
    "coordination:set_outcome": Entry(
        edition_coordinators, post=entry_coordinators, args=entry_args, methods=POST, per_state=True
    ),
    "coordination:publish_results": Entry(
        edition_coordinators, args=edition_args, methods=POST, per_state=True
    ),
    "coordination:publish_library": Entry(
        edition_coordinators, args=edition_args, methods=POST, per_state=True
    ),
    "coordination:save_settings": Entry(edition_coordinators, args=edition_args, methods=POST),
    "coordination:add_category": Entry(edition_coordinators, args=edition_args, methods=POST),
    "coordination:rename_category": Entry(edition_coordinators, args=category_args, methods=POST),
    "coordination:delete_category": Entry(edition_coordinators, args=category_args, methods=POST),
    "coordination:add_criterion": Entry(edition_coordinators, args=edition_args, methods=POST),
    "coordination:update_criterion": Entry(edition_coordinators, args=criterion_args, methods=POST),
    "coordination:outbox": Entry(edition_coordinators, args=edition_args, methods=GET),
    "coordination:outbox_message": Entry(edition_coordinators, args=email_args, methods=GET),
    "coordination:outbox_retry": Entry(edition_coordinators, args=email_args, methods=POST),
    "coordination:pool": Entry(edition_coordinators, args=edition_args, methods=GET),
    "coordination:invite": Entry(edition_coordinators, args=edition_args, methods=POST),
    "coordination:messages": Entry(edition_coordinators, args=edition_args, methods=GET),
    "coordination:message_preview": Entry(edition_coordinators, args=edition_args, methods=POST),
    "coordination:message_send": Entry(edition_coordinators, args=edition_args, methods=POST),
}

# The library answers twice, with a language prefix (``library:``) and without one
# (``library-any:``): the same views, so the same entries.
TABLE.update(
    {
        f"library-any:{name.removeprefix('library:')}": entry
        for name, entry in TABLE.items()
        if name.startswith("library:")
    }
)

# --- Insight (issue 12): similar cases, factor analytics, collections -----------------------


def collection_owner(role, state):
    """A saved collection: its owner (the applicant here); anyone else does not learn of it."""
    if role == "anonymous":
        return LOGIN
    return OK if role == "applicant" else HIDDEN


def _collection(world):
    """The applicant's collection holding the world's case, made on first use."""
    if getattr(world, "collection", None) is None:
        from cases.models import Collection, CollectionItem

        world.collection = Collection.objects.create(
            owner=world.users["applicant"], name="Cases to read"
        )
        CollectionItem.objects.create(collection=world.collection, case=world.case)
    return world.collection


def collection_args(world, role):
    return {"pk": _collection(world).pk}


def share_args(world, role):
    return {"token": _collection(world).share_token}


def _insight_library(namespace):
    return {
        f"{namespace}:analytics_json": Entry(everyone, methods=GET),
        f"{namespace}:figure_cases": Entry(everyone, methods=GET),
        f"{namespace}:methods": Entry(everyone, methods=GET),
        f"{namespace}:compare_csv": Entry(everyone, methods=GET),
        f"{namespace}:compare_bibtex": Entry(everyone, methods=GET),
        f"{namespace}:compare_ris": Entry(everyone, methods=GET),
        f"{namespace}:compare_csl_json": Entry(everyone, methods=GET),
        f"{namespace}:collections": Entry(signed_in, methods=GET),
        f"{namespace}:collection_create": Entry(signed_in, methods=POST),
        f"{namespace}:collection_add": Entry(signed_in, methods=POST),
        f"{namespace}:collection": Entry(collection_owner, args=collection_args, methods=GET),
        f"{namespace}:collection_edit": Entry(collection_owner, args=collection_args, methods=POST),
        f"{namespace}:collection_remove": Entry(
            collection_owner, args=collection_args, methods=POST
        ),
        f"{namespace}:collection_delete": Entry(collection_owner, args=collection_args),
        f"{namespace}:shared_collection": Entry(everyone, args=share_args, methods=GET),
        f"{namespace}:shared_collection_csv": Entry(everyone, args=share_args, methods=GET),
        f"{namespace}:shared_collection_json": Entry(everyone, args=share_args, methods=GET),
        f"{namespace}:shared_collection_bibtex": Entry(everyone, args=share_args, methods=GET),
        f"{namespace}:shared_collection_ris": Entry(everyone, args=share_args, methods=GET),
        f"{namespace}:shared_collection_csl_json": Entry(everyone, args=share_args, methods=GET),
    }


TABLE.update(
    {
        "api:case-similar": Entry(
            published_only,
            args=lambda world, role: {"slug": world.case.slug},
            methods=GET,
            methods_first=True,
            per_state=True,
        ),
        "api:stats-factors": Entry(everyone, methods=GET),
        **_insight_library("library"),
        **_insight_library("library-any"),
    }
)
