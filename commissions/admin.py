from django.contrib import admin

from commissions.models import CommissionMeeting, DecisionAssignment, ProtocolDecision, RegionalPlan
from reporting.admin import ReadOnlyAdmin

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
    list_display = ("held_on", "agency", "protocol_number", "document_name", "created_by")
    list_filter = (("agency", admin.EmptyFieldListFilter), "held_on")
    list_select_related = ("agency", "created_by")
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
    list_display = ("agency", "plan", "act", "act_number", "approved_on", "document_name")
    list_filter = ("plan",)
    list_select_related = ("agency", "plan")
    search_fields = ("agency__name", "agency__code", "act", "act_number")
