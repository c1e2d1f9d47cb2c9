from django.core.management.base import BaseCommand

from citysafe.risks.services.area_levels import recompute_area_levels


class Command(BaseCommand):
    help = "Rebuild every area's risk level and counts from the risk points (kernels.area_levels)."

    def handle(self, *args, **options):
        result = recompute_area_levels()
        graded = sum(1 for level, _counts in result.values() if level)
        self.stdout.write(self.style.SUCCESS(f"area levels recomputed: {len(result)} areas, {graded} with risks"))
