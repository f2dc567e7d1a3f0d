"""Writes of the commissions' registers. Each function is one user action: it runs in a
transaction, checks who may do it, and raises ActionRefused (core.exceptions), changing nothing
and storing no file, when refused."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
from core.exceptions import ActionRefused, PermissionRefused, refuse_nul
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


def _locked_meeting(meeting) -> CommissionMeeting:
    return (
        CommissionMeeting.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=meeting.pk)
    )


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
        locked = _locked_meeting(meeting)
        require_meeting_editor(user=user, meeting=locked)
        _meeting_fields(locked, held_on=held_on, protocol_number=protocol_number, agenda=agenda)
        locked.updated_by = user
        _save_meeting(locked, document, user, Action.MEETING_CHANGED)
    return locked


def meeting_delete(*, meeting, user) -> None:
    """Delete a meeting recorded in error, with its decisions. Refused once an agency has
    reported on one of its decisions."""
    with transaction.atomic():
        locked = _locked_meeting(meeting)
        require_meeting_editor(user=user, meeting=locked)
        if DecisionAssignment.objects.filter(
            decision__meeting=locked, completed_at__isnull=False
        ).exists():
            raise ActionRefused(
                _(
                    "Ведомства уже отметили исполнение решений этого заседания: удалить его "
                    "нельзя. Исправьте запись."
                )
            )
        audit.record_meeting(Action.MEETING_DELETED, locked, user)
        locked.delete()
        _delete_document(locked.document)


# Decisions


def _decision_fields(decision, meeting, *, number, text, due_date, agencies) -> list[Agency]:
    refuse_nul(number, text)
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
    is addressed to and its due date."""
    with transaction.atomic():
        locked = _locked_meeting(meeting)
        require_meeting_editor(user=user, meeting=locked)
        decision = ProtocolDecision(meeting=locked, created_by=user, updated_by=user)
        agencies = _decision_fields(
            decision, locked, number=number, text=text, due_date=due_date, agencies=agencies
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
    locked = ProtocolDecision.objects.select_related("meeting__agency").get(pk=decision.pk)
    _locked_meeting(locked.meeting)  # decisions change under their meeting's lock
    return locked


def decision_update(*, decision, user, number, text, due_date=None, agencies=()):
    """Correct a decision. An agency that has already marked its part done cannot be taken off
    it."""
    with transaction.atomic():
        locked = _locked_decision(decision)
        require_meeting_editor(user=user, meeting=locked.meeting)
        agencies = _decision_fields(
            locked, locked.meeting, number=number, text=text, due_date=due_date, agencies=agencies
        )
        wanted = {a.pk for a in agencies}
        current = {a.agency_id: a for a in locked.assignments.select_related("agency")}
        done_removed = [a for pk, a in current.items() if pk not in wanted and a.is_done]
        if done_removed:
            raise ActionRefused(
                _("%(agency)s уже отметило исполнение: его нельзя снять с поручения.")
                % {"agency": done_removed[0].agency}
            )
        locked.updated_by = user
        _save_decision(locked)
        DecisionAssignment.objects.filter(decision=locked).exclude(agency_id__in=wanted).delete()
        DecisionAssignment.objects.bulk_create(
            [
                DecisionAssignment(decision=locked, agency=agency)
                for agency in agencies
                if agency.pk not in current
            ]
        )
        audit.record_decision(
            Action.DECISION_CHANGED, locked, user, agencies=[a.code for a in agencies]
        )
    return locked


def decision_delete(*, decision, user) -> None:
    with transaction.atomic():
        locked = _locked_decision(decision)
        require_meeting_editor(user=user, meeting=locked.meeting)
        if locked.assignments.filter(completed_at__isnull=False).exists():
            raise ActionRefused(
                _("Ведомства уже отметили исполнение этого решения: удалить его нельзя.")
            )
        audit.record_decision(Action.DECISION_DELETED, locked, user)
        locked.delete()


def _locked_assignment(assignment) -> DecisionAssignment:
    return (
        DecisionAssignment.objects.select_for_update(of=("self",))
        .select_related("agency", "decision__meeting")
        .get(pk=assignment.pk)
    )


def assignment_complete(*, assignment, user, note: str) -> DecisionAssignment:
    """The agency reports its part of a decision done, saying what was done. After the due day
    it is recorded as done late."""
    refuse_nul(note)
    with transaction.atomic():
        locked = _locked_assignment(assignment)
        if not permissions.can_answer(user, locked):
            raise PermissionRefused(
                _("Исполнение поручения отмечает ведомство, которому оно дано.")
            )
        if locked.is_done:
            raise ActionRefused(_("Исполнение этого поручения уже отмечено."))
        locked.note = _required(note, _("Напишите, что сделано по поручению."))
        locked.completed_at = timezone.now()
        locked.completed_by = user
        locked.save()
        audit.record_assignment(Action.ASSIGNMENT_COMPLETED, locked, user)
    return locked


def assignment_reopen(*, assignment, user) -> DecisionAssignment:
    """Take back the mark: the agency itself, or the commission's secretariat."""
    with transaction.atomic():
        locked = _locked_assignment(assignment)
        if not permissions.can_reopen(user, locked):
            raise PermissionRefused(
                _("Снять отметку может ведомство, которому дано поручение, или секретариат МВК.")
            )
        if not locked.is_done:
            raise ActionRefused(_("Исполнение этого поручения не отмечено."))
        audit.record_assignment(Action.ASSIGNMENT_REOPENED, locked, user)
        locked.completed_at = locked.completed_by = None
        locked.note = ""
        locked.save()
    return locked


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
