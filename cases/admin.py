"""Django admin for the foundation models.

The admin is the staff's back door, not the coordinators' workflow (that lives in the
coordination area). Areas built later register their own models in sections appended at the
bottom of this file (``from cases import admin_<area>  # noqa``) so that merges stay simple.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.domain.accounts import find_organisation
from cases.domain.editions import add_epsa_criteria
from cases.domain.queries.access import cases_in_admin, coordinators, role_table
from cases.domain.slugs import give_title_slug
from cases.models import (
    Attachment,
    Case,
    CaseStatus,
    Category,
    CollaborationType,
    CoproductionLevel,
    CoproductionPhase,
    Criterion,
    EcosystemFactor,
    Edition,
    FactorAssessment,
    FactorProfileValue,
    InnovationStage,
    Organisation,
    OrganisationMembership,
    Partner,
    PolicySector,
    User,
)

# ---------------------------------------------------------------------------------------------
# Users and organisations
# ---------------------------------------------------------------------------------------------


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "country")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email


class MembershipOfUserInline(admin.TabularInline):
    model = OrganisationMembership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "status", "created_at", "decided_at", "decided_by"]
    readonly_fields = ["created_at", "decided_at", "decided_by"]
    verbose_name_plural = _("organisation memberships")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    inlines = [MembershipOfUserInline]
    list_display = ["email", "full_name", "country", "roles", "is_staff", "is_active"]
    list_filter = ["groups", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "country", "language", "email_verified_at"]}),
        (
            _("Roles and permissions"),
            {
                "fields": [
                    "is_active",
                    "groups",
                    "is_staff",
                    "is_superuser",
                    "user_permissions",
                ],
                "description": _(
                    "Roles are the groups applicant, evaluator and coordinator. Staff status "
                    "only opens this admin."
                ),
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "country",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    filter_horizontal = ["groups", "user_permissions"]

    def get_inline_instances(self, request, obj=None):
        # Adding a user is a short first step (e-mail and password), as in Django's own admin.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        # As the portal sees them (cases.domain.queries.access), staff included.
        return ", ".join(name for name, held in role_table(obj).items() if held) or "-"


class MembershipOfOrganisationInline(admin.TabularInline):
    model = OrganisationMembership
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "status", "created_at", "decided_at", "decided_by"]
    # Requests are decided in the portal (Requests to join), with its checks and e-mails.
    readonly_fields = ["status", "created_at", "decided_at", "decided_by"]
    verbose_name_plural = _("members")


# Web addresses typed without a scheme are taken as https:// (Django 6's default).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class OrganisationAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "country", "level", "sector", "website"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") is not None:
            existing = find_organisation(name=cleaned["name"], country=cleaned.get("country"))
            if existing is not None and existing.pk != self.instance.pk:
                self.add_error(
                    "name",
                    _("%(name)s is already registered in this country.") % {"name": existing.name},
                )
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "country", "level", "sector", "website"]
    list_filter = ["sector", "level", "country"]
    search_fields = ["name"]
    inlines = [MembershipOfOrganisationInline]
    show_full_result_count = False


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    # Decided in the portal (Requests to join): only there are the address confirmed, the
    # requester told and their own request kept from them.
    readonly_fields = ["status", "created_at", "decided_at", "decided_by"]
    list_select_related = ["user", "organisation"]


# ---------------------------------------------------------------------------------------------
# Editions, categories, criteria
# ---------------------------------------------------------------------------------------------


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    fields = ["name", "slug", "description", "order"]
    prepopulated_fields = {"slug": ["name"]}


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["name", "slug", "guidance", "weight", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "year_label", "phase", "submissions_open_at", "deadline"]
    list_filter = ["phase"]
    search_fields = ["name", "slug", "theme"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]
    inlines = [CategoryInline, CriterionInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "year_label", "theme", "phase"]}),
        (_("Call"), {"fields": ["submissions_open_at", "deadline", "rules"]}),
        (
            _("Evaluation"),
            {
                "fields": ["evaluators_per_entry", "score_min", "score_max"],
                "description": _(
                    "A new edition receives the six EPSA criteria with equal weights; "
                    "edit their weights and guidance below after saving."
                ),
            },
        ),
        (_("Staff"), {"fields": ["coordinators"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The phase moves on the Coordinate dashboard (phases.set_phase: its guards and log).
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "phase"] if obj is not None else fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "coordinators":
            # The same people the portal lets coordinate (cases.domain.queries.access).
            kwargs["queryset"] = coordinators()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            # Criteria typed into the inline win; the EPSA ones fill in the rest.
            add_epsa_criteria(edition=form.instance)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "slug", "order"]
    list_filter = ["edition"]
    search_fields = ["name", "slug", "edition__name"]
    list_select_related = ["edition"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "slug", "weight", "order"]
    list_filter = ["edition"]
    search_fields = ["name", "slug", "edition__name"]
    list_select_related = ["edition"]


# ---------------------------------------------------------------------------------------------
# Vocabularies: labels, descriptions and order are editable; slugs are stable once created.
# ---------------------------------------------------------------------------------------------


class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["label", "slug", "description"]
    ordering = ["order", "slug"]
    fields = [
        "label",
        "label_fr",
        "label_de",
        "label_es",
        "slug",
        "description",
        "description_fr",
        "description_de",
        "description_es",
        "order",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else {"slug": ["label"]}

    def has_delete_permission(self, request, obj=None):
        # Filters, exports and the API refer to these slugs; removing a row would break them.
        return False


for vocabulary in (
    CollaborationType,
    CoproductionPhase,
    CoproductionLevel,
    PolicySector,
    InnovationStage,
):
    admin.site.register(vocabulary, VocabularyAdmin)


@admin.register(EcosystemFactor)
class EcosystemFactorAdmin(VocabularyAdmin):
    list_display = ["label", "short_label", "slug", "order"]
    fields = [
        "label",
        "label_fr",
        "label_de",
        "label_es",
        "short_label",
        "short_label_fr",
        "short_label_de",
        "short_label_es",
        "slug",
        "description",
        "description_fr",
        "description_de",
        "description_es",
        "order",
    ]

    def has_add_permission(self, request):
        # The eight factors are the fixed frame that factor profiles are compared on.
        return False


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ["name", "sector", "country", "role", "order"]


class FactorAssessmentInline(admin.StackedInline):
    model = FactorAssessment
    extra = 0
    fields = [("factor", "self_rating", "not_applicable"), "text", "evidence"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("factor")


class AttachmentInline(admin.TabularInline):
    """Read-only here: uploads go through the applicant area, which checks type and size."""

    model = Attachment
    extra = 0
    fields = ["title", "file_name", "content_type", "size", "is_public", "uploaded_at"]
    readonly_fields = ["file_name", "content_type", "size", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def file_name(self, obj):
        return obj.file.name


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.edition.name} – {obj.name}"


class CaseAdminForm(forms.ModelForm):
    """The case form of the admin: refuses to publish an entry that is not eligible.

    The database refuses it too (constraint case_published_is_eligible); this says why, next
    to the box, instead of a general error at the top of the form."""

    website = forms.URLField(
        label=Case._meta.get_field("website").verbose_name, required=False, assume_scheme="https"
    )

    class Meta:
        model = Case
        fields = "__all__"  # noqa: DJ007  (the admin's fieldsets choose what is shown)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_published") and "status" in cleaned:
            status = cleaned["status"]
            if status != CaseStatus.ELIGIBLE:
                self.add_error(
                    "is_published",
                    _(
                        "Only an eligible entry can be published in the library; this one is "
                        "“%(status)s”. Set the status to Eligible first, or leave it unpublished."
                    )
                    % {"status": CaseStatus(status).label},
                )
        return cleaned


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    form = CaseAdminForm
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = [
        "title",
        "edition",
        "country",
        "level",
        "status",
        "outcome",
        "place",
        "is_published",
        "provenance",
    ]
    list_filter = [
        "provenance",
        "is_published",
        "status",
        "outcome",
        "level",
        "language",
        "edition",
        "innovation_stage",
    ]
    search_fields = ["title", "slug", "registration_number", "lead_organisation__name"]
    list_select_related = ["edition"]
    show_full_result_count = False
    autocomplete_fields = ["lead_organisation", "created_by"]
    filter_horizontal = [
        "policy_sectors",
        "collaboration_types",
        "coproduction_phases",
        "coproduction_levels",
    ]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [PartnerInline, FactorAssessmentInline, AttachmentInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "edition", "category", "lead_organisation"]}),
        (
            _("Description"),
            {
                "fields": [
                    "summary",
                    "problem",
                    "solution",
                    "collaboration",
                    "results",
                    "challenges",
                    "sustainability",
                    "transferability",
                ]
            },
        ),
        (
            _("Facets"),
            {
                "fields": [
                    ("start_date", "end_date", "ongoing"),
                    ("country", "level"),
                    "innovation_stage",
                    "policy_sectors",
                    "collaboration_types",
                    "coproduction_phases",
                    "coproduction_levels",
                    "website",
                ]
            },
        ),
        (
            _("Status and outcome"),
            {
                "fields": [
                    "status",
                    "registration_number",
                    ("submitted_at", "screened_at", "withdrawn_at"),
                    ("outcome", "place"),
                ]
            },
        ),
        (
            _("Library"),
            {
                "fields": [
                    ("is_published", "published_at"),
                    "publication_consent",
                    "licence",
                    "provenance",
                    "source_note",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_by", "version", "created_at", "updated_at"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = Category.objects.select_related("edition").order_by(
                "edition__slug", "order"
            )
            kwargs["form_class"] = CategoryChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Status, outcome and publication change through the domain's actions, with their guards,
    # e-mails and decision log (screening, outcomes, publication, revise_published_case), so
    # they are read-only here once the case exists. A case imported through the admin is
    # created whole.
    DECIDED_FIELDS = ["status", "outcome", "place", "is_published", "published_at"]

    def get_queryset(self, request):
        return cases_in_admin(request.user) & super().get_queryset(request)

    def view_on_site(self, obj):
        if not obj.is_published:
            return None
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            return None

    def save_model(self, request, obj, form, change):
        if change:
            # An edit here is an edit like any other: a form opened before it must not
            # silently overwrite it (optimistic concurrency on ``version``).
            obj.version += 1
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        if obj.is_published and {"title", "is_published"} & set(form.changed_data):
            # Published portal cases are addressed by their title (old addresses redirect).
            give_title_slug(case=obj, first_publication="is_published" in form.changed_data)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += self.DECIDED_FIELDS
        if obj is not None and obj.is_published:
            # A published case's address is cited: it changes only with its title.
            fields.append("slug")
        return fields


@admin.register(FactorProfileValue)
class FactorProfileValueAdmin(admin.ModelAdmin):
    """Derived data, shown for inspection only (rebuilt from assessments and scores)."""

    list_display = ["case", "factor", "value", "source"]
    list_filter = ["factor", "source"]
    search_fields = ["case__title"]
    list_select_related = ["case", "factor"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "case", "content_type", "size", "is_public", "uploaded_at"]
    list_filter = ["is_public", "content_type"]
    search_fields = ["title", "case__title"]
    list_select_related = ["case"]
    fields = ["case", "title", "file_name", "content_type", "size", "is_public", "uploaded_by"]
    readonly_fields = ["case", "file_name", "content_type", "size", "uploaded_by"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("file"))
    def file_name(self, obj):
        return obj.file.name


# ---------------------------------------------------------------------------------------------
# Areas append their admin modules below this line.
# ---------------------------------------------------------------------------------------------
from cases import admin_evaluation, admin_operations  # noqa: E402,F401
