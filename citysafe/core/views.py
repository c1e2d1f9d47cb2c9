from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from citysafe.core.health import health_report


@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 {"status": "ok"} when database, queue and storage
    work, else 503 {"status": "error"}. Only a signed-in administrator also gets the figures
    and the failing parts named."""
    status, report = health_report(request.user)
    return JsonResponse(report, status=status, json_dumps_params={"ensure_ascii": False})
