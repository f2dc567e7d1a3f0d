from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def cycle_dashboard(request, cycle_pk):
    return HttpResponse("The dashboard is being built.", status=501)
