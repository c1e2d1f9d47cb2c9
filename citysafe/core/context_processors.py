from django.conf import settings


def platform(request):
    return {
        "synthetic_data": settings.CITYSAFE_SYNTHETIC_DATA,
        "map_tile_url": settings.MAP_TILE_URL,
    }
