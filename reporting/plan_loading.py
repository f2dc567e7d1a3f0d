"""The admin's loading of a whole new plan from one workbook in the Resolution's table shape:
upload (the plan's particulars, the coordinator, the file), a preview of every measure with its
executors and years, where unknown executors are mapped to agencies or created and the reporting
calendar is set, then one confirmation that writes everything (reporting.services.plan_import).
Nothing is written before the confirmation, nor then if anything is wrong. The parsed workbook
waits in the admin's session between the two steps (it is a few kilobytes)."""

import datetime
from functools import partial

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency
from agencies.services import NewAgency
from core.forms import DateInput
from core.views import attempt
from measures.services import PlanFields
from measures.workbook import ParsedPlan, read_plan_workbook
from reporting import services

SESSION_KEY = "plan_loading"
MAX_SIZE = 5 * 1024 * 1024  # a plan's workbook is tens of kilobytes
NEW = "__new__"


class UploadForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Код плана"),
        max_length=64,
        help_text=gettext_lazy("Латиницей, например «trafficking-2021-2023»."),
    )
    title = forms.CharField(label=gettext_lazy("Наименование плана"), max_length=1000)
    resolution_number = forms.CharField(label=gettext_lazy("Номер постановления"), max_length=32)
    resolution_date = forms.DateField(label=gettext_lazy("Дата постановления"), widget=DateInput())
    start_year = forms.IntegerField(
        label=gettext_lazy("Первый год"), min_value=1991, max_value=2100
    )
    end_year = forms.IntegerField(
        label=gettext_lazy("Последний год"), min_value=1991, max_value=2100
    )
    coordinator = forms.ModelChoiceField(
        label=gettext_lazy("Координатор"),
        queryset=Agency.objects.order_by("kind", "name"),
        to_field_name="code",
        help_text=gettext_lazy("Принимает отчёты и готовит сводную информацию; по годам — далее."),
    )
    workbook = forms.FileField(
        label=gettext_lazy("Книга Excel (XLSX)"),
        help_text=gettext_lazy(
            "Таблица плана, как в постановлении: № п/п, мероприятие, форма завершения, "
            "ответственные за исполнение, срок исполнения; разделы — отдельными строками."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("start_year")
            and data.get("end_year")
            and data["start_year"] > data["end_year"]
        ):
            self.add_error("end_year", _("Последний год раньше первого."))
        workbook = data.get("workbook")
        if workbook is not None:
            if not workbook.name.lower().endswith(".xlsx"):
                self.add_error("workbook", _("Нужна книга Excel в формате XLSX."))
            elif workbook.size > MAX_SIZE:
                self.add_error("workbook", _("Файл больше 5 МБ: это не таблица плана."))
        return data


class MappingForm(forms.Form):
    """For each executor the workbook names but the portal does not know: an agency, or a new
    one (code, name, kind)."""

    def __init__(self, *args, unknown: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.unknown = unknown
        agencies = [(a.code, str(a.name)) for a in Agency.objects.order_by("kind", "name")]
        for index, text in enumerate(unknown):
            self.fields[f"agency_{index}"] = forms.ChoiceField(
                label=text,
                choices=[("", "—"), (NEW, _("Создать новое ведомство")), *agencies],
            )
            self.fields[f"code_{index}"] = forms.SlugField(
                label=_("код"), required=False, initial=slugify(text, allow_unicode=False)[:64]
            )
            self.fields[f"name_{index}"] = forms.CharField(
                label=_("полное наименование"), required=False, initial=text, max_length=300
            )
            self.fields[f"kind_{index}"] = forms.ChoiceField(
                label=_("вид"), choices=Agency.Kind.choices, required=False
            )

    def rows(self):
        """(text, agency field, code, name, kind) for the template."""
        return [
            (text, *(self[f"{name}_{i}"] for name in ("agency", "code", "name", "kind")))
            for i, text in enumerate(self.unknown)
        ]

    def clean(self):
        data = super().clean()
        self.mapped, self.created = {}, []
        known = {a.code: a for a in Agency.objects.all()}
        for index, text in enumerate(self.unknown):
            choice = data.get(f"agency_{index}")
            if choice == NEW:
                code, name = data.get(f"code_{index}"), data.get(f"name_{index}")
                if not code or not name:
                    self.add_error(
                        f"code_{index}", _("Укажите код и наименование нового ведомства.")
                    )
                    continue
                self.created.append(
                    (
                        text,
                        NewAgency(
                            code=code, name=name, kind=data.get(f"kind_{index}") or "ministry"
                        ),
                    )
                )
            elif choice in known:
                self.mapped[text] = known[choice]
        return data


class CalendarForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    submission_deadline = forms.DateField(label=gettext_lazy("Срок отчётов"), widget=DateInput())
    summary_deadline = forms.DateField(
        label=gettext_lazy("Срок сводной информации"), widget=DateInput()
    )
    coordinator = forms.ModelChoiceField(
        label=gettext_lazy("Координатор"),
        queryset=Agency.objects.order_by("kind", "name"),
        to_field_name="code",
    )


CalendarFormSet = forms.formset_factory(CalendarForm, extra=0)


def _require_admin(request):
    if not (
        request.user.has_perm("measures.add_plan")
        and request.user.has_perm("reporting.add_reportingcycle")
    ):
        raise PermissionDenied(_("Загружают планы администраторы."))


def upload(request, admin_context):
    """Step 1: the plan's particulars and its workbook."""
    _require_admin(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parsed = read_plan_workbook(
            data["workbook"],
            resolution_date=data["resolution_date"],
            start_year=data["start_year"],
            end_year=data["end_year"],
        )
        request.session[SESSION_KEY] = {
            "fields": {
                "code": data["code"],
                "title": data["title"],
                "resolution_number": data["resolution_number"],
                "resolution_date": data["resolution_date"].isoformat(),
                "start_year": data["start_year"],
                "end_year": data["end_year"],
            },
            "coordinator": data["coordinator"].code,
            "file_name": data["workbook"].name,
            "parsed": parsed.to_json(),
        }
        return redirect("admin:reporting_reportingcycle_load_plan_preview")
    context = {**admin_context, "form": form, "title": _("Загрузка плана из книги Excel")}
    return render(request, "admin/reporting/load_plan.html", context)


def _stored(request):
    stored = request.session.get(SESSION_KEY)
    if stored is None:
        return None
    fields = dict(stored["fields"])
    fields["resolution_date"] = datetime.date.fromisoformat(fields["resolution_date"])
    return stored, PlanFields(**fields), ParsedPlan.from_json(stored["parsed"])


def preview(request, admin_context):
    """Step 2: every measure with its executors and years; unknown executors mapped or created,
    the calendar set; the confirmation writes it all."""
    _require_admin(request)
    loaded = _stored(request)
    if loaded is None:
        messages.info(request, _("Загрузите книгу плана."))
        return redirect("admin:reporting_reportingcycle_load_plan")
    stored, fields, parsed = loaded
    coordinator = Agency.objects.filter(code=stored["coordinator"]).first()
    initial = [
        {
            "year": c.year,
            "submission_deadline": c.submission_deadline,
            "summary_deadline": c.summary_deadline,
            "coordinator": c.coordinator.code if c.coordinator else "",
        }
        for c in services.default_calendar(
            start_year=fields.start_year, end_year=fields.end_year, coordinator=coordinator
        )
    ]
    data = request.POST if request.method == "POST" else None
    mapping = MappingForm(data, unknown=parsed.unknown_executors, prefix="map")
    calendar = CalendarFormSet(data, initial=initial, prefix="cycle")
    if data is not None and not parsed.problems and mapping.is_valid() and calendar.is_valid():
        load = partial(
            services.plan_import,
            parsed=parsed,
            fields=fields,
            agencies=mapping.mapped,
            new_agencies=mapping.created,
            calendar=[
                services.CycleCalendar(
                    f["year"], f["submission_deadline"], f["summary_deadline"], f["coordinator"]
                )
                for f in calendar.cleaned_data
            ],
            user=request.user,
        )
        outcome = attempt(request, load)
        if outcome.ok:
            del request.session[SESSION_KEY]
            plan = outcome.result
            messages.success(
                request,
                _("План «%(title)s» загружен: мероприятий — %(count)s.")
                % {"title": plan.title, "count": plan.measures.count()},
            )
            return redirect(reverse("admin:measures_plan_change", args=[plan.pk]))
    context = {
        **admin_context,
        "title": _("Загрузка плана: проверка"),
        "fields": fields,
        "file_name": stored["file_name"],
        "parsed": parsed,
        "sections": dict(parsed.sections),
        "mapping": mapping,
        "calendar": calendar,
    }
    status = 400 if data is not None else 200
    return render(request, "admin/reporting/load_plan_preview.html", context, status=status)
