"""What the audit trail records about the commissions' registers. Services call these inside the
transaction of the change; views call `record_download`. Descriptions are data, not interface
text: they read the same in every language."""

from agencies.audit import Action, audit_record


def _document_name(record) -> str:
    return record.document.original_name if record.document else ""


def _commission(meeting) -> str:
    return meeting.agency.code if meeting.agency_id else "mvk"


def record_meeting(action, meeting, user):
    audit_record(
        action=action,
        user=user,
        obj=meeting,
        description=(
            f"{_commission(meeting)}: {meeting.held_on:%d.%m.%Y}, № {meeting.protocol_number}"
        ),
        details={
            "commission": _commission(meeting),
            "held_on": meeting.held_on.isoformat(),
            "protocol_number": meeting.protocol_number,
            "document": _document_name(meeting),
        },
    )


def record_decision(action, decision, user, *, agencies=()):
    meeting = decision.meeting
    audit_record(
        action=action,
        user=user,
        obj=decision,
        description=(
            f"{_commission(meeting)}: № {meeting.protocol_number} от "
            f"{meeting.held_on:%d.%m.%Y}, п. {decision.number}"
        ),
        details={
            "meeting_id": meeting.pk,
            "number": decision.number,
            "due_date": decision.due_date.isoformat() if decision.due_date else None,
            "agencies": sorted(agencies),
        },
    )


def record_assignment(action, assignment, user):
    decision = assignment.decision
    audit_record(
        action=action,
        user=user,
        obj=assignment,
        description=(
            f"{assignment.agency}: № {decision.meeting.protocol_number}, п. {decision.number}"
        ),
        details={
            "decision_id": decision.pk,
            "agency": assignment.agency.code,
            "late": assignment.was_late,
        },
    )


def record_regional_plan(action, regional_plan, user):
    audit_record(
        action=action,
        user=user,
        obj=regional_plan,
        description=(
            f"{regional_plan.agency}: № {regional_plan.act_number} "
            f"от {regional_plan.approved_on:%d.%m.%Y}"
        ),
        details={
            "plan": regional_plan.plan.code,
            "agency": regional_plan.agency.code,
            "approved_on": regional_plan.approved_on.isoformat(),
            "document": _document_name(regional_plan),
        },
    )


def record_download(obj, user):
    """A protocol's or a regional plan's document downloaded."""
    document = obj.document
    audit_record(
        action=Action.DOCUMENT_DOWNLOADED,
        user=user,
        obj=obj,
        description=f"{document.original_name} ({obj})",
        details={"file_name": document.original_name, "size": document.size},
    )
