from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from agencies import selectors
from agencies.models import Agency
from measures.selectors import agency_assignments


@login_required
def agency_list(request):
    agencies = selectors.agency_list()
    groups = [
        (label, [a for a in agencies if a.kind == kind]) for kind, label in Agency.Kind.choices
    ]
    return render(request, "agencies/agency_list.html", {"groups": groups})


@login_required
def agency_detail(request, code):
    agency = get_object_or_404(Agency.objects.select_related("parent"), code=code)
    context = {"agency": agency, "plans": agency_assignments(agency=agency)}
    return render(request, "agencies/agency_detail.html", context)
