"""Admin for the evaluation models (issue 5). Decisions belong in the coordinator back office;
the admin is for looking things up and for setting up evaluator profiles."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Assignment,
    Conflict,
    CriterionScore,
    DecisionLog,
    EvaluatorProfile,
    FactorScore,
    Review,
    ScoreChange,
    Screening,
)


@admin.register(EvaluatorProfile)
class EvaluatorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "country_list"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["organisations", "preferred_categories"]

    @admin.display(description=_("countries"))
    def country_list(self, profile):
        return ", ".join(str(country) for country in profile.countries)


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    list_display = ["case", "eligible", "reason", "decided_by", "decided_at"]
    list_filter = ["eligible", "reason", "case__edition"]
    search_fields = ["case__title", "case__registration_number"]
    readonly_fields = ["case", "eligible", "reason", "note", "decided_by", "decided_at"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["case", "evaluator", "kind", "overridden", "created_at"]
    list_filter = ["kind", "overridden", "case__edition"]
    search_fields = ["case__title", "evaluator__email", "reason"]
    raw_id_fields = ["case", "evaluator", "overridden_by"]


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    readonly_fields = ["criterion", "score", "comment"]
    can_delete = False


class FactorScoreInline(admin.TabularInline):
    model = FactorScore
    extra = 0
    readonly_fields = ["factor", "score"]
    can_delete = False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["case", "evaluator", "method", "is_active", "created_at"]
    list_filter = ["is_active", "method", "case__edition"]
    search_fields = ["case__title", "case__registration_number", "evaluator__email"]
    raw_id_fields = ["case", "evaluator", "assigned_by"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Read-only: scores change only through the evaluator's form, which keeps the history."""

    list_display = ["assignment", "status", "weighted_total", "submitted_at"]
    list_filter = ["status", "assignment__case__edition"]
    search_fields = ["assignment__case__title", "assignment__evaluator__email"]
    readonly_fields = [
        "assignment",
        "status",
        "overall_comment",
        "weighted_total",
        "created_at",
        "updated_at",
        "submitted_at",
        "version",
    ]
    inlines = [CriterionScoreInline, FactorScoreInline]

    def has_add_permission(self, request):
        return False


@admin.register(ScoreChange)
class ScoreChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "changed_by", "review", "item", "old_value", "new_value"]
    list_filter = ["review__assignment__case__edition"]
    readonly_fields = ["review", "changed_by", "changed_at", "item", "old_value", "new_value"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DecisionLog)
class DecisionLogAdmin(admin.ModelAdmin):
    list_display = ["at", "edition", "case", "actor", "action", "before", "after"]
    list_filter = ["action", "edition"]
    search_fields = ["case__title", "reason"]
    readonly_fields = ["edition", "case", "actor", "at", "action", "before", "after", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
