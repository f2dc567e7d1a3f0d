from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from agencies.audit import audit_events
from agencies.models import AuditEvent
from core.forms import DateInput

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    search = forms.CharField(
        label=gettext_lazy("Поиск"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Имя, описание или IP-адрес")}),
    )
    # The name as a whole: it finds deleted accounts and failed sign-ins too.
    username = forms.CharField(
        label=gettext_lazy("Имя пользователя"), required=False, max_length=150
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Действие"),
        choices=[("", gettext_lazy("Все")), *AuditEvent.Action.choices],
        required=False,
    )
    date_from = forms.DateField(label=gettext_lazy("С"), required=False, widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("По"), required=False, widget=DateInput())


@login_required
@require_safe
def audit_log(request):
    """The audit trail, newest first, 50 events a page: for admins and the secretariat. It only
    reads; the events are written where the actions happen."""
    if not request.user.reads_audit_log:
        raise PermissionDenied(_("Журнал аудита видят администраторы и секретариат."))
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(audit_events(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "events": list(page.object_list)}
    return render(request, "agencies/audit_log.html", context)
