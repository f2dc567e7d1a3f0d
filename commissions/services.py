"""Writes of the commissions' registers. Each function is one user action: it runs in a
transaction, checks who may do it, and raises ActionRefused (core.exceptions), changing nothing
and storing no file, when refused."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency
from commissions import audit, permissions
from commissions.models import (
    CommissionDocument,
    CommissionMeeting,
    DecisionAssignment,
    ProtocolDecision,
    RegionalPlan,
)
from core.documents import files_removed_on_failure
from core.exceptions import ActionRefused, Gone, PermissionRefused, refuse_nul, refuse_too_long
from core.services import locked_row
from measures.models import Responsibility

Action = audit.Action


def _required(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(message)
    return value


def _not_in_future(day: datetime.date, message: str) -> None:
    if day > timezone.localdate():  # today in Kazakhstan
        raise ActionRefused(message)


def _full_clean(obj) -> None:
    """The model's own checks; the services have given clearer messages for the constraints."""
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages)) from error


# Documents


def _store_document(obj, file, user) -> CommissionDocument | None:
    """Store `file` as the record's new document (the record is not saved yet); returns the
    document it replaces, which the caller deletes once the record is saved. ActionRefused
    naming the file, and nothing stored, if it is not an accepted document."""
    previous = obj.document
    document = CommissionDocument(uploaded_by=user)
    document.folder = obj.DOCUMENT_FOLDER
    document.store(file)
    document.save()
    obj.document = document
    return previous


def _delete_document(document: CommissionDocument | None) -> None:
    """The row now; the file once the transaction commits."""
    if document is not None:
        document.delete()
        document.delete_file_on_commit()


def _save_row(obj, duplicate_message: str) -> None:
    """Save `obj`; the database's unique constraints find a duplicate (also one a colleague
    recorded at the same moment), refused with `duplicate_message`."""
    _full_clean(obj)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ActionRefused(duplicate_message) from None


def _save_with_document(obj, file, user, write) -> None:
    """Store the new document (if any), then `write()` the record and its audit event; the
    document it replaces goes once that is done. Call it inside the change's transaction and
    `files_removed_on_failure()`, which removes the new file if anything fails."""
    replaced = _store_document(obj, file, user) if file is not None else None
    write()
    _delete_document(replaced)


# Meetings


def _meeting_fields(meeting, *, held_on, protocol_number, agenda) -> None:
    refuse_nul(protocol_number, agenda)
    refuse_too_long(CommissionMeeting, protocol_number=protocol_number, agenda=agenda)
    if held_on is None:
        raise ActionRefused(_("Укажите дату заседания."))
    _not_in_future(
        held_on,
        _("Дата заседания позже сегодняшней: записывают заседание, которое уже состоялось."),
    )
    meeting.held_on = held_on
    meeting.protocol_number = _required(protocol_number, _("Укажите номер протокола."))
    meeting.agenda = _required(agenda, _("Укажите повестку дня заседания."))


def _save_meeting(meeting, file, user, action) -> None:
    duplicate = _("Заседание с протоколом № %(number)s от %(day)s уже записано.") % {
        "number": meeting.protocol_number,
        "day": date_format(meeting.held_on, "d.m.Y"),
    }

    def write():
        _save_row(meeting, duplicate)
        audit.record_meeting(action, meeting, user)

    _save_with_document(meeting, file, user, write)


def require_meeting_recorder(*, user, agency: Agency | None) -> None:
    """Refused unless `user` records the meetings of that commission: the interdepartmental
    commission's (`agency` None) by its secretariat, a regional commission's by its akimat."""
    if agency is None:
        if not permissions.can_record_national(user):
            raise PermissionRefused(
                _("Заседания Межведомственной комиссии записывает её секретариат.")
            )
    elif not permissions.is_akimat_filer(user, agency):
        raise PermissionRefused(_("Заседания региональной комиссии записывает её акимат."))


def meeting_record(
    *, user, agency: Agency | None, held_on, protocol_number, agenda, document=None
) -> CommissionMeeting:
    """Record a meeting of the interdepartmental commission (`agency` None: its secretariat
    does) or of an akimat's regional commission (the akimat's own people do), with its protocol
    as a document if given."""
    require_meeting_recorder(user=user, agency=agency)
    with files_removed_on_failure(), transaction.atomic():
        meeting = CommissionMeeting(agency=agency, created_by=user, updated_by=user)
        _meeting_fields(meeting, held_on=held_on, protocol_number=protocol_number, agenda=agenda)
        _save_meeting(meeting, document, user, Action.MEETING_RECORDED)
    return meeting


# What a request that lost the race to a deletion is told (core.exceptions.Gone).
MEETING_GONE = gettext_lazy("Заседание удалено (вместе с его решениями), пока вы работали с ним.")
DECISION_GONE = gettext_lazy("Решение удалено, пока вы работали с ним.")
ASSIGNMENT_GONE = gettext_lazy(
    "Этого поручения больше нет: решение удалено или ведомство снято с него, пока вы работали."
)


def _locked_meeting(pk) -> CommissionMeeting:
    """The meeting `pk` under its lock; Gone if it has been deleted. Its decisions and their
    parts change only under this lock, so a deletion and a change under the meeting never
    interleave."""
    return locked_row(CommissionMeeting.objects.select_related("agency"), pk, gone=MEETING_GONE)


def require_meeting_editor(*, user, meeting) -> None:
    """Refused unless `user` may change the meeting and its decisions: whoever records that
    commission's meetings."""
    if not permissions.can_edit_meeting(user, meeting):
        if meeting.is_national:
            raise PermissionRefused(
                _("Заседания Межведомственной комиссии изменяет её секретариат.")
            )
        raise PermissionRefused(_("Заседания региональной комиссии изменяет её акимат."))


def meeting_update(
    *, meeting, user, held_on, protocol_number, agenda, document=None
) -> CommissionMeeting:
    """Correct a meeting; a new document replaces the protocol stored before."""
    with files_removed_on_failure(), transaction.atomic():
        meeting = _locked_meeting(meeting.pk)
        require_meeting_editor(user=user, meeting=meeting)
        _meeting_fields(meeting, held_on=held_on, protocol_number=protocol_number, agenda=agenda)
        meeting.updated_by = user
        _save_meeting(meeting, document, user, Action.MEETING_CHANGED)
    return meeting


def require_meeting_deletable(*, meeting) -> None:
    """Refused once an agency has reported on one of the meeting's decisions: the record is
    corrected then, not deleted."""
    if DecisionAssignment.objects.filter(
        decision__meeting=meeting, completed_at__isnull=False
    ).exists():
        raise ActionRefused(
            _(
                "Ведомства уже отметили исполнение решений этого заседания: удалить его "
                "нельзя. Исправьте запись."
            )
        )


def require_decision_deletable(*, decision) -> None:
    """Refused once an agency has reported on the decision."""
    if decision.assignments.filter(completed_at__isnull=False).exists():
        raise ActionRefused(
            _("Ведомства уже отметили исполнение этого решения: удалить его нельзя.")
        )


def meeting_delete(*, meeting, user) -> None:
    """Delete a meeting recorded in error, with its decisions. Refused once an agency has
    reported on one of its decisions."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting.pk)
        require_meeting_editor(user=user, meeting=meeting)
        require_meeting_deletable(meeting=meeting)
        audit.record_meeting(Action.MEETING_DELETED, meeting, user)
        meeting.delete()
        _delete_document(meeting.document)


# Decisions


def _decision_fields(decision, meeting, *, number, text, due_date, agencies) -> list[Agency]:
    refuse_nul(number, text)
    refuse_too_long(ProtocolDecision, number=number, text=text)
    decision.number = _required(number, _("Укажите пункт протокола."))
    decision.text = _required(text, _("Укажите текст решения."))
    agencies = list(agencies or [])
    if not meeting.is_national and (agencies or due_date):
        raise ActionRefused(
            _(
                "Ответственных ведомств и срок называют решения Межведомственной комиссии; "
                "у решения региональной комиссии их нет."
            )
        )
    if agencies and due_date is None:
        raise ActionRefused(_("Укажите срок исполнения: решение поручено ведомствам."))
    if due_date is not None and due_date < meeting.held_on:
        raise ActionRefused(_("Срок исполнения раньше даты заседания."))
    decision.due_date = due_date
    return agencies


def _save_decision(decision) -> None:
    _save_row(
        decision,
        _("Пункт %(number)s в этом протоколе уже записан.") % {"number": decision.number},
    )


def decision_add(*, meeting, user, number, text, due_date=None, agencies=()) -> ProtocolDecision:
    """Record a decision of the meeting; for the interdepartmental commission, the agencies it
    is addressed to and its due date. Gone if the meeting has been deleted meanwhile."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting.pk)
        require_meeting_editor(user=user, meeting=meeting)
        decision = ProtocolDecision(meeting=meeting, created_by=user, updated_by=user)
        agencies = _decision_fields(
            decision, meeting, number=number, text=text, due_date=due_date, agencies=agencies
        )
        _save_decision(decision)
        DecisionAssignment.objects.bulk_create(
            [DecisionAssignment(decision=decision, agency=agency) for agency in agencies]
        )
        audit.record_decision(
            Action.DECISION_RECORDED, decision, user, agencies=[a.code for a in agencies]
        )
    return decision


def _locked_decision(decision) -> ProtocolDecision:
    """The decision, read under its meeting's lock; Gone if either has been deleted."""
    meeting = _locked_meeting(decision.meeting_id)
    locked = locked_row(meeting.decisions.all(), decision.pk, gone=DECISION_GONE)
    locked.meeting = meeting
    return locked


def decision_update(*, decision, user, number, text, due_date=None, agencies=()):
    """Correct a decision. An agency that has already marked its part done cannot be taken off
    it."""
    with transaction.atomic():
        decision = _locked_decision(decision)
        require_meeting_editor(user=user, meeting=decision.meeting)
        agencies = _decision_fields(
            decision,
            decision.meeting,
            number=number,
            text=text,
            due_date=due_date,
            agencies=agencies,
        )
        wanted = {a.pk for a in agencies}
        current = {a.agency_id: a for a in decision.assignments.select_related("agency")}
        done_removed = [a for pk, a in current.items() if pk not in wanted and a.is_done]
        if done_removed:
            raise ActionRefused(
                _("%(agency)s уже отметило исполнение: его нельзя снять с поручения.")
                % {"agency": done_removed[0].agency}
            )
        decision.updated_by = user
        _save_decision(decision)
        DecisionAssignment.objects.filter(decision=decision).exclude(agency_id__in=wanted).delete()
        DecisionAssignment.objects.bulk_create(
            [
                DecisionAssignment(decision=decision, agency=agency)
                for agency in agencies
                if agency.pk not in current
            ]
        )
        audit.record_decision(
            Action.DECISION_CHANGED, decision, user, agencies=[a.code for a in agencies]
        )
    return decision


def decision_delete(*, decision, user) -> None:
    with transaction.atomic():
        decision = _locked_decision(decision)
        require_meeting_editor(user=user, meeting=decision.meeting)
        require_decision_deletable(decision=decision)
        audit.record_decision(Action.DECISION_DELETED, decision, user)
        decision.delete()


def _locked_assignment(assignment) -> DecisionAssignment:
    """The agency's part, read under its meeting's lock (a decision's parts change under it:
    a correction may take an agency off, a deletion removes them all); Gone if it is no
    more."""
    meeting_id = (
        ProtocolDecision.objects.filter(pk=assignment.decision_id)
        .values_list("meeting_id", flat=True)
        .first()
    )
    if meeting_id is None:
        raise Gone(str(ASSIGNMENT_GONE))
    _locked_meeting(meeting_id)
    return locked_row(
        DecisionAssignment.objects.select_related("agency", "decision__meeting"),
        assignment.pk,
        gone=ASSIGNMENT_GONE,
    )


def assignment_complete(*, assignment, user, note: str) -> DecisionAssignment:
    """The agency reports its part of a decision done, saying what was done. After the due day
    it is recorded as done late."""
    refuse_nul(note)
    refuse_too_long(DecisionAssignment, note=note)
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        if not permissions.can_answer(user, assignment):
            raise PermissionRefused(
                _("Исполнение поручения отмечает ведомство, которому оно дано.")
            )
        if assignment.is_done:
            raise ActionRefused(_("Исполнение этого поручения уже отмечено."))
        assignment.note = _required(note, _("Напишите, что сделано по поручению."))
        assignment.completed_at = timezone.now()
        assignment.completed_by = user
        assignment.save()
        audit.record_assignment(Action.ASSIGNMENT_COMPLETED, assignment, user)
    return assignment


def assignment_reopen(*, assignment, user) -> DecisionAssignment:
    """Take back the mark: the agency itself, or the commission's secretariat."""
    with transaction.atomic():
        assignment = _locked_assignment(assignment)
        if not permissions.can_reopen(user, assignment):
            raise PermissionRefused(
                _("Снять отметку может ведомство, которому дано поручение, или секретариат МВК.")
            )
        if not assignment.is_done:
            raise ActionRefused(_("Исполнение этого поручения не отмечено."))
        audit.record_assignment(Action.ASSIGNMENT_REOPENED, assignment, user)
        assignment.completed_at = assignment.completed_by = None
        assignment.note = ""
        assignment.save()
    return assignment


# Regional plans


def require_regional_plan_filer(*, user, agency: Agency | None = None) -> None:
    """Refused unless `user` records the regional plan of an akimat (of `agency`, if given): its
    own people do."""
    if not permissions.is_akimat_filer(user, agency):
        raise PermissionRefused(_("Региональный план записывает акимат, который его утвердил."))


def regional_plan_record(
    *, plan, agency, user, act, act_number, approved_on, document=None
) -> RegionalPlan:
    """Record (or correct) the akimat's regional plan approved under clause 2: the act that
    approved it, its number and date, and the document (required the first time)."""
    require_regional_plan_filer(user=user, agency=agency)
    if not Responsibility.objects.filter(measure__plan=plan, agency=agency).exists():
        raise ActionRefused(
            _("%(agency)s не исполняет этот план: регионального плана к нему не требуется.")
            % {"agency": agency}
        )
    refuse_nul(act, act_number)
    refuse_too_long(RegionalPlan, act=act, act_number=act_number)
    if approved_on is None:
        raise ActionRefused(_("Укажите дату утверждения регионального плана."))
    _not_in_future(approved_on, _("Дата утверждения позже сегодняшней."))
    with files_removed_on_failure(), transaction.atomic():
        existing = RegionalPlan.objects.select_for_update().filter(plan=plan, agency=agency).first()
        created = existing is None
        regional_plan = existing or RegionalPlan(plan=plan, agency=agency, created_by=user)
        regional_plan.act = _required(act, _("Укажите акт, которым утверждён план."))
        regional_plan.act_number = _required(act_number, _("Укажите номер акта."))
        regional_plan.approved_on = approved_on
        regional_plan.updated_by = user
        if created and document is None:
            raise ActionRefused(_("Приложите документ: утверждённый региональный план."))

        def write():
            _save_row(regional_plan, _("Региональный план акимата уже записан: обновите страницу."))
            audit.record_regional_plan(
                Action.REGIONAL_PLAN_RECORDED if created else Action.REGIONAL_PLAN_CHANGED,
                regional_plan,
                user,
            )

        _save_with_document(regional_plan, document, user, write)
    return regional_plan
