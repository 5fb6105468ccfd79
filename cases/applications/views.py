"""The applicant area: dashboard, application sections, review and submission, status pages.

Views validate a form, call one domain function and redirect. Applications of other
organisations answer 404, so that their existence is not revealed.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cases.domain import applications as app
from cases.interfaces.forms.applications import (
    SECTION_FORMS,
    AttachmentForm,
    StartApplicationForm,
)
from cases.interfaces.permissions import load, permission_required
from cases.models import (
    Attachment,
    Case,
    CollaborationType,
    Edition,
    EditionPhase,
)

AUTOSAVE_HEADER = "X-Autosave"
DASHBOARD_PAGE_SIZE = 20


APPLICANT_AREA = gettext_lazy("The applicant area is for applicants.")
CASES = Case.objects.select_related("edition", "category", "lead_organisation")


def member_case(view):
    """Members of the lead organisation only; 404 for everyone else, so that the existence of
    another organisation's application is not revealed. The view gets the Case as ``case``."""
    return permission_required("cases.view_application", fn=load(CASES, pk="pk", as_="case"))(view)


def _base(request) -> str:
    return request.build_absolute_uri("/")


def _is_autosave(request) -> bool:
    return request.headers.get(AUTOSAVE_HEADER) == "1"


def _deadline_context(edition):
    if edition is None or edition.deadline is None:
        return {}
    return {
        "deadline": edition.deadline,
        "time_zone": timezone.get_current_timezone_name(),
        "is_open": edition.is_open_for_submissions(),
        # The award team moved the edition on before the announced deadline.
        "closed_early": edition.phase not in (EditionPhase.DRAFT, EditionPhase.OPEN)
        and timezone.now() < edition.deadline,
    }


def _error_page(request, *, title, message, status, case=None, links=()):
    return render(
        request,
        "applications/error.html",
        {"title": title, "message": message, "case": case, "links": links},
        status=status,
    )


@permission_required("cases.use_applicant_area", message=APPLICANT_AREA)
def dashboard(request):
    user = request.user
    cases = Paginator(app.organisation_cases(user), DASHBOARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    for case in cases:
        # A draft past its deadline is shown as closed: it can no longer be changed or sent.
        case.closed = app.is_closed(case, now)
    memberships = list(
        user.memberships.select_related("organisation").order_by("organisation__name")
    )
    return render(
        request,
        "applications/dashboard.html",
        {
            "open_editions": list(app.open_editions()),
            "page_obj": cases,
            "approved": [m for m in memberships if m.is_approved],
            "pending": [m for m in memberships if not m.is_approved],
            "time_zone": timezone.get_current_timezone_name(),
        },
    )


@permission_required("cases.use_applicant_area", message=APPLICANT_AREA)
@require_http_methods(["GET", "POST"])
def new_application(request, edition_slug):
    edition = get_object_or_404(
        Edition.objects.exclude(phase=EditionPhase.DRAFT), slug=edition_slug
    )
    if not edition.is_open_for_submissions():
        return _error_page(
            request,
            title=_("Applications are closed"),
            message=_("%(edition)s does not take applications at the moment.")
            % {"edition": edition},
            status=409,
            links=[(reverse("applications:dashboard"), _("Back to your applications"))],
        )
    form = StartApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = app.start_application(
                user=request.user, edition=edition, organisation=form.cleaned_data["organisation"]
            )
        except app.ApplicationError as error:
            return _error_page(
                request,
                title=_("The application could not be started"),
                message=error.message,
                status=error.status,
            )
        messages.success(request, _("Your draft is ready. It is saved as you go."))
        return redirect("applications:edit", pk=case.pk, section=app.SECTIONS[0].slug)
    return render(
        request,
        "applications/new.html",
        {"edition": edition, "form": form, **_deadline_context(edition)},
        status=400 if form.is_bound else 200,
    )


@member_case
def case_status(request, case):
    missing = app.missing_items(case) if app.is_editable(case) else None
    return render(
        request,
        "applications/status.html",
        {
            "case": case,
            "steps": app.timeline(case),
            "progress": app.section_progress(case, missing) if missing is not None else None,
            "can_edit": app.is_editable(case),
            "closed_message": app.closed_message(case) if app.is_closed(case) else "",
            "can_withdraw": app.can_withdraw(case),
            "results_published": case.edition is not None and case.edition.results_are_published,
            **_deadline_context(case.edition),
        },
    )


def _section_or_404(section):
    if section not in app.SECTIONS_BY_SLUG:
        raise Http404
    return app.SECTIONS_BY_SLUG[section]


def _next_section(section):
    slugs = [s.slug for s in app.SECTIONS]
    index = slugs.index(section)
    return slugs[index + 1] if index + 1 < len(slugs) else None


def _js_strings():
    """Texts the section scripts show, translated here because scripts have no gettext."""
    return {
        "saving": _("Saving…"),
        "not_saved": _("Not saved."),
        "offline": _("Not saved: the connection failed. Your text is still here; save by hand."),
        "words": _("{count} / {limit} words"),
        "over": _("{count} / {limit} words: {over} over the limit"),
        "add_partner": _("Add a partner"),
    }


def _section_context(case, section, **extra):
    context = {
        "js_strings": _js_strings(),
        "case": case,
        "section": app.SECTIONS_BY_SLUG[section],
        "progress": app.section_progress(case),
        "editable": app.is_editable(case),
        "closed_message": app.closed_message(case) if app.is_closed(case) else "",
        "next_section": _next_section(section),
        "autosave_header": AUTOSAVE_HEADER,
        **_deadline_context(case.edition),
    }
    if section == app.COLLABORATION:
        slugs = app.suggest_collaboration_types(
            partners=[(p.sector, p.country.code) for p in case.partners.all()],
            lead_country=case.country.code if case.country else "",
        )
        context["suggested"] = list(
            CollaborationType.objects.filter(slug__in=slugs).order_by("order")
        )
        context["suggestion_rules"] = app.suggestion_rules(
            case.country.code if case.country else ""
        )
    context.update(extra)
    return context


def _readable(field, value):
    """A field's value as a person reads it: labels instead of ids and choice keys."""
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple) and not value:
        return ""
    if hasattr(field, "queryset") and field.queryset is not None and value:
        wanted = value if isinstance(value, list | tuple) else [value]
        wanted = [item for item in wanted if str(item).isdigit()]
        return ", ".join(str(item) for item in field.queryset.filter(pk__in=wanted))
    if hasattr(field, "choices") and value not in (None, ""):
        choices = {str(key): label for key, label in field.choices}
        if isinstance(value, list | tuple):
            return ", ".join(str(choices.get(str(item), item)) for item in value)
        return choices.get(str(value), value)
    return value


def _partner_text(name, sector, country, role):
    return f"{name} ({sector}, {country or '—'}): {role}"


def _saved_values(case, form):
    """The saved version of the section, field by field, for the side-by-side comparison."""
    rows = []
    unbound = type(form)(case=case)
    for name, field in unbound.fields.items():
        if name == "version":
            continue
        value = unbound.initial.get(name, field.initial)
        rows.append({"label": field.label, "value": _readable(field, value)})
    if hasattr(unbound, "partners"):
        for partner in case.partners.all():
            rows.append(
                {
                    "label": _("Partner"),
                    "value": _partner_text(
                        partner.name,
                        partner.get_sector_display(),
                        partner.country.name,
                        partner.role,
                    ),
                }
            )
    return rows


def _posted_values(form):
    """What the user sent in a bound section form, for them to copy when it cannot be saved."""
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        value = form[name].value()
        rows.append(
            {
                "label": field.label,
                "value": _readable(field, value),
                "long": isinstance(field.widget, forms.Textarea),
            }
        )
    partners = getattr(form, "partners", None)
    if partners is not None:
        for row in partners.forms:
            values = {name: row[name].value() for name in ("name", "sector", "country", "role")}
            if row["DELETE"].value() or not any(values.values()):
                continue
            rows.append(
                {
                    "label": _("Partner"),
                    "value": _partner_text(
                        values["name"],
                        _readable(row.fields["sector"], values["sector"]),
                        _readable(row.fields["country"], values["country"]),
                        values["role"],
                    ),
                    "long": False,
                }
            )
    return rows


def _form_problems(form) -> str:
    """The form's errors in one line, for the autosave status (the page is not re-rendered)."""
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        problems += [f"{label}: {error}" if label else str(error) for error in errors]
    partners = getattr(form, "partners", None)
    if partners is not None and any(partners.errors):
        problems.append(_("a partner row needs correcting"))
    return "; ".join(problems) or _("correct the marked fields.")


def _locked_response(request, case, section, message):
    """Refuse a save with 409, and show the user what they sent so that nothing typed is lost.

    An autosave gets the message only: the text is still in the page that sent it.
    """
    if _is_autosave(request):
        return JsonResponse(
            {
                "ok": False,
                "locked": True,
                "message": message
                + " "
                + _("Your text is still on this page: copy it before you leave."),
            },
            status=409,
        )
    form_class = SECTION_FORMS[section]
    posted = form_class(request.POST, case=case)
    form = form_class(case=case)
    for field in form.fields.values():
        field.disabled = True
    return render(
        request,
        "applications/section.html",
        _section_context(
            case,
            section,
            form=form,
            locked_message=message,
            unsaved_values=_posted_values(posted),
        ),
        status=409,
    )


@member_case
@require_http_methods(["GET", "POST"])
def edit_section(request, case, section):
    _section_or_404(section)
    if section == app.ATTACHMENTS:
        return attachments_section(request, case)
    form_class = SECTION_FORMS[section]
    if request.method == "GET":
        form = form_class(case=case)
        if not app.is_editable(case):
            for field in form.fields.values():
                field.disabled = True
        return render(
            request, "applications/section.html", _section_context(case, section, form=form)
        )

    if not app.is_editable(case):
        return _locked_response(request, case, section, _locked_message(case))
    form = form_class(request.POST, case=case)
    if not form.is_valid():
        if _is_autosave(request):
            return JsonResponse(
                {
                    "ok": False,
                    "message": _("Not saved: %(problems)s") % {"problems": _form_problems(form)},
                    "errors": form.errors.get_json_data(),
                },
                status=400,
            )
        return render(
            request,
            "applications/section.html",
            _section_context(case, section, form=form),
            status=400,
        )
    try:
        case = app.save_section(
            case=case,
            user=request.user,
            section=section,
            data=form.section_data(),
            loaded_version=form.cleaned_data["version"],
        )
    except app.StaleSection as conflict:
        current = conflict.case
        if _is_autosave(request):
            return JsonResponse(
                {"ok": False, "conflict": True, "message": conflict.message}, status=409
            )
        data = request.POST.copy()
        data["version"] = str(current.version)
        retry = form_class(data, case=current)
        retry.is_valid()
        return render(
            request,
            "applications/section.html",
            _section_context(
                current,
                section,
                form=retry,
                conflict=conflict,
                saved_values=_saved_values(current, retry),
            ),
            status=409,
        )
    except app.ApplicationLocked as error:
        return _locked_response(request, case, section, error.message)
    except app.ApplicationError as error:
        if _is_autosave(request):
            return JsonResponse({"ok": False, "message": error.message}, status=error.status)
        form.add_error(None, error.message)
        return render(
            request,
            "applications/section.html",
            _section_context(case, section, form=form),
            status=error.status,
        )
    saved_at = date_format(timezone.localtime(), "H:i")
    if _is_autosave(request):
        return JsonResponse(
            {
                "ok": True,
                "version": case.version,
                "saved_at": saved_at,
                "message": _("Saved at %(time)s") % {"time": saved_at},
            }
        )
    messages.success(request, _("Saved at %(time)s.") % {"time": saved_at})
    following = _next_section(section)
    if "save_continue" in request.POST and following:
        return redirect("applications:edit", pk=case.pk, section=following)
    if "save_continue" in request.POST:
        return redirect("applications:review", pk=case.pk)
    # Back to the saved form, with the keyboard on the "Saved" message.
    return redirect(reverse("applications:edit", args=[case.pk, section]) + "#messages")


def _locked_message(case):
    return app.locked_message(case) + " " + _("Your changes were not saved.")


def attachments_section(request, case):
    attachments = list(case.attachments.order_by("uploaded_at", "id"))
    if request.method == "GET":
        return render(
            request,
            "applications/section_attachments.html",
            _section_context(case, app.ATTACHMENTS, form=AttachmentForm(), attachments=attachments),
        )
    if not app.is_editable(case):
        return render(
            request,
            "applications/section_attachments.html",
            _section_context(
                case,
                app.ATTACHMENTS,
                form=None,
                attachments=attachments,
                locked_message=_locked_message(case),
            ),
            status=409,
        )
    form = AttachmentForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            attachment = app.add_attachment(
                case=case,
                user=request.user,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except app.ApplicationError as error:
            form.add_error("file", error.message)
            status = error.status
        else:
            messages.success(request, _("“%(title)s” was attached.") % {"title": attachment.title})
            return redirect("applications:edit", pk=case.pk, section=app.ATTACHMENTS)
    return render(
        request,
        "applications/section_attachments.html",
        _section_context(case, app.ATTACHMENTS, form=form, attachments=attachments),
        status=status,
    )


@permission_required(
    "cases.view_attachment",
    fn=load(
        Attachment.objects.select_related("case"),
        pk="attachment_pk",
        case_id="pk",
        as_="attachment",
    ),
    login=False,
)
@require_http_methods(["GET", "HEAD"])
def download_attachment(request, attachment):
    """Serve a private file to those the policy lets read it; 404 to all others."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = attachment.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"{attachment.title}.{extension}"
        if not attachment.title.lower().endswith(f".{extension}")
        else attachment.title,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@member_case
@require_http_methods(["GET", "POST"])
def delete_attachment(request, case, attachment_pk):
    attachment = get_object_or_404(case.attachments, pk=attachment_pk)
    if not app.is_editable(case):
        return _error_page(
            request,
            title=_("The attachment cannot be removed"),
            message=_locked_message(case),
            status=409,
            case=case,
        )
    if request.method == "POST":
        app.remove_attachment(case=case, user=request.user, attachment=attachment)
        messages.success(request, _("“%(title)s” was removed.") % {"title": attachment.title})
        return redirect("applications:edit", pk=case.pk, section=app.ATTACHMENTS)
    return render(
        request, "applications/attachment_delete.html", {"case": case, "attachment": attachment}
    )


def _missing_rows(missing):
    return [
        {"section": app.SECTIONS_BY_SLUG[slug], "items": items}
        for slug, items in missing.items()
        if items
    ]


@member_case
@require_http_methods(["GET", "POST"])
def review(request, case):
    status = 200
    error = None
    if request.method == "POST":
        try:
            case, submitted_now = app.submit_case(
                case=case, user=request.user, link_base=_base(request)
            )
        except app.ApplicationError as refusal:
            error = refusal
            status = refusal.status
            case = CASES.get(pk=case.pk)
        else:
            if submitted_now:
                messages.success(
                    request,
                    _(
                        "Your application has been submitted. A confirmation has been sent to "
                        "the members of %(organisation)s."
                    )
                    % {"organisation": case.lead_organisation},
                )
            else:
                messages.info(request, _("This application had already been submitted."))
            return redirect("applications:case", pk=case.pk)
    missing = app.missing_items(case)
    return render(
        request,
        "applications/review.html",
        {
            "case": case,
            "missing": _missing_rows(missing),
            "progress": app.section_progress(case, missing),
            "editable": app.is_editable(case),
            "closed_message": app.closed_message(case) if app.is_closed(case) else "",
            "error": error,
            "verified": request.user.email_verified_at is not None,
            "description": [
                {"label": Case._meta.get_field(name).verbose_name, "text": getattr(case, name)}
                for name in app.SECTION_FIELDS[app.DESCRIPTION]
            ],
            "partners": list(case.partners.all()),
            "attachments": list(case.attachments.all()),
            "assessments": list(case.factor_assessments.select_related("factor")),
            "policy_sectors": list(case.policy_sectors.all()),
            "collaboration_types": list(case.collaboration_types.all()),
            **_deadline_context(case.edition),
        },
        status=status,
    )


@member_case
@require_http_methods(["GET", "POST"])
def withdraw(request, case):
    if case.status == "withdrawn":
        messages.info(request, _("This application has already been withdrawn."))
        return redirect("applications:case", pk=case.pk)
    if not app.can_withdraw(case):
        return _error_page(
            request,
            title=_("The application cannot be withdrawn"),
            message=_(
                "Eligibility screening has started, so the application can no longer be "
                "withdrawn here. Write to the award team if you need to withdraw it."
            ),
            status=409,
            case=case,
        )
    if request.method == "POST":
        try:
            app.withdraw_case(case=case, user=request.user, link_base=_base(request))
        except app.ApplicationError as error:
            return _error_page(
                request,
                title=_("The application cannot be withdrawn"),
                message=error.message,
                status=error.status,
                case=case,
            )
        messages.success(request, _("The application has been withdrawn."))
        return redirect("applications:case", pk=case.pk)
    return render(request, "applications/withdraw.html", {"case": case})
