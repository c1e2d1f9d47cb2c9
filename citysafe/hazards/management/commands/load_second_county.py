from django.core.management.base import BaseCommand

from citysafe.hazards.demo_counties import seed_second_county_hazards
from citysafe.registry.demo.second_county import build_second_county


class Command(BaseCommand):
    help = ("Load a second demo county (广河县, SYNTHETIC outline) under 临夏回族自治州 and the prefecture "
            "office's account pref_admin, to show that counties are kept apart (after load_demo).")

    def add_arguments(self, parser):
        parser.add_argument("--password", default="Demo-2026!", help="password of the new demo accounts")

    def handle(self, *args, **options):
        counts = build_second_county(options["password"])
        if not counts:
            self.stdout.write("second county already loaded; nothing to do")
            return
        counts["hazards"] = seed_second_county_hazards()
        self.stdout.write(self.style.SUCCESS("second county loaded: " + ", ".join(f"{k}={v}" for k, v in counts.items())))
