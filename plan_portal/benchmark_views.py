"""The benchmark's floor (benchmarks/README.md): the cheapest page a signed-in user can ask for,
through the whole middleware stack (session, user, second factor, CSP…) and nothing else.
Routed only when BENCHMARK_FLOOR=1 (settings.BENCHMARK_FLOOR); never in production."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def benchmark_floor(request):
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")
