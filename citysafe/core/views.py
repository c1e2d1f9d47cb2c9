from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from citysafe.core.health import run_checks


@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when database, queue and storage work, else 503
    with the failing parts named. Open to anonymous callers; it shows no data."""
    report = run_checks()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503,
                        json_dumps_params={"ensure_ascii": False})
