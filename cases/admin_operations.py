"""Admin for running the portal: the outbox, group messages, pools, imports and library
exports. Read-only: messages are sent, invitations answered, imports run and exports prepared
through the domain functions; the admin only retries a failed message, through the same
function."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cases.domain.outbox import retry_email
from cases.models import (
    CaseImport,
    EmailStatus,
    GroupMessage,
    LibraryExport,
    OutboundEmail,
    PoolMembership,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "subject", "template", "edition", "status", "attempts"]
    list_filter = ["status", "template", "edition"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.action(description=_("Send the selected failed messages again"))
    def send_again(self, request, queryset):
        count = 0
        for email in queryset.filter(status=EmailStatus.FAILED):
            retry_email(email=email, by=request.user)
            count += 1
        self.message_user(
            request, _("%(count)d messages queued again.") % {"count": count}, messages.SUCCESS
        )


@admin.register(GroupMessage)
class GroupMessageAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "edition", "segment", "subject", "recipient_count", "sent_by"]
    list_filter = ["edition", "segment"]


@admin.register(PoolMembership)
class PoolMembershipAdmin(ReadOnlyAdmin):
    list_display = ["evaluator", "edition", "status", "invited_at", "responded_at"]
    list_filter = ["edition", "status"]
    search_fields = ["evaluator__email", "evaluator__full_name"]


@admin.register(CaseImport)
class CaseImportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "source", "file_name", "status", "created_count", "updated_count"]
    list_filter = ["status", "source"]
    exclude = ["rows", "report"]


@admin.register(LibraryExport)
class LibraryExportAdmin(ReadOnlyAdmin):
    """Exports prepared in the queue, for inspection (the token, the key to its page and file,
    is left out: an administrator does not need it to see what failed)."""

    list_display = [
        "created_at",
        "format",
        "status",
        "rows",
        "bytes",
        "requested_by",
        "finished_at",
    ]
    list_filter = ["status", "format"]
    list_select_related = ["requested_by"]
    search_fields = ["requested_by__email"]
    date_hierarchy = "created_at"
    exclude = ["token", "requester_key", "file"]
