"""Monitoring pages (filled in by the wall step)."""
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


wall = wall_live = sensors_geojson = sensor_chart = alarm_detail = alarm_action = _todo
