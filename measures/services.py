"""Writes of plans: a whole plan loaded from its workbook (measures.workbook)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency
from core.exceptions import ActionRefused
from measures.models import Measure, Plan, Responsibility, Section
from measures.workbook import ParsedPlan


@dataclass(frozen=True)
class PlanFields:
    """What the admin says of the plan beside its workbook."""

    code: str
    title: str
    resolution_number: str
    resolution_date: datetime.date
    start_year: int
    end_year: int


def _full_clean(obj, where: str) -> None:
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise ActionRefused(f"{where}: {' '.join(error.messages)}") from error


def plan_load(*, parsed: ParsedPlan, fields: PlanFields, agencies: dict[str, Agency]) -> Plan:
    """Write the plan, its sections, measures and responsibilities, all or none. `agencies`
    maps every executor's text the workbook left unmatched to an agency (mapped or created by
    the admin). Refused, writing nothing, if the workbook had problems, an executor is still
    unmatched, one agency is named twice in a measure, or a plan with the code exists. Call it
    inside a transaction (reporting.services.plan_import adds the reporting cycles)."""
    if parsed.problems:
        raise ActionRefused(
            _("В книге есть ошибки (%(count)s): исправьте их и загрузите её снова.")
            % {"count": len(parsed.problems)}
        )
    unmatched = [text for text in parsed.unknown_executors if text not in agencies]
    if unmatched:
        raise ActionRefused(
            _("Не сопоставлены с ведомствами: %(names)s.")
            % {"names": "; ".join(f"«{t}»" for t in unmatched)}
        )
    if Plan.objects.filter(code=fields.code).exists():
        raise ActionRefused(_("План с кодом «%(code)s» уже загружен.") % {"code": fields.code})
    by_code = {a.code: a for a in Agency.objects.filter(code__in=_codes(parsed))}
    with transaction.atomic():
        plan = Plan(
            code=fields.code,
            title=fields.title,
            resolution_number=fields.resolution_number,
            resolution_date=fields.resolution_date,
            start_year=fields.start_year,
            end_year=fields.end_year,
        )
        _full_clean(plan, _("План"))
        plan.save()
        sections = {}
        for number, title in parsed.sections:
            sections[number] = Section.objects.create(plan=plan, number=number, title=title)
        measures: dict[str, Measure] = {}
        for position, item in enumerate(parsed.measures, start=1):
            measure = Measure(
                plan=plan,
                section=sections[item.section],
                parent=measures.get(item.parent),
                number=item.number,
                position=position,
                title=item.title,
                completion_form=item.completion_form,
                responsible_text=item.responsible_text,
                deadline_text=item.deadline_text,
                first_year=item.first_year,
                last_year=item.last_year,
                open_to_interested=item.open_to_interested,
            )
            _full_clean(measure, _("Мероприятие %(number)s") % {"number": item.number})
            measure.save()
            measures[item.number] = measure
            _responsibilities(measure, item, by_code, agencies)
    return plan


def _codes(parsed: ParsedPlan) -> set[str]:
    return {e.agency_code for m in parsed.measures for e in m.executors if e.agency_code}


def _responsibilities(measure, item, by_code, agencies) -> None:
    seen: dict[int, str] = {}
    rows = []
    for position, executor in enumerate(item.executors, start=1):
        agency = by_code.get(executor.agency_code) or agencies[executor.text]
        if agency.pk in seen:
            raise ActionRefused(
                _("%(cell)s: «%(agency)s» названо в мероприятии %(number)s дважды.")
                % {"cell": executor.cell, "agency": agency, "number": item.number}
            )
        seen[agency.pk] = executor.text
        first = executor.first_year or item.first_year
        last = executor.last_year or item.last_year
        if last < item.first_year or first > item.last_year:
            raise ActionRefused(
                _(
                    "%(cell)s: годы «%(agency)s» (%(first)s–%(last)s) не пересекаются с годами "
                    "мероприятия %(number)s (%(m_first)s–%(m_last)s)."
                )
                % {
                    "cell": executor.cell,
                    "agency": agency,
                    "first": first,
                    "last": last,
                    "number": item.number,
                    "m_first": item.first_year,
                    "m_last": item.last_year,
                }
            )
        rows.append(
            Responsibility(
                measure=measure,
                agency=agency,
                position=position,
                by_agreement=executor.by_agreement or agency.by_agreement,
                first_year=executor.first_year,
                last_year=executor.last_year,
                is_consolidator=executor.is_consolidator,
            )
        )
    Responsibility.objects.bulk_create(rows)
