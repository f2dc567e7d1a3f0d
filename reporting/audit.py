"""What the audit trail records about reports, documents and summaries. Services call these inside
the transaction of the change; views call them for downloads and exports. The descriptions are
data (agency, year, file name), not interface text: they read the same in every language."""

from agencies.audit import Action, audit_record


def record_report(action, report, user, *, comment_id=None, entry_comments=()):
    """A report's change of state; `report` has its agency and cycle loaded; `entry_comments`
    the numbers of the measures the review remarked on."""
    details = {
        "agency": report.agency.code,
        "year": report.cycle.year,
        "state": report.state,
        "is_late": report.is_late,
    }
    if comment_id is not None:
        details["comment_id"] = comment_id
    if entry_comments:
        details["entry_comments"] = list(entry_comments)
    audit_record(
        action=action,
        user=user,
        obj=report,
        description=f"{report.agency} — {report.cycle.year}",
        details=details,
    )


def record_document(action, attachment, user, *, report, measure_number):
    """A supporting document uploaded, downloaded or deleted; `report` is the one it belongs to,
    with its agency and cycle loaded."""
    audit_record(
        action=action,
        user=user,
        obj=attachment,
        description=(
            f"{attachment.original_name} ({report.agency} — {report.cycle.year}, "
            f"№ {measure_number})"
        ),
        details={
            "file_name": attachment.original_name,
            "size": attachment.size,
            "report_id": report.pk,
            "agency": report.agency.code,
            "year": report.cycle.year,
            "measure": measure_number,
        },
    )


def record_summary(action, summary, user, *, cycle, **details):
    """Something done to a cycle's summary, or one of its lines."""
    audit_record(
        action=action,
        user=user,
        obj=summary,
        description=str(cycle.year),
        details={"year": cycle.year, **details},
    )


def record_summary_item(item, user, *, cycle, measure_number):
    audit_record(
        action=Action.SUMMARY_ITEM_EDITED,
        user=user,
        obj=item,
        description=f"{cycle.year}, № {measure_number}",
        details={
            "year": cycle.year,
            "summary_id": item.summary_id,
            "measure": measure_number,
            "status": item.status,
        },
    )


def record_entries_export(cycle, user):
    audit_record(
        action=Action.ENTRIES_EXPORTED,
        user=user,
        obj=cycle,
        description=str(cycle.year),
        details={"year": cycle.year, "format": "xlsx"},
    )


def record_plan_import(plan, user, *, measures: int):
    audit_record(
        action=Action.PLAN_IMPORTED,
        user=user,
        obj=plan,
        description=f"{plan.code}: {plan.resolution_number}",
        details={"plan": plan.code, "measures": measures},
    )
