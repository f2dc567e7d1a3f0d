from django.contrib import admin

from commissions.models import (
    CommissionDocument,
    CommissionMeeting,
    DecisionAssignment,
    ProtocolDecision,
    RegionalPlan,
)
from core.admin import ReadOnlyAdmin

# The registers change only through the portal's services, which check who may record what and
# write the audit trail; the admin shows them and changes nothing.


class ProtocolDecisionInline(admin.TabularInline):
    model = ProtocolDecision
    fields = ("number", "text", "due_date")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CommissionMeeting)
class CommissionMeetingAdmin(ReadOnlyAdmin):
    list_display = ("held_on", "agency", "protocol_number", "document", "created_by")
    list_filter = (("agency", admin.EmptyFieldListFilter), "held_on")
    list_select_related = ("agency", "created_by", "document")
    search_fields = ("protocol_number", "agenda", "agency__name", "agency__code")
    date_hierarchy = "held_on"
    inlines = [ProtocolDecisionInline]


@admin.register(DecisionAssignment)
class DecisionAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("decision", "agency", "completed_at", "completed_by")
    list_filter = ("completed_at", "agency__kind")
    list_select_related = ("decision__meeting__agency", "agency", "completed_by")
    search_fields = ("agency__name", "agency__code", "decision__text", "note")


@admin.register(RegionalPlan)
class RegionalPlanAdmin(ReadOnlyAdmin):
    list_display = ("agency", "plan", "act", "act_number", "approved_on", "document")
    list_filter = ("plan",)
    list_select_related = ("agency", "plan", "document")
    search_fields = ("agency__name", "agency__code", "act", "act_number")


@admin.register(CommissionDocument)
class CommissionDocumentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("original_name",)
    exclude = ("file",)  # downloads go through the portal, which checks who may read the record
